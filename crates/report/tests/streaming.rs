//! A screening streamed into every format at once, on two worker threads,
//! writes exactly what rendering the in-memory outcome of the same inputs
//! writes: the examples, the fleet archive and the waivers.

mod common;

use std::path::PathBuf;

use supplyscreen_model::{Date, ProfileId};
use supplyscreen_report::{Output, OutputFormat, RenderOptions, render_with, streams};
use supplyscreen_screen::{Request, Screener, load_kb, open_inputs, parse_waivers};

use common::root;

fn request(kb: &supplyscreen_screen::Kb) -> Request {
    let text = std::fs::read_to_string(root().join("examples/waivers.toml")).expect("waivers");
    Request {
        profile: ProfileId::new("cn-cii").expect("id"),
        as_of: Date::constant(2026, 11, 28),
        action: None,
        waivers: parse_waivers("examples/waivers.toml", &text, kb).expect("valid"),
        read: Default::default(),
    }
}

fn paths() -> Vec<PathBuf> {
    [
        "examples/asset-register.csv",
        "examples/db-07.dmi",
        "fixtures/fleet-archive/fleet.tar.gz",
        "examples/purchase-order-2024.csv",
        "fixtures/storage-server-tools",
    ]
    .iter()
    .map(|p| root().join(p))
    .collect()
}

#[test]
fn every_streamed_format_equals_the_rendered_outcome() {
    let kb = load_kb(None).expect("embedded KB");
    let req = request(&kb);
    let screener = Screener::new(kb);
    let outcome = screener
        .screen(open_inputs(&paths()), &req)
        .expect("screens");
    assert!(outcome.components.len() > 20);
    assert!(outcome.waivers.iter().any(|w| w.used > 0));
    let mut kinds: Vec<(OutputFormat, RenderOptions)> = OutputFormat::ALL
        .iter()
        .map(|f| (*f, RenderOptions::default()))
        .collect();
    kinds.push((
        OutputFormat::Table,
        RenderOptions {
            show_clear: true,
            summary_only: false,
        },
    ));
    kinds.push((
        OutputFormat::Table,
        RenderOptions {
            show_clear: false,
            summary_only: true,
        },
    ));
    let mut buffers: Vec<Vec<u8>> = vec![Vec::new(); kinds.len()];
    {
        let outputs = kinds
            .iter()
            .zip(buffers.iter_mut())
            .map(|((format, opts), buf)| Output {
                format: *format,
                opts: *opts,
                to: Box::new(buf),
                profile_assumed: false,
            })
            .collect();
        let (enc, mut sink) = streams(outputs, req.as_of);
        let end = screener
            .screen_into(open_inputs(&paths()), &req, 2, &enc, &mut sink, &mut |_| {})
            .expect("streams");
        assert_eq!(end.totals.components(), outcome.components.len());
    }
    for ((format, opts), streamed) in kinds.iter().zip(buffers) {
        let rendered = render_with(*format, &outcome, *opts).expect("renders");
        let streamed = String::from_utf8(streamed).expect("utf-8");
        assert!(
            streamed == rendered,
            "{format} {opts:?} differs when streamed"
        );
    }
}
