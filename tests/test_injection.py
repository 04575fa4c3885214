"""Output injection: text from claim files, catalogues and documents is inert everywhere.

Statements, quotes, titles, rationales, party names, ids and even file names carry rich
markup, emoji codes, ANSI and OSC escape sequences, BEL, GitHub workflow commands on
their own lines, a literal ``%0A``, Markdown table pipes, HTML and links. Every format of
every command that prints them is checked: a terminal shows them as plain text, GitHub
never sees a workflow command that a file wrote, Markdown shows them literally, and JSON
carries them back exactly.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

import pytest

from factcheck.authoring.roundtrip import plain_data
from factcheck.workspace.loader import parse_claim
from tests.conftest import DOCUMENTS, VALID_CLAIM, Desk, sources_yaml
from tests.hostile.corpus import commit_all, git
from tests.runner_commands import commands

# One of each: markup, emoji code, colour, OSC 8 hyperlink, window title, OSC 52
# clipboard write, BEL, C1 CSI, workflow commands on their own lines, a literal %0A,
# table pipes, HTML, a Markdown link and a right-to-left override.
PAYLOAD = (
    "[bold red]ALERT[/bold red] :smile: \x1b[31mRED\x1b[0m \x1b[2J"
    "\x1b]8;;https://evil.example\x07osc-link\x1b]8;;\x07 \x1b]0;title\x07 "
    "\x1b]52;c;cHduZWQ=\x07 bell\x07 \x9b31mcsi"
    "\n::error::injected\n::add-mask::masked\n::stop-commands::token\n"
    "%0A::warning::literal | pipe | cell | <script>alert(1)</script> "
    "[x](https://evil.example) @everyone \u202eevil "
    "##[error file=claims/x.yaml;line=1]Forged annotation ##[set-output name=verdict;]supported "
    "https://evil.example www.evil.example #123 GH-9 deadbeefcafe $x^2$"
)
# Short enough that findings quote it whole.
SHORT = "[b]x:smile:\x1b[31m|<i>\x07::error::y%0A\u202e##[set-output name=v;]x"
FILE_NAME = "name\n::add-mask::x [b]|<i>\x1b[31m%0A"

DOCUMENT = f"Hostile document\n\nThe spokesman said {PAYLOAD} and then left the room.\n"
QUOTE = f"The spokesman said {PAYLOAD}"
MARKUP = "[bold red]ALERT[/bold red]"
CONTROLS = ("\x07", "\x9b", "\u202e")
WORKFLOW = ("::error::", "::warning::", "::add-mask::", "::stop-commands::")
WIDE = {"COLUMNS": "400"}


def yaml_text(text: str) -> str:
    """A YAML double-quoted scalar of any text (a JSON string is one)."""
    return json.dumps(text)


def hostile_claim() -> str:
    """A valid claim file whose every free text field carries the payload."""
    text = VALID_CLAIM
    for old, new in (
        ("Was the attack planned across the border?", yaml_text(f"Title {PAYLOAD}")),
        ("The attack was planned in the neighbouring country.", yaml_text(f"Stm {PAYLOAD}")),
        ("One independent origin supports it; that is not enough.", yaml_text(f"Why {PAYLOAD}")),
    ):
        text = text.replace(old, new, 1)
    return (
        text.replace(
            "  evidence:\n",
            f"    - source: hostile\n      quote: {yaml_text(QUOTE)}\n  evidence:\n",
            1,
        )
        + f"notes: {yaml_text(f'Notes {PAYLOAD}')}\n"
    )


def hostile_ids_claim() -> str:
    """An invalid claim file: the payload in ids, a verdict, a key and a missing quote."""
    text = VALID_CLAIM.replace("party: defence-ministry", f"party: {yaml_text(SHORT)}")
    text = text.replace("verdict: unproven", f"verdict: {yaml_text(SHORT)}", 1)
    text = text.replace("tags: [attack]", f"tags: [{yaml_text(SHORT)}]")
    text = text.replace(
        "quote: the planning for the attack was done across the border",
        f"quote: {yaml_text('the planning for the attack was done ' + SHORT)}",
    )
    return text + f"{yaml_text(SHORT)}: unknown\n"


@pytest.fixture
def hostile(desk: Desk) -> Desk:
    """The valid desk committed to git, then hostile files added in the working tree."""
    git(desk.root, "init", "-q")
    commit_all(desk.root, "valid workspace")
    documents = {**DOCUMENTS, "hostile": ("hostile.txt", DOCUMENT, "researcher")}
    (desk.root / "seeds" / "hostile.txt").write_text(DOCUMENT, encoding="utf-8")
    catalogue = sources_yaml(documents).replace(
        "title: Hostile",
        f"title: {yaml_text(f'Source {PAYLOAD}')}\n    author: {yaml_text(PAYLOAD)}",
        1,
    )
    desk.write("seeds/sources.yaml", catalogue)
    parties = (desk.root / "seeds" / "parties.yaml").read_text(encoding="utf-8")
    desk.write(
        "seeds/parties.yaml",
        parties.replace(
            "name: An independent researcher", f"name: {yaml_text(f'Party {PAYLOAD}')}"
        ),
    )
    desk.claim("hostile-text", hostile_claim())
    desk.claim("hostile-ids", hostile_ids_claim())
    (desk.root / "claims" / f"{FILE_NAME}.yaml").write_text(VALID_CLAIM, encoding="utf-8")
    return desk


def assert_terminal_inert(output: str, color: str) -> None:
    """No control character from a file reaches the terminal; markup stays text."""
    for char in CONTROLS:
        assert char not in output
    if color == "never":
        assert "\x1b" not in output
    else:  # only rich's own colour codes: no cursor moves, clears, titles or hyperlinks
        assert "\x1b" not in re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b[31mRED" not in output and "\x1b[2J" not in output
    assert "😄" not in output


def assert_github_inert(stdout: str) -> None:
    """Every line is a workflow command of the tool's own, or the summary."""
    lines = stdout.splitlines()
    assert lines
    for line in lines[:-1]:
        assert line.startswith(("::error ", "::warning ")), line
    assert not lines[-1].startswith("::")
    for line in lines:
        assert not line.startswith(WORKFLOW)
        assert "\x1b" not in line and "\x07" not in line


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def assert_markdown_inert(output: str) -> None:
    """File text cannot add markup, links, HTML, emoji, mentions or table cells."""
    for char in ("\x1b", *CONTROLS):
        assert char not in output
    assert "<script>" not in output and "<i>" not in output
    assert "[x](https://evil.example)" not in output
    assert ":smile:" not in output and "@everyone" not in output
    # nothing GitHub turns into a live link, reference or math
    for live in ("https://", "www.evil", "#123", "GH-9", "deadbeefcafe", "$x^2$"):
        assert live not in output.replace("\\", ""), live
    for line in output.splitlines():
        assert not line.lstrip().startswith(WORKFLOW)
    table: list[str] = []
    for line in [*output.splitlines(), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table:
            assert {unescaped_pipes(row) for row in table} == {unescaped_pipes(table[0])}, table
            table = []


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def assert_json_exact(stdout: str, *originals: str) -> None:
    """The output parses, holds no raw control character, and carries the text exactly."""
    assert "\x1b" not in stdout and "\x07" not in stdout and "\u202e" not in stdout
    found = list(strings(json.loads(stdout)))
    for original in originals:
        assert any(original in text for text in found), original


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize(
    "args",
    [
        ["validate"],
        ["report", "--format", "table"],
        ["show", "hostile-text"],
        ["show", "hostile-ids"],
        ["diff", "HEAD", "--format", "table"],
        ["sources"],
        ["parties"],
        ["quote", "hostile", "The spokesman said [bold red]ALERT"],
        ["quote", "hostile", f"said {SHORT} and a near miss"],
        ["fmt", "--diff"],
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_terminal_output_is_inert(hostile: Desk, args: list[str], color: str):
    result = hostile.run("--color", color, *args, env=WIDE)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    assert_terminal_inert(result.output, color)


def test_terminal_shows_markup_and_emoji_codes_literally(hostile: Desk):
    shown = hostile.run("--color", "always", "show", "hostile-text", env=WIDE).output
    assert MARKUP in shown and ":smile:" in shown and "[x](https://evil.example)" in shown
    findings = hostile.run("--color", "always", "validate", env=WIDE).output
    assert "[b]x:smile:" in findings


def test_github_format_starts_no_workflow_command_of_its_own(hostile: Desk):
    result = hostile.run("validate", "--format", "github")
    assert result.exit_code == 1
    assert_github_inert(result.stdout)
    assert "%0A" in result.stdout  # line breaks from files are escaped, not dropped


@pytest.mark.parametrize(
    "args",
    [["report", "--format", "markdown"], ["diff", "HEAD", "--format", "markdown"]],
    ids=" ".join,
)
def test_markdown_output_is_inert(hostile: Desk, args: list[str]):
    result = hostile.run(*args)
    assert result.exit_code in (0, 1), result.output
    assert_markdown_inert(result.stdout)
    assert "&lt;script&gt;" in result.stdout


def test_json_findings_carry_file_text_exactly(hostile: Desk):
    result = hostile.run("validate", "--format", "json")
    assert result.exit_code == 1
    assert_json_exact(result.stdout, SHORT, f"claims/{FILE_NAME}.yaml")


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--format", "json"],
        ["diff", "HEAD", "--format", "json"],
    ],
    ids=" ".join,
)
def test_json_reports_carry_file_text_exactly(hostile: Desk, args: list[str]):
    result = hostile.run(*args)
    assert result.exit_code in (0, 1), result.output
    assert_json_exact(result.stdout, f"Title {PAYLOAD}", f"Stm {PAYLOAD}", f"Why {PAYLOAD}")


@pytest.mark.parametrize(
    ("args", "originals"),
    [
        (["sources", "--format", "json"], [f"Source {PAYLOAD}"]),
        (["parties", "--format", "json"], [f"Party {PAYLOAD}"]),
    ],
    ids=lambda value: " ".join(value) if isinstance(value[0], str) else "",
)
def test_json_catalogues_carry_file_text_exactly(
    hostile: Desk, args: list[str], originals: list[str]
):
    result = hostile.run(*args)
    assert result.exit_code in (0, 1), result.output
    assert_json_exact(result.stdout, *originals)


def test_new_writes_a_hostile_title_as_data(hostile: Desk):
    result = hostile.run(
        "--color", "always", "new", "hostile-new", "--party", "press-office", "--title", PAYLOAD
    )
    assert result.exit_code == 0, result.output
    assert_terminal_inert(result.output, "always")
    written = parse_claim((hostile.root / "claims/hostile-new.yaml").read_bytes(), "claims/x.yaml")
    assert written.dispute is not None and written.dispute.title == PAYLOAD


def test_add_source_records_hostile_metadata_as_data(hostile: Desk, tmp_path_factory):
    document = tmp_path_factory.mktemp("incoming") / "incoming.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    result = hostile.run(
        "--color",
        "always",
        "add-source",
        str(document),
        "--id",
        "hostile-added",
        "--title",
        PAYLOAD,
        "--author",
        PAYLOAD,
        "--publisher",
        PAYLOAD,
    )
    assert result.exit_code == 0, result.output
    assert_terminal_inert(result.output, "always")
    listed = hostile.run("sources", "--format", "json")
    assert_json_exact(listed.stdout, PAYLOAD)
    entry = next(
        item for item in json.loads(listed.stdout)["sources"] if item["id"] == "hostile-added"
    )
    assert entry["title"] == PAYLOAD


