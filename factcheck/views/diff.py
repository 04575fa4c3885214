"""What a change does to the desk's findings: two loaded workspaces compared dispute by dispute.

A pull request's YAML diff shows lines; a reviewer needs to see what changed in the desk's
findings. ``compare`` takes two validated workspaces (usually a git revision and the
working tree, see ``diff_revision``) and returns plain data: disputes added, removed or
renamed; positions added or removed; statements, verdicts, corroboration and rationales old
to new; passages added, removed or changed; catalogue entries and settings that changed,
each with the disputes whose computed independence or corroboration it moves; and the
files that are invalid on either side, so nothing is skipped silently. Reporters in
``factcheck.reporters.diff`` turn the result into a table, Markdown or JSON.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path, PurePosixPath

from factcheck.engine.run import Validation, validate
from factcheck.findings import Severity
from factcheck.model import Catalogue, Dispute, Passage, Position, Record, Ref
from factcheck.rules.independence import Assessment, Judgement, assess, judge, stakes_in
from factcheck.rules.quotes import normalise
from factcheck.text import counted
from factcheck.workspace.git import revision_tree
from factcheck.workspace.root import (
    SETTINGS_FILE,
    Settings,
    Workspace,
    WorkspaceError,
    read_settings,
)

SCHEMA_VERSION = 1
WORKING_TREE = "working tree"

DISPUTE_FIELDS = ("title", "date", "tags", "notes")
POSITION_FIELDS = ("party", "statement", "corroboration", "verdict", "rationale")
PASSAGE_DETAIL_FIELDS = ("stance", "speaker", "credibility", "note")
# Catalogue tables compared entry by entry: (kind shown to users, Catalogue attribute).
CATALOGUE_TABLES = (("side", "sides"), ("party", "parties"), ("source", "sources"))
MAX_ATTRIBUTION_WORK = 20_000_000
"""Catalogue entries looked at while attributing moved disputes to each catalogue change:
a few seconds at most, and more than a real pull request needs."""
_RECORD_FIELDS = {item.name for item in fields(Record)} | {"id"}


@dataclass(frozen=True)
class Change:
    """One value that changed, old to new; ``None`` means absent on that side."""

    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PassageSummary:
    """A passage as a reviewer recognises it: list, source, quote, stance and speaker; for
    evidence, whether it counts for its position (on the side where it stands) and why not."""

    kind: str
    source: str | None
    quote: str | None
    stance: str | None = None
    speaker: str | None = None
    counts: bool | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PassageChange:
    """A passage kept on both sides (same list, source and quote) whose details changed."""

    passage: PassageSummary
    changes: tuple[Change, ...]


@dataclass
class PositionDiff:
    """How one position differs: ``added``, ``removed`` or ``changed``."""

    role: str
    party: str | None
    status: str
    changes: list[Change] = field(default_factory=list)
    passages_added: list[PassageSummary] = field(default_factory=list)
    passages_removed: list[PassageSummary] = field(default_factory=list)
    passages_changed: list[PassageChange] = field(default_factory=list)

    @property
    def verdict_changed(self) -> bool:
        return self.status == "changed" and any(item.field == "verdict" for item in self.changes)


@dataclass
class DisputeDiff:
    """How one dispute differs: ``added``, ``removed``, ``renamed`` or ``changed``.

    ``unreadable`` names the sides (``base``, ``head``) whose file could not be read into
    a dispute; that side is compared as empty and the file is also listed as invalid.
    """

    id: str
    path: str
    status: str
    title: str | None
    old_id: str | None = None
    old_path: str | None = None
    unreadable: tuple[str, ...] = ()
    changes: list[Change] = field(default_factory=list)
    positions: list[PositionDiff] = field(default_factory=list)

    @property
    def verdicts_changed(self) -> int:
        return sum(1 for item in self.positions if item.verdict_changed)


@dataclass(frozen=True)
class Impact:
    """A position whose computed corroboration or independent origins a catalogue change moves."""

    dispute: str
    role: str
    party: str | None
    corroboration: Change
    independent_origins: Change


@dataclass
class CatalogueChange:
    """A side, party, source or setting ``added``, ``removed`` or ``changed``."""

    kind: str
    id: str
    status: str
    changes: list[Change] = field(default_factory=list)
    affects: list[Impact] = field(default_factory=list)
    unattributed: bool = False
    """Disputes moved, but which of them this change moves was not worked out: past
    ``MAX_ATTRIBUTION_WORK`` a diff stops attributing them change by change."""


@dataclass(frozen=True)
class FileState:
    """One file on one side: ``absent``, ``valid`` or ``invalid`` with its errors."""

    state: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class InvalidOnEitherSide:
    """A file with errors on at least one side; the other side's state is shown too."""

    path: str
    base: FileState
    head: FileState


