"""Bad input, generated here: each bad file is one clear per-file error, the others are still scanned.

The corpus is written to a temporary folder (nothing huge is committed). Every bad file mentions a
labeling job, as a broken file of a labeling pipeline would: files that cannot name one are not
parsed at all (see `gtlint.scan.MENTIONS`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from gtlint.report import to_json, to_sarif, to_text
from gtlint.scan import scan

GTLINT = [sys.executable, "-m", "gtlint.cli"]
TIME_LIMIT = 10  # seconds for the whole corpus; a hang guard, generous
MEMORY_LIMIT = 300 * 1024 * 1024

JOB = {
    "LabelingJobName": "labeling-job",
    "LabelAttributeName": "category",
    "RoleArn": "arn:aws:iam::111122223333:role/GroundTruthExecution",
    "InputConfig": {"DataSource": {"S3DataSource": {"ManifestS3Uri": "s3://amzn-s3-demo-bucket/in.manifest"}}},
    "OutputConfig": {"S3OutputPath": "s3://amzn-s3-demo-bucket/out/",
                     "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"},
    "HumanTaskConfig": {"WorkteamArn": "arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/team"},
    "LabelingJobAlgorithmsConfig": {"LabelingJobAlgorithmSpecificationArn":
                                    "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/x"},
}
JOB_JSON = json.dumps(JOB, indent=2) + "\n"
TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Description: Labeling pipeline
Resources:
  LabelingStateMachine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/StepFunctions
      Definition:
        StartAt: Label
        States:
          Label:
            Type: Task
            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync
            End: true
            Parameters:
              LabelingJobName: product-images
"""
DEPTH = 100_000

# file name -> what its one error says
BAD: dict[str, str] = {
    "truncated.yaml": "line 17, column 41: found unexpected end of stream",
    "truncated.json": "invalid JSON: ",
    "truncated.tf": "invalid HCL: ",
    "truncated.py": "invalid Python: ",
    "truncated.ipynb": "invalid JSON: ",
    "unknown-tag.yaml": "line 4: unknown tag !NotATag",
    "binary.json": "binary file (or UTF-16 text without a byte-order mark); gtlint reads text files",
    "latin-1.yaml": "not UTF-8 text (line 3: byte 0xe9); save the file as UTF-8",
    "utf-16-without-mark.json": "binary file (or UTF-16 text without a byte-order mark); gtlint reads text files",
    "over-the-size-limit.json": "file is larger than the size limit (20 MiB); raise it with --max-file-size",
    "deep.json": "nested more than 200 levels deep",
    "deep.yaml": "line 1, column 1017: exceeded maximum nesting depth",  # libyaml's own limit
    "deep.py": "invalid Python: too many nested parentheses (line 1)",
    "deep.tf": "invalid HCL: maximum recursion depth exceeded",
    "alias-bomb.yaml": "YAML aliases expand this document to more than 1000000 values (an alias bomb?)",
    "symlink-loop.yaml": "symlink loop (-> symlink-loop.yaml); not read",
    "dangling-symlink.yaml": "dangling symlink (-> gone.yaml); not read",
    "symlink-outside.yaml": "outside the scanned folder; not read (scan its target's folder instead)",
    "fifo.json": "not a regular file",
}
# file name -> line of its GTL001 finding: files that look odd but are fine
GOOD = {"job.json": 19, "utf-8-mark.json": 19, "utf-16-mark.json": 19, "long-line.json": 1}


