//! Prometheus text exposition, written by hand: a few counters and one
//! latency histogram need no registry, no global state and no dependency,
//! and recording a request is one uncontended lock and a few additions.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Debug, Default, Clone)]
struct RouteStats {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    sum_seconds: f64,
    count: u64,
}

#[derive(Debug, Default)]
struct Inner {
    routes: BTreeMap<String, RouteStats>,
    scans: BTreeMap<&'static str, u64>,
    findings: BTreeMap<String, u64>,
    rescreens: u64,
}

/// The server's counters.
#[derive(Debug, Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

impl Metrics {
    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let mut guard = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }

    /// Records one answered request: its route template (`/v1/scans/{id}`,
    /// never the raw path, so that ids do not create series), status and time.
    pub fn request(&self, route: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        self.with(|m| {
            let r = match m.routes.get_mut(route) {
                Some(r) => r,
                None => m.routes.entry(route.to_owned()).or_default(),
            };
            *r.by_status.entry(status).or_default() += 1;
            if let Some(i) = BUCKETS.iter().position(|b| secs <= *b) {
                r.buckets[i] += 1;
            }
            r.sum_seconds += secs;
            r.count += 1;
        });
    }

    /// Records a background scan that ended (`done` or `failed`).
    pub fn scan(&self, outcome: &'static str) {
        self.with(|m| *m.scans.entry(outcome).or_default() += 1);
    }

    /// Records findings produced by a screening, by verdict name.
    pub fn findings<'a>(&self, verdicts: impl IntoIterator<Item = &'a str>) {
        self.with(|m| {
            for v in verdicts {
                match m.findings.get_mut(v) {
                    Some(n) => *n += 1,
                    None => {
                        m.findings.insert(v.to_owned(), 1);
                    }
                }
            }
        });
    }

    /// Records a re-screen of a stored inventory.
    pub fn rescreen(&self) {
        self.with(|m| m.rescreens += 1);
    }

    /// The Prometheus text format (version 0.0.4).
    pub fn render(&self) -> String {
        let m = self.with(|m| Snapshot {
            routes: m.routes.clone(),
            scans: m.scans.clone(),
            findings: m.findings.clone(),
            rescreens: m.rescreens,
        });
        let mut out = String::new();
        m.write(&mut out);
        out
    }
}

struct Snapshot {
    routes: BTreeMap<String, RouteStats>,
    scans: BTreeMap<&'static str, u64>,
    findings: BTreeMap<String, u64>,
    rescreens: u64,
}

impl Snapshot {
    fn write(&self, out: &mut String) {
        header(
            out,
            "supplyscreen_http_requests_total",
            "counter",
            "HTTP requests answered, by route template and status.",
        );
        for (route, r) in &self.routes {
            for (status, n) in &r.by_status {
                let _ = writeln!(
                    out,
                    "supplyscreen_http_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                    label(route)
                );
            }
        }
        let name = "supplyscreen_http_request_duration_seconds";
        header(
            out,
            name,
            "histogram",
            "Time from request to response, by route template.",
        );
        for (route, r) in &self.routes {
            let route = label(route);
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(r.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                r.count
            );
            let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {}", r.sum_seconds);
            let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {}", r.count);
        }
        header(
            out,
            "supplyscreen_scans_total",
            "counter",
            "Background scans of uploaded inventories, by outcome.",
        );
        for (outcome, n) in &self.scans {
            let _ = writeln!(out, "supplyscreen_scans_total{{outcome=\"{outcome}\"}} {n}");
        }
        header(
            out,
            "supplyscreen_findings_total",
            "counter",
            "Findings produced by screenings, by verdict.",
        );
        for (verdict, n) in &self.findings {
            let _ = writeln!(
                out,
                "supplyscreen_findings_total{{verdict=\"{}\"}} {n}",
                label(verdict)
            );
        }
        header(
            out,
            "supplyscreen_rescreens_total",
            "counter",
            "Stored inventories screened again after the KB or the waivers changed.",
        );
        let _ = writeln!(out, "supplyscreen_rescreens_total {}", self.rescreens);
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value escaped as the text format requires.
fn label(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let m = Metrics::default();
        m.request("/v1/screen", 200, Duration::from_micros(300));
        m.request("/v1/screen", 200, Duration::from_millis(3));
        m.request("/v1/screen", 401, Duration::from_micros(50));
        m.scan("done");
        m.findings(["prohibited", "prohibited", "clear"]);
        let text = m.render();
        assert!(
            text.contains(
                "supplyscreen_http_requests_total{route=\"/v1/screen\",status=\"200\"} 2"
            )
        );
        assert!(
            text.contains(
                "supplyscreen_http_requests_total{route=\"/v1/screen\",status=\"401\"} 1"
            )
        );
        assert!(text.contains("le=\"0.0005\"} 2\n"));
        assert!(text.contains("le=\"0.005\"} 3\n"));
        assert!(
            text.contains(
                "supplyscreen_http_request_duration_seconds_count{route=\"/v1/screen\"} 3"
            )
        );
        assert!(text.contains("supplyscreen_scans_total{outcome=\"done\"} 1"));
        assert!(text.contains("supplyscreen_findings_total{verdict=\"prohibited\"} 2"));
    }

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
