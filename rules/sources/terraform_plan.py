"""Terraform plan JSON (`terraform show -json`): requests, and the roles and keys of the plan.

Planned values are literal; `after_unknown` marks values only known after apply. For those, the
plan's `configuration` still says what they refer to (`aws_iam_role.gt.arn`), which is how a
request's RoleArn finds its role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gtlint.document import LoadError, Located, load_json
from gtlint.environment import IamContext, Key, Role
from gtlint.iam import Policy, Term
from gtlint.managed_policies import policy_by_arn
from gtlint.request import ACCOUNT, PARTITION, REGION, LabelingJobRequest, Location, Node, Reference, Unknown, symbol
from gtlint.sources import stepfunctions
from gtlint.sources.policy_document import policy_from_text
from gtlint.sources.terraform import LABELING_JOB, STATE_MACHINE, pascal, split_address
from gtlint.sources.tree import NOT_SPECIAL, Builder, MarkLocator

FORM = "terraform_plan"


def is_plan(document: Any) -> bool:
    return isinstance(document, dict) and "planned_values" in document and "format_version" in document


@dataclass(frozen=True)
class _AfterApply:
    """A value only known after apply, and what the configuration says it refers to."""

    reference: str = ""


@dataclass
class Plan:
    document: dict
    file: str
    resources: dict[str, tuple[dict, tuple]] = field(init=False)  # address -> (planned resource, its path)
    unknown: dict[str, Any] = field(init=False)  # address -> after_unknown
    expressions: dict[str, dict] = field(init=False)  # address -> configuration expressions
    account: dict[str, str] = field(init=False)  # partition, region and account id symbols -> values read

    def __post_init__(self) -> None:
        self.account = _account_facts(self.document)
        root = self.document.get("planned_values", {})
        root_module = root.get("root_module", {}) if isinstance(root, dict) else {}
        self.resources = {str(resource.get("address", "")): (resource, path)
                          for resource, path in _plan_resources(root_module, ("planned_values",))}
        self.unknown = _after_unknown(self.document)
        configuration = self.document.get("configuration")
        module = configuration.get("root_module", {}) if isinstance(configuration, dict) else {}
        self.expressions = dict(_configured(module, ""))

    def values(self, address: str) -> dict:
        resource = self.resources.get(address, ({}, ()))[0]
        values = resource.get("values")
        return values if isinstance(values, dict) else {}

    def of_type(self, resource_type: str) -> list[str]:
        return [address for address, (resource, _) in self.resources.items() if resource.get("type") == resource_type]

    def location(self, address: str, *keys: str) -> Location:
        resource, path = self.resources[address]
        location = MarkLocator().child(resource, "values", Location(self.file, 0, 0, path))
        container: Any = resource.get("values")
        for key in keys:
            if not isinstance(container, dict):
                break
            location = MarkLocator().child(container, key, location)
            container = container.get(key)
        return location

    def reference(self, expression: str) -> Reference:
        """What a configuration reference stands for; ARNs of the plan's roles and keys have a known shape."""
        address, attribute = split_address(expression)
        resource = self.resources.get(address, ({}, ()))[0]
        if attribute == "arn" and resource.get("type") in ("aws_iam_role", "aws_kms_key"):
            return Reference(expression, self.arn_text(address), address)
        target = address if resource else ""
        return Reference(expression, symbol(f"{address}.{attribute}"), target)

    def arn_text(self, address: str) -> str:
        values = self.values(address)
        if isinstance(values.get("arn"), str):
            return values["arn"]
        partition, region, account = (self.account.get(name, name) for name in (PARTITION, REGION, ACCOUNT))
        if self.resources[address][0].get("type") == "aws_kms_key":
            key_id = values.get("key_id") if isinstance(values.get("key_id"), str) else symbol(f"{address}.key_id")
            return f"arn:{partition}:kms:{region}:{account}:key/{key_id}"
        name = values.get("name") if isinstance(values.get("name"), str) else symbol(f"{address}.name")
        path = values.get("path") if isinstance(values.get("path"), str) else "/"
        return f"arn:{partition}:iam::{account}:role{path}{name}"

    def account_root(self) -> Term:
        partition, account = (self.account.get(name, name) for name in (PARTITION, ACCOUNT))
        return Term(f"arn:{partition}:iam::{account}:root")

    def refers_to(self, address: str, key: str, target: str) -> bool:
        """Does attribute `key` of `address` name the resource `target` (by configuration or by name)?"""
        references = self.expressions.get(address, {}).get(key, {})
        if isinstance(references, dict) and any(split_address(ref)[0] == target
                                                for ref in references.get("references", []) or []):
            return True
        value = self.values(address).get(key)
        name = self.values(target).get("name")
        names = value if isinstance(value, list) else [value]
        return isinstance(name, str) and name in names


# -- requests --------------------------------------------------------------------------------


