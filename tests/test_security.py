"""Nothing scanned reaches outside the scanned root, and nothing scanned reaches the terminal raw.

Files a scanned file names (SAM `DefinitionUri`, Terraform `templatefile()`/`file()`, AWS CLI `file://`) are read
only below the scanned root: one outside it, absolute, or reached through a symlink that leaves the root is an
unknown value (notes), never read. Symlinks found while walking a folder are not followed out of it. Control
characters and bidirectional overrides from scanned files and their names are escaped in every report, and
`--output` replaces a report whole or writes nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from gtlint.scan import FileError, ScanResult, scan

ROOT = Path(__file__).resolve().parent.parent
ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/image-classification"
OUTPUT_KEY = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
VOLUME_NOT_SET = ("LabelingJobAlgorithmsConfig.LabelingJobResourceConfig.VolumeKmsKeyId is not set: the automated "
                  "labeling instances' storage volume is not encrypted with a customer managed KMS key. Set it to a "
                  "KMS key ID or ARN.")
OUTPUT_KEY_NOT_SET = ("OutputConfig.KmsKeyId is not set: output is encrypted with the AWS managed key aws/s3. "
                      "Set OutputConfig.KmsKeyId to a customer managed KMS key.")
# No RoleArn anywhere: the referenced files then give exactly one finding each, the one asserted.
REQUEST = {"LabelingJobName": "job", "OutputConfig": {"S3OutputPath": "s3://b/", "KmsKeyId": OUTPUT_KEY},
           "LabelingJobAlgorithmsConfig": {"LabelingJobAlgorithmSpecificationArn": ALGORITHM}}
DEFINITION = {"StartAt": "Create", "States": {"Create": {
    "Type": "Task", "Resource": "arn:aws:states:::sagemaker:createLabelingJob.sync", "End": True,
    "Parameters": REQUEST}}}
RAW_CONTROLS = (b"\x1b", b"\x07", b"\r", "\u202e".encode())

Row = tuple[str, str, str, int, int, str]  # rule, level, file, line, column, message


def rows(result: ScanResult) -> list[Row]:
    return [(f.rule_id, f.level, f.location.file, f.location.line, f.location.column, f.message)
            for f in result.findings]


def position(path: Path, needle: str) -> tuple[int, int]:
    """1-based line and column of the first `needle` in the file."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(f"{needle!r} is not in {path}")


def gtlint(*arguments: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    """The real command; output as bytes, so that a raw control character cannot hide in decoding."""
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("GTLINT_IAM_SNAPSHOT", "NO_COLOR")}
    return subprocess.run([sys.executable, "-m", "gtlint.cli", *arguments], cwd=cwd, env=environment,
                          capture_output=True, timeout=120, check=False)


# --- files a scanned file names ------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    """A form that reads a file it names, and what gtlint says of it."""

    name: str
    scanned: str  # the scanned file, in the root
    text: str  # its text; {ref} is the reference
    target: str  # the referenced file's name (a suffix gtlint does not scan on its own)
    content: str  # the referenced file: it fails `finding` when read
    reason: Callable[[str, str], str]  # (reference, why it is not read) -> the notes' reason
    unknown: tuple[tuple[str, str], ...]  # (rule, field) of the notes a reference not read gives
    note_at: str  # where the notes point, in the scanned file
    finding: tuple[str, str, str]  # rule, level, message of what the referenced file gives when read
    finding_at: str | None  # where that points in the referenced file (None: line 1, column 1)


DEFINITION_UNKNOWN = (("GTL001", "LabelingJobAlgorithmsConfig"), ("GTL002", "OutputConfig"))
MACHINE = ('resource "aws_sfn_state_machine" "m" {{\n  name     = "m"\n'
           '  role_arn = "arn:aws:iam::111122223333:role/sfn"\n')
