"""Round-trip editing of the desk's YAML files, keeping every comment and every word.

Fact-checkers write these files by hand and annotate them with comments; a tool that
rewrites them must keep every comment and every word. ``fmt``, ``new`` and ``add-source``
therefore edit through ruamel.yaml's round-trip mode, after the safe positioned reader has
refused anything unsafe or malformed (a file with an FC0xx finding is never rewritten).

The canonical layout: keys in the order ``workspace/schema.py`` declares (unknown keys keep their
place after the known ones), two-space indentation with list items indented under their
key, and long text as folded block scalars (``>-``). Every scalar stays text exactly as
the safe reader sees it (no dates, numbers or booleans are constructed, so ``null``,
``yes`` or ``2024-02-30`` come back as written), quoted scalars keep their quotes, and
existing block scalars keep their line breaks, which makes a second run change nothing.

ruamel.yaml stores the comment lines that precede a key inside the token of whatever
came before it, which would make comments wander when keys are reordered. Before
reordering, every comment is therefore detached into a plan (end-of-line comments stay
with their key, full-line comments go with the key they precede), and reattached after,
re-indented by as much as their key moved. The result is then verified: reread, it must
hold the same values and the same comments as the original, or nothing is written.
"""

from __future__ import annotations

import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from collections.abc import Mapping as AnyMapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from factcheck.files.yamlnodes import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    load_text,
)
from factcheck.workspace import schema

WIDTH = 88
"""Lines of text are folded to fit this many columns, like the examples in docs/formats.md."""

MIN_FOLD_WIDTH = 40
INDENT = 2
MAX_FORMAT_VALUES = 10_000
MAX_FORMAT_BYTES = 256 << 10
"""More values, and more bytes, than any honest claim file holds (the largest has a few
hundred values in a few kilobytes). The round-trip writer is pure Python: a file of
300,000 list items would take it minutes, and a one-megabyte line about five seconds."""


class FormatError(Exception):
    """A file that cannot be put in the canonical layout without changing its content."""


class _TextResolver(VersionedResolver):
    """Resolves every plain scalar as text, as the safe reader does.

    Without it ruamel.yaml would construct ``2024-02-30`` as a date (and fail), turn
    ``null`` into an empty value on output, or rewrite numbers; with it a scalar is
    written back exactly as it was read.
    """

    @property
    def versioned_resolver(self) -> Any:
        return {}


def make_yaml(width: int = 4096) -> YAML:
    """A round-trip reader and writer with the canonical indentation.

    The emitter's own line width is huge so that it never re-wraps a plain or quoted
    scalar; folding long text is decided here, with explicit fold positions.
    """
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _TextResolver
    yaml.preserve_quotes = True
    yaml.indent(mapping=INDENT, sequence=2 * INDENT, offset=INDENT)
    yaml.width = width
    return yaml


def dump(data: Any, *, explicit_start: bool = False) -> str:
    """Round-trip data as text in the canonical layout."""
    yaml = make_yaml()
    yaml.explicit_start = explicit_start
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


# --- folding long text -----------------------------------------------------------------------

_BLOCK_UNSAFE = re.compile("[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\U0010ffff]")


def foldable(text: str) -> bool:
    """Whether a text reads back unchanged from a folded block scalar (``>-``).

    A folded scalar cannot hold line breaks, leading or trailing white space, or
    characters that YAML only allows escaped; such text keeps its original style.
    """
    return (
        bool(text) and text == text.strip() and not _BLOCK_UNSAFE.search(text) and "\t" not in text
    )


def fold_positions(text: str, width: int) -> list[int]:
    """Where to break a text so each line fits ``width`` characters, at single spaces only.

    A line break in a folded scalar reads back as one space, so only a space with a
    non-space on both sides may become one; a word longer than the width stays whole.
    """
    candidates = [
        index
        for index in range(1, len(text) - 1)
        if text[index] == " " and text[index - 1] != " " and text[index + 1] != " "
    ]
    positions: list[int] = []
    start = 0
    previous: int | None = None
    for index in [*candidates, len(text)]:
        if index - start > width and previous is not None and previous > start:
            positions.append(previous)
            start = previous + 1
        previous = index
    return positions


