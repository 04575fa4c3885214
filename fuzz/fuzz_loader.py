"""Coverage-guided fuzzing of the claim-file loader with atheris (libFuzzer for Python).

Not run in CI: it runs until stopped or until it finds a crash. Install atheris and run
from the repository root (see docs/security.md)::

    python3 -m pip install atheris
    mkdir -p fuzz/corpus
    python3 fuzz/fuzz_loader.py fuzz/corpus tests/hostile/claims -max_total_time=600

libFuzzer writes new interesting inputs to the first directory (``fuzz/corpus``, ignored
by git) and starts from the hostile corpus. A crash is saved as ``crash-<sha1>`` in the
current directory; replay it with ``python3 fuzz/fuzz_loader.py crash-<sha1>``.

Each input is read with both parsers and as a claim file. What counts as a crash: any
exception, a finding outside the file, or a node that is not text, a list or a mapping.
The two parsers may disagree about malformed YAML (libyaml refuses a stray ': value' line
that ruamel.yaml's pure parser reads as a null key); libyaml, which the tool uses
whenever it is installed, is the reference, so that is not a crash.
"""

from __future__ import annotations

import re
import sys

import atheris

with atheris.instrument_imports():
    from factcheck.files.yamlnodes import Mapping, Node, Scalar, Sequence, load_bytes
    from factcheck.workspace.loader import parse_claim

_LINE_BREAK = re.compile(rb"\r\n|\r|\n")


def _check_tree(node: Node) -> None:
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, Mapping):
            for key, value in item.entries.values():
                assert isinstance(key, Scalar) and isinstance(key.text, str)
                pending.append(value)
        elif isinstance(item, Sequence):
            pending.extend(item.items)
        else:
            assert isinstance(item, Scalar) and isinstance(item.text, str), item


def test_one_input(data: bytes) -> None:
    """The fuzz target: read ``data`` every way the tool does and check the invariants."""
    lines = _LINE_BREAK.split(data)
    for pure in (False, True):
        document = load_bytes(data, "claims/fuzz.yaml", pure=pure)
        assert document.root is not None or document.findings
        for finding in document.findings:
            assert 1 <= finding.line <= len(lines) + 1, finding
            assert finding.column >= 1, finding
        if document.root is not None:
            _check_tree(document.root)
    claim = parse_claim(data, "claims/fuzz.yaml")
    assert claim.dispute is not None or claim.findings


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
