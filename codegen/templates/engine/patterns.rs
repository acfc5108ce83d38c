//! `pattern` and `patternProperties` regular expressions: ECMA-262 syntax translated to the
//! `regex` crate's as the `jsonschema` validator translates it (its own `jsonschema-regex`), and
//! matched with `regex`, whose time is linear in the input: no pattern can make a check hang.

/// The compiled form of an ECMA-262 `pattern` (a search, not a whole-string match).
pub fn compile(pattern: &str) -> Result<regex::Regex, String> {
    if !jsonschema_regex::is_valid_ecma_regex(pattern) {
        return Err("not an ECMA-262 regular expression".into());
    }
    let translated = jsonschema_regex::to_rust_regex(pattern)
        .map_err(|()| "not an ECMA-262 regular expression the engine can translate".to_string())?;
    regex::Regex::new(&translated).map_err(|e| e.to_string())
}
