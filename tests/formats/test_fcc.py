"""FCC constraint folders: both formats, detection, exact round trips, one-line errors."""

from __future__ import annotations

import gzip
import io
import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auctool.errors import InputError
from auctool.formats.fcc import (
    InterferenceFormat,
    compact_lines,
    load_constraints,
    read_interference,
    write_constraints,
)
from auctool.model import ConstraintData, Interference

FORMATS = [InterferenceFormat.UNABRIDGED, InterferenceFormat.CHANNEL_SPECIFIC]


def _folder(tmp_path: Path, domain: str, interference: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "Domain.csv").write_text(domain)
    (tmp_path / "Interference_Paired.csv").write_text(interference)
    return tmp_path


DOMAIN = "DOMAIN,1,14,15,16\nDOMAIN,2,14,15,16\nDOMAIN,3,14,15\n"


def test_unabridged_lines_mean_what_they_say(tmp_path):
    f = _folder(tmp_path, DOMAIN, "CO,14,14,1,2,3\nADJ+1,14,15,1,2\nADJ-1,15,14,2,1\n")
    data = load_constraints(f)
    assert data.interference.as_set() == {(1, 14, 2, 14), (1, 14, 3, 14), (1, 14, 2, 15)}


def test_compact_lines_imply_co_and_adjacent_constraints(tmp_path):
    f = _folder(tmp_path, DOMAIN, "ADJ+1,14,14,1,2\n")
    data = load_constraints(f)
    # low 14 .. high 14, ADJ+1: (14 -> 15) plus CO on 14 and on 15
    assert data.interference.as_set() == {(1, 14, 2, 15), (1, 14, 2, 14), (1, 15, 2, 15)}


def test_compact_adj2_range_expands_over_every_channel(tmp_path):
    it, fmt = read_interference(_write(tmp_path, "ADJ+2,14,15,1,2\nCO,20,21,1,2\n"))
    assert fmt is InterferenceFormat.CHANNEL_SPECIFIC
    expected = set()
    for c in (14, 15):
        expected |= {(1, c, 2, c + 2), (1, c, 2, c + 1), (1, c + 1, 2, c + 2)}
        expected |= {(1, c + k, 2, c + k) for k in range(3)}
    expected |= {(1, 20, 2, 20), (1, 21, 2, 21)}
    assert it.as_set() == expected


def test_gzipped_interference_file_reads_the_same(tmp_path):
    text = "CO,14,14,1,2,3\nADJ+1,14,15,1,2\nADJ-1,15,14,2,1\n"
    plain = load_constraints(_folder(tmp_path / "plain", DOMAIN, text), use_cache=False)
    packed_dir = tmp_path / "packed"
    packed_dir.mkdir()
    (packed_dir / "Domain.csv").write_text(DOMAIN)
    with gzip.open(packed_dir / "Interference_Paired.csv.gz", "wt") as fh:
        fh.write(text)
    packed = load_constraints(packed_dir, use_cache=False)
    assert packed.interference.as_set() == plain.interference.as_set()
    assert packed.domains == plain.domains


def test_a_broken_gzip_file_is_one_input_error(tmp_path):
    tmp_path.joinpath("Domain.csv").write_text(DOMAIN)
    tmp_path.joinpath("Interference_Paired.csv.gz").write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="not a gzip file"):
        load_constraints(tmp_path, use_cache=False)


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "Interference_Paired.csv"
    p.write_text(text)
    return p


def test_detection_uses_adj_minus_lines(tmp_path):
    _, fmt = read_interference(_write(tmp_path, "ADJ+1,14,15,1,2\nADJ-1,15,14,2,1\n"))
    assert fmt is InterferenceFormat.UNABRIDGED


def test_ambiguous_file_is_refused_not_guessed(tmp_path):
    with pytest.raises(InputError, match="ambiguous interference format"):
        read_interference(_write(tmp_path, "ADJ+1,14,15,1,2\n"))
    it, _ = read_interference(_write(tmp_path, "ADJ+1,14,15,1,2\n"), "unabridged")
    assert it.as_set() == {(1, 14, 2, 15)}


def test_co_only_files_read_the_same_either_way(tmp_path):
    it, fmt = read_interference(_write(tmp_path, "CO,14,14,1,2\n"))
    assert fmt is InterferenceFormat.UNABRIDGED and it.as_set() == {(1, 14, 2, 14)}


