"""Load: a national-scale auction (2,990 synthetic stations, at the FCC's density) in bounded memory.

Slow (minutes): run by ``make test-all``. The peak resident memory of the simulate
process is printed (``pytest -s``) and bounded; the time is not asserted.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from auctool.worlds.spec import SynthSpec
from auctool.worlds.synth import synth_world
from auctool.worlds.world import save_world

#: Generous bound on the simulate process's peak RSS (measured: see the closing note).
MAX_RSS_MB = 4096


@pytest.mark.slow
def test_a_national_scale_auction_runs_in_bounded_memory(tmp_path):
    world = tmp_path / "national"
    spec = SynthSpec(
        stations=2990, cities=210, region_km=4500, vhf_share=0.3, degrees="fcc", seed=1,
        name="national",
    )  # fmt: skip
    save_world(synth_world(spec)[0], world)  # here, so the children below are simulate only
    simulate = [
        sys.executable, "-m", "auctool", "simulate", str(world), "--cutoff", "0.2",
        "--participation", "packable", "--seed", "1", "--json", "--quiet",
    ]  # fmt: skip
    done = subprocess.run(simulate, capture_output=True, text=True)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # kB on Linux
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    print(f"national-scale auction: {body['stations']} stations, {body['checks']['total']} checks, "
          f"simulate's peak RSS {peak_mb:.0f} MB")  # fmt: skip
    assert body["stations"] > 1900 and body["rounds"] > 0
    assert body["start"]["stations"] + body["participants"] == body["stations"]
    checks = body["checks"]
    assert checks["SAT"] + checks["UNSAT"] + checks["TIMEOUT"] == checks["total"]
    assert peak_mb < MAX_RSS_MB