FORMS = [
    Form("sam-definition-uri", "template.yaml",
         "Transform: AWS::Serverless-2016-10-31\nResources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n"
         "    Properties:\n      DefinitionUri: {ref}\n",
         "definition.asl", json.dumps(DEFINITION, indent=2),
         lambda ref, why: f"DefinitionUri {ref} cannot be read: {why}", DEFINITION_UNKNOWN, "DefinitionUri",
         ("GTL001", "error", VOLUME_NOT_SET), '"LabelingJobAlgorithmsConfig"'),
    Form("terraform-templatefile", "main.tf", MACHINE + '  definition = templatefile("{ref}", {{}})\n}}\n',
         "definition.asl.tftpl", json.dumps(DEFINITION, indent=2),
         lambda ref, why: f"templatefile({ref!r}) cannot be read: {why}", DEFINITION_UNKNOWN, "definition",
         ("GTL001", "error", VOLUME_NOT_SET), '"LabelingJobAlgorithmsConfig"'),
    Form("terraform-file", "main.tf", MACHINE + '  definition = file("{ref}")\n}}\n',
         "definition.asl.tpl", json.dumps(DEFINITION, indent=2),
         lambda ref, why: f"file({ref!r}) cannot be read: {why}", DEFINITION_UNKNOWN, "definition",
         ("GTL001", "error", VOLUME_NOT_SET), '"LabelingJobAlgorithmsConfig"'),
    Form("cli-output-config", "job.sh",
         "aws sagemaker create-labeling-job --labeling-job-name job --output-config file://{ref}\n",
         "output-config.txt", json.dumps({"S3OutputPath": "s3://b/"}, indent=2),
         lambda ref, why: f"--output-config names file://{ref}, which cannot be read: {why}",
         (("GTL002", "OutputConfig"),), "file://", ("GTL002", "warning", OUTPUT_KEY_NOT_SET), None),
    Form("cli-input-json", "job.sh", "aws sagemaker create-labeling-job --cli-input-json file://{ref}\n",
         "request.txt", json.dumps(REQUEST, indent=2),
         lambda ref, why: f"--cli-input-json names file://{ref}, which cannot be read: {why}", DEFINITION_UNKNOWN,
         "file://", ("GTL001", "error", VOLUME_NOT_SET), '"LabelingJobAlgorithmsConfig"'),
]


