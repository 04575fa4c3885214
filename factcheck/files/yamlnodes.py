"""Fast, safe, positioned YAML reading.

Claim files arrive in pull requests from anyone, so this reader treats them as hostile: it
never constructs Python objects from tags, never follows aliases, refuses anchors, tags and
merge keys outright, and stops at a nesting depth or file size that no honest claim file
needs. Instead of ruamel.yaml's composer and constructor it turns the parser's *events*
into small node objects of its own; every node keeps the 1-based line and column where it
starts, so every finding can point at the exact place. The libyaml-based C parser is used
when it is installed (it is about four times faster than composing with ruamel.yaml); a
syntax error it reports is confirmed with the pure-Python parser, which is also the
fallback where libyaml is missing. Both go through the same builder, so they refuse the
same things; where they read a text differently is pinned by the YAML test suite.

Scalars stay text. Only the model decides, field by field, whether a value is a date, an
integer or a boolean, so YAML 1.1 surprises (``no`` becoming ``False``) cannot happen.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from factcheck.findings import Finding, finding

try:  # the C parser ships as the ruamel.yaml.clib extra; the pure parser always works
    from ruamel.yaml.cyaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on the installation
    _CParser = None

MAX_FILE_BYTES = 1 << 20
MAX_DEPTH = 32
MAX_UNSAFE_FINDINGS = 10
C_PARSER_AVAILABLE = _CParser is not None


@dataclass(frozen=True, slots=True)
class Location:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(slots=True)
class Scalar:
    """A text value as written; ``plain`` is False for quoted and block scalars."""

    at: Location
    text: str
    plain: bool = True

    @property
    def is_null(self) -> bool:
        return self.plain and self.text in _NULLS

    def kind(self) -> str:
        """What a YAML 1.2 core-schema reader would take this value for, in words."""
        if not self.plain:
            return "text"
        if self.text in _NULLS:
            return "null"
        if self.text in _BOOLS:
            return "boolean"
        if _INT.fullmatch(self.text):
            return "integer"
        if _FLOAT.fullmatch(self.text):
            return "number"
        return "text"


@dataclass(slots=True)
class Sequence:
    """A YAML list; each item is a positioned node."""

    at: Location
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Mapping:
    """A YAML mapping with text keys, in file order; duplicate keys keep the first value."""

    at: Location
    entries: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_at(self, key: str) -> Location:
        return self.entries[key][0].at


Node = Scalar | Sequence | Mapping

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = frozenset({"true", "True", "TRUE", "false", "False", "FALSE"})
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def describe(node: Node) -> str:
    """Name a node's type as a user would: text, a list, a mapping, null, a number."""
    if isinstance(node, Mapping):
        return "a mapping"
    if isinstance(node, Sequence):
        return "a list"
    kind = node.kind()
    return {"integer": "a number", "number": "a number", "boolean": "a boolean"}.get(kind, kind)


@dataclass
class Document:
    """The result of reading one file: its root mapping, or the findings that prevent one."""

    root: Mapping | None
    findings: list[Finding]


def read_bytes(
    path: str | os.PathLike[str], display: str, limit: int = MAX_FILE_BYTES
) -> tuple[bytes | None, Finding | None]:
    """Read a regular file of at most ``limit`` bytes safely (see ``read_file``)."""
    data, problem, _ = read_file(path, display, limit)
    return data, problem


