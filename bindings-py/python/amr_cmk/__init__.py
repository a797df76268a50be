"""Checks customer-managed-key (CMK) encryption setups for Azure Managed Redis.

Every rule lives in the Rust core; this package converts Python values to JSON and back, and core errors
to exceptions. Each function returns exactly the core's JSON value (camelCase keys), except
:func:`parse_key_uri`, which returns a :class:`KeyId` (``.to_dict()`` gives the JSON value). The dicts are
typed: :class:`ValidationReport`, :class:`Finding`, :class:`Plan`, :class:`CheckResult`... (``TypedDict``s,
defined in ``amr_cmk/_types.py`` and exported here), checked against every conformance vector by the tests.

Errors are :class:`AmrCmkError` (a ``ValueError``) subclasses carrying ``.code``, ``.kind``, ``.params``
and ``.message``: :class:`KeyUriError`, :class:`IdentityIdError`, :class:`SkuError`, :class:`InputError`.

Every function that takes an argument has a non-throwing variant named ``try_`` + its name
(:func:`try_parse_key_uri`, :func:`try_validate`...; the core's ``safeParseKeyUri``...): it returns what the
function returns, or the :class:`AmrCmkError` it would raise (returned, not raised; ``.to_dict()`` gives the
error object of the other bindings' ``safe`` functions).
"""

from __future__ import annotations

import json
from typing import Any, Callable, ParamSpec, TypeVar

from . import _native
from ._native import KeyId, parse_key_uri
from ._types import (
    Check,
    CheckResult,
    CliAction,
    CliBackup,
    CliOutput,
    CliPlan,
    CliProgress,
    CliWrite,
    Cloud,
    ColorMode,
    Command,
    Coverage,
    DiskCoverage,
    ErrorDict,
    FailOn,
    FileInfo,
    Finding,
    Fix,
    IdentityId,
    InputFormat,
    KeyIdDict,
    KeySource,
    KeyType,
    Limits,
    Outcome,
    PatchOp,
    PatchOperation,
    Plan,
    PlanStep,
    RenderFormat,
    ResourceInfo,
    ResourceReport,
    Rule,
    Severity,
    SkuInfo,
    StepId,
    StepStatus,
    Summary,
    TerraformChange,
    Tier,
    ValidationReport,
    VaultKind,
)

# Checked by tests-py/test_api.py: the core's functions (``_native.FUNCTIONS``), the extras, the types.
__all__ = [
    # Python only: the error classes, the KeyId class, the version attribute.
    "AmrCmkError",
    "IdentityIdError",
    "InputError",
    "KeyId",
    "KeyUriError",
    "SkuError",
    "__version__",
    # The core's functions, in snake_case.
    "check",
    "cli_plan",
    "cli_run",
    "coverage",
    "coverage_matrix",
    "error_codes",
    "parse_identity_id",
    "parse_key_uri",
    "plan",
    "render",
    "rule_codes",
    "rules",
    "tier_for_sku",
    "validate",
    "version",
    # Their non-throwing variants (``_native.SAFE_FUNCTIONS``): ``try_`` + the name.
    "try_check",
    "try_cli_plan",
    "try_cli_run",
    "try_coverage",
    "try_parse_identity_id",
    "try_parse_key_uri",
    "try_plan",
    "try_render",
    "try_tier_for_sku",
    "try_validate",
    # The result types (``_types.__all__``).
    "Check",
    "CheckResult",
    "CliAction",
    "CliBackup",
    "CliOutput",
    "CliPlan",
    "CliProgress",
    "CliWrite",
    "Cloud",
    "ColorMode",
    "Command",
    "Coverage",
    "DiskCoverage",
    "ErrorDict",
    "FailOn",
    "FileInfo",
    "Finding",
    "Fix",
    "IdentityId",
    "InputFormat",
    "KeyIdDict",
    "KeySource",
    "KeyType",
    "Limits",
    "Outcome",
    "PatchOp",
    "PatchOperation",
    "Plan",
    "PlanStep",
    "RenderFormat",
    "ResourceInfo",
    "ResourceReport",
    "Rule",
    "Severity",
    "SkuInfo",
    "StepId",
    "StepStatus",
    "Summary",
    "TerraformChange",
    "Tier",
    "ValidationReport",
    "VaultKind",
]

__version__: str = _native.__version__


