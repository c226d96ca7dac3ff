//! Editing waiver files keeps every byte outside the edited entry.

use supplyscreen_kb::Kb;
use supplyscreen_model::Date;
use supplyscreen_policy::waivers::edit::{
    EditError, ExpiryLimit, NewWaiver, Renewal, add, prune, renew,
};
use supplyscreen_policy::waivers::parse;

const FILE: &str = "# Approved exceptions: reviewed by the compliance office every quarter.
#   Keep one entry per change ticket.

[[waivers]]
# Lab cluster, see CHG-1042.
directive = \"cn-cac-2023-micron\"
reason    = \"DIMMs installed before the decision\"   # aligned on purpose
approver  = \"Li Wei, CISO\"
expires   = \"2027-03-31\"
match     = { entity = \"micron\", host = \"db-07\" }

[[waivers]]
directive = \"cn-cac-2023-micron\"
reason = \"Evaluation samples, returned after testing\"
approver = \"Zhang Min, Procurement\"
expires = \"2024-06-30\"
match = { part_number = \"MTFDDAK960TGA*\" }

# Trailing note kept at the end of the file.
";

const TODAY: Date = Date::constant(2026, 11, 28);

fn limit() -> ExpiryLimit {
    ExpiryLimit {
        today: TODAY,
        max_days: 365,
    }
}

fn kb() -> Kb {
    Kb::embedded().expect("embedded KB")
}

fn new_waiver(expires: Date) -> NewWaiver {
    NewWaiver {
        directive: "cn-cac-2023-micron".into(),
        reason: "Spare DIMMs for the existing cluster".into(),
        approver: "Wang Fang, CIO".into(),
        expires,
        ticket: Some("RISK-77".into()),
        matches: vec![("part_number".into(), "MTA18ASF*".into())],
    }
}

#[test]
fn add_appends_and_keeps_every_existing_byte() {
    let out = add(
        "w.toml",
        FILE,
        &kb(),
        &new_waiver(Date::constant(2027, 6, 30)),
        limit(),
    )
    .expect("added");
    assert!(out.starts_with(FILE), "existing text changed:\n{out}");
    let added = &out[FILE.len()..];
    assert!(added.contains("[[waivers]]"), "{added}");
    assert!(added.contains("ticket = \"RISK-77\""), "{added}");
    let waivers = parse("w.toml", &out, &kb()).expect("valid");
    assert_eq!(waivers.len(), 3);
    assert_eq!(waivers[2].ticket.as_deref(), Some("RISK-77"));
    assert_eq!(waivers[2].approver, "Wang Fang, CIO");
}

#[test]
fn add_refuses_expiry_beyond_the_limit_and_in_the_past() {
    let far = add(
        "w.toml",
        FILE,
        &kb(),
        &new_waiver(Date::constant(2027, 11, 29)),
        limit(),
    );
    let msg = far.expect_err("366 days ahead").to_string();
    assert!(msg.contains("366 days ahead; at most 365"), "{msg}");
    let longer = ExpiryLimit {
        max_days: 400,
        ..limit()
    };
    add(
        "w.toml",
        FILE,
        &kb(),
        &new_waiver(Date::constant(2027, 11, 29)),
        longer,
    )
    .expect("allowed with a larger limit");
    let past = add(
        "w.toml",
        FILE,
        &kb(),
        &new_waiver(Date::constant(2026, 11, 27)),
        limit(),
    );
    assert!(past.expect_err("past").to_string().contains("before today"));
}

#[test]
fn add_refuses_empty_approver_and_unknown_directive() {
    let mut w = new_waiver(Date::constant(2027, 6, 30));
    w.approver = " ".into();
    let err = add("w.toml", FILE, &kb(), &w, limit()).expect_err("empty approver");
    assert!(matches!(err, EditError::Invalid(_)));
    assert!(
        err.to_string().contains("approver must not be empty"),
        "{err}"
    );
    let mut w = new_waiver(Date::constant(2027, 6, 30));
    w.directive = "no-such-directive".into();
    let err = add("w.toml", FILE, &kb(), &w, limit()).expect_err("unknown directive");
    assert!(err.to_string().contains("unknown directive"), "{err}");
}

#[test]
fn renew_changes_only_the_entry() {
    let r = Renewal {
        expires: Date::constant(2027, 9, 30),
        approver: "Li Wei, CISO".into(),
        reason: None,
        ticket: Some("CHG-2291".into()),
    };
    // Line 7 is inside the first entry (lines 4-10).
    let out = renew("w.toml", FILE, &kb(), 7, &r, limit()).expect("renewed");
    let (before, after): (Vec<&str>, Vec<&str>) = (FILE.lines().collect(), out.lines().collect());
    assert_eq!(before[..8], after[..8], "lines before the expiry changed");
    assert_eq!(after[8], "expires   = \"2027-09-30\"");
    assert_eq!(before[9], after[9], "the match line changed");
    assert_eq!(after[10], "ticket = \"CHG-2291\"", "{out}");
    assert_eq!(before[10..], after[11..], "lines after the entry changed");
    let w = parse("w.toml", &out, &kb()).expect("valid");
    assert_eq!(w[0].expires, Date::constant(2027, 9, 30));
    let none = renew("w.toml", FILE, &kb(), 2, &r, limit()).expect_err("comment line");
    assert!(none.to_string().contains("no waiver at line 2"), "{none}");
}

#[test]
fn prune_removes_expired_entries_only() {
    let (out, removed) = prune("w.toml", FILE, &kb(), TODAY).expect("pruned");
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].expires, Date::constant(2024, 6, 30));
    assert!(!out.contains("Evaluation samples"), "{out}");
    let kept_end = FILE
        .find("\n[[waivers]]\ndirective = \"cn-cac-2023-micron\"\nreason = \"Eval")
        .expect("second entry");
    assert!(out.starts_with(&FILE[..kept_end]), "{out}");
    assert!(
        out.ends_with("# Trailing note kept at the end of the file.\n"),
        "{out}"
    );
    let (same, none) = prune("w.toml", &out, &kb(), TODAY).expect("nothing to prune");
    assert!(none.is_empty());
    assert_eq!(same, out);
}

