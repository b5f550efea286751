"""The core on its own: resolving fields through conditions, the checks, key forms, extractors."""

from __future__ import annotations

import pytest
from gtlint.checks import run_checks
from gtlint.document import LoadError, decode, load_yaml, parse_size
from gtlint.keys import ALIAS_ARN, AWS_MANAGED_S3, KEY_ARN, KEY_ID
from gtlint.request import Choice, LabelingJobRequest, Location, Node, Reference, State, Unknown, resolve
from gtlint.sources.extract import requests_in_document
from gtlint.sources.terraform import interpolations, pascal, whole_interpolation

HERE = Location("t.yaml", 1, 1)
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def node(value: object) -> Node:
    """A node tree from plain data; dict/list children are wrapped too."""
    if isinstance(value, dict):
        return Node({key: node(item) for key, item in value.items()}, HERE)
    if isinstance(value, list):
        return Node([node(item) for item in value], HERE)
    if isinstance(value, Node):
        return value
    return Node(value, HERE)


def request(body: dict) -> LabelingJobRequest:
    return LabelingJobRequest(node(body), "stepfunctions", "job")


def verdicts(body: dict) -> list[tuple[str, str]]:
    return sorted((finding.rule_id, finding.level) for finding in run_checks(request(body)))


ALGORITHMS = {"LabelingJobAlgorithmSpecificationArn": "arn:aws:sagemaker:us-east-1:027400017018:x"}


def test_resolve_forks_at_a_condition_and_remembers_the_branch() -> None:
    tree = node({"A": Node(Choice("Prod", node("k"), None), HERE)})
    outcomes = resolve(tree, ("A",))
    assert [(o.state, o.assumptions) for o in outcomes] == [
        (State.LITERAL, (("Prod", True),)), (State.ABSENT, (("Prod", False),))]


def test_resolve_takes_the_same_branch_of_a_condition_seen_twice() -> None:
    inner = Node(Choice("Prod", node({"K": "x"}), node({})), HERE)
    tree = Node(Choice("Prod", node({"A": inner}), node({"A": inner})), HERE)
    assert [o.state for o in resolve(tree, ("A", "K"))] == [State.LITERAL, State.ABSENT]


def test_resolve_into_a_reference_is_unknown() -> None:
    tree = node({"A": Node(Reference("Fn::GetAtt X.Y"), HERE)})
    assert [o.state for o in resolve(tree, ("A", "B"))] == [State.UNKNOWN]


def test_no_automated_labeling_and_a_customer_key_is_clean() -> None:
    assert verdicts({"OutputConfig": {"KmsKeyId": "alias/out"}}) == []


def test_automated_labeling_without_volume_key_is_an_error() -> None:
    assert verdicts({"OutputConfig": {"KmsKeyId": "alias/out"}, "LabelingJobAlgorithmsConfig": ALGORITHMS}) == [
        ("GTL001", "error")]


def test_volume_key_missing_on_one_branch_names_the_condition() -> None:
    choice = Node(Choice("UseCmk", node(KEY), None), HERE)
    body = {"OutputConfig": {"KmsKeyId": KEY},
            "LabelingJobAlgorithmsConfig": {"LabelingJobResourceConfig": {"VolumeKmsKeyId": choice}}}
    findings = run_checks(request(body))
    assert [(f.rule_id, f.level) for f in findings] == [("GTL001", "error")]
    assert "when condition UseCmk is false" in findings[0].message


def test_unknown_volume_key_is_a_note_with_the_reason() -> None:
    unknown = Node(Unknown("VolumeKmsKeyId.$ takes the JSONPath '$.k'"), HERE)
    body = {"OutputConfig": {"KmsKeyId": KEY},
            "LabelingJobAlgorithmsConfig": {"LabelingJobResourceConfig": {"VolumeKmsKeyId": unknown}}}
    findings = run_checks(request(body))
    assert [(f.rule_id, f.level) for f in findings] == [("GTL001", "note")]
    assert "$.k" in findings[0].message


def test_dynamic_algorithms_config_is_a_note() -> None:
    body = {"OutputConfig": {"KmsKeyId": KEY}, "LabelingJobAlgorithmsConfig": Node(Unknown("JSONPath"), HERE)}
    assert verdicts(body) == [("GTL001", "note")]


@pytest.mark.parametrize("key", ["", None])
def test_empty_output_key_is_a_warning_not_a_form_error(key: object) -> None:
    assert verdicts({"OutputConfig": {"KmsKeyId": key}}) == [("GTL002", "warning")]


@pytest.mark.parametrize("key", ["alias/aws/s3", "arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/s3"])
def test_aws_managed_output_key_is_a_warning(key: str) -> None:
    assert verdicts({"OutputConfig": {"KmsKeyId": key}}) == [("GTL002", "warning")]


def test_reference_keys_count_as_set_and_are_not_judged() -> None:
    reference = Node(Reference("aws_kms_key.k.arn"), HERE)
    body = {"OutputConfig": {"KmsKeyId": reference},
            "LabelingJobAlgorithmsConfig": {"LabelingJobResourceConfig": {"VolumeKmsKeyId": reference}}}
    assert verdicts(body) == []


