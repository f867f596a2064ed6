#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Focused behaviour on a small hand-made framework: stemming, compounds, phrases, the reported
//! matches, and what is not proposed.

use mycel_competency_suggestions::{
    CompetencyText, LabelText, Lang, MatchField, Stemmers, SuggestionIndex,
};
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn competency(n: u128, kind: &str, labels: &[(&str, &str, &[&str], &str)]) -> CompetencyText {
    CompetencyText {
        id: id(n),
        kind: kind.to_owned(),
        labels: labels
            .iter()
            .map(|(lang, preferred, alternatives, description)| LabelText {
                lang: (*lang).to_owned(),
                preferred: (*preferred).to_owned(),
                alternatives: alternatives.iter().map(|a| (*a).to_owned()).collect(),
                description: (!description.is_empty()).then(|| (*description).to_owned()),
            })
            .collect(),
    }
}

const FORKLIFT: u128 = 1;
const INSPECT_FORKLIFT: u128 = 2;
const LICENCE: u128 = 3;
const MANAGE_STAFF: u128 = 4;
const VEHICLES_GROUP: u128 = 5;
const WAREHOUSE: u128 = 6;
const HYGIENE: u128 = 7;
const COMPLAINTS: u128 = 8;

fn index() -> SuggestionIndex {
    SuggestionIndex::build([
        competency(
            FORKLIFT,
            "skill",
            &[
                ("en", "operate forklift", &["drive a forklift", "use a forklift"], "Operate a forklift, a vehicle with a pronged device in front for lifting and carrying heavy loads."),
                ("de", "Gabelstapler bedienen", &["Gabelstapler fahren"], "Einen Gabelstapler bedienen."),
            ],
        ),
        competency(
            INSPECT_FORKLIFT,
            "skill",
            &[("en", "conduct forklift inspections", &["carry out forklift inspections"], "Inspect forklifts regularly.")],
        ),
        competency(
            LICENCE,
            "knowledge",
            &[("de", "Führerschein", &["Fahrerlaubnis"], "Berechtigung zum Führen von Fahrzeugen.")],
        ),
        competency(
            MANAGE_STAFF,
            "skill",
            &[("en", "manage staff", &["manage employees"], "Manage employees and subordinates.")],
        ),
        competency(
            VEHICLES_GROUP,
            "group",
            &[("en", "operating vehicles", &[], ""), ("de", "Fahrzeuge bedienen", &[], "")],
        ),
        competency(
            WAREHOUSE,
            "skill",
            &[("en", "manage warehouse operations", &["warehouse management"], "Manage the operations of a warehouse: storage, picking and dispatch."), ("de", "Lagerbetrieb verwalten", &[], "Den Betrieb eines Lagers verwalten.")],
        ),
        competency(
            HYGIENE,
            "skill",
            &[("en", "apply hygiene standards", &[], "Maintain hygiene when handling food."), ("de", "Hygienevorschriften anwenden", &[], "Hygiene beim Umgang mit Lebensmitteln einhalten.")],
        ),
        competency(
            COMPLAINTS,
            "skill",
            &[("en", "handle customer complaints", &["deal with complaints from customers"], "Handle complaints and negative feedback from customers."), ("de", "Kundenbeschwerden bearbeiten", &[], "")],
        ),
    ])
}

fn ids(suggestions: &[mycel_competency_suggestions::Suggestion]) -> Vec<Uuid> {
    suggestions.iter().map(|s| s.id).collect()
}

#[test]
fn stems_and_folds_both_languages() {
    let stemmers = Stemmers::default();
    assert_eq!(
        stemmers.stem(Lang::En, "operating"),
        stemmers.stem(Lang::En, "operate")
    );
    assert_eq!(stemmers.stem(Lang::En, "forklifts"), "forklift");
    assert_eq!(
        stemmers.stem(Lang::De, "führerscheins"),
        stemmers.stem(Lang::De, "führerschein")
    );
    assert_eq!(stemmers.stem(Lang::De, "führerschein"), "fuhrerschein");
    let words = stemmers.words(Lang::De, "Die Prüfung der Gabelstapler", 0);
    let stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
    assert_eq!(stems, ["prufung", "gabelstapl"]);
    assert_eq!(words[1].position, 1, "stop words do not count as positions");
}

