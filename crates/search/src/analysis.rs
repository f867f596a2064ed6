//! Text analysis: the tokenizer chains of the index and the reading of a user's query text.
//!
//! Every text is split into words by tantivy's `SimpleTokenizer` (runs of letters and digits, so
//! `E-Learning` is `e` + `learning`), words longer than [`MAX_WORD_BYTES`] are dropped, the rest
//! is lower-cased and ASCII-folded (`ä` → `a`, `ß` → `ss`, `é` → `e`). The German chain then folds
//! the digraphs that people type without an umlaut key (`ae`/`oe`/`ue` → `a`/`o`/`u`, but not the
//! `ue` after `q` of "Quelle"), so that "Führung", "Fuehrung" and "fuhrung" all become `fuhrung`,
//! and stems with the Snowball German stemmer. The English chain stems with the Snowball English
//! (Porter 2) stemmer and leaves digraphs alone ("queue", "blue"). The same chains run over the
//! query, so whatever they conflate ("Feuer"/"Feur") they conflate on both sides.
//!
//! Two further chains feed typo tolerance and compound matching: `plain` (folded, digraph-folded,
//! not stemmed) for fuzzy and prefix matching, and `reversed` (the `plain` word spelt backwards) so
//! that a suffix query ("logistik" finding "Lagerlogistik") is a prefix query on reversed words.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// Words longer than this many bytes (UTF-8) are neither indexed nor searched.
pub const MAX_WORD_BYTES: usize = 40;
/// At most this many words of a query are used; the rest is ignored.
pub const MAX_QUERY_WORDS: usize = 10;

pub(crate) const ANALYZER_DE: &str = "mycel_de";
pub(crate) const ANALYZER_EN: &str = "mycel_en";
pub(crate) const ANALYZER_PLAIN: &str = "mycel_plain";
pub(crate) const ANALYZER_REVERSED: &str = "mycel_reversed";

/// The German chain: fold, digraph-fold, stem.
pub(crate) fn german() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(GermanDigraphFolding)
        .filter(Stemmer::new(Language::German))
        .build()
}

/// The English chain: fold, stem.
pub(crate) fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The unstemmed chain used for fuzzy and prefix matching and for highlighting.
pub(crate) fn plain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(GermanDigraphFolding)
        .build()
}

/// `plain`, each word spelt backwards (for suffix matching of compounds).
pub(crate) fn reversed() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(GermanDigraphFolding)
        .filter(Reverse)
        .build()
}

fn stop_words(language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser);
    match StopWordFilter::new(language) {
        Some(filter) => builder.filter(filter).build(),
        None => builder.build(),
    }
}

/// Folds `ae`, `oe` and `ue` to `a`, `o` and `u` (after lower-casing and ASCII folding), except
/// `ue` after `q`. Returns `None` when there is nothing to fold.
pub(crate) fn fold_digraphs(word: &str) -> Option<String> {
    let bytes = word.as_bytes();
    let needs = bytes
        .windows(2)
        .any(|pair| matches!(pair, [b'a' | b'o' | b'u', b'e']));
    if !needs {
        return None;
    }
    let mut out = String::with_capacity(word.len());
    let mut previous: Option<char> = None;
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let folds = matches!(c, 'a' | 'o' | 'u')
            && chars.peek() == Some(&'e')
            && !(c == 'u' && previous == Some('q'));
        if folds {
            chars.next();
        }
        previous = Some(c);
    }
    Some(out)
}

/// Token filter applying [`fold_digraphs`].
#[derive(Clone, Debug)]
pub struct GermanDigraphFolding;

impl TokenFilter for GermanDigraphFolding {
    type Tokenizer<T: Tokenizer> = MapTokens<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokens<T> {
        MapTokens {
            inner: tokenizer,
            map: fold_digraphs,
        }
    }
}

fn reverse_word(word: &str) -> Option<String> {
    Some(word.chars().rev().collect())
}

/// Token filter spelling each word backwards.
#[derive(Clone, Debug)]
pub struct Reverse;

impl TokenFilter for Reverse {
    type Tokenizer<T: Tokenizer> = MapTokens<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MapTokens<T> {
        MapTokens {
            inner: tokenizer,
            map: reverse_word,
        }
    }
}

/// A tokenizer that rewrites the text of each token of another (offsets stay).
#[derive(Clone, Debug)]
pub struct MapTokens<T> {
    inner: T,
    map: fn(&str) -> Option<String>,
}

impl<T: Tokenizer> Tokenizer for MapTokens<T> {
    type TokenStream<'a> = MapTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MapTokenStream {
            tail: self.inner.token_stream(text),
            map: self.map,
        }
    }
}

