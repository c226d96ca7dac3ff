//! JEDEC JEP106 manufacturer codes in every form the Manufacturer field of a
//! memory device takes in the wild.
//!
//! | printed               | read as                                       |
//! |-----------------------|-----------------------------------------------|
//! | `802C`, `0x802C`      | bank byte (continuation count) + code byte    |
//! | `2C00`, `9B85`        | the same, byte-swapped                        |
//! | `JEDEC ID:80 2C`      | dmidecode's own spelling                      |
//! | `Unknown - [0x9B85]`, `Unknown ID:0x9B05` | dmidecode's unknown-vendor forms |
//! | `802C0000802C`        | module maker, two bytes, DRAM-die maker       |
//! | `7F7FFE0000000000`    | continuation bytes `7F` then the code         |
//! | `7F7F9BFFFF`, `2CFFFFFFFFFFFFFF` | the same, padded with `FF` (3 to 8 bytes) |
//! | `98012C80`, `AD80AD80` | module maker and DRAM-die maker, each pair in either order |
//! | `0x2C`, `Unknown - [0x2C]` | one code byte, marked as hex: bank 1 assumed |

use supplyscreen_model::Jep106Code;

/// A decoded Manufacturer field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// The module (or device) maker.
    pub maker: Jep106Code,
    /// The DRAM-die maker, when the field also carries one.
    pub die: Option<Jep106Code>,
    /// False when the code byte was printed without JEDEC's parity bit.
    pub parity_ok: bool,
    /// False when the bytes were printed in swapped order.
    pub standard_order: bool,
    /// True when only a code byte was printed and bank 1 is assumed.
    pub bank_assumed: bool,
}

/// Decodes a Manufacturer field; `None` when it is not a JEDEC code.
pub fn decode(field: &str) -> Option<Decoded> {
    let field = field.trim();
    if let Some(d) = bank_hex(field) {
        return Some(d);
    }
    let (hex, order, marked) = unwrap_forms(field)?;
    let (bytes, n) = hex_array(hex)?;
    let pair = |a, b| match order {
        Order::Either => pair(a, b),
        Order::CodeFirst => read_pair(b, a).map(|(code, parity)| (code, parity, false)),
    };
    match n {
        // A bare `2C` may be anything; `0x2C` or `Unknown - [0x2C]` says it is a code.
        1 if marked => read_pair(0, bytes[0]).map(|(maker, parity_ok)| Decoded {
            maker,
            die: None,
            parity_ok,
            standard_order: true,
            bank_assumed: true,
        }),
        2 => pair(bytes[0], bytes[1]).map(|(maker, parity_ok, standard_order)| Decoded {
            maker,
            die: None,
            parity_ok,
            standard_order,
            bank_assumed: false,
        }),
        4 if bytes[0] != CONTINUATION => {
            let (maker, parity_ok, standard_order) = pair(bytes[0], bytes[1])?;
            Some(Decoded {
                maker,
                die: pair(bytes[2], bytes[3]).map(|(d, _, _)| d),
                parity_ok,
                standard_order,
                bank_assumed: false,
            })
        }
        6 if bytes[0] != CONTINUATION => {
            let (maker, parity_ok, standard_order) = pair(bytes[0], bytes[1])?;
            let die = pair(bytes[4], bytes[5]).map(|(d, _, _)| d);
            Some(Decoded {
                maker,
                die,
                parity_ok,
                standard_order,
                bank_assumed: false,
            })
        }
        3..=8 => continuation_list(&bytes[..n]),
        _ => None,
    }
}

/// dmidecode 3.2+ prints `Module Manufacturer ID: Bank 1, Hex 0x2C`.
fn bank_hex(s: &str) -> Option<Decoded> {
    let rest = s.strip_prefix("Bank ")?;
    let (bank, hex) = rest.split_once(", Hex 0x")?;
    let bank: u8 = bank.trim().parse().ok()?;
    let byte = u8::from_str_radix(hex.trim(), 16).ok()?;
    let maker = Jep106Code::new(bank, byte & 0x7F)?;
    Some(Decoded {
        maker,
        die: None,
        parity_ok: maker.code_with_parity() == byte,
        standard_order: true,
        bank_assumed: false,
    })
}

/// In which order a form prints its two bytes.
#[derive(Clone, Copy)]
enum Order {
    /// Bank byte first, unless that reading is impossible.
    Either,
    /// Code byte first (dmidecode's `Unknown - [0xCCBB]` and `Unknown ID:0xCCBB`).
    CodeFirst,
}

