"""Turning loaded documents into request `Node` trees, with a location for every value."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from gtlint.document import key_mark, value_mark
from gtlint.request import Location, Node

MAX_NODES = 200_000  # alias-heavy YAML can make a small file a huge tree


class TooLarge(Exception):
    pass


class Locator(Protocol):
    def child(self, container: Any, key: str | int, parent: Location) -> Location: ...


@dataclass(frozen=True)
class MarkLocator:
    """Positions from the loader's marks.

    `line_offset` shifts lines of a document embedded in a string of another file; `embedded`
    keeps `doc_path` at the string's property, the deepest path a host can point at; `flat` puts
    everything at the string, when its lines are not the file's (a one-line JSON string, a Fn::Join).
    """

    line_offset: int = 0
    embedded: bool = False
    flat: bool = False  # the document is a string whose lines are not the file's: everything is at the string

    def child(self, container: Any, key: str | int, parent: Location) -> Location:
        if self.flat:
            return parent
        mark = key_mark(container, key) if isinstance(container, dict) else value_mark(container, key)
        doc_path = parent.doc_path if self.embedded else (*parent.doc_path, key)
        if mark is None:
            return Location(parent.file, parent.line, parent.column, doc_path)
        return Location(parent.file, mark[0] + self.line_offset, mark[1], doc_path)


# A hook lowers a special value (an intrinsic function, a `Key.$`) or answers NOT_SPECIAL.
class _NotSpecial:
    pass


NOT_SPECIAL: Any = _NotSpecial()
Hook = Callable[["Builder", Any, Location], Any]  # a Node, None (the value is removed) or NOT_SPECIAL


@dataclass
class Builder:
    locator: Locator
    hooks: tuple[Hook, ...] = ()
    budget: int = MAX_NODES

    def with_hooks(self, *hooks: Hook) -> Builder:
        return Builder(self.locator, (*self.hooks, *hooks), self.budget)

    def build(self, value: Any, location: Location) -> Node | None:
        self.budget -= 1
        if self.budget < 0:
            raise TooLarge(f"more than {MAX_NODES} values")
        for hook in self.hooks:
            special = hook(self, value, location)
            if special is not NOT_SPECIAL:
                return special
        if isinstance(value, dict):
            children = {}
            for key, item in value.items():
                child = self.build(item, self.locator.child(value, key, location))
                if child is not None:
                    children[str(key)] = child
            return Node(children, location)
        if isinstance(value, list):
            items = [self.build(item, self.locator.child(value, index, location)) for index, item in enumerate(value)]
            return Node([item for item in items if item is not None], location)
        return Node(value, location)

    def child_location(self, container: Any, key: str | int, parent: Location) -> Location:
        return self.locator.child(container, key, parent)

    def location_along(self, container: Any, path: tuple, start: Location) -> tuple[Any, Location]:
        """The value at `path` below `container` and its location."""
        location = start
        for key in path:
            location = self.locator.child(container, key, location)
            container = container[key]
        return container, location
