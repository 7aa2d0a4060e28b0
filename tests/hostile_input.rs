//! Malformed input is refused with an error, never a panic: truncated and
//! mutated copies of the sample, and documents with values of the wrong kind.

use collab_registry::{LoadError, Registry, SAMPLE_JSON};
use proptest::prelude::*;
use serde_json::Value;

/// Whatever loads must save and reload to the same bytes.
fn check(text: &str) -> Result<(), TestCaseError> {
    match Registry::from_json_str(text) {
        Ok(registry) => {
            let saved = registry.to_json_string();
            let again = Registry::from_json_str(&saved).map(|r| r.to_json_string());
            prop_assert_eq!(again.ok(), Some(saved));
        }
        Err(LoadError::Invalid(problems)) => prop_assert!(!problems.0.is_empty()),
        Err(LoadError::Json { line, column, .. }) => {
            prop_assert!(line >= 1 && column <= text.len() + 1)
        }
        Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
    }
    Ok(())
}

/// Every JSON value inside `value`, by a path of keys and indexes.
fn paths(value: &Value, here: Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let mut p = here.clone();
                p.push(k.clone());
                paths(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let mut p = here.clone();
                p.push(i.to_string());
                paths(v, p, out);
            }
        }
        _ => {}
    }
}

fn at<'a>(value: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, key| match v {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[a-z0-9 ./:-]{0,12}".prop_map(Value::from),
        Just(Value::from("2021-02-29")),
        Just(Value::from("-0.01")),
        Just(Value::from("99999999999999999999.99")),
        Just(Value::from("2021/22")),
        Just(Value::from("derbyshire-police")),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn truncated_sample_is_refused_cleanly(cut in 0usize..SAMPLE_JSON.len()) {
        let mut end = cut;
        while !SAMPLE_JSON.is_char_boundary(end) {
            end -= 1;
        }
        check(&SAMPLE_JSON[..end])?;
    }

    #[test]
    fn any_value_replaced_by_any_other_is_handled(pick in any::<prop::sample::Index>(), new in replacement()) {
        let mut doc: Value = serde_json::from_str(SAMPLE_JSON).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut all = Vec::new();
        paths(&doc, Vec::new(), &mut all);
        let path = pick.get(&all).clone();
        if let Some(slot) = at(&mut doc, &path) {
            *slot = new;
        }
        check(&doc.to_string())?;
    }

    #[test]
    fn arbitrary_bytes_are_refused_cleanly(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        check(&String::from_utf8_lossy(&bytes))?;
    }
}
