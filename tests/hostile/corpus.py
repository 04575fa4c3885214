"""The hostile corpus: claim files and catalogue entries that try to break, hang or abuse the tool.

Claim files and source documents arrive in pull requests from anyone. Each case here is
one such attack. Small cases are committed as ``claims/<case>.yaml`` beside this module;
a case that is too big to commit (a 3 MiB value, a 300,000-item list) or that needs the
file system (links, FIFOs, directories, a secret file outside the workspace) is built at
test time by the function of the same name below. ``cases.yaml`` is the manifest: what
each case is, the exit code and the exact findings ``factcheck validate`` must give.

A case is installed into a small valid workspace (the ``desk`` of ``tests/conftest.py``)
next to an *outside* directory that holds a secret: a document and a YAML file whose text
carries ``SECRET_MARKER``. Several cases point at those files by absolute path, by ``..``
and through links; none may ever get that marker into any output.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from tests.conftest import DOCUMENTS, VALID_CLAIM

HERE = Path(__file__).parent
COMMITTED = HERE / "claims"
MANIFEST = HERE / "cases.yaml"

SECRET_MARKER = "NEVER-ECHO-3f9d2c71"
# Shares most words with the quotes the cases cite, so a leak would surface as the
# "closest passage" of a quote-not-found finding.
SECRET_DOCUMENT = (
    "Internal memo\n\n"
    f"The planning for the attack was done at {SECRET_MARKER} headquarters by the unit.\n"
)
SECRET_YAML = (
    f"{SECRET_MARKER}-key: {SECRET_MARKER}\n"
    f"title: {SECRET_MARKER}\n"
    f"claim: {{party: {SECRET_MARKER}, statement: {SECRET_MARKER}}}\n"
)
SECRET_DIGEST = hashlib.sha256(SECRET_DOCUMENT.encode()).hexdigest()
# What a citing claim quotes: close to the secret document, but not in it.
LEAK_PROBE_QUOTE = "The planning for the attack was done at the headquarters by the unit"
REPORT_DIGEST = hashlib.sha256(DOCUMENTS["security-report"][1].encode()).hexdigest()

MIB = 1 << 20


@dataclass(frozen=True)
class Case:
    """One hostile case and what ``factcheck validate`` must say about it."""

    name: str
    about: str
    exit: int
    findings: tuple[str, ...]
    says: tuple[str, ...] = ()
    alone: bool = False

    @property
    def committed(self) -> Path | None:
        path = COMMITTED / f"{self.name}.yaml"
        return path if path.is_file() else None

    def expected(self) -> list[tuple[str, int, int, str]]:
        """The findings as ``(path, line, column, code)``, parsed from the manifest."""
        parsed = []
        for entry in self.findings:
            where, code = entry.split()
            path, line, column = where.rsplit(":", 2)
            parsed.append((path, int(line), int(column), code))
        return sorted(parsed)


def load_cases() -> list[Case]:
    """Every case of the manifest, in its order."""
    manifest = YAML(typ="safe").load(MANIFEST.read_text(encoding="utf-8"))
    return [
        Case(
            name,
            entry["about"],
            entry["exit"],
            tuple(entry.get("findings") or ()),
            tuple(entry.get("says") or ()),
            entry.get("alone", False),
        )
        for name, entry in manifest.items()
    ]


def make_outside(outside: Path) -> Path:
    """Write the secret files that live outside every workspace; returns ``outside``."""
    outside.mkdir(parents=True, exist_ok=True)
    (outside / "secret.txt").write_text(SECRET_DOCUMENT, encoding="utf-8")
    (outside / "secret.yaml").write_text(SECRET_YAML, encoding="utf-8")
    for directory in ("seeds", "claims"):
        (outside / directory).mkdir(exist_ok=True)
    for name in ("sources.yaml", "parties.yaml"):
        (outside / "seeds" / name).write_text(SECRET_YAML, encoding="utf-8")
    (outside / "claims" / "secret.yaml").write_text(SECRET_YAML, encoding="utf-8")
    return outside


def install(case: Case, root: Path, outside: Path) -> None:
    """Put a case into the workspace at ``root`` (a desk), with secrets in ``outside``."""
    if case.committed is not None:
        shutil.copyfile(case.committed, root / "claims" / f"{case.name}.yaml")
    else:
        BUILDERS[case.name](case.name, root, outside)


def marker_files(root: Path) -> list[Path]:
    """Files that code smuggled into a case would create (``touch PWNED``)."""
    return [path for path in (root, Path.cwd()) if (path / "PWNED").exists()]


def git(root: Path, *args: str) -> None:
    """Run git in a workspace, as a throwaway identity."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def commit_all(root: Path, message: str) -> None:
    """Commit everything in the workspace, so ``factcheck diff`` can read it from git."""
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", message)


