"""Random but well-typed inputs in the forms gtlint reads, checked against an oracle; mutated fixtures.

The strategies draw an abstract labeling job first (is LabelingJobAlgorithmsConfig there, is the
volume key a literal, empty, unknown or a reference, ...) and write it out in one of the ways a form
allows: CloudFormation (a `Definition` mapping, a `DefinitionString` as plain JSON, `Fn::Sub`,
`Fn::Sub` with variables or `Fn::Join`, `DefinitionSubstitutions`, parameters with and without a
Default, `Fn::If`), standalone Amazon States Language (nested Parallel and Map states, JSONPath and
JSONata), Terraform (`aws_sagemaker_labeling_job` blocks and `aws_sfn_state_machine` definitions as
`jsonencode`, heredoc or quoted string, variables with and without default, locals, module outputs,
dynamic blocks) and boto3 code (keyword arguments, `**request`, requests built in steps, `os.environ`,
`if` branches). The oracle reads the abstract job, never gtlint, and says what GTL001, GTL002 and
GTL005 must report for each request: nothing, an error or warning, or a note.

IAM policy documents attached to the execution role in a CloudFormation template are checked for
crashes and determinism; with Allow/Deny statements without conditions, an oracle decides whether
the role may use kms:CreateGrant on the volume key (GTL003) and kms:Encrypt on the output key (GTL004).

Last, every fixture file is mutated at the byte level (truncated, bytes flipped, inserted and
deleted, a NUL, a run of `{`, a chunk duplicated) and scanned: nothing may escape `scan`, and a file
that cannot be read must be reported with a message for the user, never an internal error.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from fixture_names import FIXTURES, outcome_of
from gtlint.catalogue import LEVELS, REQUEST_RULES
from gtlint.document import LoadError
from gtlint.environment import IamContext
from gtlint.scan import ScanResult, scan
from gtlint.snapshot import load_snapshot
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

# Shrinking a failing example can take minutes: it is off unless GTLINT_FUZZ_SHRINK=1. A failure then shows
# the first failing example found, which derandomize makes the same on every run.
_PHASES = tuple(Phase) if os.environ.get("GTLINT_FUZZ_SHRINK") == "1" else (Phase.explicit, Phase.generate)


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=True, print_blob=False, database=None,
                    phases=_PHASES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


SCAN_SECONDS = 10  # a scan of one small file or module takes milliseconds


class TookTooLong(BaseException):
    """Raised by `time_limit`: not an Exception, so that no last-resort `except Exception` turns it into a result."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise TookTooLong(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limited_scan(target: str, what: str, snapshot: IamContext | None = None) -> ScanResult:
    """`scan([target])` in this process; a scan that hangs or raises fails the test, saying on what."""
    try:
        with time_limit(SCAN_SECONDS, f"scanning {what}"):
            return scan([target], snapshot=snapshot)
    except TookTooLong as error:
        pytest.fail(str(error))
    except Exception as error:  # the point: nothing may escape
        pytest.fail(f"scan raised {type(error).__name__}: {error} on {what}")


# -- the abstract request and the oracle -------------------------------------------------------

PASS, NOTE, FAIL = "pass", "note", "fail"
_RANK = {PASS: 0, NOTE: 1, FAIL: 2}


def worst(verdicts: Iterable[str]) -> str:
    return max(verdicts, key=_RANK.__getitem__, default=PASS)


@dataclass(frozen=True)
class Leaf:
    """A key's value on one branch: absent, a literal (its text), unknown, or a reference (set, not literal)."""

    state: str
    text: str | None = None


@dataclass(frozen=True)
class Either:
    """A value that depends on a condition decided at deploy or run time (Fn::If, a Python `if`)."""

    branches: tuple[Leaf, ...]


Value = Leaf | Either
ABSENT = Leaf("absent")


def branches(value: Value) -> tuple[Leaf, ...]:
    return value.branches if isinstance(value, Either) else (value,)


@dataclass
class Job:
    """One CreateLabelingJob request as drawn. Containers are "present", "absent" or "unknown"."""

    subject: str
    body_unknown: bool = False  # a Task without Parameters: the state's input is the request
    algorithms: str = "absent"
    resource_config: str = "absent"
    volume: Value = ABSENT
    output_config: str = "present"
    output: Value = ABSENT


KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:111122223333:key/{KEY_ID}"
ALGORITHM = "arn:aws:sagemaker:us-east-1:027400017018:labeling-job-algorithm-specification/image-classification"
ROLE_ARN = "arn:aws:iam::111122223333:role/GroundTruthExecution"
OUTPUT_PATH = "s3://example-gt-output/vehicles/"


@dataclass(frozen=True)
class LiteralKey:
    """A literal the oracle knows: is it a form VolumeKmsKeyId accepts, one KmsKeyId accepts, aws/s3?"""

    volume_form: bool
    output_form: bool
    aws_managed: bool = False


LITERALS: dict[str | None, LiteralKey] = {
    KEY_ARN: LiteralKey(True, True),
    KEY_ID: LiteralKey(True, True),
    f"arn:aws-cn:kms:cn-north-1:111122223333:key/{KEY_ID}": LiteralKey(True, True),
    f"arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/{KEY_ID}": LiteralKey(True, True),
    "mrk-1234abcd12ab34cd56ef1234567890ab": LiteralKey(True, True),
    "alias/labeling-keys": LiteralKey(False, True),
    "arn:aws:kms:us-east-1:111122223333:alias/labeling-keys": LiteralKey(False, True),
    "alias/aws/s3": LiteralKey(False, True, aws_managed=True),
    "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3": LiteralKey(False, True, aws_managed=True),
    "labeling-keys": LiteralKey(False, False),
    "arn:aws:s3:::example-gt-output": LiteralKey(False, False),
    "": LiteralKey(False, False),
    None: LiteralKey(False, False),
}
TEXT_LITERALS = [text for text in LITERALS if text is not None]


def _blank(leaf: Leaf) -> bool:
    return leaf.state == "absent" or (leaf.state == "literal" and leaf.text in ("", None))


def _key_set(leaf: Leaf, aws_managed_fails: bool) -> str:
    """GTL001/GTL002 on one branch: not set or empty fails, unknown is a note, anything set passes."""
    if _blank(leaf):
        return FAIL
    if leaf.state == "unknown":
        return NOTE
    if aws_managed_fails and leaf.state == "literal" and LITERALS[leaf.text].aws_managed:
        return FAIL
    return PASS


def _key_form(leaf: Leaf, volume: bool) -> str:
    """GTL005 on one branch: only non-empty literals are judged."""
    if leaf.state != "literal" or _blank(leaf):
        return PASS
    known = LITERALS[leaf.text]
    return PASS if (known.volume_form if volume else known.output_form) else FAIL


def oracle_gtl001(job: Job) -> str:
    if job.body_unknown or job.algorithms == "unknown":
        return NOTE
    if job.algorithms == "absent":
        return PASS  # no automated labeling: no volume
    if job.resource_config == "unknown":
        return NOTE
    if job.resource_config == "absent":
        return FAIL
    return worst([_key_set(leaf, False) for leaf in branches(job.volume)])


def oracle_gtl002(job: Job) -> str:
    if job.body_unknown or job.output_config == "unknown":
        return NOTE
    if job.output_config == "absent":
        return FAIL
    return worst([_key_set(leaf, True) for leaf in branches(job.output)])


def oracle_gtl005(job: Job) -> str:
    verdicts = [PASS]
    if not job.body_unknown and job.algorithms == "present" and job.resource_config == "present":
        verdicts += [_key_form(leaf, volume=True) for leaf in branches(job.volume)]
    if not job.body_unknown and job.output_config == "present":
        verdicts += [_key_form(leaf, volume=False) for leaf in branches(job.output)]
    return worst(verdicts)


ORACLES: dict[str, Callable[[Job], str]] = {"GTL001": oracle_gtl001, "GTL002": oracle_gtl002, "GTL005": oracle_gtl005}


@dataclass
class Case:
    """Files to write (relative path -> text), what to scan, and the jobs they hold."""

    files: dict[str, str]
    jobs: list[Job]
    scan_path: str = "."  # relative to the folder the files are written to

    def show(self) -> str:
        return "\n".join(f"--- {name}\n{text}" for name, text in self.files.items())


