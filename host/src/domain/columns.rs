//! The 双公示 column names divisions use in their spreadsheets, mapped to
//! the JSON field names of record bodies.
//!
//! Headers are matched after [`normalise_header`]: spaces removed,
//! full-width brackets made half-width, and a unit suffix `(万元)` dropped,
//! so `罚款金额（万元）`, `罚款金额(万元)` and ` 罚款金额 ` are one column.
//! The English field names themselves are accepted too.

/// Whether a field holds a number (万元) rather than text.
pub fn is_number_field(field: &str) -> bool {
    matches!(field, "fine_wan_yuan" | "confiscation_wan_yuan")
}

/// Whether a field holds an identifier that is normalised before checking.
pub fn is_identifier_field(field: &str) -> bool {
    matches!(field, "uscc" | "id_number" | "legal_representative_id_number" | "authority_uscc" | "data_source_uscc")
}

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

/// The body field a header names for record `kind` (`penalty`, `licence`,
/// `red-list`), or `None` for an unknown column.
pub fn field_for(kind: &str, header: &str) -> Option<&'static str> {
    let h = normalise_header(header);
    let table: &[(&str, &str)] = match kind {
        "penalty" => &PENALTY,
        "licence" => &LICENCE,
        "red-list" => &RED_LIST,
        _ => &[],
    };
    SUBJECT.iter().chain(table).find(|(zh, en)| normalise_header(zh) == h || *en == h).map(|(_, en)| *en)
}

/// The standard Chinese column name of `field` for record `kind`, for
/// messages about a value that is missing.
pub fn header_for(kind: &str, field: &str) -> Option<&'static str> {
    let table: &[(&str, &str)] = match kind {
        "penalty" => &PENALTY,
        "licence" => &LICENCE,
        "red-list" => &RED_LIST,
        _ => &[],
    };
    SUBJECT.iter().chain(table).find(|(_, en)| *en == field).map(|(zh, _)| *zh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_variants_map_to_one_field() {
        for h in ["罚款金额（万元）", "罚款金额(万元)", " 罚款金额 ", "罚款金额", "fine_wan_yuan"]
        {
            assert_eq!(field_for("penalty", h), Some("fine_wan_yuan"), "{h}");
        }
        assert_eq!(field_for("licence", "许可文书号"), Some("decision_number"));
        assert_eq!(field_for("red-list", "列入日期"), Some("start_date"));
        assert_eq!(header_for("penalty", "penalty_types"), Some("处罚类别"));
        assert_eq!(header_for("licence", "decision_number"), Some("行政许可决定文书号"));
    }

    #[test]
    fn unknown_and_other_kinds_columns_are_not_mapped() {
        assert_eq!(field_for("penalty", "许可编号"), None);
        assert_eq!(field_for("penalty", "电话"), None);
    }
}
