"""`aws sagemaker create-labeling-job` commands in shell scripts, parsed with tree-sitter's bash grammar.

Option values may be JSON, the CLI's shorthand syntax, `file://` files below the scanned root, or
heredocs; `--cli-input-json`/`--cli-input-yaml` give the whole request. Shell variables and
command substitutions are only known when the script runs: values holding them are unknown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

from gtlint.document import LoadError, load_json, load_yaml
from gtlint.request import SYMBOL_START, LabelingJobRequest, Location, Node, Unknown, readable, symbol
from gtlint.sources.api_names import api_name
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator, TooLarge

COMMAND = "create-labeling-job"
_GLOBAL_OPTIONS_WITH_VALUE = frozenset({
    "--region", "--profile", "--output", "--endpoint-url", "--query", "--color", "--ca-bundle",
    "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format",
})
_SCALAR_OPTIONS = frozenset({"--labeling-job-name", "--label-attribute-name", "--role-arn",
                             "--label-category-config-s3-uri"})
_LIST_OPTIONS = frozenset({"--tags"})
_PREFIXES = frozenset({"sudo", "command", "exec", "time", "nohup"})
_STDIN = frozenset({"file:///dev/stdin", "file://-", "-"})

ReadFile = Callable[[str], str]  # a path relative to the script's folder → text; LoadError when it may not be read


@cache
def _parser() -> Any:
    import tree_sitter_bash  # lazily: only shell scripts need it
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_bash.language()))


def requests_in_script(text: str, file: str, read_file: ReadFile | None = None, form: str = "aws_cli",
                       line_offset: int = 0, flat: bool = False) -> list[LabelingJobRequest]:
    """The labeling-job requests of a shell script (or of a Terraform `local-exec` command)."""
    if COMMAND not in text:
        return []
    tree = _parser().parse(text.encode("utf-8", "replace"))
    script = _Script(file, read_file, form, line_offset, flat)
    return [request for command in _commands(tree.root_node) if (request := script.request(command)) is not None]


def _commands(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:  # iteratively: scripts can nest deeply
        current = stack.pop()
        if current.type == "command":
            yield current
        stack.extend(reversed(current.children))


class _Script:
    def __init__(self, file: str, read_file: ReadFile | None, form: str, line_offset: int, flat: bool) -> None:
        self.file = file
        self.read_file = read_file
        self.form = form
        self.line_offset = line_offset
        self.flat = flat

    def location(self, node: Any) -> Location:
        if self.flat:
            return Location(self.file, self.line_offset + 1, 1)
        row, column = node.start_point
        return Location(self.file, row + 1 + self.line_offset, column + 1)

    def request(self, command: Any) -> LabelingJobRequest | None:
        words = [child for child in command.children if child.type not in ("variable_assignment", "file_redirect",
                                                                              "herestring_redirect", "comment")]
        texts = [_word(word)[0] for word in words]
        start = _labeling_command_start(texts)
        if start is None or "--generate-cli-skeleton" in texts[start:]:
            return None
        options = _options(words[start:], texts[start:])
        children: dict[str, Node] = {}
        name = ""
        for option, value in options:
            if option in ("--cli-input-json", "--cli-input-yaml"):
                base = self.input_document(option, value, command)
                if isinstance(base.value, dict):
                    children.update(base.value)
                else:
                    children = {key: base for key in ("LabelingJobAlgorithmsConfig", "OutputConfig", "RoleArn")}
            elif value is not None:
                member = api_name(option[2:])
                children[member] = self.option_value(option, value, command)
                if option == "--labeling-job-name" and isinstance(children[member].value, str):
                    name = children[member].value
        label = name or _literal_name(children) or f"aws sagemaker {COMMAND} (line {self.location(command).line})"
        return LabelingJobRequest(Node(children, self.location(command)), self.form, label)

    def option_value(self, option: str, value: Any, command: Any) -> Node:
        text, known = _value_text(option, value)
        location = self.location(value)
        if option in _SCALAR_OPTIONS:
            return Node(text, location) if known else _shell_unknown(option, text, location)
        if option in _LIST_OPTIONS:
            return Node(Unknown(f"{option} is not read"), location)
        return self.structure(option, value, text, location, command)

    def structure(self, option: str, value: Any, text: str, location: Location, command: Any,
                  yaml_allowed: bool = False) -> Node:
        stripped = text.strip()
        if stripped in _STDIN:
            body = _heredoc(command)
            if body is None:
                return Node(Unknown(f"{option} is read from standard input"), location)
            text, _ = _word(body)
            return self.parsed(option, text, self.location(body), yaml_allowed, line_offset=body.start_point[0])
        if stripped.startswith(("file://", "fileb://")):
            return self.referenced(option, stripped.split("://", 1)[1], location, yaml_allowed)
        if stripped.startswith(("{", "[")) or yaml_allowed:
            return self.parsed(option, text, location, yaml_allowed, line_offset=value.start_point[0])
        if SYMBOL_START in stripped and "=" not in stripped:
            return _shell_unknown(option, stripped, location)
        try:
            return self.build(parse_shorthand(stripped), location, MarkLocator(flat=True))
        except ValueError as error:
            return Node(Unknown(f"{option} is not valid shorthand syntax: {error}"), location)

    def input_document(self, option: str, value: Any, command: Any) -> Node:
        if value is None:  # the script ends, or the shell grammar could not make out the value
            return Node(Unknown(f"{option} has no value the script shows"), self.location(command))
        text, _ = _value_text(option, value)
        return self.structure(option, value, text, self.location(value), command,
                              yaml_allowed=option == "--cli-input-yaml")

    def referenced(self, option: str, relative: str, location: Location, yaml_allowed: bool) -> Node:
        if SYMBOL_START in relative:
            return _shell_unknown(option, relative, location)
        if self.read_file is None:
            return Node(Unknown(f"{option} names file://{relative}, which is not read here"), location)
        try:
            text = self.read_file(relative)
        except LoadError as error:
            return Node(Unknown(f"{option} names file://{relative}, which cannot be read: {error}"), location)
        path = os.path.normpath(os.path.join(os.path.dirname(self.file), relative)).replace(os.sep, "/")
        try:
            document = load_yaml(text) if yaml_allowed or relative.endswith((".yaml", ".yml")) else load_json(text)
        except LoadError as error:
            return Node(Unknown(f"file://{relative} of {option} cannot be read: {error}"), location)
        return self.build(document, Location(path, 1, 1), MarkLocator())

    def parsed(self, option: str, text: str, location: Location, yaml_allowed: bool, line_offset: int) -> Node:
        try:
            document = load_yaml(text) if yaml_allowed else load_json(text)
        except LoadError as error:
            if SYMBOL_START in text:
                return _shell_unknown(option, text, location)
            return Node(Unknown(f"the value of {option} cannot be read: {error}"), location)
        locator = MarkLocator(flat=True) if self.flat else MarkLocator(line_offset=line_offset + self.line_offset)
        return self.build(document, location, locator)

    def build(self, document: Any, location: Location, locator: MarkLocator) -> Node:
        try:
            node = Builder(locator, (_shell_values,)).build(document, location)
        except TooLarge as error:
            return Node(Unknown(f"the value is too large to check ({error})"), location)
        return node if node is not None else Node(None, location)


def _labeling_command_start(texts: list[str]) -> int | None:
    """The index after `aws [global options] sagemaker create-labeling-job`, if the command is that."""
    index = 0
    while index < len(texts) and texts[index] in _PREFIXES:
        index += 1
    if index >= len(texts) or os.path.basename(texts[index]) != "aws":
        return None
    index += 1
    while index < len(texts) and texts[index].startswith("--"):
        index += 2 if texts[index] in _GLOBAL_OPTIONS_WITH_VALUE else 1
    if texts[index:index + 2] != ["sagemaker", COMMAND]:
        return None
    return index + 2


def _options(words: list[Any], texts: list[str]) -> list[tuple[str, Any]]:
    """(option, value word) pairs; `--opt=value` too. A flag without a value has None."""
    options: list[tuple[str, Any]] = []
    index = 0
    while index < len(words):
        text = texts[index]
        if text.startswith("--") and "=" in text:
            options.append((text.split("=", 1)[0], words[index]))  # the value is read from the word after "="
            index += 1
            continue
        if text.startswith("--"):
            value = words[index + 1] if index + 1 < len(words) and not texts[index + 1].startswith("--") else None
            options.append((text, value))
            index += 2 if value is not None else 1
            while text in _LIST_OPTIONS and index < len(words) and not texts[index].startswith("--"):
                index += 1
            continue
        index += 1
    return options


def _value_text(option: str, value: Any) -> tuple[str, bool]:
    text, known = _word(value)
    # `--option=value` is one word; a symbol is a value filled in before the shell runs (Terraform's `${...}`)
    return text.removeprefix(f"{option}="), known and SYMBOL_START not in text


def _word(node: Any) -> tuple[str, bool]:
    """A shell word's value, with expansions as symbols; and whether it is all literal."""
    if node.type == "command_name" and node.children:
        node = node.children[0]
    kind = node.type
    text = _text(node.text)
    if kind == "raw_string":
        return text[1:-1], True
    if kind == "word":
        return _unescape(text), True
    if kind in ("number", "heredoc_content", "string_content"):
        return (_unescape_quoted(text) if kind == "string_content" else text), True
    if kind == "simple_expansion":
        return symbol(text[1:]), False
    if kind == "expansion":
        return symbol(text[2:-1]), False
    if kind == "command_substitution":
        body = _heredoc(node)
        return (_word(body)[0], True) if body is not None else (symbol(text), False)
    if kind in ("string", "concatenation", "heredoc_body"):
        return _joined(node, text)
    if kind == "ansi_c_string":
        return text[2:-1], True
    return symbol(text), False


