//! A synthetic FollowTheMoney file of OpenSanctions' shape, and query names.
//!
//! Entities are `Company`, `Organization` and `Person` (which the import
//! skips), with `name`, `alias`, `previousName`, `country`, `jurisdiction`,
//! `topics` and `registrationNumber` properties, `datasets`, `first_seen`
//! and `last_seen`; one in twenty companies has an `Ownership` edge to an
//! earlier one. Names are Latin (English, German, Russian transliterated),
//! Cyrillic, Chinese and Japanese, with their legal forms.

use std::io::Write;
use std::path::Path;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SYLLABLES: [&str; 40] = [
    "an", "bo", "chen", "da", "el", "fa", "gor", "hua", "in", "jin", "ka", "lon", "mi", "nor",
    "ov", "pet", "qi", "ra", "sun", "tek", "ul", "vol", "wei", "xin", "ya", "zhu", "ber", "kor",
    "lin", "mar", "ste", "tan", "vik", "ros", "gen", "tel", "lux", "nex", "ori", "sol",
];
const TRADES: [&str; 16] = [
    "Trading",
    "Electronics",
    "Logistics",
    "Technology",
    "Industrial",
    "Shipping",
    "Import Export",
    "Engineering",
    "Components",
    "Systems",
    "Energy",
    "Holdings",
    "Investment",
    "Machinery",
    "Semiconductor",
    "Aviation",
];
const LEGAL: [&str; 12] = [
    "Co., Ltd.",
    "Ltd",
    "LLC",
    "GmbH",
    "JSC",
    "OOO",
    "Inc.",
    "Limited",
    "FZE",
    "S.A.",
    "PJSC",
    "Pte. Ltd.",
];
const CITIES: [&str; 10] = [
    "Shenzhen",
    "Beijing",
    "Moscow",
    "Dubai",
    "Tehran",
    "Hong Kong",
    "Minsk",
    "Shanghai",
    "Novosibirsk",
    "Istanbul",
];
const HAN: [&str; 40] = [
    "华", "中", "兴", "鑫", "达", "盛", "泰", "恒", "远", "通", "瑞", "德", "宏", "海", "科", "创",
    "联", "信", "安", "富", "光", "明", "新", "天", "成", "金", "源", "祥", "荣", "佳", "嘉", "博",
    "威", "凯", "宇", "航", "星", "龙", "汇", "丰",
];
const HAN_CITIES: [&str; 6] = ["深圳市", "北京", "上海", "广州市", "香港", "杭州"];
const HAN_TRADES: [&str; 6] = ["科技", "电子", "贸易", "实业", "技术", "进出口"];
const KANA: [&str; 16] = [
    "ア", "カ", "サ", "タ", "ナ", "ハ", "マ", "ラ", "テ", "ク", "ノ", "ロ", "ジ", "ー", "シ", "ス",
];
const CYRILLIC: [&str; 16] = [
    "ан", "бо", "ва", "гор", "да", "ев", "жи", "зо", "ил", "ком", "лен", "мир", "нов", "ор",
    "пром", "тех",
];
const COUNTRIES: [&str; 10] = ["cn", "ru", "ir", "ae", "hk", "by", "tr", "kp", "sy", "ve"];
const DATASETS: [&str; 6] = [
    "us_ofac_sdn",
    "eu_fsf",
    "gb_hmt_sanctions",
    "us_bis_entity",
    "ua_nsdc_sanctions",
    "ch_seco_sanctions",
];
const GIVEN: [&str; 10] = [
    "Ivan", "Wei", "Ali", "Olga", "Hassan", "Mei", "Sergei", "Li", "Reza", "Anna",
];

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    capitalised(&(0..n).map(|_| rng.pick(&SYLLABLES)).collect::<String>())
}

/// A Latin-script company name: `Shenzhen Huaxin Electronics Co., Ltd.`.
fn latin(rng: &mut Rng) -> String {
    let core = word(rng);
    match rng.below(4) {
        0 => format!(
            "{} {core} {} {}",
            rng.pick(&CITIES),
            rng.pick(&TRADES),
            rng.pick(&LEGAL)
        ),
        1 => format!("{core} {} {}", rng.pick(&TRADES), rng.pick(&LEGAL)),
        2 => format!(
            "{core} {} {} {}",
            word(rng),
            rng.pick(&TRADES),
            rng.pick(&LEGAL)
        ),
        _ => format!("{} \"{core}\"", rng.pick(&["OOO", "AO", "JSC", "LLC"])),
    }
}

/// A Chinese company name: `深圳市华鑫科技有限公司`.
fn chinese(rng: &mut Rng) -> String {
    let core: String = (0..2 + rng.below(2)).map(|_| rng.pick(&HAN)).collect();
    format!(
        "{}{core}{}有限公司",
        rng.pick(&HAN_CITIES),
        rng.pick(&HAN_TRADES)
    )
}

fn japanese(rng: &mut Rng) -> String {
    let core: String = (0..3 + rng.below(3)).map(|_| rng.pick(&KANA)).collect();
    format!("{core}株式会社")
}

