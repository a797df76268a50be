#!/usr/bin/env node
// Checks a Key Vault key URI and a CMK configuration with amr-cmk.
//
//   node examples/node/check-key.mjs [KEY_URI]
//
// `make test-js` runs it (it links node_modules/amr-cmk to bindings-js). AMR_CMK_PACKAGE=amr-cmk-wasm runs
// the same code on the WebAssembly build.
const { parseKeyUri, validate, AmrCmkError } = await import(process.env.AMR_CMK_PACKAGE ?? 'amr-cmk');

const uri =
  process.argv[2] ?? 'https://Contoso-Vault.vault.azure.net/keys/redis-cmk/0123456789ABCDEF0123456789abcdef';

try {
  const key = parseKeyUri(uri);
  console.log(`key ${key.keyName} in ${key.vaultKind} ${key.vaultName} (${key.cloud} cloud)`);
  console.log(`  canonical URI: ${key.uri}`);
  console.log(`  version: ${key.version ?? '(none: Azure Managed Redis needs a versioned key URI)'}`);
} catch (err) {
  if (!(err instanceof AmrCmkError)) throw err;
  console.log(`not a usable key URI: [${err.code}] ${err.message}`);
  process.exitCode = 1;
}

// A new Balanced cache encrypted with that key through a user-assigned identity, and the vault it lives in
// (the same shapes as the ARM resources). The vault lacks purge protection: expect a finding about it.
const identityId =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-redis/providers/Microsoft.ManagedIdentity/userAssignedIdentities/cmk-id';
const config = {
  cache: {
    name: 'cache-prod',
    sku: 'Balanced_B10',
    location: 'eastus',
    existing: false,
    identity: { type: 'UserAssigned', userAssignedIdentities: { [identityId]: {} } },
  },
  encryption: {
    customerManagedKeyEncryption: {
      keyEncryptionKeyUrl: uri,
      keyEncryptionKeyIdentity: {
        identityType: 'userAssignedIdentity',
        userAssignedIdentityResourceId: identityId,
      },
    },
  },
  vault: {
    name: 'contoso-vault',
    location: 'eastus',
    enableSoftDelete: true,
    enablePurgeProtection: false,
    enableRbacAuthorization: true,
  },
};

try {
  const report = validate(config);
  const findings = report.findings ?? [];
  const { errors, warnings, inconclusive } = report.summary;
  console.log(`validate: ${report.valid ? 'valid' : 'INVALID'} (${errors} errors, ${warnings} warnings, ${inconclusive} checks to confirm by hand)`);
  for (const f of report.findings) {
    console.log(`  ${f.severity} ${f.code} at ${f.path}: ${f.message}`);
    if (f.severity !== 'info') console.log(`    fix: ${f.remediation}`);
  }
} catch (err) {
  if (!(err instanceof AmrCmkError)) throw err;
  console.log(`validate refused the input: [${err.code}] ${err.message}`);
  process.exitCode = 1;
}
