"""The real Checkov and cfn-lint, with the pack, on the fixtures: the outcomes the names promise, and
the same verdicts as `gtlint scan` on every fixture the host can read."""

from __future__ import annotations

import json
import shutil

import pytest
from fixture_names import FIXTURES, fixtures
from gtlint import catalogue
from gtlint.scan import scan
from hosts import cfn_lint, checkov, checkov_file

CHECKOV_FORMS = ["cloudformation", "sam", "terraform", "terraform_plan", "kubernetes", "request_document",
                 "stepfunctions"]
TEMPLATE_FORMS = ["cloudformation", "sam"]
BY_CHECKOV_ID = {rule.checkov_id: rule.id for rule in catalogue.REQUEST_RULES}
BY_CFN_LINT_ID = {**{rule.cfn_lint_id: (rule.id, "fail") for rule in catalogue.REQUEST_RULES},
                  **{rule.cfn_lint_warning_id: (rule.id, "fail") for rule in catalogue.REQUEST_RULES
                     if rule.cfn_lint_warning_id},
                  **{rule.cfn_lint_note_id: (rule.id, "note") for rule in catalogue.REQUEST_RULES}}


def unit(form: str, relative: str) -> str:
    """The fixture a file belongs to: a Terraform fixture is a folder."""
    return relative.split("/")[0] if form == "terraform" else relative


def is_template(relative: str) -> bool:
    return ".asl." not in relative  # SAM's DefinitionUri targets are standalone definitions


def checkov_reads(form: str, relative: str) -> bool:
    """Checkov checks a SAM DefinitionUri target through its template, a standalone definition as a document."""
    return form == "stepfunctions" or is_template(relative)


def gtlint_verdicts(form: str, levels: set[str]) -> set[tuple[str, str]]:
    """(fixture, rule) pairs for which `gtlint scan` of the whole form folder reports one of `levels`."""
    root = FIXTURES / form
    result = scan([str(root)])
    assert result.errors == []
    return {
        (unit(form, f.origin.split(f"fixtures/{form}/", 1)[1]), f.rule_id)
        for f in result.findings if f.level in levels
    }


def named(form: str, outcomes: set[str]) -> set[tuple[str, str]]:
    return {(f.path.relative_to(FIXTURES / form).as_posix(), f.rule_id)
            for f in fixtures() if f.form == form and f.outcome in outcomes and checkov_reads(form, f.path.name)}


def checkov_verdicts(form: str, result: str, strict: bool = False) -> set[tuple[str, str]]:
    return {(unit(form, r["file"]), BY_CHECKOV_ID[r["check_id"]]) for r in checkov(form, strict=strict)
            if r["result"] == result}


@pytest.mark.parametrize("form", CHECKOV_FORMS)
def test_checkov_fails_exactly_the_fail_fixtures_rules(form: str) -> None:
    failed = checkov_verdicts(form, "FAILED")
    assert named(form, {"fail"}) - failed == set()
    assert failed & named(form, {"pass", "note"}) == set()


@pytest.mark.parametrize("form", CHECKOV_FORMS)
def test_checkov_agrees_with_gtlint(form: str) -> None:
    gtlint_failed = {pair for pair in gtlint_verdicts(form, {"error", "warning"}) if checkov_reads(form, pair[0])}
    assert checkov_verdicts(form, "FAILED") == gtlint_failed


@pytest.mark.parametrize("form", CHECKOV_FORMS)
def test_checkov_strict_fails_the_notes_too(form: str) -> None:
    gtlint_any = {pair for pair in gtlint_verdicts(form, {"error", "warning", "note"})
                  if checkov_reads(form, pair[0])}
    assert checkov_verdicts(form, "FAILED", strict=True) == gtlint_any


def test_checkov_passes_the_pass_fixtures_it_reads() -> None:
    passed = checkov_verdicts("cloudformation", "PASSED")
    assert ("GTL001-definition-sync.pass.yaml", "GTL001") in passed
    assert ("GTL001-parameter-without-default.note.yaml", "GTL001") not in passed


