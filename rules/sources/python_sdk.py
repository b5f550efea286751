"""boto3 `create_labeling_job` calls in Python code, read with `ast` only: nothing is imported or run.

A small abstract interpreter walks the module in order. It knows which names are SageMaker
clients, follows request dicts through literals, `dict(...)`, copies, subscript assignment,
`.update` and `.setdefault`, drops branches of `if` statements on literal flags and merges the
branches of other `if` statements into `Choice` values. Whatever it cannot follow is `Unknown`.
"""

from __future__ import annotations

import ast
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

from gtlint.document import LoadError
from gtlint.request import (
    KEYS_THAT_MATTER,
    Choice,
    LabelingJobRequest,
    Location,
    Node,
    Reference,
    Unknown,
    names_a_labeling_job,
    symbol,
)

CALL = "create_labeling_job"
_SESSION_CLASSES = frozenset({"boto3.Session", "boto3.session.Session"})
_SAGEMAKER_SESSIONS = frozenset({"sagemaker.Session", "sagemaker.session.Session"})
_ENTRY_POINT = "__name__ == '__main__'"  # as ast.unparse writes it, whichever quotes the code uses
MAX_TEXT = 60

Locate = Callable[[ast.AST], Location]


@dataclass(frozen=True)
class Thing:
    """A value that is not data: a module or name of one, a client, a session, a function, `self`."""

    # "name" | "client" | "boto3_session" | "sagemaker_session" | "method" (of a client or session) | "function"
    # | "class" | "self"
    kind: str
    detail: str = ""  # the qualified name, the client's service ("" when unknown), the class (of self)


@dataclass
class PyDict:
    """A dict as the code builds it; `open_reason` says why it may hold keys we cannot see."""

    entries: dict[str, Value]
    location: Location
    open_reason: str = ""


@dataclass
class PyChoice:
    """A value set on one branch of an `if` the code decides at run time; None is "not set"."""

    condition: str
    if_true: Value | None
    if_false: Value | None
    location: Location


Value = Node | PyDict | PyChoice | Thing


@dataclass
class Scope:
    names: dict[str, Value] = field(default_factory=dict)
    parent: Scope | None = None
    owner: str = ""  # the function this scope belongs to, for messages

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return scope.names[name]
            scope = scope.parent
        return None


def requests_in_python(source: str, file: str, form: str = "python", locate: Locate | None = None,
                       trees: list[ast.Module] | None = None) -> list[LabelingJobRequest]:
    """The labeling-job requests of a Python module (or of a notebook's cells, given as `trees`)."""
    if trees is None:
        if CALL not in source:
            return []
        trees = [parse_python(source)]
    interpreter = _Interpreter(file, form, locate or _plain_locator(file))
    try:
        interpreter.run([statement for tree in trees for statement in tree.body])
    except RecursionError:
        raise LoadError("code nested too deeply to read") from None
    return interpreter.requests


def parse_python(source: str, what: str = "") -> ast.Module:
    try:
        with warnings.catch_warnings():  # the scanned code's own warnings (invalid escapes) are not ours to print
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except SyntaxError as error:
        raise LoadError(f"invalid Python{what}: {error.msg} (line {error.lineno})") from None
    except (RecursionError, MemoryError, ValueError) as error:
        raise LoadError(f"Python{what} cannot be parsed: {type(error).__name__}") from None


def _plain_locator(file: str) -> Locate:
    return lambda node: Location(file, getattr(node, "lineno", 0), getattr(node, "col_offset", -1) + 1)


