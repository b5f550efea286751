"""Terraform: `aws_sagemaker_labeling_job`, `aws_sfn_state_machine` definitions, and plan JSON.

HCL is read with the `hcl2` module that Checkov brings. No function is evaluated except
`jsonencode` (its argument is a literal once hcl2 has rendered it), `templatefile` and `file`
(read only below the scanned root, through `read_file`).
"""

from __future__ import annotations

import ast
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from gtlint.document import LoadError, load_json, load_yaml
from gtlint.request import ACCOUNT, PARTITION, REGION, LabelingJobRequest, Location, Node, Reference, Unknown, symbol
from gtlint.sources import aws_cli, stepfunctions
from gtlint.sources.text import Part, Placeholder, parts_to_node, render, token_hook
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator

LABELING_JOB = "aws_sagemaker_labeling_job"
STATE_MACHINE = "aws_sfn_state_machine"
ReadFile = Callable[[str], str]  # reads a path relative to the module, or raises LoadError

_REFERENCE = re.compile(r"(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*(?:\[[^\]]*\])?(?:\.[\w\[\]\"*-]+)*\Z")
_CALL = re.compile(r"(jsonencode|templatefile|file)\((.*)\)\Z", re.DOTALL)


def interpolations(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, expression) of each `${...}`, nested braces and quoted strings included."""
    position = text.find("${")
    while position != -1:
        end = _closing_brace(text, position + 2)
        if end == -1:
            return
        yield position, end + 1, text[position + 2 : end].strip()
        position = text.find("${", end + 1)


def _closing_brace(text: str, start: int) -> int:
    depth, quote, index = 1, "", start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def whole_interpolation(text: Any) -> str | None:
    """The expression when `text` is exactly one `${...}`."""
    if not isinstance(text, str) or not text.startswith("${"):
        return None
    first = next(interpolations(text), None)
    return first[2] if first and first[0] == 0 and first[1] == len(text) else None


def pascal(name: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in name.split("_"))


@dataclass
class TextLocator:
    """Terraform positions: hcl2 gives only block lines, so keys are found in the block's text."""

    file: str
    lines: list[str]
    end: int  # last line of the enclosing block

    def child(self, container: Any, key: str | int, parent: Location) -> Location:
        doc_path = (*parent.doc_path, key)
        if isinstance(key, int) or not parent.line:
            return Location(parent.file, parent.line, parent.column, doc_path)
        pattern = re.compile(rf'(?<![\w-])"?{re.escape(key)}"?\s*(?:=|:|\{{)')
        for number in range(parent.line, min(self.end, len(self.lines)) + 1):
            match = pattern.search(self.lines[number - 1])
            if match:
                return Location(parent.file, number, match.start() + 1, doc_path)
        return Location(parent.file, parent.line, parent.column, doc_path)


