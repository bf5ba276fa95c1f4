//! The 双公示 column names of spreadsheets: the SDK's table
//! ([`credit_sdk::columns`]), which plugins' tests of their sample files use
//! too, so an importer and a plugin never disagree on a header.

pub use credit_sdk::columns::*;
