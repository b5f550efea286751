"""`--jobs`: the same tree gives the same bytes whatever the number of processes, and bad counts are usage errors."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gtlint.scan import ScanResult, scan

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "fixtures.json"
JOBS = ("1", "2", "3")
ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/image-classification"
KEY = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
VOLUME_NOT_SET = ("LabelingJobAlgorithmsConfig.LabelingJobResourceConfig.VolumeKmsKeyId is not set: the automated "
                  "labeling instances' storage volume is not encrypted with a customer managed KMS key. Set it to a "
                  "KMS key ID or ARN.")


def gtlint(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """The real command, in a process of its own; output as bytes, to compare them exactly."""
    environment = {name: value for name, value in os.environ.items() if name != "GTLINT_IAM_SNAPSHOT"}
    return subprocess.run([sys.executable, "-m", "gtlint.cli", *arguments], cwd=cwd, env=environment,
                          capture_output=True, timeout=120, check=False)


@functools.cache
def fixtures_report(report_format: str, jobs: str) -> subprocess.CompletedProcess[bytes]:
    """`gtlint scan fixtures` from the repository root, run once per format and job count for this module."""
    return gtlint("scan", "fixtures", "--format", report_format, "--jobs", jobs)


def outcome(completed: subprocess.CompletedProcess[bytes]) -> tuple[int, bytes, bytes]:
    return completed.returncode, completed.stdout, completed.stderr


@pytest.mark.parametrize("jobs", JOBS)
def test_json_report_of_the_fixtures_is_the_committed_snapshot_with_any_jobs(jobs: str) -> None:
    """fixtures/bad-input holds unreadable files on purpose: exit 2, and nothing on stderr."""
    assert outcome(fixtures_report("json", jobs)) == (2, SNAPSHOT.read_bytes(), b"")


@pytest.mark.parametrize("report_format", ["json", "sarif", "text"])
def test_reports_of_the_fixtures_are_byte_identical_for_one_two_and_three_jobs(report_format: str) -> None:
    one, two, three = (outcome(fixtures_report(report_format, jobs)) for jobs in JOBS)
    assert one[0] == 2 and one[1]
    assert two == one
    assert three == one


def test_jobs_0_runs_one_process_per_cpu_and_gives_the_same_report() -> None:
    assert outcome(fixtures_report("json", "0")) == outcome(fixtures_report("json", "1"))


def test_the_short_option_j_is_jobs() -> None:
    assert outcome(gtlint("scan", "fixtures", "--format", "json", "-j", "2")) == outcome(fixtures_report("json", "1"))


@pytest.mark.parametrize("value", ["-1", "x", "1.5", "", " 2", "\u00b2"])
def test_a_job_count_that_is_not_a_number_of_processes_is_a_usage_error(value: str) -> None:
    completed = gtlint("scan", "fixtures/sam", "--jobs", value)
    assert (completed.returncode, completed.stdout) == (2, b"")
    assert completed.stderr.decode().splitlines()[-1] == (
        f"gtlint scan: error: argument --jobs/-j: {value!r} is not a number of processes")


# --- suppressions are applied in the parent, in unit order ----------------------------------------------


def write_suppressions_tree(root: Path) -> None:
    """Seven units: comments that match, one that matches nothing, one without a reason, one partly used, and
    a SAM template whose findings land in a definition file that is also scanned on its own."""
    command = "aws sagemaker create-labeling-job --labeling-job-name"
    output = f"--output-config S3OutputPath=s3://b/,KmsKeyId={KEY}"
    algorithms = f"--labeling-job-algorithms-config LabelingJobAlgorithmSpecificationArn={ALGORITHM}"
    root.mkdir()
    (root / "a-suppressed.sh").write_text("# gtlint: ignore[GTL001] the volume holds only public images\n"
                                          f"{command} a {output} {algorithms}\n")
    (root / "b-unused.sh").write_text("# gtlint: ignore[GTL001] nothing to suppress here\n"
                                      f"{command} b {output} {algorithms},LabelingJobResourceConfig={{"
                                      f"VolumeKmsKeyId={KEY}}}\n")
    (root / "c-plain.sh").write_text(f"{command} c {output} {algorithms}\n")
    (root / "d-no-reason.sh").write_text(f"# gtlint: ignore[GTL002]\n{command} d --output-config S3OutputPath=s3://b/\n")
    (root / "e-module").mkdir()
    (root / "e-module" / "main.tf").write_text(
        'resource "aws_sagemaker_labeling_job" "e" {\n  labeling_job_name = "e"\n'
        "  // gtlint: ignore[GTL002, GTL005] the bucket is encrypted by policy\n"
        '  output_config {\n    s3_output_path = "s3://b/"\n  }\n}\n')
    (root / "f-template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n"
        "    Properties:\n      DefinitionUri: g-definition.asl.yaml\n")
    (root / "g-definition.asl.yaml").write_text(
        "StartAt: Create\nStates:\n  Create:\n    Type: Task\n"
        "    Resource: arn:aws:states:::sagemaker:createLabelingJob.sync\n    End: true\n    Parameters:\n"
        "      LabelingJobName: g\n"
        f'      OutputConfig: {{S3OutputPath: "s3://b/", KmsKeyId: "{KEY}"}}  # gtlint: ignore[GTL005] not needed\n'
        "      # gtlint: ignore[GTL001] the volume holds only public images\n"
        f"      LabelingJobAlgorithmsConfig:\n        LabelingJobAlgorithmSpecificationArn: {ALGORITHM}\n")


def unused(rule_ids: str) -> str:
    return f"the suppression of {rule_ids} matches no finding. Remove it, or move it to the finding's line."


SUPPRESSION_FINDINGS = [
    ("GTL901", "warning", "tree/b-unused.sh", 1, unused("GTL001")),
    ("GTL001", "error", "tree/c-plain.sh", 1, VOLUME_NOT_SET),
    ("GTL900", "warning", "tree/d-no-reason.sh", 1, "the suppression of GTL002 gives no reason. Say why after it, "
     "e.g. `# gtlint: ignore[GTL002] bucket encrypted by SCP`."),
    ("GTL901", "warning", "tree/e-module/main.tf", 3, unused("GTL005")),
    ("GTL901", "warning", "tree/g-definition.asl.yaml", 9, unused("GTL005")),
]


def test_unused_ignores_are_the_same_with_any_jobs(tmp_path: Path) -> None:
    write_suppressions_tree(tmp_path / "tree")
    runs = [outcome(gtlint("scan", "tree", "--format", "json", "--report-unused-ignores", "--jobs", jobs,
                           cwd=tmp_path)) for jobs in JOBS]
    assert runs[1] == runs[0] and runs[2] == runs[0]
    code, stdout, stderr = runs[0]
    report = json.loads(stdout)
    assert (code, stderr) == (1, b"")
    assert [(f["rule_id"], f["level"], f["file"], f["line"], f["message"]) for f in report["findings"]] == (
        SUPPRESSION_FINDINGS)
    assert report["summary"] == {"files": 7, "requests": 7, "error": 1, "warning": 4, "note": 0, "file_errors": 0}


@pytest.mark.parametrize("jobs", [1, 2])
def test_suppressed_findings_are_counted_once_each_with_any_jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 jobs: int) -> None:
    """a's GTL001, d's GTL002, e's GTL002, and g's GTL001 twice: from the template and from the file itself."""
    write_suppressions_tree(tmp_path / "tree")
    monkeypatch.chdir(tmp_path)
    result = scan(["tree"], report_unused_ignores=True, jobs=jobs)
    assert result.suppressed == 5
    assert [(f.rule_id, f.location.file, f.location.line) for f in result.findings] == [
        (rule_id, file, line) for rule_id, _, file, line, _ in SUPPRESSION_FINDINGS]


IGNORE_GTL001 = "    Metadata:\n      gtlint:\n        ignore:\n          - id: GTL001\n            reason: public\n"


def state_machine_template(metadata: str) -> str:
    """A template whose state machine `Machine` fails GTL001 on line 16 (without `metadata`)."""
    return f"""Resources:
  Machine:
    Type: AWS::StepFunctions::StateMachine
{metadata}    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      Definition:
        StartAt: Create
        States:
          Create:
            Type: Task
            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync
            End: true
            Parameters:
              LabelingJobName: job
              OutputConfig: {{S3OutputPath: "s3://b/", KmsKeyId: "alias/out"}}
              LabelingJobAlgorithmsConfig:
                LabelingJobAlgorithmSpecificationArn: {ALGORITHM}
"""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_templates_metadata_suppression_covers_only_its_own_template_whatever_the_unit_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """Three templates with the same logical id; only the middle one (in unit order) suppresses GTL001."""
    (tmp_path / "tree").mkdir()
    for name, metadata in (("a-plain.yaml", ""), ("b-suppressed.yaml", IGNORE_GTL001), ("c-plain.yaml", "")):
        (tmp_path / "tree" / name).write_text(state_machine_template(metadata))
    monkeypatch.chdir(tmp_path)
    result = scan(["tree"], jobs=jobs)
    assert [(f.location.file, f.location.line) for f in result.findings if f.rule_id == "GTL001"] == [
        ("tree/a-plain.yaml", 16), ("tree/c-plain.yaml", 16)]
    assert result.suppressed == 1


# --- in process -----------------------------------------------------------------------------------------


def fields(result: ScanResult) -> tuple:
    return result.findings, result.errors, result.files, result.requests, result.suppressed


def test_scan_with_two_jobs_returns_what_one_job_returns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    one, two = scan(["fixtures"], jobs=1), scan(["fixtures"], jobs=2)
    assert one.findings and one.errors and one.requests
    assert fields(two) == fields(one)
