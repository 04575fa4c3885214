"""Containment: whether a path, with every link followed, stays inside a directory; and
how a file's name is shown.

Claim files and catalogues arrive in pull requests, and git stores links: a link must not
make the tool read a file elsewhere on the machine and quote it in a finding, nor write
through to one. Every reader and writer asks this one function. Git also stores names
that are not UTF-8, which Python reads with lone surrogates that no output can encode:
``text.shown_name`` is the one lossless, printable form every output uses for a name.
"""

from __future__ import annotations

import os
from pathlib import Path


def is_inside(root: Path | str, path: Path | str) -> bool:
    """Whether ``path``, with every link followed, stays inside ``root``."""
    real_root = os.path.realpath(root)
    return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root
