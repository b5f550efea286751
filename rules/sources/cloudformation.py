"""CloudFormation, SAM and CDK output: state machines, CDK AwsCustomResource calls and custom resources."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gtlint.document import LoadError, key_mark, load_json, load_yaml, value_mark
from gtlint.request import (
    ACCOUNT,
    PARTITION,
    REGION,
    Choice,
    LabelingJobRequest,
    Location,
    Node,
    Reference,
    Unknown,
    has_labeling_job_shape,
    symbol,
)
from gtlint.sources import stepfunctions
from gtlint.sources.text import Part, Placeholder, part_text, parts_to_node, render, token_hook
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator, TooLarge

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region", "AWS::StackId",
        "AWS::StackName", "AWS::URLSuffix",
    }
)
_PSEUDO_SYMBOLS = {"AWS::Partition": PARTITION, "AWS::Region": REGION, "AWS::AccountId": ACCOUNT}
_ARN_SHAPES = frozenset({"AWS::IAM::Role", "AWS::KMS::Key"})
SAGEMAKER_SERVICES = frozenset({"SageMaker", "sagemaker", "@aws-sdk/client-sagemaker"})
CREATE_LABELING_JOB = frozenset({"createLabelingJob", "CreateLabelingJob"})
_SUBSTITUTION = re.compile(r"\$\{([^}]*)\}")

ReadFile = Callable[[str], str]  # reads a path relative to the template's folder, or raises LoadError


def is_template(document: Any) -> bool:
    resources = document.get("Resources") if isinstance(document, dict) else None
    return isinstance(resources, dict) and any(
        isinstance(resource, dict) and isinstance(resource.get("Type"), str) for resource in resources.values()
    )


@dataclass
class Template:
    """One template and what its intrinsic functions can be resolved to."""

    data: dict
    file: str
    read_file: ReadFile | None = None
    form: str = "cloudformation"
    parameters: dict = field(init=False)
    resources: dict = field(init=False)

    def __post_init__(self) -> None:
        parameters = self.data.get("Parameters")
        self.parameters = parameters if isinstance(parameters, dict) else {}
        resources = self.data.get("Resources")
        self.resources = resources if isinstance(resources, dict) else {}
        transform = self.data.get("Transform")
        transforms = transform if isinstance(transform, list) else [transform]
        if any(isinstance(name, str) and name.startswith("AWS::Serverless") for name in transforms):
            self.form = "sam"

    # -- intrinsic functions -------------------------------------------------------------------

    def lower(self, builder: Builder, value: Any, location: Location) -> Any:
        """Builder hook: an intrinsic function becomes a literal, a Reference, an Unknown or a Choice."""
        if not isinstance(value, dict) or len(value) != 1:
            return NOT_SPECIAL
        ((function, argument),) = value.items()
        if function == "Ref":
            return self._ref(argument, location)
        if function == "Fn::GetAtt":
            target = ".".join(map(str, argument)) if isinstance(argument, list) else str(argument)
            return Node(self.attribute(target), location)
        if function == "Fn::If":
            return self._if(builder, value, argument, location)
        if function in ("Fn::Sub", "Fn::Join"):
            return parts_to_node(self.text(value), location, function)
        if function == "Fn::ImportValue":
            return Node(Unknown("Fn::ImportValue reads an export of another stack"), location)
        if isinstance(function, str) and function.startswith("Fn::"):
            return Node(Unknown(f"{function} is not evaluated statically"), location)
        return NOT_SPECIAL

    def _ref(self, name: Any, location: Location) -> Node | None:
        if name == "AWS::NoValue":
            return None
        if name in self.parameters:
            parameter = self.parameters[name]
            if isinstance(parameter, dict) and "Default" in parameter:
                return Node(parameter["Default"], location)
            return Node(Unknown(f"parameter {name} has no Default, so its value is chosen at deploy time"), location)
        if name in PSEUDO_PARAMETERS:
            return Node(Reference(f"Ref {name}", _PSEUDO_SYMBOLS.get(name, "")), location)
        if name in self.resources:
            resource = self.resources[name]
            is_role = isinstance(resource, dict) and resource.get("Type") == "AWS::IAM::Role"
            return Node(Reference(f"Ref {name}", self.role_name(name) if is_role else symbol(name), name), location)
        return Node(Unknown(f"Ref {name} names no parameter or resource of this template"), location)

    def attribute(self, target: str) -> Reference:
        """Fn::GetAtt: the ARN of a role or key of this template has a known shape."""
        logical_id, _, attribute = target.partition(".")
        resource = self.resources.get(logical_id)
        resource_type = resource.get("Type") if isinstance(resource, dict) else None
        if attribute == "Arn" and resource_type in _ARN_SHAPES:
            return Reference(f"Fn::GetAtt {target}", self.arn_text(logical_id), logical_id)
        return Reference(f"Fn::GetAtt {target}", symbol(target), logical_id if resource_type else "")

    def arn_text(self, logical_id: str) -> str:
        """The ARN of a role or key of this template, deploy-time parts as symbols."""
        resource = self.resources[logical_id]
        properties = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
        if resource.get("Type") == "AWS::KMS::Key":
            return f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol(logical_id)}"
        path = self.text_of(properties.get("Path"), "/")
        return f"arn:{PARTITION}:iam::{ACCOUNT}:role{path}{self.role_name(logical_id)}"

    def role_name(self, logical_id: str) -> str:
        """RoleName, or the name CloudFormation generates: stack name, logical id, random suffix."""
        properties = self.resources[logical_id].get("Properties")
        generated = f"{symbol('AWS::StackName')}-{logical_id}-{symbol(f'{logical_id} suffix')}"
        return self.text_of(properties.get("RoleName") if isinstance(properties, dict) else None, generated)

    def text_of(self, value: Any, default: str) -> str:
        """A string property with its deploy-time parts as symbols; `default` when it is absent."""
        if value is None:
            return default
        return "".join(part if isinstance(part, str) else part_text(part.node) for part in self.text(value))

    def _if(self, builder: Builder, value: dict, argument: Any, location: Location) -> Node:
        if not (isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str)):
            return Node(Unknown("Fn::If needs [condition, value if true, value if false]"), location)
        function_location = builder.child_location(value, "Fn::If", location)
        branches = [
            builder.build(argument[index], builder.child_location(argument, index, function_location))
            for index in (1, 2)
        ]
        return Node(Choice(argument[0], branches[0], branches[1]), location)

    def text(self, value: Any) -> list[Part]:
        """A string-valued expression as literal parts and placeholders for what is not literal."""
        if isinstance(value, str):
            return [value]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, dict) and len(value) == 1:
            ((function, argument),) = value.items()
            if function == "Fn::Sub":
                return self._sub(argument)
            if function == "Fn::Join":
                return self._join(argument)
        node = self.lower(Builder(MarkLocator()), value, Location(self.file))
        if node is NOT_SPECIAL or node is None:
            return [Placeholder(Node(Unknown("a value that is not a string"), Location(self.file)))]
        return [node.value] if isinstance(node.value, str) else [Placeholder(node)]

    def _sub(self, argument: Any) -> list[Part]:
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            pattern, variables = argument
        else:
            pattern, variables = argument, {}
        if not isinstance(pattern, str):
            return [Placeholder(Node(Unknown("Fn::Sub of a value that is not a string"), Location(self.file)))]
        parts: list[Part] = []
        position = 0
        for match in _SUBSTITUTION.finditer(pattern):
            parts.append(pattern[position : match.start()])
            position = match.end()
            name = match.group(1)
            if name.startswith("!"):
                parts.append("${" + name[1:] + "}")
            elif name in variables:
                parts.extend(self.text(variables[name]))
            elif "." in name:
                parts.append(Placeholder(Node(self.attribute(name), Location(self.file))))
            else:
                parts.extend(self.text({"Ref": name}))
        parts.append(pattern[position:])
        return [part for part in parts if part != ""]

    def _join(self, argument: Any) -> list[Part]:
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], list)):
            return [Placeholder(Node(Unknown("Fn::Join of a list that is not literal"), Location(self.file)))]
        delimiter, items = argument
        parts: list[Part] = []
        for index, item in enumerate(items):
            if index and delimiter:
                parts.append(str(delimiter))
            parts.extend(self.text(item))
        return parts

    # -- resources -----------------------------------------------------------------------------

    def requests(self) -> list[LabelingJobRequest]:
        found: list[LabelingJobRequest] = []
        for logical_id, resource in self.resources.items():
            if isinstance(resource, dict):
                found.extend(self.resource_requests(str(logical_id), resource))
        return found

    def resource_requests(self, logical_id: str, resource: dict) -> list[LabelingJobRequest]:
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            return []
        location = Location(self.file, *_line_column(self.resources, logical_id), ("Resources", logical_id))
        properties_location = _child(self.resources[logical_id], "Properties", location)
        handler = self._handler(str(resource.get("Type", "")))
        if handler is None:
            return []
        try:
            return list(handler(logical_id, properties, properties_location))
        except TooLarge as error:
            body = Node(Unknown(f"the resource is too large to check ({error})"), location)
            return [LabelingJobRequest(body, self.form, logical_id)]

    def _handler(self, resource_type: str) -> Callable[[str, dict, Location], Iterator[LabelingJobRequest]] | None:
        if resource_type in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
            return self._state_machine
        if resource_type.startswith("Custom::") or resource_type == "AWS::CloudFormation::CustomResource":
            return self._custom_resource
        return None

    def builder(self) -> Builder:
        return Builder(MarkLocator(), (self.lower,))

    def _state_machine(self, logical_id: str, properties: dict, location: Location) -> Iterator[LabelingJobRequest]:
        substitutions = self._substitutions(properties.get("DefinitionSubstitutions"))
        if isinstance(properties.get("Definition"), dict):
            definition_location = _child(properties, "Definition", location)
            builder = self.builder().with_hooks(_substitution_hook(substitutions))
            yield from self._definition(properties["Definition"], definition_location, builder, logical_id)
        elif "DefinitionString" in properties:
            string_location = _child(properties, "DefinitionString", location)
            locator = _string_locator(properties, "DefinitionString", string_location)
            parts = self.text(properties["DefinitionString"])
            yield from self._embedded_definition(parts, string_location, locator, substitutions, logical_id)
        elif isinstance(properties.get("DefinitionUri"), str):
            uri_location = _child(properties, "DefinitionUri", location)
            yield from self._local_definition(properties["DefinitionUri"], uri_location, substitutions, logical_id)
        elif "DefinitionS3Location" in properties or "DefinitionUri" in properties:
            key = "DefinitionS3Location" if "DefinitionS3Location" in properties else "DefinitionUri"
            reason = f"the definition is in Amazon S3 ({key}), which is not read"
            yield LabelingJobRequest(Node(Unknown(reason), _child(properties, key, location)), self.form, logical_id)

    def _definition(self, definition: dict, location: Location, builder: Builder, owner: str) -> list:
        if not stepfunctions.is_definition(definition):
            return []
        return stepfunctions.requests_in_definition(definition, location, builder, self.form, owner)

    def _embedded_definition(
        self, parts: list[Part], location: Location, locator: MarkLocator, substitutions: dict, owner: str
    ) -> list[LabelingJobRequest]:
        text, placeholders = render(parts)
        document, problem = _parse_embedded(text)
        if problem:
            return _unreadable(f"the definition is not valid JSON ({problem})", location, self.form, owner)
        builder = Builder(locator, (token_hook(placeholders), _substitution_hook(substitutions)))
        return self._definition(document, location, builder, owner) if isinstance(document, dict) else []

    def _local_definition(self, uri: str, location: Location, substitutions: dict, owner: str) -> list:
        try:
            if self.read_file is None:
                raise LoadError("local files are not read here")
            text = self.read_file(uri)
        except LoadError as error:
            reason = f"DefinitionUri {uri} cannot be read: {error}"
            return [LabelingJobRequest(Node(Unknown(reason), location), self.form, owner)]
        # Lines count in the definition's own file; hosts still point at the DefinitionUri property.
        definition_file = Path(os.path.normpath(os.path.join(os.path.dirname(self.file), uri))).as_posix()
        return self._embedded_definition([text], Location(definition_file, 0, 0, location.doc_path),
                                         MarkLocator(embedded=True), substitutions, owner)

    def _substitutions(self, value: Any) -> dict[str, Node]:
        if not isinstance(value, dict):
            return {}
        builder = self.builder()
        nodes = {str(name): builder.build(item, Location(self.file)) for name, item in value.items()}
        return {name: node for name, node in nodes.items() if node is not None}

    def _custom_resource(self, logical_id: str, properties: dict, location: Location) -> Iterator[LabelingJobRequest]:
        if has_labeling_job_shape(properties):
            body = self.builder().build(properties, location)
            if body is not None:
                yield LabelingJobRequest(body, self.form, logical_id)
            return
        for key in ("Create", "Update"):
            if key in properties:
                key_location = _child(properties, key, location)
                locator = _string_locator(properties, key, key_location)
                yield from self._sdk_call(properties[key], key_location, locator, f"{logical_id}.{key}")

    def _sdk_call(self, value: Any, location: Location, locator: MarkLocator,
                  owner: str) -> Iterator[LabelingJobRequest]:
        """CDK AwsCustomResource: {"service": "SageMaker", "action": "createLabelingJob", "parameters": {...}}."""
        literal_call = isinstance(value, dict) and "service" in value
        text, placeholders = ("", []) if literal_call else render(self.text(value))
        call, problem = (value, "") if literal_call else _parse_embedded(text)
        if problem or not isinstance(call, dict):
            return
        if call.get("service") not in SAGEMAKER_SERVICES or call.get("action") not in CREATE_LABELING_JOB:
            return
        builder = Builder(MarkLocator(embedded=True) if literal_call else locator,
                          (token_hook(placeholders), self.lower))
        parameters = call.get("parameters")
        body = builder.build(parameters, location) if parameters is not None else None
        yield LabelingJobRequest(body or Node({}, location), self.form, owner)


def _substitution_hook(substitutions: dict[str, Node]) -> Callable[[Builder, Any, Location], Any]:
    """DefinitionSubstitutions: `${name}` in a definition's strings."""

    def hook(builder: Builder, value: Any, location: Location) -> Any:
        if not isinstance(value, str) or "${" not in value:
            return NOT_SPECIAL
        parts: list[Part] = []
        position = 0
        for match in _SUBSTITUTION.finditer(value):
            parts.append(value[position : match.start()])
            name = match.group(1)
            node = substitutions.get(name) or Node(
                Unknown(f"${{{name}}} has no DefinitionSubstitutions entry"), location
            )
            parts.append(node.value if isinstance(node.value, str) else Placeholder(node))
            position = match.end()
        parts.append(value[position:])
        return parts_to_node([part for part in parts if part != ""], location, "DefinitionSubstitutions")

    return hook


