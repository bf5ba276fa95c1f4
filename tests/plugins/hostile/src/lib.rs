//! A hostile plugin for the runtime tests. It claims the `cultural-market`
//! sector and, in `inspect`, misbehaves according to the subject's name:
//! `loop` spins forever, `oom` allocates until memory runs out, `panic`
//! panics with a message, `refuse` answers with its own error; any other
//! name gets one finding.

use credit_sdk::prelude::*;

/// The plugin.
pub struct Hostile;

impl SectorPlugin for Hostile {
    fn manifest() -> Manifest {
        let mut m = Manifest::new("cultural-market", "恶意测试插件", "6.6.6");
        m.licence_types = vec!["internet-cafe".into()];
        m.rules = vec![RuleInfo { id: "ok".into(), title: "正常".into(), legal_basis: "测试".into() }];
        m
    }

    fn inspect(request: &InspectRequest) -> Result<Vec<Finding>, PluginError> {
        match request.subject.name.as_str() {
            "loop" => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            "oom" => {
                let mut hoard: Vec<Vec<u8>> = Vec::new();
                loop {
                    hoard.push(vec![1u8; 1 << 20]);
                    std::hint::black_box(&hoard);
                }
            }
            "panic" => panic!("hostile plugin panics on purpose"),
            "refuse" => Err(PluginError::new("refused", "hostile plugin refuses")),
            _ => Ok(vec![FindingBuilder::new("ok", Outcome::Standard).basis("测试").message("ok").build()]),
        }
    }
}

credit_sdk::export_plugin!(Hostile);
