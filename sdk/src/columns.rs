//! The 双公示 column names divisions use in their spreadsheets, mapped to
//! the JSON field names of record bodies: one table for the host's
//! importer and for plugins' tests of their sample files.
//!
//! Headers are matched after [`normalise_header`]: spaces removed,
//! full-width brackets made half-width, and a unit suffix `(万元)` dropped,
//! so `罚款金额（万元）`, `罚款金额(万元)` and ` 罚款金额 ` are one column.
//! The English field names themselves are accepted too.

/// Whether a standard field holds a number (万元) rather than text.
pub fn is_number_field(field: &str) -> bool {
    matches!(field, "fine_wan_yuan" | "confiscation_wan_yuan")
}

/// The standard fields that hold a date (`YYYY-MM-DD`).
pub const DATE_FIELDS: [&str; 7] =
    ["decision_date", "penalty_valid_until", "publicity_end", "valid_from", "valid_to", "start_date", "end_date"];

/// The standard fields that hold an identifier (USCC or ID number), which a
/// spreadsheet must keep as text.
pub const IDENTIFIER_FIELDS: [&str; 5] =
    ["uscc", "authority_uscc", "data_source_uscc", "id_number", "legal_representative_id_number"];

const SUBJECT: [(&str, &str); 9] = [
    ("行政相对人名称", "subject_name"),
    ("行政相对人类别", "subject_category"),
    ("统一社会信用代码", "uscc"),
    ("行政相对人代码_1(统一社会信用代码)", "uscc"),
    ("法定代表人", "legal_representative"),
    ("法定代表人证件类型", "legal_representative_id_type"),
    ("法定代表人证件号码", "legal_representative_id_number"),
    ("证件类型", "id_type"),
    ("证件号码", "id_number"),
];

const PENALTY: [(&str, &str); 17] = [
    ("行政处罚决定书文号", "decision_number"),
    ("违法行为类型", "violation_type"),
    ("违法事实", "violation_facts"),
    ("处罚依据", "legal_basis"),
    ("处罚类别", "penalty_types"),
    ("处罚内容", "penalty_content"),
    ("罚款金额", "fine_wan_yuan"),
    ("没收违法所得、没收非法财物的金额", "confiscation_wan_yuan"),
    ("暂扣或吊销证照名称及编号", "revoked_certificate"),
    ("处罚决定日期", "decision_date"),
    ("处罚有效期", "penalty_valid_until"),
    ("公示截止期", "publicity_end"),
    ("处罚机关", "authority"),
    ("处罚机关统一社会信用代码", "authority_uscc"),
    ("数据来源单位", "data_source"),
    ("数据来源单位统一社会信用代码", "data_source_uscc"),
    ("备注", "remarks"),
];

const LICENCE: [(&str, &str); 19] = [
    ("行政许可决定文书名称", "decision_document_name"),
    ("许可文书名称", "decision_document_name"),
    ("行政许可决定文书号", "decision_number"),
    ("许可文书号", "decision_number"),
    ("许可类别", "licence_category"),
    ("许可证书名称", "certificate_name"),
    ("许可编号", "licence_number"),
    ("许可内容", "licence_content"),
    ("许可决定日期", "decision_date"),
    ("有效期自", "valid_from"),
    ("有效期至", "valid_to"),
    ("许可机关", "authority"),
    ("许可机关统一社会信用代码", "authority_uscc"),
    ("当前状态", "status"),
    ("数据来源单位", "data_source"),
    ("数据来源单位统一社会信用代码", "data_source_uscc"),
    ("备注", "remarks"),
    ("许可决定文书号", "decision_number"),
    ("许可决定文书名称", "decision_document_name"),
];

const RED_LIST: [(&str, &str); 9] = [
    ("名单类型", "list_type"),
    ("列入事由", "reason"),
    ("列入依据", "basis"),
    ("认定部门", "authority"),
    ("认定部门统一社会信用代码", "authority_uscc"),
    ("列入日期", "start_date"),
    ("有效期至", "end_date"),
    ("备注", "remarks"),
    ("认定日期", "start_date"),
];

/// Normalise a header cell for matching.
pub fn normalise_header(raw: &str) -> String {
    let s: String = raw
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{00A0}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect();
    s.strip_suffix("(万元)").map(str::to_owned).unwrap_or(s)
}