@dataclass
class Module:
    """The .tf files of one folder, with what their variables and locals resolve to."""

    files: dict[str, tuple[dict, list[str]]]  # path -> (hcl2 document, source lines)
    read_file: ReadFile | None = None
    variables: dict[str, Any] = field(init=False)
    locals: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.variables, self.locals = {}, {}
        self.blocks = {}
        for path, (document, lines) in self.files.items():
            for kind, resource_type, name, body in _all_blocks(document):
                address = f"data.{resource_type}.{name}" if kind == "data" else f"{resource_type}.{name}"
                self.blocks[address] = Block(address, resource_type, body, path, lines)
        for document, _ in self.files.values():
            for block in document.get("variable", []):
                for name, body in block.items():
                    if isinstance(body, dict) and "default" in body:
                        self.variables[name] = unwrap(body["default"])
            for block in document.get("locals", []):
                self.locals.update({name: unwrap(value) for name, value in block.items()})

    directory: str = ""
    blocks: dict[str, Block] = field(init=False)  # resources and data sources by address

    def reference(self, expression: str) -> Reference:
        """A reference to a resource attribute; ARNs of roles and keys get their known shape."""
        address, attribute = split_address(expression)
        data_type = address.split(".")[1] if address.startswith("data.") else ""
        same_everywhere = _SINGLETON_DATA.get((data_type, attribute))
        if same_everywhere:
            return Reference(expression, same_everywhere)
        block = self.blocks.get(address)
        if block is None:
            return Reference(expression)
        if attribute == "arn" and block.type in ("aws_iam_role", "aws_kms_key"):
            return Reference(expression, self.arn_text(block), address)
        return Reference(expression, symbol(f"{address}.{attribute}"), address)

    def arn_text(self, block: Block) -> str:
        if block.type == "aws_kms_key":
            return f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol(f'{block.address}.key_id')}"
        name = _literal_string(block.body.get("name")) or symbol(f"{block.address}.name")
        path = _literal_string(block.body.get("path")) or "/"
        return f"arn:{PARTITION}:iam::{ACCOUNT}:role{path}{name}"

    def path_of(self, relative: str) -> str:
        """A file of the module, named as the module's own files are."""
        return posixpath.normpath(f"{self.directory}/{relative}" if self.directory else relative)

    def requests(self) -> list[LabelingJobRequest]:
        found: list[LabelingJobRequest] = []
        for path, (document, lines) in self.files.items():
            for resource_type, name, body in _resources(document):
                address = f"{resource_type}.{name}"
                locator = TextLocator(path, lines, int(body.get("__end_line__", len(lines))))
                location = Location(path, int(body.get("__start_line__", 0)), 1, ("resource", resource_type, name))
                evaluator = Expressions(self, locator)
                if resource_type == LABELING_JOB:
                    found.append(LabelingJobRequest(evaluator.block(body, location), "terraform", address))
                elif resource_type == STATE_MACHINE and "definition" in body:
                    found.extend(evaluator.state_machine(body, location, address))
        for block in self.blocks.values():
            found.extend(self.local_exec_requests(block))
        return found

    def local_exec_requests(self, block: Block) -> list[LabelingJobRequest]:
        """`aws sagemaker create-labeling-job` in a `local-exec` provisioner's command (`${...}` is unknown)."""
        found: list[LabelingJobRequest] = []
        start = int(block.body.get("__start_line__", 1))
        line = next((number for number in range(start, len(block.lines) + 1)
                     if "local-exec" in block.lines[number - 1]), start)
        for command in _local_exec_commands(block.body):
            script = _with_symbols(command)  # Terraform fills `${...}` in before the shell sees it
            requests = aws_cli.requests_in_script(script, block.file, None, line_offset=line - 1, flat=True)
            found.extend(replace(request, name=f"{block.address}.local-exec") for request in requests)
        return found


def _with_symbols(text: str) -> str:
    pieces, position = [], 0
    for start, end, expression in interpolations(text):
        pieces += [text[position:start], symbol(expression)]
        position = end
    return "".join([*pieces, text[position:]])


def _local_exec_commands(body: dict) -> Iterator[str]:
    provisioners = body.get("provisioner")
    for provisioner in provisioners if isinstance(provisioners, list) else []:
        local_exec = unwrap(provisioner.get("local-exec")) if isinstance(provisioner, dict) else None
        command = unwrap(local_exec.get("command")) if isinstance(local_exec, dict) else None
        if isinstance(command, str):
            yield command


@dataclass(frozen=True)
class Block:
    """A resource or data source of the module."""

    address: str
    type: str
    body: dict
    file: str
    lines: list[str]

    def location(self) -> Location:
        return Location(self.file, int(self.body.get("__start_line__", 0)), 1, ("resource", *self.address.split(".")))

    def locator(self) -> TextLocator:
        return TextLocator(self.file, self.lines, int(self.body.get("__end_line__", len(self.lines))))


# Data sources whose attribute is the same for the whole configuration.
_SINGLETON_DATA = {
    ("aws_partition", "partition"): PARTITION, ("aws_caller_identity", "account_id"): ACCOUNT,
    ("aws_region", "name"): REGION, ("aws_region", "region"): REGION,
}


def _all_blocks(document: dict) -> Iterator[tuple[str, str, str, dict]]:
    for kind in ("resource", "data"):
        for block in document.get(kind, []):
            for resource_type, instances in block.items():
                if isinstance(instances, dict):
                    for name, body in instances.items():
                        if isinstance(body, dict):
                            yield kind, resource_type, name, body


