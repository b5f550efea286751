"""gtlint's cfn-lint rules, loadable as a module: `cfn-lint --append-rules=gtlint.plugins.cfn_lint`.

cfn-lint instantiates the rule classes in this namespace (its own module-mode rule).
"""

from gtlint.plugins.cfn_lint.gtlint_rules import (
    KeyIdentifierConditional,
    KeyIdentifierForm,
    KeyIdentifierUndecided,
    KeyPolicyAllowsRole,
    KeyPolicyUndecided,
    OutputKeyEncrypt,
    OutputKeyEncryptConditional,
    OutputKeyEncryptUndecided,
    OutputKeySet,
    OutputKeyUndecided,
    RoleUsableBySageMaker,
    RoleUsableUndecided,
    VolumeKeyConditional,
    VolumeKeyGrant,
    VolumeKeyGrantConditional,
    VolumeKeyGrantUndecided,
    VolumeKeySet,
    VolumeKeyUndecided,
)

__all__ = [
    "KeyIdentifierConditional",
    "KeyIdentifierForm",
    "KeyIdentifierUndecided",
    "KeyPolicyAllowsRole",
    "KeyPolicyUndecided",
    "OutputKeyEncrypt",
    "OutputKeyEncryptConditional",
    "OutputKeyEncryptUndecided",
    "OutputKeySet",
    "OutputKeyUndecided",
    "RoleUsableBySageMaker",
    "RoleUsableUndecided",
    "VolumeKeyConditional",
    "VolumeKeyGrant",
    "VolumeKeyGrantConditional",
    "VolumeKeyGrantUndecided",
    "VolumeKeySet",
    "VolumeKeyUndecided",
]