@dataclass
class WorkspaceDiff:
    """Everything that differs between a base (a git revision) and a head (the working tree)."""

    base: str
    commit: str
    head: str = WORKING_TREE
    disputes: list[DisputeDiff] = field(default_factory=list)
    catalogue: list[CatalogueChange] = field(default_factory=list)
    invalid_files: list[InvalidOnEitherSide] = field(default_factory=list)

    @property
    def base_label(self) -> str:
        return f"{self.base} ({self.commit[:12]})" if self.commit else self.base

    def counts(self) -> dict[str, int]:
        """How many of each kind of change, in the order the headline names them."""
        statuses = [item.status for item in self.disputes]
        return {
            "verdicts_changed": sum(item.verdicts_changed for item in self.disputes),
            "disputes_added": statuses.count("added"),
            "disputes_removed": statuses.count("removed"),
            "disputes_renamed": statuses.count("renamed"),
            "disputes_changed": statuses.count("changed"),
            "catalogue_changes": len(self.catalogue),
            "invalid_files": len(self.invalid_files),
        }

    def headline(self) -> str:
        """One line such as ``2 verdicts changed, 1 dispute added``; zero counts are left out."""
        nouns = {
            "verdicts_changed": ("verdict", "changed"),
            "disputes_added": ("dispute", "added"),
            "disputes_removed": ("dispute", "removed"),
            "disputes_renamed": ("dispute", "renamed"),
            "disputes_changed": ("dispute", "changed"),
            "catalogue_changes": ("catalogue change", ""),
            "invalid_files": ("invalid file", ""),
        }
        parts = []
        for key, count in self.counts().items():
            if count:
                noun, verb = nouns[key]
                parts.append(f"{counted(count, noun)} {verb}".rstrip())
        return ", ".join(parts) if parts else "no changes"

    def as_dict(self) -> dict[str, object]:
        """The JSON document, schema version ``SCHEMA_VERSION`` (described in the README)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "base": {"rev": self.base, "commit": self.commit},
            "head": self.head,
            "summary": {**self.counts(), "headline": self.headline()},
            "disputes": [asdict(item) for item in self.disputes],
            "catalogue": [asdict(item) for item in self.catalogue],
            "invalid_files": [asdict(item) for item in self.invalid_files],
        }


def diff_revision(workspace: Workspace, rev: str = "HEAD") -> WorkspaceDiff:
    """Compare the workspace at git revision ``rev`` with its working tree.

    The revision is read with git into a temporary copy (never checked out) and judged
    with its own factcheck.yaml; when that file is invalid at ``rev`` it is listed as
    such and the working tree's settings are used instead.
    """
    with revision_tree(workspace, rev) as tree:
        settings, settings_errors = settings_at(tree.root, workspace.settings)
        base = validate(Workspace(tree.root, settings))
        head = validate(workspace)
        result = compare(base, head, rev, tree.commit)
        if settings_errors:
            head_state = _file_state(head, SETTINGS_FILE, _errors_by_path(head))
            invalid = InvalidOnEitherSide(
                SETTINGS_FILE, FileState("invalid", settings_errors), head_state
            )
            result.invalid_files = sorted([*result.invalid_files, invalid], key=_by_path)
        return result


def compare(base: Validation, head: Validation, rev: str, commit: str = "") -> WorkspaceDiff:
    """Compare two validated workspaces; the result is plain data for a reporter."""
    return WorkspaceDiff(
        base=rev,
        commit=commit,
        disputes=_dispute_diffs(base, head),
        catalogue=_catalogue_changes(base, head),
        invalid_files=_invalid_files(base, head),
    )


def settings_at(root: Path, fallback: Settings) -> tuple[Settings, tuple[str, ...]]:
    try:
        return read_settings(root), ()
    except WorkspaceError as error:
        if error.line is None:
            return fallback, (str(error),)
        return fallback, (f"line {error.line}, column {error.column}: {error.message}",)


# Disputes ---------------------------------------------------------------------------


def _dispute_diffs(base: Validation, head: Validation) -> list[DisputeDiff]:
    old = {item.path: item.dispute for item in base.archive.claim_files}
    new = {item.path: item.dispute for item in head.archive.claim_files}
    catalogues = (base.archive.catalogue, head.archive.catalogue)
    results = []
    for path in old.keys() & new.keys():
        if old[path] is None and new[path] is None:
            continue  # unreadable on both sides: the invalid-file list says so
        item = _compare_disputes(path, old[path], new[path], "changed", catalogues)
        if item.changes or item.positions or item.unreadable:
            results.append(item)
    removed = sorted(old.keys() - new.keys())
    added = sorted(new.keys() - old.keys())
    for old_path, new_path in _renames(removed, added, old, new):
        removed.remove(old_path)
        added.remove(new_path)
        item = _compare_disputes(new_path, old[old_path], new[new_path], "renamed", catalogues)
        item.old_id, item.old_path = _stem(old_path), old_path
        results.append(item)
    results += [_compare_disputes(path, old[path], None, "removed", catalogues) for path in removed]
    results += [_compare_disputes(path, None, new[path], "added", catalogues) for path in added]
    return sorted(results, key=lambda item: (item.id, item.path))


def _compare_disputes(
    path: str,
    old: Dispute | None,
    new: Dispute | None,
    status: str,
    catalogues: tuple[Catalogue, Catalogue],
) -> DisputeDiff:
    present = {"removed": ("base",), "added": ("head",)}.get(status, ("base", "head"))
    unreadable = tuple(
        side for side, dispute in (("base", old), ("head", new)) if side in present and not dispute
    )
    shown = new or old
    result = DisputeDiff(
        id=shown.id if shown else _stem(path),
        path=path,
        status=status,
        title=shown.title if shown else None,
        unreadable=unreadable,
    )
    if status in ("changed", "renamed"):
        result.changes = _field_changes(old, new, DISPUTE_FIELDS)
    result.positions = [
        diff
        for old_position, new_position in _pair_positions(old, new)
        if (
            diff := _compare_positions(
                old_position,
                new_position,
                _judgements(old, old_position, catalogues[0])
                | _judgements(new, new_position, catalogues[1]),
            )
        )
        is not None
    ]
    return result


def _renames(
    removed: list[str],
    added: list[str],
    old: dict[str, Dispute | None],
    new: dict[str, Dispute | None],
) -> list[tuple[str, str]]:
    """Pairs of (removed, added) paths whose disputes have the same claim party and
    the same claim statement or title: one dispute renamed, not one removed and one added.

    Each removed dispute takes the first added one (in path order) that matches it. The
    added disputes are indexed by what a match compares, so 3,000 removed and 3,000 added
    files cost a look-up each rather than nine million comparisons.
    """
    order = {path: index for index, path in enumerate(added)}
    waiting: dict[tuple[str, str | None, str], deque[str]] = {}
    for path in added:
        for key in _rename_keys(new[path]):
            waiting.setdefault(key, deque()).append(path)
    taken: set[str] = set()
    pairs = []
    for old_path in removed:
        fronts = []
        for key in _rename_keys(old[old_path]):
            queue = waiting.get(key)
            while queue and queue[0] in taken:
                queue.popleft()
            if queue:
                fronts.append(queue[0])
        if fronts:
            after_path = min(fronts, key=order.__getitem__)
            taken.add(after_path)
            pairs.append((old_path, after_path))
    return pairs


def _rename_keys(dispute: Dispute | None) -> list[tuple[str, str | None, str]]:
    """What makes two disputes one renamed: the claim's party with its statement, or with
    the dispute's title (normalised as quotes are)."""
    if not (dispute and dispute.claim):
        return []
    party = dispute.claim.party
    return [
        (field_name, party, normalise(text))
        for field_name, text in (("statement", dispute.claim.statement), ("title", dispute.title))
        if text is not None
    ]