def _parse_embedded(text: str) -> tuple[Any, str]:
    try:
        return (load_json(text) if text.lstrip().startswith(("{", "[")) else load_yaml(text)), ""
    except LoadError as error:
        return None, str(error)


def _unreadable(reason: str, location: Location, form: str, owner: str) -> list[LabelingJobRequest]:
    """A definition that cannot be parsed may hold a labeling job: its request is unknown."""
    return [LabelingJobRequest(Node(Unknown(reason), location), form, owner)]


def _line_column(container: Any, key: str) -> tuple[int, int]:
    mark = key_mark(container, key)
    return (mark[0], mark[1]) if mark else (0, 0)


def _child(container: Any, key: str, parent: Location) -> Location:
    return MarkLocator().child(container, key, parent)


def _string_locator(container: Any, key: str, location: Location) -> MarkLocator:
    """Where the lines of a document held in a string property are in the file.

    A block scalar (`|`, `>`) holds the document's lines from the line after its indicator; a
    `!Sub` of one keeps them. A one-line string or a `Fn::Join` has no lines of its own in the file:
    everything is reported at the property.
    """
    value = container.get(key)
    mark = value_mark(container, key)
    if isinstance(value, dict) and len(value) == 1:
        ((function, argument),) = value.items()
        text = argument[0] if function == "Fn::Sub" and isinstance(argument, list) and argument else argument
        if function != "Fn::Sub" or not isinstance(text, str):
            return MarkLocator(flat=True)
        mark = (value_mark(argument, 0) if isinstance(argument, list) else value_mark(value, function)) or mark
    if not mark:  # no marks (another loader): the document's lines count from the property's
        return MarkLocator(location.line - 1 if location.line else 0, embedded=True)
    if mark[2] in ("|", ">"):
        return MarkLocator(mark[0], embedded=True)
    return MarkLocator(flat=True)



