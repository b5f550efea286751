"""Amazon States Language: Task states that call sagemaker:createLabelingJob."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from gtlint.request import LabelingJobRequest, Location, Node, Unknown
from gtlint.sources.tree import NOT_SPECIAL, Builder, TooLarge

# The partition may still be a placeholder, as CDK writes it (`arn:${AWS::Partition}:...`, or a Ref in a Join).
LABELING_JOB_RESOURCE = re.compile(r"arn:[^:]+:states:::(?:aws-sdk:)?sagemaker:createLabelingJob(?:\.sync)?\Z")


def is_definition(document: Any) -> bool:
    return isinstance(document, dict) and "StartAt" in document and isinstance(document.get("States"), dict)


def labeling_tasks(definition: dict, path: tuple = ()) -> Iterator[tuple[str, tuple, bool]]:
    """(state name, path to the state, uses JSONata) for each labeling-job Task, nested states too."""
    jsonata = definition.get("QueryLanguage") == "JSONata"
    yield from _tasks_in(definition, path, jsonata)


def _tasks_in(machine: dict, path: tuple, jsonata: bool) -> Iterator[tuple[str, tuple, bool]]:
    states = machine.get("States")
    if not isinstance(states, dict):
        return
    for name, state in states.items():
        if not isinstance(state, dict):
            continue
        state_path = (*path, "States", name)
        state_jsonata = state.get("QueryLanguage", "JSONata" if jsonata else "JSONPath") == "JSONata"
        resource = _resource_text(state.get("Resource"))
        if state.get("Type") == "Task" and LABELING_JOB_RESOURCE.match(resource):
            yield str(name), state_path, state_jsonata
        for branch_path, branch in _nested_machines(state):
            yield from _tasks_in(branch, (*state_path, *branch_path), state_jsonata)


def _resource_text(resource: Any) -> str:
    """A Task's Resource as text; in a template's Definition mapping it may be an `Fn::Sub` or `Fn::Join`,
    whose deploy-time parts (the partition) stand as `*`."""
    if isinstance(resource, str):
        return _PLACEHOLDER.sub("*", resource)
    if not isinstance(resource, dict) or len(resource) != 1:
        return ""
    function, argument = next(iter(resource.items()))
    if function == "Fn::Sub":
        return _resource_text(argument[0] if isinstance(argument, list) and argument else argument)
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        separator, parts = argument
        if isinstance(separator, str) and isinstance(parts, list):
            return separator.join(part if isinstance(part, str) else "*" for part in parts)
    return ""


_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


def _nested_machines(state: dict) -> Iterator[tuple[tuple, dict]]:
    branches = state.get("Branches")
    if state.get("Type") == "Parallel" and isinstance(branches, list):
        for index, branch in enumerate(branches):
            if isinstance(branch, dict):
                yield ("Branches", index), branch
    if state.get("Type") == "Map":
        for key in ("ItemProcessor", "Iterator"):
            if isinstance(state.get(key), dict):
                yield (key,), state[key]


def dynamic_values(builder: Builder, value: Any, location: Location) -> Any:
    """JSONPath `Key.$` and JSONata `{% ... %}` values are only known at run time."""
    if isinstance(value, str) and value.strip().startswith("{%") and value.strip().endswith("%}"):
        return Node(Unknown(f"it is the JSONata expression {value.strip()}, evaluated at run time"), location)
    if isinstance(value, dict) and any(isinstance(key, str) and key.endswith(".$") for key in value):
        children = {}
        for key, item in value.items():
            child_location = builder.child_location(value, key, location)
            if isinstance(key, str) and key.endswith(".$"):
                reason = f"{key} takes the JSONPath {item!r} from the state's input at run time"
                children[key[:-2]] = Node(Unknown(reason), child_location)
            else:
                child = builder.build(item, child_location)
                if child is not None:
                    children[str(key)] = child
        return Node(children, location)
    return NOT_SPECIAL


def requests_in_definition(
    definition: dict, root: Location, builder: Builder, form: str, owner: str
) -> list[LabelingJobRequest]:
    """The labeling-job requests of a state machine definition; `owner` names the machine."""
    builder = builder.with_hooks(dynamic_values)
    requests = []
    for name, path, jsonata in labeling_tasks(definition):
        state, state_location = builder.location_along(definition, path, root)
        body = _request_body(builder, state, state_location, jsonata)
        requests.append(LabelingJobRequest(body, form, f"{owner}.{name}" if owner else name))
    return requests


def _request_body(builder: Builder, state: dict, location: Location, jsonata: bool) -> Node:
    key = "Arguments" if jsonata else "Parameters"
    if key not in state:
        other = "Parameters" if jsonata else "Arguments"
        if other in state:  # QueryLanguage set elsewhere than we saw; the present field is the request
            key = other
        else:
            reason = f"the Task has no {key}, so the state's input is sent as the request"
            return Node(Unknown(reason), location)
    try:
        body = builder.build(state[key], builder.child_location(state, key, location))
    except TooLarge as error:
        return Node(Unknown(f"{key} is too large to check ({error})"), location)
    return body if body is not None else Node(Unknown(f"{key} is removed"), location)
