"""AWS SDK for JavaScript calls, parsed with tree-sitter's JavaScript and TypeScript grammars.

SDK v2 (and v3's aggregated client): `sagemaker.createLabelingJob({...})`, with or without
`.promise()`; SDK v3: `new CreateLabelingJobCommand({...})`. The request is an object literal,
or a `const`/`let` bound to one once in the file. Nothing else is evaluated.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from gtlint.request import (
    KEYS_THAT_MATTER,
    LabelingJobRequest,
    Location,
    Node,
    Reference,
    Unknown,
    names_a_labeling_job,
    symbol,
)

METHOD = "createLabelingJob"
COMMAND = "CreateLabelingJobCommand"
SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx")
_CLIENT_CLASSES = ("SageMaker", "SageMakerClient")
_WRAPPERS = frozenset({"as_expression", "satisfies_expression", "parenthesized_expression", "non_null_expression",
                       "await_expression"})
MAX_TEXT = 60


@cache
def _parser(grammar: str) -> Any:
    from tree_sitter import Language, Parser  # lazily: only JavaScript and TypeScript need it

    if grammar == "javascript":
        import tree_sitter_javascript

        return Parser(Language(tree_sitter_javascript.language()))
    import tree_sitter_typescript

    if grammar == "tsx":
        return Parser(Language(tree_sitter_typescript.language_tsx()))
    return Parser(Language(tree_sitter_typescript.language_typescript()))


def _grammar(file: str) -> str:
    if file.endswith(".tsx"):
        return "tsx"
    return "typescript" if file.endswith((".ts", ".mts", ".cts")) else "javascript"


def requests_in_javascript(text: str, file: str) -> list[LabelingJobRequest]:
    if METHOD not in text and COMMAND not in text:
        return []
    tree = _parser(_grammar(file)).parse(text.encode("utf-8", "replace"))
    reader = _Reader(file, tree.root_node)
    return [request for node in _walk(tree.root_node) if (request := reader.request(node)) is not None]


def _walk(root: Any) -> Iterator[Any]:
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.named_children))


def _text(node: Any) -> str:
    text = node.text.decode("utf-8", "replace")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class _Reader:
    def __init__(self, file: str, root: Any) -> None:
        self.file = file
        self.bindings: dict[str, list[Any]] = {}
        for node in _walk(root):
            if node.type == "variable_declarator":
                name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
                if name is not None and name.type == "identifier":
                    self.bindings.setdefault(_text(name), []).append(value)

    def location(self, node: Any) -> Location:
        row, column = node.start_point
        return Location(self.file, row + 1, column + 1)

    def request(self, node: Any) -> LabelingJobRequest | None:
        argument = None
        if node.type == "new_expression" and _text(node.child_by_field_name("constructor") or node) == COMMAND:
            argument = _first_argument(node)
            sdk_call = True
        elif node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is None or function.type != "member_expression" or \
                    _text(function.child_by_field_name("property") or function) != METHOD:
                return None
            argument = _first_argument(node)
            sdk_call = self.is_client(function.child_by_field_name("object"))
        else:
            return None
        body = self.value(argument, (), depth=0) if argument is not None else \
            Node(Unknown(f"{METHOD} is called without a request"), self.location(node))
        if not sdk_call and not names_a_labeling_job(body.value):
            return None  # a method of that name on an object that is not a SageMaker client
        name = body.value.get("LabelingJobName") if isinstance(body.value, dict) else None
        label = name.value if isinstance(name, Node) and isinstance(name.value, str) else \
            f"{COMMAND if node.type == 'new_expression' else METHOD} (line {node.start_point[0] + 1})"
        return LabelingJobRequest(body, "javascript", label)

    def is_client(self, receiver: Any) -> bool:
        """A receiver bound to `new SageMaker(...)` / `new AWS.SageMaker(...)` / `new SageMakerClient(...)`."""
        if receiver is None:
            return False
        if receiver.type == "new_expression":
            return _text(receiver.child_by_field_name("constructor") or receiver).endswith(_CLIENT_CLASSES)
        if receiver.type == "identifier":
            values = self.bindings.get(_text(receiver), [])
            return len(values) == 1 and values[0] is not None and self.is_client(_unwrapped(values[0]))
        return False

    def value(self, node: Any, path: tuple[str, ...], depth: int) -> Node:
        node = _unwrapped(node)
        location = self.location(node)
        if depth > 100:
            return Node(Unknown("nested too deeply to read"), location)
        kind = node.type
        if kind == "object":
            return self.object(node, path, depth)
        if kind == "array":
            return Node([self.value(item, path, depth + 1) for item in node.named_children
                         if item.type != "comment"], location)
        if kind == "string":
            return Node(_string(node), location)
        if kind == "template_string":
            return self.template(node, location)
        if kind == "number":
            return Node(_number(_text(node)), location)
        if kind in ("true", "false"):
            return Node(kind == "true", location)
        if kind in ("null", "undefined"):
            return Node(None, location)
        if kind == "identifier":
            return self.identifier(node, path, depth)
        if kind == "member_expression" and _text(node).startswith("process.env."):
            return Node(Unknown(f"`{_text(node)}` is read from the environment when the code runs"), location)
        return Node(Unknown(f"`{_text(node)}` is computed when the code runs"), location)

    def identifier(self, node: Any, path: tuple[str, ...], depth: int) -> Node:
        name = _text(node)
        if name == "undefined":
            return Node(None, self.location(node))
        values = self.bindings.get(name, [])
        if len(values) == 1 and values[0] is not None:
            return self.value(values[0], path, depth + 1)
        why = "bound more than once in this file" if len(values) > 1 else "not bound to a value in this file"
        return Node(Unknown(f"`{name}` is {why}"), self.location(node))

    def object(self, node: Any, path: tuple[str, ...], depth: int) -> Node:
        children: dict[str, Node] = {}
        open_reason = ""
        for member in node.named_children:
            if member.type == "pair":
                key_node, value_node = member.child_by_field_name("key"), member.child_by_field_name("value")
                key = _key(key_node)
                if key is None or value_node is None:
                    open_reason = f"the key `{_text(key_node or member)}` is computed when the code runs"
                    continue
                children[key] = self.value(value_node, (*path, key), depth + 1)
            elif member.type == "shorthand_property_identifier":
                key = _text(member)
                children[key] = self.identifier(member, (*path, key), depth + 1)
            elif member.type == "spread_element" and member.named_children:
                spread = self.value(member.named_children[0], path, depth + 1)
                if isinstance(spread.value, dict):
                    children.update(spread.value)
                else:
                    open_reason = f"keys from `{_text(member)}` are only known when the code runs"
        location = self.location(node)
        if open_reason:
            for key in KEYS_THAT_MATTER.get(path, ()):
                children.setdefault(key, Node(Unknown(open_reason), location))
        return Node(children, location)

    def template(self, node: Any, location: Location) -> Node:
        parts, literal = [], True
        for child in node.named_children:
            if child.type == "template_substitution":
                literal = False
                inner = child.named_children[0] if child.named_children else child
                parts.append(symbol(_text(inner)))
            elif child.type == "escape_sequence":
                parts.append(_escape(_text(child)))
            else:
                parts.append(child.text.decode("utf-8", "replace"))
        text = "".join(parts)
        return Node(text, location) if literal else Node(Reference(_text(node), text), location)


def _unwrapped(node: Any) -> Any:
    while node is not None and node.type in _WRAPPERS and node.named_children:
        node = node.named_children[0]
    return node


def _first_argument(node: Any) -> Any:
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return None
    named = [child for child in arguments.named_children if child.type != "comment"]
    return named[0] if named else None


def _key(node: Any) -> str | None:
    if node is None:
        return None
    if node.type in ("property_identifier", "number"):
        return _text(node)
    if node.type == "string":
        return _string(node)
    return None  # a computed key


def _string(node: Any) -> str:
    parts = []
    for child in node.named_children:
        text = child.text.decode("utf-8", "replace")
        parts.append(_escape(text) if child.type == "escape_sequence" else text)
    return "".join(parts)


def _escape(sequence: str) -> str:
    try:
        return sequence.encode("ascii", "backslashreplace").decode("unicode_escape")
    except UnicodeDecodeError:
        return sequence


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text
