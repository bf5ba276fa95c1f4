//! The credit rules, without I/O: identifiers, severity and publicity,
//! 双公示 columns, and the bureau-wide check rules.

pub mod check;
pub mod columns;
pub mod identifiers;
pub mod severity;
