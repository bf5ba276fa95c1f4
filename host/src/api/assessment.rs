//! The annual assessment of units (the plan's 工作体系建设, 信用信息归集和报送,
//! 信用信息和信用产品应用): per division, affiliated unit and the detachment,
//! for a year — the persons it names, what it reported and how fast, how
//! complete, how often the office returned it and the platforms rejected
//! it, whether the objections, repairs and complaints routed to it were
//! answered on time, checks per licence decision, commitments collected.
//! Each figure is counted for the unit responsible at the time (the one
//! that reported the record, to which the procedure was routed, of the
//! inspector who checked) and drills down to the ids it counts, as JSON or
//! CSV (`?format=csv`).
//!
//! Source: 郑文广新〔2017〕245号 (考核: 工作体系建设, 信用信息归集和报送 —
//! 双公示 within 7 working days of the decision, 信用信息和信用产品应用).

use super::error::{Path, Query, bounded, step_day, stored_day as day};
use super::{ApiError, AppState};
use crate::access::Actor;
use crate::divisions::UnitKind;
use crate::store::{Responsible, YearFacts};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/assessments/{year}", get(assessment))
        .route("/api/v1/units/{unit}/responsibles", post(name_responsible))
}

/// Working days 双公示 allows from the decision to publication (the plan).
pub const REPORT_WORKING_DAYS: u32 = 7;

/// The 双公示 fields the assessment expects filled, by record kind (the
/// required ones are enforced when reporting; these are the ones units leave
/// empty).
pub const EXPECTED_FIELDS: [(&str, &[&str]); 2] = [
    (
        "penalty",
        &["violation_facts", "legal_basis", "penalty_content", "authority_uscc", "data_source", "data_source_uscc"],
    ),
    (
        "licence",
        &[
            "licence_number",
            "licence_content",
            "valid_from",
            "valid_to",
            "authority_uscc",
            "data_source",
            "data_source_uscc",
        ],
    ),
];

/// One figure: `value` is `numerator / denominator` for a share or a
/// ratio, the count itself otherwise.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Figure {
    /// The figure (a share between 0 and 1, a ratio, or a count); `null`
    /// when there is nothing to count.
    pub value: Option<f64>,
    /// What was counted as meeting it (or the count).
    pub numerator: usize,
    /// Out of how many (none for a count).
    pub denominator: Option<usize>,
    /// The ids counted in the denominator (or the count).
    pub ids: Vec<String>,
    /// The ids that fall short (late, returned, rejected, incomplete).
    pub exceptions: Vec<String>,
}

impl Figure {
    fn count(ids: Vec<String>) -> Self {
        Figure { value: Some(ids.len() as f64), numerator: ids.len(), denominator: None, ids, exceptions: Vec::new() }
    }

    fn share(ids: Vec<String>, exceptions: Vec<String>) -> Self {
        let n = ids.len();
        let met = n - exceptions.len();
        Figure { value: (n > 0).then(|| met as f64 / n as f64), numerator: met, denominator: Some(n), ids, exceptions }
    }
}

/// A unit's assessment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnitAssessment {
    /// Unit id.
    pub unit: String,
    /// Its name.
    pub name: String,
    /// The persons named at the end of the year (or today): role → name.
    pub responsibles: BTreeMap<String, String>,
    /// Whether both a leader and a liaison are named.
    pub responsibles_named: bool,
    /// The figures, by name: `records_reported`,
    /// `reported_within_7_working_days`, `field_completeness` (filled /
    /// expected fields), `office_return_rate` (returned / reviewed),
    /// `platform_rejection_rate` (rejected / answered),
    /// `objections_on_time`, `repairs_on_time`, `complaints_on_time`,
    /// `checks_per_licence` (checks by its inspectors / licences it
    /// reported), `commitments_collected`.
    pub figures: BTreeMap<String, Figure>,
}

/// The assessment of a year.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Assessment {
    /// The year.
    pub year: i32,
    /// Computed (RFC 3339).
    pub computed_at: String,
    /// Each unit assessed, in the order of the division table.
    pub units: Vec<UnitAssessment>,
}

fn filled(v: Option<&serde_json::Value>) -> bool {
    match v {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(_) => true,
    }
}

