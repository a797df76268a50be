//! Limits and unusable input: each rejected with its own code before any heavy work, never a panic.

use amr_cmk::json_api::call;
use amr_cmk::{parse_identity_id, parse_key_uri, validate_json};
use serde_json::Value;

fn error_code(answer: &str) -> String {
    let v: Value = serde_json::from_str(answer).expect("the JSON API always answers JSON");
    v["error"]["code"].as_str().unwrap_or("").to_owned()
}

#[cfg(feature = "templates")]
#[test]
fn no_fixed_size_limit_but_limits_on_strings_items_and_size() {
    use amr_cmk::adapters::{check_json, CheckOptions};
    use amr_cmk::input::{Limits, DEFAULT_MAX_STRING};
    // Several MiB are fine (the old 1 MiB limit is gone): the size itself is not the problem.
    let many = format!(
        "{{\"cache\":{{\"name\":\"c\", \"tags\": [{}]}}}}",
        vec!["\"tag-0123456789\""; 300_000].join(",")
    );
    assert!(many.len() > 4 << 20);
    assert_ne!(validate_json(&many).unwrap_err().code(), "input.too_large");
    // One string longer than the limit: refused before parsing, with where it starts.
    let long = format!(
        "{{\n  \"cache\": {{\"name\":\"{}\"}}}}",
        "x".repeat(DEFAULT_MAX_STRING + 1)
    );
    let e = validate_json(&long).unwrap_err();
    assert_eq!(e.code(), "input.string_too_long");
    assert_eq!(e.params().get("line"), Some(&amr_cmk::Param::Int(2)));
    assert_eq!(
        e.params().get("column"),
        Some(&amr_cmk::Param::Int(20)),
        "the opening quote"
    );
    assert_eq!(
        error_code(&call("validate", &long)),
        "input.string_too_long"
    );
    // Configurable per check: items per array, string length, the whole size.
    let small = |limits: Limits| CheckOptions {
        limits,
        ..CheckOptions::default()
    };
    let list = "[1,2,3,4,5]";
    let code = |text: &str, limits: Limits| check_json(text, &small(limits)).unwrap_err().code();
    let d = Limits::default();
    assert_eq!(
        code(list, Limits { max_items: 4, ..d }),
        "input.list_too_long"
    );
    assert_eq!(code(list, Limits { max_bytes: 10, ..d }), "input.too_large");
    assert_eq!(
        code("[\"abcdef\"]", Limits { max_string: 3, ..d }),
        "input.string_too_long"
    );
    // Escapes count as written: a string of nothing but escapes is bounded too.
    assert_eq!(
        code(r#"["\\\\\\\\"]"#, Limits { max_string: 3, ..d }),
        "input.string_too_long"
    );
    assert_eq!(
        code("[[[1]]]", Limits { max_depth: 2, ..d }),
        "input.too_deep"
    );
    // Within the limits: read, then refused for what it is (no cache).
    assert_eq!(
        code(list, Limits { max_items: 5, ..d }),
        "input.unrecognized_format"
    );
    assert_eq!(
        error_code(&call(
            "parseKeyUri",
            &format!("\"{}\"", "a".repeat(2 << 20))
        )),
        "key_uri.too_long",
        "a huge string argument gets the parser's own code, as through the typed API"
    );
}

#[test]
fn too_deep_document_is_refused_before_parsing() {
    let deep = "[".repeat(100_000);
    assert_eq!(validate_json(&deep).unwrap_err().code(), "input.too_deep");
    // Brackets inside strings do not count.
    let in_string = format!("{{\"cache\":{{\"name\":\"{}\"}}}}", "[".repeat(1000));
    assert!(validate_json(&in_string).is_ok());
}

#[test]
fn invalid_json() {
    for text in [
        "",
        "{",
        "{\"cache\":}",
        "\"\\ud800\"",
        "NaN",
        "{\"a\":1,}",
        "\u{feff}{}",
    ] {
        assert_eq!(
            validate_json(text).unwrap_err().code(),
            "input.invalid_json",
            "{text:?}"
        );
    }
    assert_eq!(
        error_code(&call("parseKeyUri", "not json")),
        "input.invalid_json"
    );
}

#[test]
fn unknown_function() {
    assert_eq!(
        error_code(&call("parseKeyURI", "null")),
        "input.unknown_function"
    );
    assert_eq!(error_code(&call("", "")), "input.unknown_function");
}

#[test]
fn envelope_shape() {
    let ok: Value = serde_json::from_str(&call("version", "null")).unwrap();
    assert_eq!(ok["ok"], amr_cmk::version());
    let err: Value = serde_json::from_str(&call("parseKeyUri", "\"http://x\"")).unwrap();
    assert_eq!(err["error"]["kind"], "keyUri");
    assert_eq!(err["error"]["code"], "key_uri.not_https");
    assert!(err["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    assert_eq!(err["error"]["params"]["scheme"], "http");
}

#[test]
fn huge_strings_are_cheap_errors() {
    let huge = "https://contoso.vault.azure.net/keys/".to_owned() + &"k".repeat(10 << 20);
    assert_eq!(parse_key_uri(&huge).unwrap_err().code(), "key_uri.too_long");
    assert_eq!(
        parse_identity_id(&huge).unwrap_err().code(),
        "identity_id.too_long"
    );
    assert_eq!(
        amr_cmk::tier_for_sku(&huge).unwrap_err().code(),
        "sku.unknown"
    );
    // Error params stay small whatever the input size.
    let answer = call("tierForSku", &serde_json::to_string(&huge).unwrap());
    assert!(answer.len() < 1000, "{} bytes", answer.len());
}

#[test]
fn both_key_input_methods_give_the_same_key() {
    let v = "0123456789abcdef0123456789abcdef";
    let from_uri = parse_key_uri(&format!(
        "https://Contoso.vault.azure.net/keys/cmk/{}",
        v.to_uppercase()
    ))
    .unwrap();
    let from_parts = amr_cmk::key_from_parts(
        "CONTOSO",
        "cmk",
        Some(v),
        amr_cmk::Cloud::Public,
        amr_cmk::VaultKind::Vault,
    )
    .unwrap();
    assert_eq!(from_uri, from_parts);
    assert_eq!(
        from_uri.uri(),
        format!("https://contoso.vault.azure.net/keys/cmk/{v}")
    );
    assert_eq!(parse_key_uri(from_uri.uri()).unwrap(), from_uri);
}

/// Hostile templates: copy counts above ARM's limit, nested loops, huge ranges, lambdas within lambdas. Each
/// ends quickly in a finding (or a structured error), never a hang or a panic.
#[cfg(feature = "templates")]
#[test]
fn hostile_templates_stay_bounded() {
    use serde_json::json;
    let cache = json!({"type": "Microsoft.Cache/redisEnterprise", "name": "c", "location": "eastus",
        "properties": {"encryption": {"customerManagedKeyEncryption": {"keyEncryptionKeyUrl": "[variables('v')]"}}}});
    let nest = |depth: usize| {
        (0..depth).fold("range(0, 800)".to_owned(), |acc, _| {
            format!("map({acc}, lambda('x', range(0, 800)))")
        })
    };
    let variables = [
        json!({"v": "[string(range(0, 2000000000))]"}),
        json!({"v": format!("[string({})]", nest(6))}),
        json!({"copy": [{"name": "v", "count": 800, "input": {"copy": [{"name": "w", "count": 800,
            "input": "[string(range(0, 800))]"}]}}]}),
        json!({"v": "[string(reduce(range(0, 800), createArray(), lambda('a', 'b', concat(lambdaVariables('a'), lambdaVariables('a'), createArray(lambdaVariables('b'))))))]"}),
    ];
    for vars in variables {
        for copy in [json!(100_000_000), json!(800), json!("[parameters('x')]")] {
            let doc = json!({"contentVersion": "1.0.0.0", "variables": vars,
                "resources": [{"type": "Microsoft.Authorization/roleAssignments", "name": "[guid(string(copyIndex()))]",
                    "copy": {"name": "r", "count": copy}, "properties": {"principalId": "[variables('v')]"}}, cache]});
            let start = std::time::Instant::now();
            let args = json!({"document": doc}).to_string();
            let answer: Value = serde_json::from_str(&call("check", &args)).expect("JSON");
            assert!(
                start.elapsed().as_secs() < 20,
                "took {:?}: {vars}",
                start.elapsed()
            );
            assert!(
                answer.get("ok").is_some() || answer.get("error").is_some(),
                "{answer}"
            );
        }
    }
}
