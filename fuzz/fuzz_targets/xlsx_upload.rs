//! The XLSX importer on any bytes (seeded with real workbooks): never a
//! panic, every refusal a located error.
#![no_main]

use credit_host::domain::columns::Columns;
use credit_host::ingest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let columns = Columns::new("penalty", None);
    match ingest::parse_xlsx("penalty", &columns, data) {
        Ok(table) => {
            for row in &table.rows {
                assert!(row.line.is_some_and(|l| l >= 2), "a data row below the header");
            }
        }
        Err(errors) => assert!(!errors.is_empty(), "a refusal says why"),
    }
});
