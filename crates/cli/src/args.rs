//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use supplyscreen_model::{Date, ProfileId, parse_iso_date};

/// Screen hardware inventories and purchase orders against government vendor
/// restrictions, with evidence an auditor accepts.
#[derive(Debug, Parser)]
#[command(name = "supplyscreen", version, about, long_about = None)]
pub struct Cli {
    /// A configuration file to use instead of the `supplyscreen.toml` found
    /// from the working directory upwards.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Screen inventories and purchase orders (dmidecode, CSV/TSV, JSON Lines; `-` for stdin).
    Scan(ScanArgs),
    /// Show which entity a maker string or part number is attributed to, and why.
    Identify(IdentifyArgs),
    /// Inspect, validate, sign or install the knowledge base.
    Kb {
        /// What to do.
        #[command(subcommand)]
        command: KbSubcommand,
    },
    /// List directives, optionally only those binding a profile on a date.
    Directives(DirectivesArgs),
    /// Write this machine's inventory (SMBIOS, PCI, USB, disks from sysfs) as JSON Lines.
    Collect(CollectArgs),
    /// Compare two JSON reports: new, resolved and changed findings by stable id.
    Diff(crate::args_workflow::DiffArgs),
    /// Show what a draft directive would reach in the inputs, whatever their dates.
    Impact(crate::args_workflow::ImpactArgs),
    /// List, add, renew or prune waivers (accepted risks) in waiver files.
    Waivers {
        /// What to do.
        #[command(subcommand)]
        command: crate::args_workflow::WaiversCommand,
    },
    /// Write a commented supplyscreen.toml.
    Init(crate::args_workflow::InitArgs),
    /// Print a shell completion script.
    Completions(crate::args_workflow::CompletionsArgs),
    /// Print the manual page (roff).
    Manpage,
    /// Run the HTTP API, background scans and web UI (SQLite by default, PostgreSQL to scale).
    Serve(ServeArgs),
    /// Create, list or revoke the service's bearer tokens.
    Token {
        /// What to do.
        #[command(subcommand)]
        command: crate::args_service::TokenCommand,
    },
    /// Check the service's audit log.
    Audit {
        /// What to do.
        #[command(subcommand)]
        command: crate::args_service::AuditCommand,
    },
}

/// `collect` options.
#[derive(Debug, clap::Args)]
pub struct CollectArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Read sysfs under this directory instead of `/` (for tests and mounted images).
    #[arg(long, value_name = "DIR", default_value = "/", hide = true)]
    pub root: PathBuf,
    /// Send the inventory to a `supplyscreen serve` at this URL (`https://host`, or
    /// `http://host:8080` on a loopback or trusted network) instead of writing it.
    #[arg(
        long,
        value_name = "URL",
        requires = "token",
        conflicts_with = "output"
    )]
    pub push: Option<String>,
    /// The bearer token for `--push` (a submitter's); default `$SUPPLYSCREEN_TOKEN`.
    #[arg(
        long,
        value_name = "TOKEN",
        env = "SUPPLYSCREEN_TOKEN",
        hide_env_values = true
    )]
    pub token: Option<String>,
    /// Trust the certificate authorities in this PEM file for an https `--push`
    /// (a private CA) instead of the bundled Mozilla roots.
    #[arg(long, value_name = "FILE", requires = "push")]
    pub ca_cert: Option<PathBuf>,
    /// The profile the server screens the pushed inventory against.
    #[arg(long, value_name = "ID", default_value = "cn-cii")]
    pub profile: String,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Grouped, coloured text for people.
    Table,
    /// The JSON document of the attributions.
    Json,
}

/// What every component is taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ActionArg {
    /// Purchase-order lines are purchases, hardware dumps are installed base.
    Auto,
    /// Everything is a prospective purchase.
    Purchase,
    /// Everything is installed base.
    Inventory,
}

/// The lowest verdict that makes the exit status 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Fail on violations only.
    Violation,
    /// Fail on restricted items or worse.
    Restricted,
    /// Fail on anything that needs review or worse.
    Review,
}