def _positions(dispute: Dispute | None) -> list[Position]:
    if dispute is None:
        return []
    return [item for item in dispute.positions if isinstance(item, Position)]


def _pair_positions(
    old: Dispute | None, new: Dispute | None
) -> list[tuple[Position | None, Position | None]]:
    """Match positions across sides: the claim with the claim, counter-claims by party,
    then by place in the list; what is left over was added or removed."""
    olds, news = _positions(old), _positions(new)
    pairs: list[tuple[Position | None, Position | None]] = []
    rest_old = [item for item in olds if item.role != "claim"]
    rest_new = [item for item in news if item.role != "claim"]
    old_claim = next((item for item in olds if item.role == "claim"), None)
    new_claim = next((item for item in news if item.role == "claim"), None)
    if old_claim or new_claim:
        pairs.append((old_claim, new_claim))
    for matches in (
        lambda a, b: a.party is not None and a.party == b.party,
        lambda a, b: a.role == b.role,
    ):
        for before in list(rest_old):
            after = next((item for item in rest_new if matches(before, item)), None)
            if after is not None:
                rest_old.remove(before)
                rest_new.remove(after)
                pairs.append((before, after))
    pairs += [(item, None) for item in rest_old]
    pairs += [(None, item) for item in rest_new]
    order = {id(item): index for index, item in enumerate(news)}
    return sorted(pairs, key=lambda pair: order.get(id(pair[1]), len(news)))


