// ES module entry of amr-cmk: the same objects as the CommonJS entry (one copy of the error classes).
import api from './index.js';

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
