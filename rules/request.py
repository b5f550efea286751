"""The normalized CreateLabelingJob request.

Every extractor lowers its source into a tree of `Node`s in the shape of the SageMaker API
(PascalCase keys). A node's value is a literal, or one of three markers: `Reference` (set at
deploy time, not a literal), `Unknown` (cannot be decided statically) or `Choice` (depends on a
CloudFormation condition). `resolve` looks a field up through that tree and answers, per branch,
whether the field is a literal, a reference, absent or unknown, and where.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gtlint.environment import IamContext

DocPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    file: str
    line: int = 0  # 1-based; 0 when the source has no position
    column: int = 0
    doc_path: DocPath = ()  # path in the host's document, for hosts that map paths to lines
    cell: int = 0  # in a notebook, the cell (1-based) and the line within it; `line` is the file's
    cell_line: int = 0


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be decided statically; `reason` says why."""

    reason: str


# In a value's text, a part only known at deploy time stands as a named symbol. The same
# expression stands for the same value within one template or module, so texts can be compared.
SYMBOL_START, SYMBOL_END = "\ue003", "\ue004"


def symbol(name: str) -> str:
    return f"{SYMBOL_START}{name}{SYMBOL_END}"


PARTITION, REGION, ACCOUNT = symbol("AWS::Partition"), symbol("AWS::Region"), symbol("AWS::AccountId")
_SYMBOL = re.compile(f"{SYMBOL_START}([^{SYMBOL_END}]*){SYMBOL_END}")


def readable(text: str) -> str:
    """A text with its symbols written as `${...}`, for messages."""
    return _SYMBOL.sub(lambda match: "${" + match.group(1) + "}", text)


@dataclass(frozen=True)
class Reference:
    """A value set at deploy time (a resource attribute): present and non-empty, but not a literal.

    `text` is the value with symbols for its deploy-time parts; `target` names the resource of the
    scanned code whose attribute it is, when it is one.
    """

    expression: str
    text: str = ""
    target: str = ""

    def as_text(self) -> str:
        return self.text or symbol(self.expression)


@dataclass(frozen=True)
class Choice:
    """A value that depends on a deploy-time condition. A branch of None removes the property."""

    condition: str
    if_true: Node | None
    if_false: Node | None


Value = dict | list | str | int | float | bool | None | Unknown | Reference | Choice


@dataclass(frozen=True)
class Node:
    value: Value  # dict[str, Node] | list[Node] | scalar | marker
    location: Location


class State(Enum):
    LITERAL = "literal"
    REFERENCE = "reference"
    ABSENT = "absent"
    UNKNOWN = "unknown"


Assumption = tuple[str, bool]  # (condition name, branch taken)


@dataclass(frozen=True)
class FieldValue:
    """One outcome of looking a field up: its state on one combination of condition branches."""

    state: State
    node: Node | None  # the field's node when present
    location: Location  # where the field is, or its deepest present parent when absent
    reason: str = ""  # why the value is unknown
    assumptions: tuple[Assumption, ...] = ()

    @property
    def literal(self) -> Value:
        return self.node.value if self.node is not None and self.state is State.LITERAL else None

    @property
    def is_blank(self) -> bool:
        """Absent, or a literal empty string / null: SageMaker treats both as not set."""
        return self.state is State.ABSENT or (self.state is State.LITERAL and self.literal in ("", None))


def resolve(node: Node, path: tuple[str, ...], assumptions: tuple[Assumption, ...] = ()) -> list[FieldValue]:
    """Look `path` up below `node`, forking at every `Choice` the branches not yet decided."""
    value = node.value
    if isinstance(value, Choice):
        return _resolve_choice(node, value, path, assumptions)
    if isinstance(value, Unknown):
        return [FieldValue(State.UNKNOWN, node, node.location, value.reason, assumptions)]
    if not path:
        state = State.REFERENCE if isinstance(value, Reference) else State.LITERAL
        return [FieldValue(state, node, node.location, "", assumptions)]
    if isinstance(value, Reference):
        reason = f"{value.expression} is only known at deploy time, so its {path[0]} cannot be read"
        return [FieldValue(State.UNKNOWN, node, node.location, reason, assumptions)]
    if not isinstance(value, dict):
        reason = f"expected an object holding {path[0]}, found {type(value).__name__}"
        return [FieldValue(State.UNKNOWN, node, node.location, reason, assumptions)]
    child = value.get(path[0])
    if child is None:
        return [FieldValue(State.ABSENT, None, node.location, "", assumptions)]
    return resolve(child, path[1:], assumptions)


