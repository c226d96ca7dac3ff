//! Loading the embedded KB, and the errors a broken KB must produce.

use supplyscreen_kb::{Holds, Kb, KbFile, LoadError, embedded_files, overlay};
use supplyscreen_model::{Date, EntityId};

fn file(rel: &str, text: &str) -> KbFile {
    KbFile {
        rel: rel.into(),
        display: format!("mine/{rel}"),
        text: text.into(),
    }
}

fn errors(files: Vec<KbFile>) -> Vec<String> {
    match Kb::load(files) {
        Err(LoadError::Invalid(errs)) => errs.iter().map(|e| e.to_string()).collect(),
        other => panic!("expected validation errors, got {other:?}"),
    }
}

#[test]
fn embedded_kb_loads_with_version_and_hash() {
    let kb = Kb::embedded().expect("embedded KB is valid");
    assert_eq!(kb.version(), "2026.12.1");
    assert!(kb.hash().starts_with("sha256:") && kb.hash().len() == 7 + 64);
    let micron = kb
        .entity(&EntityId::new("micron").expect("id"))
        .expect("micron");
    assert!(micron.names.iter().any(|n| n.text == "美光"));
    assert_eq!(&*micron.names[0].kb.file, "data/entities/micron.toml");
    assert!(
        kb.directives()
            .any(|d| d.id.as_str() == "cn-cac-2023-micron")
    );
}

#[test]
fn lexar_belongs_to_micron_only_until_2017() {
    let kb = Kb::embedded().expect("valid");
    let lexar = kb
        .entity(&EntityId::new("lexar").expect("id"))
        .expect("lexar");
    let to_micron = lexar
        .relations
        .iter()
        .find(|r| r.to.as_str() == "micron")
        .expect("rel");
    assert_eq!(to_micron.holds_at(Date::constant(2012, 6, 1)), Holds::Yes);
    assert_eq!(
        to_micron.holds_at(Date::constant(2017, 9, 1)),
        Holds::Unsure
    );
    assert_eq!(to_micron.holds_at(Date::constant(2018, 1, 1)), Holds::No);
    assert_eq!(to_micron.holds_at(Date::constant(2005, 12, 31)), Holds::No);
}

#[test]
fn all_errors_are_reported_with_file_and_line() {
    let entity = r#"id = "acme"
name = "Acme"
names = ["Acme"]
sources = ["https://example.org"]
colour = "red"
"#;
    let bad = r#"id = "bad"
name = "Bad"
names = ["Bad"]
sources = ["s"]

[[identifiers]]
scheme = "jep106"
value = "1:ZZ"
label = "x"
source = "s"

[[part_numbers]]
pattern = '^AB(['
kind = "memory-module"
examples = ["AB1"]
source = "s"

[[relations]]
kind = "acquired-by"
entity = "nobody"
from = "2013-02-30"
source = "s"
"#;
    let errs = errors(vec![
        file("entities/acme.toml", entity),
        file("entities/bad.toml", bad),
    ]);
    let joined = errs.join("\n");
    assert!(
        joined.contains("mine/entities/acme.toml:5: unknown field `colour`"),
        "{joined}"
    );
    assert!(
        joined.contains("mine/entities/bad.toml:8: invalid jep106 value"),
        "{joined}"
    );
    assert!(
        joined.contains("mine/entities/bad.toml:13: invalid regex"),
        "{joined}"
    );
    assert!(
        joined.contains("mine/entities/bad.toml:21: invalid date \"2013-02-30\""),
        "{joined}"
    );
    assert!(errs.len() >= 4, "{joined}");
}

