//! Plugin signatures: a division signs each version it ships with its
//! ed25519 key, and the host verifies the signature before staging it.
//!
//! The signed message is `credit-plugin/v1 {sector} {version} {sha256}`
//! (the sha256 of the component, lower-case hex); the `X-Plugin-Signature`
//! header carries `{key id}:{base64 signature}`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The HTTP header an upload's signature travels in.
pub const SIGNATURE_HEADER: &str = "x-plugin-signature";

/// The message a signature covers.
pub fn signed_message(sector: &str, version: &str, sha256: &str) -> String {
    format!("credit-plugin/v1 {sector} {version} {sha256}")
}

/// A parsed `X-Plugin-Signature` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    /// The key id.
    pub key_id: String,
    /// The 64-byte signature.
    pub signature: [u8; 64],
}

impl SignatureHeader {
    /// Parse `{key id}:{base64 signature}`.
    ///
    /// # Errors
    /// A message (Chinese and English) saying what is wrong.
    pub fn parse(value: &str) -> Result<Self, String> {
        let Some((key_id, sig)) = value.trim().split_once(':') else {
            return Err(format!(
                "签名头应为“密钥编号:base64签名” / {SIGNATURE_HEADER} must be `KEY_ID:BASE64_SIGNATURE`, got {:?}",
                clip(value)
            ));
        };
        if !valid_key_id(key_id) {
            return Err(format!("密钥编号无效 / invalid key id {:?}: 1–64 of a-z, 0-9, '-', '_', '.'", clip(key_id)));
        }
        let bytes = STANDARD
            .decode(sig.trim())
            .map_err(|e| format!("签名不是有效的 base64 / the signature is not valid base64: {e}"))?;
        let signature: [u8; 64] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "签名长度应为 64 字节，此签名为 {} 字节 / an ed25519 signature is 64 bytes, this one is {}",
                b.len(),
                b.len()
            )
        })?;
        Ok(Self { key_id: key_id.to_owned(), signature })
    }

    /// The header value.
    pub fn to_header(&self) -> String {
        format!("{}:{}", self.key_id, STANDARD.encode(self.signature))
    }
}

/// Whether `id` is a valid key id: 1–64 of `a-z 0-9 - _ .`, starting with
/// a letter or digit (so never `.` or `..`, which URLs resolve away).
pub fn valid_key_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
}

fn clip(s: &str) -> String {
    s.chars().take(80).collect()
}

/// Decode a base64 ed25519 public key.
///
/// # Errors
/// When it is not base64 of 32 bytes forming a valid point.
pub fn public_key(base64: &str) -> Result<VerifyingKey, String> {
    let bytes = STANDARD
        .decode(base64.trim())
        .map_err(|e| format!("公钥不是有效的 base64 / the public key is not valid base64: {e}"))?;
    let bytes: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
        format!("公钥长度应为 32 字节 / an ed25519 public key is 32 bytes, this one is {}", b.len())
    })?;
    let key = VerifyingKey::from_bytes(&bytes)
        .map_err(|e| format!("公钥无效（不是曲线上的点）/ not a valid ed25519 public key: {e}"))?;
    if key.is_weak() {
        return Err("公钥为弱密钥（小阶点），任何签名都不可信 / a weak ed25519 public key (small order): no signature by it can be trusted".into());
    }
    Ok(key)
}

/// Verify `signature` over `message` with the base64 `public_key`
/// (strict verification: no malleable signatures, no weak keys).
///
/// # Errors
/// A message saying why it does not verify.
pub fn verify(public_key_base64: &str, message: &str, signature: &[u8; 64]) -> Result<(), String> {
    let key = public_key(public_key_base64)?;
    key.verify_strict(message.as_bytes(), &ed25519_dalek::Signature::from_bytes(signature)).map_err(|_| {
        format!("签名与该密钥及所签内容“{message}”不符 / the signature does not verify for this key over {message:?}")
    })
}

/// A signing key file, as `credit-host plugin keygen` writes it (JSON,
/// readable by its owner only). Keep it out of the repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyFile {
    /// The key id to register.
    pub key_id: String,
    /// The division that registers it.
    pub unit: String,
    /// base64 of the 32-byte public key (what `/api/v1/admin/keys` takes).
    pub public_key: String,
    /// base64 of the 32-byte secret seed.
    pub secret_key: String,
}

