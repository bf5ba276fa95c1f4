//! The JSON record path on any body: `POST /api/v1/records`'s parsing into
//! rows, then every check a row meets before a plugin (text, identifiers,
//! dates, amounts, the red list's JSON Schema) and its turning into stored
//! form (keyed hash and encrypted copy of an ID number). Never a panic; a
//! refusal lists its errors, and nothing prepared holds a full ID number.
#![no_main]

use credit_host::domain::severity::CreditPolicy;
use credit_host::ingest::prepare::{PrepareError, prepare, red_list_validator};
use credit_host::privacy::PersonalDataKeys;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().build().unwrap());
static RED_LIST: LazyLock<Arc<jsonschema::Validator>> = LazyLock::new(|| Arc::new(red_list_validator()));

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let Ok(rows) = credit_host::api::json_rows(body) else { return };
    let ids: Vec<String> = rows
        .iter()
        .flat_map(|r| r.body.values())
        .filter_map(|v| v.as_str())
        .filter(|s| credit_host::domain::identifiers::IdNumber::parse(s).is_ok())
        .map(str::to_owned)
        .collect();
    let keys = PersonalDataKeys::new("fuzz-hash", "fuzz-enc");
    let policy = Arc::new(CreditPolicy::default());
    let partial = pick % 2 == 1;
    let prepared = RUNTIME.block_on(prepare(None, RED_LIST.clone(), "red-list", rows, policy, keys, partial));
    match prepared {
        Ok(p) => {
            for body in p.entries.iter().filter_map(|e| e.body.as_ref()) {
                // Free text is stored redacted: nothing left to mask.
                for (k, v) in body.as_object().into_iter().flatten() {
                    let identifier = k.ends_with("_number") || k.ends_with("uscc") || k.ends_with("_code");
                    if let Some(text) = v.as_str().filter(|_| !identifier) {
                        assert_eq!(credit_host::privacy::redact(text), text, "{k} holds an ID number");
                    }
                }
                for id in &ids {
                    let full = credit_host::domain::identifiers::IdNumber::parse(id).unwrap().expose().to_owned();
                    assert!(body.get("id_number").is_none_or(|v| v != full.as_str()), "the ID number field is masked");
                }
            }
        }
        Err(PrepareError::Invalid(errors)) => assert!(!errors.is_empty()),
        Err(PrepareError::Plugin(f)) => panic!("no plugin runs here: {f}"),
    }
});