/// Compute the assessment of `year` from its facts.
pub fn assess(state: &AppState, year: i32, facts: &YearFacts) -> Assessment {
    let calendar = state.calendar.load();
    let year_end = chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default().min(super::today());
    let mut units = Vec::new();
    for d in state
        .divisions
        .divisions
        .iter()
        .filter(|d| matches!(d.kind, UnitKind::Division | UnitKind::AffiliatedUnit | UnitKind::Detachment))
    {
        let mine = |u: Option<&str>| u == Some(d.id.as_str());
        let records: Vec<_> = facts.records.iter().filter(|r| mine(r.unit.as_deref())).collect();
        let mut figures = BTreeMap::new();
        figures.insert("records_reported".to_owned(), Figure::count(records.iter().map(|r| r.id.clone()).collect()));
        let decided: Vec<_> = records.iter().filter(|r| r.decision_date.as_deref().and_then(day).is_some()).collect();
        let late = decided
            .iter()
            .filter(|r| {
                let (Some(decided), Some(reported)) = (r.decision_date.as_deref().and_then(day), day(&r.reported_on))
                else {
                    return false;
                };
                calendar.add_working_days(decided, REPORT_WORKING_DAYS).date < reported
            })
            .map(|r| r.id.clone())
            .collect();
        figures.insert(
            "reported_within_7_working_days".to_owned(),
            Figure::share(decided.iter().map(|r| r.id.clone()).collect(), late),
        );
        let (mut expected, mut present, mut ids, mut incomplete) = (0, 0, Vec::new(), Vec::new());
        for r in &records {
            let Some((_, fields)) = EXPECTED_FIELDS.iter().find(|(k, _)| *k == r.kind) else { continue };
            let n = fields.iter().filter(|f| filled(r.body.get(**f))).count();
            expected += fields.len();
            present += n;
            ids.push(r.id.clone());
            if n < fields.len() {
                incomplete.push(r.id.clone());
            }
        }
        figures.insert(
            "field_completeness".to_owned(),
            Figure {
                value: (expected > 0).then(|| present as f64 / expected as f64),
                numerator: present,
                denominator: Some(expected),
                ids,
                exceptions: incomplete,
            },
        );
        let rate = |rows: &[(String, String, Option<String>)], bad: &str| {
            let mine: Vec<_> = rows.iter().filter(|(_, _, u)| mine(u.as_deref())).collect();
            let n = mine.len();
            let exceptions: Vec<String> =
                mine.iter().filter(|(_, s, _)| s == bad).map(|(id, _, _)| id.clone()).collect();
            Figure {
                value: (n > 0).then(|| exceptions.len() as f64 / n as f64),
                numerator: exceptions.len(),
                denominator: Some(n),
                ids: mine.iter().map(|(id, _, _)| id.clone()).collect(),
                exceptions,
            }
        };
        figures.insert("office_return_rate".to_owned(), rate(&facts.reviews, "returned"));
        figures.insert("platform_rejection_rate".to_owned(), rate(&facts.exports, "rejected"));
        for (name, procedure, answers) in [
            ("objections_on_time", "objection", &["opinion"][..]),
            ("repairs_on_time", "repair", &["check", "opinion"][..]),
            ("complaints_on_time", "complaint", &["conclude"][..]),
        ] {
            let steps: Vec<_> = facts.steps.iter().filter(|s| s.procedure == procedure && s.unit == d.id).collect();
            let (mut ids, mut late) = (Vec::new(), Vec::new());
            for answer in steps.iter().filter(|s| answers.contains(&s.action.as_str())) {
                let Some(on) = answer.on_date.as_deref().filter(|o| o.starts_with(&year.to_string())) else {
                    continue;
                };
                // The deadline the answer had: the last one set before it.
                let due = steps
                    .iter()
                    .filter(|s| s.id == answer.id && s.seq < answer.seq)
                    .filter_map(|s| s.due.as_deref())
                    .next_back();
                let Some(due) = due else { continue };
                ids.push(answer.id.clone());
                if on > due {
                    late.push(answer.id.clone());
                }
            }
            figures.insert(name.to_owned(), Figure::share(ids, late));
        }
        let checks: Vec<String> = facts.checks.iter().filter(|(_, u)| *u == d.id).map(|(id, _)| id.clone()).collect();
        let licences = records.iter().filter(|r| r.kind == "licence").count();
        figures.insert(
            "checks_per_licence".to_owned(),
            Figure {
                value: (licences > 0).then(|| checks.len() as f64 / licences as f64),
                numerator: checks.len(),
                denominator: Some(licences),
                ids: checks,
                exceptions: Vec::new(),
            },
        );
        figures.insert(
            "commitments_collected".to_owned(),
            Figure::count(records.iter().filter(|r| r.kind == "commitment").map(|r| r.id.clone()).collect()),
        );
        let named = named_at(&facts.responsibles, &d.id, &year_end.to_string());
        units.push(UnitAssessment {
            unit: d.id.clone(),
            name: d.name.clone(),
            responsibles_named: named.contains_key("leader") && named.contains_key("liaison"),
            responsibles: named,
            figures,
        });
    }
    Assessment { year, computed_at: super::super::store::now(), units }
}

