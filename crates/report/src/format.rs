//! The output formats of a scan report: one entry per format. Adding a format
//! is a module of this crate and one entry in [`OutputFormat::ALL`] with its
//! arm in [`render`].

use std::fmt;

use supplyscreen_screen::Outcome;

/// A scan report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputFormat {
    /// Grouped by verdict, for people (ANSI styles, dropped when not a terminal).
    Table,
    /// The versioned JSON document (`supplyscreen/report/v2`).
    Json,
    /// JSON Lines: the report's header, then one component or finding per line.
    Jsonl,
    /// One row per component, for spreadsheets (UTF-8 with BOM, formulas neutralised).
    Csv,
    /// SARIF 2.1.0, for code-scanning and GRC dashboards.
    Sarif,
    /// Markdown, for tickets and pull requests.
    Markdown,
    /// One self-contained HTML page with charts and filters.
    Html,
    /// CycloneDX 1.6 JSON: every component with its attribution and verdict.
    Cyclonedx,
}

impl OutputFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [OutputFormat; 8] = [
        Self::Table,
        Self::Json,
        Self::Jsonl,
        Self::Csv,
        Self::Sarif,
        Self::Markdown,
        Self::Html,
        Self::Cyclonedx,
    ];

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Json => "json",
            Self::Jsonl => "jsonl",
            Self::Csv => "csv",
            Self::Sarif => "sarif",
            Self::Markdown => "markdown",
            Self::Html => "html",
            Self::Cyclonedx => "cyclonedx",
        }
    }

    /// One line saying what the format is for.
    pub fn description(self) -> &'static str {
        match self {
            Self::Table => "grouped by verdict, for people",
            Self::Json => "the versioned JSON report, for programs",
            Self::Jsonl => "one component or finding per line, for log pipelines",
            Self::Csv => "one row per component, for spreadsheets",
            Self::Sarif => "SARIF 2.1.0, for code-scanning and GRC dashboards",
            Self::Markdown => "Markdown, for tickets and pull requests",
            Self::Html => "one self-contained page with charts and filters, for auditors",
            Self::Cyclonedx => "CycloneDX 1.6 JSON, for BOM tools",
        }
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format name that is not one of [`OutputFormat::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown output format {:?} (expected one of: {})", .0, names())]
pub struct UnknownFormat(pub String);

fn names() -> String {
    OutputFormat::ALL.map(OutputFormat::name).join(", ")
}

impl std::str::FromStr for OutputFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        Self::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFormat(s.to_owned()))
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Serialising a JSON document failed.
    #[error("cannot render the JSON report: {0}")]
    Json(#[from] serde_json::Error),
    /// Writing the CSV failed.
    #[error("cannot render the CSV report: {0}")]
    Csv(#[from] csv::Error),
    /// Writing the report failed.
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
}

/// How much the table shows; the other formats always hold everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// List clear components too.
    pub show_clear: bool,
    /// Counts only: the header, the summary and the findings per directive.
    pub summary_only: bool,
}

/// Renders an outcome in a format, with the default options.
pub fn render(format: OutputFormat, o: &Outcome) -> Result<String, RenderError> {
    render_with(format, o, RenderOptions::default())
}

/// Renders an outcome in a format (through the same writers a streamed
/// screening uses).
pub fn render_with(
    format: OutputFormat,
    o: &Outcome,
    opts: RenderOptions,
) -> Result<String, RenderError> {
    crate::stream::replay(format, opts, o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_list_the_choices() {
        for f in OutputFormat::ALL {
            assert_eq!(f.name().parse::<OutputFormat>(), Ok(f));
        }
        let e = "yaml".parse::<OutputFormat>().expect_err("not a format");
        assert_eq!(
            e.to_string(),
            "unknown output format \"yaml\" (expected one of: table, json, jsonl, csv, sarif, markdown, html, cyclonedx)"
        );
    }
}
