"""The solver process (auctool.check.solve.server): servers opened and closed one after another."""

import sys
import time

from auctool.check.solve.solvers import BoundedSolver


def test_servers_opened_and_closed_in_a_row_each_get_their_own_replies():
    """A closed server's reply thread once read from the next server's pipe (same
    descriptor number), stealing its reply: the next check timed out or saw its solver
    "die" (CI, stop 22). Before the fix this test failed in 2 of 3 runs."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often: the race shows within a few rounds
    try:
        _open_solve_close(200)
    finally:
        sys.setswitchinterval(interval)


def _open_solve_close(rounds: int) -> None:
    for _ in range(rounds):
        with BoundedSolver("cadical195", [[1, 2], [-1, 2]]) as solver:
            out = solver.solve(time.monotonic() + 10, conflicts=1_000)
        assert out.status is True and 2 in out.model