fn cyrillic(rng: &mut Rng) -> String {
    let core: String = (0..2 + rng.below(2)).map(|_| rng.pick(&CYRILLIC)).collect();
    format!("ООО «{}»", capitalised(&core))
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&GIVEN), word(rng))
}

/// The names of one organisation: its name and 0-3 aliases in other scripts.
fn org_names(rng: &mut Rng) -> Vec<String> {
    let mut names = vec![latin(rng)];
    for _ in 0..rng.below(4) {
        names.push(match rng.below(4) {
            0 => chinese(rng),
            1 => japanese(rng),
            2 => cyrillic(rng),
            _ => latin(rng),
        });
    }
    if rng.below(5) == 0 {
        let last = names.len() - 1;
        names.swap(0, last);
    }
    names
}

fn id(rng: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let tail: String = (0..22)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect();
    format!("NK-{tail}")
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| json(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// One entity line; returns its id and names (empty for a person).
fn entity(rng: &mut Rng) -> (String, String, Vec<String>) {
    let id = id(rng);
    let (schema, names) = match rng.below(20) {
        0..=10 => ("Company", org_names(rng)),
        11..=14 => ("Organization", org_names(rng)),
        _ => ("Person", vec![person(rng)]),
    };
    let country = rng.pick(&COUNTRIES);
    let (name, aliases) = names.split_at(1.min(names.len()));
    let (aliases, previous) = aliases.split_at(aliases.len().min(2));
    let line = format!(
        "{{\"id\": {}, \"schema\": \"{schema}\", \"properties\": {{\"name\": {}, \"alias\": {}, \"previousName\": {}, \"country\": [\"{country}\"], \"topics\": [\"sanction\"], \"registrationNumber\": [\"{}\"]}}, \"datasets\": [\"{}\"], \"referents\": [], \"first_seen\": \"20{:02}-{:02}-{:02}T00:00:00\", \"last_seen\": \"2026-11-01T00:00:00\", \"target\": true}}\n",
        json(&id),
        list(name),
        list(aliases),
        list(previous),
        rng.next() % 10_000_000_000,
        rng.pick(&DATASETS),
        15 + rng.below(11),
        1 + rng.below(12),
        1 + rng.below(28),
    );
    let names = if schema == "Person" {
        Vec::new()
    } else {
        names
    };
    (id, line, names)
}

/// A near miss: one letter of a listed name changed, or a word dropped.
fn near_miss(rng: &mut Rng, name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    if words.len() > 2 && rng.below(2) == 0 {
        let skip = rng.below(words.len());
        return words
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, w)| *w)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let mut chars: Vec<char> = name.chars().collect();
    let at = rng.below(chars.len().max(1));
    if let Some(c) = chars.get_mut(at) {
        *c = if *c == 'x' { 'q' } else { 'x' };
    }
    chars.into_iter().collect()
}

/// Writes `entities.ftm.json` and `queries.txt` (40% listed names, 30% near
/// misses, 30% names not listed) into `dir`; returns the list's size and the
/// number of queries.
pub fn write(dir: &Path, entities: usize, queries: usize) -> std::io::Result<(u64, usize)> {
    let mut rng = Rng(0x0FF1_CE5E_ED00_0001);
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("entities.ftm.json"))?);
    let mut bytes = 0u64;
    let mut sample: Vec<String> = Vec::new();
    let mut companies: Vec<String> = Vec::new();
    let every = (entities / (queries.max(1) * 2)).max(1);
    for i in 0..entities {
        let (id, line, names) = entity(&mut rng);
        out.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
        if names.is_empty() {
            continue;
        }
        if i % every == 0 {
            sample.push(names[rng.below(names.len())].clone());
        }
        if i % 20 == 0 && !companies.is_empty() {
            let owner = &companies[rng.below(companies.len())];
            let edge = format!(
                "{{\"id\": \"{id}-own\", \"schema\": \"Ownership\", \"properties\": {{\"owner\": [{}], \"asset\": [{}], \"percentage\": [\"51\"]}}, \"datasets\": [\"us_ofac_sdn\"], \"first_seen\": \"2024-03-01T00:00:00\", \"last_seen\": \"2026-11-01T00:00:00\"}}\n",
                json(owner),
                json(&id)
            );
            out.write_all(edge.as_bytes())?;
            bytes += edge.len() as u64;
        }
        if companies.len() < 10_000 {
            companies.push(id);
        }
    }
    out.flush()?;
    let mut other = Rng(0xD1FF_E4E4_7000_0002);
    let mut q = String::new();
    for i in 0..queries {
        let listed = &sample[i % sample.len().max(1)];
        let text = match i % 10 {
            0..=3 => listed.clone(),
            4..=6 => near_miss(&mut rng, listed),
            _ => org_names(&mut other).swap_remove(0),
        };
        q.push_str(&text.replace('\n', " "));
        q.push('\n');
    }
    std::fs::write(dir.join("queries.txt"), q)?;
    Ok((bytes, queries))
}
