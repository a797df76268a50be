// ES module entry of amr-cmk-wasm for Node: the same objects as the CommonJS entry.
import api from './node.js';

export const {
  parseKeyUri,
  parseIdentityId,
  tierForSku,
  coverage,
  coverageMatrix,
  validate,
  plan,
  ruleCodes,
  rules,
  errorCodes,
  version,
  check,
  render,
  cliPlan,
  cliRun,
  AmrCmkError,
  KeyUriError,
  IdentityIdError,
  SkuError,
  InputError,
} = api;
