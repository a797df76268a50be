//! placeholder, replaced by the JS bindings
