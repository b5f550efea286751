"""The IAM surroundings of a request: the roles and keys its template or module defines.

Extractors fill an `IamContext` with what the scanned code defines; an account snapshot
(`--iam-snapshot`) adds the roles and policies deployed outside it. The checks ask it which
role a `RoleArn` names and which key a key identifier names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from gtlint.iam import UNKNOWN_TERM, Policy, Term
from gtlint.keys import KEY_ID
from gtlint.request import ACCOUNT, PARTITION, REGION, FieldValue, Location, Reference, State, readable, symbol

_ROLE_PATH = re.compile(r"arn:[^:]+:iam::[^:]*:(role/.*)\Z")
_ALIAS_ARN = re.compile(r"(arn:[^:]+:kms:[^:]*:[^:]*:)(alias/.+)\Z")


ACCOUNT_ROOT = Term(f"arn:{PARTITION}:iam::{ACCOUNT}:root")


@dataclass(frozen=True)
class Role:
    name: str  # how messages name it: "role GtRole"
    arn: Term
    trust: Policy
    policies: tuple[Policy, ...]
    boundary: Policy | None
    location: Location


@dataclass(frozen=True)
class Key:
    name: str  # "key VolumeKey"
    arn: Term
    policy: Policy | None  # None: the default key policy, which delegates to IAM
    location: Location
    account_root: Term = ACCOUNT_ROOT


@dataclass(frozen=True)
class KeyResource:
    """What IAM matches a key identifier against: the key's ARN, as far as it is known."""

    arn: Term
    label: str = ""  # how messages name a key known only by alias
    key: Key | None = None


@dataclass
class IamContext:
    roles: dict[str, Role] = field(default_factory=dict)  # by target: logical id or address
    keys: dict[str, Key] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # alias name (or alias target) -> key target
    policies_by_arn: dict[str, Policy] = field(default_factory=dict)  # customer managed, from a snapshot
    outside: IamContext | None = None  # what a snapshot knows of roles the scanned code does not define
    snapshot_name: str = ""

    def with_outside(self, snapshot: IamContext | None) -> IamContext:
        return self if snapshot is None else replace(self, outside=snapshot)

    # -- roles ---------------------------------------------------------------------------------

    def role_for(self, outcome: FieldValue) -> Role | str:
        """The role a RoleArn names, or why it cannot be told."""
        node_value = outcome.node.value if outcome.node is not None else None
        if outcome.state is State.UNKNOWN:
            return f"RoleArn cannot be read: {outcome.reason}"
        if isinstance(node_value, Reference) and node_value.target in self.roles:
            return self._complete(self.roles[node_value.target])
        text = node_value.as_text() if isinstance(node_value, Reference) else node_value
        if not isinstance(text, str):
            return "RoleArn is not a string"
        role = self._role_by_arn(text) or (self.outside._role_by_arn(text) if self.outside else None)
        if role is not None:
            return self._complete(role)
        shown = readable(text)
        if self.outside is not None:
            return f"the role {shown} is neither defined in the scanned code nor in {self.outside.snapshot_name}"
        return (f"the role {shown} is not defined in the scanned code; to check it, give gtlint the output of "
                "`aws iam get-account-authorization-details` (--iam-snapshot, or GTLINT_IAM_SNAPSHOT in the hosts)")

    def _role_by_arn(self, text: str) -> Role | None:
        suffix = _ROLE_PATH.match(text)
        for role in self.roles.values():
            if role.arn.text == text:
                return role
            if suffix and role.arn.text and role.arn.text.endswith(f":{suffix.group(1)}"):
                return role  # the same role name and path: the account is the one deployed to
        return None

    def _complete(self, role: Role) -> Role:
        """Customer managed policies attached by ARN, filled in from the snapshot."""
        known = self.policies_by_arn or (self.outside.policies_by_arn if self.outside else {})
        if not known:
            return role
        policies = tuple(_from_snapshot(policy, known) for policy in role.policies)
        boundary = _from_snapshot(role.boundary, known) if role.boundary else None
        return replace(role, policies=policies, boundary=boundary)

    # -- keys ----------------------------------------------------------------------------------

    def key_resource(self, outcome: FieldValue) -> KeyResource:
        node_value = outcome.node.value if outcome.node is not None else None
        if isinstance(node_value, Reference):
            target = self.aliases.get(node_value.target, node_value.target)
            if target in self.keys:
                key = self.keys[target]
                return KeyResource(key.arn, key=key)
            return KeyResource(Term(node_value.as_text(), node_value.target))
        if not isinstance(node_value, str):
            return KeyResource(UNKNOWN_TERM)
        return self._literal_key(node_value)

    def _literal_key(self, text: str) -> KeyResource:
        alias = _ALIAS_ARN.match(text)
        alias_name = alias.group(2) if alias else text if text.startswith("alias/") else None
        if alias_name is not None:
            target = self.aliases.get(alias_name)
            if target in self.keys:
                return KeyResource(self.keys[target].arn, key=self.keys[target])
            # KMS authorizes the key an alias points to, never the alias ARN: some key of the alias's account.
            prefix = alias.group(1) if alias else f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:"
            label = f"the key of {alias_name}"
            return KeyResource(Term(f"{prefix}key/{symbol(label)}"), label)
        if KEY_ID.match(text):
            return KeyResource(Term(f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{text}"))
        return KeyResource(Term(text))


def _from_snapshot(policy: Policy, known: dict[str, Policy]) -> Policy:
    return known.get(policy.arn, policy) if policy.unknown and policy.arn else policy
