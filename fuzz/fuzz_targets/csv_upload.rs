//! The CSV importer on any bytes, two ways: whole (an inline upload) and
//! streamed in chunks (a background import). It must never panic, and both
//! must read the same rows — lines, cells, bodies — and refuse the same
//! files with the same errors.
#![no_main]

use credit_host::domain::columns::Columns;
use credit_host::ingest::stream::{self, Format};
use credit_host::ingest::{self, Row};
use libfuzzer_sys::fuzz_target;

fn seen(rows: &[Row]) -> Vec<(Option<usize>, String, Vec<String>)> {
    rows.iter().map(|r| (r.line, serde_json::Value::Object(r.body.clone()).to_string(), r.raw.clone())).collect()
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the kind and a declared charset, the rest is the file.
    let Some((&pick, file)) = data.split_first() else { return };
    let kind = ["penalty", "licence", "red-list"][usize::from(pick % 3)];
    let content_type = ["text/csv", "text/csv; charset=gbk", "text/csv; charset=utf-8", "text/csv; charset=gb18030"]
        [usize::from(pick / 3 % 4)];
    let columns = Columns::new(kind, None);
    if matches!(Format::of(Some(content_type), file), Format::Xlsx) {
        return;
    }
    let whole = ingest::parse_upload(kind, &columns, Some(content_type), file);
    let format = Format::of(Some(content_type), file);
    let streamed = stream::scan(file, format).and_then(|scan| {
        let mut rows = Vec::new();
        let read = stream::read_chunks(file, kind, &columns, scan, 3, |chunk| {
            rows.extend(chunk);
            Ok(())
        })
        .expect("the sink never stops");
        read.map(|_| rows)
    });
    match (&whole, &streamed) {
        (Ok(table), Ok(rows)) => assert_eq!(seen(&table.rows), seen(rows), "rows differ"),
        (Err(a), Err(b)) => assert_eq!(a, b, "errors differ"),
        _ => panic!("whole: {:?}\nstreamed: {:?}", whole.as_ref().map(|t| t.rows.len()), streamed.as_ref().map(Vec::len)),
    }
});
