//! Shared by `tests/quality.rs` and `examples/suggestion_quality.rs`: ESCO as `CompetencyText`s,
//! the two evaluations and their figures.
#![allow(dead_code)]

use mycel_competency::framework::{FrameworkImport, RequirementKind};
use mycel_competency_suggestions::{CompetencyText, LabelText, SuggestionIndex};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use uuid::Uuid;

/// The id a competency URI gets in these evaluations.
pub fn id_of(uri: &str) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, uri.as_bytes())
}

/// Reads ESCO (English classification and relations, German labels) from `dir`.
pub fn load_esco(dir: &Path) -> Result<FrameworkImport, String> {
    let (framework, _) = mycel_framework_import::read_esco_files(
        &dir.join("esco-v1.1.1-classification-en-csv.zip"),
        &dir.join("esco-v1.1.1-relations-csv.zip"),
        &[dir.join("esco-v1.2.1-classification-de-partial-csv.zip")],
        None,
    )
    .map_err(|e| format!("cannot read ESCO from {}: {e}", dir.display()))?;
    Ok(framework)
}

/// The competencies only: no occupation and none of their requirements reach the index.
pub fn competency_texts(framework: &FrameworkImport) -> Vec<CompetencyText> {
    framework
        .competencies
        .iter()
        .map(|c| CompetencyText {
            id: id_of(&c.uri),
            kind: c.kind.as_str().to_owned(),
            labels: c
                .labels
                .iter()
                .map(|(lang, label)| LabelText {
                    lang: lang.clone(),
                    preferred: label.preferred.clone(),
                    alternatives: label.alternatives.clone(),
                    description: label.description.clone(),
                })
                .collect(),
        })
        .collect()
}

#[derive(Debug, Default, Clone, Copy)]
pub struct OccupationFigures {
    pub queries: usize,
    pub recall_at_10: f64,
    pub precision_at_5: f64,
    pub mrr: f64,
    pub ndcg_at_10: f64,
}

/// ESCO occupations as pseudo-courses: preferred label as title, description as text, essential
/// skills/knowledge as the gold set. In German, only occupations with a German description, and
/// (`german_gold_only`) only gold competencies that have a German label.
pub fn evaluate_occupations(
    index: &SuggestionIndex,
    framework: &FrameworkImport,
    lang: &str,
    every_nth: usize,
    german_gold_only: bool,
) -> OccupationFigures {
    let with_lang: HashSet<Uuid> = framework
        .competencies
        .iter()
        .filter(|c| c.labels.contains_key(lang))
        .map(|c| id_of(&c.uri))
        .collect();
    let mut f = OccupationFigures::default();
    for occupation in framework.occupations.iter().step_by(every_nth.max(1)) {
        let Some(label) = occupation.labels.get(lang) else {
            continue;
        };
        let Some(description) = label.description.as_deref() else {
            continue;
        };
        let gold: HashSet<Uuid> = occupation
            .requirements
            .iter()
            .filter(|r| r.kind == RequirementKind::Required)
            .map(|r| id_of(&r.competency_uri))
            .filter(|id| !german_gold_only || with_lang.contains(id))
            .collect();
        if gold.is_empty() {
            continue;
        }
        let ranked: Vec<Uuid> = index
            .suggest(&label.preferred, description, Some(lang), 10)
            .into_iter()
            .map(|s| s.id)
            .collect();
        f.queries += 1;
        let hits10 = ranked.iter().filter(|id| gold.contains(id)).count();
        f.recall_at_10 += hits10 as f64 / gold.len().min(10) as f64;
        f.precision_at_5 +=
            ranked.iter().take(5).filter(|id| gold.contains(id)).count() as f64 / 5.0;
        if let Some(rank) = ranked.iter().position(|id| gold.contains(id)) {
            f.mrr += 1.0 / (rank as f64 + 1.0);
        }
        let dcg: f64 = ranked
            .iter()
            .enumerate()
            .filter(|(_, id)| gold.contains(id))
            .map(|(i, _)| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        let ideal: f64 = (0..gold.len().min(10))
            .map(|i| 1.0 / (i as f64 + 2.0).log2())
            .sum();
        f.ndcg_at_10 += dcg / ideal;
    }
    let n = f.queries.max(1) as f64;
    f.recall_at_10 /= n;
    f.precision_at_5 /= n;
    f.mrr /= n;
    f.ndcg_at_10 /= n;
    f
}

#[derive(Debug, Deserialize)]
pub struct CourseText {
    pub lang: String,
    pub title: String,
    pub description: String,
    pub gold: Vec<Gold>,
}

#[derive(Debug, Deserialize)]
pub struct Gold {
    pub uri: String,
    pub label_en: String,
    #[serde(default)]
    pub label_de: Option<String>,
}

pub fn course_texts() -> Vec<CourseText> {
    let text = include_str!("../course_texts.json");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("tests/course_texts.json: {e}"))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct CourseFigures {
    pub queries: usize,
    pub hit_at_5: f64,
    pub recall_at_10: f64,
    pub mrr: f64,
}

/// Hit@5, recall@10 and MRR over the course texts in `lang`; `report` gets each text's ranks.
pub fn evaluate_courses(
    index: &SuggestionIndex,
    courses: &[CourseText],
    lang: &str,
    mut report: impl FnMut(&CourseText, &[(Uuid, String, f32)], &HashSet<Uuid>),
) -> CourseFigures {
    let mut f = CourseFigures::default();
    for course in courses.iter().filter(|c| c.lang == lang) {
        let gold: HashSet<Uuid> = course.gold.iter().map(|g| id_of(&g.uri)).collect();
        let ranked: Vec<(Uuid, String, f32)> = index
            .suggest(&course.title, &course.description, Some(lang), 10)
            .into_iter()
            .map(|s| (s.id, s.label, s.score))
            .collect();
        report(course, &ranked, &gold);
        f.queries += 1;
        if ranked.iter().take(5).any(|(id, _, _)| gold.contains(id)) {
            f.hit_at_5 += 1.0;
        }
        f.recall_at_10 +=
            ranked.iter().filter(|(id, _, _)| gold.contains(id)).count() as f64 / gold.len() as f64;
        if let Some(rank) = ranked.iter().position(|(id, _, _)| gold.contains(id)) {
            f.mrr += 1.0 / (rank as f64 + 1.0);
        }
    }
    let n = f.queries.max(1) as f64;
    f.hit_at_5 /= n;
    f.recall_at_10 /= n;
    f.mrr /= n;
    f
}