#[test]
fn a_full_label_in_the_title_ranks_first_with_its_matched_words() {
    let suggestions = index().suggest("Operating forklifts safely", "", Some("en"), 5);
    assert_eq!(suggestions[0].id, id(FORKLIFT), "{suggestions:#?}");
    assert_eq!(suggestions[0].label, "operate forklift");
    let words: Vec<(&str, &str, MatchField, bool)> = suggestions[0]
        .matched
        .iter()
        .filter(|m| m.field != MatchField::Description)
        .map(|m| {
            (
                m.text_word.as_str(),
                m.competency_word.as_str(),
                m.field,
                m.in_title,
            )
        })
        .collect();
    assert_eq!(
        words,
        [
            ("Operating", "operate", MatchField::Preferred, true),
            ("forklifts", "forklift", MatchField::Preferred, true)
        ]
    );
    // The inspections need a word the text does not have: below the full match.
    if let Some(rank) = ids(&suggestions)
        .iter()
        .position(|i| *i == id(INSPECT_FORKLIFT))
    {
        assert!(rank > 0);
    }
}

#[test]
fn a_phrase_beats_the_same_words_scattered() {
    let index = index();
    let together = index.suggest(
        "Course",
        "How to handle customer complaints at the till.",
        Some("en"),
        5,
    );
    let scattered = index.suggest(
        "Course",
        "Handle the till. Customer contact. Complaints are rare.",
        Some("en"),
        5,
    );
    let score = |s: &[mycel_competency_suggestions::Suggestion]| {
        s.iter()
            .find(|s| s.id == id(COMPLAINTS))
            .map(|s| s.score)
            .unwrap()
    };
    assert!(
        score(&together) > score(&scattered) * 1.2,
        "{together:#?} {scattered:#?}"
    );
}

#[test]
fn alternative_labels_match_and_say_so() {
    let suggestions = index().suggest("Warehouse management for team leads", "", Some("en"), 5);
    assert_eq!(suggestions[0].id, id(WAREHOUSE), "{suggestions:#?}");
    assert_eq!(suggestions[0].label, "warehouse management");
    assert!(suggestions[0]
        .matched
        .iter()
        .any(|m| m.field == MatchField::Alternative));
}

#[test]
fn german_compounds_are_split_against_the_label_vocabulary() {
    let suggestions = index().suggest(
        "Gabelstaplerführerschein",
        "Sicheres Fahren im Lager",
        Some("de"),
        5,
    );
    let found = ids(&suggestions);
    assert!(found.contains(&id(LICENCE)), "{suggestions:#?}");
    assert!(found.contains(&id(FORKLIFT)), "{suggestions:#?}");
    let licence = suggestions.iter().find(|s| s.id == id(LICENCE)).unwrap();
    assert!(licence
        .matched
        .iter()
        .any(|m| m.text_word == "Gabelstaplerführerschein" && m.competency_word == "Führerschein"));
}

#[test]
fn specific_skills_come_before_broad_groups() {
    let suggestions = index().suggest("Operating vehicles: forklift", "", Some("en"), 5);
    let found = ids(&suggestions);
    let forklift = found.iter().position(|i| *i == id(FORKLIFT)).unwrap();
    if let Some(group) = found.iter().position(|i| *i == id(VEHICLES_GROUP)) {
        assert!(forklift < group, "{suggestions:#?}");
    }
}

#[test]
fn common_words_alone_do_not_make_a_suggestion() {
    // "manage" is in several labels; "staff" is what matters. A text with only "manage" in it
    // scores far lower (or not at all) than one with both words.
    let index = index();
    let both = index.suggest("Manage staff", "", Some("en"), 5);
    assert_eq!(both[0].id, id(MANAGE_STAFF));
    let common_only = index.suggest("Manage your day", "", Some("en"), 5);
    if let Some(weak) = common_only.iter().find(|s| s.id == id(MANAGE_STAFF)) {
        assert!(weak.score < both[0].score / 2.0, "{common_only:#?}");
    }
}

#[test]
fn empty_and_nonsense_texts_propose_nothing() {
    let index = index();
    assert!(index.suggest("", "", None, 10).is_empty());
    assert!(index.suggest("  ", "... !!", Some("de"), 10).is_empty());
    assert!(index
        .suggest("Blorf zingle", "Quax wibble snorp fnord.", None, 10)
        .is_empty());
    assert!(index
        .suggest("Operate forklift", "", Some("en"), 0)
        .is_empty());
}