#[test]
fn dangling_references_and_duplicates_are_errors() {
    let d = r#"id = "x-dir"
title = "t"
authority = "a"
jurisdiction = "XX"
published = "2024-01-01"
sources = ["s"]
binds = { sectors = [] }
targets = [{ entity = "ghost" }]
products = "unspecified"
force = "administrative-decision"
force_source = "s"

[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#;
    let mut files = embedded_files();
    files.push(file("directives/xx/x.toml", d));
    files.push(file("directives/xx/y.toml", d));
    let joined = errors(files).join("\n");
    assert!(
        joined.contains("mine/directives/xx/x.toml:8: target entity"),
        "{joined}"
    );
    assert!(joined.contains("duplicate id"), "{joined}");
}

#[test]
fn examples_must_match_their_patterns() {
    let e = r#"id = "acme"
name = "Acme"
names = ["Acme"]
sources = ["s"]

[[part_numbers]]
pattern = '^AC[0-9]+$'
kind = "ssd"
examples = ["AC12", "XY12"]
source = "s"
"#;
    let joined = errors(vec![file("entities/acme.toml", e)]).join("\n");
    assert!(
        joined.contains(":9: example \"XY12\" does not match"),
        "{joined}"
    );
}

#[test]
fn overlay_replaces_by_relative_path_and_changes_the_hash() {
    let base = Kb::embedded().expect("valid");
    let own = r#"id = "acme-internal"
title = "Acme's own banned-vendor rule"
authority = "Acme Corp procurement"
jurisdiction = "CN"
published = "2024-01-01"
sources = ["Acme policy memo 2024-01"]
binds = { sectors = ["critical-information-infrastructure"] }
targets = [{ entity = "lexar", affiliates = false }]
products = "unspecified"
force = "administrative-decision"
force_source = "Acme policy memo 2024-01"

[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#;
    let files = overlay(
        embedded_files(),
        vec![file("directives/acme/own.toml", own)],
    );
    let kb = Kb::load(files).expect("valid overlay");
    assert!(kb.directives().any(|d| d.id.as_str() == "acme-internal"));
    assert_ne!(kb.hash(), base.hash());
}

#[test]
fn misspelt_vocabulary_values_are_errors_at_their_line() {
    let directive = r#"id = "acme-ban"
title = "Acme ban"
authority = "Ministry"
jurisdiction = "CN"
sources = ["https://example.org/acme"]
binds = { sectors = ["critical-infomation-infrastructure"] }
products = ["cctv-camera"]
force = "administrative-decision"
force_source = "https://example.org/acme"

[[targets]]
entity = "micron"
uses = ["public-saftey"]

[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#;
    let profile = r#"id = "acme-operator"
title = "Acme operator"
jurisdictions = ["XX"]
sectors = ["critical-information-infrastructure"]
"#;
    let errs = errors(overlay(
        embedded_files(),
        vec![
            file("directives/cn/acme.toml", directive),
            file("profiles/acme.toml", profile),
        ],
    ));
    let want = [
        "mine/directives/cn/acme.toml:6: \"critical-infomation-infrastructure\" is not a declared sector",
        "mine/directives/cn/acme.toml:7: \"cctv-camera\" is not a declared product category",
        "mine/directives/cn/acme.toml:13: \"public-saftey\" is not a declared use",
        "mine/profiles/acme.toml:3: \"XX\" is not a declared jurisdiction",
    ];
    assert_errors(&errs, &want);
}

#[test]
fn unknown_measure_and_relation_kinds_name_the_choices() {
    let text = r#"id = "acme-ban"
title = "Acme ban"
authority = "Ministry"
jurisdiction = "CN"
sources = ["https://example.org/acme"]
products = "unspecified"
force = "administrative-decision"
force_source = "https://example.org/acme"
binds = {}
[[targets]]
entity = "micron"
[[measures]]
restricts = "purchasing"
from = "2024-01-01"
"#;
    let errs = errors(overlay(
        embedded_files(),
        vec![file("directives/cn/acme.toml", text)],
    ));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("mine/directives/cn/acme.toml:13:") && errs[0].contains("`purchase`"),
        "{errs:#?}"
    );
}

#[test]
fn force_and_target_basis_are_required_and_checked_at_their_line() {
    let text = r#"id = "acme-ban"
title = "Acme ban"
authority = "Ministry"
jurisdiction = "CN"
sources = ["https://example.org/acme"]
products = "unspecified"
force = "guidance"
force_source = "https://example.org/elsewhere"
binds = {}
[[targets]]
entity = "micron"
affiliates = true
[[targets]]
entity = "elpida"
affiliates_basis = "named"
[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#;
    let errs = errors(overlay(
        embedded_files(),
        vec![file("directives/cn/acme.toml", text)],
    ));
    let want = [
        "mine/directives/cn/acme.toml:8: force_source must be one of the directive's sources",
        "mine/directives/cn/acme.toml:11: `affiliates = true` needs affiliates_basis",
        "mine/directives/cn/acme.toml:15: affiliates_basis needs `affiliates = true`",
    ];
    assert_errors(&errs, &want);
}

#[test]
fn a_force_outside_the_closed_list_and_a_missing_force_are_errors() {
    let with = |force: &str| {
        format!(
            r#"id = "acme-ban"
title = "Acme ban"
authority = "Ministry"
jurisdiction = "CN"
sources = ["https://example.org/acme"]
products = "unspecified"
{force}
binds = {{}}
[[targets]]
entity = "micron"
[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#
        )
    };
    let bad = with("force = \"law\"\nforce_source = \"https://example.org/acme\"");
    let errs = errors(overlay(
        embedded_files(),
        vec![file("directives/cn/acme.toml", &bad)],
    ));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].starts_with("mine/directives/cn/acme.toml:7:") && errs[0].contains("`guidance`"),
        "{errs:#?}"
    );
    let missing = with("");
    let errs = errors(overlay(
        embedded_files(),
        vec![file("directives/cn/acme.toml", &missing)],
    ));
    assert!(errs.iter().any(|e| e.contains("force")), "{errs:#?}");
}

#[test]
fn an_undeclared_jurisdiction_on_a_directive_is_an_error_at_its_line() {
    let text = r#"id = "acme-ban"
title = "Acme ban"
authority = "Ministry"
jurisdiction = "ZZ"
sources = ["https://example.org/acme"]
products = "unspecified"
force = "regulation"
force_source = "https://example.org/acme"
binds = { sectors = ["federal-agency"] }
[[targets]]
entity = "micron"
[[measures]]
restricts = "purchase"
from = "2024-01-01"
"#;
    let errs = errors(overlay(
        embedded_files(),
        vec![file("directives/zz/acme.toml", text)],
    ));
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0]
            .starts_with("mine/directives/zz/acme.toml:4: \"ZZ\" is not a declared jurisdiction"),
        "{errs:#?}"
    );
}

