//! Name normalisation: Unicode NFKC, case folding, Traditional-to-Simplified
//! folding for the characters our names use, and tokenisation on word
//! boundaries (Latin words; CJK characters one by one).

use unicode_normalization::UnicodeNormalization;

/// One token of a normalised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased, folded text.
    pub text: String,
    /// A single CJK character.
    pub cjk: bool,
    /// The original began with an uppercase letter (for free-text matching).
    pub capitalised: bool,
    /// The previous token is adjacent CJK (no separator between them).
    pub joined_to_previous: bool,
}

/// Traditional forms folded to Simplified (characters that occur in KB names
/// and the CJK legal-form words matching must see through).
const TRAD_TO_SIMP: &[(char, char)] = &[
    ('鎂', '镁'),
    ('態', '态'),
    ('長', '长'),
    ('儲', '储'),
    ('術', '术'),
    ('體', '体'),
    ('導', '导'),
    ('電', '电'),
    ('團', '团'),
    ('資', '资'),
    ('訊', '讯'),
    ('憶', '忆'),
    ('記', '记'),
    ('華', '华'),
    ('為', '为'),
    ('興', '兴'),
    ('門', '门'),
    ('發', '发'),
    ('廠', '厂'),
    ('製', '制'),
    ('號', '号'),
    ('產', '产'),
    ('東', '东'),
    ('國', '国'),
];

fn fold_char(c: char) -> char {
    TRAD_TO_SIMP
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |(_, s)| *s)
}

/// True for CJK ideographs and kana (each is a token of its own).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Splits text into tokens after NFKC and folding; the dots inside initials
/// are dropped first, so `TCOM, L.P.` reads as `TCOM LP` does.
pub fn tokens(text: &str) -> Vec<Token> {
    let text = &*join_initials(text);
    if text.is_ascii() {
        return ascii_tokens(text);
    }
    let mut out: Vec<Token> = Vec::new();
    let mut word = String::new();
    let mut capitalised = false;
    let mut prev_cjk = false;
    let flush = |word: &mut String, capitalised: bool, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token {
                text: std::mem::take(word),
                cjk: false,
                capitalised,
                joined_to_previous: false,
            });
        }
    };
    for c in text.nfkc().map(fold_char) {
        if is_cjk(c) {
            flush(&mut word, capitalised, &mut out);
            out.push(Token {
                text: c.to_string(),
                cjk: true,
                capitalised: false,
                joined_to_previous: prev_cjk,
            });
            prev_cjk = true;
        } else if c.is_alphanumeric() {
            if word.is_empty() {
                capitalised = c.is_uppercase();
            }
            word.extend(c.to_lowercase());
            prev_cjk = false;
        } else {
            flush(&mut word, capitalised, &mut out);
            prev_cjk = false;
        }
    }
    flush(&mut word, capitalised, &mut out);
    out
}

/// Drops each dot between two single letters (`L.P.`, `S.A.`, `U.S.A.`), so
/// that initials read as the one word a name written without dots has.
fn join_initials(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('.') {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let alone = |i: usize| {
        chars
            .get(i)
            .is_some_and(|c| c.is_alphabetic() && !is_cjk(*c))
            && (i == 0 || !chars[i - 1].is_alphanumeric())
            && !chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
    };
    let kept = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| !(c == '.' && i > 0 && alone(i - 1) && alone(i + 1)))
        .map(|(_, &c)| c);
    std::borrow::Cow::Owned(kept.collect())
}

/// [`tokens`] for ASCII text, which NFKC and the CJK folding leave unchanged.
fn ascii_tokens(text: &str) -> Vec<Token> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| Token {
            text: w.to_ascii_lowercase(),
            cjk: false,
            capitalised: w.as_bytes()[0].is_ascii_uppercase(),
            joined_to_previous: false,
        })
        .collect()
}

/// Trade words that, like legal forms, never make a match alone.
const TRADE_WORDS: &[&str] = &[
    "technology",
    "technologies",
    "tech",
    "memory",
    "semiconductor",
    "semiconductors",
    "electronics",
    "international",
    "group",
    "holdings",
    "the",
    "of",
    "and",
    "products",
];

/// True for words that never make a match alone: legal forms and generic
/// trade words.
pub fn is_generic(word: &str) -> bool {
    LEGAL_FORMS.contains(&word) || TRADE_WORDS.contains(&word)
}