def template_files() -> tuple[str, ...]:
    return tuple(sorted(
        str(path.relative_to(FIXTURES.parent)) for form in TEMPLATE_FORMS
        for path in (FIXTURES / form).rglob("*") if path.is_file() and is_template(path.name)
    ))


def cfn_lint_verdicts(rules: str = "plugins/cfn_lint") -> set[tuple[str, str, str]]:
    return {
        (match["Filename"].split("fixtures/", 1)[1], *BY_CFN_LINT_ID[match["Rule"]["Id"]])
        for match in cfn_lint(template_files(), rules)
    }


def test_cfn_lint_gives_the_named_outcomes() -> None:
    verdicts = cfn_lint_verdicts()
    for fixture in fixtures():
        if fixture.form not in TEMPLATE_FORMS or not is_template(fixture.path.name):
            continue
        relative = fixture.path.relative_to(FIXTURES).as_posix()
        outcomes = {outcome for file, rule_id, outcome in verdicts if file == relative and rule_id == fixture.rule_id}
        expected = {fixture.outcome} - {"pass"}
        assert outcomes - {"note"} == expected - {"note"}, relative
        if fixture.outcome == "note":
            assert outcomes == {"note"}, relative


def test_cfn_lint_agrees_with_gtlint() -> None:
    gtlint = set()
    for form in TEMPLATE_FORMS:
        for relative, rule_id in gtlint_verdicts(form, {"error", "warning"}):
            gtlint.add((f"{form}/{relative}", rule_id, "fail"))
        for relative, rule_id in gtlint_verdicts(form, {"note"}):
            gtlint.add((f"{form}/{relative}", rule_id, "note"))
    gtlint = {verdict for verdict in gtlint if is_template(verdict[0])}
    assert cfn_lint_verdicts() == gtlint


def test_cfn_lint_module_mode_matches_directory_mode() -> None:
    assert cfn_lint_verdicts("gtlint.plugins.cfn_lint") == cfn_lint_verdicts()


