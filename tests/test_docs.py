"""The README stays true to the code: its configuration reference is generated from the settings."""

from __future__ import annotations

from conftest import ROOT


def test_readme_configuration_reference_is_current():
    from pipelines.config_doc import config_reference_markdown

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert config_reference_markdown() in readme, (
        "README's configuration reference is stale: regenerate it with "
        "`.venv/bin/python -m pipelines.config_doc` and paste it between the markers"
    )


def test_readme_quick_start_is_the_two_make_commands_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci.splitlines()[-1]


def test_every_exit_code_is_documented():
    from pipelines.exit_codes import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Exit codes"):]
    for code in ExitCode:
        assert f"| {int(code)} |" in section, code
