def test_fixture_desk_is_clean(desk):
    result = desk.run("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems found in 3 files" in result.output


def test_the_format_names_the_command_line_offers_are_the_registries():
    """The command line names the formats without importing the reporters: keep them equal."""
    from factcheck.reporters import CATALOGUE_FORMATS, DIFF_FORMATS, REPORT_FORMATS
    from factcheck.reporters.diff import REPORTER_BY_NAME as DIFF_REPORTERS
    from factcheck.reporters.report_formats import REPORT_REPORTER_BY_NAME

    assert tuple(REPORT_REPORTER_BY_NAME) == REPORT_FORMATS
    assert tuple(DIFF_REPORTERS) == DIFF_FORMATS
    assert CATALOGUE_FORMATS == ("table", "json")


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
        "factcheck.reporters.report_formats",
    ]
    code = f"import sys, factcheck.cli; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
