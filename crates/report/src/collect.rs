//! `supplyscreen collect`: this machine's inventory as JSON Lines.

use supplyscreen_ingest::{Collection, to_jsonl_line};

/// A comment line naming the host and the count, then one component per line
/// (schema `supplyscreen/component/v1`), readable by `scan`.
pub fn render_collection(col: &Collection) -> String {
    crate::visible::shown(render_collection_raw(col))
}

fn render_collection_raw(col: &Collection) -> String {
    let mut text = format!(
        "# supplyscreen collect: host {}, {} component(s)\n",
        col.host,
        col.components.len()
    );
    for c in &col.components {
        text.push_str(&to_jsonl_line(c));
        text.push('\n');
    }
    text
}