/// The columns of one record kind: the standard 双公示 headers of the
/// subject and of the kind (`penalty`, `licence`, `red-list`), then the
/// `title` of every property the kind's JSON Schema declares, so a plugin's
/// own kind (an inheritor's annual assessment…) is reported with the column
/// names its schema gives, without the host knowing the kind.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    entries: Vec<Column>,
}

#[derive(Debug, Clone)]
struct Column {
    /// The header as the standard or the schema writes it.
    header: String,
    /// The header after [`normalise_header`].
    normalised: String,
    field: String,
    number: bool,
    date: bool,
    uscc: bool,
}

impl Columns {
    /// The columns of `kind`, with the property titles of `schema` (the
    /// plugin's schema of that kind) when given. A property counts as a
    /// number when its `type` is `number` or `integer`, or it `$ref`s the
    /// shared `wan-yuan` definition.
    pub fn new(kind: &str, schema: Option<&serde_json::Value>) -> Self {
        let standard: &[(&str, &str)] = match kind {
            "penalty" => &PENALTY,
            "licence" => &LICENCE,
            "red-list" => &RED_LIST,
            _ => &[],
        };
        let mut columns = Self::default();
        for (zh, en) in SUBJECT.iter().chain(standard) {
            columns.push(zh, en, is_number_field(en), DATE_FIELDS.contains(en), IDENTIFIER_FIELDS.contains(en));
        }
        if let Some(schema) = schema {
            let mut property_sets = vec![schema.get("properties")];
            if let Some(all) = schema.get("allOf").and_then(|a| a.as_array()) {
                property_sets.extend(all.iter().map(|s| s.get("properties")));
            }
            for props in property_sets.into_iter().flatten().filter_map(|p| p.as_object()) {
                for (field, prop) in props {
                    let Some(title) = prop.get("title").and_then(|t| t.as_str()) else { continue };
                    let number = matches!(prop.get("type").and_then(|t| t.as_str()), Some("number" | "integer"))
                        || prop.get("$ref").and_then(|r| r.as_str()).is_some_and(|r| r.ends_with("/wan-yuan"));
                    let date = prop.get("format").and_then(|f| f.as_str()) == Some("date")
                        || prop.get("$ref").and_then(|r| r.as_str()).is_some_and(|r| r.ends_with("/date"));
                    let uscc = prop
                        .get("$ref")
                        .and_then(|r| r.as_str())
                        .is_some_and(|r| r.ends_with("/uscc") || r.ends_with("/id-number"));
                    if !columns.entries.iter().any(|c| c.field == *field) {
                        columns.push(title, field, number, date, uscc);
                    }
                }
            }
        }
        columns
    }

    fn push(&mut self, header: &str, field: &str, number: bool, date: bool, uscc: bool) {
        let normalised = normalise_header(header);
        if !self.entries.iter().any(|c| c.normalised == normalised) {
            let field = field.to_owned();
            self.entries.push(Column { header: header.to_owned(), normalised, field, number, date, uscc });
        }
    }

    /// The fields that hold an identifier: the standard ones and those a
    /// kind's schema declares with the shared `uscc` or `id-number`
    /// definition.
    pub fn identifiers(&self) -> impl Iterator<Item = &str> {
        self.unique(|c| c.uscc)
    }

    /// Each field once (several headers can name one field), in order.
    fn unique(&self, keep: impl Fn(&Column) -> bool) -> impl Iterator<Item = &str> {
        let mut seen: Vec<&str> = Vec::new();
        self.entries.iter().filter(move |c| keep(c)).map(|c| c.field.as_str()).filter(move |f| {
            let new = !seen.contains(f);
            if new {
                seen.push(f);
            }
            new
        })
    }

    /// Whether `field` holds an identifier (see [`Columns::identifiers`]).
    pub fn is_identifier(&self, field: &str) -> bool {
        self.entries.iter().any(|c| c.field == field && c.uscc)
    }

    /// Whether `field` holds a date (see [`Columns::dates`]).
    pub fn is_date(&self, field: &str) -> bool {
        self.entries.iter().any(|c| c.field == field && c.date)
    }

