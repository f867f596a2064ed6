#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The quality floors: the hand-made course texts and a sample of ESCO occupations, on the real
//! ESCO files. The floors sit somewhat below the figures measured (README), so that a change that
//! makes the suggestions worse fails here.

mod common;

use common::eval;
use mycel_competency_suggestions::SuggestionIndex;
use std::path::PathBuf;
use std::sync::OnceLock;

fn esco() -> &'static (
    mycel_competency::framework::FrameworkImport,
    SuggestionIndex,
) {
    static ESCO: OnceLock<(
        mycel_competency::framework::FrameworkImport,
        SuggestionIndex,
    )> = OnceLock::new();
    ESCO.get_or_init(|| {
        let dir = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/esco"
        ));
        assert!(
            dir.exists(),
            "test data missing: {} (the shared data directory must sit beside the checkout)",
            dir.display()
        );
        let framework = eval::load_esco(&dir).unwrap();
        let index = SuggestionIndex::build(eval::competency_texts(&framework));
        (framework, index)
    })
}

#[test]
fn hand_made_course_texts_in_english() {
    let (_, index) = esco();
    let f = eval::evaluate_courses(index, &eval::course_texts(), "en", |_, _, _| {});
    println!("{f:?}");
    assert_eq!(f.queries, 20);
    assert!(f.hit_at_5 >= 0.85, "{f:?}");
    assert!(f.recall_at_10 >= 0.75, "{f:?}");
    assert!(f.mrr >= 0.8, "{f:?}");
}

#[test]
fn hand_made_course_texts_in_german() {
    let (_, index) = esco();
    let f = eval::evaluate_courses(index, &eval::course_texts(), "de", |_, _, _| {});
    println!("{f:?}");
    assert_eq!(f.queries, 20);
    assert!(f.hit_at_5 >= 0.6, "{f:?}");
    assert!(f.recall_at_10 >= 0.47, "{f:?}");
    assert!(f.mrr >= 0.58, "{f:?}");
}

#[test]
fn every_gold_uri_of_the_course_texts_is_an_esco_competency() {
    let (framework, _) = esco();
    for course in eval::course_texts() {
        assert!((1..=5).contains(&course.gold.len()), "{}", course.title);
        for gold in &course.gold {
            let competency = framework
                .competencies
                .iter()
                .find(|c| c.uri == gold.uri)
                .unwrap_or_else(|| panic!("{} is not in ESCO", gold.uri));
            assert_eq!(competency.labels["en"].preferred, gold.label_en);
        }
    }
}

#[test]
fn a_sample_of_occupations_as_pseudo_courses() {
    let (framework, index) = esco();
    // Every 15th occupation keeps the debug build quick; the example measures all of them.
    let en = eval::evaluate_occupations(index, framework, "en", 15, false);
    println!("en {en:?}");
    assert!(en.queries >= 190, "{en:?}");
    assert!(en.recall_at_10 >= 0.2, "{en:?}");
    assert!(en.precision_at_5 >= 0.27, "{en:?}");
    assert!(en.mrr >= 0.55, "{en:?}");
    assert!(en.ndcg_at_10 >= 0.24, "{en:?}");
    let de = eval::evaluate_occupations(index, framework, "de", 15, false);
    println!("de {de:?}");
    assert!(de.recall_at_10 >= 0.07, "{de:?}");
    assert!(de.mrr >= 0.18, "{de:?}");
}
