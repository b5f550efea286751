"""The roles, policies and keys a Terraform module defines, for the IAM rules."""

from __future__ import annotations

from typing import Any

from gtlint.document import LoadError, load_json
from gtlint.environment import IamContext, Key, Role
from gtlint.iam import Policy, Term
from gtlint.managed_policies import policy_by_arn
from gtlint.request import Location, Node, Unknown
from gtlint.sources.policy_document import policy_from_node, term
from gtlint.sources.terraform import (
    Block,
    Expressions,
    Module,
    split_address,
    unescape_quoted,
    unwrap,
    whole_interpolation,
)
from gtlint.sources.tree import MarkLocator

POLICY_DOCUMENT = "aws_iam_policy_document"
_STATEMENT_KEYS = (
    ("sid", "Sid"), ("effect", "Effect"), ("actions", "Action"), ("not_actions", "NotAction"),
    ("resources", "Resource"), ("not_resources", "NotResource"),
)


def iam_context(module: Module) -> IamContext:
    return _Reader(module).context()


class _Reader:
    def __init__(self, module: Module) -> None:
        self.module = module
        self.by_type: dict[str, list[Block]] = {}
        for block in module.blocks.values():
            self.by_type.setdefault(block.type, []).append(block)

    def context(self) -> IamContext:
        roles = {block.address: self._role(block) for block in self._of("aws_iam_role")}
        keys = {block.address: self._key(block) for block in self._of("aws_kms_key")}
        return IamContext(roles=roles, keys=keys, aliases=self._aliases())

    def _of(self, resource_type: str) -> list[Block]:
        return [block for block in self.by_type.get(resource_type, []) if not block.address.startswith("data.")]

    # -- values ------------------------------------------------------------------------------

    def _raw(self, block: Block, attribute: str) -> Any:
        return unwrap(block.body.get(attribute))

    def _location(self, block: Block, attribute: str) -> Location:
        return block.locator().child(block.body, attribute, block.location())

    def _refers_to(self, raw: Any, block: Block) -> bool:
        """`aws_iam_role.gt.name` (or .id, .arn) or the role's literal name."""
        whole = whole_interpolation(raw)
        if whole is not None:
            return split_address(whole)[0] == block.address
        return isinstance(raw, str) and raw == self._raw(block, "name")

    def _items(self, raw: Any) -> list[Any]:
        return raw if isinstance(raw, list) else [] if raw is None else [raw]

    # -- policy documents --------------------------------------------------------------------

    def _policy(self, block: Block, attribute: str, label: str) -> Policy:
        return policy_from_node(self._document(block, attribute), label)

    def _document(self, block: Block, attribute: str) -> Node | None:
        raw = self._raw(block, attribute)
        return None if raw is None else self._document_value(raw, self._location(block, attribute), block, 0)

    def _document_value(self, raw: Any, location: Location, block: Block, depth: int) -> Node:
        """A policy attribute: jsonencode(), a JSON string or heredoc, or a policy document data source."""
        evaluator = Expressions(self.module, block.locator())
        whole = whole_interpolation(raw)
        if whole is not None:
            address, attribute = split_address(whole)
            source = self.module.blocks.get(address)
            if source is not None and source.type == POLICY_DOCUMENT and attribute in ("json", "minified_json"):
                return self._data_document(source, depth + 1)
            return evaluator.expression(whole, location)
        if isinstance(raw, str):
            text = raw if evaluator.is_heredoc(location) else unescape_quoted(raw)
            try:
                document = load_json(text)
            except LoadError as error:
                return Node(text, location) if "${" not in text else _unreadable(str(error), location)
            return evaluator.build(document, location, MarkLocator(embedded=True))
        return evaluator.value(raw, location)

    def _data_document(self, block: Block, depth: int) -> Node:
        """data "aws_iam_policy_document": its statements, merged with source and override documents by Sid."""
        location = block.location()
        if depth > 10:
            return _unreadable("the policy documents include each other", location)
        statements: list[Node] = []
        for raw in self._items(self._raw(block, "source_policy_documents")):
            statements.extend(_statements(self._document_value(raw, location, block, depth)))
        for statement in self._statement_blocks(block):
            statements = _merged(statements, statement)
        for raw in self._items(self._raw(block, "override_policy_documents")):
            for statement in _statements(self._document_value(raw, location, block, depth)):
                statements = _merged(statements, statement)
        return Node({"Statement": Node(statements, location)}, location)

    def _statement_blocks(self, block: Block) -> list[Node]:
        evaluator = Expressions(self.module, block.locator())
        location = self._location(block, "statement")
        nodes = []
        for body in _blocks(block.body.get("statement")):
            fields = {"Effect": Node("Allow", location)}
            for key, name in _STATEMENT_KEYS:
                if key in body:
                    fields[name] = evaluator.value(unwrap(body[key]), location)
            for key, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
                if key in body:
                    fields[name] = self._principals(body[key], evaluator, location)
            if "condition" in body:
                fields["Condition"] = self._conditions(body["condition"], evaluator, location)
            nodes.append(Node(fields, location))
        return nodes

    def _principals(self, raw: Any, evaluator: Expressions, location: Location) -> Node:
        kinds: dict[str, list[Node]] = {}
        for body in _blocks(raw):
            kind = unwrap(body.get("type"))
            identifiers = evaluator.value(unwrap(body.get("identifiers")), location)
            items = identifiers.value if isinstance(identifiers.value, list) else [identifiers]
            kinds.setdefault(str(kind), []).extend(items)
        return Node({kind: Node(items, location) for kind, items in kinds.items()}, location)

    def _conditions(self, raw: Any, evaluator: Expressions, location: Location) -> Node:
        tests: dict[str, dict[str, Node]] = {}
        for body in _blocks(raw):
            test, variable = str(unwrap(body.get("test"))), str(unwrap(body.get("variable")))
            tests.setdefault(test, {})[variable] = evaluator.value(unwrap(body.get("values")), location)
        return Node({test: Node(entries, location) for test, entries in tests.items()}, location)

    # -- roles -------------------------------------------------------------------------------

    def _role(self, block: Block) -> Role:
        label = f"role {block.address}"
        trust = self._policy(block, "assume_role_policy", f"the trust policy of {label}")
        inline = self._inline(block, label)
        managed = [self._managed(raw, self._location(block, "managed_policy_arns"), block)
                   for raw in self._items(self._raw(block, "managed_policy_arns"))]
        managed += self._attachments(block)
        boundary_raw = self._raw(block, "permissions_boundary")
        boundary = (self._managed(boundary_raw, self._location(block, "permissions_boundary"), block)
                    if boundary_raw is not None else None)
        arn = Term(self.module.arn_text(block), block.address)
        return Role(label, arn, trust, tuple(inline + managed), boundary, block.location())

    def _inline(self, role: Block, label: str) -> list[Policy]:
        named: list[tuple[Any, Policy]] = []
        location = self._location(role, "inline_policy")
        for body in _blocks(role.body.get("inline_policy")):
            name = unwrap(body.get("name"))
            document = self._document_value(unwrap(body.get("policy")), location, role, 0)
            named.append((name, policy_from_node(document, f"inline policy {name} of {label}")))
        for block in self._of("aws_iam_role_policy"):
            if self._refers_to(self._raw(block, "role"), role):
                name = self._raw(block, "name")
                named.append((name, self._policy(block, "policy", f"policy {block.address}")))
        for block in self._of("aws_iam_role_policies_exclusive"):
            if self._refers_to(self._raw(block, "role_name"), role):
                kept = {self._name_of(raw) for raw in self._items(self._raw(block, "policy_names"))}
                named = [(name, policy) for name, policy in named if str(name) in kept]
        return [policy for _, policy in named]

    def _name_of(self, raw: Any) -> str:
        """A policy name, literal or `aws_iam_role_policy.x.name`."""
        whole = whole_interpolation(raw)
        if whole is not None:
            address, attribute = split_address(whole)
            block = self.module.blocks.get(address)
            if block is not None and attribute == "name" and isinstance(self._raw(block, "name"), str):
                return str(self._raw(block, "name"))
        return str(raw)

    def _attachments(self, role: Block) -> list[Policy]:
        found = []
        for resource_type, role_key in (("aws_iam_role_policy_attachment", "role"),
                                        ("aws_iam_policy_attachment", "roles")):
            for block in self._of(resource_type):
                if any(self._refers_to(raw, role) for raw in self._items(self._raw(block, role_key))):
                    found.append(self._managed(self._raw(block, "policy_arn"), self._location(block, "policy_arn"),
                                               block))
        for block in self._of("aws_iam_role_policy_attachments_exclusive"):
            if self._refers_to(self._raw(block, "role_name"), role):
                location = self._location(block, "policy_arns")
                found += [self._managed(raw, location, block) for raw in self._items(self._raw(block, "policy_arns"))]
        return found

    def _managed(self, raw: Any, location: Location, block: Block) -> Policy:
        """A policy ARN: an aws_iam_policy of the module, an AWS managed policy, or one defined elsewhere."""
        whole = whole_interpolation(raw)
        address = split_address(whole)[0] if whole is not None else ""
        policy_block = self.module.blocks.get(address)
        if policy_block is not None and policy_block.type == "aws_iam_policy":
            return self._policy(policy_block, "policy", f"managed policy {address}")
        text = term(Expressions(self.module, block.locator()).value(raw, location)).text
        if text is None:
            return Policy("a managed policy", (), "its ARN cannot be read statically")
        return policy_by_arn(text, location)

    # -- keys --------------------------------------------------------------------------------

    def _key(self, block: Block) -> Key:
        label = f"the key policy of {block.address}"
        document = self._document(block, "policy")
        for attached in self._of("aws_kms_key_policy"):
            if self._refers_to(self._raw(attached, "key_id"), block):
                document = self._document(attached, "policy")
        policy = policy_from_node(document, label) if document is not None else None
        arn = Term(self.module.arn_text(block), block.address)
        return Key(f"key {block.address}", arn, policy, block.location())

    def _aliases(self) -> dict[str, str]:
        aliases = {}
        for block in self._of("aws_kms_alias"):
            whole = whole_interpolation(self._raw(block, "target_key_id"))
            target = split_address(whole)[0] if whole is not None else ""
            if target in self.module.blocks:
                aliases[block.address] = target
                name = self._raw(block, "name")
                if isinstance(name, str):
                    aliases[name] = target
        return aliases


def _blocks(raw: Any) -> list[dict]:
    if isinstance(raw, dict):
        return [raw]
    return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


def _statements(document: Node) -> list[Node]:
    value = document.value
    statements = value.get("Statement") if isinstance(value, dict) else None
    if statements is None:
        return [] if isinstance(value, dict) else [Node(value, document.location)]
    return list(statements.value) if isinstance(statements.value, list) else [statements]


def _merged(statements: list[Node], statement: Node) -> list[Node]:
    """A statement replaces the one with the same non-empty Sid, or is appended."""
    sid = _sid(statement)
    if sid:
        for index, existing in enumerate(statements):
            if _sid(existing) == sid:
                return [*statements[:index], statement, *statements[index + 1 :]]
    return [*statements, statement]


def _sid(statement: Node) -> str:
    value = statement.value
    sid = value.get("Sid") if isinstance(value, dict) else None
    return sid.value if sid is not None and isinstance(sid.value, str) else ""


def _unreadable(reason: str, location: Location) -> Node:
    return Node(Unknown(f"the policy document cannot be read: {reason}"), location)
