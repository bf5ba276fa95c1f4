//! The identifier parsers on any text: USCC (GB 32100-2015), ID numbers
//! (GB 11643-1999, with 15-digit legacy numbers), normalisation, decision
//! numbers, written dates and masking. Never a panic; what parses is valid
//! again once written out, normalising twice changes nothing, and a masked
//! or redacted text never holds the full ID number.
#![no_main]

use credit_host::domain::identifiers::{IdNumber, Uscc, normalise};
use credit_host::ingest::prepare::normalise_decision_number;
use credit_host::ingest::written_date;
use credit_host::privacy::{mask_document, redact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let once = normalise(text);
    assert_eq!(normalise(&once), once, "normalise is idempotent");
    if let Ok(uscc) = Uscc::parse(text) {
        assert_eq!(Uscc::parse(uscc.as_str()).map(|u| u.as_str().to_owned()).ok().as_deref(), Some(uscc.as_str()));
    }
    if let Ok(id) = IdNumber::parse(text) {
        let full = id.expose().to_owned();
        assert_eq!(full.chars().count(), 18, "an ID number is held in its 18-character form");
        assert!(IdNumber::parse(&full).is_ok(), "the 18-character form parses");
        assert!(!id.masked().contains(&full), "masked");
        assert!(!mask_document(&full).contains(&full), "masked as a document");
        assert!(!redact(&format!("号码 {full} 。")).contains(&full), "redacted");
    }
    let number = normalise_decision_number(text);
    assert_eq!(normalise_decision_number(&number), number, "decision numbers normalise once");
    if let Some(day) = written_date(text) {
        assert!(chrono_like(&day), "a written date reads as YYYY-MM-DD: {day}");
    }
});

fn chrono_like(day: &str) -> bool {
    let b = day.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
