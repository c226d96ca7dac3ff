//! Tests of the table reader.

use super::*;
use crate::Severity;

fn run(text: &str) -> (Vec<Component>, Summary) {
    crate::run_reader("csv", "po.csv", text)
}

#[test]
fn reads_rows_with_roles_dates_and_lines() {
    let (cs, s) = run(
        "Line;Mfr;MPN;Description;Qty;Order Date\n1;Micron;MTA18ASF2G72PZ-2G6E1;\"16GB; RDIMM\";1,000;2024/3/15\n\n2;Kingston;KVR24N17S8/8;8GB;2;2024-03-16\n",
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0].source.line, 2);
    assert_eq!(cs[1].source.line, 4);
    assert_eq!(cs[0].role, Role::Order);
    assert_eq!(cs[0].quantity, Some(1000));
    assert_eq!(
        cs[0].ordered.map(|d| d.to_string()).as_deref(),
        Some("2024-03-15")
    );
    assert_eq!(
        cs[0]
            .with_role(FieldRole::Description)
            .next()
            .map(|f| f.value.as_str()),
        Some("16GB; RDIMM")
    );
}

#[test]
fn bad_rows_and_dates_are_errors_with_lines() {
    let (cs, s) =
        run("厂商,型号,日期\n美光,MT40A1G8SA-075:E,2024-02-30\nSamsung,M393A2K43BB1-CTD\n");
    assert_eq!(cs.len(), 1);
    let lines: Vec<(u64, Severity)> = s.diagnostics.iter().map(|d| (d.line, d.severity)).collect();
    assert_eq!(lines, vec![(2, Severity::Error), (3, Severity::Error)]);
    assert!(s.diagnostics[0].message.contains("日期"));
    assert_eq!(s.skipped.get(&SkipReason::MalformedRow), Some(&1));
}

#[test]
fn category_and_use_columns_are_read() {
    let (cs, _) = run(
        "Asset,Manufacturer,Model,Category,Use\ncam-07,Hikvision,DS-2CD2143G2-I,Video Surveillance,Public Safety\n",
    );
    assert_eq!(cs[0].category.as_deref(), Some("video-surveillance"));
    assert_eq!(cs[0].usage.as_deref(), Some("public-safety"));
    assert_eq!(slug(" Telecom_equipment "), "telecom-equipment");
}

#[test]
fn an_asset_column_makes_an_inventory() {
    let (cs, _) = run(
        "Asset,Manufacturer,Part Number,Purchase Date\ndb-01,Crucial,CT16G4DFRA32A,2022-11-02\n",
    );
    assert_eq!(cs[0].role, Role::Installed);
    assert_eq!(cs[0].host.as_deref(), Some("db-01"));
    assert_eq!(
        cs[0].acquired.map(|d| d.to_string()).as_deref(),
        Some("2022-11-02")
    );
}

#[test]
fn comment_and_sep_lines_and_a_title_come_before_the_header() {
    let (cs, s) = run(
        "sep=;\n# Exported from ERP 2024-05-01\nPurchase order 4711;;\nBuyer: Li Wei;;\n\nVendor;Mfr Part #;Order Date\nMicron;MTA18ASF4G72PDZ-3G2R1;2024-03-01\n",
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].source.line, 7);
    assert_eq!(cs[0].field("Mfr Part #"), Some("MTA18ASF4G72PDZ-3G2R1"));
    assert_eq!(s.skipped.get(&SkipReason::CommentLine), Some(&1));
    assert_eq!(s.skipped.get(&SkipReason::PreambleRow), Some(&2));
}

#[test]
fn a_column_mapping_names_unknown_headers() {
    let text = "Vendor Ref,Item Number,Item Text,PO Date\nMicron Technology,MTA18ASF4G72PDZ-3G2R1,32GB RDIMM,03/04/2024\n";
    let options = ReadOptions {
        columns: crate::ColumnMap::parse("maker=Vendor Ref,part=Item Number,date=PO Date")
            .expect("valid"),
        date_order: Some(DateOrder::Dmy),
        ..ReadOptions::default()
    };
    let format = crate::Format::from_name("csv").expect("csv");
    let mut out = Vec::new();
    let mut sink = |c: Component, s: &mut Summary| {
        s.components += 1;
        out.push(c);
    };
    let s = format
        .read("po.csv", "UTF-8", &mut text.as_bytes(), &options, &mut sink)
        .expect("in memory");
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(out[0].with_role(FieldRole::Maker).count(), 1);
    assert_eq!(out[0].with_role(FieldRole::PartNumber).count(), 1);
    assert_eq!(
        out[0].ordered.map(|d| d.to_string()).as_deref(),
        Some("2024-04-03")
    );
}

#[test]
fn a_table_that_cannot_identify_anything_is_an_error_naming_its_headers() {
    let options = ReadOptions {
        columns: crate::ColumnMap::parse("date=Posted").expect("valid"),
        date_order: None,
        ..ReadOptions::default()
    };
    let text = "Posted,Amount\n2024-03-01,100\n";
    let format = crate::Format::from_name("csv").expect("csv");
    let mut sink = |_: Component, _: &mut Summary| {};
    let s = format
        .read(
            "ledger.csv",
            "UTF-8",
            &mut text.as_bytes(),
            &options,
            &mut sink,
        )
        .expect("in memory");
    assert_eq!(s.components, 0);
    let msg = &s.diagnostics[0].message;
    assert!(msg.contains("\"Posted\", \"Amount\""), "{msg}");
    assert_eq!(s.skipped.get(&SkipReason::RowOfUnscreenableTable), Some(&1));
}

