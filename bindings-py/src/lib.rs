//! Python binding of `amr-cmk` (the native part of the `amr_cmk` package).
//!
//! Conversion only: [`call`] forwards to [`amr_cmk::json_api::call`] (JSON text in, JSON envelope out) and
//! [`call_value`] to [`amr_cmk::json_api::call_value`] (JSON text in, Python objects out);
//! `amr_cmk/__init__.py` turns values and errors into Python ones. [`parse_key_uri`] is the fast path the
//! contract allows: it calls [`amr_cmk::parse_key_uri`] directly and returns a [`KeyId`] whose `to_dict()`
//! equals the JSON path's answer. Exceptions are the classes defined in Python (`amr_cmk.KeyUriError`, ...),
//! built from the class table `amr_cmk._CLASS_BY_KIND` so the kind-to-class table exists once.
// PyO3's macros expand to `unsafe` FFI glue; this crate writes none itself.
#![allow(unsafe_code)]

use std::collections::HashMap;
use std::fmt::Write as _;

use pyo3::exceptions::PyBaseException;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedStr;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyList, PyString};

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

/// The Python exception for a core error: the class for its kind (`amr_cmk._CLASS_BY_KIND`, else
/// `AmrCmkError`) called with `(kind, code, message, params)`, built here without a JSON round trip.
fn core_error(py: Python<'_>, error: &amr_cmk::Error) -> PyErr {
    match build_error(py, error) {
        Ok(exception) => PyErr::from_value(exception),
        Err(err) => err,
    }
}

/// What building an exception needs, looked up once: the class and the `kind` string per kind, the base
/// class, `BaseException.__new__`, and every error code as an interned `str` (a raised error then makes only
/// its message and its params).
struct ErrorClasses {
    by_kind: Vec<(String, Py<PyAny>, Py<PyString>)>,
    base: Py<PyAny>,
    base_new: Py<PyAny>,
    codes: HashMap<&'static str, Py<PyString>>,
}

impl ErrorClasses {
    fn get(py: Python<'_>) -> PyResult<&Self> {
        static CELL: PyOnceLock<ErrorClasses> = PyOnceLock::new();
        CELL.get_or_try_init(py, || {
            let package = py.import(PACKAGE)?;
            let mut by_kind = Vec::new();
            for (kind, class) in package.getattr("_CLASS_BY_KIND")?.cast::<PyDict>()?.iter() {
                let kind = kind.cast_into::<PyString>()?;
                by_kind.push((kind.to_str()?.to_owned(), class.unbind(), kind.unbind()));
            }
            let codes = amr_cmk::error_codes()
                .into_iter()
                .map(|code| (code, PyString::intern(py, code).unbind()))
                .collect();
            Ok(ErrorClasses {
                by_kind,
                base: package.getattr("AmrCmkError")?.unbind(),
                base_new: py
                    .get_type::<PyBaseException>()
                    .getattr("__new__")?
                    .unbind(),
                codes,
            })
        })
    }
}

fn build_error<'py>(py: Python<'py>, error: &amr_cmk::Error) -> PyResult<Bound<'py, PyAny>> {
    let cached = ErrorClasses::get(py)?;
    let kind = error.kind();
    let (class, kind_str) = match cached.by_kind.iter().find(|(k, _, _)| k == kind) {
        Some((_, class, kind_str)) => (class.bind(py).clone(), kind_str.bind(py).clone()),
        None => (cached.base.bind(py).clone(), PyString::new(py, kind)),
    };
    let code = error.code();
    let code_str = match cached.codes.get(code) {
        Some(code_str) => code_str.bind(py).clone(),
        None => PyString::new(py, code),
    };
    let mut text = String::with_capacity(256);
    write!(text, "{error}")
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    let message = PyString::new(py, &text);
    let params = PyDict::new(py);
    for (key, value) in error.params().iter() {
        params.set_item(PyString::new(py, key), param_to_py(py, value)?)?;
    }
    // What `AmrCmkError.__init__(kind, code, message, params)` does, without running Python code:
    // `BaseException.__new__` sets `args` to `(message,)` as `super().__init__(message)` would, then the
    // instance dict gets the four attributes in the same order, set as one dict. (The Python tests compare
    // these exceptions' type, args, attributes, str, repr and pickling with ones built by the Python class.)
    let exception = cached.base_new.bind(py).call1((&class, &message))?;
    let attributes = PyDict::new(py);
    attributes.set_item(intern!(py, "kind"), kind_str)?;
    attributes.set_item(intern!(py, "code"), code_str)?;
    attributes.set_item(intern!(py, "message"), message)?;
    attributes.set_item(intern!(py, "params"), params)?;
    exception.setattr(intern!(py, "__dict__"), attributes)?;
    Ok(exception)
}

