"""A port of how the GitHub Actions runner finds workflow commands in a step's output.

The runner reads every line of stdout and stderr. A line whose text, once leading white
space is trimmed, starts with ``::`` is a command in the current syntax
(``::name key=value,...::message``); otherwise the legacy syntax ``##[name key=value;...]``
is looked for anywhere in the line. Only registered command names count. After
``::stop-commands::TOKEN`` nothing is a command until a line reading ``::TOKEN::``.

The tests run this over every output of a hostile workspace: the only commands it may
find are the tool's own annotations in the ``github`` format.
"""

from __future__ import annotations

from dataclasses import dataclass

REGISTERED = frozenset(
    {
        "add-mask",
        "add-matcher",
        "add-path",
        "debug",
        "echo",
        "endgroup",
        "error",
        "group",
        "internal-set-repo-path",
        "notice",
        "remove-matcher",
        "save-state",
        "set-env",
        "set-output",
        "stop-commands",
        "warning",
    }
)


@dataclass(frozen=True)
class Command:
    """One command the runner would run: its name, its raw properties and its data."""

    name: str
    properties: str
    data: str
    line: str


def _current_syntax(line: str) -> Command | None:
    text = line.strip()
    if not text.startswith("::"):
        return None
    end = text.find("::", 2)
    if end < 0:
        return None
    info = text[2:end]
    name, _, properties = info.partition(" ")
    if name.lower() not in REGISTERED:
        return None
    return Command(name.lower(), properties, text[end + 2 :], line)


def _legacy_syntax(line: str) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    info = line[start + 3 : close]
    name, _, properties = info.partition(" ")
    if name.lower() not in REGISTERED:
        return None
    return Command(name.lower(), properties, line[close + 1 :], line)


def commands(output: str) -> list[Command]:
    """The commands the runner would run, reading ``output`` line by line."""
    found: list[Command] = []
    stop_token: str | None = None
    for line in output.splitlines():
        if stop_token is not None:
            if line.strip().lower() == f"::{stop_token}::".lower():
                stop_token = None
            continue
        command = _current_syntax(line) or _legacy_syntax(line)
        if command is None:
            continue
        if command.name == "stop-commands" and command.data:
            stop_token = command.data
            continue
        found.append(command)
    return found