def _joined(node: Any, text: str) -> tuple[str, bool]:
    """A word of several parts; the gaps between named parts are literal text (a heredoc's lines)."""
    parts, known, position = [], True, node.start_byte
    body = node.text
    for child in node.children:
        if child.type == '"':
            position = child.end_byte
            continue
        if node.type == "heredoc_body" and child.start_byte > position:
            parts.append(_text(body[position - node.start_byte: child.start_byte - node.start_byte]))
        value, literal = _word(child)
        parts.append(value)
        known = known and literal
        position = child.end_byte
    if node.type == "heredoc_body":
        parts.append(_text(body[position - node.start_byte:]))
    return "".join(parts), known


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _heredoc(node: Any) -> Any:
    """The heredoc body a command reads (`cmd <<EOF`, `"$(cat <<EOF ...)"`), if there is one."""
    for candidate in (node, node.parent):
        if candidate is None:
            continue
        stack = [candidate]
        while stack:
            current = stack.pop()
            if current.type == "heredoc_body":
                return current
            stack.extend(current.children)
    return None


def _unescape(text: str) -> str:
    out, escaped = [], False
    for character in text:
        if escaped:
            out.append(character)
            escaped = False
        elif character == "\\":
            escaped = True
        else:
            out.append(character)
    return "".join(out)