def scan_twice(case: Case) -> ScanResult:
    """Write the case to a fresh folder and scan it twice: the two results must be the same."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, text in case.files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text, encoding="utf-8")
        target = str(root / case.scan_path)
        first = limited_scan(target, f"the generated input\n{case.show()}")
        second = limited_scan(target, f"the generated input\n{case.show()}")
    assert (first.findings, first.errors, first.requests) == (second.findings, second.errors, second.requests), (
        f"two scans of the same input differ\n{case.show()}")
    return first


def verdicts_of(result: ScanResult, subject: str) -> dict[str, str]:
    return {rule_id: outcome_of({f.level for f in result.findings if f.subject == subject and f.rule_id == rule_id})
            for rule_id in ORACLES}


def assert_matches_oracle(case: Case) -> ScanResult:
    result = scan_twice(case)
    assert result.errors == [], f"{result.errors}\n{case.show()}"
    found = sorted({finding.subject for finding in result.findings})
    expected_subjects = [job.subject for job in case.jobs]
    assert result.requests == len(case.jobs) and set(found) <= set(expected_subjects), (
        f"gtlint found {result.requests} requests ({found}), the generator wrote {expected_subjects}\n{case.show()}")
    for job in case.jobs:
        expected = {rule_id: oracle(job) for rule_id, oracle in ORACLES.items()}
        actual = verdicts_of(result, job.subject)
        messages = [f"{f.rule_id} {f.level}: {f.message}" for f in result.findings if f.subject == job.subject]
        assert actual["GTL001"] == expected["GTL001"], _mismatch("GTL001", job, actual, expected, messages, case)
        assert actual["GTL002"] == expected["GTL002"], _mismatch("GTL002", job, actual, expected, messages, case)
        assert actual["GTL005"] == expected["GTL005"], _mismatch("GTL005", job, actual, expected, messages, case)
    return result


def _mismatch(rule_id: str, job: Job, actual: dict, expected: dict, messages: list[str], case: Case) -> str:
    return (f"{rule_id} on {job.subject}: gtlint {actual[rule_id]}, oracle {expected[rule_id]}\njob: {job}\n"
            + "\n".join(messages) + f"\n{case.show()}")


# -- state machines, shared by CloudFormation, standalone ASL and Terraform ------------------------

LABELING_RESOURCES = [
    f"arn:{partition}:states:::sagemaker:createLabelingJob{sync}"
    for partition in ("aws", "aws-cn", "aws-us-gov") for sync in ("", ".sync")
]
HUMAN_TASK = {
    "WorkteamArn": "arn:aws:sagemaker:us-east-1:111122223333:workteam/private-crowd/vehicle-labelers",
    "UiConfig": {"UiTemplateS3Uri": "s3://example-gt-input/templates/image-classification.liquid.html"},
    "PreHumanTaskLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:PRE-ImageMultiClass",
    "TaskTitle": "Classify the vehicle",
    "TaskDescription": "Choose the class that best describes the vehicle in the image",
    "NumberOfHumanWorkersPerDataObject": 3,
    "TaskTimeLimitInSeconds": 300,
    "AnnotationConsolidationConfig": {
        "AnnotationConsolidationLambdaArn": "arn:aws:lambda:us-east-1:432418664414:function:ACS-ImageMultiClass"},
}
INPUT = {"DataSource": {"S3DataSource": {"ManifestS3Uri": "s3://example-gt-input/vehicles/dataset.manifest"}}}


@dataclass(frozen=True)
class Slot:
    """How a key is written: its value, and `.$` after the key for a JSONPath."""

    value: Any
    jsonpath: bool = False


def put(container: dict, key: str, slot: Slot | None) -> None:
    if slot is not None:
        container[f"{key}.$" if slot.jsonpath else key] = slot.value


class Writer:
    """How one form writes values; a subclass per form (and style)."""

    def leaf(self, draw: st.DrawFn, query_language: str, which: str) -> tuple[Value, Slot | None]:
        raise NotImplementedError

    def unknown_container(self, draw: st.DrawFn, query_language: str, which: str) -> Slot:
        """An object only known at run time: a JSONPath, or a JSONata expression."""
        if query_language == "jsonata":
            return Slot(f"{{% $states.input.{which} %}}")
        return Slot(f"$.{which}", jsonpath=True)

    def labeling_resource(self, draw: st.DrawFn) -> Any:
        return draw(st.sampled_from(LABELING_RESOURCES))


CONTAINER = st.sampled_from(["present", "present", "present", "absent", "unknown"])


def draw_job(draw: st.DrawFn, writer: Writer, query_language: str, subject: str,
             name: str) -> tuple[Job, dict | None]:
    """A job and its request body in API shape (None: the Task has no Parameters)."""
    job = Job(subject)
    if draw(st.integers(0, 15)) == 0:
        job.body_unknown = True
        return job, None
    body: dict[str, Any] = {"LabelingJobName": name, "RoleArn": ROLE_ARN, "LabelAttributeName": "vehicle-class"}
    if draw(st.booleans()):
        body.update(InputConfig=INPUT, HumanTaskConfig=HUMAN_TASK)
    job.output_config = draw(CONTAINER)
    if job.output_config == "present":
        output: dict[str, Any] = {"S3OutputPath": OUTPUT_PATH}
        job.output, slot = writer.leaf(draw, query_language, "output")
        put(output, "KmsKeyId", slot)
        body["OutputConfig"] = output
    elif job.output_config == "unknown":
        put(body, "OutputConfig", writer.unknown_container(draw, query_language, "output"))
    job.algorithms = draw(st.sampled_from(["present", "present", "absent", "unknown"]))
    if job.algorithms == "present":
        algorithms: dict[str, Any] = {"LabelingJobAlgorithmSpecificationArn": ALGORITHM}
        job.resource_config = draw(CONTAINER)
        if job.resource_config == "present":
            resource_config: dict[str, Any] = {}
            job.volume, slot = writer.leaf(draw, query_language, "volume")
            put(resource_config, "VolumeKmsKeyId", slot)
            algorithms["LabelingJobResourceConfig"] = resource_config
        elif job.resource_config == "unknown":
            put(algorithms, "LabelingJobResourceConfig", writer.unknown_container(draw, query_language, "resources"))
        body["LabelingJobAlgorithmsConfig"] = algorithms
    elif job.algorithms == "unknown":
        put(body, "LabelingJobAlgorithmsConfig", writer.unknown_container(draw, query_language, "algorithms"))
    return job, body


@dataclass
class MachineDraw:
    """What drawing one state machine collects."""

    writer: Writer
    subject_prefix: str  # "LabelingMachine1." in a template, "" in a standalone definition
    jobs: list[Job] = field(default_factory=list)
    counter: int = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"


UNRELATED = ["pass", "wait", "lambda", "training", "describe", "choice"]
NESTED = ["parallel", "map"]


def draw_machine(draw: st.DrawFn, machine: MachineDraw, depth: int = 0, query_language: str = "jsonpath",
                 need_job: bool = True) -> dict:
    """A (sub) state machine: a chain of states, some of them labeling jobs, some nested machines."""
    kinds = draw(st.lists(st.sampled_from(["job", "job", *UNRELATED, *(NESTED if depth < 2 else [])]),
                          min_size=1, max_size=4))
    if need_job and "job" not in kinds:
        kinds[draw(st.integers(0, len(kinds) - 1))] = "job"
    if kinds[-1] == "choice":
        kinds[-1] = "pass"
    names = [machine.name("Label" if kind == "job" else kind.capitalize()) for kind in kinds]
    states: dict[str, Any] = {}
    for index, (kind, name) in enumerate(zip(kinds, names, strict=True)):
        following = names[index + 1] if index + 1 < len(names) else None
        language = query_language
        state: dict[str, Any] = {}
        if query_language == "jsonpath" and draw(st.integers(0, 5)) == 0:
            language = "jsonata"
            state["QueryLanguage"] = "JSONata"
        state.update(_state(draw, machine, kind, name, following, depth, language))
        if kind != "choice":
            state.update({"Next": following} if following else {"End": True})
        states[name] = state
    return {"StartAt": names[0], "States": states}


def _state(draw: st.DrawFn, machine: MachineDraw, kind: str, name: str, following: str | None, depth: int,
           language: str) -> dict:
    arguments = "Arguments" if language == "jsonata" else "Parameters"
    if kind == "job":
        job, body = draw_job(draw, machine.writer, language, f"{machine.subject_prefix}{name}", name.lower())
        machine.jobs.append(job)
        state = {"Type": "Task", "Resource": machine.writer.labeling_resource(draw)}
        if body is not None:
            state[arguments] = body
        return state
    if kind == "pass":
        return {"Type": "Pass", "Result": {"prepared": True}}
    if kind == "wait":
        return {"Type": "Wait", "Seconds": 5}
    if kind == "lambda":
        return {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                arguments: {"FunctionName": "prepare-manifest", "Payload": {"bucket": "example-gt-input"}}}
    if kind == "training":  # another SageMaker task whose parameters look like a labeling job's
        return {"Type": "Task", "Resource": "arn:aws:states:::sagemaker:createTrainingJob.sync",
                arguments: {"TrainingJobName": "retrain", "RoleArn": ROLE_ARN, "OutputConfig": {"S3OutputPath": "x"},
                            "LabelingJobAlgorithmsConfig": {"LabelingJobAlgorithmSpecificationArn": ALGORITHM}}}
    if kind == "describe":
        return {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sagemaker:describeLabelingJob",
                arguments: {"LabelingJobName": "vehicle-classes"}}
    if kind == "choice":
        rule = ({"Condition": "{% $states.input.auto %}", "Next": following} if language == "jsonata"
                else {"Variable": "$.auto", "BooleanEquals": True, "Next": following})
        return {"Type": "Choice", "Choices": [rule], "Default": following}
    count = draw(st.integers(1, 2)) if kind == "parallel" else 1
    machines = [draw_machine(draw, machine, depth + 1, language, need_job=False) for _ in range(count)]
    if kind == "parallel":
        return {"Type": "Parallel", "Branches": machines}
    if draw(st.booleans()):
        return {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, **machines[0]}}
    return {"Type": "Map", "Iterator": machines[0]}


def draw_definition(draw: st.DrawFn, machine: MachineDraw) -> dict:
    language = draw(st.sampled_from(["jsonpath", "jsonpath", "jsonata"]))
    definition = draw_machine(draw, machine, query_language=language)
    if language == "jsonata":
        definition = {"QueryLanguage": "JSONata", **definition}
    if draw(st.booleans()):
        definition = {"Comment": "labels vehicle images", **definition}
    return definition


# -- YAML output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A CloudFormation short form (`!Ref X`) for the YAML writer."""

    tag: str
    value: Any


