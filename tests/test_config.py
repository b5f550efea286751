"""`.gtlint.yaml` and `[tool.gtlint]`: found upwards, validated, and overridden by the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fixture_names import FIXTURES
from gtlint.cli import main

FAIL_TEMPLATE = FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml"  # GTL001 error only
WARNING_TEMPLATE = FIXTURES / "cloudformation" / "GTL002-definition-missing-kms-key-id.fail.yaml"


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, list[tuple[str, str]], str]:
    code = main(["scan", *arguments, "--format", "json"])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out else []
    return code, sorted((f["rule_id"], f["level"]) for f in findings), captured.err


def project(tmp_path: Path, config_name: str, config: str, *templates: Path) -> Path:
    """A project with a config at its root and the templates two folders down."""
    (tmp_path / config_name).write_text(config, encoding="utf-8")
    nested = tmp_path / "stacks" / "labeling"
    nested.mkdir(parents=True)
    for template in templates:
        shutil.copy(template, nested / template.name)
    return nested


def test_without_a_config_the_defaults_apply(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(FAIL_TEMPLATE, tmp_path / FAIL_TEMPLATE.name)
    code, findings, _ = run(capsys, str(tmp_path))
    assert code == 1
    assert ("GTL001", "error") in findings


def test_a_yaml_config_above_turns_a_rule_off_and_changes_a_level(tmp_path, capsys) -> None:
    nested = project(tmp_path, ".gtlint.yaml", "rules:\n  GTL001: off\n  GTL002: error\n", FAIL_TEMPLATE,
                     WARNING_TEMPLATE)
    code, findings, _ = run(capsys, str(nested))
    assert code == 1
    assert not [f for f in findings if f[0] == "GTL001"]
    assert ("GTL002", "error") in findings and ("GTL002", "warning") not in findings


def test_fail_on_from_pyproject_and_the_command_line_wins(tmp_path, capsys) -> None:
    nested = project(tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.gtlint]\nfail-on = "error"\n'
                     'rules = { GTL003 = "off", GTL004 = "off", GTL007 = "off" }\n', WARNING_TEMPLATE)
    code, findings, _ = run(capsys, str(nested))
    assert code == 0
    assert ("GTL002", "warning") in findings and "error" not in {level for _, level in findings}
    code, _, _ = run(capsys, str(nested), "--fail-on", "warning")
    assert code == 1


def test_strict_and_exclude_from_the_config(tmp_path, capsys) -> None:
    nested = project(tmp_path, ".gtlint.yaml", "strict: true\nexclude: ['*GTL002*']\n", FAIL_TEMPLATE,
                     WARNING_TEMPLATE)
    code, findings, _ = run(capsys, str(nested))
    assert code == 1
    assert not [f for f in findings if f[0] == "GTL002"]
    assert {level for _, level in findings} <= {"error", "warning"}


def test_the_iam_snapshot_path_is_relative_to_the_config(tmp_path, capsys) -> None:
    shutil.copy(FIXTURES / "iam-snapshot" / "account-authorization-details.json", tmp_path / "iam.json")
    fixture = FIXTURES / "iam-snapshot" / "GTL003-managed-policy-only.fail.asl.json"
    nested = project(tmp_path, ".gtlint.yaml", "iam-snapshot: iam.json\n", fixture)
    _, findings, _ = run(capsys, str(nested))
    assert findings == [("GTL003", "error"), ("GTL004", "error")]


def test_max_file_size_from_the_config_and_the_command_line_wins(tmp_path, capsys) -> None:
    nested = project(tmp_path, ".gtlint.yaml", "max-file-size: 100\n", FAIL_TEMPLATE)
    main(["scan", str(nested), "--format", "json"])
    errors = json.loads(capsys.readouterr().out)["errors"]
    assert [error["message"] for error in errors] == [
        "file is larger than the size limit (100 bytes); raise it with --max-file-size"]
    code, findings, _ = run(capsys, str(nested), "--max-file-size", "1MB")
    assert (code, findings) == (1, [("GTL001", "error"), ("GTL004", "note"), ("GTL007", "note")])


def test_an_explicit_config_file(tmp_path, capsys) -> None:
    config = tmp_path / "elsewhere.yaml"
    config.write_text("rules:\n  GTL001: warning\n", encoding="utf-8")
    shutil.copy(FAIL_TEMPLATE, tmp_path / FAIL_TEMPLATE.name)
    _, findings, _ = run(capsys, str(tmp_path / FAIL_TEMPLATE.name), "--config", str(config))
    assert ("GTL001", "warning") in findings and ("GTL001", "error") not in findings


@pytest.mark.parametrize(("config", "message"), [
    ("colour: true\n", "unknown setting colour"),
    ("rules:\n  GTL999: off\n", "GTL999 is not a gtlint rule"),
    ("rules:\n  GTL001: fatal\n", "rules.GTL001 is 'fatal'"),
    ("fail-on: sometimes\n", "fail-on is 'sometimes'"),
    ("strict: yes please\n", "strict is 'yes please'"),
    ("exclude: {a: 1}\n", "exclude must be a list"),
    ("- just\n- a list\n", "must be a mapping"),
    ("max-file-size: huge\n", "max-file-size: 'huge' is not a size"),
    ("max-file-size: true\n", "max-file-size: '' is not a size"),
])
def test_bad_settings_are_usage_errors(tmp_path, capsys, config: str, message: str) -> None:
    nested = project(tmp_path, ".gtlint.yaml", config, FAIL_TEMPLATE)
    code, findings, err = run(capsys, str(nested))
    assert (code, findings) == (2, [])
    assert message in err and ".gtlint.yaml" in err and "Traceback" not in err


def test_a_broken_pyproject_with_a_gtlint_table_is_an_error(tmp_path, capsys) -> None:
    nested = project(tmp_path, "pyproject.toml", '[tool.gtlint\nfail-on = "error"\n', FAIL_TEMPLATE)
    code, findings, err = run(capsys, str(nested))
    assert (code, findings) == (2, [])
    assert "pyproject.toml: not valid TOML" in err


def test_a_toml_file_given_with_config_is_read_as_toml(tmp_path, capsys) -> None:
    config = tmp_path / "gtlint.toml"
    config.write_text('[tool.gtlint]\nrules = { GTL001 = "off" }\n', encoding="utf-8")
    shutil.copy(FAIL_TEMPLATE, tmp_path / FAIL_TEMPLATE.name)
    _, findings, _ = run(capsys, str(tmp_path / FAIL_TEMPLATE.name), "--config", str(config))
    assert not [f for f in findings if f[0] == "GTL001"]


def test_the_command_line_can_undo_strict(tmp_path, capsys) -> None:
    nested = project(tmp_path, ".gtlint.yaml", "strict: true\n", FAIL_TEMPLATE)
    _, strict, _ = run(capsys, str(nested))
    _, relaxed, _ = run(capsys, str(nested), "--no-strict")
    assert "note" not in {level for _, level in strict}
    assert "note" in {level for _, level in relaxed}