def folded(text: str, column: int) -> FoldedScalarString:
    """Text as a folded block scalar whose lines, indented at ``column``, fit the width."""
    scalar = FoldedScalarString(text)
    scalar.fold_pos = fold_positions(text, max(WIDTH - column, MIN_FOLD_WIDTH))
    return scalar


def text_value(text: str, key_width: int, column: int) -> str:
    """The value to write for a text: folded when it is long and folding keeps it intact.

    ``key_width`` is what stands before the value on its line (``quote: `` or ``- ``),
    ``column`` the indentation of that line.
    """
    if _is_block(text) or not isinstance(text, str):
        return text
    quotes = 2 if isinstance(text, SingleQuotedScalarString | DoubleQuotedScalarString) else 0
    if column + key_width + len(text) + quotes <= WIDTH or not foldable(text):
        return text
    return folded(str(text), column + INDENT)


def _is_block(value: Any) -> bool:
    return isinstance(value, FoldedScalarString | LiteralScalarString)


def _is_flow(node: Any) -> bool:
    return bool(node.fa.flow_style())


# --- the canonical layout --------------------------------------------------------------------


def canonicalise(node: Any, spec: schema.RecordSpec, column: int, fold: bool) -> None:
    """Put a record's keys in the declared order and fold its long text, recursively."""
    if not _is_block_map(node):
        return
    known = [name for name in spec.names if name in node]
    unknown = [key for key in node if key not in spec.names]
    for key in known + unknown:
        node.move_to_end(key)
    for key in known:
        spec_field = spec.field(key)
        assert spec_field is not None
        _canonical_value(node, key, spec_field, column, fold)


def _canonical_value(
    node: CommentedMap, key: str, spec_field: schema.Field, column: int, fold: bool
) -> None:
    """One field's value in the canonical layout, by the kind of value it declares."""
    value = node[key]
    inner = column + INDENT
    record = spec_field.record
    if spec_field.kind == schema.RECORD and record:
        canonicalise(value, record, inner, fold)
    elif spec_field.kind == schema.RECORD_LIST and record:
        if isinstance(value, CommentedSeq) and not _is_flow(value):
            for item in value:
                canonicalise(item, record, inner + INDENT, fold)
    elif spec_field.kind in (schema.RECORD_MAP, schema.TEXT_MAP) and _is_block_map(value):
        _canonical_entries(value, record, inner, fold)
    elif spec_field.kind == schema.TEXT and fold:
        node[key] = text_value(value, len(key) + 2, column)


def _canonical_entries(
    entries: CommentedMap, record: schema.RecordSpec | None, column: int, fold: bool
) -> None:
    """The entries of a map by id: records in their layout, or one-line texts folded."""
    for entry in entries:
        if record:
            canonicalise(entries[entry], record, column + INDENT, fold)
        elif fold:
            entries[entry] = text_value(entries[entry], len(str(entry)) + 2, column)


def _is_block_map(node: Any) -> bool:
    return isinstance(node, CommentedMap) and not _is_flow(node)


# --- comments --------------------------------------------------------------------------------


@dataclass(eq=False)
class _Slot:
    """A key of a block mapping or an item of a block sequence, in the order written.

    ``anchor`` is the column the comment lines above it line up with: the key's column,
    or the dash's for the first key of a list item.
    """

    container: Any
    key: Any
    anchor: int
    column: int
    eol: tuple[str, int] | None = None
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)
    leads: bool = False
    old_anchor: int = 0
    blocks: tuple[_Block, ...] = ()

    @property
    def value(self) -> Any:
        return self.container[self.key]


_Block = tuple[int, int, int]
"""A block collection as ``(id, old column, new column)`` of its keys or dashes."""


