//! The suggestion index: per language, the stemmed terms of every preferred and alternative label
//! (with inverted lists from term to label), the stemmed description words (inverted lists with
//! term frequencies, for BM25), and the vocabulary German compounds are split against.
//! See the crate documentation for the scoring.

use crate::compound::Vocabulary;
use crate::text::{is_course_word, stop_word_counts, Lang, Stemmers, Word};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A competency as the index needs it: its id, its kind and its texts per language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompetencyText {
    pub id: Uuid,
    /// `skill`, `knowledge`, `competency` or `group`; groups are proposed only when no more
    /// specific competency matches as well.
    pub kind: String,
    pub labels: Vec<LabelText>,
}

/// The texts of a competency in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelText {
    /// `en` or `de` (`de-AT` and the like count as `de`); texts in other languages are ignored.
    pub lang: String,
    pub preferred: String,
    pub alternatives: Vec<String>,
    pub description: Option<String>,
}

/// A proposed competency: the higher the score, the stronger the evidence in the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    pub id: Uuid,
    pub score: f32,
    /// The label that matched best (preferred or alternative), in the language it matched in.
    pub label: String,
    /// Which words of the text matched which words of the competency's texts.
    pub matched: Vec<MatchedTerm>,
}

/// Where in the competency's texts a word of the course text was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchField {
    Preferred,
    Alternative,
    Description,
}

/// One word of the course text and the word of a competency text it matched (same stem, or a
/// part of a German compound).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedTerm {
    /// The word as written in the course text (a whole compound when a part of it matched).
    pub text_word: String,
    /// The word of the competency's label or description it matched.
    pub competency_word: String,
    /// The label the word belongs to; for a description match, the competency's preferred label.
    pub label: String,
    pub field: MatchField,
    /// The language of the competency text (`en`, `de`).
    pub lang: String,
    /// Whether the word stands in the course title (else in its description).
    pub in_title: bool,
}

/// Tuning of the scoring; [`Scoring::default`] is what the quality figures in the README were
/// measured with.
#[derive(Clone, Debug, PartialEq)]
pub struct Scoring {
    /// Weight of a word found only in the course description (a title word weighs 1).
    pub description_weight: f32,
    /// Weight of a part of a German compound (the whole word weighs 1).
    pub compound_part_weight: f32,
    /// Weight of an alternative label (the preferred label weighs 1).
    pub alternative_weight: f32,
    /// Exponent of the coverage of a label's terms (share of the label's IDF the text matched).
    pub coverage_exponent: f32,
    /// Labels whose matched share of IDF is below this are not counted at all.
    pub min_coverage: f32,
    /// Extra factor (1 + this) when all words of a multi-word label stand together in the text.
    pub phrase_bonus: f32,
    /// Factor of the BM25 score of the competency's description against the text.
    pub description_support: f32,
    /// Factor of a competency whose description matched but none of its labels.
    pub description_only_weight: f32,
    /// Factor of matches in the language that is not the text's language.
    pub other_language_weight: f32,
    /// Weight of an English term that a German word of the text translates to.
    pub translation_weight: f32,
    /// Whether the German → English lexicon also learns from the descriptions of competencies
    /// described in both languages (after what the labels teach).
    pub description_lexicon: bool,
    /// Whether German words the lexicon cannot translate are matched to English label terms that
    /// look like them ("Inventur" → "inventory").
    pub query_cognates: bool,
    /// Factor of skill groups (broad), so that specific skills come first.
    pub group_weight: f32,
    /// Suggestions scoring below this are not returned.
    pub min_score: f32,
}