def write_corpus(root: Path, outside: Path) -> None:
    root.mkdir()
    job = (root / "job.json")
    job.write_text(JOB_JSON)
    (root / "utf-8-mark.json").write_bytes(b"\xef\xbb\xbf" + JOB_JSON.encode())
    (root / "utf-16-mark.json").write_bytes(JOB_JSON.encode("utf-16"))  # with its byte-order mark
    (root / "utf-16-without-mark.json").write_bytes(JOB_JSON.encode("utf-16-le"))
    (root / "long-line.json").write_text(json.dumps({**JOB, "Tags": [{"Key": "k", "Value": "v" * 10_000_000}]}))
    (root / "truncated.yaml").write_text(TEMPLATE + '              LabelAttributeName: "categ')  # cut mid-string
    (root / "truncated.json").write_text(JOB_JSON[: len(JOB_JSON) // 2])
    (root / "truncated.tf").write_text('resource "aws_sagemaker_labeling_job" "job" {\n  labeling_job_name = "x"\n')
    (root / "truncated.py").write_text('import boto3\nboto3.client("sagemaker").create_labeling_job(\n')
    (root / "truncated.ipynb").write_text('{"cells": [{"cell_type": "code", "source": ["create_labeling_job("')
    (root / "unknown-tag.yaml").write_text("Description: labeling bucket\nResources:\n  Bucket:\n"
                                           "    Properties: !NotATag {}\n")
    (root / "binary.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"createLabelingJob\xff\x00")
    (root / "latin-1.yaml").write_bytes(b"LabelingJobName: j\nLabelAttributeName: l\nTaskTitle: caf\xe9\n")
    with open(root / "over-the-size-limit.json", "wb") as handle:  # sparse: costs no disk
        handle.write(b'{"LabelingJobName": "j", ')
        handle.truncate(20 * 1024 * 1024 + 1)
    (root / "deep.json").write_text('{"LabelingJobName": ' + "[" * DEPTH + "]" * DEPTH + "}")
    (root / "deep.yaml").write_text("LabelingJobName: " + "[" * DEPTH + "]" * DEPTH + "\n")
    (root / "deep.py").write_text("client.create_labeling_job(Tags=" + "[" * DEPTH + "]" * DEPTH + ")\n")
    (root / "deep.tf").write_text('resource "aws_sagemaker_labeling_job" "x" {\n  tags = ' + "[" * DEPTH
                                  + "]" * DEPTH + "\n}\n")
    (root / "alias-bomb.yaml").write_text(alias_bomb())
    os.symlink("symlink-loop.yaml", root / "symlink-loop.yaml")
    os.symlink("gone.yaml", root / "dangling-symlink.yaml")
    outside.mkdir()
    (outside / "job.yaml").write_text(JOB_JSON)
    os.symlink(outside / "job.yaml", root / "symlink-outside.yaml")
    os.symlink("job.json", root / "symlink-inside.json")  # read where it points: not a second finding
    os.mkfifo(root / "fifo.json")  # reading it would block forever


def alias_bomb() -> str:
    """A billion laughs: ten levels of nine aliases each, 9**10 values, in a request document."""
    lines = ["LabelingJobName: bomb", 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]" for level in range(1, 10)]
    return "\n".join([*lines, "Tags: *l9", ""])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("bad-input")
    write_corpus(base / "corpus", base / "outside")
    return base / "corpus"


def run_gtlint(*arguments: str, tmp: Path) -> tuple[subprocess.CompletedProcess[str], int]:
    """The real command, killed if it runs over TIME_LIMIT, with the peak memory (bytes) of its process."""
    stdout, stderr = tmp / "stdout", tmp / "stderr"
    with open(stdout, "w") as out, open(stderr, "w") as err:
        process = subprocess.Popen([*GTLINT, *arguments], stdout=out, stderr=err)
    timer = threading.Timer(TIME_LIMIT, process.kill)
    timer.start()
    _, status, usage = os.wait4(process.pid, 0)
    timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode != -signal.SIGKILL, f"gtlint ran for more than {TIME_LIMIT} s"
    completed = subprocess.CompletedProcess(process.args, process.returncode, stdout.read_text(), stderr.read_text())
    return completed, usage.ru_maxrss * 1024  # kilobytes on Linux


def by_file(corpus: Path, errors: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for file, message in errors:
        grouped.setdefault(Path(file).relative_to(corpus).as_posix(), []).append(message)
    return grouped


def assert_one_error_per_bad_file(corpus: Path, errors: list[tuple[str, str]]) -> None:
    grouped = by_file(corpus, errors)
    assert sorted(grouped) == sorted(BAD)
    for name, messages in grouped.items():
        assert len(messages) == 1, name
        assert BAD[name] in messages[0], name


def test_json_report_has_one_error_per_bad_file_and_the_good_files_findings(corpus: Path, tmp_path: Path) -> None:
    completed, peak = run_gtlint("scan", str(corpus), "--format", "json", tmp=tmp_path)
    assert (completed.returncode, completed.stderr) == (2, "")
    report = json.loads(completed.stdout)
    assert_one_error_per_bad_file(corpus, [(error["file"], error["message"]) for error in report["errors"]])
    gtl001 = {Path(finding["file"]).name: finding["line"] for finding in report["findings"]
              if finding["rule_id"] == "GTL001"}
    assert gtl001 == GOOD
    assert report["summary"]["file_errors"] == len(BAD)
    assert peak < MEMORY_LIMIT


def test_sarif_reports_each_bad_file_as_a_tool_execution_notification(corpus: Path, tmp_path: Path) -> None:
    completed, _ = run_gtlint("scan", str(corpus), "--format", "sarif", tmp=tmp_path)
    assert completed.returncode == 2
    (invocation,) = json.loads(completed.stdout)["runs"][0]["invocations"]
    notifications = invocation["toolExecutionNotifications"]
    assert invocation["executionSuccessful"] is False
    assert {notification["level"] for notification in notifications} == {"error"}
    errors = [(notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
               notification["message"]["text"]) for notification in notifications]
    assert_one_error_per_bad_file(corpus, [(uri.removeprefix("file://"), text) for uri, text in errors])


def test_text_report_has_one_line_per_bad_file_and_nothing_on_stderr(corpus: Path, tmp_path: Path) -> None:
    completed, _ = run_gtlint("scan", str(corpus), tmp=tmp_path)
    assert (completed.returncode, completed.stderr) == (2, "")
    errors = [line.split(": cannot read: ", 1) for line in completed.stdout.splitlines() if ": cannot read: " in line]
    assert_one_error_per_bad_file(corpus, [(file, message) for file, message in errors])
    excerpts = [line.strip() for line in completed.stdout.splitlines() if line.lstrip().startswith("| ")]
    assert len(excerpts) == 3 * len(GOOD)  # GTL001, GTL004 and GTL007 in each good file
    assert max(len(excerpt) for excerpt in excerpts) <= 2 + 120 + 6  # the 10 MB line shows a window and "..."
    read = sum(1 for path in corpus.iterdir() if not path.is_symlink())  # symlinks are errors or read elsewhere
    assert completed.stdout.splitlines()[-1].startswith(f"{read} files, {len(GOOD)} labeling-job requests: ")


def test_max_file_size_sets_the_limit(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "job.json").write_text(JOB_JSON)
    completed, _ = run_gtlint("scan", str(tmp_path / "in"), "--max-file-size", "512B", "--format", "json", tmp=tmp_path)
    assert completed.returncode == 2
    assert [error["message"] for error in json.loads(completed.stdout)["errors"]] == [
        "file is larger than the size limit (512 bytes); raise it with --max-file-size"]
    completed, _ = run_gtlint("scan", str(tmp_path / "in"), "--max-file-size", "2KB", "--format", "json", tmp=tmp_path)
    assert (completed.returncode, json.loads(completed.stdout)["errors"]) == (1, [])


def test_a_bad_max_file_size_is_a_usage_error(tmp_path: Path) -> None:
    completed, _ = run_gtlint("scan", ".", "--max-file-size", "big", tmp=tmp_path)
    assert completed.returncode == 2
    assert "argument --max-file-size: 'big' is not a size such as 20MiB, 5MB or 100000" in completed.stderr


def _without_file_permission_bypass() -> list[str]:
    """Root reads any file; without these capabilities it is refused like anyone else."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a file cannot be made unreadable")
    drop = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", drop, "--inh-caps", drop]


def test_an_unreadable_file_is_one_error_and_the_rest_is_scanned(tmp_path: Path) -> None:
    (tmp_path / "job.json").write_text(JOB_JSON)
    unreadable = tmp_path / "unreadable.json"
    unreadable.write_text(JOB_JSON)
    unreadable.chmod(0)
    completed = subprocess.run([*_without_file_permission_bypass(), *GTLINT, "scan", str(tmp_path), "--format",
                                "json"], capture_output=True, text=True, timeout=TIME_LIMIT)
    report = json.loads(completed.stdout)
    assert completed.returncode == 2
    assert report["errors"] == [{"file": str(unreadable), "message": "permission denied"}]
    assert [Path(finding["file"]).name for finding in report["findings"] if finding["rule_id"] == "GTL001"] == [
        "job.json"]


def test_a_file_removed_during_the_scan_is_one_error_in_every_report(tmp_path: Path) -> None:
    for name in ("a-job.json", "b-removed.json", "c-job.json"):
        (tmp_path / name).write_text(JOB_JSON)
    removed = tmp_path / "b-removed.json"

    def remove_after_the_first_file(done: int, total: int) -> None:
        if done == 1:
            removed.unlink()

    result = scan([str(tmp_path)], progress=remove_after_the_first_file)
    assert [(error.file, error.message) for error in result.errors] == [
        (removed.as_posix(), "no such file or directory")]
    assert [Path(finding.location.file).name for finding in result.findings if finding.rule_id == "GTL001"] == [
        "a-job.json", "c-job.json"]
    reports: list[Callable[..., str]] = [to_text, to_json, to_sarif]
    for report in reports:
        assert report(result).count("no such file or directory") == 1, report.__name__