def _slots(
    node: Any, column: int, anchor: int | None = None, blocks: tuple[_Block, ...] = ()
) -> Iterator[_Slot]:
    """Every slot under a block collection, in the order the emitter writes them.

    ``column`` is where the collection's keys (or dashes) are written; ``anchor`` carries
    a dash's column down to the first key of its list item; ``blocks`` are the enclosing
    block collections, outermost first.
    """
    if isinstance(node, CommentedMap) and not _is_flow(node):
        keys = list(node)
        inside = (*blocks, (id(node), _old_column(node, keys[0]) if keys else 0, column))
        for index, key in enumerate(keys):
            first = anchor is not None and index == 0
            old = _old_column(node, key)
            yield _Slot(
                node,
                key,
                anchor if first and anchor is not None else column,
                column,
                leads=first,
                old_anchor=max(old - INDENT, 0) if first else old,
                blocks=inside,
            )
            yield from _slots(node[key], column + INDENT, None, inside)
    elif isinstance(node, CommentedSeq) and not _is_flow(node):
        dash = max(_old_column(node, 0) - INDENT, 0) if len(node) else 0
        inside = (*blocks, (id(node), dash, column))
        for index, item in enumerate(node):
            inherited = anchor if (anchor is not None and index == 0) else column
            if isinstance(item, CommentedMap | CommentedSeq) and item and not _is_flow(item):
                yield from _slots(item, column + INDENT, inherited, inside)
            else:
                old = max(_old_column(node, index) - INDENT, 0)
                leads = anchor is not None and index == 0
                yield _Slot(
                    node, index, inherited, column, leads=leads, old_anchor=old, blocks=inside
                )


def _old_column(node: CommentedMap | CommentedSeq, key: Any) -> int:
    """Where a key (or a list item's value) stood in the original text."""
    try:
        where = node.lc.key(key) if isinstance(node, CommentedMap) else node.lc.item(key)
        return int(where[1])
    except (AttributeError, KeyError, IndexError, TypeError):
        return 0


def _token_lines(token: Any, has_eol: bool) -> tuple[tuple[str, int] | None, list[str]]:
    """Split a comment token into its end-of-line comment and the full lines after it."""
    if not isinstance(token, CommentToken):
        return None, []
    parts = token.value.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    if not parts:
        return None, []
    first, rest = parts[0], parts[1:]
    eol = None
    lines: list[str] = []
    if has_eol:
        if first.strip():
            eol = (first.strip(), token.column)
    else:
        lines.append(" " * token.column + first.strip() if first.strip() else "")
    lines += [line.rstrip() if line.strip() else "" for line in rest]
    return eol, lines


def _full_lines(tokens: Any) -> list[str]:
    lines: list[str] = []
    for token in tokens or ():
        lines += _token_lines(token, has_eol=False)[1]
    return lines


