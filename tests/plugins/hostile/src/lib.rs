//! A hostile plugin for the runtime tests. It claims the `cultural-market`
//! sector and, in `inspect`, misbehaves according to the subject's name:
//! `loop` spins forever, `oom` allocates until memory runs out, `panic`
//! panics with a message, `trap` executes `unreachable`, `stack` recurses
//! without end on the shadow stack in linear memory, `recursion` on the
//! WebAssembly call stack, `log-flood` writes 100,000 log lines (then answers),
//! `bad-rule` and `bad-evidence` answer findings that break the interface's
//! promises, `refuse` answers with its own error; any other name gets one
//! finding. It offers one record kind, `licence`, whose schema requires a
//! field no real licence has.

use credit_sdk::prelude::*;

/// The plugin.
pub struct Hostile;

impl SectorPlugin for Hostile {
    fn manifest() -> Manifest {
        let mut m = Manifest::new("cultural-market", "恶意测试插件", "6.6.6");
        m.licence_types = vec!["internet-cafe".into()];
        m.rules = vec![RuleInfo { id: "ok".into(), title: "正常".into(), legal_basis: "测试".into() }];
        // One record kind, stricter than the bundled plugin's: no stored
        // licence carries `hostile_grade`, so an impact preview of this
        // version lists every stored licence as rejected (and every
        // stored penalty as a dropped kind).
        m.record_kinds = vec![RecordKind {
            id: "licence".into(),
            title: "行政许可".into(),
            schema: serde_json::json!({"type": "object", "required": ["hostile_grade"]}),
        }];
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
            "trap" => trap(),
            "stack" => Ok(vec![
                FindingBuilder::new("ok", Outcome::Standard).basis("测试").message(deep(0).to_string()).build(),
            ]),
            "recursion" => Ok(vec![
                FindingBuilder::new("ok", Outcome::Standard).basis("测试").message(recurse(0).to_string()).build(),
            ]),
            "log-flood" => {
                for i in 0..100_000 {
                    credit_sdk::helpers::log(&format!("hostile log line {i}"));
                }
                Ok(vec![FindingBuilder::new("ok", Outcome::Standard).basis("测试").message("flooded").build()])
            }
            "bad-rule" => Ok(vec![
                FindingBuilder::new("not-in-the-catalogue", Outcome::Restricted).basis("测试").message("x").build(),
            ]),
            "bad-evidence" => Ok(vec![
                FindingBuilder::new("ok", Outcome::Restricted)
                    .basis("测试")
                    .message("x")
                    .evidence("no-such-record")
                    .build(),
            ]),
            "refuse" => Err(PluginError::new("refused", "hostile plugin refuses")),
            _ => Ok(vec![FindingBuilder::new("ok", Outcome::Standard).basis("测试").message("ok").build()]),
        }
    }
}

/// Recursion without end: each frame keeps a buffer alive, so it cannot be
/// turned into a loop.
#[allow(unconditional_recursion)]
fn deep(n: u64) -> u64 {
    let frame = std::hint::black_box([n; 64]);
    deep(std::hint::black_box(n + 1)).wrapping_add(frame[(n % 64) as usize])
}

/// Recursion without end whose frames live on the WebAssembly call stack
/// only (no shadow-stack buffer).
#[allow(unconditional_recursion)]
fn recurse(n: u64) -> u64 {
    recurse(std::hint::black_box(n + 1)).wrapping_add(n)
}

/// Execute `unreachable`.
fn trap() -> ! {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[cfg(not(target_arch = "wasm32"))]
    std::process::abort();
}

credit_sdk::export_plugin!(Hostile);
