"""Hard questions asked again at doubling cutoffs by one checker, as the auction escalates them.

The problems: the national bench's recorded questions that timed out at 1 s (``bench.hardtail``'s
sample; truth from the default at 10 s). Each is asked at 1 s, then, by the same checker, at
2 s and 4 s until answered, as ``simulate``'s escalation does (its persistent solver keeps what
each attempt learned either way). Two configurations, measured in this run, the question's
two runs one after the other (paired, the same machine state):

- the default: each attempt's local search starts again from the previous assignment;
- ``ls_continue: true``: it continues from where the last attempt's search stopped.

``AUCTOOL_BENCH_ESCALATION_PROBLEMS`` (default 30) bounds the questions.
"""

from __future__ import annotations

import os
import sys

from bench._table import show
from bench.hardtail import problem_set, truth

CUTOFFS = (1.0, 2.0, 4.0)
PROBLEMS = int(os.environ.get("AUCTOOL_BENCH_ESCALATION_PROBLEMS", "30"))


def escalate(data, problem, config) -> tuple[str, float, int]:
    """(answer, seconds spent, attempts) over the doubling cutoffs, one checker throughout."""
    from auctool.check import make_checker

    spent = 0.0
    with make_checker(data, config) as checker:
        checker.warm(problem)
        for k, cutoff in enumerate(CUTOFFS, 1):
            r = checker.check(problem, cutoff)
            spent += r.seconds
            if r.answer.value != "TIMEOUT":
                return r.answer.value, spent, k
    return "TIMEOUT", spent, len(CUTOFFS)


def main() -> None:
    from auctool.check import CheckerConfig
    from auctool.formats.srpk import read_srpk

    rec, data, entries = problem_set()
    answers = truth(data, rec, entries)
    hard = [e for e in entries if e.answer == "TIMEOUT"][:PROBLEMS]
    configs = {"default": CheckerConfig(), "ls_continue: true": CheckerConfig(ls_continue=True)}
    runs: dict[str, list[tuple[str, float, int]]] = {name: [] for name in configs}
    for i, entry in enumerate(hard, 1):
        problem = read_srpk(rec.root / entry.file)
        for name, config in configs.items():
            runs[name].append(escalate(data, problem, config))
        print(f"{i}/{len(hard)} questions", file=sys.stderr)
    for name, got in runs.items():
        for e, (answer, _, _) in zip(hard, got, strict=True):
            known = answers[e.file].split("->")[-1]
            if answer != "TIMEOUT" and known in ("SAT", "UNSAT") and answer != known:
                raise SystemExit(f"WRONG ANSWER: {name} on {e.file}")
    rows = []
    for group in ("all", *sorted({answers[e.file] for e in hard})):
        keep = [i for i, e in enumerate(hard) if group == "all" or answers[e.file] == group]
        for name, got in runs.items():
            picked = [got[i] for i in keep]
            by_pass = [sum(a != "TIMEOUT" and k <= p for a, _, k in picked) for p in (1, 2, 3)]
            rows.append([group, name, len(picked), *by_pass, sum(s for _, s, _ in picked)])
    show(
        f"Escalation: {len(hard)} national questions that timed out at 1 s, asked again at "
        f"{', '.join(f'{c:g}' for c in CUTOFFS)} s by one checker",
        ["truth", "configuration", "n", "by 1 s", "by +2 s", "by +4 s", "seconds spent"],
        rows,
        "escalation",
        notes="Answered counts are cumulative over the attempts (1 s, then 2 s, then 4 s).",
    )


if __name__ == "__main__":
    main()
