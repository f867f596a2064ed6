//! Snippets with highlighted matches.
//!
//! tantivy's `SnippetGenerator` picks the best passage from a set of words to highlight. Typo,
//! prefix and compound matches are not terms of the query, so the set is worked out here: the
//! text is read with the plain, German and English chains side by side and each word is tested
//! against the query words exactly as the query matched it (same stems, same edit distances).
//! The HTML is written here too, escaping `& < > " '` of the text.

use std::collections::BTreeMap;
use std::ops::Range;

use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{Analyzers, QueryWord};

/// A rendered snippet.
#[derive(Debug)]
pub(crate) struct Highlighted {
    pub html: String,
    pub matches: usize,
}

fn tokens(analyzer: &TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push((token.offset_from, token.text.clone()));
    }
    out
}

/// The plain forms of the words of `text` that some query word matches.
fn matched_words(analyzers: &Analyzers, words: &[QueryWord], text: &str) -> BTreeMap<String, f32> {
    let mut matched = BTreeMap::new();
    if words.is_empty() {
        return matched;
    }
    let plain = tokens(&analyzers.plain, text);
    let de = tokens(&analyzers.de, text);
    let en = tokens(&analyzers.en, text);
    // All chains split alike; pair them by position, checking the offsets agree.
    for (index, (offset, word)) in plain.iter().enumerate() {
        fn stem(list: &[(usize, String)], index: usize, offset: usize) -> Option<&str> {
            list.get(index)
                .filter(|(o, _)| *o == offset)
                .map(|(_, s)| s.as_str())
        }
        if words
            .iter()
            .any(|w| w.matches(word, stem(&de, index, *offset), stem(&en, index, *offset)))
        {
            matched.insert(word.clone(), 1.0);
        }
    }
    matched
}

/// Highlights `text`, cutting it to a passage of about `max_chars` characters around the best
/// matches (the start of the text when nothing matches).
pub(crate) fn highlight(
    analyzers: &Analyzers,
    field: Field,
    words: &[QueryWord],
    text: &str,
    max_chars: usize,
) -> Highlighted {
    let matched = matched_words(analyzers, words, text);
    if !matched.is_empty() {
        let generator = SnippetGenerator::new(matched, analyzers.plain.clone(), field, max_chars);
        let snippet = generator.snippet(text);
        if !snippet.is_empty() {
            let range = snippet.fragment_range();
            let mut ranges: Vec<Range<usize>> = snippet.highlighted().to_vec();
            ranges.sort_by_key(|r| (r.start, r.end));
            let mut html = String::new();
            // Text before and after the passage: shown if it is only punctuation and spaces,
            // else replaced by an ellipsis.
            let before = text.get(..range.start).unwrap_or_default();
            if before.chars().any(char::is_alphanumeric) {
                html.push('…');
            } else {
                escape_into(&mut html, before.trim_start());
            }
            render(&mut html, snippet.fragment(), &ranges);
            let after = text.get(range.end..).unwrap_or_default();
            if after.chars().any(char::is_alphanumeric) {
                html.push('…');
            } else {
                escape_into(&mut html, after.trim_end());
            }
            return Highlighted {
                html,
                matches: ranges.len(),
            };
        }
    }
    let (cut, truncated) = truncate(text, max_chars);
    let mut html = String::new();
    escape_into(&mut html, cut);
    if truncated {
        html.push('…');
    }
    Highlighted { html, matches: 0 }
}

fn render(out: &mut String, fragment: &str, ranges: &[Range<usize>]) {
    let mut position = 0;
    for range in ranges {
        if range.start < position || range.end > fragment.len() {
            continue;
        }
        let (Some(before), Some(inside)) = (
            fragment.get(position..range.start),
            fragment.get(range.clone()),
        ) else {
            continue;
        };
        escape_into(out, before);
        out.push_str("<b>");
        escape_into(out, inside);
        out.push_str("</b>");
        position = range.end;
    }
    escape_into(out, fragment.get(position..).unwrap_or_default());
}

/// The text up to `max_chars` characters, cut after a whole word where possible.
fn truncate(text: &str, max_chars: usize) -> (&str, bool) {
    let text = text.trim();
    let Some((cut_at, _)) = text.char_indices().nth(max_chars) else {
        return (text, false);
    };
    let head = &text[..cut_at];
    let at_word_end = text[cut_at..].starts_with(char::is_whitespace);
    let head = match head.rfind(char::is_whitespace) {
        _ if at_word_end => head,
        Some(space) if space > cut_at / 2 => &head[..space],
        _ => head,
    };
    (head.trim_end(), true)
}

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::schema;

    #[test]
    fn highlights_stems_typos_and_escapes() {
        let analyzers = Analyzers::new();
        let (_, fields) = schema::build();
        let words = analyzers.query_words("Schulungen gabelstabler ");
        let out = highlight(
            &analyzers,
            fields.title_de,
            &words,
            "Schulung <script> für Gabelstapler & Co",
            200,
        );
        assert_eq!(
            out.html,
            "<b>Schulung</b> &lt;script&gt; für <b>Gabelstapler</b> &amp; Co"
        );
        assert_eq!(out.matches, 2);
    }

    #[test]
    fn no_match_gives_the_start() {
        let analyzers = Analyzers::new();
        let (_, fields) = schema::build();
        let text = "Ein sehr langer Text über Lagerlogistik und vieles mehr";
        let out = highlight(&analyzers, fields.title_de, &[], text, 20);
        assert_eq!(out.html, "Ein sehr langer Text…");
        assert_eq!(out.matches, 0);
    }
}
