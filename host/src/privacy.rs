//! Personal data of natural persons: the keyed hash that matches an ID
//! number, and the encrypted copy only the municipal export decrypts. The
//! full number never leaves this module except through
//! [`PersonalDataKeys::decrypt`].

use crate::domain::identifiers::IdNumber;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// The keys for personal data, derived from configured secrets.
#[derive(Clone)]
pub struct PersonalDataKeys {
    hash_key: [u8; 32],
    hash_key_id: String,
    cipher: ChaCha20Poly1305,
}

impl std::fmt::Debug for PersonalDataKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PersonalDataKeys(hash key {})", self.hash_key_id)
    }
}

impl PersonalDataKeys {
    /// Keys from two secrets (any text; each is hashed to 256 bits). The
    /// hash key's id is the first 8 hex digits of its own hash, so a
    /// rotation can tell which key made a stored hash.
    pub fn new(hash_secret: &str, encryption_secret: &str) -> Self {
        let hash_key: [u8; 32] = Sha256::digest(hash_secret.as_bytes()).into();
        let hash_key_id = hex::encode(&Sha256::digest(hash_key)[..4]);
        let enc: [u8; 32] = Sha256::digest(encryption_secret.as_bytes()).into();
        Self { hash_key, hash_key_id, cipher: ChaCha20Poly1305::new(Key::from_slice(&enc)) }
    }

    /// The id of the hash key.
    pub fn hash_key_id(&self) -> &str {
        &self.hash_key_id
    }

    /// The subject key of a natural person: `p:` and 32 hex digits of
    /// HMAC-SHA256 over the 18-character number.
    pub fn person_key(&self, id: &IdNumber) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.hash_key).expect("any key length");
        mac.update(id.expose().as_bytes());
        format!("p:{}", &hex::encode(mac.finalize().into_bytes())[..32])
    }

    /// The encrypted copy: base64 of a random 96-bit nonce and the
    /// ChaCha20-Poly1305 ciphertext.
    pub fn encrypt(&self, id: &IdNumber) -> String {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ct = self.cipher.encrypt(&nonce, id.expose().as_bytes()).expect("encryption does not fail");
        let mut out = nonce.to_vec();
        out.extend(ct);
        base64::engine::general_purpose::STANDARD.encode(out)
    }

    /// Decrypt a stored copy (for the municipal export only).
    ///
    /// # Errors
    /// When the text was not made with this key or is damaged.
    pub fn decrypt(&self, stored: &str) -> anyhow::Result<String> {
        let raw = base64::engine::general_purpose::STANDARD.decode(stored)?;
        anyhow::ensure!(raw.len() > 12, "encrypted ID number is too short");
        let (nonce, ct) = raw.split_at(12);
        let pt = self
            .cipher
            .decrypt(Nonce::from_slice(nonce), ct)
            .map_err(|_| anyhow::anyhow!("encrypted ID number cannot be decrypted with the configured key"))?;
        Ok(String::from_utf8(pt)?)
    }
}

/// Mask every ID number in free text (an error message, an echoed value):
/// each run of 15 digits, or of 17 digits and a digit or `X`, keeps its
/// first 6 and last 4 characters. USCCs (which contain letters) and
/// shorter numbers pass unchanged.
pub fn redact(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], 'X' | 'x')) {
            i += 1;
        }
        let run = &chars[start..i];
        let digits_before_last = run[..run.len().saturating_sub(1)].iter().all(char::is_ascii_digit);
        let alnum_follows = chars.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
        let alnum_precedes = start > 0 && chars[start - 1].is_ascii_alphabetic();
        if (run.len() == 15 || run.len() == 18) && digits_before_last && !alnum_follows && !alnum_precedes {
            out.extend(&run[..6]);
            out.extend(std::iter::repeat_n('*', run.len() - 10));
            out.extend(&run[run.len() - 4..]);
        } else {
            out.extend(run);
        }
    }
    out
}

/// Mask an identity document number of any type: an ID number as
/// [`IdNumber::masked`], anything else to its last 4 characters.
pub fn mask_document(number: &str) -> String {
    match IdNumber::parse(number) {
        Ok(id) => id.masked(),
        Err(_) => {
            let tail: Vec<char> = number.chars().rev().take(4).collect();
            format!("****{}", tail.into_iter().rev().collect::<String>())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_masks_id_numbers_in_text_but_not_codes() {
        assert_eq!(
            redact("invalid type: integer `410104198405227240`, 41010484052272x and 91410104MA329GYC1F"),
            "invalid type: integer `410104********7240`, 410104*****272x and 91410104MA329GYC1F"
        );
        assert_eq!(redact("line 12, 2026-11-30, 1234567890123456"), "line 12, 2026-11-30, 1234567890123456");
    }

    #[test]
    fn mask_document_keeps_only_the_tail_of_other_documents() {
        assert_eq!(mask_document("410104198405227240"), "410104********7240");
        assert_eq!(mask_document("E12345678"), "****5678");
    }

    #[test]
    fn person_key_is_stable_and_hides_the_number() {
        let k = PersonalDataKeys::new("h", "e");
        let id = IdNumber::parse("410104198405227240").unwrap();
        let key = k.person_key(&id);
        assert_eq!(key, k.person_key(&IdNumber::parse("410104198405227240").unwrap()));
        assert!(key.starts_with("p:") && key.len() == 34);
        assert!(!key.contains("19840522"));
        assert_ne!(key, PersonalDataKeys::new("other", "e").person_key(&id));
    }

    #[test]
    fn encrypted_copy_round_trips_only_with_its_key() {
        let k = PersonalDataKeys::new("h", "e");
        let id = IdNumber::parse("410104198405227240").unwrap();
        let c = k.encrypt(&id);
        assert!(!c.contains("410104"));
        assert_eq!(k.decrypt(&c).unwrap(), "410104198405227240");
        assert!(PersonalDataKeys::new("h", "other").decrypt(&c).is_err());
    }
}
