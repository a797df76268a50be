"""Types of the values the ``amr_cmk`` functions return: the core's JSON, as ``TypedDict``s.

Field names are the JSON's (camelCase). A key marked ``NotRequired`` is absent when the core leaves it out
(an empty list, ``false``, no value); a key typed ``X | None`` is always present and may be ``null``.
These are descriptions of plain dicts: nothing is converted or checked when a function returns. The tests
(``tests-py/test_types.py``) validate every conformance vector's expected output and every actual result
against these types, and fail when the core adds, removes or retypes a field. The TypeScript declarations
are ``bindings-js/index.d.ts``.
"""

import sys
from typing import Any, Literal

if sys.version_info >= (3, 11):
    from typing import NotRequired, TypedDict
else:  # Python 3.10: NotRequired, and a TypedDict that understands it
    from typing_extensions import NotRequired, TypedDict

__all__ = [
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

# --- enums ------------------------------------------------------------------------------------------------
# Written as unions of one-value Literals, which mean the same to a type checker as Literal["a", "b"]: stubtest
# (mypy 2.4) reads a multi-value Literal alias as a Union and fails when the runtime object is not one.

Cloud = Literal["public"] | Literal["china"] | Literal["usgov"]
"""Azure cloud of a Key Vault host."""
VaultKind = Literal["vault"] | Literal["managedHsm"]
"""Key Vault or Managed HSM."""
Tier = Literal["memoryOptimized"] | Literal["balanced"] | Literal["computeOptimized"] | Literal["flashOptimized"]
"""Azure Managed Redis tier (camelCase id)."""
KeyType = Literal["microsoftManaged"] | Literal["customerManaged"]
"""Which keys may encrypt a piece of data."""
KeySource = Literal["microsoftManaged"] | Literal["customerManaged"]
"""Where a cache's key comes from (the migration plan's ``from`` and ``to``)."""
Severity = Literal["error"] | Literal["warning"] | Literal["info"]
"""Finding severity."""
Outcome = Literal["pass"] | Literal["fail"] | Literal["inconclusive"] | Literal["not_applicable"]
"""What a check concluded."""
StepId = Literal["identity"] | Literal["key"] | Literal["vault"] | Literal["permissions"] | Literal["switch"]
"""The steps of a migration plan, in order."""
StepStatus = Literal["done"] | Literal["todo"] | Literal["confirm"] | Literal["notApplicable"]
"""A plan step's state."""
PatchOperation = Literal["add"] | Literal["replace"] | Literal["remove"]
"""The RFC 6902 operations a fix's patch uses."""
InputFormat = (
    Literal["arm"]
    | Literal["az"]
    | Literal["terraformPlan"]
    | Literal["terraformConfig"]
    | Literal["sdk"]
    | Literal["model"]
    | Literal["whatIf"]
    | Literal["resourceGraph"]
)
"""Input formats ``check`` reads."""
RenderFormat = Literal["text"] | Literal["json"] | Literal["sarif"]
"""Output formats of ``render`` and the command line."""
FailOn = Literal["error"] | Literal["warning"] | Literal["info"] | Literal["inconclusive"] | Literal["none"]
"""The lowest severity that makes the command line's exit code 1 (``inconclusive``: any finding or any
inconclusive check)."""
ColorMode = Literal["auto"] | Literal["always"] | Literal["never"]
"""The command line's ``--color``."""
CliAction = (
    Literal["check"] | Literal["rules"] | Literal["help"] | Literal["version"] | Literal["plan"]
    | Literal["usageError"]
)
"""What a command line asks for."""

# --- parsers and coverage -----------------------------------------------------------------------------------


class KeyIdDict(TypedDict):
    """A parsed key identifier as JSON: ``KeyId.to_dict()``, and a report's ``key``."""

    uri: str
    """Canonical URI: ``https://`` + lower-case host + ``/keys/{keyName}`` [+ ``/{version}``]."""
    cloud: Cloud
    vaultKind: VaultKind
    vaultName: str
    """The vault (or HSM) name, lower-case."""
    vaultUrl: str
    """``https://`` + lower-case host."""
    keyName: str
    """The key name as given."""
    version: str | None
    """32 hexadecimal characters, lower-case; ``None`` for a versionless identifier."""


class IdentityId(TypedDict):
    """A parsed user-assigned managed identity resource ID (``parse_identity_id``)."""

    id: str
    """Canonical ID (lower-case subscription GUID)."""
    subscriptionId: str
    resourceGroup: str
    name: str


class SkuInfo(TypedDict):
    """A SKU and its tier (``tier_for_sku``, a report's ``sku``)."""

    sku: str
    """The SKU in its canonical spelling, e.g. ``Balanced_B10``."""
    tier: Tier
    tierName: str
    """Display name of the tier, e.g. ``Balanced``."""


class DiskCoverage(TypedDict):
    """What one kind of stored data is, where it lives, and which keys may encrypt it."""

    data: str
    description: str
    disk: str
    keys: list[KeyType]
    transient: bool
    controlledBy: str


class Coverage(TypedDict):
    """Encryption coverage of a tier (``coverage``, ``coverage_matrix``)."""

    tier: Tier
    tierName: str
    keyTypes: list[KeyType]
    disks: list[DiskCoverage]


class Rule(TypedDict):
    """One rule of the catalogue (``rules``)."""

    code: str
    check: str
    """The check this code reports under."""
    severity: Severity
    title: str
    docUrl: str


# --- the report ---------------------------------------------------------------------------------------------


class Command(TypedDict):
    """One command of a fix: the argument vector and the same command quoted for a POSIX shell."""

    argv: list[str]
    shell: str


class PatchOp(TypedDict):
    """One RFC 6902 operation against the checked ARM template or compiled Bicep."""

    op: PatchOperation
    path: str
    """RFC 6901 JSON Pointer into the document."""
    value: NotRequired[Any]
    """The value (``add``, ``replace``): any JSON value."""
    placeholders: NotRequired[list[str]]
    """Placeholders in ``value`` to replace before deploying (absent when none)."""


class TerraformChange(TypedDict):
    """A change to a Terraform configuration: set ``attribute`` of the resource at ``address`` to ``value``
    (or to the Terraform ``expression``), or, with ``create``, add the resource with the attributes in
    ``value``."""

    address: str
    attribute: NotRequired[str]
    value: NotRequired[Any]
    expression: NotRequired[str]
    create: NotRequired[bool]
    """Present (``True``) for a new resource."""


class Fix(TypedDict):
    """The change that resolves a finding: reviewed Azure CLI commands, and for ``check`` the patch to the
    template or the Terraform changes."""

    summary: str
    commands: list[Command]
    placeholders: NotRequired[list[str]]
    """Placeholders such as ``<resource-group>`` to replace (absent when none)."""
    disruptive: NotRequired[bool]
    """Present (``True``) when the change is a long-running operation with service disruption."""
    patch: NotRequired[list[PatchOp]]
    """RFC 6902 JSON Patch against the checked template (``check`` on an ARM template only)."""
    terraform: NotRequired[list[TerraformChange]]
    """The changes to the Terraform configuration (``check`` on a Terraform plan only)."""


class Finding(TypedDict):
    """One finding of a report."""

    code: str
    """Stable rule code, e.g. ``vault.purge_protection_disabled``."""
    severity: Severity
    path: str
    """RFC 6901 JSON Pointer into the input."""
    message: str
    remediation: str
    docUrl: str
    params: dict[str, Any]
    """The values the message was built from."""
    fix: NotRequired[Fix]
    address: NotRequired[str]
    """Terraform resource address (``check`` on a Terraform plan or configuration)."""
    file: NotRequired[str]
    """The file ``path`` points into, when it is not the cache's (``check`` on several files)."""
    line: NotRequired[int]
    """1-based line of the value in its ``.tf`` file (``check`` on a Terraform configuration)."""
    column: NotRequired[int]
    """1-based column (in characters) of the value in its ``.tf`` file."""


class Check(TypedDict):
    """The outcome of one check."""

    code: str
    outcome: Outcome
    needs: NotRequired[list[str]]
    """For ``inconclusive``: JSON Pointers of the inputs that would settle it (absent when none)."""
    message: NotRequired[str]
    """For ``inconclusive``: why it is not decided and what would settle it, in words."""
    confirm: NotRequired[list[Command]]
    """For ``inconclusive``: read-only commands that show the missing facts."""
    fix: NotRequired[Fix]
    """For ``inconclusive``: the fix to apply if the confirmation shows the problem."""


class Summary(TypedDict):
    """Counts by severity, plus inconclusive checks."""

    errors: int
    warnings: int
    infos: int
    inconclusive: int


class ValidationReport(TypedDict):
    """The report of ``validate`` (and of each cache of ``check``)."""

    valid: bool
    """``True`` when no finding is an error."""
    summary: Summary
    findings: list[Finding]
    checks: list[Check]
    key: KeyIdDict | None
    sku: SkuInfo | None


# --- the migration plan -------------------------------------------------------------------------------------


class PlanStep(TypedDict):
    """One step of a migration plan."""

    id: StepId
    title: str
    status: StepStatus
    checks: list[Check]
    fixes: list[Fix]
    longRunning: bool
    disruptive: bool
    note: NotRequired[str]


# The migration plan (``plan``). ``from`` is a keyword, hence the functional syntax:
# - existing: ``True`` for an existing cache, ``False`` for a new one, ``None`` when unknown;
# - from: the key source today (existing caches); to: the key source requested;
# - ready: ``True`` when every step before the last is done, so the last one can run.
Plan = TypedDict(
    "Plan",
    {
        "existing": bool | None,
        "from": KeySource | None,
        "to": KeySource,
        "ready": bool,
        "steps": list[PlanStep],
    },
)


# --- check --------------------------------------------------------------------------------------------------


class ResourceInfo(TypedDict):
    """The cache a report is about."""

    type: str
    name: str
    id: NotRequired[str]
    address: NotRequired[str]
    file: NotRequired[str]
    """The file the cache is in, when ``check`` read several files."""
    pointer: str
    """JSON Pointer of the resource in the document."""


class ResourceReport(TypedDict):
    """The report of one cache in a checked document."""

    resource: ResourceInfo
    report: ValidationReport


class FileInfo(TypedDict):
    """One file of a several-file ``check``: the format read, or why it could not be read."""

    name: str
    format: NotRequired[InputFormat]
    error: NotRequired["ErrorDict"]


class CheckResult(TypedDict):
    """The result of ``check``: one report per cache in the document."""

    format: InputFormat
    reports: list[ResourceReport]
    toConfirm: int
    """The inconclusive checks of every report (the sum of ``summary.inconclusive``): a ``valid`` result with
    checks to confirm is not a full pass."""
    valid: bool
    files: NotRequired[list[FileInfo]]
    """For several files: each file, in name order, with its format or its error."""


# --- the command line ---------------------------------------------------------------------------------------


class Limits(TypedDict, total=False):
    """Input limits (``check``'s ``limits``, the CLI's ``--max-bytes`` & co.); the ones left out keep their
    defaults."""

    maxBytes: int
    """Largest document, in bytes: 1 to 268435456 (256 MiB, the default)."""
    maxDepth: int
    """Deepest nesting of arrays and objects: 1 to 64 (the default)."""
    maxStringLength: int
    """Longest string, in bytes: 1 to 268435456 (default 16 MiB)."""
    maxItems: int
    """Most items in one array or object: 1 to 268435456 (default 1048576)."""


class CliProgress(TypedDict):
    """The progress lines of one round of the CLI's read loop (``docs/check.md``)."""

    reading: str
    """While reading the plan's ``files`` (or the answer's ``read``)."""
    checking: str
    """While the next ``cli_run`` runs."""
    afterMs: int
    """Show a line only once this many milliseconds have passed since the start."""


class CliPlan(TypedDict):
    """The parsed command line (``cli_plan``): read ``files`` (``-`` is standard input), then ``cli_run``."""

    action: CliAction
    files: list[str]
    documents: list[str]
    parameters: str | None
    format: RenderFormat
    failOn: FailOn
    input: InputFormat | None
    now: str | None
    """``--now``: an RFC 3339 date-time, or ``"none"`` (no time); ``None``: the caller's clock (``cli_run``'s
    ``now``)."""
    color: ColorMode
    """``auto``: the caller decides (a terminal and no ``NO_COLOR``)."""
    error: str | None
    """The usage error, for ``usageError``."""
    fixScript: NotRequired[bool]
    patch: NotRequired[str]
    write: NotRequired[bool]
    varFiles: NotRequired[list[str]]
    """``--var-file``: Terraform variable files (also in ``files``)."""
    vars: NotRequired[list[str]]
    """``--var``: ``NAME=VALUE`` Terraform variable values."""
    each: NotRequired[bool]
    """``--each``: the files one by one instead of joined."""
    limits: NotRequired[Limits]
    """``--max-bytes`` & co.: the input limits set."""
    progress: NotRequired[CliProgress]
    """What to show on a terminal while reading and checking (``check`` and ``plan`` with text output)."""


class CliWrite(TypedDict):
    """A file to write (after the backups), creating or replacing it."""

    path: str
    text: str


# A copy to make before any write: ``from`` copied to ``to`` (functional syntax: ``from`` is a keyword).
CliBackup = TypedDict("CliBackup", {"from": str, "to": str})


class CliOutput(TypedDict):
    """What to print and write, and the exit code (0 passed, 1 findings at or above ``--fail-on`` or, with
    ``--fail-on inconclusive``, any inconclusive check, 2 usage error or unusable input)."""

    exitCode: int
    stdout: str
    stderr: str
    writes: NotRequired[list[CliWrite]]
    backups: NotRequired[list[CliBackup]]
    read: NotRequired[list[str]]
    """Paths to read before running again (the files of a directory)."""
    progress: NotRequired[CliProgress]
    """With ``read``: the progress lines for reading them and running again."""


class ErrorDict(TypedDict):
    """An error as an object (``AmrCmkError.to_dict()``; the ``error`` of the core's non-throwing calls)."""

    code: str
    kind: str
    """``keyUri``, ``identityId``, ``sku`` or ``input``."""
    message: str
    params: dict[str, Any]
