//! The shared JSON Schema definitions (`schemas/shared.schema.json`) and
//! bundling of a record kind's schema with them.

use serde_json::Value;

/// The shared definitions: the 双公示 envelopes and identifiers.
pub const SHARED: &str = include_str!("../../schemas/shared.schema.json");

/// A kind schema (JSON text) bundled with the shared definitions: the shared
/// schema is embedded under `$defs` with its own `$id` (a JSON Schema
/// 2020-12 compound document), so `$ref`s to `../shared.schema.json#/…`
/// resolve without any network or file access.
///
/// # Panics
/// When either text is not a JSON object: both are compiled into the plugin,
/// so the plugin's own tests catch that.
pub fn bundle(kind_schema: &str) -> Value {
    let mut schema: Value = serde_json::from_str(kind_schema).expect("kind schema is JSON");
    let shared: Value = serde_json::from_str(SHARED).expect("shared schema is JSON");
    let defs = schema
        .as_object_mut()
        .expect("kind schema is a JSON object")
        .entry("$defs")
        .or_insert_with(|| Value::Object(Default::default()));
    defs.as_object_mut().expect("$defs is an object").insert("shared".into(), shared);
    schema
}

/// Whether `legal_basis` cites the regulation titled `regulation` (without
/// 《》) at all: its whole title, followed by `》` or an article.
pub fn cites_regulation(legal_basis: &str, regulation: &str) -> bool {
    legal_basis.match_indices(regulation).any(|(at, _)| {
        legal_basis[at + regulation.len()..].trim_start_matches(['》', ' ', '\u{3000}']).starts_with('第')
            || legal_basis[at + regulation.len()..].starts_with('》')
    })
}

/// Whether `legal_basis` (处罚依据 as written, e.g.
/// `《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项`) cites
/// `article` (e.g. `第三十一条`) of the regulation titled `regulation`
/// (without 《》). The title must be the whole title: `《营业性演出管理条例实施细则》`
/// does not cite `营业性演出管理条例`.
pub fn cites_article(legal_basis: &str, regulation: &str, article: &str) -> bool {
    let mut rest = legal_basis;
    while let Some(at) = rest.find(regulation) {
        let after = &rest[at + regulation.len()..];
        let whole_title = after.trim_start_matches(['》', ' ', '\u{3000}']).starts_with('第');
        let end = after.find('《').unwrap_or(after.len());
        if whole_title && after[..end].contains(article) {
            return true;
        }
        rest = after;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cites_article_reads_only_the_named_regulation() {
        let basis = "《娱乐场所管理条例》第九条；《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项";
        assert!(cites_article(basis, "互联网上网服务营业场所管理条例", "第三十一条"));
        assert!(!cites_article(basis, "互联网上网服务营业场所管理条例", "第九条"));
        assert!(cites_article(basis, "娱乐场所管理条例", "第九条"));
        assert!(!cites_article(basis, "营业性演出管理条例", "第九条"));
        let rules = "《营业性演出管理条例实施细则》第五十三条";
        assert!(!cites_article(rules, "营业性演出管理条例", "第五十三条"));
        assert!(cites_article("营业性演出管理条例第五十三条", "营业性演出管理条例", "第五十三条"));
        assert!(!cites_regulation(rules, "营业性演出管理条例"));
        assert!(cites_regulation("依据《营业性演出管理条例》处罚", "营业性演出管理条例"));
    }

    #[test]
    fn bundle_embeds_shared_definitions_under_their_id() {
        let s = bundle(r#"{"$id":"https://x/k.json","type":"object"}"#);
        assert_eq!(s["$defs"]["shared"]["$id"], "https://credit.bureau.local/schemas/shared.schema.json");
    }
}
