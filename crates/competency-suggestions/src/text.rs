//! Text processing shared by the index and the queries: Unicode word segmentation, lower-casing,
//! stop words, Snowball stemming (German or English) and folding of umlauts, `ß` and accents, so
//! that "Führerschein", "fuhrerscheins" and "Fuhrerschein" meet on one term.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// The languages the suggestions understand. Labels in other languages are ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    De,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::De];

    /// `en`, `en-GB`, `de`, `de-AT`, … (case-insensitive); `None` for any other language.
    pub fn parse(code: &str) -> Option<Lang> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" | "eng" => Some(Lang::En),
            "de" | "deu" | "ger" => Some(Lang::De),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::De => 1,
        }
    }
}

/// A word of a text: where it stands, how it was written, and its stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// As written (original case).
    pub surface: String,
    /// Lower-cased and folded (`ä` → `a`, `ß` → `ss`, accents dropped), not stemmed.
    pub folded: String,
    /// The folded Snowball stem.
    pub stem: String,
    /// Position among the words of the text that are not stop words.
    pub position: u32,
}

/// The stemmers of both languages; cheap to create, not `Debug` upstream.
pub struct Stemmers {
    en: Stemmer,
    de: Stemmer,
}

impl std::fmt::Debug for Stemmers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stemmers { en, de }")
    }
}

impl Default for Stemmers {
    fn default() -> Self {
        Self {
            en: Stemmer::create(Algorithm::English),
            de: Stemmer::create(Algorithm::German),
        }
    }
}

impl Stemmers {
    /// The folded stem of a lower-cased word.
    pub fn stem(&self, lang: Lang, lower: &str) -> String {
        let stemmer = match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        };
        fold(&stemmer.stem(lower))
    }

    /// The words of `text` that carry meaning (stop words and one-letter words dropped), stemmed
    /// in `lang`. Positions start at `first_position`.
    pub fn words(&self, lang: Lang, text: &str, first_position: u32) -> Vec<Word> {
        let mut words = Vec::new();
        let mut position = first_position;
        for surface in text.unicode_words() {
            let lower = surface.to_lowercase();
            let folded = fold(&lower);
            if is_noise(&folded) {
                continue;
            }
            words.push(Word {
                surface: surface.to_owned(),
                stem: self.stem(lang, &lower),
                folded,
                position,
            });
            position += 1;
        }
        words
    }
}

/// Lower-case letters with umlauts, `ß` and accents folded to plain ASCII where possible.
pub fn fold(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            c if c.is_ascii() => out.push(c),
            c => out.extend(
                std::iter::once(c)
                    .nfd()
                    .filter(|c| !unicode_normalization::char::is_combining_mark(*c)),
            ),
        }
    }
    out
}

/// Stop words, one-letter words and pure numbers.
fn is_noise(folded: &str) -> bool {
    folded.chars().count() < 2
        || folded.chars().all(|c| c.is_ascii_digit())
        || STOP_WORDS.binary_search(&folded).is_ok()
}

/// Words of course announcements that say nothing about the competency itself ("training",
/// "Schulung", "participants"); dropped from the texts asked about, not from labels.
pub fn is_course_word(folded: &str) -> bool {
    COURSE_WORDS.binary_search(&folded).is_ok()
}

/// How many of the words of `text` are stop words of each language, to guess its language.
pub fn stop_word_counts(text: &str) -> [usize; 2] {
    let mut counts = [0, 0];
    for word in text.unicode_words() {
        let folded = fold(&word.to_lowercase());
        if EN_ONLY.binary_search(&folded.as_str()).is_ok() {
            counts[Lang::En.index()] += 1;
        }
        if DE_ONLY.binary_search(&folded.as_str()).is_ok() {
            counts[Lang::De.index()] += 1;
        }
    }
    counts
}

/// English and German stop words, folded, sorted (a test checks the order). One list for both
/// languages: a German text is matched against English labels too, and "die" must not find
/// "die casting".
const STOP_WORDS: &[&str] = &[
    "about", "above", "after", "again", "against", "all", "allen", "aller", "alles", "also", "am",
    "an", "and", "andere", "anderen", "any", "are", "as", "at", "auch", "auf", "aus", "be", "been",
    "before", "bei", "beim", "being", "between", "bis", "both", "but", "by", "bzw", "can", "could",
    "da", "dabei", "dadurch", "dafur", "damit", "dann", "dar", "daruber", "das", "dass", "dazu",
    "dem", "den", "denen", "der", "deren", "des", "dessen", "did", "die", "dies", "diese",
    "diesem", "diesen", "dieser", "dieses", "do", "does", "doing", "du", "durch", "during", "each",
    "eg", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etc", "etwa", "every",
    "few", "for", "from", "fur", "further", "gegen", "haben", "had", "has", "hat", "have",
    "having", "he", "her", "here", "hier", "his", "how", "ie", "ihr", "ihre", "ihrem", "ihren",
    "ihrer", "ihres", "im", "in", "ins", "into", "is", "ist", "it", "its", "itself", "jede",
    "jedem", "jeden", "jeder", "jedes", "just", "kann", "kein", "keine", "konnen", "may", "mehr",
    "might", "mit", "more", "most", "muss", "mussen", "must", "nach", "nicht", "no", "noch", "nor",
    "not", "nur", "ob", "oder", "of", "off", "ohne", "on", "once", "only", "or", "other", "our",
    "ours", "out", "over", "own", "same", "she", "should", "sich", "sie", "sind", "so", "soll",
    "sollen", "some", "sowie", "such", "than", "that", "the", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "through", "to", "too", "uber", "um", "und",
    "under", "unter", "until", "up", "usw", "very", "vom", "von", "vor", "war", "was", "we",
    "welche", "welchem", "welchen", "welcher", "welches", "wenn", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "wie", "will", "wir", "wird", "with", "wo", "would",
    "wurde", "wurden", "you", "your", "yours", "zu", "zum", "zur", "zwischen",
];

/// Stop words that only one of the languages has, for guessing the language of a text.
const EN_ONLY: &[&str] = &[
    "and", "are", "for", "from", "how", "is", "of", "on", "or", "the", "their", "this", "to",
    "with", "you", "your",
];
const DE_ONLY: &[&str] = &[
    "auf", "bei", "das", "dem", "den", "der", "des", "die", "ein", "eine", "fur", "ist", "mit",
    "sie", "und", "von", "zu", "zum", "zur",
];

/// See [`is_course_word`]; folded and sorted.
const COURSE_WORDS: &[&str] = &[
    "course",
    "courses",
    "day",
    "days",
    "einfuhrung",
    "grundlagen",
    "introduction",
    "kurs",
    "kurse",
    "learn",
    "learners",
    "lernen",
    "modul",
    "module",
    "participants",
    "schulung",
    "schulungen",
    "seminar",
    "session",
    "sessions",
    "stunden",
    "tag",
    "tage",
    "teilnehmende",
    "teilnehmenden",
    "teilnehmer",
    "training",
    "trainings",
    "unterweisung",
    "workshop",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        for list in [STOP_WORDS, EN_ONLY, DE_ONLY, COURSE_WORDS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{:?}", list);
        }
    }

    #[test]
    fn folding() {
        assert_eq!(fold("führerschein"), "fuhrerschein");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("café"), "cafe");
    }

    #[test]
    fn language_codes() {
        assert_eq!(Lang::parse("de-AT"), Some(Lang::De));
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