@pytest.mark.parametrize(
    ("text", "fmt", "message"),
    [
        ("CO,14,14,1,2\nFOO,14,14,1,2\n", "auto", ":2: unknown constraint key 'FOO'"),
        ("CO,14,14\n", "auto", ":1: expected KEY,channel,channel,subject[,target...]; got 3"),
        ("CO,14,14,1,x\n", "auto", ":1: target station id 'x' is not a whole number"),
        ("CO,14,14,1,2\nCO,14,14,1,9" + "9" * 22 + "\n", "auto", ":2: station id 9999"),
        ("CO,fourteen,14,1,2\n", "auto", ":1: channel 'fourteen' is not a whole number"),
        ("CO,14,14,a,2\n", "auto", ":1: subject station id 'a' is not a whole number"),
        (
            "ADJ-1,14,15,1,2\n",
            "auto",
            ":1: ADJ-1 needs target channel = subject channel -1, got 14 -> 15",
        ),
        ("ADJ+1,14,16,1,2\n", "unabridged", ":1: ADJ+1 needs target channel = subject channel +1"),
        ("CO,16,14,1,2\n", "auto", "fits neither format"),
        ("ADJ-1,15,14,1,2\n", "channelspecific", "not part of the channel-specific format"),
        ("CO,14,14,1,1\n", "auto", "interfering with itself"),
        ("CO,14,14,1,2\nCO,300,300,1,2\n", "auto", ":2: channel 300 out of range"),
        ("\n\n", "auto", "file is empty"),
    ],
)
def test_bad_interference_lines_are_named(tmp_path, text, fmt, message):
    with pytest.raises(InputError) as err:
        read_interference(_write(tmp_path, text), fmt)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("DOMAIN,1,14\nDOMAIN,1,15\n", ":2: station 1 listed twice"),
        ("DOMAIN,1,14\nDOMAN,2,15\n", ":2: expected a line 'DOMAIN"),
        ("DOMAIN,x,14\n", ":1: station id 'x' is not a whole number"),
        ("DOMAIN,1,14,z\n", ":1: channel 'z' is not a whole number"),
        ("", "file is empty"),
    ],
)
def test_bad_domain_lines_are_named(tmp_path, text, message):
    with pytest.raises(InputError) as err:
        load_constraints(_folder(tmp_path, text, "CO,14,14,1,2\n"))
    assert message in str(err.value)


def test_folder_errors(tmp_path):
    with pytest.raises(InputError, match="constraint folder not found"):
        load_constraints(tmp_path / "nope")
    (tmp_path / "Domain.csv").write_text(DOMAIN)
    with pytest.raises(InputError, match="has no Interference_Paired.csv"):
        load_constraints(tmp_path)
    (tmp_path / "Interference_Paired.csv").write_text("CO,14,14,1,9\n")
    with pytest.raises(
        InputError, match="station 9 has interference constraints but no line in Domain.csv"
    ):
        load_constraints(tmp_path)


# ---- round trips (property tests) ---------------------------------------------------
stations = st.integers(1, 12)
channel = st.integers(14, 30)


@st.composite
def unabridged_sets(draw):
    raw = draw(st.lists(st.tuples(stations, channel, stations, st.integers(-2, 2)), max_size=40))
    return [(a, c, b, c + d) for a, c, b, d in raw if a != b]


@st.composite
def compact_closed_sets(draw):
    """Sets the compact format can express: every ADJ pair comes with what it implies."""
    raw = draw(st.lists(st.tuples(stations, channel, stations, st.integers(0, 2)), max_size=25))
    pairs = set()
    for a, c, b, k in raw:
        if a == b:
            continue
        pairs |= {(a, c + i, b, c + i) for i in range(k + 1)}
        pairs |= {(a, c + i, b, c + i + 1) for i in range(k)}
        if k == 2:
            pairs.add((a, c, b, c + 2))
    return sorted(pairs)


def _data(pairs) -> ConstraintData:
    it = Interference.from_pairs(pairs) if pairs else Interference.from_pairs([(1, 14, 2, 14)])
    domains = {s: tuple(range(14, 33)) for s in it.stations.tolist()}
    return ConstraintData(domains, it, "prop")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(unabridged_sets())
def test_unabridged_round_trip_is_exact(tmp_path, pairs):
    data = _data(pairs)
    back = load_constraints(write_constraints(data, tmp_path / "u", "unabridged"), use_cache=False)
    assert back.interference == data.interference
    assert dict(back.domains) == dict(data.domains)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(compact_closed_sets())
