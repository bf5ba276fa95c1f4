//! From rows to records: identifiers, JSON Schema, the plugin's batch
//! check, then severity, publicity and list entries.

use super::{Row, RowError};
use crate::domain::columns::Columns;
use crate::domain::identifiers::{IdNumber, Uscc, normalise};
use crate::domain::severity::{CreditPolicy, Severity, penalty_types};
use crate::privacy::{PersonalDataKeys, mask_document};
use crate::runtime::{LoadedPlugin, PluginFault};
use crate::store::{NewListEntry, NewRecord, NewSubject};
use chrono::{Datelike, NaiveDate};
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::sync::Arc;

/// Validated records ready to store, and the warnings found on the way.
#[derive(Debug, Default)]
pub struct Prepared {
    /// Records (penalties, licences).
    pub records: Vec<NewRecord>,
    /// List entries (red list rows).
    pub entries: Vec<NewListEntry>,
    /// Warnings (do not reject).
    pub warnings: Vec<RowError>,
    /// With `partial`: the errors of the rows left out (empty otherwise,
    /// since any error rejects the batch).
    pub rejected: Vec<RowError>,
    /// With `partial`: how many rows were left out.
    pub rejected_rows: usize,
    /// The position among the input rows of each record, then of each
    /// entry (the valid rows, in order).
    pub sources: Vec<usize>,
}

/// Why a batch could not be prepared.
#[derive(Debug)]
pub enum PrepareError {
    /// Rows are invalid: every error of every row.
    Invalid(Vec<RowError>),
    /// The plugin failed (trap, limit, refusal).
    Plugin(PluginFault),
}

fn text<'a>(row: &'a Row, field: &str) -> Option<&'a str> {
    row.body.get(field).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Normalise a decision number for matching: half-width, no spaces, and
/// every bracket pair (〔〕 [] （） 【】) as `[]`.
pub fn normalise_decision_number(raw: &str) -> String {
    normalise(raw)
        .chars()
        .map(|c| match c {
            '〔' | '[' | '【' | '（' | '(' | '［' => '[',
            '〕' | ']' | '】' | '）' | ')' | '］' => ']',
            c => c,
        })
        .collect()
}

/// The Chinese and English message of a schema error at field `title`.
fn schema_message(kind: &ValidationErrorKind, field: &str, fallback: &str) -> (String, String, &'static str) {
    match kind {
        ValidationErrorKind::Required { .. } => {
            (format!("缺少必填字段“{field}”"), format!("required field {field:?} is missing"), "required")
        }
        ValidationErrorKind::Format { format } if format == "date" => {
            (format!("“{field}”应为YYYY-MM-DD格式的日期"), format!("{field} must be a date YYYY-MM-DD"), "invalid-date")
        }
        ValidationErrorKind::Enum { options } => (
            format!("“{field}”的取值不在允许范围内，可选：{}", options),
            format!("{field} must be one of {options}"),
            "not-allowed",
        ),
        ValidationErrorKind::Pattern { .. } => {
            (format!("“{field}”格式不正确"), format!("{field} has the wrong format"), "pattern")
        }
        ValidationErrorKind::Minimum { limit } => {
            (format!("“{field}”不能小于{limit}"), format!("{field} must be at least {limit}"), "below-minimum")
        }
        ValidationErrorKind::Type { .. } => {
            (format!("“{field}”的类型不正确"), format!("{field} has the wrong type: {fallback}"), "wrong-type")
        }
        ValidationErrorKind::UnevaluatedProperties { unexpected }
        | ValidationErrorKind::AdditionalProperties { unexpected } => (
            format!("不认识的字段：{}", unexpected.join("、")),
            format!("unknown fields: {}", unexpected.join(", ")),
            "unknown-field",
        ),
        ValidationErrorKind::MinLength { .. } => {
            (format!("“{field}”不能为空"), format!("{field} must not be empty"), "empty")
        }
        _ => (format!("“{field}”不符合要求：{fallback}"), format!("{field} is invalid: {fallback}"), "schema"),
    }
}