class Block(str):
    """A string the YAML writer puts in a literal block (`|`)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value, flow_style=True)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, data.value)


_Dumper.add_representer(Tagged, _represent_tagged)
_Dumper.add_representer(Block, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|"))


def to_yaml(data: Any, flow: bool = False) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, default_flow_style=flow, width=100)


def short_forms(data: Any) -> Any:
    """Long-form intrinsics written as YAML tags: {"Ref": X} as `!Ref X`, {"Fn::GetAtt": [A, B]} as `!GetAtt A.B`."""
    if isinstance(data, list):
        return [short_forms(item) for item in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((key, value),) = data.items()
        if key == "Ref":
            return Tagged("!Ref", value)
        if key == "Fn::GetAtt" and isinstance(value, list):
            return Tagged("!GetAtt", ".".join(value))
        if isinstance(key, str) and key.startswith("Fn::"):
            return Tagged(f"!{key[4:]}", short_forms(value))
    return {key: short_forms(value) for key, value in data.items()}


# -- CloudFormation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expr:
    """An intrinsic function in a definition: its long form, and its text in a `Fn::Sub` (None: none)."""

    long: Any
    sub: str | None


@dataclass
class Template:
    """What the template being drawn declares besides its state machines."""

    parameters: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, Any] = field(default_factory=dict)
    counter: int = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def parameter(self, default: str | None = None, kind: str = "String") -> str:
        name = self.name("KeyParameter")
        self.parameters[name] = {"Type": kind} if default is None else {"Type": kind, "Default": default}
        return name

    def condition(self, draw: st.DrawFn) -> str:
        name = draw(st.sampled_from(["UseCustomerKey", "IsProduction"]))
        self.parameters.setdefault("Environment", {"Type": "String", "Default": "prod"})
        self.conditions[name] = {"Fn::Equals": [{"Ref": "Environment"}, "prod"]}
        return name


# How a DefinitionString is written; "mapping" is a Definition object.
EXPRESSION_STYLES = ("mapping", "sub", "sub_list", "join")  # where intrinsic functions can be written
SUBSTITUTION_STYLES = ("mapping", "plain")  # where DefinitionSubstitutions `${X}` can be written
PSEUDO_KEY_ARN = f"arn:${{AWS::Partition}}:kms:${{AWS::Region}}:${{AWS::AccountId}}:key/{KEY_ID}"


class CfnWriter(Writer):
    """A template's definition in one style, and the DefinitionSubstitutions it needs."""

    def __init__(self, template: Template, style: str) -> None:
        self.template = template
        self.style = style
        self.substitutions: dict[str, Any] = {}

    def _substitution(self, value: Any) -> str:
        name = self.template.name("Value")
        self.substitutions[name] = value
        return f"${{{name}}}"

    def leaf(self, draw: st.DrawFn, query_language: str, which: str) -> tuple[Value, Slot | None]:
        key = "VolumeKey" if which == "volume" else "OutputKey"
        states = ["absent", "literal", "literal", "unknown", "reference"]
        if self.style in SUBSTITUTION_STYLES:
            states.append("either")
        state = draw(st.sampled_from(states))
        if state == "absent":
            return ABSENT, None
        if state == "either":
            return self._either(draw, key)
        if state == "literal":
            text = draw(st.sampled_from(list(LITERALS)))
            hows = ["direct"]
            if text is not None:
                hows += ["parameter_default"] if self.style in EXPRESSION_STYLES else []
                hows += ["substitution"] if self.style in SUBSTITUTION_STYLES else []
                hows += ["sub_literal"] if self.style == "mapping" else []
            how = draw(st.sampled_from(hows))
            if how == "direct":
                return Leaf("literal", text), Slot(text)
            if how == "parameter_default":
                name = self.template.parameter(default=text)
                return Leaf("literal", text), Slot(Expr({"Ref": name}, f"${{{name}}}"))
            if how == "substitution":
                return Leaf("literal", text), Slot(self._substitution(text))
            return Leaf("literal", text), Slot(Expr({"Fn::Sub": text}, None))
        if state == "unknown":
            hows = ["jsonpath"] if query_language == "jsonpath" else ["jsonata"]
            hows += ["parameter"] if self.style in EXPRESSION_STYLES else []
            hows += ["import", "select"] if self.style in ("mapping", "sub_list", "join") else []
            hows += ["substituted_parameter"] if self.style in SUBSTITUTION_STYLES else []
            how = draw(st.sampled_from(hows))
            if how == "jsonpath":
                return Leaf("unknown"), Slot(f"$.keys.{which}", jsonpath=True)
            if how == "jsonata":
                return Leaf("unknown"), Slot(f"{{% $states.input.keys.{which} %}}")
            if how == "parameter":
                name = self.template.parameter()
                return Leaf("unknown"), Slot(Expr({"Ref": name}, f"${{{name}}}"))
            if how == "import":
                return Leaf("unknown"), Slot(Expr({"Fn::ImportValue": f"shared-{which}-key"}, None))
            if how == "select":
                name = self.template.parameter(kind="CommaDelimitedList")
                return Leaf("unknown"), Slot(Expr({"Fn::Select": [0, {"Ref": name}]}, None))
            return Leaf("unknown"), Slot(self._substitution({"Ref": self.template.parameter()}))
        hows = ["getatt", "ref", "pseudo"] if self.style in EXPRESSION_STYLES else []
        hows += ["substituted_getatt"] if self.style in SUBSTITUTION_STYLES else []
        how = draw(st.sampled_from(hows))
        if how == "getatt":
            return Leaf("reference"), Slot(Expr({"Fn::GetAtt": [key, "Arn"]}, f"${{{key}.Arn}}"))
        if how == "ref":
            return Leaf("reference"), Slot(Expr({"Ref": key}, f"${{{key}}}"))
        if how == "pseudo":
            return Leaf("reference"), Slot(Expr({"Fn::Sub": PSEUDO_KEY_ARN}, PSEUDO_KEY_ARN))
        return Leaf("reference"), Slot(self._substitution({"Fn::GetAtt": [key, "Arn"]}))

    def _either(self, draw: st.DrawFn, key: str) -> tuple[Value, Slot]:
        """Fn::If in the definition, or in a DefinitionSubstitutions value."""
        condition = self.template.condition(draw)
        in_substitution = self.style == "plain" or draw(st.booleans())
        sides = []
        for _ in range(2):
            kinds = ["literal", "unknown", "reference"] + ([] if in_substitution else ["absent"])
            kind = draw(st.sampled_from(kinds))
            if kind == "absent":
                sides.append((ABSENT, {"Ref": "AWS::NoValue"}))
            elif kind == "literal":
                text = draw(st.sampled_from(TEXT_LITERALS if in_substitution else list(LITERALS)))
                sides.append((Leaf("literal", text), text))
            elif kind == "unknown":
                sides.append((Leaf("unknown"), {"Ref": self.template.parameter()}))
            else:
                sides.append((Leaf("reference"), {"Fn::GetAtt": [key, "Arn"]}))
        value = Either((sides[0][0], sides[1][0]))
        function = {"Fn::If": [condition, sides[0][1], sides[1][1]]}
        if in_substitution:
            return value, Slot(self._substitution(function))
        return value, Slot(Expr(function, None))

    def labeling_resource(self, draw: st.DrawFn) -> Any:
        hows = ["literal", "literal"]
        hows += ["partition_sub", "partition_join"] if self.style in EXPRESSION_STYLES else []
        hows += ["partition_substitution"] if self.style in SUBSTITUTION_STYLES else []
        how = draw(st.sampled_from(hows))
        sync = draw(st.sampled_from(["", ".sync"]))
        text = f"arn:${{AWS::Partition}}:states:::sagemaker:createLabelingJob{sync}"
        if how == "partition_sub":
            return Expr({"Fn::Sub": text}, text)
        if how == "partition_join":
            parts = ["arn:", {"Ref": "AWS::Partition"}, f":states:::sagemaker:createLabelingJob{sync}"]
            return Expr({"Fn::Join": ["", parts]}, text)
        if how == "partition_substitution":
            self.substitutions["Partition"] = {"Ref": "AWS::Partition"}
            return f"arn:${{Partition}}:states:::sagemaker:createLabelingJob{sync}"
        return draw(st.sampled_from(LABELING_RESOURCES))


def _long_forms(data: Any) -> Any:
    if isinstance(data, Expr):
        return data.long
    if isinstance(data, dict):
        return {key: _long_forms(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_long_forms(item) for item in data]
    return data


def definition_string(draw: st.DrawFn, definition: dict, style: str, block: bool) -> Any:
    """The DefinitionString property: JSON text, in a `Fn::Sub` (plain or with variables) or a `Fn::Join`."""
    expressions: list[Expr] = []

    def tokens(data: Any) -> Any:
        if isinstance(data, Expr):
            expressions.append(data)
            return f"@@{len(expressions) - 1}@@"
        if isinstance(data, dict):
            return {key: tokens(value) for key, value in data.items()}
        if isinstance(data, list):
            return [tokens(item) for item in data]
        return data

    text = json.dumps(tokens(definition), indent=draw(st.sampled_from([None, 2])))
    token = re.compile(r"@@(\d+)@@")
    wrap: Callable[[str], str] = Block if block and "\n" in text else str
    if style == "plain":
        assert not expressions
        return wrap(text)
    if style == "sub":
        return {"Fn::Sub": wrap(token.sub(lambda match: expressions[int(match.group(1))].sub or "", text))}
    if style == "sub_list":
        variables = {f"Part{index}": expression.long for index, expression in enumerate(expressions)}
        return {"Fn::Sub": [wrap(token.sub(lambda match: f"${{Part{match.group(1)}}}", text)), variables]}
    pieces = token.split(text)
    items: list[Any] = [piece if index % 2 == 0 else expressions[int(piece)].long for index, piece in enumerate(pieces)]
    return {"Fn::Join": ["", [item for item in items if item != ""]]}


UNRELATED_RESOURCES: dict[str, dict] = {
    "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "example-gt-output"}},
    "Topic": {"Type": "AWS::SNS::Topic"},
    "Prepare": {"Type": "AWS::Lambda::Function", "Properties": {
        "Runtime": "python3.12", "Handler": "index.handler", "Role": ROLE_ARN,
        "Code": {"ZipFile": "def handler(event, context):\n    return event\n"}}},
    "Other": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": ROLE_ARN, "Definition": {
        "StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": True}}}}},
    "Training": {"Type": "Custom::StartTraining", "Properties": {
        "ServiceToken": "arn:aws:lambda:us-east-1:111122223333:function:cdk-provider",
        "Create": {"service": "SageMaker", "action": "createTrainingJob", "parameters": {"TrainingJobName": "t"}}}},
    "VolumeKeyAlias": {"Type": "AWS::KMS::Alias", "Properties": {
        "AliasName": "alias/labeling-keys", "TargetKeyId": {"Ref": "VolumeKey"}}},
}


@st.composite
def cloudformation_cases(draw: st.DrawFn) -> Case:
    template = Template()
    resources: dict[str, Any] = {
        "VolumeKey": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True}},
        "OutputKey": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True}},
    }
    for name in draw(st.lists(st.sampled_from(sorted(UNRELATED_RESOURCES)), unique=True, max_size=3)):
        resources[name] = UNRELATED_RESOURCES[name]
    jobs: list[Job] = []
    text_format = draw(st.sampled_from(["yaml", "yaml_short_forms", "json"]))
    sam = False
    for _ in range(draw(st.integers(1, 2))):
        logical_id = template.name("LabelingMachine")
        style = draw(st.sampled_from(["mapping", "mapping", "plain", "sub", "sub_list", "join"]))
        writer = CfnWriter(template, style)
        machine = MachineDraw(writer, f"{logical_id}.")
        definition = draw_definition(draw, machine)
        jobs += machine.jobs
        properties: dict[str, Any] = {"RoleArn": "arn:aws:iam::111122223333:role/StepFunctionsLabelingRole"}
        if style == "mapping":
            properties["Definition"] = _long_forms(definition)
        else:
            properties["DefinitionString"] = definition_string(draw, definition, style, text_format != "json")
        if writer.substitutions:
            properties["DefinitionSubstitutions"] = writer.substitutions
        kind = "AWS::StepFunctions::StateMachine"
        if style == "mapping" and draw(st.integers(0, 3)) == 0:
            kind, sam = "AWS::Serverless::StateMachine", True
        resources[logical_id] = {"Type": kind, "Properties": properties}
    document: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
    if sam:
        document["Transform"] = "AWS::Serverless-2016-10-31"
    if template.parameters:
        document["Parameters"] = template.parameters
    if template.conditions:
        document["Conditions"] = template.conditions
    document["Resources"] = dict(sorted(resources.items(), key=lambda item: draw(st.integers(0, 3))))
    if text_format == "json":
        return Case({"template.json": json.dumps(document, indent=draw(st.sampled_from([None, 2])))}, jobs)
    if text_format == "yaml_short_forms":
        document = short_forms(document)
    suffix = draw(st.sampled_from([".yaml", ".yml", ".template"]))
    return Case({f"template{suffix}": to_yaml(document)}, jobs)


@given(cloudformation_cases())
@fuzz(150)
def test_cloudformation_state_machines_match_the_oracle(case: Case) -> None:
    assert_matches_oracle(case)


# -- standalone Amazon States Language -----------------------------------------------------------


class AslWriter(Writer):
    """A definition file: literals, JSONPath, JSONata, and `${x}` placeholders of a template it is filled into."""

    def leaf(self, draw: st.DrawFn, query_language: str, which: str) -> tuple[Value, Slot | None]:
        state = draw(st.sampled_from(["absent", "literal", "literal", "unknown"]))
        if state == "absent":
            return ABSENT, None
        if state == "literal":
            text = draw(st.sampled_from(list(LITERALS)))
            return Leaf("literal", text), Slot(text)
        how = draw(st.sampled_from([query_language, "placeholder"]))
        if how == "jsonpath":
            return Leaf("unknown"), Slot(f"$.keys.{which}", jsonpath=True)
        if how == "jsonata":
            return Leaf("unknown"), Slot(f"{{% $states.input.keys.{which} %}}")
        return Leaf("unknown"), Slot(f"${{{which}_key}}")

    def labeling_resource(self, draw: st.DrawFn) -> Any:
        if draw(st.integers(0, 3)) == 0:  # a SAM DefinitionUri file, filled in through DefinitionSubstitutions
            return f"arn:${{Partition}}:states:::sagemaker:createLabelingJob{draw(st.sampled_from(['', '.sync']))}"
        return draw(st.sampled_from(LABELING_RESOURCES))