class CommentPlan:
    """Every comment of a document, detached from ruamel.yaml's tokens and tied to keys."""

    def __init__(self, root: CommentedMap) -> None:
        self.slots: dict[tuple[int, Any], _Slot] = {}
        order = list(_slots(root, 0))
        for slot in order:
            self.slots[(id(slot.container), slot.key)] = slot
        self.header: list[str] = []
        self.footer: list[str] = []
        self.item_before: dict[int, list[str]] = {}
        self.block_end: dict[int, list[tuple[int, str]]] = {}
        top = _full_lines(root.ca.comment[1] if root.ca.comment else None)
        seen: set[int] = set()
        for slot in order:
            self._detach(slot, seen)
        for container in _containers(root):
            if container is not root:
                container.ca.comment = None
            end = getattr(container.ca, "end", None)
            if end:
                trailing = _full_lines(end)
                container.ca.end = []
                inside = {id(item) for item in _containers(container)}
                owned = [slot for slot in order if id(slot.container) in inside]
                if owned:
                    owned[-1].after += trailing
                else:
                    self.footer += trailing
        root.ca.comment = None
        if order:
            order[0].before = top + order[0].before
            blank = max((i for i, line in enumerate(order[0].before) if not line), default=-1)
            self.header = order[0].before[: blank + 1]
            order[0].before = order[0].before[blank + 1 :]
            for current, following in itertools.pairwise(order):
                following.before = (
                    self._split_tail(current, following.old_anchor) + following.before
                )
            self.footer = self._split_tail(order[-1], 0) + self.footer
            for slot in order:
                slot.after = []
                if slot.leads:  # lines above a list item's dash stay above the item
                    self.item_before[id(slot.container)] = slot.before
                    slot.before = []
        else:
            self.header = top

    def _split_tail(self, current: _Slot, next_column: int) -> list[str]:
        """Keep the lines that close a block with it; return those above the next key.

        Comment lines indented deeper than the next key (a commented-out field at the end
        of a position, say) end the deepest enclosing block they are indented into, and
        stay at its end wherever its keys move; the rest belong to the key below them.
        """
        lines = current.after
        end = max(
            (
                index + 1
                for index, line in enumerate(lines)
                if line and _indent_of(line) > next_column
            ),
            default=0,
        )
        for line in lines[:end]:
            indent = _indent_of(line) if line else 0
            block = current.blocks[-1]
            for candidate in current.blocks:
                if candidate[1] <= indent:
                    block = candidate
            self.block_end.setdefault(block[0], []).append((indent - block[1], line))
        return lines[end:]

    def _detach(self, slot: _Slot, seen: set[int]) -> None:
        items = slot.container.ca.items
        entry = items.pop(slot.key, None)
        if not entry:
            return
        block = _is_block(slot.value)
        if isinstance(slot.container, CommentedMap):
            pre = entry[1] if len(entry) > 1 else None
            token = entry[2] if len(entry) > 2 else None
            inner = entry[3] if len(entry) > 3 else None
            slot.before += _full_lines(pre)
            if token is not None and id(token) not in seen:
                seen.add(id(token))
                slot.eol, slot.after = _token_lines(token, has_eol=not block)
            if block and inner:
                items[slot.key] = [None, None, None, inner]  # the comment after '>-'
            elif inner:
                slot.after += _full_lines(inner)
        else:
            token = entry[0]
            slot.before += _full_lines(entry[1] if len(entry) > 1 else None)
            if token is not None and id(token) not in seen:
                seen.add(id(token))
                slot.eol, slot.after = _token_lines(token, has_eol=not block)

    def attach(self, root: CommentedMap) -> None:
        """Write the comments back into the (reordered) document's tokens."""
        order = []
        for fresh in _slots(root, 0):
            old = self.slots.get((id(fresh.container), fresh.key))
            if old is not None:
                fresh.eol, fresh.before = old.eol, old.before
            if fresh.leads:
                fresh.before = self.item_before.pop(id(fresh.container), []) + fresh.before
            order.append(fresh)
        if not order:
            _set_top(root, self.header + self.footer)
            return
        _set_top(root, self.header + _reindent(order[0].before, order[0], None))
        last = {block[0]: index for index, slot in enumerate(order) for block in slot.blocks}
        for index, slot in enumerate(order):
            if index + 1 < len(order):
                following = order[index + 1]
                lines = _reindent(following.before, following, slot)
            else:
                lines = [line.lstrip(" ") for line in self.footer]
            tail = [
                _indented(line, column + offset)
                for block, _, column in reversed(slot.blocks)
                if last[block] == index
                for offset, line in self.block_end.get(block, ())
            ]
            _attach_slot(slot, _clamp(tail + lines, slot))


def _indented(line: str, indent: int) -> str:
    return " " * max(indent, 0) + line.lstrip(" ") if line else ""


def _containers(node: Any) -> Iterator[Any]:
    if isinstance(node, CommentedMap):
        yield node
        for value in node.values():
            yield from _containers(value)
    elif isinstance(node, CommentedSeq):
        yield node
        for value in node:
            yield from _containers(value)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _reindent(lines: list[str], following: _Slot, previous: _Slot | None) -> list[str]:
    """Indent comment lines like the key (or dash) they stand above."""
    moved = [" " * following.anchor + line.lstrip(" ") if line else "" for line in lines]
    return _clamp(moved, previous) if previous is not None else moved