/// A param as the Python object `json.loads` would give for its JSON text.
fn param_to_py<'py>(py: Python<'py>, value: &amr_cmk::Param) -> PyResult<Bound<'py, PyAny>> {
    use amr_cmk::Param;
    Ok(match value {
        Param::Null => py.None().into_bound(py),
        Param::Int(n) => n.into_pyobject(py)?.into_any(),
        Param::Str(s) => PyString::new(py, s).into_any(),
        Param::List(items) => {
            PyList::new(py, items.iter().map(|s| PyString::new(py, s)))?.into_any()
        }
    })
}

/// A JSON value as the Python object `json.loads` would give for its text (same key order).
fn json_to_py<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            (None, None) => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(PyString::new(py, k), json_to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
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

/// Calls a core function like [`call`] and returns the answer's value as Python objects (what `json.loads`
/// gives for the JSON path's `ok`), or raises the core's error: no JSON text on the way back. The core runs
/// without the GIL.
#[pyfunction]
fn call_value<'py>(
    py: Python<'py>,
    function: PyBackedStr,
    args_json: PyBackedStr,
) -> PyResult<Bound<'py, PyAny>> {
    match py.detach(|| amr_cmk::json_api::call_value(&function, &args_json)) {
        Ok(value) => json_to_py(py, &value),
        Err(e) => Err(core_error(py, &e)),
    }
}

/// Parses an Azure Key Vault or Managed HSM key identifier into a [`KeyId`]; raises `KeyUriError` (or
/// `InputError` for a value that is not text), exactly as the JSON path would.
#[pyfunction]
fn parse_key_uri(py: Python<'_>, uri: &Bound<'_, PyAny>) -> PyResult<KeyId> {
    // The UTF-8 text, borrowed from the `str` (`PyUnicode_AsUTF8AndSize`: no copy for an ASCII `str`).
    if let Some(text) = uri.cast::<PyString>().ok().and_then(|s| s.to_str().ok()) {
        return parse_text(py, text);
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
        self.0.uri()
    }

    /// `public`, `china` or `usgov`.
    #[getter]
    fn cloud(&self) -> &'static str {
        self.0.cloud().as_str()
    }

    /// `vault` or `managedHsm`.
    #[getter]
    fn vault_kind(&self) -> &'static str {
        self.0.vault_kind().as_str()
    }

    /// The vault (or Managed HSM) name, lower-case.
    #[getter]
    fn vault_name(&self) -> &str {
        self.0.vault_name()
    }

    /// `https://` + lower-case host.
    #[getter]
    fn vault_url(&self) -> &str {
        self.0.vault_url()
    }

    /// The key name as given.
    #[getter]
    fn key_name(&self) -> &str {
        self.0.key_name()
    }

    /// The 32-hex-character version, lower-case; `None` for a versionless identifier.
    #[getter]
    fn version(&self) -> Option<&str> {
        self.0.version()
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
        Ok((parse.clone(), (self.0.uri().to_owned(),)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let r = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        Ok(format!(
            "KeyId(uri={}, cloud={}, vault_kind={}, vault_name={}, vault_url={}, key_name={}, version={})",
            r(self.0.uri())?,
            r(self.0.cloud().as_str())?,
            r(self.0.vault_kind().as_str())?,
            r(self.0.vault_name())?,
            r(self.0.vault_url())?,
            r(self.0.key_name())?,
            self.0.version().map_or(Ok("None".to_owned()), r)?,
        ))
    }
}

/// Native part of the `amr_cmk` package. Import `amr_cmk`, not this module.
#[pymodule]
mod _native {
    use pyo3::prelude::*;

    #[pymodule_export]
    use super::{call, call_value, parse_key_uri, KeyId};

    #[pymodule_init]
    fn init(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("__version__", amr_cmk::version())?;
        m.add("FUNCTIONS", amr_cmk::json_api::FUNCTIONS.to_vec())?;
        m.add("SAFE_FUNCTIONS", amr_cmk::json_api::safe_functions())?;
        m.add("MAX_DEPTH", amr_cmk::input::MAX_DEPTH)?;
        Ok(())
    }
}
