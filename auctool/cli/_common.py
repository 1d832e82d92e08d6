"""What every command shares: output etiquette, error handling, common options.

- results on stdout; warnings, progress and logs on stderr;
- ``--json``: only JSON on stdout; ``--quiet``: nothing on stderr but errors;
- no colour or progress bars when the stream is not a terminal (rich decides, and
  honours ``NO_COLOR``); progress there is a plain line every ~10 s (:class:`ProgressLines`);
- an :class:`AuctoolError` becomes one line ``auctool: error: ...`` and its exit code
  (2 input, 1 run); anything unexpected is one line and exit 1 (``AUCTOOL_DEBUG=1``
  shows the traceback).
"""

from __future__ import annotations

import functools
import logging
import os
import shlex
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from auctool._json import dumps
from auctool.check.budget import BudgetMode
from auctool.errors import AuctoolError
from auctool.formats.fcc.kinds import InterferenceFormat

F = TypeVar("F", bound=Callable[..., Any])

JSON_HELP = "Print machine-readable JSON on stdout, and nothing else there."
QUIET_HELP = "Print nothing on stderr but errors."
BUDGET_MODE_HELP = (
    "time: cutoffs are wall-clock seconds (as in a real auction); work: each second of "
    "cutoff buys a fixed number of solver conflicts and no clock is read, so a run replays "
    "to the same answers on a loaded machine."
)


# ---- options shared by the commands: defined once, the same flag meaning the same thing
JSON_OPTION: Any = typer.Option(False, "--json", help=JSON_HELP)
QUIET_OPTION: Any = typer.Option(False, "--quiet", "-q", help=QUIET_HELP)
CONFIG_OPTION: Any = typer.Option(
    None,
    "--config",
    "-c",
    help="Checker configuration (YAML).",
    show_default="the built-in one",
)
BUDGET_MODE_OPTION: Any = typer.Option(BudgetMode.TIME, "--budget-mode", help=BUDGET_MODE_HELP)
INTERFERENCE_FORMAT_OPTION: Any = typer.Option(
    InterferenceFormat.AUTO, "--interference-format", help="Format of Interference_Paired.csv."
)


def error_line(message: str) -> None:
    sys.stderr.write(f"auctool: error: {message}\n")
    sys.stderr.flush()


def handle_errors(fn: F) -> F:
    """Turn exceptions into one line on stderr and the documented exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AuctoolError as exc:
            error_line(_cli_message(exc, fn.__name__))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            error_line("interrupted")
            raise typer.Exit(130) from None
        except typer.Exit:
            raise
        except BrokenPipeError:  # `auctool ... | head`: not an error of ours
            os._exit(0)
        except OSError as exc:  # a file we could not read or write (full disk, read-only)
            if os.environ.get("AUCTOOL_DEBUG"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            error_line(f"{where}{exc.strerror or exc}")
            raise typer.Exit(1) from None
        except Exception as exc:
            if os.environ.get("AUCTOOL_DEBUG"):
                raise
            error_line(
                f"internal error: {type(exc).__name__}: {exc} (AUCTOOL_DEBUG=1 shows the traceback)"
            )
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


#: Core settings whose flag is not ``--`` + the setting's name with dashes.
_FLAGS = {"record_folder": "--record", "test_set": "--set"}


def flag_of(setting: str) -> str:
    """The CLI's flag for a core setting (``interference_format`` -> ``--interference-format``)."""
    return _FLAGS.get(setting, "--" + setting.replace("_", "-"))


def _cli_message(exc: AuctoolError, command: str = "") -> str:
    """The error's line; the settings it names said as this CLI's flags for them, or as
    the settings file's key when that is where the refused value came from."""
    setting = getattr(exc, "setting", None)
    if setting is not None:
        from auctool.cli.settings import blame

        origin = blame(command, setting)
        if origin is not None:
            return f"{origin}: {exc.problem}"
    return exc.worded(flag_of)


#: Seconds between progress lines on a stderr that is not a terminal (a log, a CI job):
#: often enough to show a long run is alive, rarely enough not to flood the log. 0: a line
#: at every step and no timer (what a test sets).
PROGRESS_LINE_SECONDS = 10.0


#: Columns a table gets when the output is not a terminal (a pipe, a file, a CI log) and
#: COLUMNS does not say: rich's 80 would truncate cells ("impor...") and wrap tables.
PIPED_WIDTH = 200


def _console(stderr: bool) -> Console:
    console = Console(highlight=False, stderr=stderr, soft_wrap=True)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        console.width = PIPED_WIDTH
    return console