@st.composite
def stepfunctions_cases(draw: st.DrawFn) -> Case:
    machine = MachineDraw(AslWriter(), "")
    definition = draw_definition(draw, machine)
    name = draw(st.sampled_from(["machine.asl.json", "machine.json", "machine.asl.yaml", "machine.asl.yml"]))
    if name.endswith(".json"):
        text = json.dumps(definition, indent=draw(st.sampled_from([None, 2, 4])))
    else:
        text = to_yaml(definition, flow=draw(st.booleans()))
    return Case({name: text}, machine.jobs)


@given(stepfunctions_cases())
@fuzz(150)
def test_standalone_state_machines_match_the_oracle(case: Case) -> None:
    assert_matches_oracle(case)


# -- Terraform ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hcl:
    """An HCL expression, written as is."""

    text: str


def hcl_literal(value: str | None) -> str:
    return "null" if value is None else json.dumps(value)


def hcl(data: Any, indent: int = 0) -> str:
    """An HCL value (a jsonencode argument) from plain data and `Hcl` expressions."""
    if isinstance(data, Hcl):
        return data.text
    if data is None or isinstance(data, str):
        return hcl_literal(data)
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, int):
        return str(data)
    if isinstance(data, list):
        return "[" + ", ".join(hcl(item, indent) for item in data) + "]"
    pad = "  " * (indent + 1)
    keys = {key: key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key) for key in data}
    items = [f"{pad}{keys[key]} = {hcl(value, indent + 1)}" for key, value in data.items()]
    return "{\n" + "\n".join(items) + "\n" + "  " * indent + "}"


@dataclass
class TerraformModule:
    """What the module being drawn declares besides its jobs: variables, locals."""

    variables: dict[str, str | None] = field(default_factory=dict)  # name -> HCL default, None: no default
    locals: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def variable(self, default: str | None) -> str:
        name = self.name("key")
        self.variables[name] = default
        return name

    def local(self, expression: str) -> str:
        name = self.name("key")
        self.locals[name] = expression
        return name

    def declarations(self) -> str:
        blocks = []
        for name, default in self.variables.items():
            default_line = "" if default is None else f"  default = {default}\n"
            blocks.append(f'variable "{name}" {{\n  type    = string\n{default_line}}}\n')
        if self.locals:
            assignments = "".join(f"  {name} = {value}\n" for name, value in self.locals.items())
            blocks.append(f"locals {{\n{assignments}}}\n")
        return "\n".join(blocks)


class TerraformWriter(Writer):
    """`block`: attributes of aws_sagemaker_labeling_job; `jsonencode`, `heredoc`, `quoted`: a state machine's
    definition."""

    def __init__(self, module: TerraformModule, style: str) -> None:
        self.module = module
        self.style = style

    def _expression(self, expression: str) -> Any:
        """A reference to a value: bare in HCL, `${...}` in a JSON text."""
        return Hcl(expression) if self.style in ("block", "jsonencode") else f"${{{expression}}}"

    @staticmethod
    def _lookup(which: str) -> str:
        return f'lookup(var.keys, "{which}", null)'

    def leaf(self, draw: st.DrawFn, query_language: str, which: str) -> tuple[Value, Slot | None]:
        hcl_style = self.style in ("block", "jsonencode")
        state = draw(st.sampled_from(["absent", "literal", "literal", "unknown", "reference"]))
        if state == "absent":
            return ABSENT, None
        if state == "literal":
            text = draw(st.sampled_from(list(LITERALS)))
            hows = ["direct"]
            if text is not None or hcl_style:  # null in a string template is an error in Terraform
                hows += ["variable_default", "local"]
            if text is not None and hcl_style:
                hows.append("interpolated_variable")
            how = draw(st.sampled_from(hows))
            leaf = Leaf("literal", text)
            if how == "direct":
                return leaf, Slot(Hcl(hcl_literal(text)) if hcl_style else text)
            if how == "variable_default":
                return leaf, Slot(self._expression(f"var.{self.module.variable(hcl_literal(text))}"))
            if how == "local":
                return leaf, Slot(self._expression(f"local.{self.module.local(hcl_literal(text))}"))
            return leaf, Slot(Hcl(f'"${{var.{self.module.variable(hcl_literal(text))}}}"'))
        if state == "unknown":
            hows = ["variable", "undeclared_variable", "module_output", "local_expression"]
            hows += ["conditional", "try"] if hcl_style else []
            hows += [query_language] if self.style != "block" else []
            how = draw(st.sampled_from(hows))
            if how == "jsonpath":
                return Leaf("unknown"), Slot(f"$.keys.{which}", jsonpath=True)
            if how == "jsonata":
                return Leaf("unknown"), Slot(f"{{% $states.input.keys.{which} %}}")
            expression = {
                "variable": lambda: f"var.{self.module.variable(None)}",
                "undeclared_variable": lambda: f"var.undeclared_{which}_key",
                "module_output": lambda: f"module.keys.{which}_key_arn",
                "local_expression": lambda: f"local.{self.module.local(self._lookup(which))}",
                "conditional": lambda: f'var.use_customer_key ? aws_kms_key.{which}.arn : ""',
                "try": lambda: f"try(var.keys.{which}, null)",
            }[how]()
            return Leaf("unknown"), Slot(self._expression(expression))
        how = draw(st.sampled_from(["resource_arn", "key_id", "data_arn", "partial"]))
        if how == "partial":
            text = f"arn:aws:kms:${{data.aws_region.current.name}}:111122223333:key/{KEY_ID}"
            return Leaf("reference"), Slot(Hcl(json.dumps(text)) if hcl_style else text)
        expression = {"resource_arn": f"aws_kms_key.{which}.arn", "key_id": f"aws_kms_key.{which}.key_id",
                      "data_arn": f"data.aws_kms_key.{which}.arn"}[how]
        return Leaf("reference"), Slot(self._expression(expression))

    def unknown_container(self, draw: st.DrawFn, query_language: str, which: str) -> Slot:
        if self.style == "jsonencode" and draw(st.booleans()):
            return Slot(Hcl(f"var.{self.module.variable(None)}"))
        return super().unknown_container(draw, query_language, which)

    def labeling_resource(self, draw: st.DrawFn) -> Any:
        if draw(st.integers(0, 3)) == 0:
            sync = draw(st.sampled_from(["", ".sync"]))
            return f"arn:${{data.aws_partition.current.partition}}:states:::sagemaker:createLabelingJob{sync}"
        return draw(st.sampled_from(LABELING_RESOURCES))


def _dynamic(name: str, attribute: str, indent: str) -> str:
    return (f'{indent}dynamic "{name}" {{\n{indent}  for_each = var.{name}s\n{indent}  content {{\n'
            f"{indent}    {attribute} = {name}.value\n{indent}  }}\n{indent}}}\n")


def labeling_job_resource(draw: st.DrawFn, module: TerraformModule, name: str) -> tuple[Job, str]:
    """An aws_sagemaker_labeling_job resource with nested blocks."""
    writer = TerraformWriter(module, "block")
    job = Job(f"aws_sagemaker_labeling_job.{name}")
    lines = [f'resource "aws_sagemaker_labeling_job" "{name}" {{\n', f'  labeling_job_name    = "{name}"\n',
             f'  role_arn             = "{ROLE_ARN}"\n', '  label_attribute_name = "vehicle-class"\n']
    if draw(st.booleans()):
        lines.append('\n  input_config {\n    data_source {\n      s3_data_source {\n'
                     '        manifest_s3_uri = "s3://example-gt-input/vehicles/dataset.manifest"\n'
                     "      }\n    }\n  }\n")
    job.output_config = draw(CONTAINER)
    if job.output_config == "present":
        job.output, slot = writer.leaf(draw, "jsonpath", "output")
        lines.append(f'\n  output_config {{\n    s3_output_path = "{OUTPUT_PATH}"\n')
        if slot is not None:
            lines.append(f"    kms_key_id     = {slot.value.text}\n")
        lines.append("  }\n")
    elif job.output_config == "unknown":
        lines.append(_dynamic("output_config", "s3_output_path", "  "))
    job.algorithms = draw(st.sampled_from(["present", "present", "absent", "unknown"]))
    if job.algorithms == "present":
        lines.append("\n  labeling_job_algorithms_config {\n"
                     f'    labeling_job_algorithm_specification_arn = "{ALGORITHM}"\n')
        job.resource_config = draw(CONTAINER)
        if job.resource_config == "present":
            job.volume, slot = writer.leaf(draw, "jsonpath", "volume")
            inner = "" if slot is None else f"      volume_kms_key_id = {slot.value.text}\n"
            lines.append(f"\n    labeling_job_resource_config {{\n{inner}    }}\n")
        elif job.resource_config == "unknown":
            lines.append(_dynamic("labeling_job_resource_config", "volume_kms_key_id", "    "))
        lines.append("  }\n")
    elif job.algorithms == "unknown":
        lines.append(_dynamic("labeling_job_algorithms_config", "labeling_job_algorithm_specification_arn", "  "))
    lines.append("}\n")
    return job, "".join(lines)


def state_machine_resource(draw: st.DrawFn, module: TerraformModule, name: str) -> tuple[list[Job], str]:
    """An aws_sfn_state_machine whose definition is jsonencode(), a heredoc or a quoted JSON string."""
    style = draw(st.sampled_from(["jsonencode", "jsonencode", "heredoc", "quoted"]))
    machine = MachineDraw(TerraformWriter(module, style), f"aws_sfn_state_machine.{name}.")
    definition = draw_definition(draw, machine)
    if style == "jsonencode":
        value = f"jsonencode({hcl(definition, 1)})"
    elif style == "heredoc":
        text = json.dumps(definition, indent=2)
        if draw(st.booleans()):
            value = "<<-EOT\n" + "".join(f"    {line}\n" for line in text.splitlines()) + "  EOT"
        else:
            value = f"<<EOT\n{text}\nEOT"
    else:
        value = json.dumps(json.dumps(definition, indent=draw(st.sampled_from([None, 2]))))
    text = (f'resource "aws_sfn_state_machine" "{name}" {{\n  name       = "{name}"\n'
            f'  role_arn   = "arn:aws:iam::111122223333:role/StepFunctionsLabelingRole"\n  definition = {value}\n}}\n')
    return machine.jobs, text


TERRAFORM_SUPPORT = """resource "aws_kms_key" "volume" {
  description         = "Encrypts the automated labeling volume"
  enable_key_rotation = true
}

resource "aws_kms_key" "output" {
  enable_key_rotation = true
}

data "aws_kms_key" "volume" {
  key_id = "alias/labeling-keys"
}

data "aws_region" "current" {}
"""


