//! Column headers of purchase-order and inventory tables, in the many ways
//! spreadsheets spell them (English and Chinese).

use unicode_normalization::UnicodeNormalization;

use crate::options::ColumnMap;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Manufacturer or brand: who made the item.
    Maker,
    /// Supplier, vendor or distributor: who sells it (the counterparty).
    Supplier,
    /// Manufacturer part number.
    PartNumber,
    /// Product or model name.
    Model,
    /// Free-text description.
    Description,
    /// Quantity.
    Quantity,
    /// Order or acquisition date.
    Date,
    /// Asset or host the item belongs to (marks an inventory, not a PO).
    Host,
    /// Product category (`video-surveillance`, `telecom-equipment`, ...).
    Category,
    /// What the item is used for (`public-safety`, ...).
    Use,
    /// A Windows Plug and Play device id (`PCI\\VEN_1344&DEV_...`).
    PnpDeviceId,
    /// Anything else (kept as a raw field).
    Other,
}

/// Header spellings, normalised (NFKC, lowercase, without blanks and `_-./:`).
const SYNONYMS: &[(Column, &[&str])] = &[
    (
        Column::Maker,
        &[
            "manufacturer",
            "mfr",
            "mfg",
            "mfgname",
            "manufacturername",
            "brand",
            "brandname",
            "make",
            "maker",
            "supplierbrand",
            "供应商品牌",
            "厂商",
            "制造商",
            "品牌",
            "厂家",
            "生产厂家",
            "生产厂商",
            "製造商",
            "廠商",
        ],
    ),
    (
        Column::Supplier,
        &[
            "supplier",
            "suppliername",
            "vendor",
            "vendorname",
            "distributor",
            "reseller",
            "seller",
            "供应商",
            "供货商",
            "供应商名称",
            "经销商",
            "代理商",
            "供應商",
        ],
    ),
    (
        Column::PartNumber,
        &[
            "partnumber",
            "partno",
            "part#",
            "pn",
            "p/n",
            "mpn",
            "mfrpart#",
            "mfrpartnumber",
            "mfrpn",
            "manufacturerpartnumber",
            "mfgpartnumber",
            "mfgpart#",
            "制造商料号",
            "厂商料号",
            "型号",
            "料号",
            "规格型号",
            "原厂料号",
            "型號",
            "料號",
        ],
    ),
    (
        Column::Model,
        &[
            "model",
            "productname",
            "product",
            "modelname",
            "产品名称",
            "产品型号",
        ],
    ),
    (
        Column::Description,
        &[
            "description",
            "desc",
            "itemdescription",
            "linedescription",
            "描述",
            "说明",
            "物料描述",
            "品名",
            "shorttext",
            "materialdescription",
            "物料名称",
            "描述說明",
            "說明",
        ],
    ),
    (Column::PnpDeviceId, &["pnpdeviceid"]),
    (
        Column::Category,
        &[
            "category",
            "productcategory",
            "itemcategory",
            "类别",
            "品类",
            "产品类别",
        ],
    ),
    (
        Column::Use,
        &[
            "use",
            "usage",
            "purpose",
            "intendeduse",
            "enduse",
            "用途",
            "使用用途",
        ],
    ),
    (
        Column::Quantity,
        &["quantity", "qty", "orderqty", "qtyordered", "数量", "數量"],
    ),
    (
        Column::Date,
        &[
            "orderdate",
            "date",
            "podate",
            "purchasedate",
            "acquired",
            "acquisitiondate",
            "acquireddate",
            "dateacquired",
            "日期",
            "订单日期",
            "采购日期",
            "下单日期",
            "购买日期",
            "購買日期",
            "採購日期",
        ],
    ),
    (
        Column::Host,
        &[
            "asset",
            "assettag",
            "assetid",
            "host",
            "hostname",
            "server",
            "pscomputername",
            "systemname",
            "csname",
            "资产编号",
            "主机",
            "主机名",
            "資產編號",
        ],
    ),
];

/// Normalises a header for lookup.
pub fn normalise(header: &str) -> String {
    header
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | ':' | '\u{feff}'))
        .collect()
}

/// Classifies one header cell by its usual spellings.
pub fn classify(header: &str) -> Column {
    let key = normalise(header);
    // "p/n" keeps its slash: check it before slashes are considered noise.
    SYNONYMS
        .iter()
        .find(|(_, names)| {
            names.contains(&key.as_str()) || names.contains(&key.replace('/', "").as_str())
        })
        .map_or(Column::Other, |(col, _)| *col)
}