#[test]
fn prune_keeps_the_file_heading_when_the_first_entry_goes() {
    let text = "# Heading of the file.\n# Second line.\n\n[[waivers]]\n# about the first\ndirective = \"cn-cac-2023-micron\"\nreason = \"a\"\napprover = \"b\"\nexpires = \"2024-06-30\"\nmatch = { host = \"x\" }\n\n# about the second\n[[waivers]]\ndirective = \"cn-cac-2023-micron\"\nreason = \"c\"\napprover = \"d\"\nexpires = \"2027-06-30\"\nmatch = { host = \"y\" }\n";
    let (out, removed) = prune("w.toml", text, &kb(), TODAY).expect("pruned");
    assert_eq!(removed.len(), 1);
    let second = text.find("# about the second").expect("second");
    assert_eq!(
        out,
        format!(
            "# Heading of the file.\n# Second line.\n\n{}",
            &text[second..]
        )
    );
    // The only entry goes; the heading stays.
    let only = &text[..second];
    let (out, _) = prune("w.toml", only, &kb(), TODAY).expect("pruned");
    assert_eq!(out, "# Heading of the file.\n# Second line.\n\n");
}

#[test]
fn add_to_an_empty_file_starts_it() {
    let out = add(
        "w.toml",
        "",
        &kb(),
        &new_waiver(Date::constant(2027, 6, 30)),
        limit(),
    )
    .expect("added");
    assert!(
        out.starts_with("[[waivers]]\ndirective = \"cn-cac-2023-micron\"\n"),
        "{out}"
    );
    assert_eq!(parse("w.toml", &out, &kb()).expect("valid").len(), 1);
}
