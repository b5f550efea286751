"""Strings built from literal parts and values only known at deploy time."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gtlint.request import Location, Node, Reference, Unknown, symbol
from gtlint.sources.tree import NOT_SPECIAL, Builder

# Tokens stand for the non-literal parts while a rendered document string is parsed.
_TOKEN = re.compile("\ue000(\\d+)\ue001")


@dataclass(frozen=True)
class Placeholder:
    node: Node


Part = str | Placeholder


def render(parts: list[Part]) -> tuple[str, list[Node]]:
    """Concatenate parts, standing a token in for each placeholder."""
    chunks: list[str] = []
    placeholders: list[Node] = []
    for part in parts:
        if isinstance(part, Placeholder):
            chunks.append(f"\ue000{len(placeholders)}\ue001")
            placeholders.append(part.node)
        else:
            chunks.append(part)
    return "".join(chunks), placeholders


def parts_to_node(parts: list[Part], location: Location, expression: str) -> Node:
    """A string built from parts: literal if all parts are; else the one placeholder, a reference or unknown."""
    placeholders = [part.node for part in parts if isinstance(part, Placeholder)]
    if not placeholders:
        return Node("".join(part for part in parts if isinstance(part, str)), location)
    if len(parts) == 1:
        return Node(placeholders[0].value, location)
    literal_text = "".join(part for part in parts if isinstance(part, str))
    unknown = [node.value for node in placeholders if isinstance(node.value, Unknown)]
    if unknown and not literal_text.strip():
        return Node(unknown[0], location)
    text = "".join(part if isinstance(part, str) else part_text(part.node) for part in parts)
    return Node(Reference(f"{expression} with values only known at deploy time", text), location)


def part_text(node: Node) -> str:
    """A deploy-time part of a string, as the symbol it stands for."""
    if isinstance(node.value, Reference):
        return node.value.as_text()
    if isinstance(node.value, str):
        return node.value
    return symbol(f"an unknown value at line {node.location.line}, column {node.location.column}")


def token_hook(placeholders: list[Node]) -> Callable[[Builder, Any, Location], Any]:
    def hook(builder: Builder, value: Any, location: Location) -> Any:
        if not isinstance(value, str) or "\ue000" not in value:
            return NOT_SPECIAL
        parts: list[Part] = []
        position = 0
        for match in _TOKEN.finditer(value):
            parts.append(value[position : match.start()])
            parts.append(Placeholder(placeholders[int(match.group(1))]))
            position = match.end()
        parts.append(value[position:])
        return parts_to_node([part for part in parts if part != ""], location, "a string")

    return hook