/// Classifies one header cell: what the user mapped it to, else its usual spelling.
pub fn classify_with(header: &str, map: &ColumnMap) -> Column {
    map.get(header).unwrap_or_else(|| classify(header))
}

impl Column {
    /// True for columns that can name who made or sold an item, or what it is.
    pub fn identifies(self) -> bool {
        matches!(
            self,
            Column::Maker
                | Column::Supplier
                | Column::PartNumber
                | Column::Model
                | Column::Description
        )
    }
}

/// The delimiter that splits a header line into the most known columns.
pub fn delimiter(header_line: &str, map: &ColumnMap) -> u8 {
    let candidates = [b',', b';', b'\t', b'|'];
    candidates
        .into_iter()
        .max_by_key(|&d| {
            let cells = header_line.split(d as char);
            let known = cells
                .clone()
                .filter(|c| classify_with(c.trim_matches('"'), map) != Column::Other)
                .count();
            (known, cells.count())
        })
        .unwrap_or(b',')
}

/// True when a line is a header row: split by `delimiter` (or the best one)
/// into two cells or more, at least one of them a column that identifies an
/// item. Markdown (`| a | b |`, `# title`) is never a header.
pub fn is_header(line: &str, delim: Option<u8>, map: &ColumnMap) -> bool {
    let line = line.trim();
    if line.starts_with('|') || is_comment(line) {
        return false;
    }
    let d = delim.unwrap_or_else(|| delimiter(line, map)) as char;
    let cells: Vec<&str> = line.split(d).collect();
    cells.len() >= 2
        && cells
            .iter()
            .any(|c| classify_with(c.trim().trim_matches('"'), map).identifies())
}

/// True for a `#` comment line; a row whose first cell is `#` (a column of
/// row numbers named `#`: `#,Manufacturer,Part Number`) is not one.
pub fn is_comment(line: &str) -> bool {
    line.strip_prefix('#')
        .is_some_and(|rest| !rest.starts_with([',', ';', '\t']))
}

/// Where a table's header row is among its first lines: the index of the
/// header line, and the delimiter a leading `sep=` line declared. Blank
/// lines, `#` comments and title or preamble rows may come first. A header
/// that is not the file's first line must also look like one: no cell
/// longer than 60 characters or holding Markdown backticks, the next
/// non-blank line split into as many cells, and, below title or preamble
/// rows, two known columns or more (prose that happens to name a column,
/// under a Markdown `# title`, is not a table).
pub fn find_header_line(lines: &[&str], map: &ColumnMap) -> Option<(usize, Option<u8>)> {
    let mut delim = None;
    let mut before = Before::Nothing;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if let Some(d) = sep_line(t).filter(|_| i == 0) {
            delim = Some(d);
            continue;
        }
        if t.is_empty() || is_comment(t) {
            before = before.max(Before::Comments);
            continue;
        }
        let after = lines.get(i + 1..).unwrap_or(&[]);
        let header = is_header(t, delim, map)
            && match before {
                Before::Nothing => true,
                Before::Comments => strict_header(t, after, delim, map, 1),
                Before::Rows => strict_header(t, after, delim, map, 2),
            };
        if header {
            return Some((i, delim));
        }
        before = Before::Rows;
    }
    None
}

/// What precedes a candidate header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Before {
    /// Nothing: it is the first line (after a `sep=` line).
    Nothing,
    /// Blank lines and `#` comments only.
    Comments,
    /// Title or preamble rows.
    Rows,
}

/// The header cells of a text that is a delimited table none of whose
/// columns identifies an item: its first line (after a `sep=` line and
/// comments) splits into two cells or more, each short and filled, and the
/// next line into as many. Used to say what such a table lacks.
pub fn unscreenable_header(lines: &[&str]) -> Option<Vec<String>> {
    let mut content = lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    let mut first = content.next()?;
    let mut delim = None;
    if let Some(d) = sep_line(first) {
        delim = Some(d);
        first = content.next()?;
    }
    let next = content.next()?;
    let d = delim.or_else(|| {
        [b',', b';', b'\t', b'|']
            .into_iter()
            .max_by_key(|&d| split(first, d).len())
    })?;
    let cells = split(first, d);
    let tidy = cells.iter().all(|c| {
        !c.is_empty()
            && c.chars().count() <= 40
            && c.split_whitespace().count() <= 4
            && !c.contains('`')
    });
    (cells.len() >= 2 && tidy && split(next, d).len() == cells.len()).then_some(cells)
}