/// The token stream of [`MapTokens`].
#[derive(Debug)]
pub struct MapTokenStream<T> {
    tail: T,
    map: fn(&str) -> Option<String>,
}

impl<T: TokenStream> TokenStream for MapTokenStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(mapped) = (self.map)(&token.text) {
            token.text = mapped;
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// All analyzers, built once per index (a `TextAnalyzer` is cloned per use; it is cheap).
#[derive(Clone)]
pub(crate) struct Analyzers {
    pub de: TextAnalyzer,
    pub en: TextAnalyzer,
    pub plain: TextAnalyzer,
    stop_de: TextAnalyzer,
    stop_en: TextAnalyzer,
    raw_words: TextAnalyzer,
}

impl std::fmt::Debug for Analyzers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Analyzers")
    }
}

impl Analyzers {
    pub fn new() -> Self {
        Analyzers {
            de: german(),
            en: english(),
            plain: plain(),
            stop_de: stop_words(Language::German),
            stop_en: stop_words(Language::English),
            raw_words: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(MAX_WORD_BYTES))
                .build(),
        }
    }

    /// The single token an analyzer makes of one word, if any.
    pub fn one(analyzer: &TextAnalyzer, word: &str) -> Option<String> {
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(word);
        stream.next().map(|token| token.text.clone())
    }

    fn is_stop_word(&self, word: &str) -> bool {
        Self::one(&self.stop_de, word).is_none() || Self::one(&self.stop_en, word).is_none()
    }

    /// Reads the user's text as plain words (never as query syntax).
    pub fn query_words(&self, text: &str) -> Vec<QueryWord> {
        let mut raw = Vec::new();
        {
            let mut analyzer = self.raw_words.clone();
            let mut stream = analyzer.token_stream(text);
            while let Some(token) = stream.next() {
                raw.push((token.text.clone(), token.offset_to));
            }
        }
        // Is the text's last word still being typed (no space or punctuation after it)?
        let typing_last = raw.last().is_some_and(|(_, end)| *end == text.len());
        let count = raw.len();
        let mut words: Vec<QueryWord> = Vec::new();
        for (index, (word, _)) in raw.iter().enumerate() {
            let Some(plain) = Self::one(&self.plain, word) else {
                continue;
            };
            let is_last = index + 1 == count;
            let length = plain.chars().count();
            let distance = match length {
                0..=3 => 0,
                4..=7 => 1,
                _ => 2,
            };
            if words.iter().any(|w| w.plain == plain && !is_last) {
                continue;
            }
            words.push(QueryWord {
                de: Self::one(&self.de, word),
                en: Self::one(&self.en, word),
                reversed: plain.chars().rev().collect(),
                stop_word: self.is_stop_word(word),
                prefix: is_last && typing_last && length >= MIN_PREFIX_CHARS,
                optional: false,
                length,
                distance,
                plain,
            });
        }
        // Stop words ("für", "the") are dropped unless the query has nothing else.
        if words.iter().any(|w| !w.stop_word) {
            words.retain(|w| !w.stop_word);
        }
        // A last word too short for prefix matching while it is being typed does not filter.
        if words.len() > 1 {
            if let Some(last) = words.last_mut() {
                if typing_last && last.length < MIN_PREFIX_CHARS {
                    last.optional = true;
                }
            }
        }
        words.truncate(MAX_QUERY_WORDS);
        words
    }
}

/// The last word of a query matches as a prefix from this many characters on.
pub const MIN_PREFIX_CHARS: usize = 3;
/// A word matches the beginning of compounds ("Lager" → "Lagerlogistik") from this length on.
pub const MIN_COMPOUND_HEAD_CHARS: usize = 4;
/// A word matches the end of compounds ("Logistik" → "Lagerlogistik") from this length on.
pub const MIN_COMPOUND_TAIL_CHARS: usize = 5;

/// One word of the user's query, in every form the index is searched with.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct QueryWord {
    /// Folded, unstemmed.
    pub plain: String,
    /// `plain` backwards.
    pub reversed: String,
    /// German stem.
    pub de: Option<String>,
    /// English stem.
    pub en: Option<String>,
    pub stop_word: bool,
    /// The last word while typing: matches as a (fuzzy) prefix.
    pub prefix: bool,
    /// Does not have to match (a one- or two-letter word being typed).
    pub optional: bool,
    /// Length of `plain` in characters.
    pub length: usize,
    /// Levenshtein distance allowed.
    pub distance: u8,
}

impl QueryWord {
    pub fn compound_head(&self) -> bool {
        !self.prefix && self.length >= MIN_COMPOUND_HEAD_CHARS
    }