def test_compact_round_trip_is_exact(tmp_path, pairs):
    data = _data(pairs)
    folder = write_constraints(data, tmp_path / "c", "channelspecific")
    back, _ = read_interference(folder / "Interference_Paired.csv", "channelspecific")
    assert back == data.interference
    # and the compact file converts to unabridged and back again
    again = load_constraints(
        write_constraints(ConstraintData(dict(data.domains), back), tmp_path / "u2"),
        use_cache=False,
    )
    assert again.interference == data.interference


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(compact_closed_sets(), st.lists(st.tuples(stations, st.booleans()), max_size=6))
def test_lines_without_targets_constrain_nothing(tmp_path, pairs, empties):
    """SATFC's 2013 national file lists partner-less stations as ``CO,2,6,20373``."""
    data = _data(pairs)
    folder = write_constraints(data, tmp_path / "e", "channelspecific")
    path = folder / "Interference_Paired.csv"
    lines = path.read_text().splitlines()
    for k, (s, trailing) in enumerate(empties):
        lines.insert(k % (len(lines) + 1), f"CO,14,30,{s}" + ("," if trailing else ""))
    path.write_text("\n".join(lines) + "\n")
    back, _ = read_interference(path, "auto")
    assert back == data.interference


def test_compact_writer_refuses_sets_it_cannot_express():
    it = Interference.from_pairs([(1, 14, 2, 15)])  # ADJ+1 without its CO pairs
    with pytest.raises(ValueError, match="cannot write the channel-specific format exactly"):
        compact_lines(it)


def test_parsed_form_is_cached_and_invalidated(tmp_path):
    folder = _folder(tmp_path, DOMAIN, "CO,14,14,1,2\n")
    first = load_constraints(folder)
    cached = load_constraints(folder)
    assert cached.interference == first.interference
    (folder / "Interference_Paired.csv").write_text("CO,14,14,1,2\nCO,15,15,1,3\n")
    assert len(load_constraints(folder).interference) == 2


# ---- files cut short (issue 36, item 9) -------------------------------------------
INTERFERENCE = "CO,14,14,1,2,3\nADJ+1,14,15,1,2\nADJ-1,15,14,2,1\n"


@pytest.mark.parametrize(
    ("name", "cut_after", "line"),
    [
        ("Interference_Paired.csv", "ADJ-1,15,14,2,", 3),  # after a comma
        ("Interference_Paired.csv", "ADJ-1,15,14,2,1", 3),  # the line is whole but for "\n"
        ("Interference_Paired.csv", "ADJ+1,14,15,1,2\nAD", 3),  # inside the key
        ("Domain.csv", "DOMAIN,2,14,1", 2),  # "1" of "15": a channel that exists
    ],
)
def test_a_constraint_file_cut_mid_line_is_refused_naming_that_line(
    tmp_path, name, cut_after, line
):
    """A national file cut at 100 KB loaded 23,427 of its constraints without a word."""
    text = {"Domain.csv": DOMAIN, "Interference_Paired.csv": INTERFERENCE}[name]
    folder = _folder(tmp_path, DOMAIN, INTERFERENCE)
    (folder / name).write_text(text[: text.index(cut_after) + len(cut_after)])
    with pytest.raises(InputError) as err:
        load_constraints(folder)
    assert str(err.value).startswith(f"{folder / name}:{line}: ")
    assert "ends in the middle of this line" in str(err.value)


def test_a_cut_gzip_file_says_it_was_cut(tmp_path):
    (tmp_path / "Domain.csv").write_text(DOMAIN)
    packed = gzip.compress(INTERFERENCE.encode() * 50)
    (tmp_path / "Interference_Paired.csv.gz").write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InputError, match=r"Interference_Paired.csv.gz: the gzip data ends early"):
        load_constraints(tmp_path)


def test_a_file_cut_after_it_was_cached_is_read_again_and_refused(tmp_path):
    """The cache is keyed on each file's size and mtime: a cut changes the size even when
    the mtime is kept (cp -p, rsync -t, tar), so the cut file is parsed, and refused."""
    import os

    folder = _folder(tmp_path, DOMAIN, INTERFERENCE)
    load_constraints(folder)
    path = folder / "Interference_Paired.csv"
    stat = path.stat()
    path.write_text(INTERFERENCE[:-3])
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(InputError, match=r"Interference_Paired.csv:3: .*middle of this line"):
        load_constraints(folder)