#[test]
fn totals_and_note_rows_are_counted_not_read() {
    let (cs, s) = run(
        "Manufacturer,Part Number,Qty,Price\nMicron,MTA18ASF4G72PDZ-3G2R1,4,100\n,,4,400\nTotal,,4,400\n备注：交货地点 3 号仓库,,,\nMicron Technology,,,\n",
    );
    assert_eq!(cs.len(), 2, "a maker alone is an item");
    assert_eq!(s.skipped.get(&SkipReason::TotalsRow), Some(&1));
    assert_eq!(s.skipped.get(&SkipReason::NoteRow), Some(&2));
}

#[test]
fn supplier_and_maker_columns_keep_their_roles() {
    let (cs, _) =
        run("供应商,制造商,制造商料号,下单日期\n深圳某某电子,美光,MT40A1G8SA-075:E,2024-03-01\n");
    assert_eq!(
        cs[0]
            .with_role(FieldRole::Supplier)
            .next()
            .map(|f| f.value.as_str()),
        Some("深圳某某电子")
    );
    assert_eq!(cs[0].with_role(FieldRole::Maker).count(), 1);
    assert_eq!(cs[0].with_role(FieldRole::PartNumber).count(), 1);
    assert!(cs[0].ordered.is_some());
}

// Reliability: quotes, encodings, comments and blank lines.
#[test]
fn an_unclosed_quote_is_an_error_on_the_row_it_starts_on() {
    let rows = "Micron,MTA18ASF2G72PZ-2G6E1,2024-02-01,x\n".repeat(5);
    let text = format!(
        "\nManufacturer,Part Number,Order Date,Note\nSamsung,M393A2K40DB3-CWE,2024-03-01,\"urgent\n{rows}"
    );
    let (_, s) = run(&text);
    let errors: Vec<u64> = s.errors().map(|d| d.line).collect();
    assert_eq!(errors, vec![3], "{:?}", s.diagnostics);
    assert!(s.diagnostics[0].message.contains("unbalanced quote"));
    // In the header: every row is lost to it.
    let (cs, s) = run(&format!("Manufacturer,\"Part Number,Order Date\n{rows}"));
    assert!(cs.is_empty());
    assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn closed_and_literal_quotes_are_not_errors() {
    let (cs, s) = run(
        "Manufacturer,Part Number,Note\nMicron,X1,\"two\nlines, \"\"quoted\"\"\"\nKingston,19\" rail,y\n",
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[1].source.line, 4);
    assert_eq!(cs[1].field("Part Number"), Some("19\" rail"));
}

#[test]
fn bytes_invalid_in_the_encoding_fail_the_read() {
    // UTF-8 from the first line (制造商), then a byte UTF-8 never has.
    let mut bytes = "制造商,Part Number\n".as_bytes().to_vec();
    bytes.extend_from_slice(&b"Samsung,M393A2K40DB3-CWE\n".repeat(2000));
    bytes.extend_from_slice(b"Micron \xff,MTA18ASF2G72PZ-2G6E1\n");
    let decoded = crate::text::decode(bytes.as_slice()).expect("in memory");
    let mut summary = Summary::new(
        "po.csv",
        crate::Format::from_name("csv").expect("a format"),
        decoded.encoding,
    );
    let mut sink = |_: Component, _: &mut Summary| {};
    let mut input = io::BufReader::new(decoded.reader);
    let options = ReadOptions::default();
    let err =
        read("po.csv", &mut input, &options, &mut summary, &mut sink).expect_err("invalid UTF-8");
    assert!(err.to_string().contains("line 2002"), "{err}");
}

#[test]
fn comment_lines_before_the_header_are_skipped() {
    let (cs, s) = run(
        "# Exported from ERP\n# 2024-03-02\nVendor,Mfr Part #,Order Date\nMicron,MTA18ASF4G72PDZ-3G2R1,2024-03-01\n",
    );
    assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].source.line, 4);
    assert_eq!(cs[0].field("Vendor"), Some("Micron"));
    // A header whose first column is named `#` is the header.
    let (cs, _) = run("#,Manufacturer,Part Number\n1,Micron,X1\n");
    assert_eq!(cs[0].field("Manufacturer"), Some("Micron"));
}

#[test]
fn an_export_cut_before_its_header_is_an_error() {
    let (cs, s) = run(
        "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PhysicalMemory\n",
    );
    assert!(cs.is_empty());
    assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![2]);
}

#[test]
fn blank_lines_still_count() {
    let text = format!("Mfr,MPN\n{}Micron,X1\n", "\n".repeat(100_000));
    let (cs, _) = run(&text);
    assert_eq!(cs[0].source.line, 100_002);
}

#[test]
fn a_purchase_order_saved_with_cr_line_ends_gives_the_lines_a_text_editor_shows() {
    let text = "Manufacturer,Part Number,Order Date\r\rSamsung,M393A2K40DB3-CWE,2024-03-01\rMicron,MTA18ASF2G72PZ-2G6E1,2024-02-30\r\"Kingston\rTechnology\",KVR24N17S8/8,2024-03-04\rSK hynix,HMA82GR7CJR8N-XN,2024-03-05\r";
    let (cs, s) = run(text);
    let lines: Vec<u64> = cs.iter().map(|c| c.source.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 7]);
    let errors: Vec<u64> = s.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(errors, vec![4], "{:?}", s.diagnostics);
}
