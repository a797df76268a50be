//! placeholder, replaced by the Python bindings