def test_cfn_lint_points_at_the_deepest_property() -> None:
    matches = [m for m in cfn_lint(("fixtures/cloudformation/GTL001-fn-if-novalue.fail.yaml",))
               if m["Rule"]["Id"].endswith("9101")]
    assert [(m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"]) for m in matches] == [("E9101", 63)]
    assert "when condition UseCmk is false" in matches[0]["Message"]


def test_checkov_skip_comment_and_metadata_still_work(tmp_path) -> None:
    from hosts import BIN, ROOT, _run

    template = (FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml").read_text()
    skipped = template.replace(
        "    Type: AWS::StepFunctions::StateMachine\n",
        "    Type: AWS::StepFunctions::StateMachine\n    Metadata:\n      checkov:\n        skip:\n"
        "          - id: CKV_GTL_001\n            comment: volume encrypted by the account default\n", 1)
    assert skipped != template
    (tmp_path / "skipped.yaml").write_text(skipped)
    completed = _run([str(BIN / "checkov"), "-f", str(tmp_path / "skipped.yaml"), "--external-checks-dir",
                      "plugins/checkov", "-c", "CKV_GTL_001", "--framework", "cloudformation", "-o", "json"], ROOT)
    summary = json.loads(completed.stdout)["summary"]
    assert (summary["failed"], summary["skipped"]) == (0, 1)


def test_cfn_lint_ignore_checks_metadata_still_works(tmp_path) -> None:
    template = (FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml").read_text()
    ignored = template.replace(
        "    Type: AWS::StepFunctions::StateMachine\n",
        "    Type: AWS::StepFunctions::StateMachine\n    Metadata:\n      cfn-lint:\n        config:\n"
        "          ignore_checks: [E9101]\n", 1)
    assert ignored != template
    (tmp_path / "ignored.yaml").write_text(ignored)
    (tmp_path / "original.yaml").write_text(template)
    ids = {name: {m["Rule"]["Id"] for m in cfn_lint((str(tmp_path / f"{name}.yaml"),))}
           for name in ("original", "ignored")}
    assert "E9101" in ids["original"]
    assert ids["ignored"] == ids["original"] - {"E9101"}


SNAPSHOT_TEMPLATE = "fixtures/iam-snapshot/GTL003-template-outside-role.fail.yaml"
SNAPSHOT = "fixtures/iam-snapshot/account-authorization-details.json"


def test_hosts_check_an_outside_role_against_the_snapshot_in_the_environment() -> None:
    """Without GTLINT_IAM_SNAPSHOT an outside role is a note; with it, the role's real policies decide."""
    def ids(snapshot: str) -> set[str]:
        return {m["Rule"]["Id"] for m in cfn_lint((SNAPSHOT_TEMPLATE,), snapshot=snapshot)}

    assert ids("") == {"I9103", "I9104", "I9107"}
    assert ids(SNAPSHOT) == {"E9103", "E9104"}
    without, with_snapshot = checkov_file(SNAPSHOT_TEMPLATE), checkov_file(SNAPSHOT_TEMPLATE, SNAPSHOT)
    assert ("CKV_GTL_003" in without, with_snapshot.get("CKV_GTL_003")) == (False, "FAILED")
    assert with_snapshot.get("CKV_GTL_004") == "FAILED"


def test_checkov_checks_a_job_inside_a_called_module(tmp_path) -> None:
    """Checkov names it `module.<call>.<address>`; gtlint reads the module's own folder."""
    from hosts import BIN, _run

    shutil.copytree(FIXTURES / "terraform" / "GTL001-resource-no-resource-config.fail", tmp_path / "modules" / "job")
    (tmp_path / "main.tf").write_text('module "job" {\n  source = "./modules/job"\n}\n')
    completed = _run([str(BIN / "checkov"), "-d", str(tmp_path), "--external-checks-dir", "plugins/checkov",
                      "-c", "CKV_GTL_001", "--framework", "terraform", "-o", "json", "--compact"], FIXTURES.parent)
    failed = json.loads(completed.stdout)["results"]["failed_checks"]
    assert {(check["check_id"], check["resource"]) for check in failed} == {
        ("CKV_GTL_001", "module.job.aws_sagemaker_labeling_job.vehicles")}


def test_a_cfnlintrc_naming_the_module_loads_the_rules(tmp_path) -> None:
    """The README's `.cfnlintrc`, which the VS Code cfn-lint extension reads too."""
    from hosts import BIN, _run

    shutil.copy(FIXTURES / "cloudformation" / "GTL001-definition-sync.fail.yaml", tmp_path / "template.yaml")
    (tmp_path / ".cfnlintrc").write_text("append_rules:\n  - gtlint.plugins.cfn_lint\n", encoding="utf-8")
    completed = _run([str(BIN / "cfn-lint"), "-f", "json", "template.yaml"], tmp_path)
    assert [match["Rule"]["Id"] for match in json.loads(completed.stdout)] == ["E9101"]


def test_a_snapshot_the_hosts_cannot_read_fails_loudly(tmp_path) -> None:
    """A wrong GTLINT_IAM_SNAPSHOT is a setting to fix: the hosts fail rather than pass with nothing checked."""
    missing = str(tmp_path / "missing.json")
    matches = cfn_lint((SNAPSHOT_TEMPLATE,), snapshot=missing)
    assert {m["Rule"]["Id"] for m in matches} == {rule.cfn_lint_id for rule in catalogue.REQUEST_RULES}
    assert all("GTLINT_IAM_SNAPSHOT" in m["Message"] for m in matches)
    results = checkov_file(SNAPSHOT_TEMPLATE, missing)
    assert results == {rule.checkov_id: "FAILED" for rule in catalogue.REQUEST_RULES}
