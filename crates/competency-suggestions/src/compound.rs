//! Splitting German compounds against the words of the German competency texts:
//! "gabelstaplerfuhrerschein" → "gabelstapler" + "fuhrerschein" when "fuhrerschein" is a word of
//! some label or description, so that a course on the "Gabelstaplerführerschein" finds labels
//! with "Führerschein" (and, where the modifier is known too, with "Gabelstapler").

use std::collections::HashSet;

/// Parts are at least this many characters long, so that "Lager" is a part but "Ion" is not.
const MIN_PART: usize = 4;
/// Words shorter than this are not split.
const MIN_COMPOUND: usize = 2 * MIN_PART;
/// Fugenelemente: what may stand between two parts ("Arbeit-s-schutz", "Kunde-n-service").
const LINKS: [&str; 5] = ["es", "en", "s", "n", "e"];

/// The folded words the German texts of the index use.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashSet<Box<str>>,
}

impl Vocabulary {
    pub fn add(&mut self, folded: &str) {
        if folded.chars().count() >= MIN_PART && !self.words.contains(folded) {
            self.words.insert(folded.into());
        }
    }

    pub fn contains(&self, folded: &str) -> bool {
        self.words.contains(folded)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// A known part, possibly followed by a linking element that is then dropped.
    fn part<'a>(&self, segment: &'a str, last: bool) -> Option<&'a str> {
        if self.words.contains(segment) {
            return Some(segment);
        }
        if last {
            return None;
        }
        LINKS.iter().find_map(|link| {
            let stem = segment.strip_suffix(link)?;
            (stem.chars().count() >= MIN_PART && self.words.contains(stem)).then_some(stem)
        })
    }

    /// The parts of a folded compound, in order, when it splits into at least two (even when the
    /// whole word is known too): all of them words of the vocabulary (fewest parts first), or else an unknown first part (a modifier
    /// such as a brand or a rare word) followed by the longest known rest. `None` if the word
    /// does not split.
    pub fn split(&self, folded: &str) -> Option<Vec<String>> {
        let bounds: Vec<usize> = folded
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(folded.len()))
            .collect();
        let n = bounds.len() - 1;
        if n < MIN_COMPOUND {
            return None;
        }
        // cover[i]: fewest known parts covering chars i..n, and where the first of them ends.
        let mut cover: Vec<Option<(usize, usize, usize)>> = vec![None; n + 1];
        cover[n] = Some((0, n, n));
        for i in (0..n).rev() {
            let mut best: Option<(usize, usize, usize)> = None;
            for j in (i + MIN_PART)..=n {
                if i == 0 && j == n {
                    continue; // the whole word is no split, known or not
                }
                let Some((count, _, _)) = cover[j] else {
                    continue;
                };
                let segment = &folded[bounds[i]..bounds[j]];
                let Some(part) = self.part(segment, j == n) else {
                    continue;
                };
                if best.is_none_or(|(c, _, _)| count + 1 < c) {
                    best = Some((count + 1, j, bounds[i] + part.len()));
                }
            }
            cover[i] = best;
        }
        let collect = |mut i: usize, parts: &mut Vec<String>| {
            while i < n {
                let Some((_, next, part_end)) = cover[i] else {
                    break;
                };
                parts.push(folded[bounds[i]..part_end].to_owned());
                i = next;
            }
        };
        let mut parts = Vec::new();
        match cover[0] {
            Some(_) => collect(0, &mut parts),
            None => {
                let start = (3..=n - MIN_PART).find(|&i| cover[i].is_some())?;
                parts.push(folded[..bounds[start]].to_owned());
                collect(start, &mut parts);
            }
        }
        (parts.len() >= 2).then_some(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(words: &[&str]) -> Vocabulary {
        let mut v = Vocabulary::default();
        for w in words {
            v.add(w);
        }
        v
    }

    #[test]
    fn splits_into_known_parts() {
        let v = vocabulary(&["gabelstapler", "fuhrerschein", "lager", "verwaltung"]);
        assert_eq!(
            v.split("gabelstaplerfuhrerschein").unwrap(),
            ["gabelstapler", "fuhrerschein"]
        );
        assert_eq!(v.split("lagerverwaltung").unwrap(), ["lager", "verwaltung"]);
    }

    #[test]
    fn drops_linking_elements() {
        let v = vocabulary(&["arbeit", "schutz", "kunde", "service"]);
        assert_eq!(v.split("arbeitsschutz").unwrap(), ["arbeit", "schutz"]);
        assert_eq!(v.split("kundenservice").unwrap(), ["kunde", "service"]);
    }

    #[test]
    fn unknown_modifier_before_a_known_head() {
        let v = vocabulary(&["fuhrerschein"]);
        assert_eq!(
            v.split("staplerfuhrerschein").unwrap(),
            ["stapler", "fuhrerschein"]
        );
    }

    #[test]
    fn does_not_split_plain_or_unknown_words() {
        let v = vocabulary(&["lager", "verwaltung"]);
        assert_eq!(v.split("verwaltung"), None);
        assert_eq!(v.split("xylophonbau"), None);
        assert_eq!(v.split("lager"), None);
    }
}
