//! The published records of `data/real/`, reported as each sector's division
//! would report them (`partial=true`): every row must get the verdict, and
//! the error codes, that `data/real/expected.csv` records for it from the
//! published facts — and the rows accepted must be stored.

use crate::util::{Db, TestHost, root};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

/// The files of `data/real/` and the record kind each holds.
const FILES: [(&str, &str); 2] = [("penalties.csv", "penalty"), ("licences.csv", "licence")];

/// One row of `data/real/expected.csv`.
struct Expected {
    file: String,
    /// 1-based line where the row starts in `file` (header = 1).
    line: usize,
    /// The sector whose import the row belongs to, or `none`: not imported.
    sector: String,
    /// `accepted` or `rejected`.
    verdict: String,
    /// Codes the row must be rejected with (all of them among its errors).
    codes: Vec<String>,
    why: String,
}

fn expected() -> Vec<Expected> {
    let mut reader = csv::Reader::from_path(root().join("data/real/expected.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            Expected {
                file: r[0].to_owned(),
                line: r[1].parse().unwrap(),
                sector: r[2].to_owned(),
                verdict: r[3].to_owned(),
                codes: r[4].split(';').filter(|c| !c.is_empty()).map(str::to_owned).collect(),
                why: r[5].to_owned(),
            }
        })
        .collect()
}

/// The header's bytes, and each data row's starting line and bytes as
/// written (a quoted cell may span lines).
fn rows_of(text: &str) -> (Range<usize>, Vec<(usize, Range<usize>)>) {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    let starts: Vec<(usize, usize)> = reader
        .records()
        .map(|r| {
            // The reader places a record at the line break before its first cell.
            let at = r.unwrap().position().unwrap().byte() as usize;
            let byte = at + text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len();
            (1 + text[..byte].matches('\n').count(), byte)
        })
        .collect();
    let end = |i: usize| starts.get(i + 1).map_or(text.len(), |s| s.1);
    let rows = (1..starts.len()).map(|i| (starts[i].0, starts[i].1..end(i))).collect();
    (0..end(0), rows)
}

#[tokio::test]
async fn real_published_rows_get_the_verdicts_of_expected_csv() {
    let host = TestHost::start(Db::Sqlite).await;
    let expected = expected();
    let mut problems: Vec<String> = Vec::new();
    // (file, original line) → the error codes the importer gave the row.
    let mut got: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();

    for (file, kind) in FILES {
        let text = std::fs::read_to_string(root().join("data/real").join(file)).unwrap();
        let (header, rows) = rows_of(&text);
        let listed: BTreeSet<usize> = expected.iter().filter(|e| e.file == file).map(|e| e.line).collect();
        let in_file: BTreeSet<usize> = rows.iter().map(|(line, _)| *line).collect();
        if listed != in_file {
            problems.push(format!("{file}: expected.csv lists lines {listed:?}, the file has rows at {in_file:?}"));
        }
        let sectors: BTreeSet<&str> =
            expected.iter().filter(|e| e.file == file && e.sector != "none").map(|e| e.sector.as_str()).collect();
        for sector in sectors {
            // The sector's rows as one upload: the header, then the rows as
            // written; `original[i]` is the file line of the upload's line i.
            let mut upload = text[header.clone()].to_owned();
            let mut original = vec![0, 1];
            for (line, bytes) in &rows {
                if expected.iter().any(|e| e.file == file && e.line == *line && e.sector == sector) {
                    original.push(*line);
                    upload.push_str(&text[bytes.clone()]);
                    original.resize(upload.matches('\n').count() + 1, 0);
                }
            }
            let url = format!("/api/v1/imports?sector={sector}&kind={kind}&partial=true");
            let (status, _, body) = host.post_csv(&url, upload.into_bytes()).await;
            // With `partial`, a 201 lists the rejected rows; a 422 means no row was valid.
            let errors = match status {
                201 => &body["rejected"],
                422 => &body["errors"],
                _ => panic!("{file} as {sector}: status {status}: {body:#}"),
            };
            for e in errors.as_array().unwrap() {
                let code = e["code"].as_str().unwrap().to_owned();
                match e["line"].as_u64().map(|l| original.get(l as usize).copied().unwrap_or(0)) {
                    Some(line) if line > 1 => got.entry((file.to_owned(), line)).or_default().push(code),
                    _ => problems.push(format!("{file} as {sector}: an error not about a row: {e}")),
                }
            }
            let stored = host.state.store.count_records(Some(sector), Some(kind)).await.unwrap();
            let accepted =
                expected.iter().filter(|e| e.file == file && e.sector == sector && e.verdict == "accepted").count();
            if stored != accepted as i64 {
                problems.push(format!("{file} as {sector}: {stored} record(s) stored, {accepted} row(s) accepted"));
            }
        }
    }

    for e in &expected {
        let mut codes = got.remove(&(e.file.clone(), e.line)).unwrap_or_default();
        codes.sort();
        codes.dedup();
        if e.sector == "none" {
            // Not sent: no sector of the bureau covers it.
            if e.verdict != "rejected" || !codes.is_empty() {
                problems.push(format!("{} line {}: sector none must be left out as rejected", e.file, e.line));
            }
            continue;
        }
        let verdict = if codes.is_empty() { "accepted" } else { "rejected" };
        if verdict != e.verdict || e.codes.iter().any(|c| !codes.contains(c)) {
            problems.push(format!(
                "{} line {} ({}): expected {} [{}], got {} [{}] — {}",
                e.file,
                e.line,
                e.sector,
                e.verdict,
                e.codes.join(";"),
                verdict,
                codes.join(";"),
                e.why
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} mismatch(es) with data/real/expected.csv:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
