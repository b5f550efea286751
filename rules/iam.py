"""IAM policy evaluation, offline: may a principal do an action on a resource?

Values are `Term`s: a text in which deploy-time parts stand as symbols (see `request.symbol`),
or nothing at all when the value cannot be read. Matching a policy pattern against a term is
three-valued: it matches, it does not, or it cannot be told statically. The evaluator follows
IAM's rules: an explicit Deny wins, an Allow is needed, a Condition makes a statement
conditional, a permissions boundary intersects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import IntEnum
from functools import lru_cache

from gtlint.request import PARTITION, SYMBOL_END, SYMBOL_START, Location, readable


class Match(IntEnum):
    """Whether a statement applies, ordered from "certainly not" to "certainly"."""

    NO = 0
    MAYBE = 1  # cannot be told statically
    CONDITIONAL = 2  # applies only when its Condition holds at run time
    YES = 3


class Outcome(IntEnum):
    """The answer to "may the principal do this", ordered by how much access it leaves."""

    DENIED = 0  # an explicit Deny applies
    NOT_GRANTED = 1  # no Allow applies
    UNKNOWN = 2
    CONDITIONAL = 3
    ALLOWED = 4


@dataclass(frozen=True)
class Term:
    """A value in a policy or a request. `text` None: nothing is known of it."""

    text: str | None
    target: str = ""  # the resource of the scanned code this is the ARN of, when it is exactly that

    def __str__(self) -> str:
        return "an unknown value" if self.text is None else readable(self.text)


ANY = Term("*")
UNKNOWN_TERM = Term(None)
NOWHERE = Location("")


@dataclass(frozen=True)
class Statement:
    effect: str  # "Allow", "Deny", or "" when it cannot be read
    actions: tuple[Term, ...]
    resources: tuple[Term, ...] | None  # None: no Resource element (trust policies)
    principals: tuple[tuple[str, Term], ...] | None = None  # (type, value); None: no Principal element
    not_action: bool = False
    not_resource: bool = False
    not_principal: bool = False
    condition: Mapping | None = None  # operator -> {key: [Term]}
    policy: str = ""  # the policy it belongs to, for messages
    location: Location = NOWHERE

    def describe(self) -> str:
        where = f" ({self.location.file}:{self.location.line})" if self.location.line else ""
        return f"the {self.effect or 'unreadable'} statement of {self.policy}{where}"


@dataclass(frozen=True)
class Policy:
    name: str  # "inline policy Kms of role GtRole", "AWS managed policy AmazonSageMakerFullAccess"
    statements: tuple[Statement, ...] = ()
    unknown: str = ""  # why the document cannot be read: then it may grant anything
    arn: str = ""  # a customer managed policy attached by ARN, which a snapshot may know


@dataclass(frozen=True)
class Access:
    action: str
    resource: Term = ANY
    principal: tuple[str, Term] | None = None  # for resource policies (trust, key policies)
    context: Mapping[str, str] = field(default_factory=dict)  # condition keys known for this request
    assumed: frozenset[str] = frozenset()  # condition keys taken as satisfied (lowercase)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    statements: tuple[Statement, ...] = ()  # those that decided it
    reason: str = ""  # for UNKNOWN: what could not be read
    by_boundary: bool = False  # the permissions boundary, not the policies, limited it

    @property
    def conditions(self) -> str:
        return "; ".join(render_condition(statement.condition) for statement in self.statements if statement.condition)


# -- matching ----------------------------------------------------------------------------------

_SYMBOL = re.compile(f"{SYMBOL_START}[^{SYMBOL_END}]*{SYMBOL_END}")
_SYMBOL_CHARS = "\ue100-\uf8ff"  # one private character per symbol while matching


@lru_cache(maxsize=4096)
def wildcard_regex(pattern: str, ignore_case: bool = False) -> re.Pattern[str]:
    """IAM wildcards: `*` any run of characters, `?` any one character; nothing else is special."""
    parts = [".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def wildcard_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return wildcard_regex(pattern, ignore_case).fullmatch(value) is not None


def match_term(pattern: Term, value: Term, ignore_case: bool = False) -> Match:
    """Does the policy pattern cover the value, for every value its deploy-time parts may take?"""
    if pattern.text is None:
        return Match.MAYBE
    if set(pattern.text) <= {"*"} and pattern.text:
        return Match.YES
    if value.text is None:
        return Match.MAYBE
    if pattern.target and not pattern.text.startswith("arn:") and value.text.startswith("arn:"):
        return Match.NO  # a resource's ID or name (`Ref` of a key, `KeyId`), which no ARN is equal to
    if pattern.target and value.target and not _has_wildcard(pattern.text):
        return Match.YES if pattern.target == value.target else Match.NO
    pattern_text, value_text = _same_partition(pattern.text, value.text)
    regex, symbols = _symbolic_regex(pattern_text, ignore_case)
    if regex.fullmatch(_encode(value_text, dict(symbols))):
        return Match.YES
    symbolic = _SYMBOL.search(pattern_text) or _SYMBOL.search(value_text)
    if symbolic and _may_meet(pattern_text, value_text, ignore_case):
        return Match.MAYBE
    return Match.NO


# Tokens for `_may_meet`: a character, `?`, `*`, and a symbol (a deploy-time part of an ARN, which holds no `:`).
_ONE, _STAR, _PART = "\ue0f0", "\ue0f1", "\ue0f2"


def _tokens(text: str, wildcards: bool) -> list[str]:
    tokens: list[str] = []
    position = 0
    for match in _SYMBOL.finditer(text):
        tokens.extend(_plain_tokens(text[position : match.start()], wildcards))
        tokens.append(_PART)
        position = match.end()
    tokens.extend(_plain_tokens(text[position:], wildcards))
    return tokens


def _plain_tokens(text: str, wildcards: bool) -> list[str]:
    if not wildcards:
        return list(text)
    return [_STAR if char == "*" else _ONE if char == "?" else char for char in text]


def _may_meet(pattern: str, value: str, ignore_case: bool) -> bool:
    """Is there a string both the pattern and the value (its symbols any run without `:`) can be?"""
    left, right = _tokens(pattern, True), _tokens(value, False)
    if ignore_case:
        left, right = [token.lower() for token in left], [token.lower() for token in right]
    # meet[i][j]: left[i:] and right[j:] can spell the same string.
    meet = [[False] * (len(right) + 1) for _ in range(len(left) + 1)]
    for i in range(len(left), -1, -1):
        for j in range(len(right), -1, -1):
            meet[i][j] = _meet_step(left, right, i, j, meet)
    return meet[0][0]


def _meet_step(left: list[str], right: list[str], i: int, j: int, meet: list[list[bool]]) -> bool:
    if i == len(left) and j == len(right):
        return True
    a = left[i] if i < len(left) else None
    b = right[j] if j < len(right) else None
    if a in (_STAR, _PART) and (meet[i + 1][j] or (b is not None and _absorbs(a, b) and meet[i][j + 1])):
        return True
    if b in (_STAR, _PART) and (meet[i][j + 1] or (a is not None and _absorbs(b, a) and meet[i + 1][j])):
        return True
    if a is None or b is None or a in (_STAR, _PART) or b in (_STAR, _PART):
        return False
    return (a == b or _ONE in (a, b)) and meet[i + 1][j + 1]


def _absorbs(wildcard: str, token: str) -> bool:
    """Can one more character, spelled by `token`, belong to the run `wildcard` stands for?"""
    return wildcard == _STAR or token != ":"


def _has_wildcard(text: str) -> bool:
    return "*" in _SYMBOL.sub("", text) or "?" in _SYMBOL.sub("", text)


def _same_partition(pattern: str, value: str) -> tuple[str, str]:
    """ARNs in a policy are written for the partition it is deployed in: a literal one stands for it."""
    pattern_partition, value_partition = arn_partition(pattern), arn_partition(value)
    if pattern_partition is None or value_partition is None:
        return pattern, value
    if value_partition == PARTITION and re.fullmatch(r"aws(?:-[a-z]+)*", pattern_partition):
        value = f"arn:{pattern_partition}{value[len('arn:') + len(PARTITION):]}"
    elif pattern_partition == PARTITION and value_partition != PARTITION:
        pattern = f"arn:{value_partition}{pattern[len('arn:') + len(PARTITION):]}"
    return pattern, value


def arn_fields(text: str) -> list[str] | None:
    """An ARN's fields (arn, partition, service, region, account, resource) as far as the text has them.

    Symbols count as one piece: their names may hold colons (`${AWS::AccountId}`).
    """
    if not text.startswith("arn:"):
        return None
    fields: list[str] = []
    current: list[str] = []
    in_symbol = False
    for char in text:
        in_symbol = (in_symbol or char == SYMBOL_START) and char != SYMBOL_END
        if char == ":" and not in_symbol and len(fields) < 5:
            fields.append("".join(current))
            current = []
        else:
            current.append(char)
    return [*fields, "".join(current)]


def arn_partition(text: str) -> str | None:
    """The partition of an ARN, a literal or a symbol."""
    fields = arn_fields(text)
    return fields[1] if fields and len(fields) > 1 else None


def _encode(text: str, symbols: dict[str, str]) -> str:
    return _SYMBOL.sub(lambda match: _symbol_char(match.group(0), symbols), text)


def _symbol_char(name: str, symbols: dict[str, str]) -> str:
    return symbols.setdefault(name, chr(0xE100 + len(symbols)))


@lru_cache(maxsize=4096)
def _symbolic_regex(pattern: str, ignore_case: bool) -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
    """The pattern as a regex, each of its symbols one private character (the mapping is returned)."""
    symbols: dict[str, str] = {}
    parts: list[str] = []
    position = 0
    for match in _SYMBOL.finditer(pattern):
        parts.extend(_wildcard_parts(pattern[position : match.start()]))
        parts.append(re.escape(_symbol_char(match.group(0), symbols)))
        position = match.end()
    parts.extend(_wildcard_parts(pattern[position:]))
    regex = re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))
    return regex, tuple(symbols.items())


def _wildcard_parts(text: str) -> list[str]:
    # `?` is one character: it cannot stand for a symbol, whose value may be longer.
    return [".*" if char == "*" else f"[^{_SYMBOL_CHARS}]" if char == "?" else re.escape(char) for char in text]


def _best(matches: Iterable[Match]) -> Match:
    return max(matches, default=Match.NO)


def _negated(match: Match) -> Match:
    return {Match.YES: Match.NO, Match.NO: Match.YES}.get(match, Match.MAYBE)


# -- statements ----------------------------------------------------------------------------------


def statement_applies(statement: Statement, access: Access) -> Match:
    action = _best(match_term(pattern, Term(access.action), ignore_case=True) for pattern in statement.actions)
    if statement.not_action:
        action = _negated(action)
    result = action
    for part in (_resource_match, _principal_match):
        if result is Match.NO:
            return result
        result = min(result, part(statement, access))
    return result if result is Match.NO else min(result, condition_match(statement.condition, access))


def _resource_match(statement: Statement, access: Access) -> Match:
    if statement.resources is None:
        return Match.YES
    match = _best(match_term(pattern, access.resource) for pattern in statement.resources)
    return _negated(match) if statement.not_resource else match


def _principal_match(statement: Statement, access: Access) -> Match:
    if access.principal is None or statement.principals is None:
        return Match.YES
    kind, who = access.principal
    match = _best(
        match_term(pattern, who, ignore_case=kind == "Service")
        for principal_kind, pattern in statement.principals
        if principal_kind == kind or principal_kind == "*"
    )
    return _negated(match) if statement.not_principal else match


# Condition operators evaluated on known keys: name -> (wildcards allowed, case-insensitive).
_OPERATORS = {
    "stringequals": (False, False), "stringlike": (True, False), "stringequalsignorecase": (False, True),
    "bool": (False, True), "arnequals": (True, False), "arnlike": (True, False),
}
_NEGATED = {"stringnotequals": "stringequals", "stringnotlike": "stringlike",
            "stringnotequalsignorecase": "stringequalsignorecase", "arnnotequals": "arnequals", "arnnotlike": "arnlike"}


def condition_match(condition: Mapping | None, access: Access) -> Match:
    """A condition on keys this access knows is decided; any other makes the statement conditional."""
    if not condition:
        return Match.YES
    result = Match.YES
    for operator, entries in condition.items():
        if not isinstance(entries, Mapping):
            return Match.MAYBE
        for key, values in entries.items():
            result = min(result, _condition_entry(str(operator), str(key), values, access))
    return result


def _condition_entry(operator: str, key: str, values: Sequence[Term], access: Access) -> Match:
    base = operator.lower().removeprefix("foranyvalue:").removeprefix("forallvalues:").removesuffix("ifexists")
    if key.lower() in access.assumed and base in _OPERATORS:
        return Match.YES  # the service sets the key to the expected value; a negated test stays conditional
    known = {name.lower(): value for name, value in access.context.items()}
    positive = _NEGATED.get(base, base)
    if key.lower() not in known or positive not in _OPERATORS:
        return Match.CONDITIONAL
    like, ignore_case = _OPERATORS[positive]
    actual = Term(known[key.lower()])
    found = _best(match_term(value if like else Term(_literal(value)), actual, ignore_case=ignore_case)
                  for value in values)
    return _negated(found) if positive != base else found


def _literal(value: Term) -> str | None:
    """A StringEquals value compared exactly: its wildcards are plain characters."""
    return None if value.text is None else value.text.replace("*", "\ue0ff").replace("?", "\ue0fe")


def render_condition(condition: Mapping | None) -> str:
    def plain(value: object) -> object:
        if isinstance(value, Term):
            return str(value)
        if isinstance(value, Mapping):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        return value

    return json.dumps(plain(condition), separators=(", ", ": "))


# -- policies ------------------------------------------------------------------------------------


def evaluate(policies: Sequence[Policy], access: Access, boundary: Policy | None = None) -> Decision:
    """May the principal holding `policies` (and `boundary`, when it has one) make `access`?"""
    decision = _evaluate_policies(policies, access)
    if boundary is None:
        return decision
    limit = _evaluate_policies([boundary], access)
    return replace(limit, by_boundary=True) if limit.outcome < decision.outcome else decision


def _evaluate_policies(policies: Sequence[Policy], access: Access) -> Decision:
    statements = [statement for policy in policies for statement in policy.statements]
    applying = [(_capped(statement, statement_applies(statement, access)), statement) for statement in statements]
    allows = [(match, statement) for match, statement in applying if statement.effect in ("Allow", "")]
    denies = [(match, statement) for match, statement in applying if statement.effect in ("Deny", "")]
    certain_denies = tuple(s for m, s in denies if m is Match.YES)
    if certain_denies:
        return Decision(Outcome.DENIED, certain_denies)
    allow = _best(m for m, _ in allows)
    unreadable = [policy for policy in policies if policy.unknown]
    if allow is Match.NO:
        if unreadable:
            reasons = "; ".join(f"{policy.name}: {policy.unknown}" for policy in unreadable)
            return Decision(Outcome.UNKNOWN, (), reasons)
        return Decision(Outcome.NOT_GRANTED)
    applying_denies = [(m, s) for m, s in denies if m > Match.NO]
    if allow is Match.YES and not applying_denies:
        return Decision(Outcome.ALLOWED, tuple(s for m, s in allows if m is Match.YES))
    uncertain = [s for m, s in applying_denies if m is Match.MAYBE]
    if allow is Match.MAYBE:
        uncertain = [s for m, s in allows if m is Match.MAYBE] + uncertain
    if uncertain:
        return Decision(Outcome.UNKNOWN, tuple(uncertain), _maybe_reason(uncertain[0], access))
    conditional = [s for m, s in allows if m is allow] + [s for _, s in applying_denies]
    return Decision(Outcome.CONDITIONAL, tuple(s for s in conditional if s.condition))


def _capped(statement: Statement, match: Match) -> Match:
    """A statement whose Effect cannot be read may allow or deny: at most "maybe" either way."""
    return min(match, Match.MAYBE) if statement.effect == "" else match


def _maybe_reason(statement: Statement, access: Access) -> str:
    return f"{statement.describe()} may or may not apply to {access.action} on {access.resource}"
