def test_fixture_desk_is_clean(desk):
    result = desk.run("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems found in 3 files" in result.output


def test_every_format_in_the_one_registry_is_a_reporter_of_that_name():
    """One registry names every output format of every command; each entry imports to a
    reporter whose name is the format's."""
    from factcheck.reporters import Reporter
    from factcheck.reporters.registry import REPORTERS, reporter_class

    assert sorted(REPORTERS) == ["catalogue", "diff", "findings", "report", "show"]
    for kind, names in REPORTERS.items():
        for name in names:
            cls = reporter_class(kind, name)
            assert issubclass(cls, Reporter) and cls.name == name, (kind, name)
    classes = [entry.split(":")[1] for names in REPORTERS.values() for entry in names.values()]
    assert len(set(classes)) == len(classes)  # no two formats share a class name


def test_the_command_line_offers_the_registrys_formats():
    import click

    from factcheck.cli import main
    from factcheck.reporters.registry import formats

    def choices(command: str) -> tuple[str, ...]:
        [option] = [item for item in main.commands[command].params if item.name == "output_format"]
        assert isinstance(option.type, click.Choice)
        return tuple(option.type.choices)

    assert choices("validate") == formats("findings")
    assert choices("report") == formats("report")
    assert choices("show") == formats("show")
    assert choices("diff") == formats("diff")
    assert choices("sources") == choices("parties") == formats("catalogue")


def test_validate_does_not_import_the_other_commands():
    """Every command pays for what it imports; validate needs none of report's or diff's."""
    import subprocess
    import sys

    heavy = [
        "factcheck.views.report",
        "factcheck.views.diff",
        "factcheck.authoring",
        "factcheck.authoring.roundtrip",
        "factcheck.reporters.show",
        "factcheck.reporters.diff",
        "factcheck.reporters.report_table",
        "factcheck.reporters.catalogue",
    ]
    code = f"import sys, factcheck.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
