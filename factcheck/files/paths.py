"""Containment: whether a path, with every link followed, stays inside a directory; and
how a file's name is shown.

Claim files and catalogues arrive in pull requests, and git stores links: a link must not
make the tool read a file elsewhere on the machine and quote it in a finding, nor write
through to one. Every reader and writer asks this one function. Git also stores names
that are not UTF-8, which Python reads with lone surrogates that no output can encode:
``shown_name`` is the one lossless, printable form every output uses.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def is_inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, with every link followed, stays inside ``root``."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root


def shown_name(name: str) -> str:
    """A file name as output shows it: bytes that are not UTF-8 as ``\\xNN`` escapes.

    Lossless (the escapes name the bytes) and always valid UTF-8, so a name that is not
    UTF-8 can be reported, written to JSON or to a step summary, and never crashes a
    command.
    """
    return SURROGATE.sub(_escaped, name)


SURROGATE = re.compile("[\ud800-\udfff]")
"""A lone surrogate: what a name that is not UTF-8 leaves in a Python string."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"