def _clamp(lines: list[str], previous: _Slot) -> list[str]:
    """After a block scalar, a comment indented as deep as its text would become text."""
    if not _is_block(previous.value):
        return lines
    limit = previous.column + 1
    return [" " * min(_indent_of(line), limit) + line.lstrip(" ") if line else "" for line in lines]


def _set_top(root: CommentedMap, lines: list[str]) -> None:
    if lines:
        root.ca.comment = [None, [_token(lines, block=True)]]


def _token(lines: list[str], block: bool, eol: tuple[str, int] | None = None) -> CommentToken:
    if block:
        first = lines[0]
        value = "\n".join([first.lstrip(" "), *lines[1:]]) + "\n"
        return CommentToken(value, CommentMark(_indent_of(first) if first else 0), None)
    text, column = eol if eol else ("", 0)
    value = "\n".join([text, *lines]) + "\n"
    return CommentToken(value, CommentMark(column), None)


def _attach_slot(slot: _Slot, lines: list[str]) -> None:
    items = slot.container.ca.items
    in_mapping = isinstance(slot.container, CommentedMap)
    if _is_block(slot.value):
        entry = items.get(slot.key) or [None, None, None, None]
        if slot.eol is not None and in_mapping:
            # a text that became a folded scalar: its comment moves after the '>-'
            entry[3] = [f"  {slot.eol[0]}"]
        elif slot.eol is not None:
            lines = [" " * slot.column + slot.eol[0], *lines]
        if lines:
            entry[2 if in_mapping else 0] = _token(lines, block=True)
        if any(entry):
            items[slot.key] = entry
        return
    if slot.eol is None and not lines:
        return
    token = _token(lines, False, slot.eol)
    items[slot.key] = [None, None, token, None] if in_mapping else [token, None, None, None]


# --- verification ----------------------------------------------------------------------------


def plain_data(text: str) -> Any:
    """What a text holds as the safe reader sees it: mappings, lists and text."""
    document = load_text(text, "formatted text")
    if document.root is None:
        problem = document.findings[0].message if document.findings else "no mapping"
        raise FormatError(problem)
    return _plain(document.root)


