//! What an amendment changed: the serialised agreement before and after,
//! compared down to the smallest part that differs.
//!
//! Objects are compared field by field (`review.next_due`). A list whose
//! entries each carry an identity (a party, a financial year, a date) is
//! compared entry by entry, each named by that identity:
//! `members[nottinghamshire-police@2014-04-01].role`,
//! `costs.formulas[2016-04-01].formula.shares[leicestershire-police].percent`,
//! `costs.budgets[2021/22].amount`. Any other list, and any value whose kind
//! changes, is one change with its whole value before and after. An entry or
//! field added has no value before; one removed has none after.

use serde_json::{Map, Value};

use crate::amendment::FieldChange;

/// The fields that name a list entry, in the order they are joined with `@`.
const IDENTITY: [&str; 6] = ["party", "year", "from", "joined", "date", "id"];

/// The changes between two serialised agreements; the amendment history
/// itself is left out.
pub(crate) fn diff_agreement(before: &Value, after: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let empty = Map::new();
    let (b, a) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    diff_objects("", b, a, &["amendments"], &mut changes);
    changes
}

fn diff_objects(
    path: &str,
    before: &Map<String, Value>,
    after: &Map<String, Value>,
    skip: &[&str],
    changes: &mut Vec<FieldChange>,
) {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        if skip.contains(&key.as_str()) {
            continue;
        }
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        diff_values(at, before.get(key), after.get(key), changes);
    }
}

fn diff_values(
    path: String,
    before: Option<&Value>,
    after: Option<&Value>,
    changes: &mut Vec<FieldChange>,
) {
    if before == after {
        return;
    }
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => diff_objects(&path, b, a, &[], changes),
        (Some(Value::Array(b)), Some(Value::Array(a))) => match (identities(b), identities(a)) {
            (Some(bi), Some(ai)) => diff_lists(&path, b, &bi, a, &ai, changes),
            _ => changes.push(change(path, before, after)),
        },
        _ => changes.push(change(path, before, after)),
    }
}

fn change(field: String, before: Option<&Value>, after: Option<&Value>) -> FieldChange {
    FieldChange {
        field,
        before: before.cloned(),
        after: after.cloned(),
    }
}

/// Entries matched by identity: changed ones in the order they were, then
/// removed ones, then added ones.
fn diff_lists(
    path: &str,
    before: &[Value],
    before_ids: &[String],
    after: &[Value],
    after_ids: &[String],
    changes: &mut Vec<FieldChange>,
) {
    for (old, id) in before.iter().zip(before_ids) {
        let at = format!("{path}[{id}]");
        let new = after_ids
            .iter()
            .position(|other| other == id)
            .and_then(|i| after.get(i));
        diff_values(at, Some(old), new, changes);
    }
    for (new, id) in after.iter().zip(after_ids) {
        if !before_ids.contains(id) {
            changes.push(change(format!("{path}[{id}]"), None, Some(new)));
        }
    }
}

/// Each entry's identity, when every entry is an object that has one and no
/// two share it.
fn identities(list: &[Value]) -> Option<Vec<String>> {
    let ids: Vec<String> = list
        .iter()
        .map(|entry| {
            let object = entry.as_object()?;
            let parts: Vec<&str> = IDENTITY
                .iter()
                .filter_map(|field| object.get(*field).and_then(Value::as_str))
                .collect();
            (!parts.is_empty()).then(|| parts.join("@"))
        })
        .collect::<Option<Vec<String>>>()?;
    let mut sorted: Vec<&String> = ids.iter().collect();
    sorted.sort();
    sorted.dedup();
    (sorted.len() == ids.len()).then_some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(before: Value, after: Value) -> Vec<(String, Option<Value>, Option<Value>)> {
        diff_agreement(&before, &after)
            .into_iter()
            .map(|c| (c.field, c.before, c.after))
            .collect()
    }

    #[test]
    fn objects_are_compared_field_by_field() {
        let got = fields(
            json!({"end": "2030-04-01", "review": {"cadence_months": 12}, "amendments": [1]}),
            json!({"end": "2031-04-01", "review": {"cadence_months": 12, "next_due": "2027-01-01"}, "amendments": [1, 2]}),
        );
        assert_eq!(
            got,
            [
                (
                    "end".into(),
                    Some(json!("2030-04-01")),
                    Some(json!("2031-04-01"))
                ),
                ("review.next_due".into(), None, Some(json!("2027-01-01"))),
            ]
        );
    }

    #[test]
    fn lists_with_identities_are_compared_entry_by_entry() {
        let shares = |a: &str, b: &str| {
            json!({"formulas": [{"from": "2016-04-01", "formula": {"kind": "fixed_percentages",
                "shares": [{"party": "x", "percent": a}, {"party": "y", "percent": b}]}}]})
        };
        let got = fields(
            json!({"costs": shares("50", "50")}),
            json!({"costs": shares("60", "40")}),
        );
        let names: Vec<&str> = got.iter().map(|(f, _, _)| f.as_str()).collect();
        assert_eq!(
            names,
            [
                "costs.formulas[2016-04-01].formula.shares[x].percent",
                "costs.formulas[2016-04-01].formula.shares[y].percent"
            ]
        );
        let got = fields(
            json!({"members": [{"party": "x", "joined": "2020-04-01"}]}),
            json!({"members": [{"party": "y", "joined": "2021-04-01"}]}),
        );
        assert_eq!(
            got,
            [
                (
                    "members[x@2020-04-01]".into(),
                    Some(json!({"party": "x", "joined": "2020-04-01"})),
                    None
                ),
                (
                    "members[y@2021-04-01]".into(),
                    None,
                    Some(json!({"party": "y", "joined": "2021-04-01"}))
                ),
            ]
        );
    }

    #[test]
    fn lists_without_identities_change_whole() {
        let got = fields(
            json!({"functions": ["dogs"]}),
            json!({"functions": ["dogs", "ict"]}),
        );
        assert_eq!(
            got,
            [(
                "functions".into(),
                Some(json!(["dogs"])),
                Some(json!(["dogs", "ict"]))
            )]
        );
    }
}
