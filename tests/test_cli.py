"""The installed `gtlint` command, run for real."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_names import FIXTURES

ROOT = FIXTURES.parent
GTLINT = str(Path(sys.executable).parent / "gtlint")
SNAPSHOT = ROOT / "tests" / "snapshots" / "fixtures.json"


def gtlint(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([GTLINT, *arguments], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


def test_rules_json_lists_the_catalogue_with_host_ids() -> None:
    rules = json.loads(gtlint("rules", "--format", "json").stdout)["rules"]
    assert [(r["id"], r["level"], r["checkov_id"], r["cfn_lint_id"]) for r in rules] == [
        ("GTL001", "error", "CKV_GTL_001", "E9101"),
        ("GTL002", "warning", "CKV_GTL_002", "W9102"),
        ("GTL003", "error", "CKV_GTL_003", "E9103"),
        ("GTL004", "error", "CKV_GTL_004", "E9104"),
        ("GTL005", "error", "CKV_GTL_005", "E9105"),
        ("GTL006", "warning", "CKV_GTL_006", "W9106"),
        ("GTL007", "warning", "CKV_GTL_007", "W9107"),
        ("GTL900", "warning", "", ""),
        ("GTL901", "warning", "", ""),
    ]
    assert all(r["help_uri"].startswith("https://") and r["title"] for r in rules)


def test_explain_prints_rationale_and_fix() -> None:
    completed = gtlint("explain", "gtl001")
    assert completed.returncode == 0
    assert "VolumeKmsKeyId" in completed.stdout and "Fix" in completed.stdout


def test_explain_of_an_unknown_rule_is_a_usage_error() -> None:
    completed = gtlint("explain", "GTL999")
    assert (completed.returncode, completed.stdout) == (2, "")
    assert "GTL001" in completed.stderr


@pytest.mark.parametrize("host", ["checkov", "cfn-lint"])
def test_plugin_path_names_the_installed_adapters(host: str) -> None:
    folder = Path(gtlint("plugin-path", host).stdout.strip())
    expected = "gtlint_ckv_terraform.py" if host == "checkov" else "gtlint_rules.py"
    assert (folder / expected).is_file() and (folder / "__init__.py").is_file()


@pytest.mark.parametrize(("path", "arguments", "code"), [
    ("fixtures/stepfunctions/GTL001-task-sync.pass.asl.json", [], 0),
    ("fixtures/stepfunctions/GTL001-task-sync.fail.asl.json", [], 1),
    ("fixtures/stepfunctions/GTL002-missing-kms-key-id.fail.asl.json", ["--fail-on", "error"], 0),
    ("fixtures/stepfunctions/GTL001-jsonpath-volume-key.note.asl.json", [], 0),
    ("fixtures/stepfunctions/GTL001-jsonpath-volume-key.note.asl.json", ["--strict"], 1),
    ("fixtures/stepfunctions/GTL001-jsonpath-volume-key.note.asl.json", ["--fail-on", "note"], 1),
    ("fixtures/bad-input", [], 2),
    ("no/such/path", [], 2),
])
def test_exit_codes(path: str, arguments: list[str], code: int) -> None:
    assert gtlint("scan", path, *arguments).returncode == code


def test_bad_input_gives_one_error_per_file_and_no_traceback() -> None:
    completed = gtlint("scan", "fixtures/bad-input", "--format", "json")
    report = json.loads(completed.stdout)
    assert "Traceback" not in completed.stderr
    assert sorted(error["file"] for error in report["errors"]) == [
        "fixtures/bad-input/binary.json", "fixtures/bad-input/malformed.json", "fixtures/bad-input/malformed.tf",
        "fixtures/bad-input/malformed.yaml", "fixtures/bad-input/unknown-tag.yaml"]
    # A definition string that is not JSON may hold a labeling job: notes, not silence.
    assert {(f["rule_id"], f["level"]) for f in report["findings"]} == {("GTL001", "note"), ("GTL002", "note")}


def test_json_report_of_the_fixtures_matches_the_snapshot() -> None:
    """Regenerate with `gtlint scan fixtures --format json --output tests/snapshots/fixtures.json`."""
    completed = gtlint("scan", "fixtures", "--format", "json")
    assert completed.stdout == SNAPSHOT.read_text(encoding="utf-8")


def test_output_is_deterministic_and_written_only_where_asked(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sarif", tmp_path / "b.sarif"
    gtlint("scan", "fixtures/cloudformation", "--format", "sarif", "--output", str(first))
    gtlint("scan", "fixtures/cloudformation", "--format", "sarif", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert sorted(os.listdir(tmp_path)) == ["a.sarif", "b.sarif"]


def test_sarif_is_sarif_2_1_0_with_catalogue_rules() -> None:
    sarif = json.loads(gtlint("scan", "fixtures/cloudformation", "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [*(f"GTL00{n}" for n in range(1, 8)), "GTL900", "GTL901"]
    assert all({"shortDescription", "fullDescription", "helpUri", "defaultConfiguration"} <= set(r) for r in rules)
    assert run["results"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("fixtures/")


def test_text_report_groups_by_file_and_strips_control_characters(tmp_path: Path) -> None:
    definition = (FIXTURES / "stepfunctions" / "GTL005-output-key-bare-name.fail.asl.yaml").read_text()
    (tmp_path / "evil.asl.yaml").write_text(definition.replace("my-key", '"my-\\e[31mkey"'))
    completed = gtlint("scan", str(tmp_path))
    assert "\x1b" not in completed.stdout
    assert "\\x1b[31m" in completed.stdout and "GTL005" in completed.stdout


def test_directory_scans_skip_tool_folders_but_read_cdk_out(tmp_path: Path) -> None:
    failing = (FIXTURES / "stepfunctions" / "GTL001-task-sync.fail.asl.json").read_text()
    for folder in (".git", ".terraform", "node_modules", "cdk.out"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "machine.asl.json").write_text(failing)
    report = json.loads(gtlint("scan", str(tmp_path), "--format", "json").stdout)
    assert {Path(f["file"]).parent.name for f in report["findings"]} == {"cdk.out"}


def test_the_gtlint_command_never_imports_checkov(tmp_path) -> None:
    report = tmp_path / "report.txt"
    code = (f"import sys; from gtlint.cli import main; main(['scan', 'fixtures', '--output', {str(report)!r}]); "
            "print(sorted(name for name in sys.modules if name.split('.')[0] in ('checkov', 'cfnlint')))")
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                               check=False)
    assert completed.stdout.strip() == "[]", completed.stderr[-2000:]


def test_an_unreadable_snapshot_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "not-a-snapshot.json").write_text('{"Roles": []}')
    missing = gtlint("scan", "fixtures/iam-snapshot", "--iam-snapshot", str(tmp_path / "missing.json"))
    wrong = gtlint("scan", "fixtures/iam-snapshot", "--iam-snapshot", str(tmp_path / "not-a-snapshot.json"))
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "missing.json" in missing.stderr and "Traceback" not in missing.stderr
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert "no RoleDetailList" in wrong.stderr


def test_the_snapshot_decides_an_outside_role() -> None:
    fixture = "fixtures/iam-snapshot/GTL003-managed-policy-only.fail.asl.json"
    without = json.loads(gtlint("scan", fixture, "--format", "json").stdout)
    with_snapshot = json.loads(gtlint("scan", fixture, "--format", "json", "--iam-snapshot",
                                      "fixtures/iam-snapshot/account-authorization-details.json").stdout)
    assert {(f["rule_id"], f["level"]) for f in without["findings"]} == {
        ("GTL003", "note"), ("GTL004", "note"), ("GTL007", "note")}
    assert {(f["rule_id"], f["level"]) for f in with_snapshot["findings"]} == {("GTL003", "error"), ("GTL004", "error")}


def test_scan_reports_progress_per_file_up_to_the_total() -> None:
    from gtlint.scan import scan

    calls: list[tuple[int, int]] = []
    result = scan([str(FIXTURES / "terraform"), str(FIXTURES / "sam")], progress=lambda done, total: calls.append(
        (done, total)))
    assert calls[-1] == (result.files, result.files)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {result.files}


def test_a_terraform_file_named_on_the_command_line_scans_its_module() -> None:
    """pre-commit passes changed files: a variable's default in variables.tf still counts."""
    module = FIXTURES / "terraform" / "GTL002-resource-var-aws-managed-default.fail"
    completed = gtlint("scan", str(module / "main.tf"), str(module / "variables.tf"), "--format", "json")
    report = json.loads(completed.stdout)
    assert (completed.returncode, report["summary"]["files"], report["summary"]["requests"]) == (1, 2, 1)
    assert ("GTL002", "warning") in {(f["rule_id"], f["level"]) for f in report["findings"]}


