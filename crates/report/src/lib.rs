//! Rendering. The report decides nothing: it shows the outcome, every
//! component and every finding, with the evidence and the citation.

mod explain;
mod json;
mod table;

pub use explain::render_explanation;
pub use json::{SCHEMA, render_json};
pub use table::{render_identified, render_table};

use supplyscreen_policy::Action;

/// The action as reports name it.
fn action_name(action: Option<Action>) -> &'static str {
    match action {
        None => "auto",
        Some(Action::Purchase) => "purchase",
        Some(Action::Inventory) => "inventory",
    }
}