    pub fn compound_tail(&self) -> bool {
        self.length >= MIN_COMPOUND_TAIL_CHARS
    }

    /// Would this word match the indexed word `token` (in its plain form, with its stems)?
    /// Mirrors the query built from it; used to highlight snippets.
    pub fn matches(&self, token: &str, token_de: Option<&str>, token_en: Option<&str>) -> bool {
        if token == self.plain
            || (self.de.is_some() && self.de.as_deref() == token_de)
            || (self.en.is_some() && self.en.as_deref() == token_en)
        {
            return true;
        }
        if self.prefix {
            if prefix_distance(&self.plain, token, self.distance) <= usize::from(self.distance) {
                return true;
            }
        } else if self.distance > 0
            && osa_distance(&self.plain, token, self.distance) <= usize::from(self.distance)
        {
            return true;
        }
        (self.compound_head() && token.starts_with(self.plain.as_str()))
            || (self.compound_tail() && token.ends_with(self.plain.as_str()))
    }
}

/// Optimal string alignment distance (Levenshtein with adjacent transpositions costing one, as
/// tantivy's fuzzy queries count), cut off above `limit`.
pub(crate) fn osa_distance(a: &str, b: &str, limit: u8) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > usize::from(limit) {
        return usize::from(limit) + 1;
    }
    let table = osa_table(&a, &b);
    table[a.len()][b.len()]
}

/// The smallest distance between `word` and any prefix of `token`.
pub(crate) fn prefix_distance(word: &str, token: &str, limit: u8) -> usize {
    let a: Vec<char> = word.chars().collect();
    let b: Vec<char> = token.chars().collect();
    let max_len = a.len() + usize::from(limit);
    let b = &b[..b.len().min(max_len)];
    let table = osa_table(&a, b);
    table[a.len()].iter().copied().min().unwrap_or(usize::MAX)
}

fn osa_table(a: &[char], b: &[char]) -> Vec<Vec<usize>> {
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn all(analyzer: &TextAnalyzer, text: &str) -> Vec<String> {
        let mut analyzer = analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn german_spellings_of_umlauts_meet() {
        let de = german();
        let expected = all(&de, "Führung");
        assert_eq!(all(&de, "Fuehrung"), expected);
        assert_eq!(all(&de, "fuhrung"), expected);
        assert_eq!(all(&de, "FÜHRUNG"), expected);
        assert_eq!(all(&de, "Schulungen"), all(&de, "Schulung"));
        assert_eq!(all(&de, "Straße"), all(&de, "Strasse"));
    }

    #[test]
    fn digraphs_fold_except_after_q() {
        assert_eq!(fold_digraphs("fuehrung").as_deref(), Some("fuhrung"));
        assert_eq!(
            fold_digraphs("quelle").unwrap_or_else(|| "quelle".into()),
            "quelle"
        );
        assert_eq!(fold_digraphs("queue").as_deref(), Some("queu"));
        assert_eq!(fold_digraphs("aerger").as_deref(), Some("arger"));
        assert_eq!(fold_digraphs("kasse"), None);
    }

    #[test]
    fn english_stems() {
        let en = english();
        assert_eq!(all(&en, "trainings"), all(&en, "training"));
        assert_eq!(all(&en, "Forklifts"), vec!["forklift".to_string()]);
    }

    #[test]
    fn reversed_words() {
        assert_eq!(
            all(&reversed(), "Lagerlogistik"),
            vec!["kitsigolregal".to_string()]
        );
    }

    #[test]
    fn distances() {
        assert_eq!(osa_distance("gabelstabler", "gabelstapler", 2), 1);
        assert_eq!(osa_distance("fuhrugn", "fuhrung", 1), 1);
        assert_eq!(osa_distance("kasse", "klasse", 1), 1);
        assert!(osa_distance("kasse", "kosten", 1) > 1);
        assert_eq!(prefix_distance("gabels", "gabelstapler", 1), 0);
        assert_eq!(prefix_distance("gabwls", "gabelstapler", 1), 1);
    }

    #[test]
    fn query_words_drop_stop_words_and_syntax() {
        let analyzers = Analyzers::new();
        let words = analyzers.query_words("Kassensysteme für \"Einsteiger\" (:*");
        let plains: Vec<&str> = words.iter().map(|w| w.plain.as_str()).collect();
        assert_eq!(plains, vec!["kassensysteme", "einsteiger"]);
        assert!(!words[1].prefix, "followed by punctuation: not being typed");
        let typing = analyzers.query_words("Gabelst");
        assert!(typing[0].prefix);
        let only_stop = analyzers.query_words("the");
        assert_eq!(only_stop.len(), 1);
    }
}
