"""Shell completion of ids: disputes for show, sources for quote, parties and sides for the
options that take them, read from the workspace the command line names."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from factcheck.cli import main


def complete(desk, *words: str, root_after: bool = False) -> list[str]:
    """What bash would offer for the last word of ``factcheck WORDS``."""
    root = ["--root", str(desk.root)]
    line = (
        ["factcheck", *words[:1], *root, *words[1:]] if root_after else ["factcheck", *root, *words]
    )
    env = {
        "_FACTCHECK_COMPLETE": "bash_complete",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="factcheck")
    assert result.exit_code == 0, result.output
    return [item.split(",", 1)[1] for item in result.output.splitlines() if item]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("show", "att"), ["attack-planning"]),
        (("quote", "a"), ["analysis"]),
        (("record-digest", "sec"), ["security-report"]),
        (("new", "x", "--party", "d"), ["defence-ministry", "daily-news"]),
        (("new", "x", "--party", "press-office", "--counter-party", "de"), ["defence-ministry"]),
        (("report", "--side", ""), ["north", "south"]),
        (("report", "--party", "en"), ["envoy"]),
        (("add-party", "x", "--side", ""), ["north", "south", "none"]),
        (("add-source", "f.txt", "--based-on", "an"), ["analysis"]),
    ],
)
def test_ids_complete_from_the_workspace(desk, words, expected):
    assert complete(desk, *words) == expected
    assert complete(desk, *words, root_after=True) == expected


def test_a_broken_catalogue_completes_nothing_without_a_traceback(desk):
    desk.write("seeds/sources.yaml", "sources: [\n")
    assert complete(desk, "quote", "") == []
