//! The generated host bindings of `credit:plugin` (`sdk/wit/plugin.wit`),
//! kept private; the rest of the host uses the re-exports in [`wit`].

mod generated {
    wasmtime::component::bindgen!({
        path: "../sdk/wit",
        world: "sector-plugin",
        // Serialisable, so a check can keep the exact input its plugin got
        // and replay it (the impact preview).
        additional_derives: [serde::Serialize, serde::Deserialize],
    });
}

pub(crate) use generated::credit::plugin::host::{Host as LogHost, Level};
pub(crate) use generated::credit::plugin::types::Host as TypesHost;
pub(crate) use generated::{SectorPlugin, SectorPluginPre};

/// The interface's data types, as the host passes them to plugins.
pub mod wit {
    pub use super::generated::credit::plugin::types::{
        CreditRecord, Finding, InspectRequest, ListEntry, Outcome, Person, PluginError, Purpose, Role, Severity,
        Subject, SubjectKind, Violation,
    };
}

pub(crate) fn add_to_linker(
    linker: &mut wasmtime::component::Linker<super::plugin::CallState>,
) -> wasmtime::Result<()> {
    generated::SectorPlugin::add_to_linker::<_, wasmtime::component::HasSelf<_>>(linker, |s| s)
}
