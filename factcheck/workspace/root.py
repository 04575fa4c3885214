"""The workspace: where its root is, what factcheck.yaml sets, and which claim files it has.

A desk runs the tool from anywhere inside its repository, so the root is found by walking
up to ``factcheck.yaml`` (or a directory holding both ``claims/`` and ``seeds/``). A bad
setting is a configuration error (exit 2) rather than a finding: it changes how every other
file is judged, so no result computed under it could be trusted.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from factcheck.files.paths import is_inside
from factcheck.files.write import write_atomic
from factcheck.files.yamlnodes import Location, Mapping, Node, Scalar, Sequence, describe, load_file
from factcheck.findings import CODES, INTEGRITY_CODES, Finding, Severity
from factcheck.model import PENDING
from factcheck.rules.independence import DEFAULT_MIN_INDEPENDENT_ORIGINS
from factcheck.rules.scale import DEFAULT_SCALE, Rating, RatingScale
from factcheck.text import did_you_mean, shown_name
from factcheck.workspace import schema
from factcheck.workspace.fields import FieldReader

SETTINGS_FILE = "factcheck.yaml"
CLAIMS_DIR = "claims"
SEEDS_DIR = "seeds"
SOURCES_FILE = "seeds/sources.yaml"
PARTIES_FILE = "seeds/parties.yaml"
SETTING_NAMES = (
    "min_independent_origins",
    "ignore",
    "severity",
    "publisher",
    "site_url",
    "rating_scale",
)


class WorkspaceError(Exception):
    """No workspace, or a bad factcheck.yaml: a usage or configuration error (exit 2).

    An error about a place in a file carries that place (``path``, ``line``, ``column``),
    so that a caller never has to read it back out of the message.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path, self.line, self.column = path, line, column
        located = f"{path}:{line}:{column}: " if path and line is not None else ""
        super().__init__(located + message)


@dataclass(frozen=True)
class Settings:
    """What factcheck.yaml may change; the defaults are those of docs/methodology.md."""

    min_independent_origins: int = DEFAULT_MIN_INDEPENDENT_ORIGINS
    ignore: frozenset[str] = frozenset()
    severity: dict[str, Severity] = field(default_factory=dict)
    publisher: Publisher | None = None
    site_url: str | None = None
    rating_scale: RatingScale = DEFAULT_SCALE


@dataclass(frozen=True)
class Publisher:
    """The desk as the author of its published reviews."""

    name: str
    url: str | None = None
    logo: str | None = None

    def __str__(self) -> str:
        """As ``factcheck diff`` shows a change: the name, then the addresses."""
        return " ".join([self.name, *(f"({item})" for item in (self.url, self.logo) if item)])