def test_excludes_apply_to_files_named_on_the_command_line() -> None:
    fixture = FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml"
    completed = gtlint("scan", str(fixture), "--exclude", "*GTL001-*", "--format", "json")
    assert (completed.returncode, json.loads(completed.stdout)["summary"]["files"]) == (0, 0)


def test_output_to_a_device_writes_through_it_and_a_missing_folder_is_a_usage_error(tmp_path) -> None:
    fixture = "fixtures/cloudformation/GTL001-definition-sync.pass.yaml"
    through = gtlint("scan", fixture, "--output", os.devnull)
    missing = gtlint("scan", fixture, "--output", str(tmp_path / "no" / "such" / "report.txt"))
    assert Path(os.devnull).is_char_device()
    assert through.returncode == 0
    assert (missing.returncode, missing.stdout) == (2, "")
    assert "--output" in missing.stderr and "Traceback" not in missing.stderr


def test_a_report_file_gets_the_usual_permissions(tmp_path) -> None:
    report = tmp_path / "report.json"
    gtlint("scan", "fixtures/cloudformation/GTL001-definition-sync.pass.yaml", "--format", "json", "--output",
           str(report))
    umask = os.umask(0)
    os.umask(umask)
    assert report.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("name", ["GTL003", "gtl003", "CKV_GTL_003", "E9103", "W9103", "I9103"])
def test_explain_knows_the_hosts_ids_too(name: str) -> None:
    completed = gtlint("explain", name)
    assert (completed.returncode, completed.stdout.splitlines()[0]) == (
        0, "GTL003: Execution role cannot create grants on the volume key")
