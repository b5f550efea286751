"""Running the real hosts (Checkov, cfn-lint) on fixture folders, once per folder, with a timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from fixture_names import FIXTURES
from gtlint import catalogue

ROOT = FIXTURES.parent
BIN = Path(sys.executable).parent
TIMEOUT = 600
CHECKOV_IDS = ",".join(rule.checkov_id for rule in catalogue.REQUEST_RULES)
CHECKOV_FRAMEWORK = {"cloudformation": "cloudformation", "sam": "cloudformation", "terraform": "terraform",
                     "terraform_plan": "terraform_plan", "kubernetes": "kubernetes", "request_document": "json yaml",
                     "stepfunctions": "json yaml"}


def checkov_file(path: str, snapshot: str = "") -> dict[str, str]:
    """Checkov's result per gtlint check id on one CloudFormation file (UNKNOWN results are not reported)."""
    command = [str(BIN / "checkov"), "-f", path, "--external-checks-dir", "plugins/checkov", "-c", CHECKOV_IDS,
               "--framework", "cloudformation", "-o", "json", "--compact"]
    completed = _run(command, ROOT, {"GTLINT_IAM_SNAPSHOT": snapshot} if snapshot else None)
    results = json.loads(completed.stdout or "{}").get("results", {})
    return {check["check_id"]: outcome for key, outcome in (("failed_checks", "FAILED"), ("passed_checks", "PASSED"))
            for check in results.get(key, [])}


def _run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **(env or {})}, check=False)


@cache
def checkov(form: str, checks_dir: str = "plugins/checkov", strict: bool = False) -> list[dict]:
    """Checkov's results for the gtlint checks on one fixture folder: dicts with check_id, file, result."""
    command = [str(BIN / "checkov"), "-d", str(FIXTURES / form), "--external-checks-dir", checks_dir,
               "-c", CHECKOV_IDS, "--framework", *CHECKOV_FRAMEWORK[form].split(), "-o", "json", "--compact"]
    completed = _run(command, ROOT, {"GTLINT_STRICT": "1" if strict else "0", "LOG_LEVEL": "WARNING"})
    assert completed.returncode in (0, 1), completed.stderr[-3000:]
    reports = json.loads(completed.stdout or "[]")
    results = []
    for report in reports if isinstance(reports, list) else [reports]:
        for key, outcome in (("failed_checks", "FAILED"), ("passed_checks", "PASSED")):
            for check in report.get("results", {}).get(key, []):
                results.append({"check_id": check["check_id"], "file": check["file_path"].lstrip("/"),
                                "resource": check["resource"], "result": outcome,
                                "lines": check["file_line_range"]})
    return results


@cache
def cfn_lint(files: tuple[str, ...], rules: str = "plugins/cfn_lint", snapshot: str = "") -> list[dict]:
    """cfn-lint's matches of gtlint's rules (E/W/I91xx), informational ones included."""
    command = [str(BIN / "cfn-lint"), f"--append-rules={rules}", "-c", "I", "-f", "json", "--", *files]
    completed = _run(command, ROOT, {"GTLINT_IAM_SNAPSHOT": snapshot} if snapshot else None)
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    matches = json.loads(completed.stdout or "[]")
    return [match for match in matches if match["Rule"]["Id"][1:3] == "91"]
