"""The documentation says what the code does: the README's promises, and the generated pages.

The pages of finding codes and commands start with a part that ``docs/generate.py`` writes
from ``factcheck.findings.CODES`` and the ``--help`` of every command; a change to either
that is not regenerated fails here. The README's walkthrough is run as written, in an empty
directory, and must end with a report.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from factcheck.findings import CODES

REPOSITORY = Path(__file__).resolve().parents[1]
README = REPOSITORY / "README.md"


def load_generator() -> ModuleType:
    """docs/generate.py is a script, not part of the package: load it from its path."""
    spec = importlib.util.spec_from_file_location(
        "docs_generate", REPOSITORY / "docs" / "generate.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def docs_copy(tmp_path: Path) -> Path:
    """A copy of the documentation to break, with the generator's --root pointing at it."""
    shutil.copytree(REPOSITORY / "docs", tmp_path / "docs")
    shutil.copy(REPOSITORY / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return tmp_path


def test_the_generated_pages_match_the_code():
    completed = subprocess.run(
        [sys.executable, str(REPOSITORY / "docs" / "generate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


def test_every_finding_code_has_a_page_with_its_severity_and_summary():
    for code, info in CODES.items():
        page = (REPOSITORY / "docs" / "codes" / f"{code}.md").read_text(encoding="utf-8")
        assert f"# {code} {info.name}\n" in page
        assert f"Default severity: **{info.severity}**" in page


@pytest.mark.parametrize(
    ("damage", "reported"),
    [
        (lambda root: (root / "docs/codes/FC203.md").unlink(), "docs/codes/FC203.md is missing"),
        (
            lambda root: (root / "docs/commands/validate.md").write_text(
                (root / "docs/commands/validate.md")
                .read_text(encoding="utf-8")
                .replace("--strict", "--stern", 1),
                encoding="utf-8",
            ),
            "docs/commands/validate.md is out of date",
        ),
        (
            lambda root: (root / "docs/codes/FC999.md").write_text("# FC999\n", encoding="utf-8"),
            "docs/codes/FC999.md documents nothing the code has",
        ),
        (
            lambda root: (root / "mkdocs.yml").write_text(
                (root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - FC101:", "  - FC1:"),
                encoding="utf-8",
            ),
            "mkdocs.yml is out of date",
        ),
    ],
    ids=["missing-page", "edited-help", "stale-page", "nav"],
)
def test_check_names_each_page_that_differs_from_the_code(docs_copy, capsys, damage, reported):
    generator = load_generator()
    damage(docs_copy)
    assert generator.entry(["--check", "--root", str(docs_copy)]) == 1
    assert reported in capsys.readouterr().err


def test_writing_restores_the_generated_part_and_keeps_the_hand_written_part(docs_copy):
    generator = load_generator()
    page = docs_copy / "docs" / "codes" / "FC203.md"
    original = page.read_text(encoding="utf-8")
    hand_written = original.split(generator.END, 1)[1]
    page.write_text(original.replace("quote-not-found", "quote-lost"), encoding="utf-8")
    assert generator.entry(["--root", str(docs_copy)]) == 0
    assert page.read_text(encoding="utf-8") == original
    assert "An example of its message" in hand_written
    assert generator.entry(["--check", "--root", str(docs_copy)]) == 0


def test_the_readme_starts_with_install_and_test_and_stays_short():
    text = README.read_text(encoding="utf-8")
    assert text.startswith(
        "```sh\n"
        "python3 -m pip install . && factcheck report\n"
        "python3 -m pip install -e '.[test]' && pytest\n"
        "```\n"
    )
    assert len(text.encode("utf-8")) <= 10 * 1024


@pytest.mark.parametrize(
    "document",
    [
        "README.md",
        *sorted(str(path.relative_to(REPOSITORY)) for path in (REPOSITORY / "docs").rglob("*.md")),
    ],
)
def test_every_relative_link_leads_to_a_file(document):
    path = REPOSITORY / document
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8"))
    relative = [target for target in targets if "://" not in target]
    missing = [target for target in relative if not (path.parent / target).exists()]
    assert missing == []


def test_the_readme_walkthrough_runs_from_an_empty_directory_to_a_report(tmp_path):
    """The shell blocks of the walkthrough, run in order as a reader would paste them."""
    section = README.read_text(encoding="utf-8").split("## Five minutes", 1)[1]
    section = section.split("\n## ", 1)[0]
    script = "\n".join(re.findall(r"```sh\n(.*?)```", section, re.S))
    assert "factcheck report" in script
    bin_dir = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ["PATH"]}
    environment.update(COLUMNS="80", NO_COLOR="1")
    completed = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    assert "error FC101 'statement' has no value" in output  # the template, before filling in
    row = "│ dam-attack                     │ north-army           │ south-defence        │"
    assert row in output  # the verdict table's row of the dispute, claim and counter-claim
    assert output.rstrip().endswith("1 dispute reported")
    assert (tmp_path / "desk" / "seeds" / "dam-article.txt").exists()
    strict = subprocess.run(
        ["factcheck", "validate", "--strict"], cwd=tmp_path / "desk", env=environment, check=False
    )
    assert strict.returncode == 0