@st.composite
def terraform_cases(draw: st.DrawFn) -> Case:
    module = TerraformModule()
    jobs: list[Job] = []
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            job, text = labeling_job_resource(draw, module, module.name("vehicles"))
            jobs.append(job)
        else:
            machine_jobs, text = state_machine_resource(draw, module, module.name("labeling"))
            jobs += machine_jobs
        blocks.append(text)
    files: dict[str, str] = {}
    if draw(st.booleans()):
        files["module/jobs.tf"] = "\n".join(blocks[:1])
        blocks = blocks[1:]
    declarations = module.declarations()
    if draw(st.booleans()):
        files["module/variables.tf"] = declarations
        declarations = ""
    files["module/main.tf"] = "\n".join([TERRAFORM_SUPPORT, declarations, *blocks])
    return Case(files, jobs, scan_path="module")


@given(terraform_cases())
@fuzz(120)
def test_terraform_jobs_and_state_machines_match_the_oracle(case: Case) -> None:
    assert_matches_oracle(case)


# -- boto3 ----------------------------------------------------------------------------------------


@dataclass
class PythonModule:
    constants: dict[str, str] = field(default_factory=dict)  # module-level names -> code
    in_function: bool = False  # the calls are in `def launch(volume_key, output_key, **overrides)`
    counter: int = 0

    def constant(self, prefix: str, code: str) -> str:
        self.counter += 1
        name = f"{prefix}_{self.counter}"
        self.constants[name] = code
        return name


def python_leaf(draw: st.DrawFn, module: PythonModule, which: str, either: bool = True) -> tuple[Value, str | None]:
    """A key's value as a Python expression (None: the key is not written)."""
    states = ["absent", "literal", "literal", "unknown", "reference"] + (["either"] if either else [])
    state = draw(st.sampled_from(states))
    if state == "absent":
        return ABSENT, None
    if state == "literal":
        text = draw(st.sampled_from(list(LITERALS)))
        how = draw(st.sampled_from(["direct", "constant", "decided_if", "decided_else", "json_loads"]))
        if how == "direct":
            return Leaf("literal", text), repr(text)
        if how == "constant":
            return Leaf("literal", text), module.constant(f"{which.upper()}_KEY", repr(text))
        if how == "decided_if":
            module.constants["USE_CUSTOMER_KEY"] = "True"
            return Leaf("literal", text), f"({text!r} if USE_CUSTOMER_KEY else 'alias/aws/s3')"
        if how == "decided_else":
            module.constants["DRY_RUN"] = "False"
            return Leaf("literal", text), f"('' if DRY_RUN else {text!r})"
        return Leaf("literal", text), f"json.loads({json.dumps({'key': text})!r})['key']"
    if state == "unknown":
        hows = ["environ", "getenv", "environ_get", "argv", "settings", "fstring"]
        hows += ["parameter"] if module.in_function else []
        how = draw(st.sampled_from(hows))
        name = f"{which.upper()}_KEY"
        if how == "settings":
            module.constants["settings"] = 'json.load(open("settings.json"))'
        return Leaf("unknown"), {
            "environ": f"os.environ[{name!r}]", "getenv": f"os.getenv({name!r})",
            "environ_get": f"os.environ.get({name!r})", "argv": "sys.argv[1]", "parameter": f"{which}_key",
            "settings": f"settings[{which + '_key'!r}]", "fstring": f'f"{{os.environ[{name!r}]}}"',
        }[how]
    if state == "reference":
        module.constants["REGION"] = 'os.environ["AWS_REGION"]'
        return Leaf("reference"), f'f"arn:aws:kms:{{REGION}}:111122223333:key/{KEY_ID}"'
    sides = [python_leaf(draw, module, which, either=False) for _ in range(2)]
    values = [side if side[1] is not None else (Leaf("literal", None), "None") for side in sides]
    return (Either((values[0][0], values[1][0])),  # type: ignore[arg-type]
            f"({values[0][1]} if os.environ.get('USE_CUSTOMER_KEY') else {values[1][1]})")


def py_dict(entries: dict[str, str]) -> str:
    return "{" + ", ".join(f"{key!r}: {value}" for key, value in entries.items()) + "}"


def python_job(draw: st.DrawFn, module: PythonModule, name: str) -> tuple[Job, list[str]]:
    """The statements that build and send one request."""
    job = Job(name)
    style = draw(st.sampled_from(["kwargs", "splat", "dict_call", "steps", "steps"]))
    variable = f"request_{name.replace('-', '_')}"
    top: dict[str, str] = {"LabelingJobName": repr(name), "RoleArn": repr(ROLE_ARN),
                           "LabelAttributeName": repr("vehicle-class")}
    steps: list[str] = []

    def assign(target: str, key: str, value: Value, code: str | None) -> Value:
        """`target[key] = code` in a steps-style request, perhaps under an `if`."""
        if code is None:
            return value
        how = draw(st.sampled_from(["plain", "plain", "update", "runtime_if", "true_if", "false_if"]))
        if how == "plain":
            steps.append(f"{target}[{key!r}] = {code}")
        elif how == "update":
            steps.append(f"{target}.update({key}={code})")
        elif how == "true_if":
            module.constants["USE_CUSTOMER_KEY"] = "True"
            steps.extend(["if USE_CUSTOMER_KEY:", f"    {target}[{key!r}] = {code}"])
        elif how == "false_if":
            module.constants["DRY_RUN"] = "False"
            steps.extend(["if DRY_RUN:", f"    {target}[{key!r}] = 'alias/aws/s3'",
                          "else:", f"    {target}[{key!r}] = {code}"])
        else:
            steps.extend(["if os.environ.get('ENCRYPT'):", f"    {target}[{key!r}] = {code}"])
            return Either((*branches(value), ABSENT))
        return value

    job.output_config = draw(CONTAINER)
    if job.output_config == "present":
        job.output, code = python_leaf(draw, module, "output")
        entries = {"S3OutputPath": repr(OUTPUT_PATH)}
        if style == "steps":
            steps.append(f"{variable}['OutputConfig'] = {py_dict(entries)}")
            job.output = assign(f"{variable}['OutputConfig']", "KmsKeyId", job.output, code)
        else:
            top["OutputConfig"] = py_dict(entries | ({} if code is None else {"KmsKeyId": code}))
    elif job.output_config == "unknown":
        top["OutputConfig"] = "load_output_config()"
    job.algorithms = draw(st.sampled_from(["present", "present", "absent", "unknown"]))
    if job.algorithms == "present":
        module.constants["ALGORITHM"] = repr(ALGORITHM)
        algorithms = {"LabelingJobAlgorithmSpecificationArn": "ALGORITHM"}
        job.resource_config = draw(CONTAINER)
        target = f"{variable}['LabelingJobAlgorithmsConfig']"
        if style == "steps":
            steps.append(f"{target} = {py_dict(algorithms)}")
        if job.resource_config == "present":
            job.volume, code = python_leaf(draw, module, "volume")
            if style == "steps":
                if code is not None and draw(st.booleans()):
                    steps.append(f"{target}.setdefault('LabelingJobResourceConfig', {{}})['VolumeKmsKeyId'] = {code}")
                else:
                    steps.append(f"{target}['LabelingJobResourceConfig'] = {{}}")
                    job.volume = assign(f"{target}['LabelingJobResourceConfig']", "VolumeKmsKeyId", job.volume, code)
            else:
                algorithms["LabelingJobResourceConfig"] = py_dict({} if code is None else {"VolumeKmsKeyId": code})
        elif job.resource_config == "unknown":
            if style == "steps":
                steps.append(f"{target}['LabelingJobResourceConfig'] = resource_config()")
            else:
                algorithms["LabelingJobResourceConfig"] = "resource_config()"
        if style != "steps":
            top["LabelingJobAlgorithmsConfig"] = py_dict(algorithms)
    elif job.algorithms == "unknown":
        top["LabelingJobAlgorithmsConfig"] = "json.loads(os.environ['ALGORITHMS'])"
    splat = ""
    if module.in_function and draw(st.integers(0, 3)) == 0:
        splat = ", **overrides"  # may hold any key the call does not name
        job.output_config = "unknown" if job.output_config == "absent" else job.output_config
        job.algorithms = "unknown" if job.algorithms == "absent" else job.algorithms
    receiver = draw(st.sampled_from(["client", "client", 'boto3.client("sagemaker")']))
    if style == "kwargs":
        arguments = ", ".join(f"{key}={value}" for key, value in top.items())
        return job, [f"{receiver}.create_labeling_job({arguments}{splat})"]
    if style == "dict_call":
        arguments = ", ".join(f"{key}={value}" for key, value in top.items())
        return job, [f"{variable} = dict({arguments})", f"{receiver}.create_labeling_job(**{variable}{splat})"]
    return job, [f"{variable} = {py_dict(top)}", *steps, f"{receiver}.create_labeling_job(**{variable}{splat})"]


CLIENTS = [
    ('import boto3', 'client = boto3.client("sagemaker")'),
    ('import boto3', 'client = boto3.client(service_name="sagemaker", region_name="us-east-1")'),
    ('import boto3', 'client = boto3.Session(region_name="us-east-1").client("sagemaker")'),
    ('import boto3\nfrom boto3 import client as make_client', 'client = make_client("sagemaker")'),
]
PYTHON_DECOYS = [
    'boto3.client("s3").create_labeling_job(LabelingJobName="not-sagemaker", OutputConfig={})',
    'boto3.client("sagemaker").create_training_job(TrainingJobName="retrain", OutputDataConfig={})',
]


@st.composite
def boto3_cases(draw: st.DrawFn) -> Case:
    module = PythonModule(in_function=draw(st.booleans()))
    imports, client = draw(st.sampled_from(CLIENTS))
    body: list[str] = []
    jobs = []
    for index in range(draw(st.integers(1, 3))):
        job, lines = python_job(draw, module, f"vehicle-classes-{index}")
        jobs.append(job)
        body += lines
    body += draw(st.lists(st.sampled_from(PYTHON_DECOYS), unique=True, max_size=2))
    constants = [f"{name} = {code}" for name, code in module.constants.items()]
    head = [f"import json\nimport os\nimport sys\n\n{imports}\n", *constants, client, ""]
    if module.in_function:
        code = [*head, "", "def launch(volume_key, output_key, **overrides):", *(f"    {line}" for line in body),
                "", "", 'if __name__ == "__main__":', '    launch(os.environ["VOLUME_KEY"], os.environ["OUTPUT_KEY"])']
    else:
        code = [*head, *body]
    return Case({"labeling.py": "\n".join(code) + "\n"}, jobs)


@given(boto3_cases())
@fuzz(150)
def test_boto3_calls_match_the_oracle(case: Case) -> None:
    assert_matches_oracle(case)


# -- IAM documents on the execution role ----------------------------------------------------------

YES, MAYBE, NO = "yes", "maybe", "no"
_MATCH_RANK = {NO: 0, MAYBE: 1, YES: 2}

