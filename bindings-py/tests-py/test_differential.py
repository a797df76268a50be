"""Differential test against the Azure SDK's own parser (PyPI azure-keyvault-keys, a dev dependency).

For every ID in tests/differential/ids.json:
- our verdict is the one recorded (`ours`: null = accepted, else our error code);
- an ID we accept is accepted by KeyVaultKeyIdentifier with the same vault URL, key name and version
  (versions and hosts compare case-insensitively: Key Vault identifiers are case-insensitive; we return them
  lower-case);
- an ID we reject that the SDK accepts is recorded with `pythonAccepts: true` and a `why` (the README's security
  table), so a new class of accepted spoof can't slip in unrecorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import amr_cmk

from azure.keyvault.keys import KeyVaultKeyIdentifier

ROOT = Path(__file__).resolve().parents[2]
DOC = json.loads((ROOT / "tests" / "differential" / "ids.json").read_text(encoding="utf-8"))
ENTRIES: list[dict[str, Any]] = DOC["ids"]


def test_list_is_large_enough() -> None:
    assert len(ENTRIES) >= 150


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{i:03d}" for i in range(len(ENTRIES))])
def test_against_azure_sdk(entry: dict[str, Any]) -> None:
    uri = entry["id"]
    try:
        ours = amr_cmk.parse_key_uri(uri)
        our_code = None
    except amr_cmk.KeyUriError as e:
        ours = None
        our_code = e.code
    assert our_code == entry["ours"]

    try:
        peer = KeyVaultKeyIdentifier(uri)
        peer_accepts = True
    except ValueError:
        peer = None
        peer_accepts = False
    assert peer_accepts == entry["pythonAccepts"], "the SDK's verdict changed: update the list and README"

    if ours is not None:
        assert peer is not None, "we accept an ID the SDK rejects"
        assert peer.vault_url.rstrip("/").lower() == ours.vault_url
        assert peer.name == ours.key_name
        assert (peer.version or "").lower() == (ours.version or "")
    elif peer_accepts:
        assert entry.get("why"), "an ID the SDK accepts and we reject needs a recorded reason"


def test_readme_security_table_lists_every_class() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    classes = {e["ours"] for e in ENTRIES if e["ours"] and (e["pythonAccepts"] or e["nodeAccepts"])}
    missing = [c for c in sorted(classes) if f"`{c}`" not in readme.split("## Security table", 1)[-1]]
    assert not missing, f"README security table lacks {missing}"