def _resolve_choice(
    node: Node, choice: Choice, path: tuple[str, ...], assumptions: tuple[Assumption, ...]
) -> list[FieldValue]:
    decided = dict(assumptions).get(choice.condition)
    outcomes: list[FieldValue] = []
    for taken, branch in ((True, choice.if_true), (False, choice.if_false)):
        if decided is not None and decided != taken:
            continue
        branch_assumptions = assumptions if decided is not None else (*assumptions, (choice.condition, taken))
        if branch is None:
            outcomes.append(FieldValue(State.ABSENT, None, node.location, "", branch_assumptions))
        else:
            outcomes.extend(resolve(branch, path, branch_assumptions))
    return outcomes


@dataclass(frozen=True)
class LabelingJobRequest:
    """A CreateLabelingJob request found in a source, with where it came from."""

    body: Node  # the request object, in API shape
    form: str  # one of catalogue.FORMS
    name: str  # what the source calls it: a resource address, a logical id, a state name
    context: IamContext | None = None  # the roles and keys around it

    def field(self, *path: str) -> list[FieldValue]:
        return resolve(self.body, path)


VOLUME_KEY = ("LabelingJobAlgorithmsConfig", "LabelingJobResourceConfig", "VolumeKmsKeyId")
OUTPUT_KEY = ("OutputConfig", "KmsKeyId")
ALGORITHMS = ("LabelingJobAlgorithmsConfig",)
ROLE = ("RoleArn",)

# The keys the rules read below each path: a mapping that may hold keys the source does not show
# (`**unknown` in Python, `...spread` in JavaScript) makes exactly these unknown.
KEYS_THAT_MATTER: dict[tuple[str, ...], tuple[str, ...]] = {
    (): (VOLUME_KEY[0], OUTPUT_KEY[0], ROLE[0]),
    VOLUME_KEY[:1]: VOLUME_KEY[1:2],
    VOLUME_KEY[:2]: VOLUME_KEY[2:],
    OUTPUT_KEY[:1]: OUTPUT_KEY[1:],
}

# Keys that together say "this object is a CreateLabelingJob request".
_REQUIRED_SHAPE = ("LabelingJobName", "RoleArn", "OutputConfig")
_ANY_SHAPE = ("HumanTaskConfig", "InputConfig", "LabelAttributeName", "LabelingJobAlgorithmsConfig")


def has_labeling_job_shape(keys: object) -> bool:
    """True when a mapping's keys are those of a CreateLabelingJob request."""
    if not isinstance(keys, dict):
        return False
    return all(key in keys for key in _REQUIRED_SHAPE) and any(key in keys for key in _ANY_SHAPE)


def names_a_labeling_job(keys: object) -> bool:
    """A call's request, on a receiver that cannot be seen, is a labeling job's when it names one (or has the shape)."""
    return isinstance(keys, dict) and ("LabelingJobName" in keys or has_labeling_job_shape(keys))


def nested_field(request: LabelingJobRequest, path: tuple[str, ...]) -> Iterator[tuple[FieldValue, FieldValue]]:
    """Each (parent, field) outcome of `path`, where the parent is its first element."""
    for parent in request.field(path[0]):
        if parent.state is State.LITERAL and isinstance(parent.literal, dict):
            for outcome in resolve(parent.node, path[1:], parent.assumptions):
                yield parent, outcome
        else:
            yield parent, parent