def _judgements(
    dispute: Dispute | None, position: Position | None, catalogue: Catalogue
) -> dict[int, Judgement]:
    """Each evidence passage's judgement in its own workspace, by the passage's identity."""
    if dispute is None or position is None or position.party is None:
        return {}
    stakes = stakes_in(dispute, position, catalogue)
    return {id(passage): judge(passage, stakes) for passage in position.evidence}


def _compare_positions(
    old: Position | None, new: Position | None, judgements: dict[int, Judgement]
) -> PositionDiff | None:
    shown = new or old
    assert shown is not None
    status = "changed" if old and new else ("added" if new else "removed")
    names = POSITION_FIELDS if status == "changed" else POSITION_FIELDS[1:]
    result = PositionDiff(
        role=shown.role,
        party=shown.party,
        status=status,
        changes=_field_changes(old, new, names),
    )
    _compare_passages(old, new, result, judgements)
    if status == "changed" and not (
        result.changes
        or result.passages_added
        or result.passages_removed
        or result.passages_changed
    ):
        return None
    return result


def _passages(position: Position | None) -> list[Passage]:
    if position is None:
        return []
    return [item for item in position.passages if isinstance(item, Passage)]


def _passage_key(passage: Passage) -> tuple[bool, str | None, str]:
    return (passage.is_evidence, passage.source, normalise(passage.quote or ""))


def _summary(passage: Passage, judgements: dict[int, Judgement]) -> PassageSummary:
    kind = "evidence" if passage.is_evidence else "asserted_in"
    judgement = judgements.get(id(passage))
    return PassageSummary(
        kind,
        passage.source,
        passage.quote,
        passage.stance,
        passage.speaker,
        judgement.counts if judgement else None,
        judgement.why_not if judgement else None,
    )


def _compare_passages(
    old: Position | None,
    new: Position | None,
    result: PositionDiff,
    judgements: dict[int, Judgement],
) -> None:
    """Passages are the same when list, source and normalised quote agree (rewrapping a
    quote is no change); for those, a changed stance, speaker, credibility or note shows."""
    remaining = _passages(new)
    for before in _passages(old):
        key = _passage_key(before)
        after = next((item for item in remaining if _passage_key(item) == key), None)
        if after is None:
            result.passages_removed.append(_summary(before, judgements))
            continue
        remaining.remove(after)
        changes = _field_changes(before, after, PASSAGE_DETAIL_FIELDS)
        if changes:
            result.passages_changed.append(
                PassageChange(_summary(after, judgements), tuple(changes))
            )
    result.passages_added = [_summary(item, judgements) for item in remaining]


def _field_changes(old: object | None, new: object | None, names: Iterable[str]) -> list[Change]:
    changes = []
    for name in names:
        before = _text(getattr(old, name, None))
        after = _text(getattr(new, name, None))
        if before != after:
            changes.append(Change(name, before, after))
    return changes


def _text(value: object) -> str | None:
    """A field's value as shown: text as written, id lists joined by commas."""
    if value is None or value == ():
        return None
    if isinstance(value, tuple):
        return ", ".join(item.id if isinstance(item, Ref) else str(item) for item in value)
    return str(value)


def _stem(path: str) -> str:
    return PurePosixPath(path).stem


# Catalogue and settings --------------------------------------------------------------

_Environment = tuple[Catalogue, int]


def _catalogue_changes(base: Validation, head: Validation) -> list[CatalogueChange]:
    old_env = (base.archive.catalogue, base.archive.workspace.settings.min_independent_origins)
    new_env = (head.archive.catalogue, head.archive.workspace.settings.min_independent_origins)
    # settings first: a pull request that changes how everything is judged says so first
    changes = [*_setting_changes(base, head), *entry_changes(old_env[0], new_env[0])]
    positions = [
        (dispute, position)
        for dispute in head.archive.disputes
        for position in _positions(dispute)
        if position.party is not None
    ]
    moved = []  # positions whose computed result differs between the two catalogues
    for dispute, position in positions:
        before = assess(dispute, position, *old_env)
        after = assess(dispute, position, *new_env)
        if _computed(before) != _computed(after):
            moved.append((dispute, position, before, after))
    # Attributing the moved positions to each change re-assesses them once per change:
    # bounded, so 3,000 changed catalogue entries cannot make a diff quadratic.
    size = len(new_env[0].sources) + len(new_env[0].parties) + len(new_env[0].sides) + 1
    budget = MAX_ATTRIBUTION_WORK
    for change in changes:
        budget -= (2 * len(moved) + 2) * size if moved else 0
        if budget < 0:
            change.unattributed = bool(moved)
            continue
        forward = _apply(old_env, new_env, change)
        backward = _apply(new_env, old_env, change)
        change.affects = [
            _impact(dispute.id, position, before, after)
            for dispute, position, before, after in moved
            if _computed(assess(dispute, position, *forward)) != _computed(before)
            or _computed(assess(dispute, position, *backward)) != _computed(after)
        ]
    return changes