#[test]
fn the_language_is_guessed_and_the_hint_respected() {
    let index = index();
    let german = index.suggest(
        "Hygienevorschriften",
        "Die Regeln für den Umgang mit Lebensmitteln.",
        None,
        3,
    );
    assert_eq!(german[0].id, id(HYGIENE));
    assert!(
        german[0].matched.iter().any(|m| m.lang == "de"),
        "{german:#?}"
    );
    let english = index.suggest(
        "Hygiene standards",
        "How to apply the standards.",
        Some("en-GB"),
        3,
    );
    assert_eq!(english[0].id, id(HYGIENE));
    assert_eq!(english[0].label, "apply hygiene standards");
}

#[test]
fn results_are_ranked_and_limited() {
    let suggestions = index().suggest(
        "Forklift, warehouse management and customer complaints",
        "Operate a forklift, manage warehouse operations, handle customer complaints, apply hygiene standards.",
        Some("en"),
        3,
    );
    assert_eq!(suggestions.len(), 3);
    assert!(suggestions.windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn german_words_reach_english_only_competencies_through_the_learned_lexicon() {
    let mut items = vec![
        competency(
            10,
            "skill",
            &[
                ("en", "resolve conflicts", &[], ""),
                ("de", "Konflikte lösen", &[], ""),
            ],
        ),
        competency(
            11,
            "skill",
            &[
                ("en", "dispose food waste", &[], ""),
                ("de", "Lebensmittelabfälle entsorgen", &[], ""),
            ],
        ),
        competency(12, "knowledge", &[("en", "food hygiene rules", &[], "")]),
        competency(13, "skill", &[("en", "conflicts", &[], "")]),
    ];
    items.push(competency(
        14,
        "skill",
        &[
            ("en", "food waste monitoring systems", &[], ""),
            ("de", "Lebensmittelabfälle überwachen", &[], ""),
        ],
    ));
    items.push(competency(
        15,
        "skill",
        &[
            ("en", "dispose waste", &[], ""),
            ("de", "Abfälle entsorgen", &[], ""),
        ],
    ));
    let index = SuggestionIndex::build(items);
    // A cognate learned from one pair of labels; a compound part learned from two.
    assert!(index
        .translations("Konflikte")
        .iter()
        .any(|(stem, _)| stem == "conflict"));
    assert!(index
        .translations("Lebensmittel")
        .iter()
        .any(|(stem, _)| stem == "food"));
    let suggestions = index.suggest("Konflikte im Team", "", Some("de"), 5);
    let management = suggestions
        .iter()
        .find(|s| s.id == id(13))
        .expect("the English-only skill");
    assert!(
        management.matched.iter().any(|m| m.lang == "en"
            && m.competency_word == "conflicts"
            && m.text_word == "Konflikte"),
        "{management:#?}"
    );
}

#[test]
fn german_words_the_lexicon_lacks_find_english_cognates() {
    let index = SuggestionIndex::build([
        competency(20, "knowledge", &[("en", "inventory", &[], "")]),
        competency(
            21,
            "skill",
            &[
                ("en", "operate forklift", &[], ""),
                ("de", "Gabelstapler bedienen", &[], ""),
            ],
        ),
    ]);
    assert!(index.translations("Inventur").is_empty());
    let suggestions = index.suggest("Inventur im Lager", "", Some("de"), 5);
    assert_eq!(ids(&suggestions), [id(20)], "{suggestions:#?}");
    assert_eq!(suggestions[0].matched[0].text_word, "Inventur");
    assert_eq!(suggestions[0].matched[0].competency_word, "inventory");
    // Short words are not guessed at ("Brand" is not "brand").
    assert!(index.suggest("Kasse", "", Some("de"), 5).is_empty());
}

#[test]
fn a_description_alone_proposes_nothing() {
    // "pronged" is only in the forklift's description.
    let suggestions = index().suggest("Pronged devices", "", Some("en"), 5);
    assert!(suggestions.is_empty(), "{suggestions:#?}");
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SuggestionIndex>();
}