def write_scanned(form: Form, root: Path, ref: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    scanned = root / form.scanned
    scanned.write_text(form.text.format(ref=ref))
    return scanned


def expected_notes(form: Form, scanned: Path, ref: str, why: str) -> list[Row]:
    line, column = position(scanned, form.note_at)
    reason = form.reason(ref, why)
    return [(rule, "note", scanned.as_posix(), line, column, f"{field} cannot be decided statically: {reason}")
            for rule, field in form.unknown]


def outside_reference(kind: str, form: Form, tmp_path: Path) -> tuple[str, str]:
    """Write the failing file outside `tmp_path/root`, and return how the scanned file names it and why it is
    not read."""
    root, outside = tmp_path / "root", tmp_path / "outside"
    folder = tmp_path / "root-sibling" if kind == "sibling-with-the-roots-name-as-prefix" else outside
    folder.mkdir(parents=True)
    (folder / form.target).write_text(form.content)
    root.mkdir()
    if kind == "parent":
        ref = f"../outside/{form.target}"
    elif kind == "sibling-with-the-roots-name-as-prefix":
        ref = f"../root-sibling/{form.target}"
    elif kind == "through-a-subfolder":
        (root / "sub").mkdir()
        ref = f"sub/../../outside/{form.target}"
    elif kind == "absolute":
        ref = (outside / form.target).as_posix()
        return ref, f"{ref} is an absolute path"
    elif kind == "symlinked-file":
        ref = f"linked-{form.target}"
        os.symlink(outside / form.target, root / ref)
    elif kind == "relative-symlinked-file":
        ref = f"linked-{form.target}"
        os.symlink(f"../outside/{form.target}", root / ref)
    elif kind == "symlinked-folder":
        os.symlink(outside, root / "shared", target_is_directory=True)
        ref = f"shared/{form.target}"
    else:
        raise AssertionError(kind)
    return ref, f"{ref} is outside the scanned root"


OUTSIDE = ["parent", "sibling-with-the-roots-name-as-prefix", "through-a-subfolder", "absolute", "symlinked-file",
           "relative-symlinked-file", "symlinked-folder"]


@pytest.mark.parametrize("kind", OUTSIDE)
@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_a_file_outside_the_scanned_root_is_not_read_and_its_value_is_unknown(
        form: Form, kind: str, tmp_path: Path) -> None:
    ref, why = outside_reference(kind, form, tmp_path)
    scanned = write_scanned(form, tmp_path / "root", ref)
    result = scan([str(tmp_path / "root")])
    assert rows(result) == expected_notes(form, scanned, ref, why)
    assert (result.errors, result.files, result.requests) == ([], 1, 1)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_the_file_used_outside_the_root_fails_when_it_is_inside(form: Form, tmp_path: Path) -> None:
    """The control for the test above: the same file, below the root, is read and gives its finding."""
    root = tmp_path / "root"
    write_scanned(form, root, form.target)
    (root / form.target).write_text(form.content)
    rule, level, message = form.finding
    line, column = position(root / form.target, form.finding_at) if form.finding_at else (1, 1)
    assert rows(scan([str(root)])) == [(rule, level, (root / form.target).as_posix(), line, column, message)]


INSIDE = ["in-a-subfolder", "up-and-back-down", "symlink-to-a-file-inside"]


@pytest.mark.parametrize("kind", INSIDE)
@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_a_reference_that_stays_below_the_root_is_read(form: Form, kind: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "defs").mkdir(parents=True)
    (root / "defs" / form.target).write_text(form.content)
    if kind == "in-a-subfolder":
        ref = f"defs/{form.target}"
    elif kind == "up-and-back-down":
        ref = f"../root/defs/{form.target}"
    else:
        ref = f"linked-{form.target}"
        os.symlink(f"defs/{form.target}", root / ref)
    write_scanned(form, root, ref)
    rule, level, message = form.finding
    line, column = position(root / "defs" / form.target, form.finding_at) if form.finding_at else (1, 1)
    shown = Path(os.path.normpath(root / ref)).as_posix()  # findings name the file as the reference does
    assert rows(scan([str(root)])) == [(rule, level, shown, line, column, message)]


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_the_root_is_the_folder_scanned_not_the_project(form: Form, tmp_path: Path) -> None:
    """`gtlint scan project/sub`: a file in `project/` is outside what was scanned."""
    project = tmp_path / "project"
    scanned = write_scanned(form, project / "sub", f"../{form.target}")
    (project / form.target).write_text(form.content)
    ref = f"../{form.target}"
    why = f"{ref} is outside the scanned root"
    assert rows(scan([str(project / "sub")])) == expected_notes(form, scanned, ref, why)


@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.name)
def test_a_file_named_on_the_command_line_has_its_folder_as_root(form: Form, tmp_path: Path) -> None:
    ref, why = outside_reference("parent", form, tmp_path)
    scanned = write_scanned(form, tmp_path / "root", ref)
    assert rows(scan([str(scanned)])) == expected_notes(form, scanned, ref, why)


def test_fileb_references_are_held_to_the_root_too(tmp_path: Path) -> None:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "output-config.txt").write_text('{"S3OutputPath": "s3://b/"}')
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / "job.sh").write_text("aws sagemaker create-labeling-job --labeling-job-name job "
                                              "--output-config fileb://../outside/output-config.txt\n")
    (finding,) = scan([str(tmp_path / "root")]).findings
    assert (finding.rule_id, finding.level) == ("GTL002", "note")
    assert finding.message.endswith(": ../outside/output-config.txt is outside the scanned root")


NUL_REFERENCES = {
    "sam-definition-uri": ("template.yaml", "Transform: AWS::Serverless-2016-10-31\nResources:\n  Machine:\n"
                           "    Type: AWS::Serverless::StateMachine\n    Properties:\n"
                           '      DefinitionUri: "../outside/definition.asl\\0"\n', 6),
    "terraform-file": ("main.tf", MACHINE.replace("{{", "{") + '  definition = file("../outside/x\\u0000.asl")\n}\n',
                       4),
}


