"""The IAM policy evaluator: exact cases, then laws checked with hypothesis on random policy documents."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from gtlint.iam import (
    Access,
    Decision,
    Match,
    Outcome,
    Policy,
    Statement,
    Term,
    evaluate,
    match_term,
    wildcard_match,
)
from gtlint.request import ACCOUNT, PARTITION, REGION, Location, symbol
from gtlint.sources.policy_document import policy_from_plain
from hypothesis import example, given, settings
from hypothesis import strategies as st

KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/0987dcba-09fe-87dc-65ba-ab0987654321"
ROLE = "arn:aws:iam::111122223333:role/GtExecution"
SYMBOLIC_KEY = f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol('K')}"


def policy(statements: Any, name: str = "p") -> Policy:
    """A policy from a JSON-shaped document whose Statement is `statements` (one dict or a list)."""
    return policy_from_plain({"Version": "2012-10-17", "Statement": statements}, name, Location("test.json"))


def allow(action: Any = "kms:CreateGrant", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: Any = "kms:CreateGrant", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def decide(statements: Any, action: str = "kms:CreateGrant", resource: str | Term = KEY, **access: Any) -> Decision:
    """Evaluate one policy holding `statements` for `action` on `resource`."""
    term = resource if isinstance(resource, Term) else Term(resource)
    return evaluate([policy(statements)], Access(action, term, **access))


# -- actions -------------------------------------------------------------------------------------


def test_allow_everything_allows() -> None:
    decision = decide([allow("*", "*")])
    assert decision.outcome is Outcome.ALLOWED
    assert decision.statements[0].policy == "p"
    assert decision.statements[0].effect == "Allow"


def test_no_statement_is_not_granted() -> None:
    assert decide([]).outcome is Outcome.NOT_GRANTED


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        ("kms:CreateGrant", Outcome.ALLOWED),
        ("KMS:createGRANT", Outcome.ALLOWED),  # actions are case-insensitive
        ("kms:Create*", Outcome.ALLOWED),
        ("kms:*", Outcome.ALLOWED),
        ("kms:Create?rant", Outcome.ALLOWED),
        ("kms:Create?Grant", Outcome.NOT_GRANTED),  # `?` is exactly one character
        ("kms:Create", Outcome.NOT_GRANTED),  # no prefix matching without `*`
        ("kms:Encrypt", Outcome.NOT_GRANTED),
        ("s3:*", Outcome.NOT_GRANTED),
        ("kms*CreateGrant", Outcome.ALLOWED),
    ],
)
def test_action_patterns(pattern: str, outcome: Outcome) -> None:
    assert decide([allow(pattern)]).outcome is outcome


def test_arns_are_case_sensitive() -> None:
    assert decide([allow(resource=KEY.upper())]).outcome is Outcome.NOT_GRANTED
    assert decide([allow(resource=KEY.replace("key/", "KEY/"))]).outcome is Outcome.NOT_GRANTED
    assert decide([allow(resource=KEY)]).outcome is Outcome.ALLOWED


def test_not_action_that_does_not_name_kms_grants_it() -> None:
    power_user = {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}
    decision = decide([power_user])
    assert decision.outcome is Outcome.ALLOWED
    assert decision.statements[0].not_action
    assert decide([power_user], "iam:PassRole", ROLE).outcome is Outcome.NOT_GRANTED


@pytest.mark.parametrize("excluded", ["kms:*", "kms:CreateGrant", "KMS:CREATE*", ["s3:*", "kms:Create?rant"]])
def test_not_action_that_names_kms_excludes_it(excluded: Any) -> None:
    assert decide([{"Effect": "Allow", "NotAction": excluded, "Resource": "*"}]).outcome is Outcome.NOT_GRANTED


# -- resources -----------------------------------------------------------------------------------


def test_resource_on_another_key_is_not_granted() -> None:
    assert decide([allow(resource=OTHER_KEY)]).outcome is Outcome.NOT_GRANTED


def test_resource_patterns() -> None:
    assert decide([allow(resource="arn:aws:kms:*:*:key/*")]).outcome is Outcome.ALLOWED
    assert decide([allow(resource="arn:aws:kms:us-east-1:111122223333:alias/*")]).outcome is Outcome.NOT_GRANTED
    assert decide([allow(resource=[OTHER_KEY, KEY])]).outcome is Outcome.ALLOWED


def test_not_resource_excluding_the_key_is_not_granted() -> None:
    statement = {"Effect": "Allow", "Action": "kms:*", "NotResource": KEY}
    assert decide([statement]).outcome is Outcome.NOT_GRANTED


def test_not_resource_excluding_another_key_allows() -> None:
    statement = {"Effect": "Allow", "Action": "kms:*", "NotResource": [OTHER_KEY]}
    decision = decide([statement])
    assert decision.outcome is Outcome.ALLOWED
    assert decision.statements[0].not_resource


# -- deny ----------------------------------------------------------------------------------------


def test_explicit_deny_in_a_second_policy_wins() -> None:
    granting = policy([allow("kms:*")], "granting")
    denying = policy([allow("s3:*"), deny("kms:CreateGrant", KEY)], "denying")
    decision = evaluate([granting, denying], Access("kms:CreateGrant", Term(KEY)))
    assert decision.outcome is Outcome.DENIED
    assert decision.statements == (denying.statements[1],)
    assert decision.statements[0].policy == "denying"


def test_deny_on_another_action_does_not_deny() -> None:
    decision = decide([allow("kms:*"), deny("kms:Encrypt")])
    assert decision.outcome is Outcome.ALLOWED


def test_conditional_deny_with_an_allow_is_conditional() -> None:
    conditional_deny = deny(Condition={"Bool": {"aws:SecureTransport": "false"}})
    decision = decide([allow("kms:*"), conditional_deny])
    assert decision.outcome is Outcome.CONDITIONAL
    assert decision.statements[0].effect == "Deny"
    assert "aws:SecureTransport" in decision.conditions


def test_conditional_deny_without_an_allow_is_not_granted() -> None:
    assert decide([deny(Condition={"Bool": {"aws:SecureTransport": "false"}})]).outcome is Outcome.NOT_GRANTED


# -- conditions ----------------------------------------------------------------------------------

PASS_ROLE_TO_SAGEMAKER = allow(
    "iam:PassRole",
    "arn:aws:iam::*:role/*",
    Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
)


def test_allow_with_condition_on_unknown_key_is_conditional() -> None:
    decision = decide([allow(Condition={"StringEquals": {"aws:ResourceTag/Team": "labeling"}})])
    assert decision.outcome is Outcome.CONDITIONAL
    assert decision.statements[0].condition is not None
    assert "aws:ResourceTag/Team" in decision.conditions


def test_pass_role_condition_without_context_is_conditional() -> None:
    assert decide([PASS_ROLE_TO_SAGEMAKER], "iam:PassRole", ROLE).outcome is Outcome.CONDITIONAL


def test_pass_role_condition_satisfied_by_context() -> None:
    decision = decide(
        [PASS_ROLE_TO_SAGEMAKER], "iam:PassRole", ROLE, context={"iam:PassedToService": "sagemaker.amazonaws.com"}
    )
    assert decision.outcome is Outcome.ALLOWED
    assert decision.statements[0].condition is not None


def test_pass_role_condition_refuted_by_context() -> None:
    decision = decide(
        [PASS_ROLE_TO_SAGEMAKER], "iam:PassRole", ROLE, context={"iam:PassedToService": "glue.amazonaws.com"}
    )
    assert decision.outcome is Outcome.NOT_GRANTED


def test_condition_keys_are_case_insensitive() -> None:
    statement = allow("iam:PassRole", Condition={"StringEquals": {"IAM:passedToService": "sagemaker.amazonaws.com"}})
    decision = decide([statement], "iam:PassRole", ROLE, context={"iam:PassedToService": "sagemaker.amazonaws.com"})
    assert decision.outcome is Outcome.ALLOWED


def test_condition_value_list_is_any_of() -> None:
    statement = allow(
        "iam:PassRole",
        Condition={"StringEquals": {"iam:PassedToService": ["glue.amazonaws.com", "sagemaker.amazonaws.com"]}},
    )
    decision = decide([statement], "iam:PassRole", ROLE, context={"iam:PassedToService": "sagemaker.amazonaws.com"})
    assert decision.outcome is Outcome.ALLOWED


def test_condition_keys_are_all_of() -> None:
    statement = allow(
        "iam:PassRole",
        Condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com", "aws:ResourceTag/x": "y"}},
    )
    refuted = decide([statement], "iam:PassRole", ROLE, context={"iam:PassedToService": "glue.amazonaws.com"})
    assert refuted.outcome is Outcome.NOT_GRANTED
    open_ = decide([statement], "iam:PassRole", ROLE, context={"iam:PassedToService": "sagemaker.amazonaws.com"})
    assert open_.outcome is Outcome.CONDITIONAL


@pytest.mark.parametrize(
    ("operator", "value", "outcome"),
    [
        ("StringLike", "sagemaker.*", Outcome.ALLOWED),
        ("StringLike", "*.amazonaws.com", Outcome.ALLOWED),
        ("StringLike", "sagemaker.amazonaws.co?", Outcome.ALLOWED),
        ("StringLike", "glue.*", Outcome.NOT_GRANTED),
        ("StringLike", "SageMaker.*", Outcome.NOT_GRANTED),
        ("StringEquals", "sagemaker.*", Outcome.NOT_GRANTED),  # StringEquals has no wildcards
        ("StringEquals", "SageMaker.amazonaws.com", Outcome.NOT_GRANTED),
        ("StringEqualsIgnoreCase", "SageMaker.amazonaws.com", Outcome.ALLOWED),
        ("StringLikeIfExists", "sagemaker.*", Outcome.ALLOWED),
        ("ForAnyValue:StringLike", "sagemaker.*", Outcome.ALLOWED),
    ],
)
def test_string_operators(operator: str, value: str, outcome: Outcome) -> None:
    statement = allow("iam:PassRole", Condition={operator: {"iam:PassedToService": value}})
    decision = decide([statement], "iam:PassRole", ROLE, context={"iam:PassedToService": "sagemaker.amazonaws.com"})
    assert decision.outcome is outcome


def test_assumed_key_satisfies_its_condition() -> None:
    statement = allow(Condition={"StringEquals": {"aws:SourceAccount": "111122223333"}})
    assert decide([statement]).outcome is Outcome.CONDITIONAL
    assert decide([statement], assumed=frozenset({"aws:sourceaccount"})).outcome is Outcome.ALLOWED


def test_unreadable_condition_is_conditional() -> None:
    assert decide([allow(Condition="not an object")]).outcome is Outcome.CONDITIONAL


# -- permissions boundary ------------------------------------------------------------------------


def test_boundary_that_does_not_grant_limits() -> None:
    boundary = policy([allow("s3:*")], "boundary")
    decision = evaluate([policy([allow("*")])], Access("kms:CreateGrant", Term(KEY)), boundary=boundary)
    assert decision.outcome is Outcome.NOT_GRANTED
    assert decision.by_boundary


def test_boundary_that_grants_allows() -> None:
    boundary = policy([allow("kms:*")], "boundary")
    identity = policy([allow("kms:CreateGrant", KEY)], "identity")
    decision = evaluate([identity], Access("kms:CreateGrant", Term(KEY)), boundary)
    assert decision.outcome is Outcome.ALLOWED
    assert not decision.by_boundary
    assert decision.statements[0].policy == "identity"


def test_boundary_does_not_grant_what_the_policies_do_not() -> None:
    boundary = policy([allow("*")], "boundary")
    decision = evaluate([policy([allow("s3:*")])], Access("kms:CreateGrant", Term(KEY)), boundary)
    assert decision.outcome is Outcome.NOT_GRANTED
    assert not decision.by_boundary


def test_conditional_boundary_makes_it_conditional() -> None:
    boundary = policy([allow("kms:*", Condition={"StringEquals": {"aws:RequestTag/x": "y"}})], "boundary")
    decision = evaluate([policy([allow("*")])], Access("kms:CreateGrant", Term(KEY)), boundary)
    assert decision.outcome is Outcome.CONDITIONAL
    assert decision.by_boundary
    assert decision.statements[0].policy == "boundary"


# -- document shapes -----------------------------------------------------------------------------


def test_statement_as_a_single_dict_or_a_list() -> None:
    single, listed = policy(allow()), policy([allow()])
    assert len(single.statements) == len(listed.statements) == 1
    assert single.statements[0].actions == listed.statements[0].actions
    for parsed in (single, listed):
        assert evaluate([parsed], Access("kms:CreateGrant", Term(KEY))).outcome is Outcome.ALLOWED


def test_action_and_resource_as_a_string_or_a_list() -> None:
    assert policy(allow("kms:CreateGrant", KEY)).statements == policy(allow(["kms:CreateGrant"], [KEY])).statements
    assert decide([allow(["kms:Encrypt", "kms:CreateGrant"], [KEY])]).outcome is Outcome.ALLOWED
    assert decide([allow(["kms:Encrypt", "kms:Decrypt"], [KEY])]).outcome is Outcome.NOT_GRANTED


def test_document_without_statement_grants_nothing() -> None:
    parsed = policy_from_plain({"Version": "2012-10-17"}, "empty", Location("t"))
    assert evaluate([parsed], Access("kms:CreateGrant", Term(KEY))).outcome is Outcome.NOT_GRANTED


def test_unreadable_policy_without_grant_is_unknown() -> None:
    unreadable = Policy("inline policy P of role R", (), "the policy document is only known at deploy time")
    decision = evaluate([policy([allow("s3:*")]), unreadable], Access("kms:CreateGrant", Term(KEY)))
    assert decision.outcome is Outcome.UNKNOWN
    assert "only known at deploy time" in decision.reason


def test_unreadable_policy_does_not_hide_a_grant_or_a_deny() -> None:
    unreadable = Policy("u", (), "unreadable")
    access = Access("kms:CreateGrant", Term(KEY))
    assert evaluate([policy([allow()]), unreadable], access).outcome is Outcome.ALLOWED
    assert evaluate([policy([allow(), deny()]), unreadable], access).outcome is Outcome.DENIED


def test_policy_document_not_an_object_is_unknown() -> None:
    parsed = policy_from_plain(["not", "a", "policy"], "p", Location("t"))
    assert parsed.unknown
    assert evaluate([parsed], Access("kms:CreateGrant", Term(KEY))).outcome is Outcome.UNKNOWN


@pytest.mark.parametrize("effect", ["Permit", "allow", 1, None])
def test_unreadable_effect_is_unknown(effect: Any) -> None:
    decision = decide([{"Effect": effect, "Action": "kms:*", "Resource": "*"}])
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.statements[0].effect == ""
    assert decision.reason


def test_unreadable_effect_that_does_not_apply_is_ignored() -> None:
    assert decide([{"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]).outcome is Outcome.NOT_GRANTED
    assert decide([allow(), {"Effect": "Permit", "Action": "s3:*", "Resource": "*"}]).outcome is Outcome.ALLOWED


def test_statement_not_an_object_is_unknown() -> None:
    assert decide(["not a statement"]).outcome is Outcome.UNKNOWN


# -- symbolic terms ------------------------------------------------------------------------------

SYMBOLIC = Term(SYMBOLIC_KEY, "K")


def test_symbolic_key_against_a_wildcard_arn_with_literal_partition() -> None:
    # A literal partition stands for the partition the policy is deployed in.
    assert decide([allow(resource="arn:aws:kms:*:*:key/*")], resource=SYMBOLIC).outcome is Outcome.ALLOWED


def test_symbolic_key_against_another_partition_literal() -> None:
    assert decide([allow(resource="arn:aws-us-gov:kms:*:*:key/*")], resource=SYMBOLIC).outcome is Outcome.ALLOWED


def test_symbolic_key_against_a_literal_account_is_unknown() -> None:
    decision = decide([allow(resource="arn:aws:kms:us-east-1:111122223333:key/*")], resource=SYMBOLIC)
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.reason


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        (f"arn:{PARTITION}:kms:*:*:key/*", Outcome.ALLOWED),
        (f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/*", Outcome.ALLOWED),  # !Sub in the same template
        (f"arn:{PARTITION}:kms:*:111122223333:key/*", Outcome.UNKNOWN),
        (f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:alias/*", Outcome.NOT_GRANTED),
        (f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol('K')}", Outcome.ALLOWED),  # same text, no target
    ],
)
def test_symbolic_pattern_against_a_symbolic_key(pattern: str, outcome: Outcome) -> None:
    # The symbol's name holds colons (AWS::Partition): the partition must still be read as one part.
    assert decide([allow(resource=pattern)], resource=SYMBOLIC).outcome is outcome


@pytest.mark.parametrize(
    ("pattern", "outcome"),
    [
        (f"arn:{PARTITION}:kms:*:*:key/*", Outcome.ALLOWED),
        (f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/*", Outcome.UNKNOWN),
        (f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:alias/*", Outcome.NOT_GRANTED),
    ],
)
def test_symbolic_pattern_against_a_literal_key(pattern: str, outcome: Outcome) -> None:
    assert decide([allow(resource=pattern)], resource=KEY).outcome is outcome


def test_symbolic_key_against_another_service_is_not_granted() -> None:
    assert decide([allow(resource="arn:aws:s3:::*")], resource=SYMBOLIC).outcome is Outcome.NOT_GRANTED


def _statement_on(resource: Term) -> Statement:
    return Statement("Allow", (Term("kms:CreateGrant"),), (resource,), policy="symbolic")


def test_symbolic_pattern_for_the_same_target_allows() -> None:
    same = Term(SYMBOLIC_KEY, "K")
    decision = evaluate([Policy("symbolic", (_statement_on(same),))], Access("kms:CreateGrant", SYMBOLIC))
    assert decision.outcome is Outcome.ALLOWED
    assert decision.statements[0].policy == "symbolic"


def test_symbolic_pattern_for_another_target_is_not_granted() -> None:
    other = Term(f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol('K2')}", "K2")
    decision = evaluate([Policy("symbolic", (_statement_on(other),))], Access("kms:CreateGrant", SYMBOLIC))
    assert decision.outcome is Outcome.NOT_GRANTED


def test_unknown_resource_against_star_allows() -> None:
    assert decide([allow(resource="*")], resource=Term(None)).outcome is Outcome.ALLOWED


def test_unknown_resource_against_a_key_is_unknown() -> None:
    decision = decide([allow(resource=KEY)], resource=Term(None))
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.statements[0].policy == "p"


def test_maybe_deny_with_an_allow_is_unknown() -> None:
    decision = decide([allow("kms:*"), deny(resource=KEY)], resource=SYMBOLIC)
    assert decision.outcome is Outcome.UNKNOWN
    assert decision.statements[0].effect == "Deny"


def test_conditional_deny_does_not_hide_a_maybe_deny() -> None:
    statements = [allow("kms:*"), deny(resource=KEY), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})]
    assert decide(statements, resource=SYMBOLIC).outcome is Outcome.UNKNOWN


# -- principals (trust policies) -----------------------------------------------------------------

SAGEMAKER = ("Service", Term("sagemaker.amazonaws.com"))


def trust(principal: Any, **extra: Any) -> Policy:
    return policy([{"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}], "trust")


def assume(trust_policy: Policy, principal: tuple[str, Term] = SAGEMAKER, **access: Any) -> Outcome:
    return evaluate([trust_policy], Access("sts:AssumeRole", principal=principal, **access)).outcome


def test_trust_policy_for_the_service_allows() -> None:
    assert assume(trust({"Service": "sagemaker.amazonaws.com"})) is Outcome.ALLOWED


def test_trust_policy_for_another_service_is_not_granted() -> None:
    assert assume(trust({"Service": ["lambda.amazonaws.com"]})) is Outcome.NOT_GRANTED


def test_trust_policy_for_everyone_allows() -> None:
    assert assume(trust("*")) is Outcome.ALLOWED


def test_trust_policy_service_list_and_case() -> None:
    assert assume(trust({"Service": ["lambda.amazonaws.com", "SageMaker.amazonaws.com"]})) is Outcome.ALLOWED


def test_trust_policy_for_an_account_is_not_the_service() -> None:
    assert assume(trust({"AWS": "arn:aws:iam::111122223333:root"})) is Outcome.NOT_GRANTED


def test_trust_policy_for_another_action_is_not_granted() -> None:
    principal = {"Service": "sagemaker.amazonaws.com"}
    assert evaluate([trust(principal)], Access("sts:TagSession", principal=SAGEMAKER)).outcome is Outcome.NOT_GRANTED


def test_trust_policy_source_account_condition_taken_as_satisfied() -> None:
    conditioned = trust({"Service": "sagemaker.amazonaws.com"},
                        Condition={"StringEquals": {"aws:SourceAccount": "111122223333"}})
    assert assume(conditioned) is Outcome.CONDITIONAL
    assert assume(conditioned, assumed=frozenset({"aws:sourceaccount"})) is Outcome.ALLOWED


def test_assumed_key_does_not_make_a_negated_deny_certain() -> None:
    # The key is assumed set to the caller's own account: a Deny for every *other* account does not apply to it.
    sagemaker = {"Service": "sagemaker.amazonaws.com"}
    guarded = policy(
        [
            {"Effect": "Allow", "Principal": sagemaker, "Action": "sts:AssumeRole"},
            {
                "Effect": "Deny", "Principal": sagemaker, "Action": "sts:AssumeRole",
                "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}},
            },
        ],
        "trust",
    )
    outcome = assume(guarded, assumed=frozenset({"aws:sourceaccount", "aws:sourcearn"}))
    assert outcome in (Outcome.ALLOWED, Outcome.CONDITIONAL)


# -- matching primitives -------------------------------------------------------------------------


def test_match_term_is_three_valued() -> None:
    assert match_term(Term("arn:aws:kms:*:*:key/*"), Term(KEY)) is Match.YES
    assert match_term(Term("arn:aws:kms:*:*:alias/*"), Term(KEY)) is Match.NO
    assert match_term(Term(KEY), Term(SYMBOLIC_KEY)) is Match.MAYBE
    assert match_term(Term(KEY), Term(None)) is Match.MAYBE
    assert match_term(Term(None), Term(KEY)) is Match.MAYBE
    assert match_term(Term("*"), Term(None)) is Match.YES


# == properties ==================================================================================

ACTION_PATTERNS = [
    "kms:*", "kms:Create*", "kms:?ncrypt", "*", "iam:PassRole", "s3:*", "kms:CreateGrant", "KMS:encrypt",
    "kms:Decrypt", "iam:*", "kms:*Data*",
]
ACTIONS = ["kms:CreateGrant", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "iam:PassRole", "s3:GetObject"]
RESOURCE_PATTERNS = [
    KEY, OTHER_KEY, ROLE, "*", "arn:aws:kms:*:*:key/*", "arn:aws:kms:us-east-1:111122223333:key/*",
    "arn:aws:kms:*:*:alias/*", "arn:aws:iam::*:role/*", "arn:aws:kms:us-east-?:111122223333:key/*",
]
RESOURCES = [KEY, OTHER_KEY, ROLE, "arn:aws:s3:::bucket/object", "arn:aws:kms:us-east-1:111122223333:alias/gt"]
CONDITIONS = [
    {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}},
    {"StringEquals": {"iam:PassedToService": ["glue.amazonaws.com", "sagemaker.amazonaws.com"]}},
    {"StringLike": {"iam:PassedToService": "*.amazonaws.com"}},
    {"StringLike": {"iam:PassedToService": "glue*"}},
    {"StringEqualsIgnoreCase": {"iam:PassedToService": "SageMaker.amazonaws.com"}},
    {"StringEquals": {"aws:SourceAccount": "111122223333"}},
    {"Bool": {"aws:SecureTransport": "false"}},
    {"StringEquals": {"aws:ResourceTag/Team": "labeling", "iam:PassedToService": "sagemaker.amazonaws.com"}},
]
CONTEXTS: list[dict[str, str]] = [
    {}, {"iam:PassedToService": "sagemaker.amazonaws.com"}, {"iam:PassedToService": "glue.amazonaws.com"},
]


def one_or_many(values: list[str]) -> st.SearchStrategy[Any]:
    """A string-or-list element, as IAM allows."""
    return st.one_of(st.sampled_from(values), st.lists(st.sampled_from(values), min_size=1, max_size=3))


# Patterns as a template writes them with !Sub: deploy-time parts stand as symbols.
SYMBOLIC_PATTERNS = [
    *RESOURCE_PATTERNS,
    f"arn:{PARTITION}:kms:*:*:key/*",
    f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/*",
    f"arn:{PARTITION}:kms:{REGION}:{ACCOUNT}:key/{symbol('K')}",
    f"arn:{PARTITION}:iam::{ACCOUNT}:role/*",
]


@st.composite
def statements(draw: st.DrawFn, effect: str | None = None, resources: list[str] = RESOURCE_PATTERNS) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    statement["NotAction" if draw(st.booleans()) else "Action"] = draw(one_or_many(ACTION_PATTERNS))
    statement["NotResource" if draw(st.booleans()) else "Resource"] = draw(one_or_many(resources))
    condition = draw(st.none() | st.sampled_from(CONDITIONS))
    if condition is not None:
        statement["Condition"] = condition
    return statement


@st.composite
def documents(draw: st.DrawFn, resources: list[str] = RESOURCE_PATTERNS) -> dict[str, Any]:
    listed = st.lists(statements(resources=resources), max_size=4)
    return {"Version": "2012-10-17", "Statement": draw(st.one_of(statements(resources=resources), listed))}


def parse(document: dict[str, Any], name: str) -> Policy:
    return policy_from_plain(document, name, Location(f"{name}.json"))


@st.composite
def policy_sets(draw: st.DrawFn, resources: list[str] = RESOURCE_PATTERNS) -> list[Policy]:
    """One to three policies; now and then one whose document cannot be read."""
    drawn = draw(st.lists(documents(resources), min_size=1, max_size=3))
    parsed = [parse(document, f"p{index}") for index, document in enumerate(drawn)]
    if draw(st.integers(0, 9)) == 0:
        parsed.append(Policy("unreadable", (), "the policy document is only known at deploy time"))
    return parsed


@st.composite
def accesses(draw: st.DrawFn, resources: st.SearchStrategy[Term] | None = None) -> Access:
    resource = draw(resources if resources is not None else st.sampled_from(RESOURCES).map(Term))
    assumed = draw(st.sampled_from([frozenset(), frozenset({"aws:sourceaccount"})]))
    return Access(draw(st.sampled_from(ACTIONS)), resource, context=draw(st.sampled_from(CONTEXTS)), assumed=assumed)


# Resources that are not plain strings: an ARN with deploy-time parts, and nothing known at all.
SYMBOLIC_RESOURCES = st.one_of(
    st.sampled_from(RESOURCES).map(Term),
    st.just(Term(SYMBOLIC_KEY, "K")),
    st.just(Term(f"arn:{PARTITION}:iam::{ACCOUNT}:role/{symbol('R')}", "R")),
    st.just(Term(None)),
)

SYMBOLIC_POLICIES = policy_sets(SYMBOLIC_PATTERNS)

PROPERTY = settings(max_examples=500, deadline=None)


@PROPERTY
@given(policy_sets(), accesses())
def test_law_deny_always_wins(policies: list[Policy], access: Access) -> None:
    denial = parse({"Statement": {"Effect": "Deny", "Action": access.action, "Resource": "*"}}, "denial")
    decision = evaluate([*policies, denial], access)
    assert decision.outcome is Outcome.DENIED
    assert denial.statements[0] in decision.statements


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES), SYMBOLIC_POLICIES)
def test_law_deny_always_wins_with_symbols_and_boundary(
    policies: list[Policy], access: Access, boundary: list[Policy]
) -> None:
    denial = parse({"Statement": {"Effect": "Deny", "Action": access.action, "Resource": "*"}}, "denial")
    assert evaluate([*policies, denial], access, boundary[0]).outcome is Outcome.DENIED


def _with_statement(policies: list[Policy], statement: dict[str, Any], position: int) -> list[Policy]:
    """`policies` with one more policy holding `statement`, at `position`."""
    added = parse({"Statement": [statement]}, "added")
    return [*policies[:position], added, *policies[position:]]


@PROPERTY
@given(policy_sets(), accesses(), statements("Allow"), st.integers(0, 3))
def test_law_an_allow_never_lowers_the_outcome(
    policies: list[Policy], access: Access, statement: dict[str, Any], position: int
) -> None:
    before = evaluate(policies, access).outcome
    assert evaluate(_with_statement(policies, statement, position), access).outcome >= before


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES), statements("Allow", SYMBOLIC_PATTERNS), st.integers(0, 3))
def test_law_an_allow_never_lowers_the_outcome_with_symbols(
    policies: list[Policy], access: Access, statement: dict[str, Any], position: int
) -> None:
    before = evaluate(policies, access).outcome
    assert evaluate(_with_statement(policies, statement, position), access).outcome >= before


@PROPERTY
@given(policy_sets(), accesses(), statements("Deny"), st.integers(0, 3))
def test_law_a_deny_never_raises_the_outcome(
    policies: list[Policy], access: Access, statement: dict[str, Any], position: int
) -> None:
    before = evaluate(policies, access).outcome
    assert evaluate(_with_statement(policies, statement, position), access).outcome <= before


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES), statements("Deny", SYMBOLIC_PATTERNS), st.integers(0, 3))
@example(
    policies=[parse({"Statement": [allow("kms:*"), deny("kms:*", KEY)]}, "p0")],
    access=Access("kms:CreateGrant", Term(SYMBOLIC_KEY, "K")),
    statement=deny("kms:*", Condition={"Bool": {"aws:SecureTransport": "false"}}),
    position=1,
)
def test_law_a_deny_never_raises_the_outcome_with_symbols(
    policies: list[Policy], access: Access, statement: dict[str, Any], position: int
) -> None:
    before = evaluate(policies, access).outcome
    assert evaluate(_with_statement(policies, statement, position), access).outcome <= before


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES), documents(SYMBOLIC_PATTERNS))
def test_law_a_boundary_never_adds_access(policies: list[Policy], access: Access, boundary: dict[str, Any]) -> None:
    limited = evaluate(policies, access, boundary=parse(boundary, "boundary"))
    unlimited = evaluate(policies, access)
    assert limited.outcome <= unlimited.outcome
    if limited.by_boundary:
        assert limited.outcome < unlimited.outcome


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES))
def test_law_a_boundary_granting_everything_changes_nothing(policies: list[Policy], access: Access) -> None:
    assert evaluate(policies, access, boundary=parse({"Statement": allow("*")}, "b")) == evaluate(policies, access)


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES))
def test_law_statement_order_does_not_matter(policies: list[Policy], access: Access) -> None:
    flat = [statement for parsed in policies for statement in parsed.statements]
    reordered = [Policy("all", tuple(reversed(flat)), next((p.unknown for p in policies if p.unknown), ""))]
    assert evaluate(reordered, access).outcome is evaluate(policies, access).outcome


@PROPERTY
@given(SYMBOLIC_POLICIES, accesses(SYMBOLIC_RESOURCES), st.none() | documents(SYMBOLIC_PATTERNS))
def test_law_evaluate_is_deterministic(policies: list[Policy], access: Access, boundary: dict[str, Any] | None) -> None:
    limit = None if boundary is None else parse(boundary, "boundary")
    assert evaluate(policies, access, limit) == evaluate(policies, access, limit)
    assert evaluate(policies, access, limit) == evaluate(list(policies), access, limit)


# -- wildcard matching against a reference -------------------------------------------------------


def reference_match(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """`*` matches any run of characters (also none), `?` exactly one; every other character itself."""
    if ignore_case:
        pattern, value = pattern.lower(), value.lower()

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(pattern):
            return j == len(value)
        if pattern[i] == "*":
            return match(i + 1, j) or (j < len(value) and match(i, j + 1))
        if j == len(value):
            return False
        return (pattern[i] == "?" or pattern[i] == value[j]) and match(i + 1, j + 1)

    return match(0, 0)


def test_reference_matcher() -> None:
    assert reference_match("a*b", "ab")
    assert reference_match("a*b", "a::b")
    assert reference_match("?", "a")
    assert not reference_match("?", "")
    assert not reference_match("a?", "a")
    assert reference_match("**", "")
    assert not reference_match("a", "A")
    assert reference_match("a", "A", ignore_case=True)


PATTERN_TEXT = st.text(alphabet="ab*?:/", max_size=10)
VALUE_TEXT = st.text(alphabet="ab:/", max_size=10)


@PROPERTY
@given(PATTERN_TEXT, VALUE_TEXT)
def test_law_wildcard_match_agrees_with_reference(pattern: str, value: str) -> None:
    assert wildcard_match(pattern, value) == reference_match(pattern, value)


@PROPERTY
@given(st.text(alphabet="aAbB*?:/", max_size=10), st.text(alphabet="aAbB:/", max_size=10))
def test_law_wildcard_match_ignoring_case_agrees_with_reference(pattern: str, value: str) -> None:
    assert wildcard_match(pattern, value, ignore_case=True) == reference_match(pattern, value, ignore_case=True)
    assert wildcard_match(pattern, value) == reference_match(pattern, value)


@PROPERTY
@given(PATTERN_TEXT, VALUE_TEXT)
def test_law_wildcard_match_of_a_value_against_itself(pattern: str, value: str) -> None:
    assert wildcard_match(value, value)
    assert wildcard_match(pattern + "*", value) == any(
        reference_match(pattern, value[:end]) for end in range(len(value) + 1)
    )


@PROPERTY
@given(PATTERN_TEXT, VALUE_TEXT, st.booleans())
def test_law_match_term_on_literals_agrees_with_reference(pattern: str, value: str, ignore_case: bool) -> None:
    expected = Match.YES if reference_match(pattern, value, ignore_case) else Match.NO
    assert match_term(Term(pattern), Term(value), ignore_case) is expected


ARN_PIECES = ["arn:", "aws:", "aws-cn:", "kms:", "a", "b", ":", "/", "*", "?"]


@PROPERTY
@given(
    st.lists(st.sampled_from(ARN_PIECES), max_size=6).map("".join),
    st.lists(st.sampled_from([piece for piece in ARN_PIECES if piece not in ("*", "?")]), max_size=6).map("".join),
)
def test_law_match_term_on_literal_arns_agrees_with_reference(pattern: str, value: str) -> None:
    expected = Match.YES if reference_match(pattern, value) else Match.NO
    assert match_term(Term(pattern), Term(value)) is expected
