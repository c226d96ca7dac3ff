//! Column headers of purchase-order and inventory tables, in the many ways
//! spreadsheets spell them (English and Chinese).

use unicode_normalization::UnicodeNormalization;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Manufacturer, vendor or brand.
    Maker,
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
            "vendor",
            "brand",
            "make",
            "maker",
            "supplierbrand",
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

/// Classifies one header cell.
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

/// The delimiter that splits a header line into the most known columns.
pub fn delimiter(header_line: &str) -> u8 {
    let candidates = [b',', b';', b'\t', b'|'];
    candidates
        .into_iter()
        .max_by_key(|&d| {
            let cells = header_line.split(d as char);
            let known = cells
                .clone()
                .filter(|c| classify(c.trim_matches('"')) != Column::Other)
                .count();
            (known, cells.count())
        })
        .unwrap_or(b',')
}

/// True when a header line names at least one column that identifies an item.
pub fn looks_like_header(line: &str) -> bool {
    let d = delimiter(line) as char;
    line.split(d).any(|c| {
        matches!(
            classify(c.trim_matches('"')),
            Column::Maker | Column::PartNumber | Column::Model | Column::Description
        )
    })
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
        ] {
            assert_eq!(classify(h), col, "{h}");
        }
    }

    #[test]
    fn picks_the_delimiter_that_finds_columns() {
        assert_eq!(delimiter("Mfr;MPN;Qty"), b';');
        assert_eq!(delimiter("Mfr\tMPN\tDescription, long"), b'\t');
        assert_eq!(delimiter("厂商,型号,数量"), b',');
        assert!(looks_like_header("Line,Manufacturer,Part Number"));
        assert!(!looks_like_header("hello,world"));
    }
}