@pytest.mark.parametrize("form", sorted(NUL_REFERENCES))
def test_a_reference_with_a_nul_character_is_an_unknown_value_not_an_internal_error(form: str, tmp_path: Path) -> None:
    name, text, line = NUL_REFERENCES[form]
    (tmp_path / "root").mkdir()
    (tmp_path / "root" / name).write_text(text)
    result = scan([str(tmp_path / "root")])
    assert result.errors == []
    assert [(f.rule_id, f.level, f.location.line) for f in result.findings] == [
        ("GTL001", "note", line), ("GTL002", "note", line)]


# --- symlinks found while walking a folder --------------------------------------------------------------


def write_failing_job(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**REQUEST, "RoleArn": "arn:aws:iam::111122223333:role/GroundTruthExecution"}))


def test_the_job_the_symlink_tests_hide_fails_when_scanned_in_its_own_place(tmp_path: Path) -> None:
    write_failing_job(tmp_path / "outside" / "job.json")
    result = scan([str(tmp_path / "outside")])
    assert [(f.level, f.location.file, f.message) for f in result.findings if f.rule_id == "GTL001"] == [
        ("error", (tmp_path / "outside" / "job.json").as_posix(), VOLUME_NOT_SET)]


def test_a_symlinked_folder_pointing_outside_is_not_entered(tmp_path: Path) -> None:
    write_failing_job(tmp_path / "outside" / "job.json")
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "root" / "shared", target_is_directory=True)
    result = scan([str(tmp_path / "root")])
    assert (result.findings, result.errors, result.files, result.requests) == ([], [], 0, 0)


def test_a_symlinked_folder_pointing_inside_is_not_entered_its_target_is_scanned_once(tmp_path: Path) -> None:
    write_failing_job(tmp_path / "root" / "real" / "job.json")
    os.symlink("real", tmp_path / "root" / "alias", target_is_directory=True)
    result = scan([str(tmp_path / "root")])
    assert {f.location.file for f in result.findings} == {(tmp_path / "root" / "real" / "job.json").as_posix()}
    assert (result.errors, result.files, result.requests) == ([], 1, 1)


@pytest.mark.parametrize("absolute", [True, False], ids=["absolute-link", "relative-link"])
def test_a_symlinked_file_pointing_outside_is_one_error_and_is_not_read(absolute: bool, tmp_path: Path) -> None:
    write_failing_job(tmp_path / "outside" / "job.json")
    (tmp_path / "root").mkdir()
    target = str(tmp_path / "outside" / "job.json") if absolute else "../outside/job.json"
    os.symlink(target, tmp_path / "root" / "job.json")
    result = scan([str(tmp_path / "root")])
    message = f"symlink to {target}, outside the scanned folder; not read (scan its target's folder instead)"
    assert result.errors == [FileError((tmp_path / "root" / "job.json").as_posix(), message)]
    assert (result.findings, result.files, result.requests) == ([], 0, 0)


def test_a_symlink_through_a_symlinked_folder_pointing_outside_is_one_error(tmp_path: Path) -> None:
    """The link's own path is below the root; where it leads is not."""
    write_failing_job(tmp_path / "outside" / "job.json")
    (tmp_path / "root").mkdir()
    os.symlink(tmp_path / "outside", tmp_path / "root" / "shared", target_is_directory=True)
    os.symlink("shared/job.json", tmp_path / "root" / "job.json")
    result = scan([str(tmp_path / "root")])
    message = "symlink to shared/job.json, outside the scanned folder; not read (scan its target's folder instead)"
    assert result.errors == [FileError((tmp_path / "root" / "job.json").as_posix(), message)]
    assert result.findings == []


# --- control characters never reach the terminal ---------------------------------------------------------