def plan_requests(document: dict, file: str) -> list[LabelingJobRequest]:
    plan = Plan(document, file)
    found: list[LabelingJobRequest] = []
    for address, (resource, _) in plan.resources.items():
        values = plan.values(address)
        location = plan.location(address)
        if resource.get("type") == LABELING_JOB:
            merged = _merge_unknown(values, plan.unknown.get(address, {}), plan.expressions.get(address, {}))
            builder = Builder(MarkLocator(), (_after_apply_hook(plan),))
            found.append(LabelingJobRequest(_pascal_tree(builder.build(merged, location)), FORM, address))
        elif resource.get("type") == STATE_MACHINE and isinstance(values.get("definition"), str):
            found.extend(_plan_definition(values["definition"], plan.location(address, "definition"), address))
    if not found:
        return []
    context = plan_context(plan)
    return [LabelingJobRequest(request.body, request.form, request.name, context) for request in found]


def _after_apply_hook(plan: Plan) -> Any:
    def hook(builder: Builder, value: Any, location: Location) -> Any:
        if not isinstance(value, _AfterApply):
            return NOT_SPECIAL
        if value.reference:
            return Node(plan.reference(value.reference), location)
        where = f"line {location.line}, column {location.column}"
        return Node(Reference("a value known after apply", symbol(f"a value known after apply at {where}")), location)

    return hook


def _merge_unknown(values: Any, unknown: Any, expressions: Any) -> Any:
    """Mark the values `after_unknown` says are only known after apply, with what they refer to."""
    if unknown is True:
        return _AfterApply(_first_reference(expressions)) if values in (None, "", [], {}) else values
    if isinstance(values, list) and isinstance(unknown, list):
        return [_merge_unknown(item, unknown[index] if index < len(unknown) else None, _index(expressions, index))
                for index, item in enumerate(values)]
    if isinstance(values, dict) and isinstance(unknown, dict):
        merged = dict(values)
        for key, flag in unknown.items():
            merged[key] = _merge_unknown(values.get(key), flag, expressions.get(key) if isinstance(expressions, dict)
                                         else None)
        return _copy_marks(values, merged) if isinstance(values, Located) else merged
    return values


def _index(expressions: Any, index: int) -> Any:
    return expressions[index] if isinstance(expressions, list) and index < len(expressions) else None


def _first_reference(expressions: Any) -> str:
    """`{"references": ["aws_iam_role.gt.arn", "aws_iam_role.gt"]}` -> the attribute reference."""
    references = expressions.get("references", []) if isinstance(expressions, dict) else []
    return next((ref for ref in references if isinstance(ref, str) and split_address(ref)[1]), "")


def _copy_marks(original: Located, merged: dict) -> Located:
    located = Located()
    located.update(merged)
    located.mark, located.key_marks, located.value_marks = original.mark, original.key_marks, original.value_marks
    return located


def _pascal_tree(node: Node | None) -> Node:
    if node is None:
        return Node({}, Location(""))
    value = node.value
    if isinstance(value, list) and len(value) == 1:
        return _pascal_tree(value[0])
    if isinstance(value, dict):
        return Node({pascal(key): _pascal_tree(child) for key, child in value.items()
                     if not (isinstance(child.value, list) and not child.value) and child.value is not None},
                    node.location)
    return node


def _plan_definition(text: str, location: Location, address: str) -> list[LabelingJobRequest]:
    """A plan holds the rendered definition as a JSON string on one line of the plan file."""
    try:
        document = load_json(text)
    except LoadError as error:
        return [LabelingJobRequest(Node(Unknown(f"the definition is not valid JSON ({error})"), location),
                                   FORM, address)]
    if not stepfunctions.is_definition(document):
        return []
    builder = Builder(MarkLocator(location.line - 1 if location.line else 0, embedded=True))
    return stepfunctions.requests_in_definition(document, location, builder, FORM, address)


_ACCOUNT_DATA = {"aws_partition": (("partition", PARTITION),), "aws_caller_identity": (("account_id", ACCOUNT),),
                 "aws_region": (("name", REGION), ("region", REGION))}


def _account_facts(plan: dict) -> dict[str, str]:
    """The partition, region and account the plan's data sources read (`prior_state`)."""
    prior = plan.get("prior_state")
    values = prior.get("values") if isinstance(prior, dict) else None
    module = values.get("root_module") if isinstance(values, dict) else None
    facts: dict[str, str] = {}
    for resource, _ in _plan_resources(module, ()):
        read = resource.get("values")
        reads = _ACCOUNT_DATA.get(str(resource.get("type")), ()) if resource.get("mode") == "data" else ()
        for attribute, name in reads:
            if isinstance(read, dict) and isinstance(read.get(attribute), str) and read[attribute]:
                facts[name] = read[attribute]
    return facts