/// Trim every text value (ASCII, ideographic and non-breaking spaces) and
/// drop the empty ones, as a spreadsheet cell would be read; refuse control
/// characters, which no 双公示 field holds (and PostgreSQL cannot store NUL).
fn clean_text(row: &mut Row, errors: &mut Vec<RowError>) {
    let mut empty = Vec::new();
    let mut bad = Vec::new();
    for (field, value) in row.body.iter_mut() {
        let Value::String(s) = value else { continue };
        let trimmed = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{00A0}');
        if trimmed.len() != s.len() {
            *s = trimmed.to_owned();
        }
        if s.is_empty() {
            empty.push(field.clone());
        } else if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
            bad.push(field.clone());
        }
    }
    for field in empty {
        row.body.remove(&field);
    }
    for field in bad {
        let shown = row.columns.get(&field).cloned().unwrap_or_else(|| field.clone());
        errors.push(RowError::at(
            row,
            &field,
            "control-character",
            format!("“{shown}”含有不可见的控制字符，请删除后重新报送"),
            format!("{field} contains a control character; remove it"),
        ));
    }
    // Names copied from a published page arrive masked (`******网咖`, `张*`):
    // the credit file needs them whole; the system masks what it publishes.
    for field in ["subject_name", "legal_representative"] {
        if row.body.get(field).and_then(Value::as_str).is_some_and(|s| s.contains(['*', '＊'])) {
            let shown = row.columns.get(field).cloned().unwrap_or_else(|| field.to_owned());
            errors.push(RowError::at(
                row,
                field,
                "masked-value",
                format!("“{shown}”被遮蔽（含*），请报送完整名称；对外公示时由系统按规定遮蔽"),
                format!("{field} is masked (contains *); report it whole — the system masks what it publishes"),
            ));
        }
    }
}

/// Date fields of record bodies.
/// Dates a clerk can mean: from 1949 to 2100, and a decision or listing not
/// after `today`.
/// Rows per `check-records` call: large uploads are checked in batches of
/// this many (about 1 MB of JSON), well inside the plugin's limits.
const CHECK_BATCH: usize = 1_000;

/// Amounts in 万元 that look like yuan: 10,000 万元 (100 million yuan) or
/// more is refused, 1,000 万元 or more is a warning — no penalty of the
/// bureau's regulations comes near either.
const IMPLAUSIBLE_WAN_YUAN: (f64, f64) = (10_000.0, 1_000.0);

fn check_amounts(row: &Row, columns: &Columns, errors: &mut Vec<RowError>, warnings: &mut Vec<RowError>) {
    for (field, value) in &row.body {
        let Some(v) = value.as_f64().filter(|_| columns.is_number(field)) else { continue };
        let shown = row.columns.get(field).map(String::as_str).unwrap_or(field);
        // (A negative amount breaks the schema's `minimum: 0`.)
        if v >= IMPLAUSIBLE_WAN_YUAN.1 {
            let yuan = v * 10_000.0;
            let (zh, en) = (
                format!(
                    "“{shown}”为{v}万元（即{yuan}元），金额以万元为单位，是否误填了元？若为{v}元，应填{}",
                    v / 10_000.0
                ),
                format!(
                    "{field} is {v} wan yuan ({yuan} yuan); amounts are in wan yuan — if {v} yuan was meant, enter {}",
                    v / 10_000.0
                ),
            );
            let target = if v >= IMPLAUSIBLE_WAN_YUAN.0 { &mut *errors } else { &mut *warnings };
            target.push(RowError::at(row, field, "amount-looks-like-yuan", zh, en));
        }
    }
}

fn check_dates(row: &Row, kind: &str, columns: &Columns, today: NaiveDate, errors: &mut Vec<RowError>) {
    for field in columns.dates() {
        let Some(d) = date(row, field) else { continue };
        let shown = row.columns.get(field).map(String::as_str).unwrap_or(field);
        if !(1949..=2100).contains(&d.year()) {
            errors.push(RowError::at(
                row,
                field,
                "implausible-date",
                format!("“{shown}”的年份{}不合理（应在1949至2100年之间）", d.year()),
                format!("{field} has an implausible year {} (expected 1949 to 2100)", d.year()),
            ));
        } else if (field == "decision_date" || (field == "start_date" && kind == "red-list")) && d > today {
            errors.push(RowError::at(
                row,
                field,
                "date-in-future",
                format!("“{shown}”{d}晚于今天{today}，决定尚未作出不能报送"),
                format!("{field} {d} is after today {today}"),
            ));
        }
    }
}

