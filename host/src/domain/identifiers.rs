//! Identifiers of credit subjects: the unified social credit code (USCC,
//! GB 32100-2015) and the resident ID number (GB 11643-1999).
//!
//! Both are normalised before they are checked: full-width digits and
//! letters become half-width, spaces (ASCII, ideographic U+3000 and
//! non-breaking U+00A0) are removed, and letters are upper-cased (a
//! lower-case `x` check character is common in ID numbers).

use credit_sdk::identifiers::{USCC_CHARS, id_check_char, uscc_check_char};
use thiserror::Error;

/// Why an identifier is invalid. Messages name the value's fault, never the
/// full value (an ID number is personal data).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IdentifierError {
    /// Wrong length after normalisation.
    #[error("must have {expected} characters, found {found}")]
    Length {
        /// Expected length(s), e.g. `18` or `15 or 18`.
        expected: &'static str,
        /// Length found.
        found: usize,
    },
    /// A character outside the allowed set, at a 1-based position.
    #[error("character {ch:?} at position {position} is not allowed")]
    Character {
        /// The character.
        ch: char,
        /// 1-based position.
        position: usize,
    },
    /// The check character does not match.
    #[error("check character is {found:?} but should be {expected:?}")]
    CheckCharacter {
        /// The check character found.
        found: char,
        /// The one the rule computes.
        expected: char,
    },
    /// The birth date inside an ID number (positions 7–14) is not a date.
    /// The digits are not repeated: they are personal data.
    #[error("the birth date in positions 7 to 14 is not a valid date")]
    BirthDate,
}

impl IdentifierError {
    /// The message in Chinese, for the clerk.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Length { expected, found } => {
                format!("长度应为{}位，实际为{found}位", expected.replace(" or ", "或"))
            }
            Self::Character { ch, position } => format!("第{position}位字符“{ch}”不允许"),
            Self::CheckCharacter { found, expected } => {
                format!("校验位为“{found}”，按规则应为“{expected}”")
            }
            Self::BirthDate => "第7至14位的出生日期不是有效日期".to_owned(),
        }
    }
}

