def test_fixture_desk_is_clean(desk):
    result = desk.run("validate", "--strict")
    assert result.exit_code == 0, result.output
    assert "no problems found in 3 files" in result.output