#[test]
fn every_shipped_directive_states_its_force_with_a_url_it_cites() {
    let kb = Kb::embedded().expect("valid");
    for d in kb.directives() {
        assert!(
            d.force_source.starts_with("http") && d.sources.contains(&d.force_source),
            "{}: {}",
            d.id,
            d.force_source
        );
    }
}

/// An overlay entity with relations, as an operator writes one.
fn holding(id: &str, to: &str, from: &str, until: Option<&str>) -> String {
    let until = until.map_or(String::new(), |u| format!("until = \"{u}\"\n"));
    format!(
        "id = \"{id}\"\nname = \"{id}\"\nnames = [\"{id}\"]\nsources = [\"https://example.org/{id}\"]\n\n[[relations]]\nkind = \"owned-by\"\nentity = \"{to}\"\nfrom = \"{from}\"\n{until}source = \"https://example.org/{id}\"\n"
    )
}

#[test]
fn relation_cycles_that_hold_at_once_are_errors_and_successive_ones_are_not() {
    let mut files = embedded_files();
    files.push(file(
        "entities/alpha.toml",
        &holding("alpha-holdings", "beta-group", "2019-01-01", None),
    ));
    files.push(file(
        "entities/beta.toml",
        &holding("beta-group", "gamma-capital", "2020-06-01", None),
    ));
    files.push(file(
        "entities/gamma.toml",
        &holding("gamma-capital", "alpha-holdings", "2021-01-01", None),
    ));
    let joined = errors(files).join("\n");
    assert!(
        joined.contains(
            "relation cycle: alpha-holdings -> beta-group -> gamma-capital -> alpha-holdings"
        ),
        "{joined}"
    );
    // A reverse takeover: alpha owned beta until 2015, beta owns alpha since 2016.
    let mut files = embedded_files();
    files.push(file(
        "entities/alpha.toml",
        &holding("alpha-holdings", "beta-group", "2016-01-01", None),
    ));
    files.push(file(
        "entities/beta.toml",
        &holding(
            "beta-group",
            "alpha-holdings",
            "2001-01-01",
            Some("2015-12-31"),
        ),
    ));
    assert!(Kb::load(files).is_ok());
}

/// Each wanted error is reported (as the start of one message), and nothing else.
fn assert_errors(errs: &[String], want: &[&str]) {
    for w in want {
        assert!(
            errs.iter().any(|e| e.starts_with(w)),
            "{w}\nnot in {errs:#?}"
        );
    }
    assert_eq!(errs.len(), want.len(), "{errs:#?}");
}
