#[test]
fn sample_loads() {
    match collab_registry::sample() {
        Ok(r) => {
            let again = r.to_json_string();
            let r2 = collab_registry::Registry::from_json_str(&again).unwrap();
            assert_eq!(r2.to_json_string(), again);
            println!("{}", &again[..200]);
        }
        Err(e) => panic!("{e}"),
    }
}
#[test]
fn rewrite_sample() {
    let r = collab_registry::sample().unwrap();
    std::fs::write("/tmp/sample-v2.json", r.to_json_string()).unwrap();
}
