"""``factcheck init``: a new, valid, empty workspace, and the CI that guards it.

A desk should not have to hand-write catalogues before its first check, nor work out how
to run the tool in CI. ``init`` writes a workspace that validates as it stands (every
setting commented, empty catalogues) and, when asked, a GitHub Actions workflow and a
pre-commit configuration at the root of the git repository that holds the workspace, so
that both work when the workspace is a subdirectory of a larger repository. It never
overwrites a file: what already exists is kept, and said so.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from factcheck import __version__
from factcheck.files.write import write_atomic
from factcheck.workspace.git import published_checkout, repository_root
from factcheck.workspace.root import (
    CLAIMS_DIR,
    PARTIES_FILE,
    SETTINGS_FILE,
    SOURCES_FILE,
    WorkspaceError,
)

DISTRIBUTION = "factcheck-workbench"
"""The name pip knows factcheck by ('factcheck' on the package index is another project)."""

WORKFLOW_FILE = ".github/workflows/factcheck.yml"
PRE_COMMIT_FILE = ".pre-commit-config.yaml"

SETTINGS_HELP = {
    "min_independent_origins": (
        "Independent origins a statement needs to be 'corroborated' (the two-source rule).",
        "min_independent_origins: 2",
    ),
    "ignore": ("Finding codes not reported, e.g. unused catalogue entries.", "ignore: [FC207]"),
    "severity": (
        "Codes whose severity changes, to 'error' or 'warning'.",
        "severity: {FC206: error}",
    ),
    "publisher": (
        "Who publishes the reviews, for 'factcheck export claimreview' and 'factcheck site'.",
        "publisher: {name: Example Desk, url: 'https://desk.example.org/'}",
    ),
    "site_url": (
        "The address the site's pages will have (a dispute's page: site_url + disputes/ID.html).",
        "site_url: https://desk.example.org/checks/",
    ),
    "rating_scale": (
        "The desk's own labels, best to worst, each standing for a built-in verdict.",
        "rating_scale: [{label: 'True', verdict: supported}, {label: 'False', verdict: refuted}]",
    ),
}
"""Each setting of factcheck.yaml, as the new file explains it (a test keeps this list
equal to the settings the reader knows)."""

PARTIES_TEMPLATE = """\
# The camps of the disputes this workspace tracks, by id, each with a one-line
# description, e.g.
#   pakistan: The Government of Pakistan and its institutions
sides: {}
# Who speaks, by id: name (required), side (a side above, or 'none' when the desk has
# checked the party is aligned with no side), kind and description. Add one with
# factcheck add-party ID --name "Full name" --side SIDE
parties: {}
"""

SOURCES_TEMPLATE = """\
# The archived documents, by id. Add one (a text, an HTML page or a PDF) with
# factcheck add-source FILE --id ID
# which copies it into seeds/ and records its sha256 here.
sources: {}
"""


@dataclass(frozen=True)
class Written:
    """A file init wanted to write: ``created``, or kept as it already was."""

    path: Path
    created: bool


@dataclass
class Initialised:
    """What ``init`` did, for the reporter: the files, and what the desk must know."""

    root: Path
    repository: Path | None
    files: list[Written] = field(default_factory=list)
    install: str | None = None
    """The pip requirement the workflow installs; ``None`` when it could not be told."""


def init_workspace(
    directory: str | os.PathLike[str],
    *,
    github: bool = False,
    pre_commit: bool = False,
    install: str | None = None,
) -> Initialised:
    """Create a workspace in ``directory`` (made if missing) and, if asked, its CI files.

    Files that exist are left exactly as they are. ``install`` is the pip requirement the
    workflow installs; by default, the source this factcheck was installed from.
    """
    root = Path(os.path.abspath(directory))
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{directory} exists and is not a directory")
    try:
        (root / CLAIMS_DIR).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WorkspaceError(f"cannot create {directory}: {error.strerror or error}") from None
    repository = repository_root(root)
    done = Initialised(root, repository)
    _write(done, root / SETTINGS_FILE, settings_template())
    _write(done, root / CLAIMS_DIR / ".gitkeep", "")
    _write(done, root / PARTIES_FILE, PARTIES_TEMPLATE)
    _write(done, root / SOURCES_FILE, SOURCES_TEMPLATE)
    top = repository or root
    inside = Path(os.path.relpath(root, top)).as_posix()
    if github:
        done.install = install or install_requirement()
        _write(done, top / WORKFLOW_FILE, workflow(inside, done.install))
    if pre_commit:
        _write(done, top / PRE_COMMIT_FILE, pre_commit_config(inside))
    return done


def _write(done: Initialised, path: Path, text: str) -> None:
    if os.path.lexists(path):
        done.files.append(Written(path, False))
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"), create=True)
    except FileExistsError:
        done.files.append(Written(path, False))
        return
    except OSError as error:
        raise WorkspaceError(f"cannot write {path}: {error.strerror or error}") from None
    done.files.append(Written(path, True))


def settings_template() -> str:
    """factcheck.yaml with every setting explained and commented out: the defaults hold."""
    lines = [
        "# factcheck.yaml: the desk's settings. Its presence marks the workspace root.",
        "# Every setting is optional; remove the '# ' before one to change it.",
    ]
    for comment, example in SETTINGS_HELP.values():
        lines += ["", f"# {comment}", f"# {example}"]
    return "\n".join(lines) + "\n"


def workflow(inside: str, install: str | None) -> str:
    """A GitHub Actions workflow that checks the workspace at ``inside`` (from the
    repository root) on every push and pull request."""
    if install is None:
        install_step = [
            "      # 'factcheck init' could not tell where factcheck was installed from:",
            "      # replace this step with the pip line that installs it (factcheck's",
            "      # docs/ci.md says how).",
            '      - run: echo "install factcheck in .github/workflows/factcheck.yml" >&2; exit 1',
        ]
    else:
        install_step = [
            "      # the factcheck this workflow was written with",
            f"      - run: python3 -m pip install {json.dumps(install)}",
        ]
    lines = [
        "# Written by 'factcheck init': checks the workspace on every push and pull request,",
        "# annotates the pull request's files and puts the verdict tables in the summary.",
        "name: factcheck",
        "on: [push, pull_request]",
        "jobs:",
        "  factcheck:",
        "    runs-on: ubuntu-latest",
        "    env:",
        f"      FACTCHECK_ROOT: {json.dumps(inside)}   # the workspace, from the repository root",
        "    steps:",
        "      - uses: actions/checkout@v4",
        "        with:",
        "          fetch-depth: 0   # factcheck diff reads the pull request's base from git",
        "      - uses: actions/setup-python@v5",
        "        with:",
        '          python-version: "3.11"',
        *install_step,
        "      - name: What the pull request changes in the verdicts",
        "        if: github.event_name == 'pull_request'",
        "        env:",
        "          BASE_REF: ${{ github.base_ref }}   # through the environment, never the script",
        '        run: factcheck diff "origin/$BASE_REF" --format markdown'
        ' >> "$GITHUB_STEP_SUMMARY"',
        "      - run: factcheck validate --strict --format github",
        "      - name: Verdict tables in the step summary",
        "        if: ${{ !cancelled() }}",
        '        run: factcheck report --format markdown >> "$GITHUB_STEP_SUMMARY"',
    ]
    return "\n".join(lines) + "\n"


def pre_commit_config(inside: str) -> str:
    """A .pre-commit-config.yaml whose hooks check the workspace at ``inside`` (from the
    repository root) with the factcheck installed where the commit is made."""
    prefix = "" if inside == "." else re.escape(inside + "/")
    root = json.dumps(inside)
    return f"""\