@dataclass(frozen=True)
class Workspace:
    """A workspace root and its settings."""

    root: Path
    settings: Settings

    @property
    def claims_dir(self) -> Path:
        return self.root / CLAIMS_DIR

    @property
    def seeds_dir(self) -> Path:
        return self.root / SEEDS_DIR

    def relative(self, path: Path | str) -> str:
        """A path as every output shows it: relative to the root, with '/'."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(self.root).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def contains(self, path: Path | str) -> bool:
        """Whether a path stays inside the workspace once every link is followed."""
        return is_inside(self.root, path)

    def refusal_to_write(self, path: Path | str) -> str:
        """Why a path may not be written (its real location is outside the workspace), or ''."""
        if self.contains(path):
            return ""
        return (
            f"{self.relative(path)} is a link that leads outside the workspace; it is not followed"
        )

    def write(
        self, path: Path, data: bytes, *, create: bool = False, expected: bytes | None = None
    ) -> None:
        """Write a file of the workspace atomically; never through a link that leads out,
        with ``create`` never over an existing file, and with ``expected`` never over a file
        that changed since it was read (``write_atomic`` raises)."""
        refusal = self.refusal_to_write(path)
        if refusal:
            raise WorkspaceError(refusal)
        try:
            write_atomic(path, data, create=create, expected=expected)
        except FileExistsError:
            raise WorkspaceError(
                f"{self.relative(path)} already exists; it is not overwritten"
            ) from None

    def select(
        self, paths: Iterable[str | os.PathLike[str]], known: Iterable[str]
    ) -> list[str] | None:
        """The workspace files that PATH arguments name, in the order of ``known``: a file
        names itself, a directory every known file below it (``.`` the whole workspace).
        None when no PATH is given; an argument that names no known file is a usage error.
        Every command that takes PATHs selects with this one function."""
        paths = list(paths)
        if not paths:
            return None
        known = list(known)
        selected: dict[str, None] = {}
        for path in paths:
            display = self.relative(os.path.abspath(path))
            everything = display in (".", "")
            matches = [
                item
                for item in known
                if everything or item == display or item.startswith(display + "/")
            ]
            if not matches:
                if not os.path.lexists(path):
                    raise WorkspaceError(f"{path}: no such file or directory")
                raise WorkspaceError(
                    f"{path}: not a claim file or catalogue of the workspace at {self.root}; "
                    f"claim files are {CLAIMS_DIR}/*.yaml, the catalogues {SOURCES_FILE} and "
                    f"{PARTIES_FILE}"
                )
            selected.update(dict.fromkeys(matches))
        return list(selected)

    def claim_paths(self) -> list[tuple[str, str, bool]]:
        """Each claim file (sorted by name; ``.yml`` files too, so they get a finding) as its
        file system path, its displayed path and whether it stays inside the workspace.

        A ``claims/`` that is a link leading out of the workspace lists nothing. One
        ``scandir`` and strings rather than a path object per entry: on a large archive that
        listing was a third of a warm run. A file in a ``claims/`` that stays inside is
        outside only when it is itself a link, so only links pay for resolving the path.
        """
        claims = self.claims_dir
        if not claims.is_dir() or not self.contains(claims):
            return []
        with os.scandir(claims) as entries:
            listed = sorted(
                (entry.name, entry.is_symlink())
                for entry in entries
                if entry.name.endswith(_CLAIM_SUFFIXES) and not entry.name.startswith(".")
            )
        directory = os.fspath(claims)
        return [
            (
                path := os.path.join(directory, name),
                f"{CLAIMS_DIR}/{shown_name(name)}",
                not link or self.contains(path),
            )
            for name, link in listed
        ]


_CLAIM_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path | None = None) -> Path:
    """The nearest directory at or above ``start`` that is a workspace root."""
    here = Path(os.path.abspath(start or Path.cwd()))
    for candidate in (here, *here.parents):
        if (candidate / SETTINGS_FILE).is_file():
            return candidate
        if (candidate / CLAIMS_DIR).is_dir() and (candidate / SEEDS_DIR).is_dir():
            return candidate
    raise WorkspaceError(
        f"no factcheck workspace found at or above {here}: looked for a directory holding "
        f"'{SETTINGS_FILE}', or both '{CLAIMS_DIR}/' and '{SEEDS_DIR}/'; "
        "run inside a workspace or pass --root PATH"
    )


def open_workspace(root: Path | str | None = None) -> Workspace:
    """Find (or take) the root and read its settings."""
    if root is not None:
        path = Path(os.path.abspath(root))
        if not path.is_dir():
            raise WorkspaceError(f"--root {root}: not a directory")
    else:
        path = find_root()
    return Workspace(path, read_settings(path))


def read_settings(root: Path) -> Settings:
    """Read factcheck.yaml (absent means defaults); any problem raises WorkspaceError."""
    settings_path = root / SETTINGS_FILE
    if not settings_path.exists():
        return Settings()
    if not is_inside(root, settings_path):
        raise WorkspaceError(
            f"{SETTINGS_FILE} is a link that leads outside the workspace; "
            "replace it with a plain file"
        )
    document = load_file(settings_path, SETTINGS_FILE)
    if document.findings:
        first = document.findings[0]
        if first.code == "FC002" and "empty" in first.message:
            return Settings()
        raise WorkspaceError(first.message, path=first.path, line=first.line, column=first.column)
    assert document.root is not None
    return _settings_from(document.root)


def _settings_from(root: Mapping) -> Settings:
    values: dict[str, Any] = {}
    reader = FieldReader(SETTINGS_FILE)
    for key, (key_node, node) in root.entries.items():
        if key not in SETTING_NAMES:
            _fail(
                key_node,
                f"unknown setting '{key}'{did_you_mean(key, SETTING_NAMES)}; "
                f"known settings: {', '.join(SETTING_NAMES)}",
            )
        publishing = schema.PUBLISHING.field(key)
        if publishing is not None:
            values[key] = _publishing(reader, node, publishing)
        elif key == "min_independent_origins":
            values[key] = _min_origins(node)
        elif key == "ignore":
            values[key] = frozenset(_code(item, key) for item in _items(node, key))
            _refuse_integrity(node, values[key], "ignored")
        else:
            if not isinstance(node, Mapping):
                _fail(node, f"severity must be a mapping of code to level, found {describe(node)}")
            levels = {}
            for code, (code_node, level) in node.entries.items():
                _code(code_node, "severity")
                if not isinstance(level, Scalar) or level.text not in set(Severity):
                    _fail(level, f"severity of {code} must be 'error' or 'warning'")
                levels[code] = Severity(level.text)
                if levels[code] is Severity.WARNING:
                    _refuse_integrity(level, {code}, "downgraded")
            values[key] = levels
    if reader.findings:
        raise _listed(reader.findings)
    return Settings(**values)


MAX_MIN_ORIGINS = 1000
"""More independent origins than any dispute could cite; a larger number is a mistake."""


def _min_origins(node: Node) -> int:
    """A plain decimal whole number from 1 to ``MAX_MIN_ORIGINS``: not ``0x10``, ``0o7`` or
    a 5,000-digit number, which a YAML reader might accept and ``int`` could not read."""
    text = node.text if isinstance(node, Scalar) and node.plain else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 4):
        text = ""
    if not text or not 1 <= int(text) <= MAX_MIN_ORIGINS:
        _fail(
            node,
            "min_independent_origins must be a whole number from 1 to "
            f"{MAX_MIN_ORIGINS}, written in decimal digits",
        )
    return int(text)


def _refuse_integrity(node: Node, codes: set[str] | frozenset[str], done: str) -> None:
    """Refuse settings that would switch off a check protecting the archive's integrity."""
    protected = sorted(set(codes) & INTEGRITY_CODES)
    if protected:
        _fail(
            node,
            f"{', '.join(protected)} cannot be {done}: "
            f"{'it protects' if len(protected) == 1 else 'they protect'} the archive's "
            "integrity (unsafe or broken input, quotes, documents, corroboration and "
            "verdicts); fix the findings instead",
        )


