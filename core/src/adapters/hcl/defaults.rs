//! Provider defaults: what the azurerm provider puts in a plan for arguments a configuration leaves out (so
//! the plan reader's mapping sees the same values from `.tf` files as from `terraform show -json`).

use std::collections::BTreeMap;

use super::value::V;

/// Fills the defaults of a managed resource of type `rtype` (azurerm 4.x) that `attrs` does not set.
pub(crate) fn apply(rtype: &str, attrs: &mut BTreeMap<String, V>) {
    let put = |attrs: &mut BTreeMap<String, V>, k: &str, v: V| {
        attrs.entry(k.to_owned()).or_insert(v);
    };
    match rtype {
        "azurerm_key_vault" => {
            put(attrs, "purge_protection_enabled", V::Bool(false));
            put(attrs, "public_network_access_enabled", V::Bool(true));
            put(attrs, "soft_delete_retention_days", V::Num(90.0));
            put(attrs, "network_acls", V::List(Vec::new()));
            put(attrs, "access_policy", V::List(Vec::new()));
            // One of the two spellings (`enable_rbac_authorization` before azurerm 4.42).
            if !attrs.contains_key("rbac_authorization_enabled") {
                put(attrs, "enable_rbac_authorization", V::Bool(false));
            }
        }
        "azurerm_key_vault_managed_hardware_security_module" => {
            put(attrs, "purge_protection_enabled", V::Bool(true));
            put(attrs, "public_network_access_enabled", V::Bool(true));
            put(attrs, "network_acls", V::List(Vec::new()));
        }
        "azurerm_managed_redis" => {
            put(attrs, "identity", V::List(Vec::new()));
            put(attrs, "customer_managed_key", V::List(Vec::new()));
        }
        "azurerm_key_vault_access_policy" => {
            put(attrs, "key_permissions", V::List(Vec::new()));
        }
        _ => {}
    }
}
