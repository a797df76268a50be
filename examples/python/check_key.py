"""Parse a Key Vault key URI, then validate a small CMK setup for Azure Managed Redis and print the findings.

Run it after `make build-py`:  .venv/bin/python examples/python/check_key.py
"""

from __future__ import annotations

import amr_cmk

KEY_URI = "https://contoso-kv.vault.azure.net/keys/redis-cmk/0123456789abcdef0123456789abcdef"
IDENTITY = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-redis"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/redis-cmk-identity"
)


def main() -> None:
    key = amr_cmk.parse_key_uri(KEY_URI)
    print(f"key {key.key_name!r} in vault {key.vault_name!r} ({key.cloud} cloud), version {key.version}")

    try:
        amr_cmk.parse_key_uri("http://contoso-kv.vault.azure.net:443/keys/redis-cmk")
    except amr_cmk.KeyUriError as error:  # a ValueError with a stable code
        print(f"rejected: {error.code}: {error} {error.params}")

    report = amr_cmk.validate(
        {
            "cache": {"name": "cache1", "location": "eastus", "sku": "Balanced_B10"},
            "encryption": {
                "customerManagedKeyEncryption": {
                    "keyEncryptionKeyUrl": KEY_URI,
                    "keyEncryptionKeyIdentity": {
                        "identityType": "userAssignedIdentity",
                        "userAssignedIdentityResourceId": IDENTITY,
                    },
                }
            },
            "vault": {"name": "contoso-kv", "location": "westus", "enablePurgeProtection": False},
        }
    )
    print(f"valid: {report['valid']}; summary: {report['summary']}")
    for finding in report["findings"]:
        print(f"- [{finding['severity']}] {finding['code']}: {finding['message']}")
        print(f"    fix: {finding['remediation']}")
        print(f"    see: {finding['docUrl']}")  # the result is typed (amr_cmk.Finding): mypy checks the key


if __name__ == "__main__":
    main()
