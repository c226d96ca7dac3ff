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
}

impl OutputFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [OutputFormat; 2] = [Self::Table, Self::Json];

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Self::Table => "table",
            Self::Json => "json",
        }
    }

    /// One line saying what the format is for.
    pub fn description(self) -> &'static str {
        match self {
            Self::Table => "grouped by verdict, for people",
            Self::Json => "the versioned JSON report, for programs",
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
    /// Serialising the JSON document failed.
    #[error("cannot render the JSON report: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders an outcome in a format.
pub fn render(format: OutputFormat, o: &Outcome) -> Result<String, RenderError> {
    Ok(match format {
        OutputFormat::Table => crate::table::render_table(o),
        OutputFormat::Json => crate::json::render_json(o)?,
    })
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
            "unknown output format \"yaml\" (expected one of: table, json)"
        );
    }
}