# A template whose key names (the logical id, the state name) and a value hold escapes, in a file whose name
# holds them too; Python with the raw characters in the line shown under its finding; an unreadable file and a
# missing path named with them.
TEMPLATE_NAME = "machine\x1b[2J\u202e\r.yaml"
TEMPLATE = r"""Resources:
  "Machine\e[2J\u202e":
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/sfn
      Definition:
        StartAt: Create
        States:
          "Create\e]0;title\a":
            Type: Task
            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync
            End: true
            Parameters:
              LabelingJobName: "job\e[2J"
              OutputConfig: {S3OutputPath: "s3://b/", KmsKeyId: "my-\e[2Jkey\e]0;title\a\u202e\r"}
              LabelingJobAlgorithmsConfig:
                LabelingJobAlgorithmSpecificationArn: ALGORITHM
""".replace("ALGORITHM", ALGORITHM)
PYTHON_NAME = "job\x1b]0;title\x07.py"
PYTHON = ('import boto3\nboto3.client("sagemaker").create_labeling_job(LabelingJobName="j", OutputConfig={'
          '"S3OutputPath": "s3://b/", "KmsKeyId": "raw-\x1b[2J\x1b]0;title\x07\u202ekey"})\n')
BROKEN_NAME = "broken\x1b[2J\r.json"
MISSING = "missing\x1b[2J\u202e.yaml"
SUBJECT = "Machine\x1b[2J\u202e.Create\x1b]0;title\x07"


