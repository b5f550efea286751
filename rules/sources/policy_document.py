"""Reading IAM policy documents (identity, trust and key policies) into `iam.Statement`s.

A document arrives as a request-style `Node` tree, so references and unknown values keep their
meaning: a `Reference` becomes a term with symbols, an unreadable part a term of which nothing is known.
"""

from __future__ import annotations

from typing import Any

from gtlint.document import LoadError, load_json
from gtlint.iam import UNKNOWN_TERM, Policy, Statement, Term
from gtlint.request import Choice, Location, Node, Reference, Unknown
from gtlint.sources.tree import Builder, MarkLocator


def term(node: Node | None) -> Term:
    value = node.value if node is not None else None
    if isinstance(value, str):
        return Term(value)
    if isinstance(value, bool):  # an unquoted YAML true in a Condition
        return Term(str(value).lower())
    if isinstance(value, (int, float)):
        return Term(str(value))
    if isinstance(value, Reference):
        return Term(value.as_text(), value.target)
    return UNKNOWN_TERM


def terms(node: Node | None) -> tuple[Term, ...]:
    """A string-or-list element as terms."""
    if node is None:
        return ()
    if isinstance(node.value, list):
        return tuple(term(item) for item in node.value)
    return (term(node),)


def policy_from_node(node: Node | None, name: str) -> Policy:
    """A policy document; a JSON string is parsed first."""
    if node is None:
        return Policy(name, (), "the policy document is missing")
    value = node.value
    if isinstance(value, str):
        return policy_from_text(value, name, node.location)
    if isinstance(value, (Unknown, Choice, Reference)):
        return Policy(name, (), _why(value, "the policy document"))
    if not isinstance(value, dict):
        return Policy(name, (), "the policy document is not an object")
    statements = value.get("Statement")
    if statements is None:
        return Policy(name, ())
    items = statements.value if isinstance(statements.value, list) else [statements]
    return Policy(name, tuple(_statement(item, name) for item in items))


def policy_from_text(text: str, name: str, location: Location, *hooks: Any) -> Policy:
    try:
        document = load_json(text)
    except LoadError as error:
        return Policy(name, (), f"the policy document is not valid JSON ({error})")
    builder = Builder(MarkLocator(max(location.line - 1, 0), embedded=True), hooks)
    return policy_from_node(builder.build(document, Location(location.file, 1, 1, location.doc_path)), name)


def policy_from_plain(document: Any, name: str, location: Location) -> Policy:
    """A document that is plain data (a managed policy, a snapshot): every string is literal."""
    return policy_from_node(Builder(MarkLocator(embedded=True)).build(document, location), name)


def _why(value: Any, what: str) -> str:
    if isinstance(value, Unknown):
        return value.reason
    if isinstance(value, Reference):
        return f"{what} is {value.expression}, only known at deploy time"
    return f"{what} depends on the condition {value.condition}"


def _statement(node: Node, policy: str) -> Statement:
    value = node.value
    if not isinstance(value, dict):
        return Statement("", (UNKNOWN_TERM,), (UNKNOWN_TERM,), policy=policy, location=node.location)
    effect = value.get("Effect")
    effect_text = effect.value if effect is not None and effect.value in ("Allow", "Deny") else ""
    action_key = "NotAction" if "NotAction" in value else "Action"
    resource_key = "NotResource" if "NotResource" in value else "Resource"
    principal_key = "NotPrincipal" if "NotPrincipal" in value else "Principal"
    return Statement(
        effect=effect_text,
        actions=terms(value.get(action_key)),
        resources=terms(value[resource_key]) if resource_key in value else None,
        principals=_principals(value.get(principal_key)),
        not_action=action_key == "NotAction",
        not_resource=resource_key == "NotResource",
        not_principal=principal_key == "NotPrincipal",
        condition=_condition(value.get("Condition")),
        policy=policy,
        location=node.location,
    )


def _principals(node: Node | None) -> tuple[tuple[str, Term], ...] | None:
    if node is None:
        return None
    if isinstance(node.value, dict):
        return tuple((kind, item) for kind, values in node.value.items() for item in terms(values))
    return (("*", term(node)),)


def _condition(node: Node | None) -> dict | None:
    if node is None:
        return None
    if not isinstance(node.value, dict):
        return {"?": {"?": (UNKNOWN_TERM,)}}  # unreadable: conditional on something unknown
    return {
        operator: {key: terms(values) for key, values in entries.value.items()}
        if isinstance(entries.value, dict) else {"?": (UNKNOWN_TERM,)}
        for operator, entries in node.value.items()
    }
