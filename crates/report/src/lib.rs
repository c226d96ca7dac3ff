//! Rendering. The report decides nothing: it shows the outcome, every
//! component and every finding, with the evidence and the citation.

mod bundle;
mod collect;
mod csv_out;
mod cyclonedx;
mod diff;
mod directives;
mod explain;
mod facts;
mod format;
mod html;
mod identify;
mod impact;
mod json;
mod json_line;
mod jsonl;
mod kb;
mod kb_item;
mod markdown;
mod prose;
mod sarif;
mod service;
mod spool;
mod stream;
mod table;
mod visible;
mod waiver_list;

pub use bundle::{render_active, render_bundled, render_installed, render_keygen};
pub use collect::render_collection;
pub use csv_out::{CSV_COLUMNS, neutralise, render_csv};
pub use cyclonedx::render_cyclonedx;
pub use diff::{DIFF_SCHEMA, render_diff_json, render_diff_table};
pub use directives::render_directives;
pub use explain::render_explanation;
pub use format::{OutputFormat, RenderError, RenderOptions, UnknownFormat, render, render_with};
pub use html::render_html;
pub use identify::{render_identify_json, render_identify_table};
pub use impact::{IMPACT_SCHEMA, render_impact_json, render_impact_table};
pub use json::{SCHEMA, render_json};
pub use jsonl::{LINES_SCHEMA, render_jsonl};
pub use kb::{render_kb_imported, render_kb_list, render_kb_search, render_kb_validated};
pub use kb_item::render_kb_item;
pub use markdown::render_markdown;
pub use sarif::render_sarif;
pub use service::{
    render_audit_check, render_token_created, render_token_list, render_token_revoked,
};
pub use stream::{Destination, Encoder, Output, Piece, Streams, streams};
pub use table::{render_identified, render_summary, render_table, render_table_with};
pub use visible::{Visible, is_hidden, visible, visible_lines};
pub use waiver_list::{
    WAIVERS_SCHEMA, assumed_profile_line, mark_profile_assumed_json, render_waiver_list,
    render_waiver_list_json,
};