@pytest.fixture(scope="module")
def escapes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working directory; the tree is `esc/`."""
    work = tmp_path_factory.mktemp("escapes")
    (work / "esc").mkdir()
    (work / "esc" / TEMPLATE_NAME).write_text(TEMPLATE)
    (work / "esc" / PYTHON_NAME).write_text(PYTHON)
    (work / "esc" / BROKEN_NAME).write_text('{"LabelingJobName": ')
    return work


@pytest.mark.parametrize("report_format", ["text", "json", "sarif", "github", "junit"])
def test_no_report_format_writes_a_raw_control_character(report_format: str, escapes: Path) -> None:
    completed = gtlint("scan", "esc", MISSING, "--format", report_format, cwd=escapes)
    assert completed.returncode == 2
    assert [raw for raw in RAW_CONTROLS if raw in completed.stdout or raw in completed.stderr] == []
    assert completed.stderr == b""


def test_text_report_shows_file_names_keys_values_and_source_lines_escaped(escapes: Path) -> None:
    lines = gtlint("scan", "esc", MISSING, cwd=escapes).stdout.decode().splitlines()
    subject = "[Machine\\x1b[2J\\u202e.Create\\x1b]0;title\\x07]"
    assert "esc/machine\\x1b[2J\\u202e\\x0d.yaml" in lines
    assert "esc/job\\x1b]0;title\\x07.py" in lines
    assert [line.split()[2] for line in lines if line.endswith(subject)] == ["GTL005", "GTL001"]
    assert "OutputConfig.KmsKeyId is 'my-\\x1b[2Jkey\\x1b]0;title\\x07\\u202e\\r'" in lines[lines.index(
        "esc/machine\\x1b[2J\\u202e\\x0d.yaml") + 1]
    assert [line for line in lines if line.strip().startswith("| ") and "raw-" in line] == [
        '            | ...create_labeling_job(LabelingJobName="j", OutputConfig={"S3OutputPath": "s3://b/", '
        '"KmsKeyId": "raw-\\x1b[2J\\x1b]0;title\\x07\\u202ekey"})']
    assert "esc/broken\\x1b[2J\\x0d.json: cannot read: invalid JSON: Expecting value: line 1 column 21 (char 20)" in (
        lines)
    assert "missing\\x1b[2J\\u202e.yaml: cannot read: no such file or directory" in lines


def test_json_report_is_ascii_json_whose_strings_are_the_raw_names_and_values(escapes: Path) -> None:
    stdout = gtlint("scan", "esc", MISSING, "--format", "json", cwd=escapes).stdout
    assert stdout.isascii()
    assert b'"file": "esc/machine\\u001b[2J\\u202e\\r.yaml"' in stdout
    report = json.loads(stdout)
    assert sorted({(f["file"], f["subject"]) for f in report["findings"]}) == [
        (f"esc/{PYTHON_NAME}", "j"), (f"esc/{TEMPLATE_NAME}", SUBJECT)]
    assert report["errors"] == [
        {"file": f"esc/{BROKEN_NAME}", "message": "invalid JSON: Expecting value: line 1 column 21 (char 20)"},
        {"file": MISSING, "message": "no such file or directory"}]


def write_config_with_an_escaped_key(work: Path) -> list[str]:
    (work / "tree").mkdir()
    (work / "tree" / ".gtlint.yaml").write_text('"\\e[2J\\u202e": true\n')
    return ["scan", "tree"]


def missing_output_folder(work: Path) -> list[str]:
    return ["scan", "esc", "--output", "no\x1b[2J\r/report.txt"]


def name_that_looks_like_an_option(work: Path) -> list[str]:
    """pre-commit's `gtlint` hook passes the changed files' names after `gtlint scan`, with no `--`."""
    (work / "--x\x1b[2J\u202e.yaml").write_text("a: 1\n")
    return ["scan", "--x\x1b[2J\u202e.yaml"]


@pytest.mark.parametrize(("arrange", "shown"), [
    (write_config_with_an_escaped_key, "unknown setting \\x1b[2J\\u202e (known: "),
    (missing_output_folder, "gtlint: --output no\\x1b[2J\\x0d/report.txt: No such file or directory"),
    (name_that_looks_like_an_option, "unrecognized arguments: --x"),
], ids=["config-key", "output-folder", "file-name-as-option"])
def test_usage_errors_quote_names_and_keys_escaped(arrange: Callable[[Path], list[str]], shown: str,
                                                   tmp_path: Path) -> None:
    (tmp_path / "esc").mkdir()
    completed = gtlint(*arrange(tmp_path), cwd=tmp_path)
    assert (completed.returncode, completed.stdout) == (2, b"")
    assert [raw for raw in RAW_CONTROLS if raw in completed.stderr] == []
    assert shown in completed.stderr.decode()


# --- --output --------------------------------------------------------------------------------------------


def listing(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): (b"" if path.is_dir() else path.read_bytes())
            for path in sorted(folder.rglob("*"))}


def test_output_replaces_an_existing_report_whole_with_what_a_fresh_run_writes(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "report.json"
    report.parent.mkdir()
    report.write_bytes(b"old report " * 100_000)  # longer than the new one: nothing of it may be left
    os.link(report, tmp_path / "reports" / "held-by-a-reader.json")
    fresh = gtlint("scan", "fixtures/sam", "--format", "json")
    written = gtlint("scan", "fixtures/sam", "--format", "json", "--output", str(report))
    assert (written.returncode, written.stdout, written.stderr) == (fresh.returncode, b"", b"")
    assert report.read_bytes() == fresh.stdout
    # Replaced by a rename, not rewritten in place: a reader of the old file still has it whole.
    assert (tmp_path / "reports" / "held-by-a-reader.json").read_bytes() == b"old report " * 100_000
    assert sorted(os.listdir(report.parent)) == ["held-by-a-reader.json", "report.json"]


def test_output_leaves_no_temporary_file_after_several_runs(tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    for _ in range(3):
        gtlint("scan", "fixtures/sam", "--format", "sarif", "--output", str(report))
    assert [name for name in os.listdir(tmp_path) if name.startswith(".gtlint-")] == []
    assert os.listdir(tmp_path) == ["report.sarif"]


def test_output_into_a_missing_folder_exits_2_with_one_line_and_writes_nothing_anywhere(tmp_path: Path) -> None:
    work = tmp_path / "work"
    write_failing_job(work / "tree" / "job.json")
    before = listing(tmp_path)
    target = tmp_path / "missing" / "report.json"
    completed = gtlint("scan", "tree", "--format", "json", "--output", str(target), cwd=work)
    assert (completed.returncode, completed.stdout) == (2, b"")
    assert completed.stderr.decode() == f"gtlint: --output {target}: No such file or directory\n"
    assert listing(tmp_path) == before


def test_output_naming_a_folder_exits_2_and_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    work = tmp_path / "work"
    write_failing_job(work / "tree" / "job.json")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "old.json").write_text("{}")
    before = listing(tmp_path)
    completed = gtlint("scan", "tree", "--output", str(tmp_path / "reports"), cwd=work)
    assert (completed.returncode, completed.stdout) == (2, b"")
    assert completed.stderr.decode() == f"gtlint: --output {tmp_path / 'reports'}: Is a directory\n"
    assert listing(tmp_path) == before
