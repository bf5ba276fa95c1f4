//! The credit-information host service of a municipal Bureau of Culture,
//! Radio, Television, Press and Publication.
//!
//! - [`access`]: roles, accounts' actors and API tokens;
//! - [`api`]: the HTTP API (axum), its OpenAPI spec and problem+json errors;
//! - [`domain`]: the credit rules without I/O (identifiers, severity and
//!   publicity, the bureau-wide check rules);
//! - [`ingest`]: reporting records from JSON and CSV;
//! - [`runtime`]: the wasmtime plugin runtime;
//! - [`store`]: the credit store on SQLite or PostgreSQL (sqlx);
//! - [`privacy`]: keyed hashes and encryption of ID numbers;
//! - [`divisions`]: the bureau's divisions and the sectors they own;
//! - [`export`]: the platforms records are exported to and their mappings;
//! - [`seed`]: loading the sample data into an empty database;
//! - [`config`]: the command line and environment.
#![deny(missing_docs)]

pub mod access;
pub mod api;
pub mod config;
pub mod divisions;
pub mod domain;
pub mod export;
pub mod ingest;
pub mod privacy;
pub mod runtime;
pub mod seed;
pub mod store;

pub use api::{AppState, app};
pub use config::Config;