/// Normalise an identifier: full-width ASCII to half-width, remove every
/// kind of space, upper-case.
pub fn normalise(raw: &str) -> String {
    raw.chars()
        .filter_map(|c| match c {
            '\u{3000}' | '\u{00A0}' => None,
            c if c.is_whitespace() => None,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            c => Some(c),
        })
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A valid unified social credit code (18 characters, normalised).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

impl Uscc {
    /// Normalise and validate a USCC.
    ///
    /// # Errors
    /// [`IdentifierError`] for a wrong length, a character outside
    /// `0-9A-HJ-NPQRTUWXY` or a wrong check character.
    ///
    /// # Source
    /// GB 32100-2015: check = `31 - (Σ value × 3^(i-1) mod 31) mod 31`, 31 → `0`.
    pub fn parse(raw: &str) -> Result<Self, IdentifierError> {
        let s = normalise(raw);
        let chars: Vec<char> = s.chars().collect();
        if chars.len() != 18 {
            return Err(IdentifierError::Length { expected: "18", found: chars.len() });
        }
        if let Some((i, &c)) = chars.iter().enumerate().find(|(_, c)| !USCC_CHARS.contains(**c)) {
            return Err(IdentifierError::Character { ch: c, position: i + 1 });
        }
        let first17: String = chars[..17].iter().collect();
        let expected = uscc_check_char(&first17).unwrap_or('?');
        if chars[17] != expected {
            return Err(IdentifierError::CheckCharacter { found: chars[17], expected });
        }
        Ok(Self(s))
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid resident ID number in its 18-character form. A 15-digit legacy
/// number is converted (century `19` inserted, check character computed)
/// and remembered, so both forms link to one person.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber {
    number: String,
    legacy: Option<String>,
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdNumber({})", self.masked())
    }
}

impl IdNumber {
    /// Normalise and validate an ID number.
    ///
    /// # Errors
    /// [`IdentifierError`] for a length other than 15 or 18, a non-digit
    /// (other than a final `X`), an impossible birth date or a wrong check
    /// character.
    ///
    /// # Source
    /// GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, `sum mod 11`
    /// indexes `1 0 X 9 8 7 6 5 4 3 2`.
    pub fn parse(raw: &str) -> Result<Self, IdentifierError> {
        let s = normalise(raw);
        let (full, legacy) = match s.len() {
            18 => (s, None),
            15 => {
                if let Some((i, c)) = s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
                    return Err(IdentifierError::Character { ch: c, position: i + 1 });
                }
                let mut f = format!("{}19{}", &s[..6], &s[6..]);
                f.push(id_check_char(&f).unwrap_or('?'));
                (f, Some(s))
            }
            n => {
                return Err(IdentifierError::Length { expected: "15 or 18", found: s.chars().count().min(n) });
            }
        };
        for (i, c) in full.char_indices() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(IdentifierError::Character { ch: c, position: i + 1 });
            }
        }
        let birth = &full[6..14];
        if chrono::NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
            return Err(IdentifierError::BirthDate);
        }
        let expected = id_check_char(&full[..17]).unwrap_or('?');
        let found = full.as_bytes()[17] as char;
        if found != expected {
            return Err(IdentifierError::CheckCharacter { found, expected });
        }
        Ok(Self { number: full, legacy })
    }

    /// The 18-character number. Personal data: for hashing, encryption and
    /// the municipal export only.
    pub fn expose(&self) -> &str {
        &self.number
    }

    /// The 15-digit form it was given in, if it was.
    pub fn legacy(&self) -> Option<&str> {
        self.legacy.as_deref()
    }

    /// The masked display form: the first 6 and last 4 characters, the
    /// birth date and sequence hidden (`410104********7240`).
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.number[..6], &self.number[14..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc_accepts_valid_code_and_full_width_lower_case_input() {
        assert_eq!(Uscc::parse("91410104MA329GYC1F").unwrap().as_str(), "91410104MA329GYC1F");
        assert_eq!(Uscc::parse(" ９１４１０１０４ma329gyc1f\u{3000}").unwrap().as_str(), "91410104MA329GYC1F");
    }

    #[test]
    fn uscc_rejects_wrong_check_character() {
        assert_eq!(
            Uscc::parse("91410104MA329GYC1G"),
            Err(IdentifierError::CheckCharacter { found: 'G', expected: 'F' })
        );
    }

    #[test]
    fn uscc_rejects_letter_s_of_the_real_published_code() {
        // data/real/penalties.csv row S19 publishes 91500106MASU8G2M3L.
        assert_eq!(Uscc::parse("91500106MASU8G2M3L"), Err(IdentifierError::Character { ch: 'S', position: 11 }));
    }

    #[test]
    fn uscc_rejects_wrong_length() {
        assert_eq!(Uscc::parse("9141"), Err(IdentifierError::Length { expected: "18", found: 4 }));
    }

    #[test]
    fn id_number_validates_and_masks() {
        let id = IdNumber::parse("41010219780503108x").unwrap();
        assert_eq!(id.expose(), "41010219780503108X");
        assert_eq!(id.masked(), "410102********108X");
        assert!(!format!("{id:?}").contains("19780503"));
    }

    #[test]
    fn id_number_rejects_wrong_check_character() {
        assert!(matches!(IdNumber::parse("410104198405227241"), Err(IdentifierError::CheckCharacter { .. })));
    }

    #[test]
    fn id_number_rejects_impossible_birth_date() {
        // 19840231 with a check character computed for it.
        let first17 = "41010419840231722";
        let n = format!("{first17}{}", id_check_char(first17).unwrap());
        assert_eq!(IdNumber::parse(&n), Err(IdentifierError::BirthDate));
        assert!(!IdentifierError::BirthDate.to_string().contains("1984"));
    }

    #[test]
    fn legacy_15_digit_number_links_to_its_18_digit_form() {
        let id = IdNumber::parse("410104840522724").unwrap();
        assert_eq!(id.legacy(), Some("410104840522724"));
        assert_eq!(&id.expose()[..17], "41010419840522724");
        assert!(IdNumber::parse(id.expose()).is_ok());
    }
}
