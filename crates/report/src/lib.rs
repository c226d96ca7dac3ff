//! Rendering. The report decides nothing: it shows the outcome, every
//! component and every finding, with the evidence and the citation.

mod collect;
mod csv_out;
mod cyclonedx;
mod directives;
mod explain;
mod facts;
mod format;
mod html;
mod identify;
mod json;
mod jsonl;
mod kb;
mod kb_item;
mod markdown;
mod prose;
mod sarif;
mod table;

pub use collect::render_collection;
pub use csv_out::{CSV_COLUMNS, neutralise, render_csv};
pub use cyclonedx::render_cyclonedx;
pub use directives::render_directives;
pub use explain::render_explanation;
pub use format::{OutputFormat, RenderError, RenderOptions, UnknownFormat, render, render_with};
pub use html::render_html;
pub use identify::{render_identify_json, render_identify_table};
pub use json::{SCHEMA, render_json};
pub use jsonl::{LINES_SCHEMA, render_jsonl};
pub use kb::{render_kb_imported, render_kb_list, render_kb_search, render_kb_validated};
pub use kb_item::render_kb_item;
pub use markdown::render_markdown;
pub use sarif::render_sarif;
pub use table::{render_identified, render_summary, render_table, render_table_with};
