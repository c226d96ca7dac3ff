//! Whether a component falls within a directive's product scope and, for
//! directives that bind by use, within the uses it names. A category or use
//! the input states but the vocabulary does not know is a doubt, never "out".

use supplyscreen_kb::{Directive, LexiconWord, Products, Target, Vocabulary, find_category_word};
use supplyscreen_model::{
    Attribution, Category, CategorySource, CategoryWord, Component, ComponentKind, Doubt,
    FieldRole, ProductScope,
};

/// In scope (and how), out of scope, or not decidable from the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Covered.
    In(ProductScope),
    /// Not covered: no finding.
    Out,
    /// Covered only if a fact the input does not give holds: review.
    Unknown(Doubt),
}

/// The component's category as the tool itself knows it: implied by the
/// matching part-number pattern, or evident from its kind.
pub fn assigned_category(c: &Component, a: &Attribution) -> Option<(Category, CategorySource)> {
    if let Some(cat) = &a.category {
        return Some((cat.clone(), CategorySource::PartNumber));
    }
    match c.kind {
        ComponentKind::Memory => Some((Category::memory(), CategorySource::Kind)),
        ComponentKind::Disk => Some((Category::storage(), CategorySource::Kind)),
        _ => None,
    }
}

/// The category a lexicon word in a description or model field names
/// (description fields first), with the word as evidence.
pub fn category_from_words(
    lexicon: &[LexiconWord],
    c: &Component,
) -> Option<(Category, CategoryWord)> {
    let fields = c
        .with_role(FieldRole::Description)
        .chain(c.with_role(FieldRole::Model));
    fields.into_iter().find_map(|f| {
        let w = find_category_word(lexicon, &f.value)?;
        let word = CategoryWord {
            word: w.word.clone(),
            field: f.name.clone(),
            kb: w.kb.clone(),
        };
        Some((w.category.clone(), word))
    })
}

/// Product scope: the target's categories, else the directive's. The
/// category is the stated one, else the one the part number or kind
/// implies, else the one a lexicon word names.
pub fn products(
    vocab: &Vocabulary,
    lexicon: &[LexiconWord],
    d: &Directive,
    t: &Target,
    c: &Component,
    a: &Attribution,
) -> Scope {
    let covered: &[Category] = match (&t.products, &d.products) {
        (Some(cats), _) => cats,
        (None, Products::Categories(cats)) => cats,
        (None, Products::Unspecified) => return Scope::In(ProductScope::Unspecified),
    };
    let found = match &c.category {
        Some(stated) => match vocab.category(stated) {
            Some(cat) => Some((cat, CategorySource::Stated, None)),
            None => {
                return Scope::Unknown(Doubt::UnknownCategory {
                    stated: stated.clone(),
                    covered: covered.to_vec(),
                });
            }
        },
        None => assigned_category(c, a)
            .map(|(cat, source)| (cat, source, None))
            .or_else(|| {
                category_from_words(lexicon, c)
                    .map(|(cat, word)| (cat, CategorySource::Lexicon, Some(word)))
            }),
    };
    match found {
        Some((category, source, word)) if covered.contains(&category) => {
            Scope::In(ProductScope::Covered {
                category,
                source,
                word,
            })
        }
        Some(_) => Scope::Out,
        None => Scope::Unknown(Doubt::UnstatedCategory {
            covered: covered.to_vec(),
        }),
    }
}

/// Whether the item's use is one a restriction depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UseScope {
    /// Any use, or a stated use the target covers.
    In,
    /// A stated use the target does not cover: no finding.
    Out,
    /// The use is not stated, or not a declared one: review.
    Unknown(Doubt),
}

/// Use scope: targets restricted only for some uses (NDAA 889's public-safety clause).
pub fn uses(vocab: &Vocabulary, t: &Target, c: &Component) -> UseScope {
    let Some(covered) = &t.uses else {
        return UseScope::In;
    };
    match &c.usage {
        Some(stated) => match vocab.use_named(stated) {
            Some(u) if covered.contains(&u) => UseScope::In,
            Some(_) => UseScope::Out,
            None => UseScope::Unknown(Doubt::UnknownUse {
                stated: stated.clone(),
                covered: covered.clone(),
            }),
        },
        None => UseScope::Unknown(Doubt::UnstatedUse {
            covered: covered.clone(),
        }),
    }
}
