//! Credit-commitment templates (信用承诺书): Chinese text with `{placeholder}`
//! markers and the fields that fill them, declared as data. The JSON Schema
//! of the fields (for the host's form and validation) and the rendering come
//! from the declaration, so a template cannot name a field its schema lacks.
//!
//! Placeholders: `{subject_name}` (the subject's name), `{subject_code}`
//! (an organisation's USCC, which is its key; `—` for a natural person,
//! whose ID number is never printed) and every declared [`Field`] by name.
//!
//! ```
//! use credit_sdk::commitment::{Template, SIGNATORY};
//! use credit_sdk::{Subject, SubjectKind};
//!
//! const CAFE: Template = Template {
//!     id: "internet-cafe",
//!     title: "互联网上网服务营业场所经营单位信用承诺书",
//!     licence_type: Some("internet-cafe"),
//!     fields: &SIGNATORY,
//!     text: "本单位{subject_name}（统一社会信用代码：{subject_code}），经营场所位于{address}，\
//! 法定代表人{legal_representative}，郑重承诺：不接纳未成年人。\n日期：{sign_date}",
//! };
//! let subject = Subject { key: "91410104MA329GYC1F".into(), kind: SubjectKind::Organisation, name: "某网吧".into() };
//! let fields = serde_json::json!({"legal_representative": "尹然梅", "address": "某路1号", "sign_date": "2026-11-30"});
//! let text = CAFE.render(&subject, &fields).unwrap();
//! assert!(text.starts_with("互联网上网服务营业场所经营单位信用承诺书\n\n本单位某网吧（统一社会信用代码：91410104MA329GYC1F）"));
//! ```

use crate::types::{CommitmentTemplate, PluginError, Subject, SubjectKind};
use serde_json::{Map, Value, json};

/// A field the signer fills in.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// Name, used as `{name}` in the text and as the JSON property.
    pub name: &'static str,
    /// Chinese title shown on the form.
    pub title: &'static str,
    /// Whether it must be given (optional ones print as `—` when absent).
    pub required: bool,
    /// `Some("date")` for a `YYYY-MM-DD` date.
    pub format: Option<&'static str>,
}

impl Field {
    /// A required text field.
    pub const fn text(name: &'static str, title: &'static str) -> Self {
        Self { name, title, required: true, format: None }
    }

    /// A required date field.
    pub const fn date(name: &'static str, title: &'static str) -> Self {
        Self { name, title, required: true, format: Some("date") }
    }

    /// The same field, optional.
    pub const fn optional(mut self) -> Self {
        self.required = false;
        self
    }
}

/// The fields of a business's commitment: legal representative, address,
/// signing date.
pub const SIGNATORY: [Field; 3] = [
    Field::text("legal_representative", "法定代表人（负责人、经营者）"),
    Field::text("address", "经营场所地址"),
    Field::date("sign_date", "签署日期"),
];

/// One template.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// Id, e.g. the licence type it is signed for.
    pub id: &'static str,
    /// Chinese title, printed as the first line.
    pub title: &'static str,
    /// The licence type it is signed for; `None` for other applications
    /// (funding, honours).
    pub licence_type: Option<&'static str>,
    /// The fields.
    pub fields: &'static [Field],
    /// The body with placeholders (the title is printed before it).
    pub text: &'static str,
}

impl Template {
    /// The manifest entry, with the JSON Schema of the fields (draft
    /// 2020-12; no other properties allowed).
    pub fn info(&self) -> CommitmentTemplate {
        let mut properties = Map::new();
        for f in self.fields {
            let mut p = json!({"title": f.title, "type": "string", "minLength": 1});
            if let Some(format) = f.format {
                p["format"] = format.into();
            }
            properties.insert(f.name.to_owned(), p);
        }
        let required: Vec<&str> = self.fields.iter().filter(|f| f.required).map(|f| f.name).collect();
        CommitmentTemplate {
            id: self.id.into(),
            title: self.title.into(),
            licence_type: self.licence_type.map(str::to_owned),
            fields_schema: json!({
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "title": format!("{}字段", self.title),
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": false
            }),
        }
    }

