#!/usr/bin/env python3
"""A tenant of N Azure Managed Redis caches for the fleet benchmarks (`make bench-fleet`) and fixtures.

Each cache has its user-assigned identity, its vault, its key and a role assignment for the identity on the
vault, spread over subscriptions (50 caches each). Every tenth cache carries one planted defect, in turn: a
vault without purge protection, an identity not attached to the cache, the role given to another principal,
a versionless key URL. Same N, same bytes (names and GUIDs come from SHA-256 of the index).

    python3 bench/gen_fleet.py N [--format az|resource-graph] [--out FILE]

`az`: one JSON array as `az ... show` outputs concatenated (caches, vaults, `az keyvault key show`,
identities) plus the `az role assignment list` output as a nested array.
`resource-graph`: one JSON array of the `az graph query --first 1000` pages of the resources query, then the
pages of the role-assignment query, then the `az keyvault key show` outputs (keys are not in Resource Graph).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

TENANT = "72f988bf-0000-4000-8000-000000000000"
CRYPTO_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"  # Key Vault Crypto Service Encryption User
PER_SUBSCRIPTION = 50
DEFECTS = ("purge", "detached", "other-principal", "versionless")


def guid(*parts: object) -> str:
    h = hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-8{h[17:20]}-{h[20:32]}"


def hex32(*parts: object) -> str:
    return hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:32]


def defect(i: int) -> str | None:
    return DEFECTS[(i // 10) % len(DEFECTS)] if i % 10 == 9 else None


def tenant(n: int) -> dict[str, list]:
    """The resources of N caches, as `az show` prints them (camelCase, `properties`)."""
    caches, vaults, keys, identities, roles = [], [], [], [], []
    for i in range(n):
        sub = guid("subscription", i // PER_SUBSCRIPTION)
        rg = f"rg-app{i:05d}"
        base = f"/subscriptions/{sub}/resourceGroups/{rg}/providers"
        kv, key, version = f"kv-app{i:05d}", f"cmk-{i:05d}", hex32("version", i)
        uai_id = f"{base}/Microsoft.ManagedIdentity/userAssignedIdentities/id-app{i:05d}"
        principal, client = guid("principal", i), guid("client", i)
        vault_id = f"{base}/Microsoft.KeyVault/vaults/{kv}"
        bad = defect(i)
        url = f"https://{kv}.vault.azure.net/keys/{key}" + ("" if bad == "versionless" else f"/{version}")
        attached = {} if bad == "detached" else {uai_id: {"clientId": client, "principalId": principal}}
        caches.append(
            {
                "id": f"{base}/Microsoft.Cache/redisEnterprise/redis-app{i:05d}",
                "name": f"redis-app{i:05d}",
                "type": "Microsoft.Cache/redisEnterprise",
                "location": "westeurope",
                "resourceGroup": rg,
                "subscriptionId": sub,
                "sku": {"name": "Balanced_B10"},
                "identity": {"type": "UserAssigned", "userAssignedIdentities": attached},
                "properties": {
                    "encryption": {
                        "customerManagedKeyEncryption": {
                            "keyEncryptionKeyIdentity": {
                                "identityType": "userAssignedIdentity",
                                "userAssignedIdentityResourceId": uai_id,
                            },
                            "keyEncryptionKeyUrl": url,
                        }
                    },
                    "highAvailability": "Enabled",
                    "minimumTlsVersion": "1.2",
                    "provisioningState": "Succeeded",
                    "hostName": f"redis-app{i:05d}.westeurope.redis.azure.net",
                },
                "tags": {"team": f"team-{i % 37}"},
            }
        )
        vault_props: dict[str, object] = {
            "tenantId": TENANT,
            "sku": {"family": "A", "name": "standard"},
            "enableSoftDelete": True,
            "softDeleteRetentionInDays": 90,
            "enableRbacAuthorization": True,
            "accessPolicies": [],
            "networkAcls": {"bypass": "AzureServices", "defaultAction": "Deny", "ipRules": [], "virtualNetworkRules": []},
            "publicNetworkAccess": "Enabled",
            "vaultUri": f"https://{kv}.vault.azure.net/",
            "provisioningState": "Succeeded",
        }
        # `az keyvault show` prints null when purge protection was never enabled; Resource Graph leaves it out.
        vault_props["enablePurgeProtection"] = None if bad == "purge" else True
        vaults.append(
            {
                "id": vault_id,
                "name": kv,
                "type": "Microsoft.KeyVault/vaults",
                "location": "westeurope",
                "resourceGroup": rg,
                "subscriptionId": sub,
                "properties": vault_props,
                "tags": {},
            }
        )
        keys.append(
            {
                "attributes": {
                    "created": "2026-03-02T10:15:00+00:00",
                    "enabled": True,
                    "expires": "2030-03-02T10:15:00+00:00",
                    "exportable": False,
                    "notBefore": None,
                    "recoverableDays": 90,
                    "recoveryLevel": "Recoverable+Purgeable",
                    "updated": "2026-03-02T10:15:00+00:00",
                },
                "key": {
                    "e": "AQAB",
                    "keyOps": ["wrapKey", "unwrapKey"],
                    "kid": f"https://{kv}.vault.azure.net/keys/{key}/{version}",
                    "kty": "RSA",
                    "n": hex32("n", i) * 8,
                },
                "managed": None,
                "tags": None,
            }
        )
        identities.append(
            {
                "id": uai_id,
                "name": f"id-app{i:05d}",
                "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
                "location": "westeurope",
                "resourceGroup": rg,
                "subscriptionId": sub,
                "properties": {"principalId": principal, "clientId": client, "tenantId": TENANT},
                "tags": {},
            }
        )
        assignment = guid("assignment", i)
        roles.append(
            {
                "id": f"{vault_id}/providers/Microsoft.Authorization/roleAssignments/{assignment}",
                "name": assignment,
                "type": "Microsoft.Authorization/roleAssignments",
                "resourceGroup": rg,
                "subscriptionId": sub,
                "properties": {
                    "principalId": guid("someone-else", i) if bad == "other-principal" else principal,
                    "principalType": "ServicePrincipal",
                    "roleDefinitionId": f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{CRYPTO_USER}",
                    "scope": vault_id,
                    "condition": None,
                },
            }
        )
    return {"caches": caches, "vaults": vaults, "keys": keys, "identities": identities, "roles": roles}


def lower_type(row: dict) -> dict:
    """A Resource Graph row: `type` in lower case, a property never set left out."""
    props = {k: v for k, v in row.get("properties", {}).items() if not (k == "enablePurgeProtection" and v is None)}
    return {**row, "type": row["type"].lower(), "tenantId": TENANT, "properties": props}


def pages(rows: list[dict], first: int = 1000) -> list[dict]:
    """`az graph query --first 1000` output, page by page (the last page has no skip token)."""
    out = []
    for start in range(0, max(len(rows), 1), first):
        chunk = rows[start : start + first]
        more = start + first < len(rows)
        out.append(
            {
                "count": len(chunk),
                "data": chunk,
                "skip_token": hashlib.sha256(str(start).encode()).hexdigest() if more else None,
                "total_records": len(rows),
            }
        )
    return out


def document(n: int, fmt: str) -> object:
    t = tenant(n)
    if fmt == "az":
        return [*t["caches"], *t["vaults"], *t["keys"], *t["identities"], t["roles"]]
    resources = sorted(
        (lower_type(r) for r in [*t["caches"], *t["vaults"], *t["identities"]]), key=lambda r: r["id"].lower()
    )
    roles = sorted((lower_type(r) for r in t["roles"]), key=lambda r: r["id"].lower())
    return [*pages(resources), *pages(roles), *t["keys"]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("--format", choices=["az", "resource-graph"], default="az")
    ap.add_argument("--out", default="-")
    args = ap.parse_args()
    text = json.dumps(document(args.n, args.format), indent=1) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