@pytest.mark.parametrize(("volume", "output", "expected"), [
    ("alias/v", KEY, [("GTL005", "error")]),
    ("1234abcd-12ab-34cd-56ef-1234567890ab", "my-key", [("GTL005", "error")]),
    ("mrk-1234abcd12ab34cd56ef1234567890ab", "arn:aws:kms:us-east-1:111122223333:alias/out", []),
    (KEY, "arn:aws:s3:::bucket", [("GTL005", "error")]),
])
def test_key_forms(volume: str, output: str, expected: list) -> None:
    body = {"OutputConfig": {"KmsKeyId": output},
            "LabelingJobAlgorithmsConfig": {"LabelingJobResourceConfig": {"VolumeKmsKeyId": volume}}}
    assert verdicts(body) == expected


def test_key_patterns_accept_exactly_their_forms() -> None:
    assert KEY_ID.match("1234abcd-12ab-34cd-56ef-1234567890ab") and not KEY_ID.match("1234abcd")
    assert KEY_ARN.match(KEY) and not KEY_ARN.match(KEY.replace("key/", "alias/"))
    assert ALIAS_ARN.match("arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/a")
    assert AWS_MANAGED_S3.match("alias/aws/s3") and not AWS_MANAGED_S3.match("alias/aws/s3-mine")


def test_cloudformation_short_tags_load_as_long_form_with_positions() -> None:
    document = load_yaml("A: !Sub 'x-${B}'\nC: !GetAtt D.Arn\n")
    assert document == {"A": {"Fn::Sub": "x-${B}"}, "C": {"Fn::GetAtt": ["D", "Arn"]}}
    assert document.key_marks["C"][:2] == (2, 1)


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\x00\x00", r"binary file \(or UTF-16 text without a byte-order mark\)"),
    (b"A: 1\nB: caf\xe9\n", r"not UTF-8 text \(line 2: byte 0xe9\); save the file as UTF-8"),
    (b"\xff\xfeA\x00\x00\xd8", r"not valid UTF-16-LE text \(byte 4\)"),
])
def test_undecodable_input_is_a_load_error(data: bytes, reason: str) -> None:
    with pytest.raises(LoadError, match=reason):
        decode(data)


@pytest.mark.parametrize(("mark", "encoding"), [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                                              (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe\x00\x00", "utf-32-le")])
def test_text_with_a_byte_order_mark_is_read_in_its_encoding(mark: bytes, encoding: str) -> None:
    assert decode(mark + "A: café\n".encode(encoding)) == "A: café\n"


def test_a_file_over_the_size_limit_is_a_load_error_naming_the_option() -> None:
    with pytest.raises(LoadError, match=r"larger than the size limit \(1 KiB\); raise it with --max-file-size"):
        decode(b"x" * 1025, limit=1024)
    assert decode(b"x" * 1024, limit=1024) == "x" * 1024


@pytest.mark.parametrize(("text", "size"), [("100000", 100000), ("5MB", 5_000_000), ("20MiB", 20 << 20),
                                            ("512 kib", 512 << 10), ("1G", 10**9)])
def test_max_file_size_values(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "0", "-1", "5 MBs", "1.5MB", "lots"])
def test_max_file_size_rejects_what_is_not_a_size(text: str) -> None:
    with pytest.raises(ValueError, match="is not a size"):
        parse_size(text)


def test_deep_nesting_is_a_load_error_not_a_crash() -> None:
    with pytest.raises(LoadError, match="nested"):
        load_yaml("[" * 500 + "]" * 500)


def test_an_alias_bomb_is_refused_when_it_loads() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
    with pytest.raises(LoadError, match=r"YAML aliases expand this document to more than 1000000 values"):
        load_yaml("\n".join(lines))
    assert load_yaml("a: &a [1, 2]\nb: *a\nc: {k: *a}\n") == {"a": [1, 2], "b": [1, 2], "c": {"k": [1, 2]}}


def test_a_request_too_large_to_check_is_a_note_not_a_crash() -> None:
    definition = {"StartAt": "A", "States": {"A": {
        "Type": "Task", "Resource": "arn:aws:states:::sagemaker:createLabelingJob",
        "Parameters": {"Tags": [{"Key": str(n), "Value": "v"} for n in range(70_000)]}}}}
    (request,) = requests_in_document(definition, "big.asl.json")
    assert request.body.value == Unknown("Parameters is too large to check (more than 200000 values)")
    assert [(f.rule_id, f.level) for f in run_checks(request)] == [("GTL001", "note"), ("GTL002", "note")]


def test_terraform_interpolations_nest_and_quote() -> None:
    text = '${jsonencode({"a" = "}"})}-${var.x}'
    assert [expression for _, _, expression in interpolations(text)] == ['jsonencode({"a" = "}"})', "var.x"]
    assert whole_interpolation("${var.x}") == "var.x" and whole_interpolation("a${var.x}") is None
    assert pascal("labeling_job_algorithms_config") == "LabelingJobAlgorithmsConfig"


def test_a_heredoc_keeps_its_escaped_quotes(tmp_path) -> None:
    from gtlint.scan import scan

    (tmp_path / "main.tf").write_text('''resource "aws_sfn_state_machine" "m" {
  definition = <<EOT
{"StartAt": "A", "States": {"A": {"Type": "Task", "End": true,
  "Resource": "arn:aws:states:::sagemaker:createLabelingJob",
  "Parameters": {"LabelingJobName": "say \\"hi\\"", "OutputConfig": {"S3OutputPath": "s3://b/o"}}}}}
EOT
}
''')
    result = scan([str(tmp_path)])
    assert (result.errors, [(f.rule_id, f.level, f.location.line) for f in result.findings]) == (
        [], [("GTL002", "warning", 5)])