/// Strips the textual wrappers dmidecode and firmware put around hex codes;
/// says whether the text was marked as a code (a wrapper or `0x`).
fn unwrap_forms(s: &str) -> Option<(&str, Order, bool)> {
    let (inner, order) = if let Some(rest) = s.strip_prefix("JEDEC ID:") {
        (rest, Order::Either)
    } else if let Some(rest) = s.strip_prefix("Unknown ID:") {
        (rest, Order::CodeFirst)
    } else if let Some(rest) = s.strip_prefix("Unknown - [") {
        (rest.strip_suffix(']')?, Order::CodeFirst)
    } else if let Some(rest) = s
        .strip_prefix("Unknown (")
        .and_then(|r| r.strip_suffix(')'))
    {
        (rest, Order::CodeFirst)
    } else {
        (s, Order::Either)
    };
    let wrapped = inner.len() != s.len();
    let inner = inner.trim();
    let hex = inner
        .strip_prefix("0x")
        .or_else(|| inner.strip_prefix("0X"));
    Some((hex.unwrap_or(inner), order, wrapped || hex.is_some()))
}

/// Up to eight bytes written in hex, blanks allowed between digits; no allocation.
fn hex_array(hex: &str) -> Option<([u8; 8], usize)> {
    let mut out = [0u8; 8];
    let (mut n, mut high) = (0, None::<u8>);
    for b in hex.bytes().filter(|b| *b != b' ') {
        let v = (b as char).to_digit(16)? as u8;
        match high.take() {
            None => high = Some(v),
            Some(h) => {
                *out.get_mut(n)? = (h << 4) | v;
                n += 1;
            }
        }
    }
    (high.is_none() && n > 0).then_some((out, n))
}

/// Reads a bank byte (continuation count 0-15) and a code byte; reports parity.
fn read_pair(bank_byte: u8, code_byte: u8) -> Option<(Jep106Code, bool)> {
    let bank = (bank_byte & 0x7F <= 15).then_some((bank_byte & 0x7F) + 1)?;
    let code = Jep106Code::new(bank, code_byte & 0x7F)?;
    Some((code, code.code_with_parity() == code_byte))
}

/// Reads a (bank byte, code byte) pair in either order, bank first when both
/// readings are possible.
fn pair(a: u8, b: u8) -> Option<(Jep106Code, bool, bool)> {
    if let Some((code, parity)) = read_pair(a, b) {
        return Some((code, parity, true));
    }
    read_pair(b, a).map(|(code, parity)| (code, parity, false))
}

/// The JEP106 continuation byte: "the code is in the next bank".
const CONTINUATION: u8 = 0x7F;

