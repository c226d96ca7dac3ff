use supplyscreen_screen::{ReadOptions, load_kb};

use super::*;

fn item(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

/// The items as a CSV export: the header is every field name in the order
/// first seen, a missing field an empty cell.
fn as_csv(items: &[Vec<(String, String)>]) -> Vec<u8> {
    let header = Header::of(items);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header.names).expect("in memory");
    let mut row = Vec::new();
    for i in items {
        header.row(i, &mut row);
        w.write_record(&row).expect("in memory");
    }
    w.into_inner().expect("in memory")
}

fn params() -> Params {
    Params {
        profile: "cn-cii".into(),
        action: Some("purchase".into()),
        as_of: supplyscreen_model::parse_iso_date("2026-06-01").expect("a date"),
    }
}

#[test]
fn items_become_one_table_with_the_union_of_headers() {
    let items = [
        item(&[
            ("Manufacturer", "Micron"),
            ("Part Number", "MTA18ASF4G72PDZ-3G2R1"),
        ]),
        item(&[
            ("Part Number", "CT1000MX500SSD1"),
            ("Description", "SSD, 1 TB \"MX500\""),
        ]),
    ];
    let text = String::from_utf8(as_csv(&items)).unwrap_or_default();
    assert_eq!(
        text,
        "Manufacturer,Part Number,Description\n\
         Micron,MTA18ASF4G72PDZ-3G2R1,\n\
         ,CT1000MX500SSD1,\"SSD, 1 TB \"\"MX500\"\"\"\n"
    );
}

#[test]
fn a_wide_header_is_indexed_and_keeps_the_first_seen_order() {
    let names: Vec<String> = (0..40).map(|i| format!("Extra {i}")).collect();
    let wide: Vec<(String, String)> = names.iter().map(|n| (n.clone(), "x".into())).collect();
    let mut reversed = wide.clone();
    reversed.reverse();
    reversed.push(("Vendor".into(), "Micron".into()));
    let items = [wide, reversed];
    let h = Header::of(&items);
    assert!(h.index.is_some());
    assert_eq!(h.names.len(), 41);
    assert_eq!(h.names[0], "Extra 0");
    assert_eq!(h.names[40], "Vendor");
    let mut row = Vec::new();
    h.row(&items[1], &mut row);
    assert_eq!(row.len(), 41);
    assert_eq!(row[40], "Micron");
    assert!(row[..40].iter().all(|c| *c == "x"));
}

/// Request items give the report the CLI gives for a CSV export of them:
/// several header sets, an unknown column, a quoted line end, a totals
/// line, a blank line, an ambiguous date and a quantity that is not one.
#[test]
fn items_give_the_report_of_the_same_lines_as_csv() -> Result<(), ScreeningError> {
    let screener = Screener::new(load_kb(None).expect("the built-in KB"));
    let items = [
        item(&[
            ("Vendor", "Micron Technology"),
            ("Mfr Part #", "MTA18ASF4G72PDZ-3G2R1"),
            ("Order Date", "2024-01-22"),
            ("Cost Centre", "DC-7"),
        ]),
        item(&[
            ("Manufacturer", "Hikvision"),
            ("Description", "IP camera\n4 MP, PoE"),
            ("Qty", "a dozen"),
            ("Order Date", "03/04/2024"),
        ]),
        item(&[("Vendor", ""), ("Mfr Part #", "")]),
        item(&[("Description", "Total"), ("Qty", "13")]),
        item(&[
            ("Mfr Part #", "CT1000MX500SSD1"),
            ("Vendor", "Crucial"),
            ("Order Date", "2024-02-30"),
        ]),
    ];
    let cache = ColumnCache::new(ReadOptions::default());
    let p = params();
    let from_items = screen_items(&screener, &cache, &items, &p, Vec::new())?;
    let from_csv = screen_bytes(&screener, ITEMS_NAME, as_csv(&items), &p, Vec::new())?;
    assert_eq!(from_items.components, 3);
    assert_eq!(from_items.report, from_csv.report);
    let doc: serde_json::Value = serde_json::from_str(&from_items.report).expect("JSON");
    // The quoted line end moves the lines after it by one, as in the file.
    assert_eq!(doc["components"][2]["source"]["line"], 7, "{doc}");
    assert!(from_items.report.contains("a dozen"));
    Ok(())
}

#[test]
fn a_header_the_synonyms_do_not_know_is_reported() {
    let screener = Screener::new(load_kb(None).expect("the built-in KB"));
    let cache = ColumnCache::new(ReadOptions::default());
    let items = [item(&[("Lieferant", "Micron"), ("Teilenummer", "MTA18")])];
    let e = screen_items(&screener, &cache, &items, &params(), Vec::new()).err();
    let Some(ScreeningError::Input(m)) = e else {
        panic!("expected an input error, got {e:?}");
    };
    assert!(m.contains("\"Lieferant\", \"Teilenummer\""), "{m}");
    assert!(m.contains("no column that names a maker"), "{m}");
}

#[test]
fn actions_are_read_as_the_cli_reads_them() {
    assert!(matches!(
        parse_action(Some("purchase")),
        Ok(Some(Action::Purchase))
    ));
    assert!(matches!(parse_action(None), Ok(None)));
    assert!(matches!(parse_action(Some("auto")), Ok(None)));
    assert!(parse_action(Some("buy")).is_err());
}