class AmrCmkError(ValueError):
    """An error of the amr-cmk API, with a stable ``code`` such as ``key_uri.port``.

    ``kind`` is the error family (``keyUri``, ``identityId``, ``sku``, ``input``), ``message`` the
    English text (also ``str(error)``) and ``params`` the values the message was built from.
    """

    kind: str
    code: str
    message: str
    params: dict[str, Any]

    def __init__(
        self, kind: str, code: str, message: str, params: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message
        self.params = {} if params is None else params

    def __reduce__(self) -> Any:
        return (type(self), (self.kind, self.code, self.message, self.params))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def to_dict(self) -> ErrorDict:
        """The error object, as the core and the other bindings give it: ``{"code", "kind", "message",
        "params"}`` (the ``error`` of a failed JS ``safeParseKeyUri``...)."""
        return {"code": self.code, "kind": self.kind, "message": self.message, "params": self.params}


class KeyUriError(AmrCmkError):
    """The value is not a usable Key Vault or Managed HSM key identifier (codes ``key_uri.*``)."""


class IdentityIdError(AmrCmkError):
    """The value is not a user-assigned managed identity resource ID (codes ``identity_id.*``)."""


class SkuError(AmrCmkError):
    """The value is not an Azure Managed Redis SKU or tier (codes ``sku.*``)."""


class InputError(AmrCmkError):
    """The input itself is unusable: wrong type, not JSON, too large, too deep... (codes ``input.*``)."""


_CLASS_BY_KIND: dict[str, type[AmrCmkError]] = {
    "keyUri": KeyUriError,
    "identityId": IdentityIdError,
    "sku": SkuError,
    "input": InputError,
}


def _error_from(payload: dict[str, Any]) -> AmrCmkError:
    """The exception for a core error object ``{"kind", "code", "message", "params"}``."""
    kind = payload["kind"]
    cls = _CLASS_BY_KIND.get(kind, AmrCmkError)
    return cls(kind, payload["code"], payload["message"], payload["params"])


def _error_from_json(text: str) -> AmrCmkError:
    """Called by the native module to build the exception for a core error given as JSON text."""
    return _error_from(json.loads(text))


def _to_json(value: object) -> str:
    """The JSON text the core receives for ``value``; ``InputError`` when there is none."""
    try:
        return json.dumps(value, allow_nan=False)
    except TypeError as exc:  # set, bytes, arbitrary objects, non-string dict keys
        expected = "JSON-compatible (dict with str keys, list, str, int, float, bool or None)"
        raise InputError(
            "input",
            "input.invalid_type",
            f"the input cannot be converted to JSON: {exc}",
            {"path": "", "expected": expected},
        ) from None
    except RecursionError:
        depth = _native.MAX_DEPTH
        raise InputError(
            "input",
            "input.too_deep",
            f"the input is nested deeper than {depth} levels",
            {"max": depth},
        ) from None
    except ValueError as exc:  # NaN / infinity, circular references
        raise InputError(
            "input",
            "input.invalid_json",
            f"the input is not valid JSON: {exc}",
            {"detail": str(exc)},
        ) from None


def _call(function: str, arg: object = None) -> Any:
    """Calls the core's JSON API and returns the value, or raises the core's error."""
    return _native.call_value(function, _to_json(arg))


def parse_identity_id(identity_id: str) -> IdentityId:
    """Parses a user-assigned managed identity resource ID; raises :class:`IdentityIdError`."""
    result: IdentityId = _call("parseIdentityId", identity_id)
    return result


def tier_for_sku(sku: str) -> SkuInfo:
    """The tier and details of an Azure Managed Redis SKU; raises :class:`SkuError`."""
    result: SkuInfo = _call("tierForSku", sku)
    return result


def coverage(tier_or_sku: str) -> Coverage:
    """Whether CMK encryption is available for a tier or SKU; raises :class:`SkuError`."""
    result: Coverage = _call("coverage", tier_or_sku)
    return result


def coverage_matrix() -> list[Coverage]:
    """CMK coverage of every tier."""
    result: list[Coverage] = _call("coverageMatrix")
    return result


def validate(config: dict[str, Any]) -> ValidationReport:
    """Validates a configuration and returns the report (the core's JSON, camelCase keys).

    Raises :class:`InputError` when the document itself is unusable.
    """
    result: ValidationReport = _call("validate", config)
    return result


def plan(config: dict[str, Any]) -> Plan:
    """The migration plan for a configuration: ordered steps (identity, key, vault, permissions, then the
    switch), each with its status (``done``, ``todo``, ``confirm``, ``notApplicable``) and its fixes.

    Raises :class:`InputError` when the document itself is unusable.
    """
    result: Plan = _call("plan", config)
    return result


def check(options: dict[str, Any]) -> CheckResult:
    """Checks a real Azure document: an ARM template or compiled Bicep, ``az`` output, an Azure SDK
    ``.as_dict()`` dict, a Terraform plan (``terraform show -json``), what-if output or the input model.

    ``options``: ``{"document": ..., "format"?: "arm"|"az"|"terraformPlan"|"sdk"|"model"|"whatIf"|"resourceGraph",
    "parameters"?: <ARM parameters file>, "now"?: "<RFC 3339>", "limits"?: Limits}`` (or ``"files": {name: text}``
    instead of ``document``: several files as one input; ``limits``: ``maxBytes``, ``maxDepth``, ``maxStringLength``,
    ``maxItems``, the ones left out keep their defaults). Returns ``{"format", "reports": [{"resource", "report"}],
    "toConfirm", "valid"}`` with one report per cache, every finding's ``path`` pointing into the document;
    ``toConfirm`` counts the inconclusive checks of every report.
    """
    result: CheckResult = _call("check", options)
    return result


def render(options: dict[str, Any]) -> str:
    """Renders a :func:`check` result: ``{"result": ..., "format": "text"|"json"|"sarif", "color"?: bool,
    "fileName"?: str}``. The same bytes as every other binding."""
    result: str = _call("render", options)
    return result


def cli_plan(argv: list[str]) -> CliPlan:
    """Parses command-line arguments (after the program name): which files to read, and what to do."""
    result: CliPlan = _call("cliPlan", argv)
    return result


def cli_run(options: dict[str, Any]) -> CliOutput:
    """Runs a :func:`cli_plan` plan on the files read: ``{"plan", "inputs": [{"name", "text"|"error"}],
    "color": bool, "now"?: "<RFC 3339>"}`` → ``{"exitCode", "stdout", "stderr"}``. ``now`` is the caller's
    current time, used when the command line has no ``--now`` (the core has no clock)."""
    result: CliOutput = _call("cliRun", options)
    return result


def rule_codes() -> list[str]:
    """Every rule code."""
    result: list[str] = _call("ruleCodes")
    return result


def rules() -> list[Rule]:
    """The rule catalogue."""
    result: list[Rule] = _call("rules")
    return result


def error_codes() -> list[str]:
    """Every error code of the API functions (``key_uri.*``, ``identity_id.*``, ``sku.*``, ``input.*``)."""
    result: list[str] = _call("errorCodes")
    return result


def version() -> str:
    """The version of the core (and of this package)."""
    result: str = _call("version")
    return result


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _non_throwing(function: Callable[_P, _T]) -> Callable[_P, _T | AmrCmkError]:
    """The non-throwing variant of ``function``: what it returns, or the :class:`AmrCmkError` it raises,
    returned. Other exceptions (a bug, ``KeyboardInterrupt``) still propagate."""

    def call(*args: _P.args, **kwargs: _P.kwargs) -> _T | AmrCmkError:
        try:
            return function(*args, **kwargs)
        except AmrCmkError as error:
            return error

    call.__name__ = call.__qualname__ = f"try_{function.__name__}"
    call.__doc__ = (
        f"Like :func:`{function.__name__}`, but returns the :class:`AmrCmkError` instead of raising it."
    )
    call.__wrapped__ = function  # type: ignore[attr-defined]
    return call


# One line per function with an argument (tests-py/test_api.py checks them against _native.SAFE_FUNCTIONS).
try_parse_key_uri = _non_throwing(parse_key_uri)
try_parse_identity_id = _non_throwing(parse_identity_id)
try_tier_for_sku = _non_throwing(tier_for_sku)
try_coverage = _non_throwing(coverage)
try_validate = _non_throwing(validate)
try_plan = _non_throwing(plan)
try_check = _non_throwing(check)
try_render = _non_throwing(render)
try_cli_plan = _non_throwing(cli_plan)
try_cli_run = _non_throwing(cli_run)