# Action patterns and whether they cover (kms:CreateGrant, kms:Encrypt): IAM actions are case-insensitive.
ACTIONS: dict[str, tuple[bool, bool]] = {
    "kms:CreateGrant": (True, False), "kms:Encrypt": (False, True), "kms:*": (True, True), "*": (True, True),
    "kms:Create*": (True, False), "kms:createGRANT": (True, False), "KMS:Encrypt": (False, True),
    "kms:?ncrypt": (False, True), "kms:CreateGrant*": (True, False), "kms:*Grant": (True, False),
    "kms:En*": (False, True), "kms:Decrypt": (False, False), "kms:GenerateDataKey*": (False, False),
    "s3:*": (False, False), "iam:PassRole": (False, False),
}
# Resource patterns and whether they cover (the volume key VolumeKey, the output key OutputKey) of the template.
RESOURCES: list[tuple[Any, tuple[str, str]]] = [
    ("*", (YES, YES)),
    ({"Fn::GetAtt": ["VolumeKey", "Arn"]}, (YES, NO)),
    ({"Fn::GetAtt": ["OutputKey", "Arn"]}, (NO, YES)),
    ({"Fn::Sub": "${VolumeKey.Arn}"}, (YES, NO)),
    ({"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"}, (YES, YES)),
    ("arn:aws:kms:*:*:key/*", (YES, YES)),
    ("arn:aws-cn:kms:*:*:key/*", (YES, YES)),  # a literal partition stands for the one the stack is deployed to
    ("arn:aws:kms:*", (YES, YES)),
    ("arn:aws:kms:us-east-1:111122223333:key/*", (MAYBE, MAYBE)),  # the deploy account and region are unknown
    ("arn:aws:kms:*:*:alias/*", (NO, NO)),  # KMS authorizes the key, never the alias
    ("arn:aws:s3:::example-gt-output/*", (NO, NO)),
    ({"Ref": "VolumeKey"}, (NO, NO)),  # Ref of a key is its key ID, which no key ARN matches
    ({"Fn::GetAtt": ["OutputKey", "KeyId"]}, (NO, NO)),
]
# AWS managed policies and what they grant of (kms:CreateGrant, kms:Encrypt) on any key.
MANAGED: dict[str, tuple[bool, bool]] = {
    "AdministratorAccess": (True, True), "PowerUserAccess": (True, True), "AmazonSageMakerFullAccess": (False, False),
    "ReadOnlyAccess": (False, False), "AmazonSageMakerGroundTruthExecution": (False, False),
}


def managed_arn(draw: st.DrawFn, name: str) -> Any:
    if draw(st.booleans()):
        return f"arn:aws:iam::aws:policy/{name}"
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{name}"}


@dataclass(frozen=True)
class Judged:
    """A statement as the oracle sees it: its effect, and whether it covers CreateGrant on VolumeKey and Encrypt on
    OutputKey."""

    effect: str
    covers: tuple[str, str]


def _covers(draw: st.DrawFn) -> tuple[dict, Judged]:
    """A statement without a condition, and what it covers."""
    effect = draw(st.sampled_from(["Allow", "Allow", "Deny"]))
    actions = draw(st.lists(st.sampled_from(sorted(ACTIONS)), min_size=1, max_size=3, unique=True))
    not_action = draw(st.integers(0, 4)) == 0
    resources = draw(st.lists(st.sampled_from(range(len(RESOURCES))), min_size=1, max_size=3, unique=True))
    not_resource = draw(st.integers(0, 5)) == 0
    covers = []
    for column in (0, 1):
        action = any(ACTIONS[action][column] for action in actions) != not_action
        resource = max((RESOURCES[index][1][column] for index in resources), key=_MATCH_RANK.__getitem__)
        if not_resource:
            resource = {YES: NO, NO: YES}.get(resource, MAYBE)
        covers.append(min(YES if action else NO, resource, key=_MATCH_RANK.__getitem__))
    statement: dict[str, Any] = {"Effect": effect}
    action_value = actions if len(actions) > 1 or draw(st.booleans()) else actions[0]
    statement["NotAction" if not_action else "Action"] = action_value
    resource_values = [RESOURCES[index][0] for index in resources]
    resource_value = resource_values if len(resource_values) > 1 or draw(st.booleans()) else resource_values[0]
    statement["NotResource" if not_resource else "Resource"] = resource_value
    return statement, Judged(effect, (covers[0], covers[1]))


def iam_decision(statements: list[Judged], column: int) -> str:
    """IAM: an explicit Deny wins, an Allow is needed; what may or may not apply leaves it undecided."""
    matches = [(statement.effect, statement.covers[column]) for statement in statements]
    if any(effect == "Deny" and match == YES for effect, match in matches):
        return "denied"
    allow = max((match for effect, match in matches if effect == "Allow"), key=_MATCH_RANK.__getitem__, default=NO)
    if allow == NO:
        return "not granted"
    if allow == MAYBE or any(effect == "Deny" and match == MAYBE for effect, match in matches):
        return "unknown"
    return "allowed"


_OUTCOME_RANK = {"denied": 0, "not granted": 1, "unknown": 2, "allowed": 3}
_VERDICT = {"denied": FAIL, "not granted": FAIL, "unknown": NOTE, "allowed": PASS}


def _document(draw: st.DrawFn, statements: list[dict]) -> dict:
    document: dict[str, Any] = {"Version": "2012-10-17"} if draw(st.booleans()) else {}
    document["Statement"] = statements[0] if len(statements) == 1 and draw(st.booleans()) else statements
    return document


TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def labeling_machine(role_arn: Any, volume_key: Any, output_key: Any) -> dict:
    parameters: dict[str, Any] = {"LabelingJobName": "vehicle-classes", "RoleArn": role_arn,
                                  "LabelAttributeName": "vehicle-class", "InputConfig": INPUT,
                                  "HumanTaskConfig": HUMAN_TASK, "OutputConfig": {"S3OutputPath": OUTPUT_PATH}}
    if output_key is not None:
        parameters["OutputConfig"]["KmsKeyId"] = output_key
    algorithms: dict[str, Any] = {"LabelingJobAlgorithmSpecificationArn": ALGORITHM}
    if volume_key is not None:
        algorithms["LabelingJobResourceConfig"] = {"VolumeKmsKeyId": volume_key}
    parameters["LabelingJobAlgorithmsConfig"] = algorithms
    return {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "RoleArn": "arn:aws:iam::111122223333:role/StepFunctionsLabelingRole",
        "Definition": {"StartAt": "CreateLabelingJob", "States": {"CreateLabelingJob": {
            "Type": "Task", "Resource": "arn:aws:states:::sagemaker:createLabelingJob.sync", "End": True,
            "Parameters": parameters}}}}}


def iam_template_text(draw: st.DrawFn, resources: dict[str, Any], parameters: dict | None = None) -> dict[str, str]:
    document: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
    if parameters:
        document["Parameters"] = parameters
    document["Resources"] = resources
    how = draw(st.sampled_from(["yaml", "yaml_short_forms", "json"]))
    if how == "json":
        return {"template.json": json.dumps(document, indent=2)}
    return {"template.yaml": to_yaml(short_forms(document) if how == "yaml_short_forms" else document)}


@dataclass
class IamCase:
    files: dict[str, str]
    expected: dict[str, str]  # rule id -> verdict

    def show(self) -> str:
        return "\n".join(f"--- {name}\n{text}" for name, text in self.files.items())


