"""GTL003, GTL004, GTL006, GTL007: can the execution role use what the request names?

Each rule resolves `RoleArn` to a role of the scanned code (or of an account snapshot) and asks
`iam.evaluate`. Allowed is silent, denied or not granted is the rule's level, conditional is a
warning that quotes the condition, and what cannot be decided is a note.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from gtlint.environment import IamContext, KeyResource, Role
from gtlint.findings import Finding, dotted, finding, when
from gtlint.iam import ANY, Access, Decision, Outcome, Term, arn_fields, evaluate, render_condition
from gtlint.request import (
    ACCOUNT,
    ALGORITHMS,
    OUTPUT_KEY,
    PARTITION,
    REGION,
    ROLE,
    VOLUME_KEY,
    Assumption,
    FieldValue,
    LabelingJobRequest,
    Location,
    State,
    nested_field,
    readable,
)
from gtlint.sources.policy_document import term

SAGEMAKER = "sagemaker.amazonaws.com"
# What the key policy must let the role do (DESIGN.md); the volume key also needs CreateGrant.
KEY_POLICY_ACTIONS = (
    "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey",
)
# SageMaker sets these confused-deputy keys to the job's own account and ARN when it assumes the role.
TRUST_ASSUMED = frozenset({"aws:sourceaccount", "aws:sourcearn"})
# What every call SageMaker makes with the role is known to carry.
SERVICE_CALL = {"aws:SecureTransport": "true"}


def check_volume_key_grant(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL003: the role must be allowed kms:CreateGrant on the volume key."""
    # The grant is for the instances' EBS volumes: an AWS resource.
    yield from _key_permission("GTL003", request, VOLUME_KEY, "kms:CreateGrant", {"kms:GrantIsForAWSResource": "true"})