def _plain(node: Node) -> Any:
    if isinstance(node, Mapping):
        return {key: _plain(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [_plain(item) for item in node.items]
    assert isinstance(node, Scalar)
    return node.text


def count_values(root: Node) -> int:
    """How many keys and values a tree holds, counted without recursion."""
    count, pending = 0, [root]
    while pending:
        node = pending.pop()
        count += 1
        if isinstance(node, Mapping):
            count += len(node.entries)
            pending.extend(value for _, value in node.entries.values())
        elif isinstance(node, Sequence):
            pending.extend(node.items)
    return count


def comments(text: str) -> Counter[str]:
    """Every comment of a YAML text, found outside the scalars the parser reports."""
    spans = []
    for event in YAML(typ="safe", pure=True).parse(text):
        if type(event).__name__ == "ScalarEvent":
            start = event.start_mark.index
            if event.style in ("|", ">"):  # the header line may end in a comment
                start = text.find("\n", start) + 1 or len(text)
            spans.append((start, event.end_mark.index))
    spans.sort()
    found: Counter[str] = Counter()
    index = 0
    span = 0
    length = len(text)
    while index < length:
        while span < len(spans) and spans[span][1] <= index:
            span += 1
        if span < len(spans) and spans[span][0] <= index < spans[span][1]:
            index = spans[span][1]
            continue
        if text[index] == "#" and (index == 0 or text[index - 1] in " \t\r\n"):
            end = text.find("\n", index)
            end = length if end < 0 else end
            found[text[index:end].rstrip()] += 1
            index = end
            continue
        index += 1
    return found


# --- formatting a text -----------------------------------------------------------------------


def format_text(text: str, spec: schema.RecordSpec) -> str:
    """The canonical layout of a file's text (which the safe reader has accepted).

    Raises ``FormatError`` when the layout cannot be reached without changing a value or
    losing a comment; folding long text is dropped first, in case it was the cause.
    """
    expected = plain_data(text)
    expected_comments = comments(text)
    problem = ""
    for fold in (True, False):
        try:
            result = _layout(text, spec, fold)
        except YAMLError as error:
            problem = f"the YAML writer failed: {' '.join(str(error).split())}"
            continue
        if plain_data(result) != expected:
            problem = "a value would change"
        elif comments(result) != expected_comments:
            problem = "a comment would be lost or changed"
        else:
            return result
    raise FormatError(problem)


def _layout(text: str, spec: schema.RecordSpec, fold: bool) -> str:
    return _rewrite(text, lambda data: canonicalise(data, spec, 0, fold))


def edit_text(text: str, change: Callable[[CommentedMap], None]) -> str:
    """Apply a change to a document's data and write it back with every comment kept.

    The rest of the document keeps its values and comments (verified); keys the change
    adds are written in the canonical layout.
    """
    result = _rewrite(text, change)
    if comments(result) != comments(text):
        raise FormatError("a comment would be lost or changed")
    return result


def with_entry(
    text: str | None,
    section: str,
    key: str,
    values: AnyMapping[str, str | list[str] | None],
    spec: schema.RecordSpec,
) -> str:
    """A catalogue's text with one more entry under ``section``, written in the declared
    key order and canonical layout; every value and comment of the rest is kept."""
    entry = CommentedMap()
    for name in spec.names:
        value = values.get(name)
        if isinstance(value, list):
            entry[name] = CommentedSeq(value)
            entry[name].fa.set_flow_style()
        elif value is not None:
            entry[name] = text_value(value, len(name) + 2, 4)
    if text is None:
        return dump({section: CommentedMap({key: entry})})

    def add(data: CommentedMap) -> None:
        entries = data.get(section)
        if not isinstance(entries, CommentedMap):
            entries = CommentedMap()
            data[section] = entries
        entries.fa.set_block_style()
        entries[key] = entry

    new_text = edit_text(text, add)
    expected = {
        name: value if isinstance(value, list) else str(value) for name, value in entry.items()
    }
    if plain_data(new_text)[section][key] != expected:
        raise FormatError("the new entry did not read back as written")  # pragma: no cover
    return new_text


def _rewrite(text: str, change: Callable[[CommentedMap], None]) -> str:
    data = make_yaml().load(text)
    if not isinstance(data, CommentedMap):
        raise FormatError("the file does not hold a mapping")
    _unfold_commented_flow(data)
    plan = CommentPlan(data)
    change(data)
    plan.attach(data)
    return dump(data, explicit_start=_starts_explicitly(text.splitlines()))


def _unfold_commented_flow(node: Any) -> bool:
    """Write flow collections that hold comments in block style, where comments have a line.

    Returns whether the node holds a comment. A flow collection such as ``[a, b]`` is
    written on one line, which has no room for a comment that stood between its items.
    """
    if not isinstance(node, CommentedMap | CommentedSeq):
        return False
    flow = _is_flow(node)
    values = node.values() if isinstance(node, CommentedMap) else node
    holds = [_unfold_commented_flow(value) for value in values]
    commented = (
        any(holds)
        or any(any(part for part in entry) for entry in node.ca.items.values())
        or bool(getattr(node.ca, "end", None))
    )
    if flow and commented and len(node):
        _block_style(node)
    return commented


def _block_style(node: Any) -> None:
    if isinstance(node, CommentedMap | CommentedSeq) and len(node):
        node.fa.set_block_style()
        for value in node.values() if isinstance(node, CommentedMap) else node:
            _block_style(value)


def _starts_explicitly(lines: list[str]) -> bool:
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return stripped == "---" or stripped.startswith("--- ")
    return False
