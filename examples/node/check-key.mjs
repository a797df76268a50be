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

// A cache with CMK through a user-assigned identity (the shape follows the ARM resource).
const config = {
  cache: {
    sku: 'Balanced_B10',
    encryption: {
      customerManagedKeyEncryption: {
        keyEncryptionKeyUrl: uri,
        keyEncryptionKeyIdentity: {
          identityType: 'userAssignedIdentity',
          userAssignedIdentityResourceId:
            '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/redis-cmk',
        },
      },
    },
  },
};

try {
  const report = validate(config);
  const findings = report.findings ?? [];
  console.log(`validate: ${report.valid === false ? 'INVALID' : 'no errors'}, ${findings.length} finding(s)`);
  for (const f of findings) console.log(`  ${f.severity} ${f.code} at ${f.path}: ${f.message}`);
} catch (err) {
  if (!(err instanceof AmrCmkError)) throw err;
  console.log(`validate refused the input: [${err.code}] ${err.message}`);
  process.exitCode = 1;
}