def _unescape_quoted(text: str) -> str:
    """Inside double quotes a backslash escapes only $ ` " \\ and a newline."""
    out, index = [], 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in '$`"\\\n':
            if text[index + 1] != "\n":
                out.append(text[index + 1])
            index += 2
            continue
        out.append(text[index])
        index += 1
    return "".join(out)


def _shell_unknown(option: str, text: str, location: Location) -> Node:
    return Node(Unknown(f"{option} holds `{readable(text)}`, set when the script runs"), location)


def _shell_values(builder: Builder, value: Any, location: Location) -> Any:
    if isinstance(value, str) and SYMBOL_START in value:
        return Node(Unknown(f"`{readable(value)}` holds a shell expansion, set when the script runs"), location)
    return NOT_SPECIAL


def _literal_name(children: dict[str, Node]) -> str:
    node = children.get("LabelingJobName")
    return node.value if node is not None and isinstance(node.value, str) else ""


def parse_shorthand(text: str) -> dict[str, Any]:
    """The AWS CLI shorthand syntax: `A=x,B={C=y,D=[p,q]}`."""
    value, rest = _shorthand_pairs(text, 0, closing="")
    if rest != len(text):
        raise ValueError(f"unexpected {text[rest]!r} at {rest + 1}")
    return value


def _shorthand_pairs(text: str, index: int, closing: str) -> tuple[dict[str, Any], int]:
    result: dict[str, Any] = {}
    while index < len(text) and (not closing or text[index] != closing):
        equals = text.find("=", index)
        if equals < 0:
            raise ValueError(f"no '=' after {text[index:index + 20]!r}")
        key = text[index:equals].strip()
        value, index = _shorthand_value(text, equals + 1)
        result[key] = value
        if index < len(text) and text[index] == ",":
            index += 1
    return result, index + (1 if closing and index < len(text) else 0)


def _shorthand_value(text: str, index: int) -> tuple[Any, int]:
    if index < len(text) and text[index] == "{":
        return _shorthand_pairs(text, index + 1, closing="}")
    if index < len(text) and text[index] == "[":
        items, index = [], index + 1
        while index < len(text) and text[index] != "]":
            item, index = _shorthand_value(text, index)
            items.append(item)
            if index < len(text) and text[index] == ",":
                index += 1
        return items, index + 1
    if index < len(text) and text[index] in "\"'":
        end = text.find(text[index], index + 1)
        if end < 0:
            raise ValueError("unclosed quote")
        return text[index + 1:end], end + 1
    end = index
    while end < len(text) and text[end] not in ",}]":
        end += 1
    return text[index:end], end
