"""The roles, policies and keys a CloudFormation template defines, for the IAM rules."""

from __future__ import annotations

from gtlint.document import key_mark
from gtlint.environment import IamContext, Key, Role
from gtlint.iam import Policy, Term
from gtlint.managed_policies import policy_by_arn
from gtlint.request import Location, Node, Reference
from gtlint.sources.cloudformation import Template
from gtlint.sources.policy_document import policy_from_node, term

ROLE = "AWS::IAM::Role"
KEY = "AWS::KMS::Key"
ALIAS = "AWS::KMS::Alias"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
# Resources that attach a document to roles, and the property naming them.
ATTACHING = {"AWS::IAM::Policy": "Roles", MANAGED_POLICY: "Roles", "AWS::IAM::RolePolicy": "RoleName"}


def iam_context(template: Template) -> IamContext:
    return _Reader(template).context()


class _Reader:
    def __init__(self, template: Template) -> None:
        self.template = template
        self.properties: dict[str, Node] = {}
        self.types: dict[str, str] = {}
        for logical_id, resource in template.resources.items():
            kind = resource.get("Type") if isinstance(resource, dict) else None
            if kind in (ROLE, KEY, ALIAS, *ATTACHING):
                self.types[str(logical_id)] = kind
                self.properties[str(logical_id)] = self._properties(str(logical_id), resource)

    def _properties(self, logical_id: str, resource: dict) -> Node:
        mark = key_mark(self.template.resources, logical_id)
        line, column = (mark[0], mark[1]) if mark else (0, 0)
        location = Location(self.template.file, line, column, ("Resources", logical_id))
        properties = resource.get("Properties")
        node = self.template.builder().build(properties if isinstance(properties, dict) else {}, location)
        return node if node is not None and isinstance(node.value, dict) else Node({}, location)

    def context(self) -> IamContext:
        keys = {logical_id: self._key(logical_id) for logical_id, kind in self.types.items() if kind == KEY}
        roles = {logical_id: self._role(logical_id) for logical_id, kind in self.types.items() if kind == ROLE}
        return IamContext(roles=roles, keys=keys, aliases=self._aliases())

    def _get(self, logical_id: str, name: str) -> Node | None:
        value = self.properties[logical_id].value
        return value.get(name) if isinstance(value, dict) else None

    # -- roles -------------------------------------------------------------------------------

    def _role(self, logical_id: str) -> Role:
        name = f"role {logical_id}"
        trust = policy_from_node(self._get(logical_id, "AssumeRolePolicyDocument"), f"the trust policy of {name}")
        policies = [*self._inline(logical_id, name), *self._attached(logical_id)]
        policies += [self._managed(node) for node in _items(self._get(logical_id, "ManagedPolicyArns"))]
        boundary_node = self._get(logical_id, "PermissionsBoundary")
        boundary = self._managed(boundary_node) if boundary_node is not None else None
        arn = Term(self.template.arn_text(logical_id), logical_id)
        location = self.properties[logical_id].location
        return Role(name, arn, trust, tuple(policies), boundary, location)

    def _inline(self, logical_id: str, role_name: str) -> list[Policy]:
        policies = []
        for item in _items(self._get(logical_id, "Policies")):
            fields = item.value if isinstance(item.value, dict) else {}
            policy_name = fields.get("PolicyName")
            label = policy_name.value if policy_name is not None and isinstance(policy_name.value, str) else "?"
            policies.append(policy_from_node(fields.get("PolicyDocument"), f"inline policy {label} of {role_name}"))
        return policies

    def _attached(self, role_id: str) -> list[Policy]:
        """AWS::IAM::Policy, AWS::IAM::RolePolicy and AWS::IAM::ManagedPolicy resources naming the role."""
        found = []
        for logical_id, kind in self.types.items():
            if kind in ATTACHING and any(self._names_role(node, role_id)
                                         for node in _items(self._get(logical_id, ATTACHING[kind]))):
                found.append(policy_from_node(self._get(logical_id, "PolicyDocument"), f"policy {logical_id}"))
        return found

    def _names_role(self, node: Node, role_id: str) -> bool:
        """`Ref Role`, or the role's literal RoleName."""
        if isinstance(node.value, Reference):
            return node.value.target == role_id
        role_name = self._get(role_id, "RoleName")
        return isinstance(node.value, str) and role_name is not None and role_name.value == node.value

    def _managed(self, node: Node) -> Policy:
        """A managed policy by ARN: one of the template, an AWS managed one, or one defined elsewhere."""
        value = node.value
        if isinstance(value, Reference) and self.types.get(value.target) == MANAGED_POLICY:
            return policy_from_node(self._get(value.target, "PolicyDocument"), f"managed policy {value.target}")
        text = term(node).text
        if text is None:
            return Policy("a managed policy", (), "its ARN cannot be read statically")
        return policy_by_arn(text, node.location)

    # -- keys --------------------------------------------------------------------------------

    def _key(self, logical_id: str) -> Key:
        key_policy = self._get(logical_id, "KeyPolicy")
        policy = policy_from_node(key_policy, f"the key policy of {logical_id}") if key_policy is not None else None
        arn = Term(self.template.arn_text(logical_id), logical_id)
        return Key(f"key {logical_id}", arn, policy, self.properties[logical_id].location)

    def _aliases(self) -> dict[str, str]:
        """Alias names and alias resources, to the key they point at."""
        aliases = {}
        for logical_id, kind in self.types.items():
            target = self._get(logical_id, "TargetKeyId") if kind == ALIAS else None
            if target is None or not isinstance(target.value, Reference) or not target.value.target:
                continue
            aliases[logical_id] = target.value.target
            alias_name = self._get(logical_id, "AliasName")
            if alias_name is not None and isinstance(alias_name.value, str):
                aliases[alias_name.value] = target.value.target
        return aliases


def _items(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return list(node.value) if isinstance(node.value, list) else [node]