/// Options shared by commands that read the KB.
#[derive(Debug, clap::Args)]
pub struct KbArgs {
    /// A directory of KB files laid over the embedded KB (same layout as data/).
    #[arg(long, value_name = "DIR")]
    pub kb: Option<PathBuf>,
}

/// `scan` options.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Files, directories or tar/tar.gz archives to screen; `-` reads standard input.
    #[arg(required_unless_present = "local", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also collect and screen this machine's own inventory (see `collect`).
    #[arg(long)]
    pub local: bool,
    /// Read sysfs under this directory for `--local` instead of `/`.
    #[arg(long, value_name = "DIR", default_value = "/", hide = true)]
    pub root: PathBuf,
    /// Who is screening (a profile id from the KB); default: the config's, else cn-cii.
    #[arg(long)]
    pub profile: Option<ProfileId>,
    /// Whether the inputs are purchases or installed base.
    #[arg(long, value_enum, default_value_t = ActionArg::Auto)]
    pub action: ActionArg,
    /// The screening date (YYYY-MM-DD); defaults to today.
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub as_of: Option<Date>,
    /// A report to write: FORMAT to standard output or FORMAT=FILE to a file;
    /// repeat for several (`-o table -o sarif=out.sarif -o html=report.html`).
    /// Formats: table, json, jsonl, csv, sarif, markdown, html, cyclonedx.
    /// Default: the config's outputs, else the table on standard output.
    #[arg(short = 'o', long = "output", value_name = "FORMAT[=FILE]", value_parser = output_spec)]
    pub outputs: Vec<crate::output::OutputSpec>,
    /// The format of the one report on standard output (same as `-o FORMAT`).
    #[arg(long, value_name = "FORMAT", value_parser = report_format, conflicts_with = "outputs")]
    pub format: Option<supplyscreen_report::OutputFormat>,
    /// Print only the counts (per verdict and per directive) on standard output.
    #[arg(long, conflicts_with = "quiet")]
    pub summary: bool,
    /// Print nothing on standard output (files named with `-o` are still
    /// written; the exit status tells the result).
    #[arg(long, short)]
    pub quiet: bool,
    /// List clear components in the table too.
    #[arg(long)]
    pub show_clear: bool,
    /// Exit with status 1 when a component's verdict is at or above this
    /// (default: the config's, else violation).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// A waivers file (TOML); repeatable. Replaces the config's waiver files.
    #[arg(long, value_name = "FILE")]
    pub waivers: Vec<PathBuf>,
    /// What table columns hold, for headers the tool does not know:
    /// `maker=Supplier,part=Item Number,date=PO Date` (roles: maker, supplier,
    /// part, model, description, date, quantity, category, use, host, po,
    /// price, ignore); may be repeated.
    #[arg(long, value_name = "ROLE=HEADER,...")]
    pub columns: Vec<String>,
    /// How to read dates such as 03/04/2024: dmy, mdy or ymd. Without it
    /// such dates are refused as ambiguous, never guessed.
    #[arg(long, value_name = "ORDER")]
    pub date_order: Option<supplyscreen_ingest::DateOrder>,
    /// Refuse a compressed input (.gz, .tar.gz, a gzip archive member) that
    /// expands more than this many times its compressed size, checked past
    /// 16 MiB out: a decompression bomb.
    #[arg(long, value_name = "RATIO", default_value_t = 500,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_expansion: u32,
    /// Refuse a compressed input that expands to more than this (e.g. 4G, 512M).
    #[arg(long, value_name = "SIZE", default_value = "4G")]
    pub max_input_size: supplyscreen_ingest::ByteSize,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
    /// Worker threads reading and judging files (default: one per core);
    /// the report is the same for any number.
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// `identify` options.
#[derive(Debug, clap::Args)]
pub struct IdentifyArgs {
    /// Maker strings, JEDEC codes or part numbers, one attribution each.
    #[arg(required = true, value_name = "TEXT")]
    pub texts: Vec<String>,
    /// Show why: each piece of evidence with its KB line, confidence and
    /// reason; for text that matched nothing, the nearest KB names and
    /// part-number patterns and why each fell short.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// All `kb` subcommands: inspection and signed bundles.
#[derive(Debug, Subcommand)]
pub enum KbSubcommand {
    /// Inspect, validate, import.
    #[command(flatten)]
    Inspect(KbCommand),
    /// Signed bundles for offline updates.
    #[command(flatten)]
    Bundle(BundleCommand),
}

/// `kb` subcommands for signed KB bundles.
#[derive(Debug, Subcommand)]
pub enum BundleCommand {
    /// Make an ed25519 key pair: FILE (secret) and FILE.pub (public).
    Keygen {
        /// The secret key file to create (never overwritten).
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Pack a complete KB directory with its version and hash, and sign it.
    Bundle {
        /// The KB directory (kb.toml, entities/, directives/, profiles/).
        dir: PathBuf,
        /// The secret key file (from `kb keygen`).
        #[arg(long, value_name = "FILE")]
        key: PathBuf,
        /// The bundle file to write.
        #[arg(short, long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify a bundle against trusted keys and make it the active KB.
    Install {
        /// The bundle file.
        bundle: PathBuf,
        /// A trusted public key file (repeatable); KB_HOME/trusted-keys/*.pub are trusted too.
        #[arg(long = "trusted-key", value_name = "FILE")]
        trusted_keys: Vec<PathBuf>,
        /// Where installed KBs live (default: $SUPPLYSCREEN_KB_HOME, else the per-user data directory).
        #[arg(long, value_name = "DIR")]
        kb_home: Option<PathBuf>,
    },
    /// Show the active installed KB: version, hash, signer and source bundle.
    Active {
        /// Where installed KBs live.
        #[arg(long, value_name = "DIR")]
        kb_home: Option<PathBuf>,
    },
}

/// `kb` subcommands that read the KB.
#[derive(Debug, Subcommand)]
pub enum KbCommand {
    /// Validate the embedded KB, or a directory laid over it; every error with file and line.
    Validate {
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
        /// The overlay directory given without `--kb` (the older form).
        #[arg(value_name = "DIR", hide = true, conflicts_with = "kb")]
        dir: Option<PathBuf>,
    },
    /// Show one entity, directive or profile with its sources and KB lines.
    Show {
        /// The id.
        id: String,
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
    },
    /// List entities, directives and profiles.
    List {
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Find entities and directives whose names or ids contain a text.
    Search {
        /// The text (case-insensitive).
        text: String,
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Import a public list into a local KB layer (use it with `--kb DIR`).
    Import {
        /// OpenSanctions FollowTheMoney JSON Lines (entities.ftm.json or targets.nested.json).
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "csl",
            required_unless_present = "csl"
        )]
        opensanctions: Option<PathBuf>,
        /// US Consolidated Screening List JSON.
        #[arg(long, value_name = "FILE")]
        csl: Option<PathBuf>,
        /// The KB directory the layer is written to (as imports/<name>.toml).
        #[arg(long, value_name = "DIR", default_value = "supplyscreen-kb")]
        into: PathBuf,
    },
}

/// `directives` options.
#[derive(Debug, clap::Args)]
pub struct DirectivesArgs {
    /// Only directives of this jurisdiction (e.g. CN).
    #[arg(long)]
    pub jurisdiction: Option<String>,
    /// Only directives binding this profile.
    #[arg(long)]
    pub profile: Option<ProfileId>,
    /// Only directives in force on this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date)]
    pub as_of: Option<Date>,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Parses `FORMAT` or `FORMAT=FILE`.
fn output_spec(s: &str) -> Result<crate::output::OutputSpec, String> {
    s.parse()
}

/// Parses a scan report format by the names the report crate defines.
pub(crate) fn report_format(s: &str) -> Result<supplyscreen_report::OutputFormat, String> {
    s.parse()
        .map_err(|e: supplyscreen_report::UnknownFormat| e.to_string())
}

/// `serve` options.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// The data directory of the embedded SQLite store (default:
    /// `$SUPPLYSCREEN_DATA`, else the per-user data directory).
    #[arg(long, value_name = "DIR", conflicts_with = "database")]
    pub data: Option<PathBuf>,
    /// A PostgreSQL database shared by several `serve` processes (`postgres://...`).
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
    /// How many scans this process runs at once.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub workers: usize,
    /// Seconds a claimed scan is held before another worker may take it over.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, hide = true)]
    pub lease_secs: u64,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}
