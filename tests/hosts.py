"""Running the real hosts (Checkov, cfn-lint) on fixture folders, once per folder, with a timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from fixture_names import FIXTURES

ROOT = FIXTURES.parent
BIN = Path(sys.executable).parent
TIMEOUT = 600
CHECKOV_IDS = "CKV_GTL_001,CKV_GTL_002,CKV_GTL_005"
CHECKOV_FRAMEWORK = {"cloudformation": "cloudformation", "sam": "cloudformation", "terraform": "terraform",
                     "terraform_plan": "terraform_plan"}


def _run(command: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, **(env or {})}, check=False)


@cache
def checkov(form: str, checks_dir: str = "plugins/checkov", strict: bool = False) -> list[dict]:
    """Checkov's results for the gtlint checks on one fixture folder: dicts with check_id, file, result."""
    command = [str(BIN / "checkov"), "-d", str(FIXTURES / form), "--external-checks-dir", checks_dir,
               "-c", CHECKOV_IDS, "--framework", CHECKOV_FRAMEWORK[form], "-o", "json", "--compact"]
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
def cfn_lint(files: tuple[str, ...], rules: str = "plugins/cfn_lint") -> list[dict]:
    """cfn-lint's matches of gtlint's rules (E/W/I91xx), informational ones included."""
    command = [str(BIN / "cfn-lint"), f"--append-rules={rules}", "-c", "I", "-f", "json", "--", *files]
    completed = _run(command, ROOT)
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    matches = json.loads(completed.stdout or "[]")
    return [match for match in matches if match["Rule"]["Id"][1:3] == "91"]