class Output:
    """One command's view of the terminal."""

    def __init__(self, json_mode: bool = False, quiet: bool = False):
        self.json = json_mode
        self.quiet = quiet
        # no file= : rich then looks up sys.stdout / sys.stderr at each write, so a
        # handler that outlives a command (tests) never writes to a closed stream
        self.out = _console(stderr=False)
        self.err = _console(stderr=True)  # a message: a line
        _configure_logging(self)

    # ---- stderr chatter ------------------------------------------------------------
    def info(self, message: str) -> None:
        if not self.quiet:
            self.err.print(message, markup=False)

    def note(self, markup: str) -> None:
        """Like info, with rich markup (our own strings only)."""
        if not self.quiet:
            self.err.print(markup)

    def warn(self, message: str) -> None:
        if not self.quiet:
            self.err.print(f"warning: {message}", markup=False, style="yellow")

    # ---- stdout results --------------------------------------------------------------
    def emit_json(self, obj: Any) -> None:
        sys.stdout.write(dumps(obj) + "\n")
        sys.stdout.flush()

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Human results on stdout (suppressed in --json mode)."""
        if not self.json:
            self.out.print(*objects, **kwargs)

    # ---- progress --------------------------------------------------------------------
    @property
    def live(self) -> bool:
        return not self.quiet and self.err.is_terminal

    @contextmanager
    def progress(
        self, name: str, total: float | None, unit: str = ""
    ) -> Iterator[Callable[..., None]]:
        """Progress on stderr; yields ``advance(step=1, detail=None)``. On a terminal a bar;
        off one a line every :data:`PROGRESS_LINE_SECONDS` ("seeds: 3/10 done, 1 failed,
        412 s"), so a log shows the run is alive; nothing when quiet."""
        if not self.live:
            state: dict[str, Any] = {"done": 0.0, "detail": None, "start": time.monotonic()}

            def line() -> str:
                count = f"{state['done']:g}" + (f"/{total:g}" if total is not None else "")
                parts = [f"{name}: {count}" + (f" {unit}" if unit else ""), state["detail"]]
                parts.append(f"{time.monotonic() - state['start']:.0f} s")
                return ", ".join(p for p in parts if p)

            with ProgressLines(self, line) as lines:

                def tally(step: float = 1, detail: str | None = None) -> None:
                    state["done"] += step
                    state["detail"] = detail
                    lines.step()

                yield tally
            return
        columns = (
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=self.err, transient=True) as bar:
            task = bar.add_task(name, total=total)

            def advance(step: float = 1, detail: str | None = None) -> None:
                said = {"description": f"{name}: {detail}"} if detail else {}
                bar.update(task, advance=step, **said)

            yield advance


class ProgressLines:
    """Progress off a terminal: ``line()`` said on stderr as a plain line at a step, at most
    every :data:`PROGRESS_LINE_SECONDS`, and by a timer when no step comes for that long (a
    seed's auction can take minutes: the log still sees the time pass). A bar is escape
    codes in a log, so on a terminal (and when quiet) this says nothing."""

    def __init__(self, out: Output, line: Callable[[], str | None]) -> None:
        self.out = out
        self.line = line
        self.on = not out.quiet and not out.err.is_terminal
        self._last = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    def __enter__(self) -> ProgressLines:
        self._last = time.monotonic()
        if self.on and PROGRESS_LINE_SECONDS > 0:
            self._timer = threading.Thread(target=self._tick, name="auctool-progress", daemon=True)
            self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join()

    def _tick(self) -> None:
        while not self._stop.wait(max(0.0, self._last + PROGRESS_LINE_SECONDS - time.monotonic())):
            self.step()

    def step(self) -> None:
        """Progress was made: say the line if the last was long enough ago."""
        if not self.on:
            return
        with self._lock:
            if time.monotonic() - self._last < PROGRESS_LINE_SECONDS:
                return
            self._last = time.monotonic()
            text = self.line()
        if text:
            self.out.info(text)


class _StderrHandler(logging.Handler):
    def __init__(self, output: Output):
        super().__init__()
        self.output = output

    def emit(self, record: logging.LogRecord) -> None:
        msg = record.getMessage()
        if record.levelno >= logging.WARNING:
            self.output.warn(msg)
        else:
            self.output.info(msg)


def _configure_logging(output: Output) -> None:
    logger = logging.getLogger("auctool")
    for h in list(logger.handlers):
        if isinstance(h, _StderrHandler):
            logger.removeHandler(h)
    logger.addHandler(_StderrHandler(output))
    logger.setLevel(logging.WARNING if output.quiet else logging.INFO)
    logger.propagate = False


#: Options that change what is printed or whether a folder is replaced, not the result.
_OUTPUT_ONLY = ("json_out", "quiet", "force", "overwrite", "fail_if_worse")


def command_line(ctx: typer.Context, always: tuple[str, ...] = ("seed",)) -> str:
    """The command as a user would type it: the arguments and every option set explicitly
    (output-only options aside), so the manifest's command remakes the same bytes."""
    words = ["auctool", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        if param.name in _OUTPUT_ONLY:
            continue
        value = ctx.params.get(param.name)
        if param.param_type_name == "argument":
            words += [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]
            continue
        if not is_set(ctx, param.name) and param.name not in always:
            continue
        if getattr(param, "is_flag", False):
            names = param.opts if value else (param.secondary_opts or param.opts)
            words.append(names[0])
            continue
        for v in value if getattr(param, "multiple", False) else [value]:
            words += [param.opts[0], str(v.value if hasattr(v, "value") else v)]
    return shlex.join(words)


def is_set(ctx: typer.Context, name: str) -> bool:
    """Did the user give this parameter (rather than its default)?"""
    # compared by name: typer bundles its own click, whose enum we do not import
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"