def _publishing(reader: FieldReader, node: Node, spec_field: schema.Field) -> object:
    """``publisher``, ``site_url`` or ``rating_scale``, read with findings like any file.

    Every problem is collected (and all are reported together); the value returned for a
    setting with findings is never used.
    """
    value = reader.read_value(node, spec_field)
    before = len(reader.findings)
    if spec_field.name == "site_url" and isinstance(value, str):
        url = _web_address(reader, node.at, value, "site_url")
        return url if url.endswith("/") else url + "/"
    if spec_field.name == "publisher" and isinstance(value, dict):
        addresses = {
            name: _web_address(reader, value["where"][name], value[name], f"publisher {name}")
            for name in ("url", "logo")
            if name in value
        }
        if "name" in value:
            return Publisher(value["name"].strip(), addresses.get("url"), addresses.get("logo"))
    if spec_field.name == "rating_scale" and isinstance(value, tuple):
        ratings: dict[str, Rating] = {}
        for item in value:
            label = item.get("label")
            if label is None or "verdict" not in item:
                continue
            label = label.strip()
            at = item["where"]["label"]
            if label == PENDING or label in ratings:
                why = "is used twice" if label in ratings else "means a position not yet rated"
                message = f"rating_scale: the label '{label}' {why}; choose another"
                reader.report(at, "FC104", message)
                continue
            ratings[label] = Rating(label, item["verdict"], item.get("description"))
        if len(reader.findings) == before:
            return RatingScale(tuple(ratings.values()))
    return None


def _web_address(reader: FieldReader, at: Location, text: str, name: str) -> str:
    """An http or https address; anything else is a finding (FC104)."""
    address = text.strip()
    scheme, _, rest = address.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or any(c.isspace() for c in address):
        reader.report(
            at,
            "FC104",
            f"{name} must be an http or https address such as https://desk.example.org/, "
            f"found '{address[:80]}'",
        )
    return address


def _listed(findings: list[Finding]) -> WorkspaceError:
    """Settings findings as one error at the first of them, each on its own line in the
    findings' format."""
    first, *rest = sorted(findings, key=lambda item: (item.line, item.column))
    message = f"error {first.code} {first.message}" + "".join(
        f"\n{item.path}:{item.line}:{item.column}: error {item.code} {item.message}"
        for item in rest
    )
    return WorkspaceError(message, path=first.path, line=first.line, column=first.column)


def _items(node: Node, key: str) -> list[Node]:
    if isinstance(node, Scalar) and node.is_null:
        return []
    if not isinstance(node, Sequence):
        _fail(node, f"{key} must be a list of codes such as [FC207], found {describe(node)}")
    return node.items


def _code(node: Node, key: str) -> str:
    if not isinstance(node, Scalar) or node.text not in CODES:
        text = node.text if isinstance(node, Scalar) else describe(node)
        _fail(
            node,
            f"{key}: '{text}' is not a finding code{did_you_mean(str(text), CODES)}; "
            f"the codes run from {min(CODES)} to {max(CODES)}",
        )
    return node.text


def _fail(node: Node, message: str) -> NoReturn:
    raise WorkspaceError(message, path=SETTINGS_FILE, line=node.at.line, column=node.at.column)
