//! Node-API exports (native targets).
#![allow(unsafe_code, missing_docs)] // the napi macros generate unsafe glue and undocumented items

use std::mem::MaybeUninit;
use std::ptr;

use napi::bindgen_prelude::{sys, Env, Object};
use napi::JsValue as _;
use napi_derive::napi;

/// `call(function, argsJson)`: the JSON-API answer as JSON text.
#[napi]
#[must_use]
pub fn call(function: String, args_json: String) -> String {
    crate::call_inner(&function, &args_json)
}

/// `parseKeyUriLayout()`: the layout of `parseKeyUriPacked` numbers and its tables, as JSON text
/// ([`crate::packed::layout_json`]).
#[napi(js_name = "parseKeyUriLayout")]
#[must_use]
pub fn parse_key_uri_layout() -> String {
    crate::packed::layout_json()
}

/// Adds the exports written against Node-API directly (no `#[napi]` conversion layer, see
/// [`parse_key_uri_packed`]).
#[napi(module_exports)]
pub fn raw_exports(exports: Object, env: Env) -> napi::Result<()> {
    let name = "parseKeyUriPacked";
    let mut f = ptr::null_mut();
    // SAFETY: `env` and `exports` are the live handles napi-rs passes to the module's init; the name is
    // `name.len()` bytes and NUL-terminated below for `napi_set_named_property`.
    unsafe {
        check(sys::napi_create_function(
            env.raw(),
            name.as_ptr().cast(),
            name.len() as isize,
            Some(parse_key_uri_packed),
            ptr::null_mut(),
            &mut f,
        ))?;
        check(sys::napi_set_named_property(
            env.raw(),
            exports.raw(),
            c"parseKeyUriPacked".as_ptr(),
            f,
        ))
    }
}

fn check(status: sys::napi_status) -> napi::Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::from_reason(format!(
            "amr-cmk: Node-API status {status} while registering parseKeyUriPacked"
        )))
    }
}

/// Code units read into the stack buffer: longer strings (far beyond `MAX_KEY_URI_LEN`) are read whole.
const BUF: usize = 320;

/// `parseKeyUriPacked(uri)`: the parsed key identifier as one number ([`crate::packed::pack`]) when its
/// canonical URI is `uri` itself (the common case: the wrapper slices the string it already has), else a string:
/// the error ([`crate::packed::error_text`], starts with a newline or `{`), or the canonical URI (the wrapper
/// packs that). 0 when the key cannot be packed or `uri` is not a well-formed string (the wrapper takes the JSON
/// path).
///
/// Written against Node-API directly: the string is read as UTF-16 into a stack buffer (one copy, no UTF-8
/// length pass, no allocation) and narrowed to bytes when it is ASCII; anything else is converted with
/// `String::from_utf16`, which refuses lone surrogates (0: the JSON path refuses them with its own error).
unsafe extern "C" fn parse_key_uri_packed(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    let answer = std::panic::catch_unwind(|| {
        // SAFETY: `env` and `info` are the live handles of this callback.
        unsafe { answer(env, info) }
    });
    let answer = answer.unwrap_or(crate::packed::Packed::Number(0.0));
    let mut out = ptr::null_mut();
    // SAFETY: `env` is live; the text pointer and length describe `text`, alive during the call.
    let status = unsafe {
        match &answer {
            crate::packed::Packed::Number(n) => sys::napi_create_double(env, *n, &mut out),
            crate::packed::Packed::Text(text) if text.is_ascii() => sys::napi_create_string_latin1(
                env,
                text.as_ptr().cast(),
                text.len() as isize,
                &mut out,
            ),
            crate::packed::Packed::Text(text) => sys::napi_create_string_utf8(
                env,
                text.as_ptr().cast(),
                text.len() as isize,
                &mut out,
            ),
        }
    };
    if status == sys::Status::napi_ok {
        out
    } else {
        ptr::null_mut()
    }
}

/// The answer for the first argument of the call `info`.
///
/// # Safety
/// `env` and `info` are the handles of a live Node-API callback.
unsafe fn answer(env: sys::napi_env, info: sys::napi_callback_info) -> crate::packed::Packed {
    let zero = crate::packed::Packed::Number(0.0);
    let mut argc = 1usize;
    let mut arg = ptr::null_mut();
    let ok = sys::Status::napi_ok;
    // SAFETY (all calls): live handles; the buffers are as long as the sizes passed.
    if unsafe {
        sys::napi_get_cb_info(
            env,
            info,
            &mut argc,
            &mut arg,
            ptr::null_mut(),
            ptr::null_mut(),
        )
    } != ok
        || argc < 1
    {
        return zero;
    }
    let mut units = [MaybeUninit::<u16>::uninit(); BUF];
    let mut len = 0usize;
    if unsafe {
        sys::napi_get_value_string_utf16(env, arg, units.as_mut_ptr().cast(), BUF, &mut len)
    } != ok
    {
        return zero;
    }
    if len < BUF - 1 {
        // SAFETY: Node-API wrote `len` (< BUF) code units at the start of `units`.
        let units = unsafe { std::slice::from_raw_parts(units.as_ptr().cast::<u16>(), len) };
        let mut bytes = [0u8; BUF];
        // One pass, no early exit (it vectorises): the bytes, and whether every unit was ASCII.
        let mut any = 0u16;
        for (b, &u) in bytes.iter_mut().zip(units) {
            any |= u;
            *b = u as u8;
        }
        if any < 0x80 {
            return match std::str::from_utf8(bytes.get(..len).unwrap_or_default()) {
                Ok(s) => crate::packed::parse_packed(s),
                Err(_) => zero,
            };
        }
        return String::from_utf16(units).map_or(zero, |s| crate::packed::parse_packed(&s));
    }
    // Longer than the buffer: read it whole.
    let mut total = 0usize;
    if unsafe { sys::napi_get_value_string_utf16(env, arg, ptr::null_mut(), 0, &mut total) } != ok {
        return zero;
    }
    let mut all = vec![0u16; total + 1];
    if unsafe { sys::napi_get_value_string_utf16(env, arg, all.as_mut_ptr(), total + 1, &mut len) }
        != ok
    {
        return zero;
    }
    String::from_utf16(all.get(..len).unwrap_or_default())
        .map_or(zero, |s| crate::packed::parse_packed(&s))
}
