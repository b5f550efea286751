"""Fault isolation: when gtlint's core raises inside Checkov, cfn-lint or `gtlint scan`, the run completes
and what could not be checked is reported as failed with the reason, never passed and never dropped.

The fault is injected into the real hosts' processes by a `sitecustomize` module on PYTHONPATH,
which replaces a core function before any adapter imports it; nothing else is changed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gtlint import catalogue

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEMPLATE = "fixtures/cloudformation/GTL001-custom-aws-create.fail.yaml"
MODULE = "fixtures/terraform/GTL001-resource-empty-string.fail"
REASON = "internal error (RuntimeError: injected by the fault-isolation test); please report it to gtlint"
CHECKOV_IDS = sorted(rule.checkov_id for rule in catalogue.REQUEST_RULES)
CFN_LINT_IDS = sorted(rule.cfn_lint_id for rule in catalogue.REQUEST_RULES)

# Which core functions raise: the checks, or the extractors the adapters call.
FAULTS = {
    "checks": ["gtlint.checks:run_checks"],
    "extractors": ["gtlint.sources.extract:requests_in_document", "gtlint.sources.extract:template_requests",
                   "gtlint.sources.extract:module_requests"],
}
SITECUSTOMIZE = '''
import importlib, os

def _raise(*arguments, **keywords):
    raise RuntimeError("injected by the fault-isolation test")

for target in os.environ["GTLINT_TEST_FAULTS"].split(","):
    module, name = target.split(":")
    setattr(importlib.import_module(module), name, _raise)
'''


@pytest.fixture(params=sorted(FAULTS))
def faulty(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment of a host process whose gtlint core raises."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return {**os.environ, "PYTHONPATH": str(tmp_path), "GTLINT_TEST_FAULTS": ",".join(FAULTS[request.param])}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)


def checkov_results(target: list[str], framework: str, env: dict[str, str]) -> tuple[int, dict, str]:
    completed = run([str(BIN / "checkov"), *target, "--framework", framework, "--external-checks-dir",
                     "plugins/checkov", "-c", ",".join(CHECKOV_IDS), "-o", "json", "--compact", "--skip-download"],
                    env)
    return completed.returncode, json.loads(completed.stdout)["results"], completed.stderr


@pytest.mark.parametrize(("target", "framework", "resource", "entity"), [
    (["-f", TEMPLATE], "cloudformation", "Custom::AWS.LabelingJob", "LabelingJob"),
    (["-d", MODULE], "terraform", "aws_sagemaker_labeling_job.vehicles", "aws_sagemaker_labeling_job.vehicles"),
])
def test_checkov_fails_every_check_of_the_entity_with_the_reason(
        faulty: dict[str, str], target: list[str], framework: str, resource: str, entity: str) -> None:
    returncode, results, log = checkov_results(target, framework, faulty)
    assert returncode == 1  # completed, with failures
    assert results["passed_checks"] == []
    failed = sorted((check["check_id"], check["resource"]) for check in results["failed_checks"])
    assert failed == [(check_id, resource) for check_id in CHECKOV_IDS]
    reason = f"gtlint could not check {entity}: {REASON}"
    details = {detail for check in results["failed_checks"] for detail in check["details"]}
    assert details == (set() if framework == "cloudformation" else {reason})  # Checkov drops CloudFormation's
    logged = [rule.id for rule in catalogue.REQUEST_RULES if f"{reason} ({rule.id}, " in log]
    assert logged == [rule.id for rule in catalogue.REQUEST_RULES]


def test_cfn_lint_reports_every_rule_on_the_template_with_the_reason(faulty: dict[str, str]) -> None:
    completed = run([str(BIN / "cfn-lint"), "--append-rules=plugins/cfn_lint", "-f", "json", "--", TEMPLATE], faulty)
    matches = [match for match in json.loads(completed.stdout) if match["Rule"]["Id"][1:3] == "91"]
    assert completed.returncode != 0
    assert sorted(match["Rule"]["Id"] for match in matches) == CFN_LINT_IDS
    assert {match["Message"] for match in matches} == {f"gtlint could not check this template: {REASON}"}


def test_gtlint_scan_reports_each_file_it_failed_on_and_scans_the_rest(faulty: dict[str, str]) -> None:
    completed = run([sys.executable, "-m", "gtlint.cli", "scan", TEMPLATE, MODULE, "fixtures/bad-input/malformed.json",
                     "--format", "json"], faulty)
    report = json.loads(completed.stdout)
    assert (completed.returncode, completed.stderr) == (2, "")
    assert report["findings"] == []
    assert report["errors"] == [
        {"file": "fixtures/bad-input/malformed.json", "message": report["errors"][0]["message"]},
        {"file": TEMPLATE, "message": REASON},
        {"file": MODULE, "message": REASON},
    ]
    assert report["errors"][0]["message"].startswith("invalid JSON: ")  # read before any extractor runs
