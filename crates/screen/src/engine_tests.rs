//! The engine gives the same stream whatever the threads and whether later
//! inputs' components stay in memory or are set aside on disk.

use std::io;
use std::path::{Path, PathBuf};

use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, ProfileId, Verdict};

use crate::{Encode, End, Header, Request, Screened, Screener, Sink, SkippedFile, load_kb};

/// Encodes a component as its id, verdict and findings' ids: what must
/// come out in the same order every time.
struct Ids;

impl Encode for Ids {
    type Item = String;
    fn encode(&self, s: Screened) -> String {
        let findings: Vec<String> = s.findings.iter().map(|f| f.id.to_string()).collect();
        format!(
            "{} {} {} {}",
            s.component.source,
            s.id,
            s.verdict,
            findings.join(",")
        )
    }
    fn weight(&self, item: &String) -> usize {
        item.len()
    }
    fn spill(&self, item: &String, out: &mut Vec<u8>) -> bool {
        out.extend_from_slice(item.as_bytes());
        true
    }
    fn restore(&self, bytes: Vec<u8>) -> Option<String> {
        String::from_utf8(bytes).ok()
    }
}

/// Everything the sink receives, as lines.
#[derive(Default)]
struct Lines(Vec<String>);

impl Sink<String> for Lines {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        self.0.push(format!("begin {}", h.profile));
        Ok(())
    }
    fn component(&mut self, v: Verdict, item: String) -> io::Result<()> {
        self.0.push(format!("{v} {item}"));
        Ok(())
    }
    fn input(&mut self, s: Summary) -> io::Result<()> {
        self.0.push(format!("input {} {}", s.path, s.components));
        Ok(())
    }
    fn skipped(&mut self, f: SkippedFile) -> io::Result<()> {
        self.0.push(format!("skipped {}", f.path));
        Ok(())
    }
    fn end(&mut self, end: &End) -> io::Result<()> {
        let used: Vec<usize> = end.waivers.iter().map(|w| w.used).collect();
        self.0
            .push(format!("end {:?} {used:?}", end.totals.counts()));
        Ok(())
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(screener: &Screener, req: &Request, jobs: usize, budget: usize) -> Vec<String> {
    let paths: Vec<PathBuf> = [
        "examples",
        "fixtures/fleet-archive/fleet.tar.gz",
        "fixtures/storage-server-tools",
        "fixtures/dmidecode-2x-legacy",
    ]
    .iter()
    .map(|p| root().join(p))
    .collect();
    let mut sink = Lines::default();
    let inputs = crate::open_inputs(&paths);
    screener
        .screen_limited(inputs, req, (jobs, budget), &Ids, &mut sink, &mut |_| {})
        .expect("screens");
    sink.0
}

#[test]
fn threads_and_components_set_aside_on_disk_change_nothing() {
    let kb = load_kb(None).expect("embedded KB");
    let text = std::fs::read_to_string(root().join("examples/waivers.toml")).expect("waivers");
    let waivers = crate::parse_waivers("examples/waivers.toml", &text, &kb).expect("valid");
    let req = Request {
        profile: ProfileId::new("cn-cii").expect("id"),
        as_of: Date::constant(2026, 11, 28),
        action: None,
        waivers,
        read: Default::default(),
    };
    let screener = Screener::new(kb);
    let one = run(&screener, &req, 1, usize::MAX);
    assert!(one.iter().filter(|l| l.starts_with("violation")).count() >= 3);
    assert!(
        one.iter()
            .any(|l| l.contains("fleet.tar.gz:hosts/db-07.dmi"))
    );
    assert!(
        one.last()
            .is_some_and(|l| l.starts_with("end") && !l.ends_with("[0, 0, 0]"))
    );
    for jobs in [2, 3, 4] {
        assert!(
            run(&screener, &req, jobs, usize::MAX) == one,
            "{jobs} threads"
        );
        // A budget of nothing sets aside every component not being written.
        assert!(
            run(&screener, &req, jobs, 0) == one,
            "{jobs} threads, all set aside"
        );
    }
}