/// Legal-form words dropped from the end of KB names before matching.
pub const LEGAL_FORMS: &[&str] = &[
    "co",
    "ltd",
    "limited",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "ag",
    "kg",
    "sa",
    "bv",
    "nv",
    "kk",
    "pty",
    "srl",
    "spa",
    "ab",
    "oy",
    "company",
];

/// CJK words that may follow a Chinese or Japanese name without ending the
/// match at a non-boundary: legal forms, trade words, product words.
pub const CJK_FOLLOWERS: &[&str] = &[
    "科技",
    "公司",
    "有限",
    "股份",
    "集团",
    "半导体",
    "存储",
    "电子",
    "内存",
    "固态",
    "硬盘",
    "颗粒",
    "产品",
    "中国",
    "株式",
    "技术",
    "メモリ",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn initials_read_as_one_word() {
        assert_eq!(texts("TCOM, L.P."), texts("TCOM LP"));
        assert_eq!(texts("Foo S.A. de C.V."), ["foo", "sa", "de", "cv"]);
        assert_eq!(texts("U.S.A."), ["usa"]);
        // Dots elsewhere still separate words.
        assert_eq!(texts("Micron Tech. Inc."), ["micron", "tech", "inc"]);
        assert_eq!(texts("A.Bcd"), ["a", "bcd"]);
        assert_eq!(texts("v1.2"), ["v1", "2"]);
    }

    #[test]
    fn folds_width_case_and_traditional_forms() {
        assert_eq!(
            texts("ＭＩＣＲＯＮ Technology, Inc."),
            ["micron", "technology", "inc"]
        );
        assert_eq!(
            texts("Crucial_CT250MX200SSD1"),
            ["crucial", "ct250mx200ssd1"]
        );
        assert_eq!(texts("鎂光"), ["镁", "光"]);
        assert_eq!(texts("美光科技（西安）有限公司").len(), 10);
        let t = tokens("美光 科技");
        assert!(!t[2].joined_to_previous && t[1].joined_to_previous);
    }
}

/// Letters next to each other on a QWERTY keyboard.
const ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

fn key_pos(c: char) -> Option<(i32, i32)> {
    ROWS.iter()
        .enumerate()
        .find_map(|(r, row)| row.find(c).map(|col| (r as i32, col as i32)))
}

fn neighbours(a: char, b: char) -> bool {
    match (key_pos(a), key_pos(b)) {
        (Some((ra, ca)), Some((rb, cb))) => (ra - rb).abs() <= 1 && (ca - cb).abs() <= 1,
        _ => false,
    }
}

/// True when `typed` is `name` with one slip: two adjacent letters swapped, or
/// one letter replaced by a neighbouring key. Lengths must match, so extra or
/// missing letters (`Microns`, `Omicron`) never count.
pub fn one_slip(typed: &str, name: &str) -> bool {
    if typed.chars().count() != name.chars().count() {
        return false;
    }
    // Up to three differing positions are kept; a third already means no slip.
    let mut diff = [(0usize, ' ', ' '); 3];
    let mut n = 0;
    for (i, (a, b)) in typed.chars().zip(name.chars()).enumerate() {
        if a != b {
            if n == 3 {
                return false;
            }
            diff[n] = (i, a, b);
            n += 1;
        }
    }
    match &diff[..n] {
        [(_, a, b)] => neighbours(*a, *b),
        [(i, ta, na), (j, tb, nb)] => *j == i + 1 && ta == nb && tb == na,
        _ => false,
    }
}

#[cfg(test)]
mod slip_tests {
    use super::one_slip;

    #[test]
    fn typos_and_not_typos() {
        for (t, n) in [
            ("mircon", "micron"),
            ("micorn", "micron"),
            ("mucron", "micron"),
            ("micrpn", "micron"),
            ("crucail", "crucial"),
            ("elpdia", "elpida"),
        ] {
            assert!(one_slip(t, n), "{t}");
        }
        for (t, n) in [
            ("macron", "micron"),
            ("mikron", "micron"),
            ("microns", "micron"),
            ("omicron", "micron"),
            ("micron", "micron"),
            ("nicrom", "micron"),
        ] {
            assert!(!one_slip(t, n), "{t}");
        }
    }
}
