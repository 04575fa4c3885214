"""FC101–FC106: read positioned nodes against the field specifications and build the model.

Reading and checking are one pass: each value is checked where it is converted, so a
finding points at the value itself (a missing field at the mapping that lacks it). A bad
value is left out of the model and its record is marked not ``intact``.
"""

from __future__ import annotations

import datetime
from typing import Any

from factcheck.files.yamlnodes import Location, Mapping, Node, Scalar, Sequence, describe
from factcheck.findings import Finding, finding
from factcheck.model import Ref, Side
from factcheck.text import choices, did_you_mean
from factcheck.workspace import schema
from factcheck.workspace.schema import Field, RecordSpec

_INVALID = object()


class FieldReader:
    """Reads one file's nodes into model records, collecting findings as it goes."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def report(self, at: Location, code: str, message: str) -> None:
        self.findings.append(finding(self.path, at.line, at.column, code, message))

    def read_record(
        self, node: Node, spec: RecordSpec, at: Location | None = None, **extra: Any
    ) -> Any:
        """A record built from a mapping node, or ``None`` when the node is not a mapping.

        ``at`` is where findings about the record as a whole point; catalogue entries pass
        the position of their id, which is the line a reader looks for.
        """
        if not isinstance(node, Mapping):
            self.report(
                node.at,
                "FC103",
                f"expected a {spec.name} (a mapping with {choices(spec.names[:3])} ...), "
                f"found {describe(node)}",
            )
            return None
        values: dict[str, Any] = {}
        where: dict[str, Location] = {}
        intact = True
        for key, (key_node, value_node) in node.entries.items():
            spec_field = spec.field(key)
            if spec_field is None:
                self.report(
                    key_node.at,
                    "FC102",
                    f"unknown field '{_shorten(key)}' in a {spec.name}"
                    f"{did_you_mean(key, spec.names)}; "
                    f"known fields: {', '.join(spec.names)}",
                )
                intact = False
                continue
            where[key] = value_node.at
            value = self.read_value(value_node, spec_field)
            if value is _INVALID:
                intact = False
            elif value is not None:
                values[key] = value
                if intact and value.__class__ is not str:  # text is always intact
                    intact = _all_intact(value)
        for spec_field in spec.fields:
            if spec_field.required and spec_field.name not in node.entries:
                self.report(
                    at or node.at,
                    "FC101",
                    f"{spec.name} is missing required field '{spec_field.name}' "
                    f"({spec_field.description})",
                )
                intact = False
        return spec.build(at=at or node.at, where=where, intact=intact, **extra, **values)

    def read_value(self, node: Node, spec_field: Field) -> Any:
        """The value of one field, ``None`` for an allowed null, or ``_INVALID``."""
        kind = spec_field.kind
        if isinstance(node, Scalar) and node.is_null:
            if spec_field.nullable:
                return None
            if kind in (schema.RECORD_LIST, schema.ID_LIST) and not spec_field.required:
                return ()
            self.report(
                node.at,
                "FC101" if spec_field.required else "FC103",
                f"'{spec_field.name}' has no value; give {spec_field.description}",
            )
            return _INVALID
        if kind in (schema.RECORD_LIST, schema.ID_LIST):
            return self.read_list(node, spec_field)
        if kind == schema.RECORD:
            record = self.read_record(node, spec_field.nested)
            return _INVALID if record is None else record
        if kind in (schema.RECORD_MAP, schema.TEXT_MAP):
            return self.read_map(node, spec_field)
        return self.read_scalar(node, spec_field)

    def read_list(self, node: Node, spec_field: Field) -> Any:
        if not isinstance(node, Sequence):
            self.report(
                node.at,
                "FC103",
                f"'{spec_field.name}' must be a list, found {describe(node)}; "
                "write each item on its own line starting with '- '",
            )
            return _INVALID
        if len(node.items) < spec_field.min_items:
            self.report(
                node.at,
                "FC101",
                f"'{spec_field.name}' needs at least {spec_field.min_items} item: "
                f"{spec_field.description}",
            )
            return _INVALID
        items = []
        complete = True
        for item in node.items:
            if spec_field.kind == schema.ID_LIST:
                value = self.read_identifier(item, spec_field.name)
                value = None if value is _INVALID else Ref(value, item.at)
            else:
                value = self.read_record(item, spec_field.nested)
            if value is None:
                complete = False
            else:
                items.append(value)
        return tuple(items) if complete else _Partial(items)

    def read_map(self, node: Node, spec_field: Field) -> Any:
        if not isinstance(node, Mapping):
            self.report(
                node.at,
                "FC103",
                f"'{spec_field.name}' must be a mapping of id to entry, found {describe(node)}",
            )
            return _INVALID
        entries = {}
        for key, (key_node, value_node) in node.entries.items():
            if not schema.IDENTIFIER.fullmatch(key):
                self.report(key_node.at, "FC106", _identifier_message(key, "id"))
                continue
            if spec_field.kind == schema.TEXT_MAP:
                text = self.read_scalar(value_node, Field(key, schema.TEXT, "a description"))
                description = None if text is _INVALID else text
                entries[key] = Side(
                    at=key_node.at,
                    where={"description": value_node.at},
                    id=key,
                    description=description,
                )
            else:
                record = self.read_record(value_node, spec_field.nested, key_node.at, id=key)
                if record is not None:
                    entries[key] = record
        return entries

    def read_scalar(self, node: Node, spec_field: Field) -> Any:
        if not isinstance(node, Scalar):
            self.report(
                node.at,
                "FC103",
                f"'{spec_field.name}' must be {_expected(spec_field)}, found {describe(node)}",
            )
            return _INVALID
        text = node.text
        kind = spec_field.kind
        if kind == schema.IDENTIFIER_KIND:
            return self.read_identifier(node, spec_field.name)
        if kind == schema.CHOICE:
            if text not in spec_field.choices:
                self.report(
                    node.at,
                    "FC104",
                    f"'{_shorten(text)}' is not an allowed {spec_field.name}"
                    f"{did_you_mean(text, spec_field.choices)}; use {choices(spec_field.choices)}",
                )
                return _INVALID
            return text
        if kind == schema.DATE:
            if not valid_date(text):
                self.report(
                    node.at,
                    "FC105",
                    f"'{_shorten(text)}' is not a valid date; "
                    "write it as YYYY-MM-DD, e.g. 2024-03-26",
                )
                return _INVALID
            return text
        if kind == schema.SHA256:
            if not _is_sha256(text):
                self.report(
                    node.at,
                    "FC104",
                    f"'{_shorten(text)}' is not a SHA-256 digest; write the 64 lowercase "
                    "hexadecimal digits that 'sha256sum FILE' prints",
                )
                return _INVALID
            return text
        if not text.strip():
            self.report(
                node.at, "FC101", f"'{spec_field.name}' is empty; give {spec_field.description}"
            )
            return _INVALID
        return text

    def read_identifier(self, node: Node, name: str) -> Any:
        if not isinstance(node, Scalar) or node.is_null:
            self.report(node.at, "FC103", f"'{name}' must be an identifier, found {describe(node)}")
            return _INVALID
        if not schema.IDENTIFIER.fullmatch(node.text):
            self.report(node.at, "FC106", _identifier_message(node.text, name))
            return _INVALID
        return node.text


class _Partial(tuple):
    """A list of records some of whose items were invalid: usable, but not intact."""


def _all_intact(value: Any) -> bool:
    if isinstance(value, _Partial):
        return False
    if isinstance(value, tuple):
        return all(getattr(item, "intact", True) for item in value)
    return getattr(value, "intact", True)


def _identifier_message(text: str, name: str) -> str:
    suggestion = "-".join("".join(char if char.isalnum() else " " for char in text.lower()).split())
    hint = (
        f", e.g. '{suggestion}'" if suggestion and schema.IDENTIFIER.fullmatch(suggestion) else ""
    )
    return (
        f"'{_shorten(text)}' is not a valid {name}: use lowercase letters, digits and single "
        f"hyphens (kebab-case){hint}"
    )


def _expected(spec_field: Field) -> str:
    return {
        schema.DATE: "a date",
        schema.CHOICE: f"one of {choices(spec_field.choices)}",
        schema.SHA256: "a SHA-256 digest",
    }.get(spec_field.kind, "text")


def valid_date(text: str) -> bool:
    """A real calendar date written YYYY-MM-DD: the one date rule (FC105) every command uses."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_sha256(text: str) -> bool:
    return len(text) == 64 and all(char in "0123456789abcdef" for char in text)


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