def check_output_key_encrypt(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL004: the role must be allowed kms:Encrypt on the output key."""
    yield from _key_permission("GTL004", request, OUTPUT_KEY, "kms:Encrypt", {})


def check_key_policy(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL006: a key of the scanned code must let the role use it, directly or through the account root."""
    context = request.context or IamContext()
    for path, actions in ((VOLUME_KEY, ("kms:CreateGrant", *KEY_POLICY_ACTIONS)), (OUTPUT_KEY, KEY_POLICY_ACTIONS)):
        for key_outcome in _set_keys(request, path):
            resource = context.key_resource(key_outcome)
            if resource.key is None or resource.key.policy is None:
                continue  # a key outside the scanned code, or the default key policy, which delegates to IAM
            for role_outcome, role in _roles(request, context, key_outcome.assumptions):
                principal = role.arn if isinstance(role, Role) else term(role_outcome.node)
                label = role.name if isinstance(role, Role) else f"the execution role {principal}"
                yield from _key_policy_findings(request, key_outcome, resource, (label, principal), actions)


def check_role_usable(request: LabelingJobRequest) -> Iterator[Finding]:
    """GTL007: with automated labeling, SageMaker must assume the role and the role must pass itself."""
    context = request.context or IamContext()
    for algorithms in request.field(*ALGORITHMS):
        if algorithms.state not in (State.LITERAL, State.REFERENCE):
            continue  # no automated labeling, or GTL001 already notes that it cannot tell
        for role_outcome, role in _roles(request, context, algorithms.assumptions):
            if isinstance(role, str):
                yield _undecided("GTL007", request, role_outcome, "whether SageMaker can use the execution role", role)
                continue
            yield from _trust_findings(request, role_outcome, role)
            yield from _pass_role_findings(request, role_outcome, role)


# -- GTL003 / GTL004 -----------------------------------------------------------------------------


def _key_permission(
    rule_id: str, request: LabelingJobRequest, path: tuple[str, ...], action: str, known: dict[str, str]
) -> Iterator[Finding]:
    context = request.context or IamContext()
    for key_outcome in _set_keys(request, path):
        resource = context.key_resource(key_outcome)
        for role_outcome, role in _roles(request, context, key_outcome.assumptions):
            subject = f"whether the execution role may use {action} on {dotted(path)}"
            if isinstance(role, str):
                yield _undecided(rule_id, request, key_outcome, subject, role)
                continue
            access = Access(action, resource.arn, context={**SERVICE_CALL, **known})
            decision = evaluate(role.policies, access, role.boundary)
            assumptions = (*key_outcome.assumptions,
                           *(item for item in role_outcome.assumptions if item not in key_outcome.assumptions))
            where = f"{action} on {_key_name(resource)}{when(assumptions)}"
            arn = f"<the ARN of {resource.label}>" if resource.label else _arn_for_fix(resource.arn, request.form)
            minimal = {"Effect": "Allow", "Action": action, "Resource": arn}
            yield from _permission_findings(rule_id, request, key_outcome, role, decision, where, minimal)


def _permission_findings(
    rule_id: str, request: LabelingJobRequest, outcome: FieldValue, role: Role, decision: Decision,
    what: str, minimal: dict, where_to_add: str = "a policy",
) -> Iterator[Finding]:
    """The finding for one identity-policy decision, if it is not "allowed"."""
    fix = f"Add this statement to {where_to_add} of {role.name}{_defined_at(role.location)}: {json.dumps(minimal)}"
    if decision.by_boundary and role.boundary is not None:
        fix = f"Allow it in the permissions boundary ({role.boundary.name}) too: {json.dumps(minimal)}"
    if decision.outcome is Outcome.DENIED:
        deny = decision.statements[0]
        yield finding(rule_id, request, outcome, f"{role.name} is explicitly denied {what} by {deny.describe()}. "
                      "Remove the action from that Deny, or exclude this resource from it.")
    elif decision.outcome is Outcome.NOT_GRANTED:
        yield finding(rule_id, request, outcome, f"{role.name} is not allowed {what}: {_why_not(role, decision)}. "
                      f"{fix}")
    elif decision.outcome is Outcome.CONDITIONAL:
        yield finding(rule_id, request, outcome, f"{role.name} is allowed {what} {_conditionally(decision)}",
                      "warning")
    elif decision.outcome is Outcome.UNKNOWN:
        yield finding(rule_id, request, outcome, f"whether {role.name} is allowed {what} cannot be decided "
                      f"statically: {decision.reason}", "note")


def _conditionally(decision: Decision) -> str:
    """ "only when <allow's condition>" and/or "unless <deny's condition>", with what to check."""
    allows = [statement for statement in decision.statements if statement.effect != "Deny"]
    denies = [statement for statement in decision.statements if statement.effect == "Deny"]
    parts = []
    if allows:
        parts.append(f"only when {_conditions(allows)} ({_described(allows)}). Make sure SageMaker's request "
                     "meets it, or allow it without the condition.")
    if denies:
        parts.append(f"unless {_conditions(denies)} ({_described(denies)}). Make sure SageMaker's request never "
                     "meets it, or exclude this action from the Deny.")
    return " ".join(parts)


def _conditions(statements: list) -> str:
    return "; ".join(render_condition(statement.condition) for statement in statements)


def _described(statements: list) -> str:
    return "; ".join(statement.describe() for statement in statements)


def _why_not(role: Role, decision: Decision) -> str:
    if decision.by_boundary and role.boundary is not None:
        return f"its policies allow it, but its permissions boundary ({role.boundary.name}) does not"
    if not role.policies:
        return "it has no policies"
    return f"no statement of its policies allows it ({', '.join(policy.name for policy in role.policies)})"


def _key_name(resource: KeyResource) -> str:
    if resource.key is not None:
        return resource.key.name
    return resource.label or f"key {resource.arn}"


_TERRAFORM_SYMBOLS = {
    PARTITION: "${data.aws_partition.current.partition}", REGION: "${data.aws_region.current.name}",
    ACCOUNT: "${data.aws_caller_identity.current.account_id}",
}


def _arn_for_fix(arn: Term, form: str) -> str | dict:
    """An ARN as the fix should write it: Fn::GetAtt or Fn::Sub syntax in templates, interpolations in Terraform."""
    if arn.text is None:
        return "<the key's ARN>"
    if form in ("cloudformation", "sam") and arn.target:
        return {"Fn::GetAtt": [arn.target, "Arn"]}
    if form in ("cloudformation", "sam") and readable(arn.text) != arn.text:
        return {"Fn::Sub": readable(arn.text)}
    if form.startswith("terraform"):
        if arn.target:
            return "${" + arn.target + ".arn}"
        text = arn.text
        for symbol_text, expression in _TERRAFORM_SYMBOLS.items():
            text = text.replace(symbol_text, expression)
        return readable(text)
    return readable(arn.text)


# -- GTL006 --------------------------------------------------------------------------------------


def _key_policy_findings(
    request: LabelingJobRequest, key_outcome: FieldValue, resource: KeyResource, role: tuple[str, Term],
    actions: tuple[str, ...],
) -> Iterator[Finding]:
    label, principal = role
    key = resource.key
    if key is None or key.policy is None:
        return
    by_outcome: dict[Outcome, list[tuple[str, Decision]]] = {}
    context = {**SERVICE_CALL, **_caller_account(principal)}
    for action in actions:
        root = evaluate([key.policy], Access(action, key.arn, ("AWS", key.account_root), context))
        direct = evaluate([key.policy], Access(action, key.arn, ("AWS", principal), context))
        decision = direct if direct.outcome is Outcome.DENIED else max(root, direct, key=lambda d: d.outcome)
        by_outcome.setdefault(_severity(decision.outcome), []).append((action, decision))
    who = f"{label}{when(key_outcome.assumptions)}"
    refused = by_outcome.get(Outcome.NOT_GRANTED, [])
    if refused:
        names = ", ".join(action for action, _ in refused)
        root_statement = {"Sid": "EnableIamPolicies", "Effect": "Allow",
                          "Principal": {"AWS": _arn_for_fix(Term(key.account_root.text), request.form)},
                          "Action": "kms:*",
                          "Resource": "*"}
        yield finding("GTL006", request, key_outcome, f"the key policy of {key.name}{_defined_at(key.location)} "
                      f"lets {who} use neither "
                      f"directly nor through the account root: {names}. Add the account root statement "
                      f"{json.dumps(root_statement)} or allow the role these actions in the key policy.")
    conditional = by_outcome.get(Outcome.CONDITIONAL, [])
    if conditional:
        names = ", ".join(action for action, _ in conditional)
        conditions = "; ".join(sorted({decision.conditions for _, decision in conditional}))
        yield finding("GTL006", request, key_outcome, f"the key policy of {key.name} lets {who} use {names} only "
                      f"when {conditions}. Make sure SageMaker's requests meet it.", "warning")
    unknown = by_outcome.get(Outcome.UNKNOWN, [])
    if unknown:
        names = ", ".join(action for action, _ in unknown)
        yield finding("GTL006", request, key_outcome, f"whether the key policy of {key.name} lets {who} use {names} "
                      f"cannot be decided statically: {unknown[0][1].reason}", "note")


def _caller_account(principal: Term) -> dict[str, str]:
    """kms:CallerAccount is the role's account, which its ARN tells."""
    fields = arn_fields(principal.text or "")
    account = fields[4] if fields and len(fields) == 6 and fields[2] == "iam" else ""
    return {"kms:CallerAccount": account, "aws:PrincipalAccount": account} if account else {}


def _severity(outcome: Outcome) -> Outcome:
    return Outcome.NOT_GRANTED if outcome is Outcome.DENIED else outcome


# -- GTL007 --------------------------------------------------------------------------------------


def _trust_findings(request: LabelingJobRequest, outcome: FieldValue, role: Role) -> Iterator[Finding]:
    access = Access("sts:AssumeRole", ANY, ("Service", Term(SAGEMAKER)), SERVICE_CALL, TRUST_ASSUMED)
    decision = evaluate([role.trust], access)
    minimal = {"Effect": "Allow", "Principal": {"Service": SAGEMAKER}, "Action": "sts:AssumeRole"}
    what = f"{role.name}'s trust policy"
    if decision.outcome in (Outcome.DENIED, Outcome.NOT_GRANTED):
        yield finding("GTL007", request, outcome, f"{what} does not let {SAGEMAKER} assume it"
                      f"{when(outcome.assumptions)}, so automated labeling cannot start. Add to the trust policy: "
                      f"{json.dumps(minimal)}")
    elif decision.outcome is Outcome.CONDITIONAL:
        yield finding("GTL007", request, outcome, f"{what} lets {SAGEMAKER} assume it only when "
                      f"{decision.conditions}{when(outcome.assumptions)}. Make sure SageMaker's request meets it.",
                      "warning")
    elif decision.outcome is Outcome.UNKNOWN:
        yield finding("GTL007", request, outcome, f"whether {what} lets {SAGEMAKER} assume it cannot be decided "
                      f"statically: {decision.reason}", "note")


def _pass_role_findings(request: LabelingJobRequest, outcome: FieldValue, role: Role) -> Iterator[Finding]:
    access = Access("iam:PassRole", role.arn, context={"iam:PassedToService": SAGEMAKER, **SERVICE_CALL})
    decision = evaluate(role.policies, access, role.boundary)
    minimal = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": _arn_for_fix(role.arn, request.form),
               "Condition": {"StringEquals": {"iam:PassedToService": SAGEMAKER}}}
    what = f"iam:PassRole on itself to {SAGEMAKER}{when(outcome.assumptions)}"
    # A role's inline policy cannot refer to the role's own ARN: the statement goes in a policy attached to it.
    yield from _permission_findings("GTL007", request, outcome, role, decision, what, minimal, "a separate policy")


