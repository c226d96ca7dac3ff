//! Rendering. The report decides nothing: it shows the outcome, every
//! component and every finding, with the evidence and the citation.

mod explain;
mod format;
mod json;
mod prose;
mod table;

pub use explain::render_explanation;
pub use format::{OutputFormat, RenderError, UnknownFormat, render};
pub use json::{SCHEMA, render_json};
pub use table::{render_identified, render_table};