def test_fmt_keeps_hostile_text_exactly(hostile: Desk):
    path = hostile.root / "claims" / "hostile-text.yaml"
    before = path.read_text(encoding="utf-8")
    result = hostile.run("--color", "always", "fmt")
    assert result.exit_code in (0, 1), result.output
    assert_terminal_inert(result.output, "always")
    after = path.read_text(encoding="utf-8")
    assert after != before  # the test file is not in the canonical layout: fmt rewrote it
    assert plain_data(after) == plain_data(before)


EVERY_OUTPUT = [
    *(["validate", "--format", name] for name in ("text", "json", "github")),
    *(["report", "--format", name] for name in ("table", "markdown", "json")),
    ["show", "hostile-text"],
    ["show", "hostile-ids"],
    *(["diff", "HEAD", "--format", name] for name in ("table", "markdown", "json")),
    ["sources"],
    ["parties"],
    ["sources", "--format", "json"],
    ["quote", "hostile", "The spokesman said [bold red]ALERT"],
    ["quote", "hostile", f"said {SHORT} and a near miss"],
    ["fmt", "--diff"],
    ["show", "hostile-text-typo"],
]


@pytest.mark.parametrize("actions", ["true", ""], ids=["under-actions", "elsewhere"])
@pytest.mark.parametrize("args", EVERY_OUTPUT, ids=" ".join)
def test_the_runner_finds_no_command_but_the_tools_own_annotations(
    hostile: Desk, args: list[str], actions: str
):
    result = hostile.run("--color", "never", *args, env={**WIDE, "GITHUB_ACTIONS": actions})
    assert "Traceback" not in result.output
    run = commands(result.stderr)
    annotations = commands(result.stdout)
    if args[-1] == "github":
        assert annotations, result.stdout
        for command in annotations:
            assert command.name in ("error", "warning"), command.line
            assert command.properties.startswith("file="), command.line
            assert "title=FC" in command.properties, command.line
    else:
        run += annotations
    assert run == [], [command.line for command in run]