def _text(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


class _Interpreter:
    def __init__(self, file: str, form: str, locate: Locate) -> None:
        self.file = file
        self.form = form
        self.locate = locate
        self.requests: list[LabelingJobRequest] = []
        self.recording = True
        self.functions: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, Scope, str]] = []
        self.attributes: dict[str, dict[str, Value]] = {}  # per class: what its methods set on self

    def run(self, body: list[ast.stmt]) -> None:
        module = Scope(owner="")
        self.block(body, module)
        # Function bodies run after the module, as they are called after it has been loaded.
        while self.functions:
            pending, self.functions = self.functions, []
            methods = [entry for entry in pending if entry[2]]
            self.recording = False  # first, learn what methods set on self
            for function, scope, owner in methods:
                self.function(function, scope, owner)
            self.functions = []
            self.recording = True
            for function, scope, owner in pending:
                self.function(function, scope, owner)

    def function(self, function: ast.FunctionDef | ast.AsyncFunctionDef, enclosing: Scope, owner: str) -> None:
        scope = Scope(parent=enclosing, owner=function.name)
        arguments = function.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        parameters += [argument for argument in (arguments.vararg, arguments.kwarg) if argument is not None]
        for index, parameter in enumerate(parameters):
            if owner and index == 0 and not _is_static(function):
                scope.names[parameter.arg] = Thing("self", owner)
            else:
                reason = f"`{parameter.arg}` is a parameter of {function.name}(), known only when it is called"
                scope.names[parameter.arg] = Node(Unknown(reason), self.locate(parameter))
        self.block(function.body, scope)

    # statements

    def block(self, body: list[ast.stmt], scope: Scope) -> None:
        for statement in body:
            self.statement(statement, scope)

    def statement(self, statement: ast.stmt, scope: Scope) -> None:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                bound = alias.asname or alias.name.split(".")[0]
                scope.names[bound] = Thing("name", alias.name if alias.asname else bound)
        elif isinstance(statement, ast.ImportFrom):
            for alias in statement.names:
                scope.names[alias.asname or alias.name] = Thing("name", f"{statement.module or ''}.{alias.name}")
        elif isinstance(statement, ast.Assign):
            value = self.expression(statement.value, scope)
            for target in statement.targets:
                self.assign(target, value, scope)
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            self.assign(statement.target, self.expression(statement.value, scope), scope)
        elif isinstance(statement, ast.AugAssign):
            self.augmented(statement, scope)
        elif isinstance(statement, (ast.Expr, ast.Return)) and statement.value is not None:
            self.expression(statement.value, scope)
        elif isinstance(statement, ast.If):
            self.branch(statement, scope)
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            self.assign(statement.target, self.unknown(statement.target, "a loop variable, known only at run time"),
                        scope)
            self.expression(statement.iter, scope)
            self.block(statement.body + statement.orelse, scope)
        elif isinstance(statement, ast.While):
            self.block(statement.body + statement.orelse, scope)
        elif isinstance(statement, (ast.With, ast.AsyncWith)):
            for item in statement.items:
                value = self.expression(item.context_expr, scope)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value if isinstance(value, Thing) else
                                self.unknown(item.optional_vars, "bound by a with statement"), scope)
            self.block(statement.body, scope)
        elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
            self.block(statement.body + statement.orelse, scope)  # type: ignore[attr-defined]
            for handler in statement.handlers:  # type: ignore[attr-defined]
                self.block(handler.body, scope)
            self.block(statement.finalbody, scope)  # type: ignore[attr-defined]
        elif isinstance(statement, ast.Match):
            for case in statement.cases:
                self.block(case.body, scope)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scope.names[statement.name] = Thing("function", statement.name)
            if _may_matter(statement):
                self.functions.append((statement, scope, ""))
        elif isinstance(statement, ast.ClassDef):
            self.klass(statement, scope)
        elif isinstance(statement, ast.Delete):
            for target in statement.targets:
                self.delete(target, scope)

    def klass(self, statement: ast.ClassDef, scope: Scope) -> None:
        scope.names[statement.name] = Thing("class", statement.name)
        attributes = self.attributes.setdefault(statement.name, {})
        body = Scope(parent=scope, owner=statement.name)
        for item in statement.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                attributes[item.name] = Thing("function", item.name)
                if _may_matter(item):
                    self.functions.append((item, scope, statement.name))
            else:
                self.statement(item, body)
        for name, value in body.names.items():
            attributes.setdefault(name, value)

    def branch(self, statement: ast.If, scope: Scope) -> None:
        decided = self.decide(statement.test, scope)
        if decided is not None:
            self.block(statement.body if decided else statement.orelse, scope)
            return
        self.expression(statement.test, scope)
        before = _copied(scope.names)
        self.block(statement.body, scope)
        taken = scope.names
        scope.names = before
        self.block(statement.orelse, scope)
        condition = f"`{_text(statement.test)}`"
        location = self.locate(statement)
        scope.names = {
            name: _merge(condition, taken.get(name), scope.names.get(name), location)
            for name in {**taken, **scope.names}
        }

    def decide(self, test: ast.expr, scope: Scope) -> bool | None:
        """A condition's value when the code fixes it (literals, names bound to literals), else None."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.decide(test.operand, scope)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            values = [self.decide(value, scope) for value in test.values]
            if isinstance(test.op, ast.And):
                return False if False in values else (None if None in values else True)
            return True if True in values else (None if None in values else False)
        if isinstance(test, ast.Compare) and ast.unparse(test) == _ENTRY_POINT:
            return True  # the script's entry point: what it does is what the script does
        if isinstance(test, (ast.Constant, ast.Name)):
            value = self.expression(test, scope)
            if isinstance(value, Node) and isinstance(value.value, (bool, int, float, str, type(None))):
                return bool(value.value)
        return None

    def assign(self, target: ast.expr, value: Value, scope: Scope) -> None:
        if isinstance(target, ast.Name):
            scope.names[target.id] = value
        elif isinstance(target, ast.Subscript):
            container = self.expression(target.value, scope)
            key = self.key(target.slice, scope)
            if isinstance(container, PyDict):
                if key is None:
                    container.open_reason = f"a key set by `{_text(target)}` is only known at run time"
                else:
                    container.entries[key] = value
        elif isinstance(target, ast.Attribute):
            owner = self.expression(target.value, scope)
            if isinstance(owner, Thing) and owner.kind == "self":
                self.attributes.setdefault(owner.detail, {})[target.attr] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self.assign(element, self.unknown(element, "unpacked from a value known only at run time"), scope)
        elif isinstance(target, ast.Starred):
            self.assign(target.value, value, scope)

    def augmented(self, statement: ast.AugAssign, scope: Scope) -> None:
        target = self.expression(statement.target, scope)
        value = self.expression(statement.value, scope)
        if isinstance(statement.op, ast.BitOr) and isinstance(target, PyDict):
            _update(target, value, f"`{_text(statement.value)}`")
        elif isinstance(statement.target, ast.Name):
            scope.names[statement.target.id] = self.unknown(statement, "changed by an augmented assignment")

    def delete(self, target: ast.expr, scope: Scope) -> None:
        if isinstance(target, ast.Subscript):
            container = self.expression(target.value, scope)
            key = self.key(target.slice, scope)
            if isinstance(container, PyDict) and key is not None:
                container.entries.pop(key, None)
        elif isinstance(target, ast.Name):
            scope.names.pop(target.id, None)

    # expressions

    def expression(self, node: ast.expr, scope: Scope) -> Value:
        location = self.locate(node)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (str, int, float, bool, type(None))):
                return Node(node.value, location)
            return self.unknown(node, "not a JSON value")
        if isinstance(node, ast.Name):
            found = scope.lookup(node.id)
            if found is not None:
                return found
            if node.id == "dict":
                return Thing("name", "dict")
            return self.unknown(node, "not bound to a value in this file")
        if isinstance(node, ast.Dict):
            return self.dictionary(node, scope)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [_freeze(self.expression(element, scope), (), location) for element in node.elts]
            return Node([item for item in items if item is not None], location)
        if isinstance(node, ast.JoinedStr):
            return self.formatted(node, scope)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.concatenation(node, scope)
        if isinstance(node, ast.Attribute):
            return self.attribute(node, scope)
        if isinstance(node, ast.Subscript):
            return self.subscript(node, scope)
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, ast.NamedExpr):
            value = self.expression(node.value, scope)
            self.assign(node.target, value, scope)
            return value
        if isinstance(node, ast.IfExp):
            return self.conditional(node, scope)
        if isinstance(node, ast.Await):
            return self.expression(node.value, scope)
        for child in ast.iter_child_nodes(node):  # a call inside any other expression still counts
            if isinstance(child, ast.expr):
                self.expression(child, scope)
        return self.unknown(node, "computed when the code runs")

    def unknown(self, node: ast.AST, why: str) -> Node:
        return Node(Unknown(f"`{_text(node)}` is {why}"), self.locate(node))

    def key(self, node: ast.expr, scope: Scope) -> str | None:
        value = self.expression(node, scope)
        return value.value if isinstance(value, Node) and isinstance(value.value, str) else None

    def dictionary(self, node: ast.Dict, scope: Scope) -> PyDict:
        result = PyDict({}, self.locate(node))
        for key_node, value_node in zip(node.keys, node.values, strict=True):
            value = self.expression(value_node, scope)
            if key_node is None:
                _update(result, value, f"`**{_text(value_node)}`")
                continue
            key = self.key(key_node, scope)
            if key is None:
                result.open_reason = f"the key `{_text(key_node)}` is only known at run time"
            else:
                result.entries[key] = value
        return result

    def formatted(self, node: ast.JoinedStr, scope: Scope) -> Node:
        parts: list[tuple[ast.expr, Value]] = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue) and part.conversion == -1 and part.format_spec is None:
                parts.append((part.value, self.expression(part.value, scope)))
            elif isinstance(part, ast.FormattedValue):
                parts.append((part.value, self.unknown(part, "formatted when the code runs")))
            else:
                parts.append((part, self.expression(part, scope)))
        return self.join(node, parts)

    def concatenation(self, node: ast.BinOp, scope: Scope) -> Value:
        left, right = self.expression(node.left, scope), self.expression(node.right, scope)
        if all(isinstance(side, Node) and isinstance(side.value, (str, Reference)) for side in (left, right)):
            return self.join(node, [(node.left, left), (node.right, right)])
        return self.unknown(node, "computed when the code runs")

    def join(self, node: ast.expr, parts: list[tuple[ast.expr, Value]]) -> Node:
        """A string made of parts: a literal when every part is one, else a Reference with symbols."""
        nodes = [part for _, part in parts if isinstance(part, Node)]
        unknown = next((part for part in nodes if isinstance(part.value, Unknown)), None)
        if unknown is not None and not any(isinstance(part.value, str) and part.value for part in nodes):
            return unknown  # nothing but values from run time: as unknown as they are, not "set"
        texts = []
        literal = True
        for source, part in parts:
            value = part.value if isinstance(part, Node) else None
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                texts.append(str(value))
                continue
            literal = False
            texts.append(value.as_text() if isinstance(value, Reference) else symbol(_text(source)))
        if literal:
            return Node("".join(texts), self.locate(node))
        return Node(Reference(_text(node), "".join(texts)), self.locate(node))

    def attribute(self, node: ast.Attribute, scope: Scope) -> Value:
        owner = self.expression(node.value, scope)
        if isinstance(owner, Thing):
            if owner.kind == "name":
                return Thing("name", f"{owner.detail}.{node.attr}")
            if owner.kind == "sagemaker_session" and node.attr == "sagemaker_client":
                return Thing("client", "sagemaker")
            if owner.kind == "self":
                found = self.attributes.get(owner.detail, {}).get(node.attr)
                if found is not None:
                    return found
            if owner.kind in ("client", "boto3_session"):
                return Thing("method", f"{owner.kind}:{owner.detail}:{node.attr}")
        return self.unknown(node, "only known when the code runs")

    def subscript(self, node: ast.Subscript, scope: Scope) -> Value:
        container = self.expression(node.value, scope)
        key = self.key(node.slice, scope)
        if isinstance(container, PyDict) and key is not None and key in container.entries:
            return container.entries[key]
        if isinstance(container, Thing) and container.detail == "os.environ":
            return self.unknown(node, "read from the environment when the code runs")
        return self.unknown(node, "only known when the code runs")

    def conditional(self, node: ast.IfExp, scope: Scope) -> Value:
        decided = self.decide(node.test, scope)
        if decided is not None:
            return self.expression(node.body if decided else node.orelse, scope)
        if_true, if_false = self.expression(node.body, scope), self.expression(node.orelse, scope)
        return _merge(f"`{_text(node.test)}`", if_true, if_false, self.locate(node))

    def call(self, node: ast.Call, scope: Scope) -> Value:
        function = node.func
        if isinstance(function, ast.Attribute):
            receiver = self.expression(function.value, scope)
            if function.attr == CALL:
                return self.labeling_call(node, receiver, scope)
            if isinstance(receiver, PyDict):
                return self.dict_method(node, receiver, function.attr, scope)
        callee = self.expression(function, scope)
        arguments = [self.expression(argument, scope) for argument in node.args]
        keywords = {keyword.arg: self.expression(keyword.value, scope) for keyword in node.keywords}
        if isinstance(callee, Thing):
            made = self.construct(node, callee, arguments, keywords)
            if made is not None:
                return made
        if isinstance(callee, Thing) and callee.detail in ("os.getenv", "os.environ.get"):
            return self.unknown(node, "read from the environment when the code runs")
        return self.unknown(node, "the result of a call, known only when the code runs")

    def construct(self, node: ast.Call, callee: Thing, arguments: list[Value], keywords: dict) -> Value | None:
        """What calling a known name makes: clients, sessions, dict copies, parsed JSON."""
        name = callee.detail
        if name == "boto3.client" or (callee.kind == "method" and name.startswith("boto3_session:")
                                      and name.endswith(":client")):
            return Thing("client", _service(arguments, keywords))
        if callee.kind == "class":
            return Thing("self", name)  # an instance of a class of this file: its methods are the file's
        if name in _SESSION_CLASSES:
            return Thing("boto3_session")
        if name in _SAGEMAKER_SESSIONS:
            return Thing("sagemaker_session")
        if name in ("dict", "copy.copy", "copy.deepcopy"):
            result = PyDict({}, self.locate(node))
            for argument in arguments:
                _update(result, argument, f"`{_text(node)}`")
            for key, value in keywords.items():
                if key is None:
                    _update(result, value, f"`{_text(node)}`")
                else:
                    result.entries[key] = value
            return result
        text = arguments[0] if arguments else None
        if name == "json.loads" and isinstance(text, Node) and isinstance(text.value, str):
            return _from_json(text.value, text.location)
        return None

    def dict_method(self, node: ast.Call, target: PyDict, method: str, scope: Scope) -> Value:
        arguments = [self.expression(argument, scope) for argument in node.args]
        keywords = {keyword.arg: self.expression(keyword.value, scope) for keyword in node.keywords}
        key = arguments[0].value if arguments and isinstance(arguments[0], Node) else None
        if method == "update":
            for argument in arguments:
                _update(target, argument, f"`{_text(node)}`")
            for name, value in keywords.items():
                if name is None:
                    _update(target, value, f"`{_text(node)}`")
                else:
                    target.entries[name] = value
            return Node(None, self.locate(node))
        if method == "copy":
            return _copied({"": target})[""]
        if method in ("get", "setdefault", "pop") and isinstance(key, str):
            default = arguments[1] if len(arguments) > 1 else Node(None, self.locate(node))
            if method == "pop":
                return target.entries.pop(key, default)
            if method == "setdefault":
                return target.entries.setdefault(key, default)
            return target.entries.get(key, default)
        return self.unknown(node, "the result of a call, known only when the code runs")

    def labeling_call(self, node: ast.Call, receiver: Value, scope: Scope) -> Value:
        body = PyDict({}, self.locate(node))
        for keyword in node.keywords:
            value = self.expression(keyword.value, scope)
            if keyword.arg is None:
                _update(body, value, f"`**{_text(keyword.value)}`")
            else:
                body.entries[keyword.arg] = value
        for argument in node.args:
            self.expression(argument, scope)
        if self.recording and _is_sagemaker_call(receiver, body):
            request = _freeze(body, (), body.location)
            assert request is not None
            self.requests.append(LabelingJobRequest(request, self.form, _request_name(body, node, scope)))
        return self.unknown(node, "the response of a call, known only when the code runs")


def _may_matter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether a function calls create_labeling_job or sets attributes on an object (a client on self).

    Other functions are not read, for speed: what they do to module-level dicts is not followed.
    """
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and (node.attr == CALL or isinstance(node.ctx, ast.Store)):
            return True
    return False


