//! Python binding of `amr-cmk` (the native part of the `amr_cmk` package).
//!
//! Conversion only: [`call`] forwards to [`amr_cmk::json_api::call`] (JSON text in, JSON envelope out) and
//! `amr_cmk/__init__.py` turns values and errors into Python ones. [`parse_key_uri`] is the fast path the
//! contract allows: it calls [`amr_cmk::parse_key_uri`] directly and returns a [`KeyId`] whose `to_dict()`
//! equals the JSON path's answer. Exceptions are the classes defined in Python (`amr_cmk.KeyUriError`, ...),
//! built by `amr_cmk._error_from_json` so the kind-to-class table exists once.
// PyO3's macros expand to `unsafe` FFI glue; this crate writes none itself.
#![allow(unsafe_code)]

use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

/// The package that defines the exception classes and the JSON conversion of arguments.
const PACKAGE: &str = "amr_cmk";

/// Calls `attr` of the `amr_cmk` package (imported once) with one argument.
fn call_package<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    attr: &str,
    arg: impl IntoPyObject<'py>,
) -> PyResult<Bound<'py, PyAny>> {
    cell.import(py, PACKAGE, attr)?.call1((arg,))
}

/// The Python exception for a core error: `amr_cmk._error_from_json` picks the class by the error's kind.
fn core_error(py: Python<'_>, error: &amr_cmk::Error) -> PyErr {
    static ERROR_FROM_JSON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let payload = error.to_json_value().to_string();
    match call_package(py, &ERROR_FROM_JSON, "_error_from_json", payload) {
        Ok(exception) => PyErr::from_value(exception),
        Err(err) => err,
    }
}

/// The JSON text of a Python value as `amr_cmk._to_json` writes it (`InputError` when it has none).
fn to_json(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    static TO_JSON: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    call_package(py, &TO_JSON, "_to_json", value)?.extract()
}

/// Calls a core function through the JSON API: `args_json` is the argument as JSON text, the answer is
/// `{"ok": value}` or `{"error": {"kind", "code", "message", "params"}}` as JSON text. Runs without the GIL.
#[pyfunction]
fn call(py: Python<'_>, function: PyBackedStr, args_json: PyBackedStr) -> String {
    py.detach(|| amr_cmk::json_api::call(&function, &args_json))
}

/// Parses an Azure Key Vault or Managed HSM key identifier into a [`KeyId`]; raises `KeyUriError` (or
/// `InputError` for a value that is not text), exactly as the JSON path would.
#[pyfunction]
fn parse_key_uri(py: Python<'_>, uri: &Bound<'_, PyAny>) -> PyResult<KeyId> {
    if let Some(text) = uri.cast::<PyString>().ok().and_then(|s| s.to_cow().ok()) {
        return parse_text(py, &text);
    }
    // Not a `str`, or a `str` with surrogates: read it the way the JSON path does. `json.dumps` escapes
    // surrogates, so a pair becomes its character; anything else gets the core's own input error.
    let args = to_json(py, uri)?;
    match serde_json::from_str::<String>(&args) {
        Ok(text) => parse_text(py, &text),
        Err(_) => Err(match amr_cmk::json_api::call_value("parseKeyUri", &args) {
            Err(e) => core_error(py, &e),
            // The core accepts only JSON strings here, which the branch above already took.
            Ok(_) => pyo3::exceptions::PyRuntimeError::new_err("parseKeyUri accepted a non-string"),
        }),
    }
}

fn parse_text(py: Python<'_>, text: &str) -> PyResult<KeyId> {
    amr_cmk::parse_key_uri(text)
        .map(KeyId)
        .map_err(|e| core_error(py, &e.into()))
}

/// A parsed, validated Key Vault or Managed HSM key identifier (immutable, hashable).
#[pyclass(frozen, eq, hash, module = "amr_cmk")]
#[derive(PartialEq, Eq, Hash)]
struct KeyId(amr_cmk::KeyId);

#[pymethods]
impl KeyId {
    /// Canonical URI: `https://` + lower-case host + `/keys/{key_name}` [+ `/{version}`].
    #[getter]
    fn uri(&self) -> &str {
        &self.0.uri
    }

    /// `public`, `china` or `usgov`.
    #[getter]
    fn cloud(&self) -> &'static str {
        self.0.cloud.as_str()
    }

    /// `vault` or `managedHsm`.
    #[getter]
    fn vault_kind(&self) -> &'static str {
        self.0.vault_kind.as_str()
    }

    /// The vault (or Managed HSM) name, lower-case.
    #[getter]
    fn vault_name(&self) -> &str {
        &self.0.vault_name
    }

    /// `https://` + lower-case host.
    #[getter]
    fn vault_url(&self) -> &str {
        &self.0.vault_url
    }

    /// The key name as given.
    #[getter]
    fn key_name(&self) -> &str {
        &self.0.key_name
    }

    /// The 32-hex-character version, lower-case; `None` for a versionless identifier.
    #[getter]
    fn version(&self) -> Option<&str> {
        self.0.version.as_deref()
    }

    /// The core's JSON object with camelCase keys, exactly as the JSON API returns it (same key order).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static JSON_LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        // Through `serde_json::Value`, as `json_api::call` does, so the keys come out in the same order.
        let text = serde_json::to_value(&self.0)
            .map(|v| v.to_string())
            .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
        JSON_LOADS.import(py, "json", "loads")?.call1((text,))
    }

    /// Pickles as `parse_key_uri(uri)`: the canonical URI parses back to an equal `KeyId`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        static PARSE_KEY_URI: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let parse = PARSE_KEY_URI.import(py, PACKAGE, "parse_key_uri")?;
        Ok((parse.clone(), (self.0.uri.clone(),)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        Ok(format!(
            "KeyId(uri={}, cloud={}, vault_kind={}, vault_name={}, vault_url={}, key_name={}, version={})",
            r(&self.0.uri)?,
            r(self.0.cloud.as_str())?,
            r(self.0.vault_kind.as_str())?,
            r(&self.0.vault_name)?,
            r(&self.0.vault_url)?,
            r(&self.0.key_name)?,
            self.0.version.as_deref().map_or(Ok("None".to_owned()), r)?,
        ))
    }
}

/// Native part of the `amr_cmk` package. Import `amr_cmk`, not this module.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::{call, parse_key_uri, KeyId};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", amr_cmk::version())?;
        m.add("FUNCTIONS", amr_cmk::json_api::FUNCTIONS.to_vec())?;
        m.add("MAX_DEPTH", amr_cmk::input::MAX_DEPTH)?;
        Ok(())
    }
}