def entry_changes(old: Catalogue, new: Catalogue) -> list[CatalogueChange]:
    changes = []
    for kind, table in CATALOGUE_TABLES:
        before, after = getattr(old, table), getattr(new, table)
        for key in sorted(before.keys() | after.keys()):
            status = (
                "changed"
                if key in before and key in after
                else "added"
                if key in after
                else "removed"
            )
            entry = after.get(key) or before.get(key)
            names = [item.name for item in fields(entry) if item.name not in _RECORD_FIELDS]
            differences = _field_changes(before.get(key), after.get(key), names)
            if status != "changed" or differences:
                changes.append(CatalogueChange(kind, key, status, differences))
    return changes


def _setting_changes(base: Validation, head: Validation) -> list[CatalogueChange]:
    old = base.archive.workspace.settings
    new = head.archive.workspace.settings
    changes = []
    for item in fields(Settings):
        before, after = (
            _setting_text(getattr(old, item.name)),
            _setting_text(getattr(new, item.name)),
        )
        if before != after:
            changes.append(
                CatalogueChange("setting", item.name, "changed", [Change(item.name, before, after)])
            )
    return changes


def _setting_text(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}: {level}" for key, level in sorted(value.items()))
    if isinstance(value, frozenset):
        return ", ".join(sorted(value))
    return str(value)


def _apply(target: _Environment, source: _Environment, change: CatalogueChange) -> _Environment:
    """``target`` with this one change taken from ``source``: the change's effect alone."""
    catalogue, min_origins = target
    if change.kind == "setting":
        if change.id == "min_independent_origins":
            return catalogue, source[1]
        return target
    table = dict(CATALOGUE_TABLES)[change.kind]
    copy = Catalogue(dict(catalogue.sides), dict(catalogue.parties), dict(catalogue.sources))
    entries, other = getattr(copy, table), getattr(source[0], table)
    if change.id in other:
        entries[change.id] = other[change.id]
    else:
        entries.pop(change.id, None)
    return copy, min_origins


def _computed(assessment: Assessment) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
    return (
        assessment.corroboration,
        tuple(sorted(assessment.supporting)),
        tuple(sorted(assessment.refuting)),
    )


def _impact(dispute_id: str, position: Position, before: Assessment, after: Assessment) -> Impact:
    return Impact(
        dispute=dispute_id,
        role=position.role,
        party=position.party,
        corroboration=Change("corroboration", before.corroboration, after.corroboration),
        independent_origins=Change(
            "independent_origins",
            _text(tuple(sorted(before.independent_origins))),
            _text(tuple(sorted(after.independent_origins))),
        ),
    )


# Invalid files ----------------------------------------------------------------------


def _invalid_files(base: Validation, head: Validation) -> list[InvalidOnEitherSide]:
    paths = sorted(set(base.archive.paths) | set(head.archive.paths))
    base_errors, head_errors = _errors_by_path(base), _errors_by_path(head)
    result = []
    for path in paths:
        old, new = _file_state(base, path, base_errors), _file_state(head, path, head_errors)
        if "invalid" in (old.state, new.state):
            result.append(InvalidOnEitherSide(path, old, new))
    return result


def _by_path(item: InvalidOnEitherSide) -> str:
    return item.path


def _errors_by_path(validation: Validation) -> dict[str, list[str]]:
    """Each file's errors as the invalid-files table words them, in one pass over the
    findings (a scan per file would be quadratic in a large workspace)."""
    errors: dict[str, list[str]] = {}
    for item in validation.result.findings:
        if item.severity is Severity.ERROR:
            errors.setdefault(item.path, []).append(
                f"line {item.line}, column {item.column}: {item.code} {item.message}"
            )
    return errors


def _file_state(
    validation: Validation, path: str, errors_by_path: dict[str, list[str]]
) -> FileState:
    if not (validation.archive.workspace.root / path).is_file():
        return FileState("absent")
    errors = tuple(errors_by_path.get(path, ()))
    return FileState("invalid" if errors else "valid", errors)