def _after_unknown(plan: dict) -> dict[str, Any]:
    changes = plan.get("resource_changes")
    if not isinstance(changes, list):
        return {}
    return {
        str(change.get("address")): change.get("change", {}).get("after_unknown", {})
        for change in changes if isinstance(change, dict) and isinstance(change.get("change"), dict)
    }


def _plan_resources(module: Any, path: tuple) -> Iterator[tuple[dict, tuple]]:
    if not isinstance(module, dict):
        return
    for index, resource in enumerate(module.get("resources", []) or []):
        if isinstance(resource, dict):
            yield resource, (*path, "resources", index)
    for index, child in enumerate(module.get("child_modules", []) or []):
        yield from _plan_resources(child, (*path, "child_modules", index))


def _configured(module: Any, prefix: str) -> Iterator[tuple[str, dict]]:
    """Configuration expressions by resource address, child modules included."""
    if not isinstance(module, dict):
        return
    for resource in module.get("resources", []) or []:
        if isinstance(resource, dict) and isinstance(resource.get("expressions"), dict):
            yield f"{prefix}{resource.get('address', '')}", resource["expressions"]
    for name, call in (module.get("module_calls") or {}).items():
        if isinstance(call, dict):
            yield from _configured(call.get("module"), f"{prefix}module.{name}.")


# -- IAM context -----------------------------------------------------------------------------


def plan_context(plan: Plan) -> IamContext:
    roles = {address: _role(plan, address) for address in plan.of_type("aws_iam_role")}
    keys = {address: _key(plan, address) for address in plan.of_type("aws_kms_key")}
    aliases = {}
    for address in plan.of_type("aws_kms_alias"):
        for key in keys:
            if plan.refers_to(address, "target_key_id", key):
                aliases[address] = key
                name = plan.values(address).get("name")
                if isinstance(name, str):
                    aliases[name] = key
    return IamContext(roles=roles, keys=keys, aliases=aliases)


def _policy(plan: Plan, address: str, key: str, label: str, values: dict | None = None) -> Policy:
    values = plan.values(address) if values is None else values
    text = values.get(key)
    if isinstance(text, str) and text:
        return policy_from_text(text, label, plan.location(address, key))
    unknown = plan.unknown.get(address, {})
    if isinstance(unknown, dict) and unknown.get(key) is True:
        return Policy(label, (), "the policy is only known after apply")
    return Policy(label, (), "the policy document is missing")


def _role(plan: Plan, address: str) -> Role:
    label = f"role {address}"
    values = plan.values(address)
    trust = _policy(plan, address, "assume_role_policy", f"the trust policy of {label}")
    policies = [_policy(plan, address, "policy", f"inline policy {item.get('name')} of {label}", item)
                for item in values.get("inline_policy") or [] if isinstance(item, dict)]
    policies += [_policy(plan, other, "policy", f"policy {other}") for other in plan.of_type("aws_iam_role_policy")
                 if plan.refers_to(other, "role", address)]
    policies += [_managed(plan, arn, plan.location(address, "managed_policy_arns"))
                 for arn in values.get("managed_policy_arns") or []]
    for kind, key in (("aws_iam_role_policy_attachment", "role"), ("aws_iam_policy_attachment", "roles")):
        policies += [_attached(plan, other) for other in plan.of_type(kind) if plan.refers_to(other, key, address)]
    boundary = values.get("permissions_boundary")
    limit = _managed(plan, boundary, plan.location(address, "permissions_boundary")) if boundary else None
    arn = Term(plan.arn_text(address), address)
    return Role(label, arn, trust, tuple(policies), limit, plan.location(address))


def _attached(plan: Plan, attachment: str) -> Policy:
    for policy in plan.of_type("aws_iam_policy"):
        if plan.refers_to(attachment, "policy_arn", policy):
            return _policy(plan, policy, "policy", f"managed policy {policy}")
    return _managed(plan, plan.values(attachment).get("policy_arn"), plan.location(attachment, "policy_arn"))


def _managed(plan: Plan, arn: Any, location: Location) -> Policy:
    if not isinstance(arn, str):
        return Policy("a managed policy", (), "its ARN is only known after apply")
    for address in plan.of_type("aws_iam_policy"):
        if plan.values(address).get("arn") == arn:
            return _policy(plan, address, "policy", f"managed policy {address}")
    return policy_by_arn(arn, location)


def _key(plan: Plan, address: str) -> Key:
    label = f"the key policy of {address}"
    policy: Policy | None = None
    if "policy" in plan.expressions.get(address, {}):  # else the provider's default policy, which delegates to IAM
        policy = _policy(plan, address, "policy", label)
    for attached in plan.of_type("aws_kms_key_policy"):
        if plan.refers_to(attached, "key_id", address):
            policy = _policy(plan, attached, "policy", label)
    return Key(f"key {address}", Term(plan.arn_text(address), address), policy, plan.location(address),
               plan.account_root())