/// Normalise identifier fields (the standard ones and those a kind's
/// schema declares) in place and check their check characters.
fn check_identifiers(row: &mut Row, columns: &Columns, errors: &mut Vec<RowError>) {
    for field in columns.identifiers() {
        let Some(raw) = row.body.get(field).and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        let n = normalise(&raw);
        row.body.insert(field.to_owned(), Value::String(n.clone()));
        // USCC fields are named `…uscc` (`uscc`, `authority_uscc`,
        // `installer_uscc`); the other identifiers are ID numbers.
        let is_id = !field.ends_with("uscc");
        let type_field = if field == "id_number" { "id_type" } else { "legal_representative_id_type" };
        if is_id && text(row, type_field).is_some_and(|t| t != "身份证") {
            continue;
        }
        let result = if is_id { IdNumber::parse(&n).map(|_| ()) } else { Uscc::parse(&n).map(|_| ()) };
        if let Err(e) = result {
            let (zh, en) = if is_id { ("身份证号码", "ID number") } else { ("统一社会信用代码", "USCC") };
            errors.push(RowError::at(
                row,
                field,
                if is_id { "invalid-id-number" } else { "invalid-uscc" },
                format!("{zh}无效：{}", e.message_zh()),
                format!("invalid {en}: {e}"),
            ));
        }
    }
}

fn person(keys: &PersonalDataKeys, id_type: Option<&str>, number: &str, name: &str) -> NewSubject {
    match IdNumber::parse(number) {
        Ok(id) if id_type.is_none_or(|t| t == "身份证") => NewSubject {
            key: keys.person_key(&id),
            kind: "natural-person".into(),
            name: name.to_owned(),
            uscc: None,
            id_hash_key_id: Some(keys.hash_key_id().to_owned()),
            id_masked: Some(id.masked()),
            id_encrypted: Some(keys.encrypt(&id)),
        },
        _ => {
            // Another document type: hashed with its type; shown masked to its last 4.
            let pseudo = format!("{}:{number}", id_type.unwrap_or("证件"));
            let key = format!("p:{}", &hex::encode(<sha2::Sha256 as sha2::Digest>::digest(pseudo.as_bytes()))[..32]);
            NewSubject {
                key,
                kind: "natural-person".into(),
                name: name.to_owned(),
                uscc: None,
                id_hash_key_id: Some(keys.hash_key_id().to_owned()),
                id_masked: Some(mask_document(number)),
                id_encrypted: None,
            }
        }
    }
}

fn subject_of(row: &Row, keys: &PersonalDataKeys) -> NewSubject {
    let name = text(row, "subject_name").unwrap_or_default();
    match text(row, "subject_category") {
        Some("自然人") => person(keys, text(row, "id_type"), text(row, "id_number").unwrap_or_default(), name),
        category => {
            let uscc = text(row, "uscc").unwrap_or_default().to_owned();
            NewSubject {
                key: uscc.clone(),
                kind: if category == Some("个体工商户") { "individual-business" } else { "organisation" }.into(),
                name: name.to_owned(),
                uscc: Some(uscc),
                id_hash_key_id: None,
                id_masked: None,
                id_encrypted: None,
            }
        }
    }
}