@st.composite
def iam_grant_cases(draw: st.DrawFn) -> IamCase:
    """A role whose policies hold Allow and Deny statements without conditions, attached every way a template can."""
    judged: list[Judged] = []
    boundary: list[Judged] | None = None
    role: dict[str, Any] = {"AssumeRolePolicyDocument": TRUST}
    resources: dict[str, Any] = {"VolumeKey": {"Type": "AWS::KMS::Key"}, "OutputKey": {"Type": "AWS::KMS::Key"},
                                 "LabelingRole": {"Type": "AWS::IAM::Role", "Properties": role}}
    for index in range(draw(st.integers(0, 4))):
        statements = [_covers(draw) for _ in range(draw(st.integers(1, 3)))]
        document = _document(draw, [statement for statement, _ in statements])
        how = draw(st.sampled_from(["inline", "policy", "role_policy", "managed_ref", "managed_roles", "other_role"]))
        if how != "other_role":
            judged += [judgement for _, judgement in statements]
        name = f"Policy{index}"
        if how == "inline":
            role.setdefault("Policies", []).append({"PolicyName": name, "PolicyDocument": document})
        elif how == "policy":
            resources[name] = {"Type": "AWS::IAM::Policy", "Properties": {
                "PolicyName": name, "Roles": [{"Ref": "LabelingRole"}], "PolicyDocument": document}}
        elif how == "role_policy":
            resources[name] = {"Type": "AWS::IAM::RolePolicy", "Properties": {
                "PolicyName": name, "RoleName": {"Ref": "LabelingRole"}, "PolicyDocument": document}}
        elif how == "managed_ref":
            resources[name] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": document}}
            role.setdefault("ManagedPolicyArns", []).append({"Ref": name})
        elif how == "managed_roles":
            resources[name] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
                "Roles": [{"Ref": "LabelingRole"}], "PolicyDocument": document}}
        else:  # attached to another role: grants the execution role nothing
            resources["OtherRole"] = {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": TRUST}}
            resources[name] = {"Type": "AWS::IAM::Policy", "Properties": {
                "PolicyName": name, "Roles": [{"Ref": "OtherRole"}], "PolicyDocument": document}}
    for name in draw(st.lists(st.sampled_from(sorted(MANAGED)), unique=True, max_size=2)):
        role.setdefault("ManagedPolicyArns", []).append(managed_arn(draw, name))
        grants = MANAGED[name]
        judged.append(Judged("Allow", (YES if grants[0] else NO, YES if grants[1] else NO)))
    limit = draw(st.sampled_from(["none", "none", "managed", "template"]))
    if limit == "managed":
        name = draw(st.sampled_from(sorted(MANAGED)))
        role["PermissionsBoundary"] = managed_arn(draw, name)
        grants = MANAGED[name]
        boundary = [Judged("Allow", (YES if grants[0] else NO, YES if grants[1] else NO))]
    elif limit == "template":
        statements = [_covers(draw) for _ in range(draw(st.integers(1, 3)))]
        resources["Boundary"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": _document(draw, [statement for statement, _ in statements])}}
        role["PermissionsBoundary"] = {"Ref": "Boundary"}
        boundary = [judgement for _, judgement in statements]
    resources["LabelingMachine"] = labeling_machine({"Fn::GetAtt": ["LabelingRole", "Arn"]},
                                                    {"Fn::GetAtt": ["VolumeKey", "Arn"]},
                                                    {"Fn::GetAtt": ["OutputKey", "Arn"]})
    expected = {}
    for rule_id, column in (("GTL003", 0), ("GTL004", 1)):
        outcome = iam_decision(judged, column)
        if boundary is not None:
            outcome = min(outcome, iam_decision(boundary, column), key=_OUTCOME_RANK.__getitem__)
        expected[rule_id] = _VERDICT[outcome]
    return IamCase(iam_template_text(draw, resources), expected)


@given(iam_grant_cases())
@fuzz(150)
def test_role_policies_grant_the_key_permissions_the_oracle_says(case: IamCase) -> None:
    result = scan_twice(Case(case.files, []))
    assert result.errors == [] and result.requests == 1, f"{result.errors}\n{case.show()}"
    subject = "LabelingMachine.CreateLabelingJob"
    for rule_id, expected in case.expected.items():
        findings = [f for f in result.findings if f.subject == subject and f.rule_id == rule_id]
        actual = outcome_of({finding.level for finding in findings})
        shown = "\n".join(f"{f.level}: {f.message}" for f in findings)
        assert actual == expected, f"{rule_id}: gtlint {actual}, oracle {expected}\n{shown}\n{case.show()}"


ANY_ACTIONS = [*ACTIONS, "sts:AssumeRole", "iam:*", "iam:Pass*", "kms:ReEncrypt*", "kms:Describe*", "sagemaker:*", ""]
ANY_RESOURCES = [
    *(resource for resource, _ in RESOURCES), {"Fn::GetAtt": ["LabelingRole", "Arn"]},
    {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gt-labeling-execution"},
    "arn:aws:iam::*:role/*", {"Fn::ImportValue": "shared-key-arn"}, {"Ref": "KeyArnParameter"},
    {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "kms", {"Ref": "AWS::Region"}, "*", "key/*"]]},
    ["*", {"Fn::If": ["UseCustomerKey", {"Fn::GetAtt": ["VolumeKey", "Arn"]}, {"Ref": "AWS::NoValue"}]}],
    "arn:aws:kms:*:111122223333:key/?234abcd-*",
]
CONDITIONS = [
    {"Bool": {"aws:SecureTransport": "true"}}, {"Bool": {"aws:SecureTransport": False}},
    {"Bool": {"kms:GrantIsForAWSResource": True}}, {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    {"StringEquals": {"iam:PassedToService": ["glue.amazonaws.com", "sagemaker.amazonaws.com"]}},
    {"StringLike": {"kms:ViaService": "s3.*.amazonaws.com"}},
    {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}},
    {"StringEqualsIgnoreCase": {"kms:CallerAccount": "111122223333"}},
    {"ArnLike": {"aws:SourceArn": "arn:aws:sagemaker:*"}},
    {"ForAnyValue:StringLike": {"kms:EncryptionContextKeys": "aws:s3:*"}},
    {"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, {"Null": {"aws:ResourceTag/team": "false"}},
    {"StringEqualsIfExists": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}},
    {"Bool": "not an object"}, "not a mapping",
]
PRINCIPALS = [
    "*", {"AWS": "*"}, {"AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}},
    {"AWS": "arn:aws:iam::111122223333:root"}, {"AWS": "111122223333"},
    {"AWS": {"Fn::GetAtt": ["LabelingRole", "Arn"]}},
    {"AWS": ["arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::444455556666:root"]},
    {"Service": "sagemaker.amazonaws.com"}, {"Service": ["lambda.amazonaws.com", "SageMaker.amazonaws.com"]},
    {"Federated": "cognito-identity.amazonaws.com"}, {"AWS": {"Ref": "AWS::AccountId"}},
]


def any_statement(draw: st.DrawFn, with_principal: bool) -> Any:
    statement: dict[str, Any] = {}
    if draw(st.integers(0, 9)):
        statement["Effect"] = draw(st.sampled_from(["Allow", "Allow", "Deny", "allow", ""]))
    if draw(st.integers(0, 4)):
        statement["Sid"] = draw(st.sampled_from(["Keys", "EnableIamPolicies", "Pass", "deny-insecure"]))
    actions = draw(st.lists(st.sampled_from(ANY_ACTIONS), min_size=1, max_size=3))
    statement["NotAction" if draw(st.integers(0, 5)) == 0 else "Action"] = actions if len(actions) > 1 else actions[0]
    if draw(st.integers(0, 6)):
        chosen = draw(st.lists(st.sampled_from(range(len(ANY_RESOURCES))), min_size=1, max_size=3))
        values = [ANY_RESOURCES[index] for index in chosen]
        key = "NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"
        statement[key] = values if len(values) > 1 else values[0]
    if with_principal:
        key = "NotPrincipal" if draw(st.integers(0, 7)) == 0 else "Principal"
        statement[key] = draw(st.sampled_from(PRINCIPALS))
    if draw(st.integers(0, 2)) == 0:
        condition = draw(st.sampled_from(CONDITIONS))
        if isinstance(condition, dict) and draw(st.booleans()):
            condition = {**condition, **draw(st.sampled_from(CONDITIONS[:-2]))}
        statement["Condition"] = condition
    if draw(st.integers(0, 15)) == 0:
        return {"Fn::If": ["UseCustomerKey", statement, {"Ref": "AWS::NoValue"}]}
    return statement


def any_document(draw: st.DrawFn, with_principal: bool = False) -> Any:
    how = draw(st.integers(0, 20))
    if how == 0:
        return {"Ref": "PolicyParameter"}
    if how == 1:
        return json.dumps({"Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]})
    return _document(draw, [any_statement(draw, with_principal) for _ in range(draw(st.integers(0, 3)))])


@st.composite
def iam_cases(draw: st.DrawFn) -> Case:
    """Anything IAM a template can say around a job: key policies, trust policies, boundaries, conditions, Fn::If."""
    role: dict[str, Any] = {"AssumeRolePolicyDocument": any_document(draw, with_principal=True)}
    if draw(st.booleans()):
        role["RoleName"] = "gt-labeling-execution"
    if draw(st.booleans()):
        role["Path"] = draw(st.sampled_from(["/", "/service-role/"]))
    resources: dict[str, Any] = {"LabelingRole": {"Type": "AWS::IAM::Role", "Properties": role}}
    for key in ("VolumeKey", "OutputKey"):
        properties = {"KeyPolicy": any_document(draw, with_principal=True)} if draw(st.booleans()) else {}
        resources[key] = {"Type": "AWS::KMS::Key", "Properties": properties}
    resources["KeyAlias"] = {"Type": "AWS::KMS::Alias", "Properties": {
        "AliasName": "alias/labeling-keys", "TargetKeyId": {"Ref": draw(st.sampled_from(["VolumeKey", "OutputKey"]))}}}
    for index in range(draw(st.integers(0, 3))):
        document = any_document(draw)
        how = draw(st.sampled_from(["inline", "policy", "role_policy", "managed_ref", "managed_roles", "by_name"]))
        name = f"Policy{index}"
        if how == "inline":
            role.setdefault("Policies", []).append({"PolicyName": name, "PolicyDocument": document})
        elif how in ("policy", "by_name"):
            roles = [{"Ref": "LabelingRole"}] if how == "policy" else ["gt-labeling-execution"]
            resources[name] = {"Type": "AWS::IAM::Policy", "Properties": {
                "PolicyName": name, "Roles": roles, "PolicyDocument": document}}
        elif how == "role_policy":
            resources[name] = {"Type": "AWS::IAM::RolePolicy", "Properties": {
                "PolicyName": name, "RoleName": {"Ref": "LabelingRole"}, "PolicyDocument": document}}
        else:
            properties = {"PolicyDocument": document}
            if how == "managed_roles":
                properties["Roles"] = [{"Ref": "LabelingRole"}]
            else:
                role.setdefault("ManagedPolicyArns", []).append({"Ref": name})
            resources[name] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": properties}
    managed = [*MANAGED, "AWSKeyManagementServicePowerUser", "IAMFullAccess", "SomeOtherPolicy"]
    for name in draw(st.lists(st.sampled_from(managed), unique=True, max_size=2)):
        role.setdefault("ManagedPolicyArns", []).append(managed_arn(draw, name))
    if draw(st.integers(0, 9)) == 0:
        role.setdefault("ManagedPolicyArns", []).append("arn:aws:iam::111122223333:policy/customer-managed")
    if draw(st.integers(0, 3)) == 0:
        role["PermissionsBoundary"] = managed_arn(draw, draw(st.sampled_from(managed)))
    role_arn, volume, output = draw(st.sampled_from([
        ({"Fn::GetAtt": ["LabelingRole", "Arn"]}, {"Fn::GetAtt": ["VolumeKey", "Arn"]}, {"Ref": "OutputKey"}),
        ({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/gt-labeling-execution"}, KEY_ARN,
         "alias/labeling-keys"),
        ({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/service-role/gt-labeling-execution"},
         {"Fn::GetAtt": ["VolumeKey", "Arn"]}, {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:"
                                                           "${AWS::AccountId}:alias/labeling-keys"}),
        (ROLE_ARN, {"Ref": "VolumeKey"}, KEY_ARN),
        ({"Ref": "LabelingRole"}, {"Fn::GetAtt": ["VolumeKey", "Arn"]}, {"Fn::GetAtt": ["OutputKey", "Arn"]}),
    ]))
    resources["LabelingMachine"] = labeling_machine(role_arn, volume, output)
    parameters = {"PolicyParameter": {"Type": "String"}, "KeyArnParameter": {"Type": "String"},
                  "Environment": {"Type": "String", "Default": "prod"}}
    files = iam_template_text(draw, resources, parameters)
    key = Leaf("literal", volume) if isinstance(volume, str) else Leaf("reference")
    out = Leaf("literal", output) if isinstance(output, str) else Leaf("reference")
    job = Job("LabelingMachine.CreateLabelingJob", algorithms="present", resource_config="present", volume=key,
              output_config="present", output=out)
    return Case(files, [job])


REQUEST_RULE_IDS = {rule.id for rule in REQUEST_RULES}


@given(iam_cases())
@fuzz(150)
def test_any_iam_document_is_read_deterministically(case: Case) -> None:
    """No crash, the same findings twice, only known rules and levels, and the key rules unaffected by IAM."""
    result = assert_matches_oracle(case)
    assert {(f.rule_id in REQUEST_RULE_IDS, f.level in LEVELS) for f in result.findings} <= {(True, True)}


# -- the same report whatever the hash seed -----------------------------------------------------


@given(st.lists(st.one_of(cloudformation_cases(), stepfunctions_cases(), terraform_cases(), boto3_cases(),
                          iam_cases()), min_size=12, max_size=12))
@fuzz(4)
def test_reports_are_the_same_bytes_whatever_the_hash_seed(cases: list[Case]) -> None:
    """Scanning twice in one process cannot see an order that depends on set iteration: two `gtlint scan`
    processes with different PYTHONHASHSEED must write the same JSON report."""
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for index, case in enumerate(cases):
            for name, text in case.files.items():
                (root / "cases" / f"case{index}" / name).parent.mkdir(parents=True, exist_ok=True)
                (root / "cases" / f"case{index}" / name).write_text(text, encoding="utf-8")
        runs = [subprocess.run([sys.executable, "-m", "gtlint.cli", "scan", "cases", "--format", "json"], cwd=root,
                               env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, timeout=120)
                for seed in ("1", "2")]
    assert [run.returncode for run in runs] in ([0, 0], [1, 1]), [run.stderr.decode()[-2000:] for run in runs]
    summary = json.loads(runs[0].stdout)["summary"]
    assert (summary["file_errors"], summary["requests"] > 0) == (0, True)
    assert runs[0].stdout == runs[1].stdout


# -- every fixture, mutated byte by byte ----------------------------------------------------------

_FIXTURE_NAME = re.compile(r"GTL\d{3}-[a-z0-9-]+\.(?:pass|fail|note)(?:\.[a-z.]+)?\Z")
SNAPSHOT_NAME = "account-authorization-details.json"
MUTATIONS = ("truncate", "flip", "insert", "delete", "nul", "braces", "duplicate")
FIXTURE_FILES = sorted(path for path in FIXTURES.rglob("*") if path.is_file())


def mutate(data: bytes, how: str, rng: random.Random) -> tuple[bytes, str]:
    """`data` changed one way, and what was done (to reproduce it)."""
    size = len(data)
    at = rng.randrange(size + 1)
    if how == "truncate":
        return data[:at], f"truncated to {at} bytes"
    if how == "flip":
        changed = bytearray(data)
        positions = [rng.randrange(size) for _ in range(rng.randint(1, 4))] if size else []
        for position in positions:
            changed[position] ^= 1 << rng.randrange(8)
        return bytes(changed), f"bits flipped at {positions}"
    if how == "insert":
        inserted = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        return data[:at] + inserted + data[at:], f"{inserted!r} inserted at {at}"
    if how == "delete":
        length = rng.randint(1, 16)
        return data[:at] + data[at + length:], f"{length} bytes deleted at {at}"
    if how == "nul":
        return data[:at] + b"\0" + data[at:], f"a NUL inserted at {at}"
    if how == "braces":
        length = rng.choice([1, 64, 300, 5000])
        return data[:at] + b"{" * length + data[at:], f"{length} '{{' inserted at {at}"
    start = rng.randrange(size + 1)
    chunk = data[start:start + rng.randint(1, 200)]
    return data[:at] + chunk + data[at:], f"bytes {start}..{start + len(chunk)} copied to {at}"


def _copy_for(source: Path, destination: Path) -> tuple[Path, Path]:
    """Copy what `source` needs to be read as in the fixtures: its fixture folder, or the file and the helper
    folders next to it (sam/statemachine). Returns (the copy of `source`, what to scan)."""
    relative = source.relative_to(FIXTURES)
    form_folder = FIXTURES / relative.parts[0]
    destination.mkdir(parents=True, exist_ok=True)
    if _FIXTURE_NAME.match(source.parent.name):  # a folder fixture: a Terraform module, a script and its files
        shutil.copytree(source.parent, destination / source.parent.name)
        return destination / source.parent.name / source.name, destination / source.parent.name
    if source.parent != form_folder:  # a helper file (a SAM DefinitionUri): scanned with the templates naming it
        shutil.copytree(form_folder, destination / form_folder.name)
        return destination / relative, destination / form_folder.name
    for helper in form_folder.iterdir():
        if helper.is_dir() and not _FIXTURE_NAME.match(helper.name):
            shutil.copytree(helper, destination / helper.name)
    shutil.copy(source, destination / source.name)
    return destination / source.name, destination / source.name


def assert_user_facing(message: str, what: str) -> None:
    assert message.strip(), f"{what}: an empty error message"
    assert not message.lower().startswith("internal error"), f"{what}: {message}"
    assert "Traceback" not in message and "\n" not in message, f"{what}: {message!r}"


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=[p.relative_to(FIXTURES).as_posix() for p in FIXTURE_FILES])
def test_mutated_fixture_is_reported_cleanly(fixture: Path, tmp_path: Path) -> None:
    relative = fixture.relative_to(FIXTURES).as_posix()
    original = fixture.read_bytes()
    snapshot: IamContext | None = None
    if relative.startswith("iam-snapshot/"):
        snapshot = load_snapshot(str(FIXTURES / "iam-snapshot" / SNAPSHOT_NAME))
    for how in MUTATIONS:
        rng = random.Random(f"{relative}:{how}")
        data, change = mutate(original, how, rng)
        copy, target = _copy_for(fixture, tmp_path / how)
        copy.write_bytes(data)
        what = f"{relative} with {change} ({how})"
        result = limited_scan(str(target), what, snapshot)
        for error in result.errors:
            assert_user_facing(error.message, what)
        if fixture.name == SNAPSHOT_NAME:
            try:
                load_snapshot(str(copy))
            except LoadError as error:
                assert_user_facing(str(error), f"the snapshot {what}")
            except Exception as error:
                pytest.fail(f"load_snapshot raised {type(error).__name__}: {error} on {what}")


# -- the smallest inputs the tests above found gtlint wrong on --------------------------------------


def scan_files(root: Path, files: dict[str, str | bytes], target: str = ".") -> ScanResult:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(text.encode() if isinstance(text, str) else text)
    return limited_scan(str(root / target), f"{files}")


def levels(result: ScanResult, rule_id: str) -> set[str]:
    return {finding.level for finding in result.findings if finding.rule_id == rule_id}


MACHINE_WITH_RESOURCE = """Resources:
  LabelingMachine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole
      Definition:
        StartAt: CreateLabelingJob
        States:
          CreateLabelingJob:
            Type: Task
            Resource: {resource}
            End: true
            Parameters:
              LabelingJobName: vehicle-classes
              RoleArn: arn:aws:iam::111122223333:role/GroundTruthExecution
              OutputConfig: {{S3OutputPath: "s3://example-gt-output/vehicles/", KmsKeyId: alias/labeling-output}}
              LabelingJobAlgorithmsConfig:
                LabelingJobAlgorithmSpecificationArn: {algorithm}
"""


@pytest.mark.parametrize("resource", [
    "!Sub arn:${AWS::Partition}:states:::sagemaker:createLabelingJob.sync",
    '!Join ["", ["arn:", !Ref AWS::Partition, ":states:::sagemaker:createLabelingJob.sync"]]',
])
def test_definition_task_resource_with_the_partition_is_a_labeling_job(resource: str, tmp_path: Path) -> None:
    """CloudFormation resolves intrinsic functions in a Definition, as gtlint does in its Parameters: the task
    creates a labeling job without a volume key."""
    result = scan_files(tmp_path, {"template.yaml": MACHINE_WITH_RESOURCE.format(resource=resource,
                                                                                 algorithm=ALGORITHM)})
    assert (result.requests, levels(result, "GTL001")) == (1, {"error"})


def test_python_fstring_of_only_an_environment_variable_is_unknown(tmp_path: Path) -> None:
    """`f"{os.environ['VOLUME_KEY']}"` may be empty: it cannot be decided statically, like `os.environ[...]`."""
    code = (
        "import os\n\nimport boto3\n\n"
        'boto3.client("sagemaker").create_labeling_job(\n'
        '    LabelingJobName="vehicle-classes",\n'
        f'    RoleArn="{ROLE_ARN}",\n'
        f'    OutputConfig={{"S3OutputPath": "{OUTPUT_PATH}", "KmsKeyId": "alias/labeling-output"}},\n'
        f'    LabelingJobAlgorithmsConfig={{"LabelingJobAlgorithmSpecificationArn": "{ALGORITHM}",\n'
        """        "LabelingJobResourceConfig": {"VolumeKmsKeyId": f"{os.environ['VOLUME_KEY']}"}},\n"""
        ")\n"
    )
    result = scan_files(tmp_path, {"labeling.py": code})
    assert (result.requests, levels(result, "GTL001")) == (1, {"note"})


KEY_ID_POLICY_TEMPLATE = """Resources:
  VolumeKey:
    Type: AWS::KMS::Key
  OutputKey:
    Type: AWS::KMS::Key
  LabelingRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {{Effect: Allow, Principal: {{Service: sagemaker.amazonaws.com}}, Action: sts:AssumeRole}}
      Policies:
        - PolicyName: keys
          PolicyDocument:
            Statement:
              - {{Effect: Allow, Action: {action}, Resource: {resource}}}
  LabelingMachine:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      RoleArn: arn:aws:iam::111122223333:role/StepFunctionsLabelingRole
      Definition:
        StartAt: CreateLabelingJob
        States:
          CreateLabelingJob:
            Type: Task
            Resource: arn:aws:states:::sagemaker:createLabelingJob.sync
            End: true
            Parameters:
              LabelingJobName: vehicle-classes
              RoleArn: !GetAtt LabelingRole.Arn
              OutputConfig: {{S3OutputPath: "s3://example-gt-output/vehicles/", KmsKeyId: !GetAtt OutputKey.Arn}}
              LabelingJobAlgorithmsConfig:
                LabelingJobAlgorithmSpecificationArn: {algorithm}
                LabelingJobResourceConfig: {{VolumeKmsKeyId: !GetAtt VolumeKey.Arn}}
"""


@pytest.mark.parametrize(("rule_id", "action", "resource"), [
    ("GTL003", "kms:CreateGrant", "!Ref VolumeKey"),
    ("GTL003", "kms:CreateGrant", "!GetAtt VolumeKey.KeyId"),
    ("GTL004", "kms:Encrypt", "!GetAtt OutputKey.KeyId"),
])
def test_a_statement_on_the_key_id_does_not_allow_the_key(rule_id: str, action: str, resource: str,
                                                          tmp_path: Path) -> None:
    """`!Ref` of a KMS key and its KeyId attribute are the key ID; IAM matches a policy's Resource against the
    key ARN, so the statement allows nothing on the key."""
    template = KEY_ID_POLICY_TEMPLATE.format(action=action, resource=resource, algorithm=ALGORITHM)
    result = scan_files(tmp_path, {"template.yaml": template})
    assert (result.requests, levels(result, rule_id)) == (1, {"error"})


def test_unterminated_heredoc_in_a_script_is_not_an_internal_error(tmp_path: Path) -> None:
    result = scan_files(tmp_path, {"start.sh": 'aws sagemaker create-labeling-job --cli-input-json "$(cat <<EOF\n'})
    assert [error.message for error in result.errors if error.message.startswith("internal error")] == []


def test_yaml_control_character_is_reported_on_one_line(tmp_path: Path) -> None:
    result = scan_files(tmp_path, {"template.yaml": b"# sagemaker:createLabelingJob\nResources: {}\n\x1b\n"})
    assert len(result.errors) == 1
    assert_user_facing(result.errors[0].message, "template.yaml with an ESC character")


def test_unterminated_hcl_string_does_not_hang_the_scan(tmp_path: Path) -> None:
    """hcl2's lexer backtracks exponentially on `"` + n characters + `\\${` (n = 14: 16 s; n = 20: minutes)."""
    result = scan_files(tmp_path, {"module/main.tf": '# aws_sagemaker_labeling_job\nx = "aaaaaaaaaaaaaaaaaaaa\\${\n'},
                        "module")
    assert [(error.file.endswith("main.tf"), error.message.startswith("invalid HCL")) for error in result.errors] == [
        (True, True)]