def read_file(
    path: str | os.PathLike[str], display: str, limit: int = MAX_FILE_BYTES
) -> tuple[bytes | None, Finding | None, os.stat_result | None]:
    """Read a regular file of at most ``limit`` bytes (one more detects oversize) safely,
    with its ``fstat`` taken before reading (the cache records the size and mtime the bytes
    had, so a change after this is seen next time).

    The file is opened without blocking and checked to be a regular file before reading,
    so a FIFO or device in a pull request cannot hang the run.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        return None, _cannot_read(display, error), None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return (
                None,
                finding(display, 1, 1, "FC204", "not a regular file; use a plain file"),
                None,
            )
        if info.st_size > limit:
            return None, _oversized(display, info.st_size, limit), None
        data = _read_up_to(fd, limit + 1, info.st_size)
    except OSError as error:
        return None, _cannot_read(display, error), None
    finally:
        os.close(fd)
    if len(data) > limit:  # it grew since fstat
        return None, _oversized(display, len(data), limit), None
    return data, None, info


def read_chunks(path: str | os.PathLike[str], limit: int) -> Iterator[bytes]:
    """A regular file of at most ``limit`` bytes, a megabyte at a time, opened as
    ``read_file`` opens it (without blocking); nothing when it is anything else. For
    checking a large file (the cache's signature) without holding it in memory."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return
        size = 0
        while size <= limit and (chunk := os.read(fd, 1 << 20)):
            size += len(chunk)
            yield chunk
    except OSError:
        return
    finally:
        os.close(fd)


def _cannot_read(display: str, error: OSError) -> Finding:
    return finding(display, 1, 1, "FC204", f"cannot read file: {error.strerror}")


def _read_up_to(fd: int, most: int, expected: int) -> bytes:
    """At most ``most`` bytes from a file descriptor, in as few reads as the size allows.

    Plain ``os.read`` calls rather than a buffered file object: creating one per file was
    most of the time spent reading a large archive. A file that grew since ``fstat`` is
    read on, up to ``most``, so its real size is what counts.
    """
    parts: list[bytes] = []
    size = 0
    while size < most:
        chunk = os.read(fd, min(most - size, max(expected + 1 - size, 1 << 16)))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _oversized(display: str, size: int, limit: int = MAX_FILE_BYTES) -> Finding:
    return finding(
        display,
        1,
        1,
        "FC004",
        f"file is {size} bytes, over the {limit >> 20} MiB limit; split it into smaller files",
    )


def decode_text(data: bytes, display: str) -> tuple[str | None, Finding | None]:
    """Decode UTF-8 (a leading BOM is allowed), or say where the first bad byte is."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _byte_position(data, error.start)
        byte = data[error.start : error.start + 1].hex()
        message = f"not UTF-8 text: byte 0x{byte} cannot be decoded; save the file as UTF-8"
        return None, finding(display, line, column, "FC005", message)
    if text.startswith("\ufeff"):
        text = text[1:]
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _text_position(text, nul)
        message = "not text: the file contains a NUL byte; save it as plain UTF-8 text"
        return None, finding(display, line, column, "FC005", message)
    return text, None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    prefix = data[:offset].decode("utf-8", errors="replace")
    return _text_position(prefix, len(prefix))


LINE_BREAK = re.compile(r"\r\n|\r|\n")
"""A line break as YAML counts it: CR LF, CR or LF."""


def _text_position(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character, counting line breaks as YAML does
    (CR, LF or both), so a finding in a file with old Mac line ends is on its line."""
    line, start = 1, 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line, start = line + 1, match.end()
    return line, index - start + 1


def load_file(path: str | os.PathLike[str], display: str, *, pure: bool = False) -> Document:
    """Read, decode and parse one YAML file into positioned nodes."""
    data, problem = read_bytes(path, display)
    if problem is not None or data is None:
        return Document(None, [problem] if problem else [])
    return load_bytes(data, display, pure=pure)


def load_bytes(data: bytes, display: str, *, pure: bool = False) -> Document:
    """Decode and parse YAML bytes into positioned nodes (see ``load_text``)."""
    if len(data) > MAX_FILE_BYTES:
        return Document(None, [_oversized(display, len(data))])
    text, problem = decode_text(data, display)
    if problem is not None or text is None:
        return Document(None, [problem] if problem else [])
    return load_text(text, display, pure=pure)


def load_text(text: str, display: str, *, pure: bool = False) -> Document:
    """Parse one YAML document into positioned nodes, reporting FC001–FC004 as findings.

    libyaml cannot parse some valid YAML (a block scalar indented with a tab, which is
    what a desk pastes from a document; some flow and explicit-key forms), so a syntax
    error from it is confirmed with ruamel.yaml's pure-Python parser before it is
    reported: what that parser reads is read, under the same safety rules (the same
    builder). The cases where the two still differ are pinned by the YAML test suite
    (``tests/test_yaml_suite.py``).
    """
    document = _parse(text, display, pure)
    if pure or _CParser is None or not _syntax_error(document):
        return document
    confirmed = _parse(text, display, True)
    return document if _syntax_error(confirmed) else confirmed


def _syntax_error(document: Document) -> bool:
    return any(item.code == "FC001" for item in document.findings)


def _parse(text: str, display: str, pure: bool) -> Document:
    """One parser's reading of a text (see ``load_text``)."""
    builder = _Builder(display, text)
    try:
        builder.consume(_events(text, pure))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        builder.findings.append(finding(display, line, column, "FC001", _syntax_message(error)))
        builder.root = None
    except YAMLError as error:  # e.g. the pure reader's "unacceptable character"
        position = _reader_position(text, error)
        builder.findings.append(
            finding(display, *position, "FC001", f"not valid YAML: {_one_line(str(error))}")
        )
        builder.root = None
    except _Stop:
        builder.root = None
    except (AssertionError, AttributeError, IndexError, TypeError, ValueError) as error:
        # the pure parser's own defects on some malformed input (``%YAML 1.3`` trips an
        # assertion): a finding, never a crash
        message = f"not valid YAML: the parser could not read it ({type(error).__name__})"
        builder.findings.append(finding(display, 1, 1, "FC001", message))
        builder.root = None
    return Document(builder.root, builder.findings)


def _events(text: str, pure: bool) -> Any:
    """The parser's events; the C parser's are pulled by a C-level iterator (no generator)."""
    if _CParser is not None and not pure:
        return iter(_CParser(text).get_event, None)
    return _without_surrogates(YAML(typ="safe", pure=True).parse(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(events: Any) -> Any:
    """The pure parser's events, refusing what libyaml refuses: a surrogate written as a
    ``\\u`` escape. Such a text is not Unicode and could not even be printed as UTF-8."""
    for event in events:
        if _SURROGATE.search(getattr(event, "value", None) or ""):
            raise MarkedYAMLError(
                context="while parsing a quoted scalar",
                problem="found invalid Unicode character escape code",
                problem_mark=event.start_mark,
            )
        yield event


def _syntax_message(error: MarkedYAMLError) -> str:
    parts = [part for part in (error.context, error.problem) if part]
    detail = "; ".join(_one_line(part) for part in parts) or "syntax error"
    return f"not valid YAML: {detail}; check indentation, colons and closing brackets or quotes"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _reader_position(text: str, error: YAMLError) -> tuple[int, int]:
    index = getattr(error, "position", None)
    if not isinstance(index, int) or index < 0:
        return 1, 1
    return _text_position(text, index)


class _ComplexKey(Scalar):
    """Stands for a list or mapping used as a key (already reported): its value is
    skipped. A class of its own, not a reserved text, so no key a file spells (even
    ``"\\0complex-key"``) can be taken for it."""

    __slots__ = ()


_BLOCK_STYLES = ("|", ">")
_LOCATION_KEY = 1 << 32  # more columns than any line held in memory can have
_LOCATIONS: dict[int, Location] = {}


def _location(line: int, column: int) -> Location:
    """The 1-based Location of a 0-based parser mark, shared between nodes and files.

    Claim files repeat the same few hundred positions, so sharing one frozen object per
    position saves an allocation per node and most of the memory a large archive needs.
    Positions far down or far right are not kept, which bounds the table.
    """
    at = Location(line + 1, column + 1)
    if line < 4096 and column < 512:
        _LOCATIONS[line * _LOCATION_KEY + column] = at
    return at


def _event_location(event: Any) -> Location:
    mark = event.start_mark
    at = _LOCATIONS.get(mark.line * _LOCATION_KEY + mark.column)
    return at if at is not None else _location(mark.line, mark.column)


def location(line: int, column: int) -> Location:
    """The shared Location of a 1-based position (see ``_location``)."""
    at = _LOCATIONS.get((line - 1) * _LOCATION_KEY + column - 1)
    return at if at is not None else _location(line - 1, column - 1)


_GLUED_HEADER = re.compile(r"[|>][0-9+-]*#")


class _Stop(Exception):
    """Raised inside the builder when reading further would be unsafe or pointless."""


class _Builder:
    """Turns a stream of parser events into positioned nodes, refusing unsafe constructs."""

    def __init__(self, display: str, text: str = "") -> None:
        self.display = display
        self.text = text
        self.findings: list[Finding] = []
        self.root: Mapping | None = None
        self.unsafe = 0

    def check_glued_comment(self, event: Any, header: bool) -> None:
        """Refuse a comment glued to the token before it (``"value"# c``, ``>-#c``,
        ``[a]#c``): YAML requires white space before a comment, and both parsers let
        these through. ``header`` looks after a block scalar's indicators, else after
        the token's end."""
        if header:
            start = event.start_mark.index
            header_match = _GLUED_HEADER.match(self.text, start)
            glued = header_match is not None
            index = header_match.end() - 1 if header_match else -1
        else:
            index = event.end_mark.index
            glued = self.text[index : index + 1] == "#" and self.text[index - 1 : index] in "\"']}"
        if glued and index >= 0:
            line, column = _text_position(self.text, index)
            self.problem(
                Location(line, column),
                "FC001",
                "not valid YAML: a comment must be separated from what comes before it by a "
                "space; write ' #'",
            )
            raise _Stop

    def problem(self, at: Location, code: str, message: str) -> None:
        self.findings.append(finding(self.display, at.line, at.column, code, message))

    def block_text_location(self, index: int, line: int, indicator: Location) -> Location:
        """Where a block scalar's text starts: its first line that is not blank.

        A finding about a quote written as ``quote: >-`` belongs on the quote's words, not
        on the indicator; the parser only marks the indicator.
        """
        text = self.text
        start = text.find("\n", index) + 1
        while start:
            end = text.find("\n", start)
            content = text[start : end if end >= 0 else len(text)]
            line += 1
            if content.strip():
                return _location(line, len(content) - len(content.lstrip(" ")))
            start = end + 1 if end >= 0 else 0
        return indicator

    def refuse(self, at: Location, message: str) -> None:
        """Record an unsafe construct; past a handful there is no point reading on."""
        self.problem(at, "FC004", message)
        self.unsafe += 1
        if self.unsafe >= MAX_UNSAFE_FINDINGS:
            raise _Stop

    def consume(self, events: Any) -> None:
        """Build the tree; this loop runs once per parser event, so it is kept lean.

        Event classes are compared by identity, positions are interned (``_location``),
        and the common cases (a plain scalar; attaching a node to a list, or as a mapping's
        key or value) are handled inline; anything unusual goes through a method of its
        own (``unusual_scalar``, ``begin``, ``close_collection``, ``alias``, ``attach``),
        which keeps the loop short without a call for the common events (measured: the same
        speed on a 0.6 MB file).
        """
        stack: list[Mapping | Sequence] = []
        pending_keys: list[Scalar | None] = []
        documents = 0
        root: Node | None = None
        locations = _LOCATIONS
        for event in events:
            kind = event.__class__
            if kind is ScalarEvent:  # most events: a plain one is built inline
                mark = event.start_mark
                at = locations.get(mark.line * _LOCATION_KEY + mark.column)
                if at is None:
                    at = _location(mark.line, mark.column)
                if event.style or event.anchor is not None or event.tag is not None:
                    node: Node = self.unusual_scalar(event, at)
                else:
                    node = Scalar(at, event.value, True)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                node = self.close_collection(event, stack, pending_keys)
            elif kind is AliasEvent:
                node = self.alias(event)
            else:  # a collection or a document begins; stream and document ends pass
                documents = self.begin(event, stack, pending_keys, documents)
                continue
            if not stack:
                root = node
                continue
            parent = stack[-1]
            if parent.__class__ is Sequence:
                parent.items.append(node)
                continue
            pending = pending_keys[-1]
            if pending is None:
                if node.__class__ is Scalar and not (node.plain and node.text == "<<"):
                    pending_keys[-1] = node
                    continue
            # parent is a Mapping here: the identity test above rules out Sequence, in a way
            # this hot loop can afford but a type checker cannot follow
            elif pending.text not in parent.entries and pending.__class__ is Scalar:  # type: ignore[union-attr]
                parent.entries[pending.text] = (pending, node)  # type: ignore[union-attr]
                pending_keys[-1] = None
                continue
            self.attach(parent, pending_keys, node)
        self.finish(root, documents)

    def unusual_scalar(self, event: Any, at: Location) -> Scalar:
        """A quoted or block scalar, or one with an anchor or a tag: refused when unsafe,
        a comment glued to it found, a block's text located at its first line."""
        if event.anchor is not None or event.tag is not None:
            self.check_safe(event, at)
        if event.style:  # quoted or block: a comment may be glued to it
            self.check_glued_comment(event, event.style in _BLOCK_STYLES)
        if event.style in _BLOCK_STYLES and event.value:
            at = self.block_text_location(event.start_mark.index, event.start_mark.line, at)
        return Scalar(at, event.value, not event.style)

    def begin(
        self,
        event: Any,
        stack: list[Mapping | Sequence],
        pending_keys: list[Scalar | None],
        documents: int,
    ) -> int:
        """A mapping, a list or a document begins; the count of documents so far."""
        kind = event.__class__
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            self.open_collection(event, stack, pending_keys)
        elif kind is DocumentStartEvent:
            documents += 1
            self.start_document(event, documents)
        return documents

    def open_collection(
        self, event: Any, stack: list[Mapping | Sequence], pending_keys: list[Scalar | None]
    ) -> None:
        """A mapping or a list begins: refused past the nesting limit."""
        at = _event_location(event)
        if event.anchor is not None or event.tag is not None:
            self.check_safe(event, at)
        if len(stack) >= MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels; flatten the structure"
            self.problem(at, "FC004", message)
            raise _Stop
        if event.__class__ is MappingStartEvent:
            stack.append(Mapping(at, {}))
            pending_keys.append(None)
        else:
            stack.append(Sequence(at, []))

    def close_collection(
        self, event: Any, stack: list[Mapping | Sequence], pending_keys: list[Scalar | None]
    ) -> Node:
        """A mapping or a list ends: it is the node to attach to its parent."""
        if event.end_mark.index > event.start_mark.index:  # a flow ']' or '}'
            self.check_glued_comment(event, False)
        if event.__class__ is MappingEndEvent:
            pending_keys.pop()
        return stack.pop()

    def alias(self, event: Any) -> Scalar:
        """An alias is refused; an empty value stands in its place."""
        at = _event_location(event)
        self.refuse(at, f"alias '*{event.anchor}' is not allowed; write the value out")
        return Scalar(at, "")

    def start_document(self, event: Any, documents: int) -> None:
        """A file holds one document: a second one stops the reading (FC002)."""
        if documents > 1:
            self.problem(
                _event_location(event),
                "FC002",
                "several YAML documents in one file; keep one document per file "
                "and remove the extra '---'",
            )
            raise _Stop

    def check_safe(self, event: Any, at: Location) -> None:
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            self.refuse(at, f"anchor '&{anchor}' is not allowed; anchors and aliases are refused")
        tag = getattr(event, "tag", None)
        if tag is not None:
            self.refuse(at, f"tag '{tag}' is not allowed; remove it and write plain text")

    def attach(
        self, parent: Mapping | Sequence, pending_keys: list[Scalar | None], node: Node
    ) -> None:
        if isinstance(parent, Sequence):
            parent.items.append(node)
            return
        key = pending_keys[-1]
        if key is None:
            if not isinstance(node, Scalar):
                self.problem(node.at, "FC103", "a mapping key must be text, not a list or mapping")
                pending_keys[-1] = _ComplexKey(node.at, "", plain=False)
                return
            if node.plain and node.text == "<<":
                self.refuse(node.at, "merge key '<<' is not allowed; write the fields out")
            pending_keys[-1] = node
            return
        pending_keys[-1] = None
        if isinstance(key, _ComplexKey):
            return
        if key.text in parent.entries:
            first = parent.entries[key.text][0].at
            self.problem(
                key.at,
                "FC003",
                f"duplicate key '{key.text}' (first defined at line {first.line}); "
                "remove one of them",
            )
            return
        parent.entries[key.text] = (key, node)

    def finish(self, root: Node | None, documents: int) -> None:
        if self.unsafe:
            return
        if documents == 0 or root is None or (isinstance(root, Scalar) and root.is_null):
            self.problem(
                Location(1, 1), "FC002", "the file is empty; it must hold one YAML mapping"
            )
            return
        if not isinstance(root, Mapping):
            self.problem(
                root.at,
                "FC002",
                f"the file holds {describe(root)}, not a mapping of fields; "
                "start with 'title:' and the other fields",
            )
            return
        self.root = root