# -- shared --------------------------------------------------------------------------------------


def _set_keys(request: LabelingJobRequest, path: tuple[str, ...]) -> Iterator[FieldValue]:
    """The outcomes where the key is set; blank and unknown keys are GTL001's and GTL002's to report."""
    for _, key in nested_field(request, path):
        if key.state in (State.LITERAL, State.REFERENCE) and not key.is_blank:
            yield key


def _roles(
    request: LabelingJobRequest, context: IamContext, assumptions: tuple[Assumption, ...]
) -> Iterator[tuple[FieldValue, Role | str]]:
    """Each outcome of RoleArn compatible with `assumptions`, and the role it names or why it cannot be told."""
    decided = dict(assumptions)
    for outcome in request.field(*ROLE):
        if outcome.is_blank or any(decided.get(name, taken) != taken for name, taken in outcome.assumptions):
            continue  # an absent RoleArn is SageMaker's own validation error
        yield outcome, context.role_for(outcome)


def _undecided(rule_id: str, request: LabelingJobRequest, outcome: FieldValue, subject: str, reason: str) -> Finding:
    return finding(rule_id, request, outcome, f"{subject} cannot be decided statically{when(outcome.assumptions)}: "
                   f"{reason}", "note")


def _defined_at(location: Location) -> str:
    return f" (defined at {location.file}:{location.line})" if location.line else ""
