//! The credit rules, without I/O: identifiers, severity and publicity,
//! 双公示 columns, the bureau-wide check rules and the procedure of list
//! entries.

pub mod check;
pub mod columns;
pub mod complaints;
pub mod identifiers;
pub mod lists;
pub mod objections;
pub mod repairs;
pub mod severity;