impl KeyFile {
    /// A new random key.
    ///
    /// # Errors
    /// When the operating system's random source fails.
    pub fn generate(key_id: &str, unit: &str) -> anyhow::Result<Self> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let key = SigningKey::from_bytes(&seed);
        Ok(Self {
            key_id: key_id.to_owned(),
            unit: unit.to_owned(),
            public_key: STANDARD.encode(key.verifying_key().to_bytes()),
            secret_key: STANDARD.encode(seed),
        })
    }

    /// Write the key file to `path`, readable by its owner only; refuses to
    /// overwrite an existing file.
    ///
    /// # Errors
    /// When the file exists or cannot be written.
    pub fn write(&self, path: &std::path::Path) -> anyhow::Result<()> {
        use anyhow::Context as _;
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file =
            options.open(path).with_context(|| format!("cannot create {} (it must not exist yet)", path.display()))?;
        file.write_all(serde_json::to_string_pretty(self)?.as_bytes())?;
        Ok(())
    }

    /// Read a key file.
    ///
    /// # Errors
    /// When it cannot be read or is not a key file.
    pub fn read(path: &std::path::Path) -> anyhow::Result<Self> {
        use anyhow::Context as _;
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read key file {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a key file written by `credit-host plugin keygen`", path.display()))
    }

    /// Sign version `version` of `sector` whose component has digest
    /// `sha256`; returns the `X-Plugin-Signature` value.
    ///
    /// # Errors
    /// When the secret key is not base64 of 32 bytes.
    pub fn sign(&self, sector: &str, version: &str, sha256: &str) -> anyhow::Result<SignatureHeader> {
        let seed: [u8; 32] = STANDARD
            .decode(&self.secret_key)?
            .try_into()
            .map_err(|_| anyhow::anyhow!("the secret key of {} is not 32 bytes", self.key_id))?;
        let key = SigningKey::from_bytes(&seed);
        let signature = key.sign(signed_message(sector, version, sha256).as_bytes()).to_bytes();
        Ok(SignatureHeader { key_id: self.key_id.clone(), signature })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_sector_version_and_digest() {
        let key = KeyFile::generate("market-2026", "cultural-market-division").unwrap();
        let sig = key.sign("cultural-market", "1.2.0", "ab12").unwrap();
        let parsed = SignatureHeader::parse(&sig.to_header()).unwrap();
        assert_eq!(parsed, sig);
        let ok = signed_message("cultural-market", "1.2.0", "ab12");
        assert_eq!(ok, "credit-plugin/v1 cultural-market 1.2.0 ab12");
        verify(&key.public_key, &ok, &parsed.signature).unwrap();
        for other in [
            signed_message("publishing", "1.2.0", "ab12"),
            signed_message("cultural-market", "1.2.1", "ab12"),
            signed_message("cultural-market", "1.2.0", "ab13"),
        ] {
            let err = verify(&key.public_key, &other, &parsed.signature).unwrap_err();
            assert!(err.contains("does not verify"), "{err}");
        }
        let stranger = KeyFile::generate("other", "publishing-division").unwrap();
        assert!(verify(&stranger.public_key, &ok, &parsed.signature).is_err());
    }

    #[test]
    fn malformed_headers_and_keys_say_what_is_wrong() {
        assert!(SignatureHeader::parse("no-colon").unwrap_err().contains("KEY_ID:BASE64_SIGNATURE"));
        assert!(SignatureHeader::parse("Bad Id:AAAA").unwrap_err().contains("invalid key id"));
        assert!(SignatureHeader::parse("k1:%%%").unwrap_err().contains("not valid base64"));
        assert!(SignatureHeader::parse("k1:AAAA").unwrap_err().contains("64 bytes, this one is 3"));
        assert!(public_key("AAAA").unwrap_err().contains("32 bytes, this one is 3"));
        assert!(valid_key_id("market-2026.v1") && !valid_key_id("") && !valid_key_id(&"a".repeat(65)));
        assert!(!valid_key_id(".") && !valid_key_id("..") && !valid_key_id("-k"));
        // The identity point: 32 bytes of 0 except the sign bit pattern 0x01.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(public_key(&STANDARD.encode(identity)).unwrap_err().contains("weak"));
    }
}