def _strip_instance(expression: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", expression)


def split_address(expression: str) -> tuple[str, str]:
    """`aws_iam_role.gt.arn` -> ("aws_iam_role.gt", "arn"); `data.x.y.json` -> ("data.x.y", "json")."""
    parts = _strip_instance(expression).split(".")
    size = 3 if parts[0] == "data" else 2
    return ".".join(parts[:size]), ".".join(parts[size:])


def _literal_string(value: Any) -> str | None:
    value = unwrap(value)
    return value if isinstance(value, str) and "${" not in value else None


def _resources(document: dict) -> Iterator[tuple[str, str, dict]]:
    for block in document.get("resource", []):
        for resource_type, instances in block.items():
            if resource_type in (LABELING_JOB, STATE_MACHINE) and isinstance(instances, dict):
                for name, body in instances.items():
                    if isinstance(body, dict):
                        yield resource_type, name, body


def unwrap(value: Any) -> Any:
    """hcl2 wraps attribute values and single blocks in lists."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


@dataclass
class Expressions:
    """Evaluates the HCL expressions of one resource into request nodes."""

    module: Module
    locator: TextLocator
    depth: int = 0

    def block(self, body: dict, location: Location) -> Node:
        """A resource or nested block, snake_case keys turned into the API's PascalCase."""
        children: dict[str, Node] = {}
        for key, raw in body.items():
            if key.startswith("__"):
                continue
            child_location = self.locator.child(body, key, location)
            if key == "dynamic":
                children.update(self._dynamic_blocks(raw, child_location))
                continue
            value = unwrap(raw)
            node = self.block(value, child_location) if isinstance(value, dict) else self.value(value, child_location)
            children[pascal(key)] = node
        return Node(children, location)

    def _dynamic_blocks(self, raw: Any, location: Location) -> dict[str, Node]:
        blocks = raw if isinstance(raw, list) else [raw]
        return {
            pascal(name): Node(Unknown(f"dynamic block {name} is generated at plan time"), location)
            for block in blocks if isinstance(block, dict) for name in block
        }

    def value(self, value: Any, location: Location) -> Node:
        if isinstance(value, str):
            return self.string(value, location)
        if isinstance(value, list):
            return Node([self.value(item, location) for item in value], location)
        return Node(value, location)

    def string(self, text: str, location: Location) -> Node:
        whole = whole_interpolation(text)
        if whole is not None:
            return self.expression(whole, location)
        return parts_to_node(self.parts(text, location), location, f"the string {text!r}")

    def parts(self, text: str, location: Location) -> list[Part]:
        parts: list[Part] = []
        position = 0
        for start, end, expression in interpolations(text):
            parts.append(text[position:start])
            node = self.expression(expression, location)
            parts.append(node.value if isinstance(node.value, str) else Placeholder(node))
            position = end
        parts.append(text[position:])
        return [part for part in parts if part != ""]

    def expression(self, expression: str, location: Location) -> Node:
        """One `${...}`: a variable or local resolved, a resource attribute referenced, a call evaluated."""
        self.depth += 1
        try:
            if self.depth > 20:
                return Node(Unknown(f"{expression} refers to itself"), location)
            return self._expression(expression, location)
        finally:
            self.depth -= 1

    def _expression(self, expression: str, location: Location) -> Node:
        call = _CALL.match(expression)
        if call:
            return self._call(call.group(1), call.group(2), location)
        if expression.startswith(("var.", "local.")):
            return self._named(expression, location)
        if expression.startswith("module."):
            return Node(Unknown(f"{expression} is an output of another module"), location)
        if _REFERENCE.match(expression) and not expression.startswith(("path.", "each.", "count.")):
            return Node(self.module.reference(expression), location)
        return Node(Unknown(f"the expression {expression} is not evaluated statically"), location)

    def _named(self, expression: str, location: Location) -> Node:
        scope, _, name = expression.partition(".")
        table = self.module.variables if scope == "var" else self.module.locals
        if "." in name or "[" in name or name not in table:
            what = "has no default" if scope == "var" else "is not a literal"
            return Node(Unknown(f"{expression} {what}, so its value is only known at plan time"), location)
        value = table[name]
        if isinstance(value, dict):
            return self.block(value, location)
        return self.value(value, location)

    def _call(self, function: str, arguments: str, location: Location) -> Node:
        try:
            literal = ast.literal_eval(f"[{arguments}]")
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return Node(Unknown(f"the arguments of {function}() are not literal"), location)
        if function == "jsonencode":
            return self.build(literal[0] if literal else None, location, self.locator)
        text = self.file_text(function, literal, location)
        return text if isinstance(text, Node) else Node(text[0], location)

    def build(self, value: Any, location: Location, locator: Any, *hooks: Any) -> Node:
        """A plain (decoded) value whose strings may still hold `${...}` interpolations."""
        node = Builder(locator, (*hooks, self._interpolation_hook)).build(value, location)
        return node if node is not None else Node(None, location)

    def _interpolation_hook(self, builder: Builder, value: Any, location: Location) -> Any:
        return self.string(value, location) if isinstance(value, str) and "${" in value else NOT_SPECIAL

    def file_text(self, function: str, arguments: list, location: Location) -> tuple[str, list[Node]] | Node:
        """The text read by file()/templatefile(), template variables standing as tokens."""
        raw_path = _literal_path(arguments)
        path = self.string(raw_path, location).value if raw_path else None
        if not isinstance(path, str):
            return Node(Unknown(f"the path given to {function}() is not literal"), location)
        try:
            if self.module.read_file is None:
                raise LoadError("files are not read here")
            text = self.module.read_file(path)
        except LoadError as error:
            return Node(Unknown(f"{function}({path!r}) cannot be read: {error}"), location)
        if function == "file":
            return text, []
        variables = arguments[1] if len(arguments) > 1 and isinstance(arguments[1], dict) else {}
        parts: list[Part] = []
        position = 0
        for start, end, name in interpolations(text):
            parts.append(text[position:start])
            node = self.value(variables[name], location) if name in variables else Node(
                Unknown(f"the template variable {name} is not given to templatefile()"), location
            )
            parts.append(node.value if isinstance(node.value, str) else Placeholder(node))
            position = end
        parts.append(text[position:])
        return render([part for part in parts if part != ""])

    def state_machine(self, body: dict, location: Location, address: str) -> list[LabelingJobRequest]:
        """The definition as jsonencode(), a JSON string or heredoc, or templatefile()/file()."""
        location = self.locator.child(body, "definition", location)
        raw = unwrap(body["definition"])
        whole = whole_interpolation(raw)
        call = _CALL.match(whole) if whole else None
        if call and call.group(1) == "jsonencode":
            try:
                definition = ast.literal_eval(f"[{call.group(2)}]")[0]
            except (ValueError, SyntaxError, IndexError, MemoryError, RecursionError):
                return _unreadable("the argument of jsonencode() is not literal", location, address)
            return self._definition(definition, location, self.locator, address)
        if call:
            literal = _literal_arguments(call.group(2))
            unreadable = Node(Unknown(f"the arguments of {call.group(1)}() are not literal"), location)
            read = self.file_text(call.group(1), literal, location) if literal is not None else unreadable
            if isinstance(read, Node):
                return [LabelingJobRequest(read, "terraform", address)]
            text, placeholders = read
            file_location = Location(self.module.path_of(_literal_path(literal)), 1, 1, location.doc_path)
            return self._parsed(text, file_location, MarkLocator(), address, token_hook(placeholders))
        if isinstance(raw, str) and whole is None:
            # A heredoc's first line follows `definition = <<EOT`; a quoted string starts on that line.
            heredoc = self.is_heredoc(location)
            text = raw if heredoc else unescape_quoted(raw)
            first_line = location.line + 1 if heredoc else location.line
            return self._parsed(text, location, MarkLocator(max(first_line - 1, 0)), address)
        node = self.value(raw, location)
        if isinstance(node.value, str):
            return self._parsed(node.value, location, MarkLocator(embedded=True), address)
        return _unreadable(f"the definition is {raw}", location, address)

    def is_heredoc(self, location: Location) -> bool:
        line = self.locator.lines[location.line - 1] if 0 < location.line <= len(self.locator.lines) else ""
        return "<<" in line

    def _parsed(self, text: str, location: Location, locator: Any, address: str, *hooks: Any) -> list:
        try:
            document = load_json(text) if text.lstrip().startswith("{") else load_yaml(text)
        except LoadError as error:
            return _unreadable(f"the definition is not valid JSON ({error})", location, address)
        return self._definition(document, location, locator, address, *hooks)

    def _definition(self, definition: Any, location: Location, locator: Any, address: str, *hooks: Any) -> list:
        if not stepfunctions.is_definition(definition):
            return []
        builder = Builder(locator, (*hooks, self._interpolation_hook))
        return stepfunctions.requests_in_definition(definition, location, builder, "terraform", address)


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def unescape_quoted(text: str) -> str:
    """hcl2 keeps the escapes of a quoted string (a heredoc has none to undo)."""
    return re.sub(r'\\(["\\nrt])', lambda match: _ESCAPES[match.group(1)], text)


def _literal_arguments(arguments: str) -> list | None:
    try:
        return ast.literal_eval(f"[{arguments}]")
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None


def _literal_path(arguments: list) -> str:
    path = arguments[0] if arguments and isinstance(arguments[0], str) else ""
    return path.replace("${path.module}/", "").replace("${path.module}", ".")


def _unreadable(reason: str, location: Location, address: str) -> list[LabelingJobRequest]:
    """A definition gtlint cannot read may hold a labeling job: its request is unknown."""
    return [LabelingJobRequest(Node(Unknown(reason), location), "terraform", address)]