# --- building blocks ----------------------------------------------------------------------


def _claim(root: Path, name: str, data: bytes | str) -> None:
    path = root / "claims" / f"{name}.yaml"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _with_claim_passage(source: str, quote: str) -> str:
    """The valid claim with one more ``asserted_in`` passage on the claim position."""
    head = "  asserted_in:\n"
    passage = f"    - source: {source}\n      quote: {_quoted(quote)}\n"
    return VALID_CLAIM.replace(head, head + passage, 1)


def _quoted(text: str) -> str:
    """A YAML single-quoted scalar of any text without line breaks."""
    return "'" + text.replace("'", "''") + "'"


def _add_source(root: Path, source_id: str, file: str, digest: str = SECRET_DIGEST) -> None:
    with (root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        stream.write(
            f"  {source_id}:\n"
            f"    file: {_quoted(file)}\n"
            f"    sha256: {digest}\n"
            f"    title: Catalogued by a hostile pull request\n"
            f"    party: null\n"
        )


def _hostile_document(name: str, root: Path, file: str) -> None:
    """A catalogue entry pointing at ``file``, and a claim file that quotes it."""
    _add_source(root, name, file)
    _claim(root, name, _with_claim_passage(name, LEAK_PROBE_QUOTE))


# --- sizes and depths -----------------------------------------------------------------------


def deep_flow(name: str, root: Path, outside: Path) -> None:
    depth = 20_000
    _claim(root, name, "title: " + "[" * depth + "]" * depth + "\n")


def deep_block(name: str, root: Path, outside: Path) -> None:
    # Compact nested block sequences: 3,000 levels of '- ' on one line.
    _claim(root, name, "title:\n" + "- " * 3000 + "x\n")


def deep_block_mappings(name: str, root: Path, outside: Path) -> None:
    # Block mappings indented one space per level: 1,000 levels stay under 1 MiB.
    _claim(root, name, "".join(" " * level + f"k{level}:\n" for level in range(1000)))


def huge_value(name: str, root: Path, outside: Path) -> None:
    _claim(root, name, "title: " + "x" * (3 * MIB) + "\n")


def huge_list(name: str, root: Path, outside: Path) -> None:
    tags = ",".join(["a"] * 300_000)
    _claim(root, name, VALID_CLAIM.replace("tags: [attack]", f"tags: [{tags}]"))


def just_over_limit(name: str, root: Path, outside: Path) -> None:
    text = VALID_CLAIM + "notes: "
    _claim(root, name, text + "n" * (MIB + 1 - len(text) - 1) + "\n")


def sparse_huge(name: str, root: Path, outside: Path) -> None:
    # A sparse 4 GiB file: refused by its size before a byte is read.
    with (root / "claims" / f"{name}.yaml").open("wb") as stream:
        stream.truncate(4 << 30)


def long_line_notes(name: str, root: Path, outside: Path) -> None:
    _claim(root, name, VALID_CLAIM + "notes: " + "word " * 200_000 + "\n")


def long_line_quote(name: str, root: Path, outside: Path) -> None:
    quote = "the planning for the attack was " + "very " * 200_000 + "careful"
    _claim(root, name, _with_claim_passage("security-report", quote))


def long_line_key(name: str, root: Path, outside: Path) -> None:
    _claim(root, name, VALID_CLAIM + "k" * 1_000_000 + ": x\n")


def long_line_explicit_key(name: str, root: Path, outside: Path) -> None:
    # An explicit key ('? ') is not limited to 1024 characters as a simple key is.
    _claim(root, name, VALID_CLAIM + "? " + "k" * 1_000_000 + "\n: x\n")


def long_word_quote(name: str, root: Path, outside: Path) -> None:
    quote = "the planning for the attack was " + "w" * 1_000_000
    _claim(root, name, _with_claim_passage("security-report", quote))


def long_line_verdict(name: str, root: Path, outside: Path) -> None:
    _claim(root, name, VALID_CLAIM.replace("verdict: unproven", "verdict: " + "u" * 1_000_000, 1))


# --- matching -------------------------------------------------------------------------------

REGEX_DOCUMENT = (
    "Pattern notes\n\n"
    "The filter was written as (a+)+$ and [^x]*.{2,3}?\\d+ | ^$ to catch every (attack).\n"
)


def regex_quotes(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / "patterns.txt").write_text(REGEX_DOCUMENT, encoding="utf-8")
    _add_source(root, name, "patterns.txt", hashlib.sha256(REGEX_DOCUMENT.encode()).hexdigest())
    found = "written as (a+)+$ and [^x]*.{2,3}?\\d+ | ^$ to catch every (attack)."
    missing = "(a+)+$ " * 40 + "(.*)*[a-z]+\\ !"
    text = _with_claim_passage(name, found)
    head = "  asserted_in:\n"
    text = text.replace(head, head + f"    - source: {name}\n      quote: {_quoted(missing)}\n", 1)
    _claim(root, name, text)


# --- documents outside seeds/ ---------------------------------------------------------------


def document_absolute(name: str, root: Path, outside: Path) -> None:
    _hostile_document(name, root, str(outside / "secret.txt"))


def document_windows_absolute(name: str, root: Path, outside: Path) -> None:
    _hostile_document(name, root, "C:\\secret.txt")


def document_dotdot(name: str, root: Path, outside: Path) -> None:
    relative = os.path.relpath(outside / "secret.txt", root / "seeds")
    _hostile_document(name, root, relative)


def document_backslash_dotdot(name: str, root: Path, outside: Path) -> None:
    relative = os.path.relpath(outside / "secret.txt", root / "seeds")
    _hostile_document(name, root, relative.replace("/", "\\"))


def document_link_outside(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / f"{name}.txt").symlink_to(outside / "secret.txt")
    _hostile_document(name, root, f"{name}.txt")


def document_link_directory(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / name).symlink_to(outside)
    _hostile_document(name, root, f"{name}/secret.txt")


def document_link_device(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / f"{name}.txt").symlink_to("/dev/zero")
    _hostile_document(name, root, f"{name}.txt")


def document_directory(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / name).mkdir()
    _hostile_document(name, root, name)


def document_fifo(name: str, root: Path, outside: Path) -> None:
    os.mkfifo(root / "seeds" / f"{name}.txt")
    _hostile_document(name, root, f"{name}.txt")


def document_missing(name: str, root: Path, outside: Path) -> None:
    _hostile_document(name, root, f"{name}.txt")


def document_oversized(name: str, root: Path, outside: Path) -> None:
    with (root / "seeds" / f"{name}.txt").open("wb") as stream:
        stream.truncate(64 * MIB)
    _hostile_document(name, root, f"{name}.txt")


def document_binary(name: str, root: Path, outside: Path) -> None:
    data = (COMMITTED / "random-binary.yaml").read_bytes()
    (root / "seeds" / f"{name}.txt").write_bytes(data)
    _add_source(root, name, f"{name}.txt", hashlib.sha256(data).hexdigest())
    _claim(root, name, _with_claim_passage(name, LEAK_PROBE_QUOTE))


def document_utf16(name: str, root: Path, outside: Path) -> None:
    data = SECRET_DOCUMENT.replace(SECRET_MARKER, "the").encode("utf-16")
    (root / "seeds" / f"{name}.txt").write_bytes(data)
    _add_source(root, name, f"{name}.txt", hashlib.sha256(data).hexdigest())
    _claim(root, name, _with_claim_passage(name, LEAK_PROBE_QUOTE))


# --- claim files and catalogues that are not plain files inside the workspace ---------------


def claim_link_outside(name: str, root: Path, outside: Path) -> None:
    (root / "claims" / f"{name}.yaml").symlink_to(outside / "secret.yaml")


def claim_link_inside(name: str, root: Path, outside: Path) -> None:
    # A link that stays inside the workspace is an ordinary file.
    (root / "claims" / f"{name}.yaml").symlink_to(root / "claims" / "attack-planning.yaml")


def claim_fifo(name: str, root: Path, outside: Path) -> None:
    os.mkfifo(root / "claims" / f"{name}.yaml")


def claim_directory(name: str, root: Path, outside: Path) -> None:
    (root / "claims" / f"{name}.yaml").mkdir()


def claims_directory_link(name: str, root: Path, outside: Path) -> None:
    shutil.rmtree(root / "claims")
    (root / "claims").symlink_to(outside / "claims")


def catalogue_link_outside(name: str, root: Path, outside: Path) -> None:
    (root / "seeds" / "sources.yaml").unlink()
    (root / "seeds" / "sources.yaml").symlink_to(outside / "secret.yaml")


def seeds_directory_link(name: str, root: Path, outside: Path) -> None:
    shutil.rmtree(root / "seeds")
    (root / "seeds").symlink_to(outside / "seeds")


def catalogue_unsafe(name: str, root: Path, outside: Path) -> None:
    shutil.copyfile(COMMITTED / "tag-python-apply.yaml", root / "seeds" / "sources.yaml")
    shutil.copyfile(COMMITTED / "alias-bomb.yaml", root / "seeds" / "parties.yaml")


def settings_unsafe(name: str, root: Path, outside: Path) -> None:
    shutil.copyfile(COMMITTED / "tag-python-apply.yaml", root / "factcheck.yaml")


def settings_link_outside(name: str, root: Path, outside: Path) -> None:
    (root / "factcheck.yaml").symlink_to(outside / "secret.yaml")


# --- work that must stay bounded --------------------------------------------------------------


def catalogue_link_device(name: str, root: Path, outside: Path) -> None:
    # Read to its end, either catalogue would never stop (a FIFO, which git cannot commit
    # over a file, is in tests/test_bounded.py).
    for catalogue in ("sources.yaml", "parties.yaml"):
        (root / "seeds" / catalogue).unlink()
        (root / "seeds" / catalogue).symlink_to("/dev/zero")


def repeated_words_miss(name: str, root: Path, outside: Path) -> None:
    # An 80 KB document of a few repeated words and a 41 KB quote of them that is not in it:
    # a closest-passage search that let every pair of words vote took minutes.
    document = "the attack was planned " * 3500
    (root / "seeds" / f"{name}.txt").write_text(document, encoding="utf-8")
    _add_source(root, name, f"{name}.txt", hashlib.sha256(document.encode()).hexdigest())
    _claim(root, name, _with_claim_passage(name, "planned the attack was " * 1800 + "elsewhere"))


def many_positions(name: str, root: Path, outside: Path) -> None:
    # 1,000 counter-claims: every view compares positions pairwise (the evidence matrix).
    head, counter = VALID_CLAIM.split("counter_claims:\n")
    _claim(root, name, head + "counter_claims:\n" + counter * 1000)


def based_on_chain(name: str, root: Path, outside: Path) -> None:
    # 3,000 sources, each re-reporting the next, cited 3,000 times.
    with (root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        for number in range(3000):
            following = f"[{name}-{number + 1}]" if number < 2999 else "[security-report]"
            stream.write(
                f"  {name}-{number}:\n    file: report.txt\n    sha256: {REPORT_DIGEST}\n"
                f"    title: Re-report {number}\n    based_on: {following}\n"
            )
    evidence = "".join(
        f"    - source: {name}-{number}\n"
        "      quote: the bomber had crossed the border a week before the attack\n"
        "      stance: context\n"
        for number in range(3000)
    )
    _claim(root, name, VALID_CLAIM.replace("  evidence:\n", "  evidence:\n" + evidence, 1))


# --- names that no file may have ------------------------------------------------------------


def document_name_nul(name: str, root: Path, outside: Path) -> None:
    with (root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        stream.write(f'  {name}:\n    file: "report\\0.txt"\n    sha256: {REPORT_DIGEST}\n')
        stream.write("    title: A name with a NUL\n")
    _claim(root, name, _with_claim_passage(name, LEAK_PROBE_QUOTE))


def document_name_long(name: str, root: Path, outside: Path) -> None:
    with (root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        stream.write(f"  {name}:\n    file: {'r' * 300}.txt\n    sha256: {REPORT_DIGEST}\n")
        stream.write("    title: A name too long for any file system\n")
    _claim(root, name, _with_claim_passage(name, LEAK_PROBE_QUOTE))


def claim_name_not_utf8(name: str, root: Path, outside: Path) -> None:
    (root / "claims" / os.fsdecode(b"bad-\xff\xfe.yaml")).write_text(VALID_CLAIM, encoding="utf-8")


# --- settings a pull request may not use ------------------------------------------------------


def settings_hex_number(name: str, root: Path, outside: Path) -> None:
    (root / "factcheck.yaml").write_text("min_independent_origins: 0x10\n", encoding="utf-8")


def settings_huge_number(name: str, root: Path, outside: Path) -> None:
    text = "min_independent_origins: " + "7" * 5000 + "\n"
    (root / "factcheck.yaml").write_text(text, encoding="utf-8")


def settings_ignore_integrity(name: str, root: Path, outside: Path) -> None:
    (root / "factcheck.yaml").write_text("ignore: [FC203, FC205, FC301]\n", encoding="utf-8")


def settings_downgrade_integrity(name: str, root: Path, outside: Path) -> None:
    (root / "factcheck.yaml").write_text("severity: {FC004: warning}\n", encoding="utf-8")


# --- the validation cache ------------------------------------------------------------------

CACHE_DIR = ".factcheck-cache"


class _Pwn:
    """Unpickling this runs a shell command: the classic pickle payload."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, ("touch PWNED",)


def cache_pickle(name: str, root: Path, outside: Path) -> None:
    # A committed cache pack whose payload would run code if it were unpickled unchecked.
    (root / CACHE_DIR).mkdir()
    payload = pickle.dumps(_Pwn())
    (root / CACHE_DIR / "claims.pack").write_bytes(b"factcheck-cache\x00v1\n" + bytes(32) + payload)


def forged_cache_pack(name: str, root: Path, outside: Path) -> None:
    # 64 MiB that no key signed: rejected by a streamed check, never read into memory.
    (root / CACHE_DIR).mkdir()
    with (root / CACHE_DIR / "claims.pack").open("wb") as stream:
        stream.write(b"factcheck-cache\x00v1\n" + bytes(32))
        stream.write(bytes(1 << 20) * 64)


def cache_link_device(name: str, root: Path, outside: Path) -> None:
    # Reading this pack to its end would never finish.
    (root / CACHE_DIR).mkdir()
    (root / CACHE_DIR / "claims.pack").symlink_to("/dev/zero")


def cache_link_outside(name: str, root: Path, outside: Path) -> None:
    # Writing the cache here would write outside the workspace.
    (root / CACHE_DIR).symlink_to(outside)


Builder = Callable[[str, Path, Path], None]

BUILDERS: dict[str, Builder] = {
    function.__name__.replace("_", "-"): function
    for function in (
        deep_flow,
        deep_block,
        deep_block_mappings,
        huge_value,
        huge_list,
        just_over_limit,
        sparse_huge,
        long_line_notes,
        long_line_quote,
        long_line_key,
        long_line_explicit_key,
        long_word_quote,
        long_line_verdict,
        regex_quotes,
        document_absolute,
        document_windows_absolute,
        document_dotdot,
        document_backslash_dotdot,
        document_link_outside,
        document_link_directory,
        document_link_device,
        document_directory,
        document_fifo,
        document_missing,
        document_oversized,
        document_binary,
        document_utf16,
        claim_link_outside,
        claim_link_inside,
        claim_fifo,
        claim_directory,
        claims_directory_link,
        catalogue_link_outside,
        seeds_directory_link,
        settings_link_outside,
        catalogue_unsafe,
        settings_unsafe,
        cache_pickle,
        cache_link_device,
        cache_link_outside,
        catalogue_link_device,
        repeated_words_miss,
        many_positions,
        based_on_chain,
        document_name_nul,
        document_name_long,
        claim_name_not_utf8,
        settings_hex_number,
        settings_huge_number,
        settings_ignore_integrity,
        settings_downgrade_integrity,
        forged_cache_pack,
    )
}


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under a directory and its bytes: what a run must leave unchanged."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
