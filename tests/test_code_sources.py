"""Code and scripts: nothing is run, notebooks report cells, flake8 agrees with `gtlint scan`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_names import FIXTURES
from gtlint.scan import scan
from gtlint.sources.api_names import api_name
from gtlint.sources.aws_cli import parse_shorthand

BIN = Path(sys.executable).parent
CALL = ("client.create_labeling_job(LabelingJobName='x', RoleArn='arn:aws:iam::111122223333:role/r', "
        "OutputConfig={'S3OutputPath': 's3://b/o/'})")
HOSTILE = {
    "job.py": f"import boto3\nopen('pwned', 'w').write('x')\nraise SystemExit(3)\nclient = boto3.client('sagemaker')\n"
              f"{CALL}\n",
    "job.sh": "touch pwned\naws sagemaker create-labeling-job --labeling-job-name x --role-arn r "
              "--output-config \"S3OutputPath=$(touch pwned2)\"\n",
    "job.js": "require('fs').writeFileSync('pwned', 'x');\nsagemaker.createLabelingJob({LabelingJobName: 'x', "
              "RoleArn: 'r', OutputConfig: {S3OutputPath: 's3://b/o/'}});\n",
}


def notebook(*cells: str) -> str:
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": [line + "\n" for line in cell.split("\n")]} for cell in cells]}, indent=1)


def test_nothing_in_a_scanned_file_is_executed(tmp_path: Path) -> None:
    for name, text in HOSTILE.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "job.ipynb").write_text(notebook("!touch pwned\n%run other.py\nimport boto3",
                                                 f"open('pwned', 'w')\nclient = boto3.client('sagemaker')\n{CALL}"),
                                        encoding="utf-8")
    completed = subprocess.run([str(BIN / "gtlint"), "scan", ".", "--format", "json"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(completed.stdout)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["job.ipynb", "job.js", "job.py", "job.sh"]
    assert report["errors"] == []
    assert {(finding["file"], finding["rule_id"]) for finding in report["findings"] if finding["level"] == "warning"} \
        == {(name, "GTL002") for name in ("job.ipynb", "job.js", "job.py", "job.sh")}
    assert completed.returncode == 1


def test_notebook_findings_name_the_cell_and_the_file_line(tmp_path: Path) -> None:
    path = tmp_path / "labeling.ipynb"
    path.write_text(notebook("import boto3\nclient = boto3.client('sagemaker')", f"# launch\n{CALL}"), encoding="utf-8")
    [finding] = [f for f in scan([str(path)]).findings if f.rule_id == "GTL002"]
    location = finding.location
    assert (location.cell, location.cell_line) == (2, 2)
    file_line = path.read_text(encoding="utf-8").splitlines()[location.line - 1]
    assert "create_labeling_job" in file_line


def test_a_notebook_cell_that_is_not_python_is_one_error_for_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.ipynb"
    path.write_text(notebook("import boto3", "client.create_labeling_job(\n"), encoding="utf-8")
    result = scan([str(path)])
    assert [(error.file.rsplit("/", 1)[-1], error.message.split(":")[0]) for error in result.errors] == [
        ("broken.ipynb", "invalid Python in cell 2")]


def test_cli_shorthand_syntax_reads_nested_structures_and_lists() -> None:
    assert parse_shorthand("S3OutputPath=s3://b/o/,KmsKeyId=alias/k") == {"S3OutputPath": "s3://b/o/",
                                                                         "KmsKeyId": "alias/k"}
    assert parse_shorthand("A=x,B={C=y,D=[p,q]},E='1,2'") == {"A": "x", "B": {"C": "y", "D": ["p", "q"]}, "E": "1,2"}
    with pytest.raises(ValueError):
        parse_shorthand("KmsKeyId")


@pytest.mark.parametrize(("spelled", "member"), [
    ("volumeKMSKeyID", "VolumeKmsKeyId"), ("kmsKeyID", "KmsKeyId"), ("roleARN", "RoleArn"),
    ("labeling-job-algorithms-config", "LabelingJobAlgorithmsConfig"), ("manifestS3URI", "ManifestS3Uri"),
    ("somethingNew", "SomethingNew"),
])
def test_other_spellings_map_to_the_api_member(spelled: str, member: str) -> None:
    assert api_name(spelled) == member


_FLAKE8_LINE = re.compile(r"(?P<file>.+?):(?P<line>\d+):\d+: (?P<code>GTL\d{3}) (?P<note>note: )?")


def flake8(*arguments: str, cwd: Path = FIXTURES.parent) -> set[tuple[str, int, str, bool]]:
    completed = subprocess.run([str(BIN / "flake8"), "--select=GTL", *arguments], cwd=cwd, capture_output=True,
                               text=True, timeout=300, check=False)
    assert completed.stderr == ""
    return {(match["file"], int(match["line"]), match["code"], bool(match["note"]))
            for match in map(_FLAKE8_LINE.match, completed.stdout.splitlines()) if match}


def test_flake8_reports_what_gtlint_scan_reports_on_every_python_fixture() -> None:
    expected = {(Path(f.location.file).relative_to(FIXTURES.parent).as_posix(), f.location.line, f.rule_id,
                 f.level == "note") for f in scan([str(FIXTURES / "python")]).findings}
    assert flake8("--gtlint-notes", "fixtures/python") == expected
    assert flake8("fixtures/python") == {finding for finding in expected if not finding[3]}


def test_flake8_noqa_silences_one_rule(tmp_path: Path) -> None:
    source = f"import boto3\nclient = boto3.client('sagemaker')\n{CALL}  # noqa: GTL002\n"
    (tmp_path / "job.py").write_text(source, encoding="utf-8")
    assert flake8("job.py", cwd=tmp_path) == set()
    (tmp_path / "job.py").write_text(source.replace("  # noqa: GTL002", ""), encoding="utf-8")
    assert flake8("job.py", cwd=tmp_path) == {("job.py", 3, "GTL002", False)}