# Written by 'factcheck init'. Run 'pre-commit install' once; from then on every commit
# that touches the workspace is validated, and its claim files and catalogues must be in
# the canonical layout ('factcheck fmt' puts them there). The hooks run the factcheck
# installed in your environment.
repos:
  - repo: local
    hooks:
      - id: factcheck-validate
        name: factcheck validate
        entry: factcheck validate --root {root}
        language: system
        pass_filenames: false
        files: ^{prefix}(claims/.*\\.ya?ml|seeds/.*|factcheck\\.yaml)$
      - id: factcheck-fmt
        name: factcheck fmt --check
        entry: factcheck fmt --check --root {root}
        language: system
        files: ^{prefix}(claims/[^/]+\\.ya?ml|seeds/(sources|parties)\\.yaml)$
"""


def install_requirement() -> str | None:
    """The pip requirement for the factcheck that is running, as another machine can
    install it: the same commit of the same repository, the same archive, or the same
    version from the package index; ``None`` when it came from a local directory that
    has no remote to fetch it from."""
    try:
        distribution = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return None
    try:
        direct = json.loads(distribution.read_text("direct_url.json") or "null")
    except ValueError:
        return None
    if not isinstance(direct, dict):  # installed from an index
        return f"{DISTRIBUTION}=={__version__}"
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id"):
        return f"{DISTRIBUTION} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}"
    if "archive_info" in direct and url.startswith(("https://", "http://")):
        return f"{DISTRIBUTION} @ {url}"
    if url.startswith("file://"):
        checkout = published_checkout(Path(url.removeprefix("file://")))
        if checkout is not None:
            remote, commit = checkout
            return f"{DISTRIBUTION} @ git+{remote}@{commit}"
    return None