/// Reads a list of 3 to 8 bytes: `7F` continuation bytes, the code, then
/// padding, which SPD writes as `00` and some firmware as `FF`.
fn continuation_list(bytes: &[u8]) -> Option<Decoded> {
    let continuations = bytes.iter().take_while(|&&b| b == CONTINUATION).count();
    let code_byte = *bytes.get(continuations)?;
    let padding_ok = bytes[continuations + 1..]
        .iter()
        .all(|&b| b == 0x00 || b == 0xFF);
    if !padding_ok {
        return None;
    }
    let maker = Jep106Code::new(u8::try_from(continuations + 1).ok()?, code_byte & 0x7F)?;
    let parity_ok = maker.code_with_parity() == code_byte;
    Some(Decoded {
        maker,
        die: None,
        parity_ok,
        standard_order: true,
        bank_assumed: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maker(s: &str) -> Option<String> {
        decode(s).map(|d| d.maker.to_string())
    }

    #[test]
    fn every_micron_form_in_the_wild() {
        for s in [
            "802C",
            "0x802C",
            "2C00",
            "2C80",
            "JEDEC ID:80 2C",
            "2C00000000000000",
            "0x2C00000000000000",
            "802C0000802C",
            "002C00B3002C",
            "802C00000000",
        ] {
            assert_eq!(maker(s).as_deref(), Some("1:2C"), "{s}");
        }
    }

    #[test]
    fn crucial_elpida_and_spectek_forms() {
        for s in [
            "859B",
            "0x859B",
            "Unknown - [0x9B85]",
            "Unknown ID:0x9B05",
            "7F7F7F7F7F9B0000",
            "Bank 6, Hex 0x9B",
            "059B",
            "859B0000802C",
        ] {
            assert_eq!(maker(s).as_deref(), Some("6:1B"), "{s}");
        }
        assert_eq!(maker("7F7FFE0000000000").as_deref(), Some("3:7E"));
        assert_eq!(maker("0x02FE").as_deref(), Some("3:7E"));
        assert_eq!(maker("02B5").as_deref(), Some("3:35"));
        assert_eq!(maker("Bank 6, Hex 0x9B").as_deref(), Some("6:1B"));
        assert_eq!(maker("Bank 1, Hex 0x2C").as_deref(), Some("1:2C"));
        assert_eq!(maker("Bank 11, Hex 0x76").as_deref(), Some("11:76"));
    }

    #[test]
    fn one_code_byte_marked_as_hex_assumes_bank_1() {
        for s in [
            "0x2C",
            "Unknown - [0x2c]",
            "Unknown (0x2C)",
            "Unknown ID:2C",
        ] {
            let d = decode(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(d.maker.to_string(), "1:2C", "{s}");
            assert!(d.bank_assumed, "{s}");
        }
        assert_eq!(maker("0x00"), None);
        assert_eq!(maker("0x7F"), None);
    }

    #[test]
    fn continuation_lists_padded_with_ff() {
        for (s, code) in [
            ("7F7F7F7F7F9BFFFF", "6:1B"),
            ("7F7FB5FFFFFFFFFF", "3:35"),
            ("7F7FFEFF", "3:7E"),
            ("2CFFFFFFFFFFFFFF", "1:2C"),
            ("7F7F7F7F7F9BFF", "6:1B"),
            ("JEDEC ID:7F 7F 7F 7F 7F 9B FF FF", "6:1B"),
            ("JEDEC ID:2C FF FF FF FF FF FF FF", "1:2C"),
            ("7F98000000000000", "2:18"),
        ] {
            assert_eq!(maker(s).as_deref(), Some(code), "{s}");
        }
        for s in [
            "FFFFFFFFFFFFFFFF",
            "00FFFFFFFFFFFFFF",
            "FF00000000000000",
            "7F7F2CFF2C",
        ] {
            assert_eq!(maker(s), None, "{s}");
        }
    }

    #[test]
    fn eight_hex_module_and_die_pairs_in_either_order() {
        let d = decode("98012C80").expect("decodes");
        assert_eq!(d.maker.to_string(), "2:18");
        assert!(!d.standard_order);
        assert_eq!(d.die.map(|c| c.to_string()).as_deref(), Some("1:2C"));
        let d = decode("0198802C").expect("decodes");
        assert_eq!(d.maker.to_string(), "2:18");
        assert_eq!(d.die.map(|c| c.to_string()).as_deref(), Some("1:2C"));
        let d = decode("98010000").expect("decodes");
        assert_eq!((d.maker.to_string(), d.die), ("2:18".to_owned(), None));
        let d = decode("AD80AD80").expect("decodes");
        assert_eq!(d.maker.to_string(), "1:2D");
        assert_eq!(d.die.map(|c| c.to_string()).as_deref(), Some("1:2D"));
    }

    #[test]
    fn die_maker_is_separate_from_module_maker() {
        let d = decode("01980000802C").expect("decodes");
        assert_eq!(d.maker.to_string(), "2:18");
        assert_eq!(d.die.map(|c| c.to_string()).as_deref(), Some("1:2C"));
        let d = decode("0443000002FE").expect("decodes");
        assert_eq!(d.die.map(|c| c.to_string()).as_deref(), Some("3:7E"));
    }

    #[test]
    fn codes_that_contain_2c_but_are_not_micron() {
        assert_eq!(maker("0B2C").as_deref(), Some("12:2C"));
        assert_eq!(maker("0x0B2C").as_deref(), Some("12:2C"));
    }

    #[test]
    fn placeholders_and_garbage_are_not_codes() {
        for s in [
            "Unknown",
            "Undefined",
            "Micron",
            "0000",
            "FFFF",
            "1315",
            "",
            "Manufacturer01",
            "<BAD INDEX>",
            "Not Specified",
            "BEEF",
            "2C",
            "802",
            "7F7F7F7F7F7F7F7F",
        ] {
            assert_eq!(maker(s), None, "{s}");
        }
    }

    #[test]
    fn parity_is_reported() {
        assert!(decode("859B").expect("ok").parity_ok);
        assert!(!decode("851B").expect("ok").parity_ok);
        assert!(!decode("2C00").expect("ok").standard_order);
    }
}
