//! Check characters of the two identifiers of the credit system, one
//! implementation for the host's importer and the plugins' checks.

/// The characters of a USCC, by value (GB 32100-2015: no I, O, S, V, Z).
pub const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The check character of a USCC whose first 17 characters are `first17`,
/// or `None` when it is not 17 USCC characters.
///
/// # Source
/// GB 32100-2015: check = `31 − (Σ value × 3^(i−1) mod 31) mod 31`, 31 → `0`.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    let mut weight = 1;
    let mut count = 0;
    for c in first17.chars() {
        sum += USCC_CHARS.find(c)? * weight;
        weight = weight * 3 % 31;
        count += 1;
    }
    (count == 17).then(|| USCC_CHARS.as_bytes()[(31 - sum % 31) % 31] as char)
}

/// Whether `code` is 18 USCC characters with the right check character.
pub fn uscc_valid(code: &str) -> bool {
    code.chars().count() == 18
        && code.char_indices().nth(17).is_some_and(|(at, last)| uscc_check_char(&code[..at]) == Some(last))
}

/// The check character of an 18-character resident ID number whose first
/// 17 characters are `first17`, or `None` when they are not 17 digits.
///
/// # Source
/// GB 11643-1999: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2, `sum mod 11`
/// indexes `1 0 X 9 8 7 6 5 4 3 2`.
pub fn id_check_char(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let digits: Option<Vec<u32>> = first17.chars().map(|c| c.to_digit(10)).collect();
    let digits = digits.filter(|d| d.len() == 17)?;
    let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
    "10X98765432".chars().nth((sum % 11) as usize)
}

/// Whether `number` is an 18-character ID number with the right check
/// character (the birth date is not checked).
pub fn id_number_valid(number: &str) -> bool {
    number.len() == 18 && number.is_ascii() && id_check_char(&number[..17]) == number.chars().nth(17)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_characters_follow_the_standards() {
        assert!(uscc_valid("91410104MA329GYC1F"));
        assert!(!uscc_valid("91410104MA329GYC1G"));
        assert!(!uscc_valid("91500106MASU8G2M3L"), "S is no USCC character");
        assert!(!uscc_valid("91410104MA329GYC1"));
        assert!(id_number_valid("410104198405227240"));
        assert!(id_number_valid("41018519640319603X"));
        assert!(!id_number_valid("410104198405227241"));
        assert_eq!(id_check_char("41018519640319603"), Some('X'));
    }
}
