//! Who may do what: roles, the signed-in actor and API tokens.
//!
//! Every account belongs to a unit of the division table
//! ([`crate::divisions`]) and holds one or more [`Role`]s; requests carry an
//! API token (`Authorization: Bearer crt_…`). Tokens are random (256 bits)
//! and stored only as their SHA-256, so a copy of the database lets nobody
//! sign in. Which role may call which endpoint is declared once, in
//! [`crate::api::access`]; the reporting scope (unit, sector, record kind) is
//! the unit's `reports` list.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// A role an account holds. The public holds none (no token).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// 信息报送员: reports and corrects its unit's records (scope: the unit's `reports`).
    Reporter,
    /// 信用办审核员: reviews reported records, objections and repairs; reads the audit trail.
    Reviewer,
    /// 局领导: approves what goes up for approval (报批), such as credit repair.
    Approver,
    /// 审批/执法人员: runs credit checks and reads credit files; changes nothing.
    Inspector,
    /// 系统管理员: manages plugins, keys and accounts; sees no credit file.
    Administrator,
}

impl Role {
    /// Every role, in the order above.
    pub const ALL: [Role; 5] = [Role::Reporter, Role::Reviewer, Role::Approver, Role::Inspector, Role::Administrator];

    /// The role's id (`reporter`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Inspector => "inspector",
            Role::Administrator => "administrator",
        }
    }

    /// The role's Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Reporter => "信息报送员",
            Role::Reviewer => "信用办审核员",
            Role::Approver => "局领导（审批）",
            Role::Inspector => "核查人员",
            Role::Administrator => "系统管理员",
        }
    }

    /// Parse a role id.
    ///
    /// # Errors
    /// The unknown text, with the known ids.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|r| r.as_str() == text).ok_or_else(|| {
            format!(
                "unknown role {text:?} (roles: {})",
                Self::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

/// The signed-in account a request acts as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Actor {
    /// The account id (its login), recorded as who did what.
    pub account: String,
    /// Display name.
    pub name: String,
    /// The unit it belongs to (an id of the division table).
    pub unit: String,
    /// Its roles.
    pub roles: Vec<Role>,
    /// The token used.
    pub token_id: String,
}

impl Actor {
    /// Whether the account holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A freshly issued API token: shown once, stored as [`hash_secret`].
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// The token id (public; the row key).
    pub id: String,
    /// The whole token to hand to its holder: `crt_<id>_<secret>`.
    pub token: String,
    /// SHA-256 of the secret, hex: what the database stores.
    pub secret_sha256: String,
}

/// Issue a new token from the operating system's randomness.
///
/// # Errors
/// When the system has no randomness to give.
pub fn issue_token() -> anyhow::Result<IssuedToken> {
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    getrandom::fill(&mut id).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no system randomness: {e}"))?;
    let id = hex::encode(id);
    let secret = hex::encode(secret);
    Ok(IssuedToken { token: format!("crt_{id}_{secret}"), secret_sha256: hash_secret(&secret), id })
}

/// SHA-256 of a token's secret, hex.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Split `crt_<id>_<secret>` into id and secret; `None` if it has not that shape.
pub fn split_token(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix("crt_")?;
    let (id, secret) = rest.split_once('_')?;
    let hexish = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    (hexish(id, 16) && hexish(secret, 64)).then_some((id, secret))
}

/// Whether `secret` hashes to `stored_sha256` (constant-time comparison).
pub fn secret_matches(secret: &str, stored_sha256: &str) -> bool {
    hash_secret(secret).as_bytes().ct_eq(stored_sha256.as_bytes()).into()
}

/// Whether `id` is a usable account id: 2–64 of `a-z 0-9 . _ -`, starting
/// with a letter or digit.
pub fn valid_account_id(id: &str) -> bool {
    (2..=64).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && id.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_own_secret() {
        let t = issue_token().unwrap();
        let (id, secret) = split_token(&t.token).unwrap();
        assert_eq!(id, t.id);
        assert_eq!(secret.len(), 64);
        assert!(secret_matches(secret, &t.secret_sha256));
        let other = issue_token().unwrap();
        assert_ne!(other.token, t.token);
        let (_, other_secret) = split_token(&other.token).unwrap();
        assert!(!secret_matches(other_secret, &t.secret_sha256));
        assert!(!t.token.contains(&t.secret_sha256), "the stored hash is not the secret");
    }

    #[test]
    fn malformed_tokens_are_not_split() {
        for bad in ["", "crt_", "Bearer x", "crt_abc_def", &format!("crt_{}_{}", "g".repeat(16), "0".repeat(64))] {
            assert_eq!(split_token(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn roles_parse_from_their_ids() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert!(
            Role::parse("superuser").unwrap_err().contains("reporter, reviewer, approver, inspector, administrator")
        );
    }

    #[test]
    fn account_ids() {
        assert!(valid_account_id("zhang.san"));
        assert!(valid_account_id("inspector-01"));
        for bad in ["", "a", "-x", "Zhang", "张三", "a b", &"x".repeat(65)] {
            assert!(!valid_account_id(bad), "{bad:?}");
        }
    }
}