# ---- real FCC data ---------------------------------------------------------------
SUBSETS = [
    "fcc-seed87-st5-ch10",
    "mini-50-from-87-10ch",
    "post-seed87-st50-ch15",
    "post-seed1328-st200",
]


@pytest.mark.parametrize("name", SUBSETS)
def test_real_subsets_round_trip_in_both_formats(fcc_data, tmp_path, name):
    data = load_constraints(fcc_data / "subsets" / name)
    assert len(data.interference) > 0
    for fmt in FORMATS:
        back = load_constraints(write_constraints(data, tmp_path / fmt.value, fmt), use_cache=False)
        assert back.interference == data.interference, fmt
        assert dict(back.domains) == dict(data.domains)


def test_real_subset_matches_a_naive_reading(fcc_data):
    """Independent check of the columnar parser against a line-by-line reading."""
    folder = fcc_data / "subsets" / "post-seed87-st50-ch15"
    offsets = {"CO": 0, "ADJ+1": 1, "ADJ-1": -1, "ADJ+2": 2, "ADJ-2": -2}
    naive = set()
    for line in (folder / "Interference_Paired.csv").read_text().splitlines():
        key, c1, c2, s, *targets = line.split(",")
        assert int(c2) - int(c1) == offsets[key]
        for t in targets:
            a, b = sorted([(int(s), int(c1)), (int(t), int(c2))])
            naive.add((*a, *b))
    assert load_constraints(folder).interference.as_set() == naive


def test_format_examples(fcc_data, tmp_path):
    """The hand-made examples end without a newline, as a file cut short does: refused as
    they are, read once their last line is ended (a copy in tmp_path, never the repo)."""
    shared = fcc_data / "formats"
    with pytest.raises(InputError, match=r"Interference_Paired.csv:\d+: the file ends in"):
        read_interference(shared / "channelspecific" / "Interference_Paired.csv")
    formats = tmp_path / "formats"
    for src in shared.rglob("*.csv"):
        dst = formats / src.relative_to(shared)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(src.read_text().rstrip("\n") + "\n")
    compact, fmt = read_interference(formats / "channelspecific" / "Interference_Paired.csv")
    assert fmt is InterferenceFormat.CHANNEL_SPECIFIC
    with pytest.raises(InputError, match="ambiguous"):
        read_interference(formats / "unabridged" / "Interference_Paired.csv")
    unabridged, _ = read_interference(
        formats / "unabridged" / "Interference_Paired.csv", "unabridged"
    )
    assert unabridged == compact
    minus, fmt = read_interference(formats / "unabridged" / "Interference_Paired_ADJm1_ADJm2.csv")
    assert fmt is InterferenceFormat.UNABRIDGED
    assert (9, 100, 10, 98) in minus.as_set()
    assert list(itertools.islice(sorted(compact.as_set()), 1)) == [(1, 1, 2, 1)]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_parse_cache_is_parsed_again_never_used(tmp_path, damage):
    """Issue 33: a truncated .npz failed every run ('BadZipFile') until deleted by hand."""
    from auctool.formats.fcc.cache import cache_path
    from auctool.formats.fcc.kinds import InterferenceFormat

    folder = _folder(tmp_path, DOMAIN, "CO,14,14,1,2,3\nADJ+1,14,15,1,2\nADJ-1,15,14,2,1\n")
    first = load_constraints(folder)
    cached = cache_path(folder, InterferenceFormat.AUTO)
    raw = bytearray(cached.read_bytes())
    if damage == "truncate":
        raw = raw[:100]
    elif damage == "flip":  # a flipped bit inside the constraint arrays: loads, but wrong
        with np.load(cached) as z:
            arrays = {k: z[k].copy() for k in z.files}
        arrays["cb"][0] ^= 1
        buf = io.BytesIO()
        np.savez(buf, **arrays)
        raw = bytearray(buf.getvalue())
    else:
        raw = bytearray(b"not a zip file at all")
    cached.write_bytes(bytes(raw))
    again = load_constraints(folder)
    assert again.interference == first.interference
    assert dict(again.domains) == dict(first.domains)
    assert cached.is_file() and cached.read_bytes() != bytes(raw)  # rewritten, sound