/// The persons `unit` has named as of `on`: role → name.
fn named_at(all: &[Responsible], unit: &str, on: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    // Oldest first: a later naming replaces an earlier one.
    for r in all.iter().filter(|r| r.unit == unit && r.from_date.as_str() <= on) {
        out.insert(r.role.clone(), r.name.clone());
    }
    out
}

/// The answer's form.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AssessmentFormat {
    /// `json` (default) or `csv`: one row per unit and figure.
    pub format: Option<String>,
}

/// `GET /api/v1/assessments/{year}`: the assessment of every unit for
/// `year`, as JSON or (`?format=csv`) CSV with one row per unit and figure
/// (`unit, name, figure, value, numerator, denominator, ids, exceptions`;
/// ids separated by spaces).
///
/// # Errors
/// `422` for a year before 2017 (the plan) or after this one, or an unknown
/// format.
#[utoipa::path(get, path = "/api/v1/assessments/{year}", params(("year" = i32, Path, description = "the year"), AssessmentFormat),
    responses(
        (status = 200, description = "the assessment", body = Assessment),
        (status = 422, description = "no such year or format", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn assessment(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Query(f): Query<AssessmentFormat>,
) -> Result<Response, ApiError> {
    use chrono::Datelike as _;
    let this_year = super::today().year();
    let year = year.parse::<i32>().ok().filter(|y| (2017..=this_year).contains(y)).ok_or_else(|| {
        ApiError::invalid(
            "/path/year",
            Some(year.clone()),
            "invalid-year",
            format!("考核年度须在 2017 至 {this_year} 之间"),
            format!("year is between 2017 and {this_year}"),
        )
    })?;
    let csv = match f.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "/query/format",
                Some(other.to_owned()),
                "unknown-format",
                "格式只能是 json 或 csv".into(),
                "format is json or csv".into(),
            ));
        }
    };
    let facts = state.store.year_facts(year).await?;
    let a = assess(&state, year, &facts);
    if !csv {
        return Ok(Json(a).into_response());
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let row_error = |e: csv::Error| ApiError::Internal(e.into());
    w.write_record(["unit", "name", "figure", "value", "numerator", "denominator", "ids", "exceptions"])
        .map_err(row_error)?;
    for u in &a.units {
        for (name, fig) in &u.figures {
            w.write_record([
                u.unit.as_str(),
                u.name.as_str(),
                name.as_str(),
                &fig.value.map(|v| format!("{v:.4}")).unwrap_or_default(),
                &fig.numerator.to_string(),
                &fig.denominator.map(|d| d.to_string()).unwrap_or_default(),
                &fig.ids.join(" "),
                &fig.exceptions.join(" "),
            ])
            .map_err(row_error)?;
        }
    }
    let bytes = w.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}

/// A person a unit names.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NameResponsible {
    /// `leader` (the responsible leader) or `liaison` (信用信息联络员).
    pub role: String,
    /// The person's name (at most 50 characters).
    pub name: String,
    /// From this day, not after today (default today).
    pub from: Option<String>,
}

/// `POST /api/v1/units/{unit}/responsibles`: the credit office records the
/// person a unit names for its credit work; earlier ones are kept.
///
/// # Errors
/// `404` for a unit not in the division table; `422` naming the field.
#[utoipa::path(post, path = "/api/v1/units/{unit}/responsibles", params(("unit" = String, Path, description = "unit id")),
    request_body = NameResponsible,
    responses(
        (status = 200, description = "every person the unit has named", body = [Responsible]),
        (status = 404, description = "no such unit", body = super::Problem, content_type = "application/problem+json"),
        (status = 422, description = "invalid, with the JSON pointer", body = super::Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn name_responsible(
    State(state): State<AppState>,
    actor: Actor,
    Path(unit): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Vec<Responsible>>, ApiError> {
    if state.divisions.unit(&unit).is_none() {
        return Err(ApiError::NotFound(format!("no unit {unit:?}")));
    }
    let req: NameResponsible = super::error::parse_json(&body)?;
    if !["leader", "liaison"].contains(&req.role.as_str()) {
        return Err(ApiError::invalid(
            "/role",
            Some(req.role.clone()),
            "unknown-role",
            "只能是 leader（分管负责人）或 liaison（信用信息联络员）".into(),
            "role is leader or liaison".into(),
        ));
    }
    let name = bounded("/name", &req.name, "姓名", 50)?;
    let from = step_day(req.from.as_ref(), "/from", None)?;
    state.store.name_responsible(&unit, &req.role, name, &from.to_string(), &actor.account).await?;
    Ok(Json(state.store.responsibles(Some(&unit)).await?))
}