fn date(row: &Row, field: &str) -> Option<NaiveDate> {
    text(row, field).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// `no-records`: an upload without a data row.
pub fn no_records() -> RowError {
    RowError {
        line: None,
        column: None,
        pointer: None,
        value: None,
        code: "no-records".into(),
        message: "没有可报送的记录：文件或请求中没有数据行".into(),
        message_en: "there is nothing to report: the upload has no data rows".into(),
    }
}

/// Check `rows` of record `kind` and turn them into records. `plugin` is
/// the sector's plugin (pinned for the whole batch); `None` with
/// `red_list` for the bureau's red list. With `partial`, the rows with an
/// error are left out (their errors in [`Prepared::rejected`]) and the
/// others prepared; without it, any error rejects the batch.
///
/// # Errors
/// [`PrepareError::Invalid`] with every error of every row (with `partial`:
/// only when no row is valid), or [`PrepareError::Plugin`] when the plugin
/// fails.
#[allow(clippy::too_many_arguments)]
pub async fn prepare(
    plugin: Option<Arc<LoadedPlugin>>,
    red_list: Arc<jsonschema::Validator>,
    kind: &str,
    rows: Vec<Row>,
    policy: Arc<CreditPolicy>,
    keys: PersonalDataKeys,
    partial: bool,
) -> Result<Prepared, PrepareError> {
    let kind = kind.to_owned();
    let sector = plugin.as_ref().map(|p| p.manifest.sector.clone()).unwrap_or_default();
    tokio::task::spawn_blocking(move || prepare_blocking(plugin, &red_list, &kind, rows, &policy, &keys, partial))
        .await
        .map_err(|e| {
            PrepareError::Plugin(PluginFault::Invalid { sector, reason: format!("validation panicked: {e}") })
        })?
}

/// [`prepare`] on the current thread: CPU-bound, so called on a blocking one.
fn prepare_blocking(
    plugin: Option<Arc<LoadedPlugin>>,
    red_list: &jsonschema::Validator,
    kind: &str,
    mut rows: Vec<Row>,
    policy: &CreditPolicy,
    keys: &PersonalDataKeys,
    partial: bool,
) -> Result<Prepared, PrepareError> {
    let mut errors = Vec::new();
    let today = crate::api::today();
    if rows.is_empty() {
        return Err(PrepareError::Invalid(vec![no_records()]));
    }
    let validator = match &plugin {
        Some(p) => p.validator(kind).ok_or_else(|| {
            PrepareError::Invalid(vec![RowError {
                line: None,
                column: None,
                pointer: None,
                value: Some(kind.to_owned()),
                code: "unknown-kind".into(),
                message: format!("{}行业插件不接受“{kind}”类记录", p.manifest.sector),
                message_en: format!("the {} plugin has no record kind {kind:?}", p.manifest.sector),
            }])
        })?,
        None => red_list,
    };
    let columns = plugin.as_ref().map_or_else(|| Columns::new(kind, None), |p| p.columns(kind));
    // Times of the passes below, for the debug log.
    let t0 = std::time::Instant::now();
    let mut valid = Vec::with_capacity(rows.len());
    let mut unknown = Vec::new();
    let mut warnings = Vec::new();
    for row in &mut rows {
        let before = errors.len();
        errors.append(&mut row.errors);
        clean_text(row, &mut errors);
        check_identifiers(row, &columns, &mut errors);
        check_dates(row, kind, &columns, today, &mut errors);
        check_amounts(row, &columns, &mut errors, &mut warnings);
        if kind == "red-list"
            && let (Some(start), Some(end)) = (date(row, "start_date"), date(row, "end_date"))
            && end < start
        {
            errors.push(RowError::at(
                row,
                "end_date",
                "validity-reversed",
                format!("有效期至{end}早于列入日期{start}"),
                format!("end_date {end} is before start_date {start}"),
            ));
        }
        let body = Value::Object(row.body.clone());
        // Most rows are valid: the errors are collected only for those
        // that are not (collecting costs several times a plain check).
        let schema_errors = if validator.is_valid(&body) { None } else { Some(validator.iter_errors(&body)) };
        for e in schema_errors.into_iter().flatten() {
            let path = e.instance_path().as_str().trim_start_matches('/').to_owned();
            let field = match e.kind() {
                ValidationErrorKind::Required { property } => property.as_str().unwrap_or_default().to_owned(),
                _ => path.clone(),
            };
            let shown = row
                .columns
                .get(&field)
                .cloned()
                .or(columns.header(&field).map(str::to_owned))
                .unwrap_or_else(|| field.clone());
            let (zh, en, code) = schema_message(e.kind(), &shown, &e.to_string());
            // A subschema that fails drops its annotations, so every field
            // then looks "unevaluated": report unknown fields only when
            // nothing else is wrong with the row.
            if code == "unknown-field" {
                unknown.push(RowError::at(row, &field, code, zh, en));
                continue;
            }
            // A pattern failure on an identifier is already reported with its check rule.
            if code == "pattern"
                && errors[before..].iter().any(|x| x.pointer.as_deref().is_some_and(|p| p.ends_with(&field)))
            {
                continue;
            }
            let mut err = RowError::at(row, &field, code, zh, en);
            if row.line.is_some() && err.column.is_none() {
                err.column = columns.header(&field).map(str::to_owned);
            }
            errors.push(err);
        }
        if errors.len() == before {
            errors.append(&mut unknown);
        }
        unknown.clear();
        valid.push(errors.len() == before);
    }
    let t1 = std::time::Instant::now();
    if let Some(p) = &plugin {
        // Every row, also those the schema refused, so a clerk hears every
        // reason at once (a 不予行政处罚 decision with a missing date is told
        // both).
        // In batches: one call per batch, never per row, and no call large
        // enough to meet the plugin's fuel, time or memory limits.
        for (chunk, oks) in rows.chunks(CHECK_BATCH).zip(valid.chunks_mut(CHECK_BATCH)) {
            let bodies: Vec<String> = chunk.iter().map(|r| Value::Object(r.body.clone()).to_string()).collect();
            let answers = p.check_records(kind, &bodies).map_err(PrepareError::Plugin)?;
            for ((row, ok), violations) in chunk.iter().zip(oks.iter_mut()).zip(answers) {
                for v in violations {
                    let field = v.pointer.trim_start_matches('/');
                    let e = RowError::at(row, field, &v.code, v.message, v.message_en);
                    if v.warning {
                        warnings.push(e);
                    } else {
                        *ok = false;
                        errors.push(e);
                    }
                }
            }
        }
    }
    let t2 = std::time::Instant::now();
    let rejected_rows = valid.iter().filter(|ok| !**ok).count();
    if !errors.is_empty() && (!partial || rejected_rows == rows.len()) {
        return Err(PrepareError::Invalid(errors));
    }
    let version = plugin.as_ref().map(|p| p.manifest.version.clone());
    let sector = plugin.as_ref().map(|p| p.manifest.sector.clone());
    let mut out = Prepared { warnings, rejected: errors, rejected_rows, ..Prepared::default() };
    for (source, row) in rows.iter().enumerate().zip(&valid).filter(|(_, ok)| **ok).map(|(r, _)| r) {
        out.sources.push(source);
        let subject = subject_of(row, keys);
        if kind == "red-list" {
            let body = masked_body(row);
            out.entries.push(NewListEntry {
                list: "red".into(),
                subject,
                start: text(row, "start_date").unwrap_or_default().to_owned(),
                end: date(row, "end_date").map(|d| d.succ_opt().unwrap_or(d).to_string()),
                basis: format!(
                    "{}；{}",
                    text(row, "reason").unwrap_or_default(),
                    text(row, "basis").unwrap_or_default()
                ),
                body: Some(Value::Object(body)),
            });
            continue;
        }
        let legal_representative = text(row, "legal_representative_id_number").map(|n| {
            let rep = person(
                keys,
                text(row, "legal_representative_id_type"),
                n,
                text(row, "legal_representative").unwrap_or_default(),
            );
            let role = if subject.kind == "individual-business" { "operator" } else { "legal-representative" };
            (rep, role.to_owned())
        });
        let decided = date(row, "decision_date");
        let (types, content, certificate, severity, publicity_end) = if kind == "penalty" {
            let types = penalty_types(text(row, "penalty_types").unwrap_or_default());
            let content = text(row, "penalty_content").unwrap_or_default().to_owned();
            let fine = row.body.get("fine_wan_yuan").and_then(Value::as_f64);
            let severity = policy.severity(&types, &content, fine, subject.kind != "organisation");
            let end = policy.publicity_end(severity, decided, date(row, "publicity_end"));
            (types, content, text(row, "revoked_certificate").unwrap_or_default().to_owned(), severity, end)
        } else if kind == "licence" {
            let content = text(row, "licence_content").unwrap_or_default().to_owned();
            (Vec::new(), content, text(row, "certificate_name").unwrap_or_default().to_owned(), Severity::None, None)
        } else {
            // A plugin's own kind: its schema names the summary `content`.
            (Vec::new(), text(row, "content").unwrap_or_default().to_owned(), String::new(), Severity::None, None)
        };
        let mut list_entries = Vec::new();
        if let Some((start, end)) = policy.serious_list_period(severity, decided) {
            let basis = format!("{}：{}", text(row, "decision_number").unwrap_or_default(), content);
            let mut listed = vec![subject.clone()];
            let revoked = types.iter().any(|t| t.contains("吊销")) || content.contains("吊销");
            if revoked && let Some((rep, _)) = &legal_representative {
                listed.push(rep.clone());
            }
            for s in listed {
                list_entries.push(NewListEntry {
                    list: "serious-dishonesty".into(),
                    subject: s,
                    start: start.to_string(),
                    end: Some(end.to_string()),
                    basis: basis.clone(),
                    body: None,
                });
            }
        }
        let decision_number = text(row, "decision_number").unwrap_or_default().to_owned();
        let body = masked_body(row);
        out.records.push(NewRecord {
            sector: sector.clone(),
            kind: kind.to_owned(),
            subject,
            legal_representative,
            decision_number_norm: normalise_decision_number(&decision_number),
            decision_number,
            decision_date: decided.map(|d| d.to_string()),
            authority: text(row, "authority").unwrap_or_default().to_owned(),
            legal_basis: text(row, "legal_basis").unwrap_or_default().to_owned(),
            penalty_types: types,
            content,
            certificate,
            severity,
            publicity_end: publicity_end.map(|d| d.to_string()),
            body: Value::Object(body),
            plugin_version: version.clone(),
            list_entries,
        });
    }
    tracing::debug!(
        rows = rows.len(),
        fields_us = (t1 - t0).as_micros(),
        plugin_us = (t2 - t1).as_micros(),
        build_us = t2.elapsed().as_micros(),
        "rows checked"
    );
    Ok(out)
}

/// The body with every identity document number masked: the full numbers
/// live only in the subjects' encrypted copies.
///
/// An ID number written into free text (备注, 违法事实, a name…) is masked
/// too: the plan keeps personal data out of what is stored for publication
/// (国办发〔2019〕35号, confidentiality of personal privacy). Codes and
/// numbers (`*_number`, `*uscc`, `*_code`) are identifiers and stay as
/// written.
fn masked_body(row: &Row) -> serde_json::Map<String, Value> {
    let mut body = row.body.clone();
    for field in ["id_number", "legal_representative_id_number"] {
        if let Some(Value::String(n)) = body.get(field) {
            let masked = mask_document(n);
            body.insert(field.to_owned(), Value::String(masked));
        }
    }
    let identifier = |k: &str| k.ends_with("_number") || k.ends_with("uscc") || k.ends_with("_code");
    for (k, v) in &mut body {
        if let Value::String(text) = v
            && !identifier(k)
        {
            let redacted = crate::privacy::redact(text);
            if redacted != *text {
                *text = redacted;
            }
        }
    }
    body
}

/// The host's own schema of the red list, with the shared definitions.
///
/// # Panics
/// When the bundled schemas do not compile (a build defect, caught by tests).
pub fn red_list_validator() -> jsonschema::Validator {
    let mut schema: Value =
        serde_json::from_str(include_str!("../../../schemas/red-list.schema.json")).expect("red-list schema");
    let shared: Value =
        serde_json::from_str(include_str!("../../../schemas/shared.schema.json")).expect("shared schema");
    schema["$defs"] = serde_json::json!({ "shared": shared });
    jsonschema::options().should_validate_formats(true).build(&schema).expect("red-list schema compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decision_numbers_match_across_bracket_styles_and_spaces() {
        assert_eq!(
            normalise_decision_number("湘(岳)文罚字〔 2019 〕-007"),
            normalise_decision_number("湘（岳）文罚字[2019]-007")
        );
    }

    #[test]
    fn red_list_schema_resolves_shared_definitions() {
        let v = red_list_validator();
        let ok = serde_json::json!({
            "subject_name": "某书店", "subject_category": "个体工商户", "uscc": "92410181MAAHAMM72M",
            "list_type": "守信红名单", "reason": "示范", "basis": "依据", "authority": "局",
            "start_date": "2026-01-30", "end_date": "2028-01-29"
        });
        assert!(v.is_valid(&ok));
        let mut bad = ok.clone();
        bad["start_date"] = "2026/01/30".into();
        assert!(!v.is_valid(&bad));
        bad["start_date"] = "2026-01-30".into();
        bad.as_object_mut().unwrap().remove("uscc");
        assert!(!v.is_valid(&bad), "an individual business needs its USCC");
    }
}