    /// The text for `subject` with `fields` filled in.
    ///
    /// # Errors
    /// `missing-field` naming a required field that is absent, empty or not
    /// text.
    pub fn render(&self, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
        let code = match subject.kind {
            SubjectKind::NaturalPerson => "—",
            _ => subject.key.as_str(),
        };
        let mut values: Vec<(&str, &str)> = vec![("subject_name", subject.name.as_str()), ("subject_code", code)];
        for f in self.fields {
            let value = fields.get(f.name).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
            let value = match (value, f.required) {
                (Some(v), _) => v,
                (None, false) => "—",
                (None, true) => {
                    return Err(PluginError::new(
                        "missing-field",
                        format!("commitment field {:?} ({}) is missing, empty or not text", f.name, f.title),
                    ));
                }
            };
            // A value is one line of text: no line breaks or control
            // characters that would add clauses to a signed text.
            if value.chars().any(char::is_control) {
                return Err(PluginError::new(
                    "invalid-field",
                    format!("commitment field {:?} ({}) holds a line break or control character", f.name, f.title),
                ));
            }
            values.push((f.name, value));
        }
        // One pass over the template: a value is inserted as written, never
        // read again for placeholders.
        let template = format!("{}\n\n{}", self.title, self.text);
        let mut out = String::with_capacity(template.len() + 256);
        let mut rest = template.as_str();
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}').and_then(|end| values.iter().find(|(n, _)| *n == &after[..end]).map(|v| (end, v.1))) {
                Some((end, value)) => {
                    out.push_str(value);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Placeholders of the text that no field fills (a mistake in the
    /// template; the harness checks every template has none).
    pub fn unknown_placeholders(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut rest = self.text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else { break };
            let name = &rest[start + 1..start + len];
            if !matches!(name, "subject_name" | "subject_code") && !self.fields.iter().any(|f| f.name == name) {
                out.push(name);
            }
            rest = &rest[start + len..];
        }
        out
    }
}

/// Render template `id` of `templates` (a plugin's `render_commitment`).
///
/// # Errors
/// `unknown-template` listing the ids there are; `missing-field` from
/// [`Template::render`].
pub fn render(templates: &[Template], id: &str, subject: &Subject, fields: &Value) -> Result<String, PluginError> {
    let t = templates.iter().find(|t| t.id == id).ok_or_else(|| {
        let ids: Vec<&str> = templates.iter().map(|t| t.id).collect();
        PluginError::new("unknown-template", format!("no commitment template {id:?}; there are {ids:?}"))
    })?;
    t.render(subject, fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Template = Template {
        id: "performer",
        title: "演员从业信用承诺书",
        licence_type: None,
        fields: &[Field::text("signatory", "签署人"), Field::text("troupe", "所属团体").optional()],
        text: "本人{signatory}（{subject_name}，代码{subject_code}，所属{troupe}）承诺。",
    };

    #[test]
    fn natural_persons_get_no_code_and_optional_fields_a_dash() {
        let s = Subject { key: "p:abc".into(), kind: SubjectKind::NaturalPerson, name: "张三".into() };
        let text = T.render(&s, &json!({"signatory": "张三"})).unwrap();
        assert_eq!(text, "演员从业信用承诺书\n\n本人张三（张三，代码—，所属—）承诺。");
        let err = T.render(&s, &json!({"signatory": "  "})).unwrap_err();
        assert_eq!(err.code, "missing-field");
        assert!(err.message.contains("签署人"));
    }

    #[test]
    fn values_are_inserted_once_and_stay_one_line() {
        let s = Subject { key: "91410104MA329GYC1F".into(), kind: SubjectKind::Organisation, name: "x{troupe}".into() };
        let text = T.render(&s, &json!({"signatory": "{subject_code}", "troupe": "甲团"})).unwrap();
        assert_eq!(
            text,
            "演员从业信用承诺书\n\n本人{subject_code}（x{troupe}，代码91410104MA329GYC1F，所属甲团）承诺。"
        );
        let err = T.render(&s, &json!({"signatory": "张三\n\n本人不承诺任何事项"})).unwrap_err();
        assert_eq!(err.code, "invalid-field");
    }

    #[test]
    fn schema_comes_from_the_fields_and_placeholders_are_checked() {
        let info = T.info();
        assert_eq!(info.fields_schema["required"], json!(["signatory"]));
        assert_eq!(info.fields_schema["properties"]["troupe"]["title"], "所属团体");
        assert!(T.unknown_placeholders().is_empty());
        let broken = Template { text: "{signatory}{sign_date}", ..T };
        assert_eq!(broken.unknown_placeholders(), ["sign_date"]);
        let err = render(
            &[T],
            "x",
            &Subject { key: "k".into(), kind: SubjectKind::NaturalPerson, name: "n".into() },
            &json!({}),
        )
        .unwrap_err();
        assert_eq!(err.code, "unknown-template");
    }
}
