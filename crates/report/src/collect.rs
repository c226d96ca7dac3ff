//! `supplyscreen collect`: this machine's inventory as JSON Lines.

use supplyscreen_ingest::{Collection, to_jsonl_line};

/// A comment line naming the host and the count, then one component per line
/// (schema `supplyscreen/component/v1`), readable by `scan`. The lines are
/// data (JSON escapes what it must); the host name in the comment is shown
/// [`visible`](crate::visible), so it cannot end the comment or act on a
/// terminal.
pub fn render_collection(col: &Collection) -> String {
    let mut text = format!(
        "# supplyscreen collect: host {}, {} component(s)\n",
        crate::visible(&col.host),
        col.components.len()
    );
    for c in &col.components {
        text.push_str(&to_jsonl_line(c));
        text.push('\n');
    }
    text
}
