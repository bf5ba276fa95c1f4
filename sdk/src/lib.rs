//! The guest SDK for sector plugins of the credit system.
//!
//! A sector plugin is a WebAssembly component of the `credit:plugin` world
//! (`sdk/wit/plugin.wit`), built for `wasm32-unknown-unknown` without WASI.
//! Plugin authors implement one trait, [`SectorPlugin`], in ordinary Rust
//! types, and export it with [`export_plugin!`]:
//!
//! ```
//! use credit_sdk::prelude::*;
//!
//! struct Demo;
//!
//! impl SectorPlugin for Demo {
//!     fn manifest() -> Manifest {
//!         Manifest::new("demo", "示例", "0.1.0")
//!     }
//!     fn inspect(_request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
//!         Ok(Vec::new())
//!     }
//! }
//!
//! credit_sdk::export_plugin!(Demo);
//! # fn main() {}
//! ```
//!
//! The [`harness`] runs the same logic natively, without wasm, for unit
//! tests; the host's runtime runs the built component.
#![deny(missing_docs)]

pub mod bans;
pub mod checks;
pub mod columns;
pub mod commitment;
mod export;
pub mod fixture;
#[cfg(not(target_arch = "wasm32"))]
pub mod harness;
pub mod helpers;
pub mod identifiers;
pub mod schema;
pub mod types;

pub use export::SectorPlugin;
pub use types::*;

/// The interface version this SDK builds plugins for (the WIT package's).
pub const INTERFACE_VERSION: &str = "0.1.0";

/// Everything a plugin usually needs, in one `use`.
pub mod prelude {
    pub use crate::SectorPlugin;
    pub use crate::bans::{ANY, Ban, BanMatch, LEAD, Trigger};
    pub use crate::checks::PenaltyArticle;
    pub use crate::helpers::{FindingBuilder, add_years, body_as, date, log};
    pub use crate::schema::{bundle, cites_article, cites_regulation};
    pub use crate::types::*;
}

#[doc(hidden)]
pub mod __bindings {
    wit_bindgen::generate!({
        world: "sector-plugin",
        path: "wit",
        pub_export_macro: true,
        export_macro_name: "__export_sector_plugin",
        default_bindings_module: "credit_sdk::__bindings",
    });
}

#[doc(hidden)]
pub use export::glue as __glue;
