//! Measures the suggestions on ESCO: occupations as pseudo-courses and the hand-made course
//! texts of `tests/course_texts.json`.
//!
//! `cargo run --release -p mycel-competency-suggestions --example suggestion_quality -- --esco /work/shared/data/esco [--verbose]`
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/eval.rs"]
mod eval;

use mycel_competency_suggestions::{Scoring, SuggestionIndex};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut esco = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/esco"
    ));
    let mut verbose = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--esco" => esco = PathBuf::from(args.next().expect("--esco needs a directory")),
            "--verbose" => verbose = true,
            other => panic!("unknown argument {other}"),
        }
    }
    let started = Instant::now();
    let framework = eval::load_esco(&esco).unwrap_or_else(|e| panic!("{e}"));
    println!("ESCO read in {:.2?}", started.elapsed());
    let texts = eval::competency_texts(&framework);
    let count = texts.len();
    let started = Instant::now();
    let mut scoring = Scoring::default();
    // SCORING="description_support=0.3,phrase_bonus=1" tries other weights.
    for setting in std::env::var("SCORING")
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
    {
        let (key, value) = setting.split_once('=').expect("key=value");
        let value: f32 = value.parse().expect("a number");
        if key == "description_lexicon" {
            scoring.description_lexicon = value != 0.0;
            continue;
        }
        if key == "query_cognates" {
            scoring.query_cognates = value != 0.0;
            continue;
        }
        let field = match key {
            "description_weight" => &mut scoring.description_weight,
            "compound_part_weight" => &mut scoring.compound_part_weight,
            "alternative_weight" => &mut scoring.alternative_weight,
            "coverage_exponent" => &mut scoring.coverage_exponent,
            "min_coverage" => &mut scoring.min_coverage,
            "phrase_bonus" => &mut scoring.phrase_bonus,
            "description_support" => &mut scoring.description_support,
            "description_only_weight" => &mut scoring.description_only_weight,
            "other_language_weight" => &mut scoring.other_language_weight,
            "translation_weight" => &mut scoring.translation_weight,
            "group_weight" => &mut scoring.group_weight,
            "min_score" => &mut scoring.min_score,
            other => panic!("unknown scoring field {other}"),
        };
        *field = value;
    }
    let index = SuggestionIndex::build_with(texts, scoring);
    println!(
        "index of {count} competencies built in {:.2?}",
        started.elapsed()
    );

    if let Ok(words) = std::env::var("TRANSLATE") {
        for word in words.split(',') {
            println!("{word} → {:?}", index.translations(word));
        }
        return;
    }
    for (lang, german_gold_only) in [("en", false), ("de", false), ("de", true)] {
        let started = Instant::now();
        let f = eval::evaluate_occupations(&index, &framework, lang, 1, german_gold_only);
        println!(
            "occupations {lang}{}: n={} recall@10={:.3} precision@5={:.3} MRR={:.3} nDCG@10={:.3} ({:.1} ms/query)",
            if german_gold_only { " (gold with German label)" } else { "" },
            f.queries, f.recall_at_10, f.precision_at_5, f.mrr, f.ndcg_at_10,
            started.elapsed().as_secs_f64() * 1000.0 / f.queries.max(1) as f64
        );
    }
    let courses = eval::course_texts();
    for lang in ["en", "de"] {
        let f = eval::evaluate_courses(&index, &courses, lang, |course, ranked, gold| {
            if !verbose {
                return;
            }
            println!("\n[{lang}] {}", course.title);
            for g in &course.gold {
                let rank = ranked
                    .iter()
                    .position(|(id, _, _)| *id == eval::id_of(&g.uri));
                println!("  gold {:?} {}", rank.map(|r| r + 1), g.label_en);
            }
            for (i, (id, label, score)) in ranked.iter().enumerate().take(6) {
                let mark = if gold.contains(id) { "*" } else { " " };
                println!("  {mark}{:2}. {score:6.2} {label}", i + 1);
            }
        });
        println!(
            "course texts {lang}: n={} hit@5={:.3} recall@10={:.3} MRR={:.3}",
            f.queries, f.hit_at_5, f.recall_at_10, f.mrr
        );
    }
}