impl Default for Scoring {
    fn default() -> Self {
        Self {
            description_weight: 0.6,
            compound_part_weight: 0.8,
            alternative_weight: 0.9,
            coverage_exponent: 1.5,
            min_coverage: 0.3,
            phrase_bonus: 0.5,
            description_support: 0.5,
            description_only_weight: 0.0,
            other_language_weight: 0.7,
            translation_weight: 0.8,
            description_lexicon: true,
            query_cognates: true,
            group_weight: 0.7,
            min_score: 3.0,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LabelField {
    Preferred,
    Alternative,
}

#[derive(Debug)]
struct LabelEntry {
    competency: u32,
    field: LabelField,
    text: Box<str>,
    /// Distinct terms in order of first occurrence, with the word as written in the label.
    terms: Vec<(u32, Box<str>)>,
}

#[derive(Debug, Default)]
struct LangIndex {
    terms: HashMap<String, u32>,
    /// Per term: in how many competencies' labels it occurs, and the labels.
    label_df: Vec<u32>,
    label_postings: Vec<Vec<u32>>,
    /// Per term: in how many descriptions, and (competency, term frequency).
    desc_postings: Vec<Vec<(u32, u16)>>,
    labels: Vec<LabelEntry>,
    /// Per competency: its preferred label and its description in this language, if any.
    preferred: HashMap<u32, Box<str>>,
    descriptions: HashMap<u32, (Box<str>, u32)>,
    with_labels: u32,
    with_descriptions: u32,
    average_description: f32,
    vocabulary: Vocabulary,
}

impl LangIndex {
    fn term(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.terms.get(stem) {
            return id;
        }
        let id = self.label_df.len() as u32;
        self.terms.insert(stem.to_owned(), id);
        self.label_df.push(0);
        self.label_postings.push(Vec::new());
        self.desc_postings.push(Vec::new());
        id
    }

    fn label_idf(&self, term: u32) -> f32 {
        idf(self.with_labels, self.label_df[term as usize])
    }

    fn desc_idf(&self, term: u32) -> f32 {
        idf(
            self.with_descriptions,
            self.desc_postings[term as usize].len() as u32,
        )
    }
}

/// Word translations from German to English, learned from the label terms of the competencies
/// labelled in both languages: a German term translates to the English terms it co-occurs with
/// most (Dice coefficient at least 0.3, at least twice), at most two of them.
fn learn_translations(
    label_terms: &[[Vec<u32>; 2]],
    langs: &[LangIndex; 2],
    min_together: u32,
    min_dice: f32,
) -> HashMap<u32, Vec<(u32, f32)>> {
    let stems = |lang: Lang| {
        let mut by_id = vec![""; langs[lang.index()].label_df.len()];
        for (stem, &id) in &langs[lang.index()].terms {
            by_id[id as usize] = stem.as_str();
        }
        by_id
    };
    let (de_stems, en_stems) = (stems(Lang::De), stems(Lang::En));
    let mut de_count: HashMap<u32, u32> = HashMap::new();
    let mut en_count: HashMap<u32, u32> = HashMap::new();
    let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
    for [en, de] in label_terms {
        if en.is_empty() || de.is_empty() {
            continue;
        }
        for &e in en {
            *en_count.entry(e).or_default() += 1;
        }
        for &d in de {
            *de_count.entry(d).or_default() += 1;
            for &e in en {
                *pairs.entry((d, e)).or_default() += 1;
            }
        }
    }
    let mut out: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
    for ((d, e), together) in pairs {
        let n_d = de_count.get(&d).copied().unwrap_or(1) as f32;
        let n_e = en_count.get(&e).copied().unwrap_or(1) as f32;
        let mut dice = 2.0 * together as f32 / (n_d + n_e);
        // Cognates ("konflikt"/"conflict", "inventur"/"inventori") are believed on one pair.
        let cognate = is_cognate(
            de_stems.get(d as usize).copied().unwrap_or_default(),
            en_stems.get(e as usize).copied().unwrap_or_default(),
        );
        if cognate {
            dice = (dice + 0.5).min(1.0);
        } else if together < min_together {
            continue;
        }
        if dice >= min_dice {
            out.entry(d).or_default().push((e, dice));
        }
    }
    for translations in out.values_mut() {
        translations.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        translations.truncate(2);
    }
    out
}

/// Whether two stems look like the same word in German and English: equal after mapping the
/// usual spelling differences, or at most a quarter of their letters apart.
fn is_cognate(de: &str, en: &str) -> bool {
    if de.chars().count() < 4 || en.chars().count() < 4 {
        return de == en && !de.is_empty();
    }
    is_cognate_form(&cognate_form(de), &cognate_form(en))
}

/// German and English spellings brought together: k and z → c, ph → f.
fn cognate_form(stem: &str) -> String {
    stem.replace(['k', 'z'], "c").replace("ph", "f")
}

/// The bucket a cognate form is looked up in: its first three letters.
fn cognate_key(form: &str) -> String {
    form.chars().take(3).collect()
}

fn is_cognate_form(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    levenshtein(&a, &b) * 4 <= a.len().max(b.len())
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// BM25's IDF, scaled so that a term found in one item only weighs 10 whatever the size of the
/// index: scores (and [`Scoring::min_score`]) mean the same for ESCO's 14,000 competencies and a
/// company's own framework of 50.
fn idf(n: u32, df: u32) -> f32 {
    let raw = |df: f32| (1.0 + (n as f32 - df + 0.5) / (df + 0.5)).ln();
    let max = raw(1.0);
    if max <= 0.0 {
        return 0.0;
    }
    10.0 * raw(df as f32) / max
}

/// Finds the competencies a text is about. Build it once per set of competencies (a company's
/// frameworks) and keep it: it is immutable and can be shared between threads.
#[derive(Debug)]
pub struct SuggestionIndex {
    ids: Vec<Uuid>,
    groups: Vec<bool>,
    langs: [LangIndex; 2],
    stemmers: Stemmers,
    scoring: Scoring,
    /// German label term → English label terms it translates to, learned from the competencies
    /// labelled in both languages (Dice coefficient of co-occurrence).
    de_to_en: HashMap<u32, Vec<(u32, f32)>>,
    /// English label terms by the first letters of their cognate form.
    cognate_buckets: HashMap<String, Vec<(u32, String)>>,
}

/// Factor of a match through a cognate found at query time (on top of the translation weight).
const COGNATE_WEIGHT: f32 = 0.8;

/// A term of the course text in one language.
#[derive(Debug)]
struct QueryTerm {
    weight: f32,
    positions: Vec<u32>,
    /// The first way it was written, and whether that was in the title.
    surface: String,
    in_title: bool,
    count: u32,
}

/// Positions are spaced so that the parts of a compound sit between a word and the next.
const POSITION_STEP: u32 = 8;
/// Added to the positions of the description so that no phrase spans title and description.
const DESCRIPTION_OFFSET: u32 = 1 << 20;

impl SuggestionIndex {
    /// Builds the index with the default [`Scoring`].
    pub fn build(items: impl IntoIterator<Item = CompetencyText>) -> Self {
        Self::build_with(items, Scoring::default())
    }

    /// Builds the index with the given scoring.
    pub fn build_with(items: impl IntoIterator<Item = CompetencyText>, scoring: Scoring) -> Self {
        let stemmers = Stemmers::default();
        let mut ids = Vec::new();
        let mut groups = Vec::new();
        let mut langs = [LangIndex::default(), LangIndex::default()];
        let mut description_words = [0u64, 0u64];
        let mut seen = HashSet::new();
        let mut label_terms: Vec<[Vec<u32>; 2]> = Vec::new();
        let mut description_terms: Vec<[Vec<u32>; 2]> = Vec::new();
        for item in items {
            let competency = ids.len() as u32;
            ids.push(item.id);
            groups.push(item.kind.eq_ignore_ascii_case("group"));
            label_terms.push([Vec::new(), Vec::new()]);
            description_terms.push([Vec::new(), Vec::new()]);
            for label in &item.labels {
                let Some(lang) = Lang::parse(&label.lang) else {
                    continue;
                };
                let index = &mut langs[lang.index()];
                if index.preferred.contains_key(&competency) {
                    continue; // one text per language
                }
                index
                    .preferred
                    .insert(competency, label.preferred.as_str().into());
                seen.clear();
                let texts = std::iter::once((LabelField::Preferred, &label.preferred)).chain(
                    label
                        .alternatives
                        .iter()
                        .map(|a| (LabelField::Alternative, a)),
                );
                let mut added = HashSet::new();
                for (field, text) in texts {
                    if !added.insert(text.as_str()) {
                        continue;
                    }
                    let words = stemmers.words(lang, text, 0);
                    if words.is_empty() {
                        continue;
                    }
                    let label_id = index.labels.len() as u32;
                    let mut terms: Vec<(u32, Box<str>)> = Vec::with_capacity(words.len());
                    for word in &words {
                        if lang == Lang::De {
                            index.vocabulary.add(&word.folded);
                        }
                        let term = index.term(&word.stem);
                        if terms.iter().any(|(t, _)| *t == term) {
                            continue;
                        }
                        terms.push((term, word.surface.as_str().into()));
                        index.label_postings[term as usize].push(label_id);
                        if seen.insert(term) {
                            index.label_df[term as usize] += 1;
                            if let Some(terms) = label_terms.last_mut() {
                                terms[lang.index()].push(term);
                            }
                        }
                    }
                    index.labels.push(LabelEntry {
                        competency,
                        field,
                        text: text.as_str().into(),
                        terms,
                    });
                }
                index.with_labels += 1;
                if let Some(description) = label.description.as_deref() {
                    let words = stemmers.words(lang, description, 0);
                    if words.is_empty() {
                        continue;
                    }
                    let mut counts: HashMap<u32, u16> = HashMap::new();
                    for word in &words {
                        if lang == Lang::De {
                            index.vocabulary.add(&word.folded);
                        }
                        let term = index.term(&word.stem);
                        let count = counts.entry(term).or_default();
                        *count = count.saturating_add(1);
                    }
                    if let Some(terms) = description_terms.last_mut() {
                        terms[lang.index()] = counts.keys().copied().collect();
                    }
                    for (term, count) in counts {
                        index.desc_postings[term as usize].push((competency, count));
                    }
                    index
                        .descriptions
                        .insert(competency, (description.into(), words.len() as u32));
                    index.with_descriptions += 1;
                    description_words[lang.index()] += words.len() as u64;
                }
            }
        }
        for lang in Lang::ALL {
            let index = &mut langs[lang.index()];
            index.average_description =
                description_words[lang.index()] as f32 / index.with_descriptions.max(1) as f32;
        }
        // The parts of German compounds in labels join the lexicon's German side, so that
        // "Lebensmittelabfälle entsorgen" / "dispose food waste" teaches "Lebensmittel" too.
        {
            let german = &mut langs[Lang::De.index()];
            let mut parts_of: Vec<(u32, String)> = Vec::new();
            for label in &german.labels {
                for (_, surface) in &label.terms {
                    let folded = crate::text::fold(&surface.to_lowercase());
                    for part in german.vocabulary.split(&folded).into_iter().flatten() {
                        parts_of.push((label.competency, stemmers.stem(Lang::De, &part)));
                    }
                }
            }
            for (competency, stem) in parts_of {
                let term = german.term(&stem);
                if let Some(terms) = label_terms.get_mut(competency as usize) {
                    if !terms[Lang::De.index()].contains(&term) {
                        terms[Lang::De.index()].push(term);
                    }
                }
            }
        }
        let mut de_to_en = learn_translations(&label_terms, &langs, 2, 0.3);
        if scoring.description_lexicon {
            for (d, more) in learn_translations(&description_terms, &langs, 3, 0.4) {
                let known = de_to_en.entry(d).or_default();
                for (e, dice) in more {
                    if known.len() < 2 && !known.iter().any(|(k, _)| *k == e) {
                        known.push((e, dice));
                    }
                }
            }
        }
        let mut cognate_buckets: HashMap<String, Vec<(u32, String)>> = HashMap::new();
        let english = &langs[Lang::En.index()];
        for (stem, &term) in &english.terms {
            if english.label_df[term as usize] > 0 && stem.chars().count() >= 5 {
                let form = cognate_form(stem);
                cognate_buckets
                    .entry(cognate_key(&form))
                    .or_default()
                    .push((term, form));
            }
        }
        for bucket in cognate_buckets.values_mut() {
            bucket.sort_unstable();
        }
        Self {
            ids,
            groups,
            langs,
            stemmers,
            scoring,
            de_to_en,
            cognate_buckets,
        }
    }

    /// How many competencies the index holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn scoring(&self) -> &Scoring {
        &self.scoring
    }

    /// The English stems a German word translates to in the learned lexicon, with their Dice
    /// coefficients, best first (for explanations and tests).
    pub fn translations(&self, german_word: &str) -> Vec<(String, f32)> {
        let stem = self.stemmers.stem(Lang::De, &german_word.to_lowercase());
        let Some(term) = self.langs[Lang::De.index()].terms.get(&stem) else {
            return Vec::new();
        };
        let english = &self.langs[Lang::En.index()].terms;
        self.de_to_en
            .get(term)
            .into_iter()
            .flatten()
            .filter_map(|&(en, dice)| {
                english
                    .iter()
                    .find(|(_, &id)| id == en)
                    .map(|(stem, _)| (stem.clone(), dice))
            })
            .collect()
    }

    /// The competencies `title` and `description` are about, best first, at most `limit`, none
    /// scoring below [`Scoring::min_score`]. `lang_hint` (`de`, `en`) is the text's language;
    /// without it the language is guessed from its stop words. Texts are matched against the
    /// labels of both languages, those of the other language weighing less.
    pub fn suggest(
        &self,
        title: &str,
        description: &str,
        lang_hint: Option<&str>,
        limit: usize,
    ) -> Vec<Suggestion> {
        if limit == 0 {
            return Vec::new();
        }
        let primary = lang_hint.and_then(Lang::parse).or_else(|| {
            let [en, de] = stop_word_counts(&format!("{title} {description}"));
            match en.cmp(&de) {
                std::cmp::Ordering::Greater => Some(Lang::En),
                std::cmp::Ordering::Less => Some(Lang::De),
                std::cmp::Ordering::Equal => None,
            }
        });
        let translate = primary != Some(Lang::En);
        let queries = Lang::ALL.map(|lang| self.query_terms(lang, title, description, translate));
        let mut best: HashMap<u32, Candidate> = HashMap::new();
        for lang in Lang::ALL {
            let weight = match primary {
                Some(p) if p != lang => self.scoring.other_language_weight,
                _ => 1.0,
            };
            for (competency, mut candidate) in self.score_in(lang, &queries[lang.index()]) {
                candidate.score *= weight;
                if self.groups[competency as usize] {
                    candidate.score *= self.scoring.group_weight;
                }
                match best.get(&competency) {
                    Some(other) if other.score >= candidate.score => {}
                    _ => {
                        best.insert(competency, candidate);
                    }
                }
            }
        }
        let mut ranked: Vec<(u32, Candidate)> = best
            .into_iter()
            .filter(|(_, c)| c.score >= self.scoring.min_score && c.score.is_finite())
            .collect();
        ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked
            .into_iter()
            .map(|(competency, candidate)| {
                let query = &queries[candidate.lang.index()];
                self.explain(competency, candidate, query)
            })
            .collect()
    }

    /// The terms of the text in `lang`, with their weights and positions.
    fn query_terms(
        &self,
        lang: Lang,
        title: &str,
        description: &str,
        translate: bool,
    ) -> HashMap<u32, QueryTerm> {
        let index = &self.langs[lang.index()];
        let mut terms: HashMap<u32, QueryTerm> = HashMap::new();
        let mut add = |term: u32, weight: f32, position: u32, word: &Word, in_title: bool| {
            let entry = terms.entry(term).or_insert_with(|| QueryTerm {
                weight,
                positions: Vec::new(),
                surface: word.surface.clone(),
                in_title,
                count: 0,
            });
            entry.weight = entry.weight.max(weight);
            entry.positions.push(position);
            entry.count += 1;
        };
        for (text, offset, field_weight, in_title) in [
            (title, 0, 1.0, true),
            (
                description,
                DESCRIPTION_OFFSET,
                self.scoring.description_weight,
                false,
            ),
        ] {
            for word in self.stemmers.words(lang, text, 0) {
                if is_course_word(&word.folded) {
                    continue;
                }
                let position = offset + word.position * POSITION_STEP;
                if let Some(&term) = index.terms.get(&word.stem) {
                    add(term, field_weight, position, &word, in_title);
                }
                if lang == Lang::En && translate {
                    let german = &self.langs[Lang::De.index()];
                    let lower = word.surface.to_lowercase();
                    let mut stems = vec![(self.stemmers.stem(Lang::De, &lower), 1.0)];
                    if let Some(parts) = german.vocabulary.split(&word.folded) {
                        stems.extend(parts.iter().filter(|p| !is_course_word(p)).map(|p| {
                            (
                                self.stemmers.stem(Lang::De, p),
                                self.scoring.compound_part_weight,
                            )
                        }));
                    }
                    for (k, (stem, part_weight)) in stems.iter().enumerate() {
                        let translations =
                            german.terms.get(stem).and_then(|t| self.de_to_en.get(t));
                        if translations.is_none() && self.scoring.query_cognates {
                            for term in self.cognates(stem) {
                                let weight = field_weight
                                    * part_weight
                                    * self.scoring.translation_weight
                                    * COGNATE_WEIGHT;
                                let at = position + (k as u32).min(POSITION_STEP - 1);
                                add(term, weight, at, &word, in_title);
                            }
                        }
                        for &(term, _) in translations.into_iter().flatten() {
                            let weight =
                                field_weight * part_weight * self.scoring.translation_weight;
                            let at = position + (k as u32).min(POSITION_STEP - 1);
                            add(term, weight, at, &word, in_title);
                        }
                    }
                }
                if lang == Lang::De {
                    if let Some(parts) = index.vocabulary.split(&word.folded) {
                        let part_weight = field_weight * self.scoring.compound_part_weight;
                        for (k, part) in parts.iter().enumerate() {
                            if is_course_word(part) {
                                continue;
                            }
                            let stem = self.stemmers.stem(lang, part);
                            if stem == word.stem {
                                continue;
                            }
                            if let Some(&term) = index.terms.get(&stem) {
                                let at = position + (k as u32 + 1).min(POSITION_STEP - 1);
                                add(term, part_weight, at, &word, in_title);
                            }
                        }
                    }
                }
            }
        }
        terms
    }

    /// English label terms that look like the same word as a German stem the lexicon has no
    /// translation for ("inventur" → "inventori"); only for stems of six letters or more.
    fn cognates(&self, german_stem: &str) -> Vec<u32> {
        if german_stem.chars().count() < 6 {
            return Vec::new();
        }
        let normal = cognate_form(german_stem);
        let Some(bucket) = self.cognate_buckets.get(&cognate_key(&normal)) else {
            return Vec::new();
        };
        bucket
            .iter()
            .filter(|(_, english)| is_cognate_form(&normal, english))
            .map(|(term, _)| *term)
            .collect()
    }

    /// Every competency with a label or description match in `lang`, with its score.
    fn score_in(&self, lang: Lang, query: &HashMap<u32, QueryTerm>) -> HashMap<u32, Candidate> {
        let index = &self.langs[lang.index()];
        let mut out: HashMap<u32, Candidate> = HashMap::new();
        if query.is_empty() {
            return out;
        }
        let s = &self.scoring;
        // Labels.
        let mut labels: Vec<u32> = query
            .keys()
            .flat_map(|&t| index.label_postings[t as usize].iter().copied())
            .collect();
        labels.sort_unstable();
        labels.dedup();
        for label_id in labels {
            let label = &index.labels[label_id as usize];
            let mut total = 0.0;
            let mut matched = 0.0;
            let mut weighted = 0.0;
            let mut all = true;
            for (term, _) in &label.terms {
                let idf = index.label_idf(*term);
                total += idf;
                match query.get(term) {
                    Some(q) => {
                        matched += idf;
                        let repeats = 1.0 + 0.1 * ((q.count as f32).ln());
                        weighted += idf * q.weight * repeats;
                    }
                    None => all = false,
                }
            }
            if total <= 0.0 {
                continue;
            }
            let coverage = matched / total;
            if coverage < s.min_coverage {
                continue;
            }
            let mut score = weighted * coverage.powf(s.coverage_exponent);
            if all && label.terms.len() > 1 && is_phrase(&label.terms, query) {
                score *= 1.0 + s.phrase_bonus;
            }
            if label.field == LabelField::Alternative {
                score *= s.alternative_weight;
            }
            let entry = out.entry(label.competency).or_insert(Candidate {
                score: 0.0,
                label_score: 0.0,
                lang,
                label: None,
                description_terms: Vec::new(),
            });
            if score > entry.label_score {
                entry.label_score = score;
                entry.label = Some(label_id);
            }
        }
        // Descriptions (BM25), weak support.
        if s.description_support > 0.0 {
            let (k1, b) = (1.2, 0.75);
            let mut support: HashMap<u32, (f32, Vec<u32>)> = HashMap::new();
            for (&term, q) in query {
                let idf = index.desc_idf(term);
                for &(competency, tf) in &index.desc_postings[term as usize] {
                    let length = index
                        .descriptions
                        .get(&competency)
                        .map_or(1.0, |(_, l)| *l as f32);
                    let tf = tf as f32;
                    let norm = tf * (k1 + 1.0)
                        / (tf + k1 * (1.0 - b + b * length / index.average_description));
                    let entry = support.entry(competency).or_default();
                    entry.0 += idf * norm * q.weight;
                    entry.1.push(term);
                }
            }
            for (competency, (bm25, terms)) in support {
                let entry = out.entry(competency).or_insert(Candidate {
                    score: 0.0,
                    label_score: 0.0,
                    lang,
                    label: None,
                    description_terms: Vec::new(),
                });
                entry.score = s.description_support * bm25;
                entry.description_terms = terms;
            }
        }
        for candidate in out.values_mut() {
            if candidate.label.is_none() {
                candidate.score *= s.description_only_weight;
            }
            candidate.score += candidate.label_score;
        }
        out
    }

    /// Turns a scored candidate into a suggestion with its matched terms.
    fn explain(
        &self,
        competency: u32,
        candidate: Candidate,
        terms: &HashMap<u32, QueryTerm>,
    ) -> Suggestion {
        let lang = candidate.lang;
        let index = &self.langs[lang.index()];
        let mut matched = Vec::new();
        let mut label_text = index
            .preferred
            .get(&competency)
            .map(|p| p.to_string())
            .unwrap_or_default();
        if let Some(label_id) = candidate.label {
            let label = &index.labels[label_id as usize];
            label_text = label.text.to_string();
            for (term, word) in &label.terms {
                if let Some(q) = terms.get(term) {
                    matched.push(MatchedTerm {
                        text_word: q.surface.clone(),
                        competency_word: word.to_string(),
                        label: label.text.to_string(),
                        field: match label.field {
                            LabelField::Preferred => MatchField::Preferred,
                            LabelField::Alternative => MatchField::Alternative,
                        },
                        lang: lang.code().to_owned(),
                        in_title: q.in_title,
                    });
                }
            }
        }
        if !candidate.description_terms.is_empty() {
            if let Some((description, _)) = index.descriptions.get(&competency) {
                let wanted: HashSet<u32> = candidate.description_terms.iter().copied().collect();
                let mut reported = HashSet::new();
                for word in self.stemmers.words(lang, description, 0) {
                    let Some(&term) = index.terms.get(&word.stem) else {
                        continue;
                    };
                    if !wanted.contains(&term) || !reported.insert(term) {
                        continue;
                    }
                    if let Some(q) = terms.get(&term) {
                        matched.push(MatchedTerm {
                            text_word: q.surface.clone(),
                            competency_word: word.surface.clone(),
                            label: index
                                .preferred
                                .get(&competency)
                                .map(|p| p.to_string())
                                .unwrap_or_default(),
                            field: MatchField::Description,
                            lang: lang.code().to_owned(),
                            in_title: q.in_title,
                        });
                    }
                }
            }
        }
        Suggestion {
            id: self.ids[competency as usize],
            score: candidate.score,
            label: label_text,
            matched,
        }
    }
}

#[derive(Debug)]
struct Candidate {
    score: f32,
    label_score: f32,
    lang: Lang,
    label: Option<u32>,
    description_terms: Vec<u32>,
}

/// Whether all terms of a label stand together in the text (in any order, with at most one
/// other word between them), in the title or in the description.
fn is_phrase(terms: &[(u32, Box<str>)], query: &HashMap<u32, QueryTerm>) -> bool {
    // Positions of all label terms, tagged with the term's index; find the smallest window that
    // holds every term.
    let mut positions: Vec<(u32, usize)> = Vec::new();
    for (i, (term, _)) in terms.iter().enumerate() {
        if let Some(q) = query.get(term) {
            positions.extend(q.positions.iter().map(|&p| (p, i)));
        }
    }
    positions.sort_unstable();
    let n = terms.len();
    let allowed = POSITION_STEP * n as u32;
    let mut counts = vec![0usize; n];
    let mut covered = 0;
    let mut start = 0;
    for end in 0..positions.len() {
        let (_, i) = positions[end];
        if counts[i] == 0 {
            covered += 1;
        }
        counts[i] += 1;
        while covered == n {
            let span = positions[end].0 - positions[start].0;
            if span < allowed {
                return true;
            }
            let (_, j) = positions[start];
            counts[j] -= 1;
            if counts[j] == 0 {
                covered -= 1;
            }
            start += 1;
        }
    }
    false
}
