//! The category lexicon (`lexicon.toml`): words that name a declared product
//! category in English, Chinese and Japanese, each with its source. Finding
//! a word in a description or model string is how a line that states no
//! category gets one, with the word as evidence.

use serde::Deserialize;
use supplyscreen_model::{Category, KbRef};
use unicode_normalization::UnicodeNormalization;

use crate::raw::S;
use crate::validate::{FileCx, VocabKind};

/// `lexicon.toml` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLexicon {
    #[serde(default)]
    words: Vec<RawWord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWord {
    word: S,
    lang: String,
    category: S,
    source: String,
}

/// One word of the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexiconWord {
    /// The word as written in the KB (`router`, `交换机`).
    pub word: String,
    /// Its language (`en`, `zh`, `ja`).
    pub lang: String,
    /// The category it names.
    pub category: Category,
    /// Where the word is defined.
    pub source: String,
    /// Where it is written in the KB.
    pub kb: KbRef,
    /// The word folded for matching (NFKC, lowercase).
    folded: String,
}

/// Validates the lexicon: every category declared, every word sourced.
pub(crate) fn lexicon(cx: &mut FileCx<'_>, raw: RawLexicon) -> Vec<LexiconWord> {
    let mut out = Vec::new();
    for w in raw.words {
        let span = w.word.span();
        if w.word.get_ref().trim().is_empty() {
            cx.error(span, "empty word");
            continue;
        }
        if !w.source.starts_with("http") {
            cx.error(
                span,
                format!("word {:?} has no source URL", w.word.get_ref()),
            );
            continue;
        }
        let cat_span = w.category.span();
        let Some(category) = cx.vocab(
            VocabKind::Category,
            w.category.get_ref(),
            cat_span,
            Category::new,
        ) else {
            continue;
        };
        out.push(LexiconWord {
            folded: fold(w.word.get_ref()),
            word: w.word.into_inner(),
            lang: w.lang,
            category,
            source: w.source,
            kb: cx.kb_ref(span),
        });
    }
    out
}

fn fold(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// The first lexicon word (longest first) found in `text`: Latin-script
/// words as whole words (`router` in `enterprise router`, not in `routers`
/// or `rerouter`), Chinese and Japanese anywhere in the text.
pub fn find<'a>(words: &'a [LexiconWord], text: &str) -> Option<&'a LexiconWord> {
    let hay = fold(text);
    let mut best: Option<&LexiconWord> = None;
    for w in words {
        if contains_word(&hay, &w.folded)
            && best.is_none_or(|b| w.folded.chars().count() > b.folded.chars().count())
        {
            best = Some(w);
        }
    }
    best
}

fn contains_word(hay: &str, word: &str) -> bool {
    let latin = word.chars().any(|c| c.is_ascii_alphabetic());
    hay.match_indices(word).any(|(at, _)| {
        if !latin {
            return true;
        }
        let before = hay[..at].chars().next_back();
        let after = hay[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str, cat: &str) -> LexiconWord {
        LexiconWord {
            word: w.into(),
            lang: "en".into(),
            category: Category::new(cat).expect("category"),
            source: "https://example.org".into(),
            kb: KbRef {
                file: "lexicon.toml".into(),
                line: 1,
            },
            folded: fold(w),
        }
    }

    #[test]
    fn whole_words_in_latin_script_anywhere_in_chinese() {
        let words = [
            word("router", "telecom-equipment"),
            word("交换机", "telecom-equipment"),
            word("IP camera", "video-surveillance"),
        ];
        let found = |t: &str| find(&words, t).map(|w| w.word.as_str());
        assert_eq!(found("AR6140 Enterprise Router, 16GE"), Some("router"));
        assert_eq!(found("48口千兆交换机"), Some("交换机"));
        assert_eq!(found("4MP IP Camera, fixed lens"), Some("IP camera"));
        assert_eq!(found("rerouter kit"), None);
        assert_eq!(found("routers"), None);
        assert_eq!(found("32GB RDIMM"), None);
    }
}
