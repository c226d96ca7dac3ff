//! What the KB's list-import tests share.

/// Name words in several scripts and with letters whose lowercase is
/// longer (`İ`): list entities' names are built from them.
pub const WORDS: [&str; 9] = [
    "Shenzhen",
    "Huaxin",
    "Novaterm",
    "香港星凯",
    "İstanbul",
    "ООО Вектор",
    "Lux",
    "東京精機",
    "Ömer Ürün",
];
