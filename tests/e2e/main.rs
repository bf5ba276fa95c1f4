//! End-to-end tests: the real host (HTTP over a real socket) on a fresh
//! database — SQLite always, PostgreSQL when `CREDIT_TEST_POSTGRES_URL` is
//! set — with the plugins built by `cargo xtask test`.

mod access;
mod assessment;
mod commitments;
mod complaints;
mod exports;
mod formats;
mod imports;
mod lists;
mod objections;
mod plugin_admin;
mod plugins;
mod public_scan;
mod real_data;
mod repairs;
mod reporting;
mod review;
mod runtime;
mod scenarios;
mod store;
mod util;