@pytest.mark.parametrize(
    "key", ["\n::error ::forged", "##[error]x", "\x1b]0;title\x07\x1b]8;;https://evil\x07"]
)
def test_a_setting_named_like_a_command_is_reported_inert(desk: Desk, key: str):
    desk.write("factcheck.yaml", f"{json.dumps(key)}: 1\n")
    result = desk.run("validate")
    assert result.exit_code == 2
    assert "unknown setting" in result.stderr
    assert commands(result.stderr) == []
    assert len(result.stderr.strip().splitlines()) == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_claim_file_named_in_bytes_that_are_not_utf8_is_reported_escaped(desk: Desk, tmp_path):
    (desk.root / "claims" / os.fsdecode(b"bad-\xff.yaml")).write_text(VALID_CLAIM, "utf-8")
    result = desk.run("validate", "--format", "json")
    result.stdout_bytes.decode("utf-8")  # valid UTF-8
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["path"], finding["code"]) == ("claims/bad-\\xff.yaml", "FC106")
    report = tmp_path / "report.md"
    for args in (["report", "--format", "markdown"], ["report", "--output", str(report)]):
        written = desk.run(*args)
        assert written.exit_code == 1, written.output
        assert "internal error" not in written.output
    assert "bad-\\xff" in report.read_text(encoding="utf-8")


def test_under_actions_text_output_is_wrapped_in_the_runners_guard(hostile: Desk):
    result = hostile.run("report", env={"GITHUB_ACTIONS": "true"})
    first, last = result.stdout.splitlines()[0], result.stdout.splitlines()[-1]
    assert first.startswith("::stop-commands::") and len(first) > len("::stop-commands::") + 16
    assert last == f"::{first.removeprefix('::stop-commands::')}::"
    other = hostile.run("report", env={"GITHUB_ACTIONS": "true"}).stdout.splitlines()[0]
    assert other != first  # a fresh random token each run
    json_output = hostile.run("report", "--format", "json", env={"GITHUB_ACTIONS": "true"})
    json.loads(json_output.stdout)  # programs still read the JSON