def _is_static(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(isinstance(decorator, ast.Name) and decorator.id == "staticmethod"
               for decorator in function.decorator_list)


def _is_sagemaker_call(receiver: Value, body: PyDict) -> bool:
    """A SageMaker client's call; or, on a receiver we cannot see, a call in the API's PascalCase shape."""
    if isinstance(receiver, Thing) and receiver.kind == "client":
        return receiver.detail in ("sagemaker", "")
    if isinstance(receiver, Node) and isinstance(receiver.value, Unknown):
        return names_a_labeling_job(body.entries)
    return False


def _service(arguments: list[Value], keywords: dict) -> str:
    service = keywords.get("service_name", arguments[0] if arguments else None)
    if isinstance(service, Node) and isinstance(service.value, str):
        return service.value
    return ""  # decided at run time: it may be SageMaker


def _request_name(body: PyDict, node: ast.Call, scope: Scope) -> str:
    name = body.entries.get("LabelingJobName")
    if isinstance(name, Node) and isinstance(name.value, str):
        return name.value
    where = f" in {scope.owner}()" if scope.owner else ""
    return f"{CALL}{where} (line {node.lineno})"


def _update(target: PyDict, source: Value, how: str) -> None:
    """`target.update(source)`, or `{**source}`: known keys are copied, anything else opens the dict."""
    if isinstance(source, PyDict):
        target.entries.update(_copied(source.entries))
        if source.open_reason:
            target.open_reason = source.open_reason
    elif not (isinstance(source, Node) and source.value is None):
        reason = source.value.reason if isinstance(source, Node) and isinstance(source.value, Unknown) else ""
        target.open_reason = f"keys from {how} are only known when the code runs" + (f" ({reason})" if reason else "")


def _copied(names: dict[str, Value]) -> dict[str, Value]:
    """A copy of the mutable values (dicts, choices); names bound to one dict stay bound to one copy."""
    memo: dict[int, Value] = {}

    def copy_of(value: Value | None) -> Value | None:
        if not isinstance(value, (PyDict, PyChoice)):
            return value  # Nodes and Things never change
        if id(value) not in memo:
            if isinstance(value, PyDict):
                memo[id(value)] = PyDict({}, value.location, value.open_reason)
                memo[id(value)].entries.update({key: copy_of(item) for key, item in value.entries.items()})
            else:
                memo[id(value)] = PyChoice(value.condition, copy_of(value.if_true), copy_of(value.if_false),
                                           value.location)
        return memo[id(value)]

    return {name: copy_of(value) for name, value in names.items()}  # type: ignore[misc]


def _merge(condition: str, if_true: Value | None, if_false: Value | None, location: Location) -> Value:
    """The value after an `if` whose branches set `if_true` and `if_false` (None: not bound there)."""
    if if_true is None or if_false is None:  # bound on one branch only: the other would raise NameError
        return if_true if if_false is None else if_false  # type: ignore[return-value]
    if if_true == if_false:
        return if_true
    if isinstance(if_true, PyDict) and isinstance(if_false, PyDict):
        merged = PyDict({}, if_true.location, if_true.open_reason or if_false.open_reason)
        for key in {**if_true.entries, **if_false.entries}:
            true_value, false_value = if_true.entries.get(key), if_false.entries.get(key)
            if true_value is not None and false_value is not None:
                merged.entries[key] = _merge(condition, true_value, false_value, location)
            else:
                merged.entries[key] = PyChoice(condition, true_value, false_value, location)
        return merged
    if isinstance(if_true, Thing) or isinstance(if_false, Thing):
        return if_true if isinstance(if_true, Thing) else if_false
    return PyChoice(condition, if_true, if_false, location)


def _freeze(value: Value | None, path: tuple[str, ...], location: Location) -> Node | None:
    """The request `Node` tree of a value; an open dict gets the keys that matter as unknown."""
    if value is None:
        return None
    if isinstance(value, Node):
        return value
    if isinstance(value, PyChoice):
        return Node(Choice(value.condition, _freeze(value.if_true, path, location),
                           _freeze(value.if_false, path, location)), value.location)
    if isinstance(value, Thing):
        return Node(Unknown(f"a {value.kind.replace('_', ' ')}, not a value"), location)
    children = {key: node for key, item in value.entries.items()
                if (node := _freeze(item, (*path, key), value.location)) is not None}
    if value.open_reason:
        for key in KEYS_THAT_MATTER.get(path, ()):
            children.setdefault(key, Node(Unknown(value.open_reason), value.location))
    return Node(children, value.location)


def _from_json(text: str, location: Location) -> Value:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return Node(Unknown("a string that is not valid JSON"), location)
    return _from_data(document, location)


def _from_data(data: object, location: Location) -> Value:
    if isinstance(data, dict):
        return PyDict({str(key): _from_data(item, location) for key, item in data.items()}, location)
    if isinstance(data, list):
        return Node([_freeze(_from_data(item, location), (), location) for item in data], location)
    return Node(data, location)  # type: ignore[arg-type]

