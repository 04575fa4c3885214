"""factcheck schema: a draft-07 JSON Schema that agrees with the checks.

Every valid claim file passes the schema, and every claim file with a structural error
(FC101-FC106) fails it. Instances are read as the YAML language server reads them, with
YAML 1.2's core schema: ``credibility: 3`` is a number, ``evidence:`` alone is null.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
from conftest import VALID_CLAIM

from factcheck.files.yamlnodes import Mapping, Node, Sequence, load_text
from factcheck.views.jsonschema import build_schema

REPOSITORY = Path(__file__).resolve().parent.parent


def instance(text: str) -> object:
    """A claim file as a YAML 1.2 core-schema reader (the language server) sees it."""
    document = load_text(text, "fixture.yaml")
    assert document.root is not None, document.findings
    return _core(document.root)


def _core(node: Node) -> object:
    if isinstance(node, Mapping):
        return {key: _core(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [_core(item) for item in node.items]
    kind = node.kind()
    if kind == "null":
        return None
    if kind == "boolean":
        return node.text.lower() == "true"
    if kind == "integer":
        return int(node.text, 0) if node.text[:2] in ("0o", "0x") else int(node.text)
    if kind == "number":
        return float(node.text.replace(".inf", "inf").replace(".nan", "nan"))
    return node.text


def validator(kind: str = "claim") -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(build_schema(kind), format_checker=jsonschema.FormatChecker())


def test_the_schema_is_valid_draft_07():
    for kind in ("claim", "sources", "parties"):
        schema = build_schema(kind)
        assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
        jsonschema.Draft7Validator.check_schema(schema)


def test_the_schema_carries_the_declared_descriptions_and_rules():
    schema = build_schema()
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["title", "claim"]
    position = schema["definitions"]["position"]
    assert position["properties"]["statement"]["description"] == (
        "what the party asserts, in the desk's neutral words"
    )
    assert position["properties"]["asserted_in"]["minItems"] == 1
    assert position["if"] == {"required": ["verdict"]}
    assert position["then"] == {"required": ["rationale"]}
    assert "unproven" in position["properties"]["verdict"]["enum"]
    assert position["properties"]["party"]["pattern"] == "^[a-z0-9]+(-[a-z0-9]+)*$"


VALID = {
    "fixture": VALID_CLAIM,
    "minimal": """\
        title: T
        claim:
          party: p
          statement: S
          asserted_in:
            - source: s
              quote: q
          corroboration: uncorroborated
        """,
    "numbers and nulls as a language server reads them": """\
        title: 2024
        tags:
        notes: true
        claim:
          party: p
          statement: 12.5
          asserted_in:
            - source: s
              quote: q
          evidence:
            - source: s
              quote: q
              stance: context
              credibility: 3
          corroboration: uncorroborated
          verdict: unproven
          rationale: R
        counter_claims:
        """,
}


def _repository_claims() -> list[Path]:
    return sorted((REPOSITORY / "claims").glob("*.yaml"))


@pytest.mark.parametrize("name", list(VALID))
def test_valid_fixtures_pass_the_checks_and_the_schema(desk, name):
    text = textwrap.dedent(VALID[name])
    desk.claim("fixture", text)
    structural = [code for path, code, _, _ in desk.findings() if code.startswith("FC1")]
    assert structural == []
    errors = list(validator().iter_errors(instance(text)))
    assert errors == [], [error.message for error in errors]


@pytest.mark.parametrize("path", _repository_claims(), ids=lambda path: path.name)
def test_the_repository_claim_files_pass_the_schema(path):
    errors = list(validator().iter_errors(instance(path.read_text(encoding="utf-8"))))
    assert errors == [], [error.message for error in errors]


def test_the_repository_catalogues_pass_their_schemas():
    for kind in ("sources", "parties"):
        path = REPOSITORY / "seeds" / f"{kind}.yaml"
        if path.exists():
            errors = list(validator(kind).iter_errors(instance(path.read_text(encoding="utf-8"))))
            assert errors == [], [error.message for error in errors]


def _position(**changes: str | None) -> str:
    fields = {
        "party": "press-office",
        "statement": "The attack was planned in the neighbouring country.",
        "asserted_in": (
            "\n    - source: security-report\n"
            "      quote: said that the planning for the attack was done"
        ),
        "corroboration": "uncorroborated",
    }
    fields.update(changes)
    lines = [f"  {key}: {value}" for key, value in fields.items() if value is not None]
    return "title: T\nclaim:\n" + "\n".join(lines) + "\n"


STRUCTURAL_ERRORS = {
    "missing title": ("claim:\n" + _position().split("claim:\n")[1], "FC101"),
    "missing statement": (_position(statement=None), "FC101"),
    "empty statement": (_position(statement='"  "'), "FC101"),
    "no passage": (_position(asserted_in="[]"), "FC101"),
    "asserted_in null": (_position(asserted_in=""), "FC101"),
    "passage without quote": (_position(asserted_in="\n    - source: security-report"), "FC101"),
    "unknown field": (_position(verdit="unproven"), "FC102"),
    "unknown top-level field": ("titel: T\n" + _position(), "FC102"),
    "statement as a list": (_position(statement="[a, b]"), "FC103"),
    "asserted_in as text": (_position(asserted_in="security-report"), "FC103"),
    "claim as a list": ("title: T\nclaim: [a]\n", "FC103"),
    "counter_claims as a mapping": (_position() + "counter_claims:\n  party: x\n", "FC103"),
    "verdict not allowed": (_position(verdict="suported", rationale="R"), "FC104"),
    "corroboration not allowed": (_position(corroboration="maybe"), "FC104"),
    "stance not allowed": (
        _position(evidence="\n    - source: analysis\n      quote: q\n      stance: agrees"),
        "FC104",
    ),
    "credibility out of range": (
        _position(
            evidence="\n    - source: analysis\n      quote: q\n      stance: context\n"
            "      credibility: 7"
        ),
        "FC104",
    ),
    "invalid date": ("date: 2024-02-30\n" + _position(), "FC105"),
    "date in words": ("date: 26 March 2024\n" + _position(), "FC105"),
    "party not kebab-case": (_position(party="Press_Office"), "FC106"),
    "tag not kebab-case": ("tags: [Bisham Attack]\n" + _position(), "FC106"),
    "verdict without rationale": (_position(verdict="unproven"), "FC303"),
}


@pytest.mark.parametrize("name", list(STRUCTURAL_ERRORS))
def test_structural_errors_fail_the_checks_and_the_schema(desk, name):
    text, code = STRUCTURAL_ERRORS[name]
    desk.claim("broken", text)
    assert code in [found for path, found, _, _ in desk.findings() if path == "claims/broken.yaml"]
    assert list(validator().iter_errors(instance(text))), f"the schema accepts: {name}"


def test_schema_command_prints_and_writes_the_schema(desk, tmp_path):
    result = desk.run("schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == build_schema()
    target = tmp_path / "factcheck.schema.json"
    result = desk.run("schema", "--for", "sources", "--output", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8")) == build_schema("sources")