    /// The fields that hold a date: the standard ones ([`DATE_FIELDS`]) and
    /// those a kind's schema declares (`format: date` or the shared `date`
    /// definition).
    pub fn dates(&self) -> impl Iterator<Item = &str> {
        self.unique(|c| c.date)
    }

    /// The body field `header` names, or `None` for an unknown column.
    /// Headers match after [`normalise_header`]; field names match as is.
    pub fn field(&self, header: &str) -> Option<&str> {
        let h = normalise_header(header);
        self.entries.iter().find(|c| c.normalised == h || c.field == h).map(|c| c.field.as_str())
    }

    /// Whether `field` holds a number (万元) rather than text.
    pub fn is_number(&self, field: &str) -> bool {
        self.entries.iter().any(|c| c.field == field && c.number)
    }

    /// The column headers a spreadsheet of this kind uses: one per field (the
    /// standard name, or the schema's title), in order — what a clerk's
    /// template should carry.
    pub fn headers(&self) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for c in &self.entries {
            if !seen.contains(&c.field.as_str()) {
                seen.push(&c.field);
                out.push(c.header.as_str());
            }
        }
        out
    }

    /// The Chinese column name of `field`, for messages about a value that
    /// is missing.
    pub fn header(&self, field: &str) -> Option<&str> {
        self.entries.iter().find(|c| c.field == field).map(|c| c.header.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_map_to_one_field() {
        for h in ["罚款金额（万元）", "罚款金额(万元)", " 罚款金额 ", "罚款金额", "fine_wan_yuan"]
        {
            assert_eq!(Columns::new("penalty", None).field(h), Some("fine_wan_yuan"), "{h}");
        }
        assert_eq!(Columns::new("licence", None).field("许可文书号"), Some("decision_number"));
        assert_eq!(Columns::new("red-list", None).field("列入日期"), Some("start_date"));
        assert_eq!(Columns::new("penalty", None).header("penalty_types"), Some("处罚类别"));
        assert_eq!(Columns::new("licence", None).header("decision_number"), Some("行政许可决定文书号"));
    }

    #[test]
    fn own_kinds_take_their_columns_from_the_schema_titles() {
        let schema = serde_json::json!({
            "allOf": [{"$ref": "#/$defs/subject"}],
            "properties": {
                "result": {"title": "评估结果", "type": "string"},
                "amount_wan_yuan": {"title": "资助金额（万元）", "$ref": "#/$defs/wan-yuan"},
                "year": {"title": "年度", "type": "integer"},
                "approved": {"title": "立项日期", "$ref": "#/$defs/date"},
                "installer_uscc": {"title": "安装单位统一社会信用代码", "$ref": "#/$defs/uscc"}
            }
        });
        let c = Columns::new("inheritor-assessment", Some(&schema));
        assert_eq!(c.field(" 评估结果 "), Some("result"));
        assert_eq!(c.field("资助金额(万元)"), Some("amount_wan_yuan"));
        assert_eq!(c.field("统一社会信用代码"), Some("uscc"));
        assert!(c.is_number("amount_wan_yuan") && c.is_number("year") && !c.is_number("result"));
        assert_eq!(c.field("罚款金额"), None, "a penalty column is not an assessment's");
        assert_eq!(c.header("result"), Some("评估结果"));
        assert!(c.dates().any(|d| d == "approved") && Columns::new("penalty", None).is_date("decision_date"));
        assert!(c.is_identifier("installer_uscc") && c.is_identifier("id_number") && !c.is_identifier("result"));
        assert!(c.headers().contains(&"评估结果") && c.headers().contains(&"统一社会信用代码"));
        assert!(!c.headers().contains(&"行政相对人代码_1(统一社会信用代码)"), "one header per field");
        // Two headers name `uscc`; it is checked once.
        assert_eq!(c.identifiers().filter(|f| *f == "uscc").count(), 1);
        // The standard kinds keep their headers.
        assert_eq!(Columns::new("penalty", None).field("罚款金额（万元）"), Some("fine_wan_yuan"));
    }

    #[test]
    fn unknown_and_other_kinds_columns_are_not_mapped() {
        assert_eq!(Columns::new("penalty", None).field("许可编号"), None);
        assert_eq!(Columns::new("penalty", None).field("电话"), None);
    }
}
