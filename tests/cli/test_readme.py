"""The README stays true: every command it shows exists with the options it shows, the
quick ones run, and so does its Python example.

What they run, they run in a temporary folder holding links to the repository's
``instances`` and ``configs``: a README command that writes a relative path writes there,
never into the repository."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer

from auctool.cli import app

ROOT = Path(__file__).resolve().parents[2]


def _blocks(language: str) -> list[str]:
    text = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def _command_lines() -> list[list[str]]:
    blocks = _blocks("bash")
    lines = []
    for block in blocks:
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split(" #", 1)[0].strip()
            words = shlex.split(line) if line else []
            if words and words[0] in ("auctool", ".venv/bin/auctool"):
                lines.append(words[1:])
    return lines


def _resolve(words: list[str]):
    """(click command, its path, the remaining words); root options skipped."""
    command = typer.main.get_command(app)
    path = []
    rest = list(words)
    while hasattr(command, "commands"):
        while rest and rest[0].startswith("-"):
            rest = rest[2:] if rest[0] == "--settings" else rest[1:]
        name = rest.pop(0)
        assert name in command.commands, f"README shows an unknown command: {' '.join(words)}"
        command = command.commands[name]
        path.append(name)
    return command, path, rest


COMMANDS = _command_lines()


def test_readme_shows_commands():
    assert len(COMMANDS) >= 15


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(w[:3]) for w in COMMANDS])
def test_every_option_the_readme_shows_exists(words):
    command, path, rest = _resolve(words)
    flags = {o for p in command.params for o in p.opts}
    for word in rest:
        if word.startswith("-"):
            assert word.split("=")[0] in flags, f"auctool {' '.join(path)} has no {word}"


QUICK = ("check", "space", "export", "instances features")


@pytest.mark.parametrize(
    "words",
    [w for w in COMMANDS if any(" ".join(_resolve(w)[1]) == q for q in QUICK)],
    ids=lambda w: " ".join(w[:2]),
)
def test_quick_readme_commands_run(cli, words, tmp_path, monkeypatch):
    """Outputs to /tmp in the README go to a temporary folder here."""
    monkeypatch.chdir(_scratch(tmp_path / "cwd"))
    args = [w.replace("/tmp/", f"{tmp_path}/") for w in words]
    r = cli(*args)
    assert r.code == 0, r.stderr


def _scratch(folder: Path) -> Path:
    """A working folder that sees the repository's inputs (and keeps what is written)."""
    folder.mkdir()
    for name in ("instances", "configs"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


def test_the_python_example_runs_as_written(tmp_path, monkeypatch, capsys):
    (example,) = _blocks("python")
    monkeypatch.chdir(_scratch(tmp_path / "cwd"))
    exec(compile(example, "README.md", "exec"), {"__name__": "__readme__"})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    for line in lines:
        file, answer, *_ = line.split()
        assert file.endswith(".srpk") and answer in ("SAT", "UNSAT", "TIMEOUT")