/// The extra tests for a header found below other lines (see
/// [`find_header_line`]): `known` columns at least, tidy cells, and the
/// next non-blank line as wide.
fn strict_header(
    line: &str,
    after: &[&str],
    delim: Option<u8>,
    map: &ColumnMap,
    known: usize,
) -> bool {
    let d = delim.unwrap_or_else(|| delimiter(line, map));
    let cells = split(line, d);
    let found = cells
        .iter()
        .filter(|c| classify_with(c, map) != Column::Other)
        .count();
    let tidy = cells
        .iter()
        .all(|c| c.chars().count() <= 60 && !c.contains('`'));
    let next = after.iter().find(|l| !l.trim().is_empty());
    let same_width = next.is_none_or(|n| split(n, d).len() == cells.len());
    found >= known && tidy && same_width
}

/// The cells of one line, quotes honoured.
fn split(line: &str, delim: u8) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(line.as_bytes());
    let mut record = csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(|c| c.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

/// True when the cells of a spreadsheet row are a header row: two filled
/// cells or more, at least one a column that identifies an item.
pub fn is_header_cells(cells: &[&str], map: &ColumnMap) -> bool {
    let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
    filled >= 2
        && cells
            .iter()
            .any(|c| classify_with(c.trim(), map).identifies())
}

/// True when a header line names at least one column that identifies an item.
#[cfg(test)]
pub fn looks_like_header(line: &str) -> bool {
    is_header(line, None, &ColumnMap::default())
}

/// The delimiter an Excel `sep=;` line (possibly quoted) declares.
pub fn sep_line(line: &str) -> Option<u8> {
    let l = line.trim().trim_matches('"');
    let rest = l.strip_prefix("sep=")?;
    match rest.as_bytes() {
        [b] => Some(*b),
        [] => None,
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_in_english_and_chinese() {
        for (h, col) in [
            ("Manufacturer", Column::Maker),
            ("MFG", Column::Maker),
            ("厂商", Column::Maker),
            ("制造商", Column::Maker),
            ("Mfr Part #", Column::PartNumber),
            ("Part Number", Column::PartNumber),
            ("P/N", Column::PartNumber),
            ("型号", Column::PartNumber),
            ("料号", Column::PartNumber),
            ("描述", Column::Description),
            ("Qty", Column::Quantity),
            ("数量", Column::Quantity),
            ("Order Date", Column::Date),
            ("日期", Column::Date),
            ("Asset", Column::Host),
            ("Unit Price", Column::Other),
            ("Supplier", Column::Supplier),
            ("Vendor", Column::Supplier),
            ("供应商", Column::Supplier),
            ("供应商/品牌", Column::Maker),
            ("制造商料号", Column::PartNumber),
            ("下单日期", Column::Date),
        ] {
            assert_eq!(classify(h), col, "{h}");
        }
    }

    #[test]
    fn picks_the_delimiter_that_finds_columns() {
        let none = ColumnMap::default();
        assert_eq!(delimiter("Mfr;MPN;Qty", &none), b';');
        assert_eq!(delimiter("Mfr\tMPN\tDescription, long", &none), b'\t');
        assert_eq!(delimiter("厂商,型号,数量", &none), b',');
        assert!(looks_like_header("Line,Manufacturer,Part Number"));
        assert!(!looks_like_header("hello,world"));
        assert!(!looks_like_header("| Manufacturer | Part Number |"));
        assert!(!looks_like_header("Manufacturer"));
        assert_eq!(sep_line("sep=;"), Some(b';'));
        assert_eq!(sep_line("\"sep=,\""), Some(b','));
        assert_eq!(sep_line("Vendor,MPN"), None);
        let none = ColumnMap::default();
        let readme = [
            "# A Chinese procurement spreadsheet exported as GBK",
            "",
            "Chinese headers (订单编号, 日期, 制造商, 料号, 描述, 数量) in a GBK-encoded,",
            "comma-separated export with CRLF line ends. Micron appears as 美光, as the",
        ];
        assert_eq!(find_header_line(&readme, &none), None);
        let commented = [
            "# Exported from ERP",
            "Vendor,Mfr Part #,Order Date",
            "Micron,X,2024-03-01",
        ];
        assert_eq!(find_header_line(&commented, &none), Some((1, None)));
    }
}
