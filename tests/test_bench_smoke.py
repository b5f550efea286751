"""The benchmark's smoke mode: every measurement path runs on tiny inputs (the figures are not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = ["gtlint / bare parse, N=40", "gtlint peak MiB, N=40", "Checkov with pack / without",
           "cfn-lint with pack / without", "Checkov with pack / gtlint (IaC)"]


def test_the_benchmark_smoke_mode_measures_everything(tmp_path: Path) -> None:
    output = tmp_path / "bench.json"
    completed = subprocess.run([sys.executable, "tests/bench/bench.py", "--smoke", "--json", str(output)], cwd=ROOT,
                               capture_output=True, text=True, timeout=900, check=False)
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(output.read_text())
    assert json.loads(completed.stdout.splitlines()[-1]) == results  # the last line is the same JSON
    assert results["problems"] == []
    (size,) = results["gtlint_scan"]
    assert (size["files"], size["files_read"], size["unreadable_files"]) == (40, 40, 0)
    assert size["requests"] > 0 and size["gtlint"]["seconds"] > 0 and size["bare_parse"]["seconds"] > 0
    iac = results["iac"]
    assert iac["gtlint"]["requests"] > 0
    assert (iac["checkov"]["pack_failed"], iac["cfn_lint"]["pack_matches"]) == (0, 0)  # runs without the pack
    assert iac["checkov_with_pack"]["pack_failed"] > 0 and iac["cfn_lint_with_pack"]["pack_matches"] > 0
    assert iac["checkov"]["parsing_errors"] == iac["checkov_with_pack"]["parsing_errors"] == 0
    assert [target["name"] for target in results["targets"]] == TARGETS
    assert results["iam"]["roles"] == 100 and results["iam"]["findings"] > 0
