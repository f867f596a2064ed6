//! How the competency pages say things: labels in the page's language (marked when they fall back
//! to another language), level names of the default scale, confidence in words, numbers, dates,
//! and the words for kinds of competencies, evidence and requirements. Shared by the framework
//! browser, "My skills", the team pages and the role profile editor.

use crate::i18n::{I18n, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use mycel_competency::framework::Labels;
use mycel_competency::scale::Level;
use mycel_competency::{
    CompetencyKind, EvidenceKind, FrameworkImport, FrameworkKind, ProficiencyScale, RequirementKind,
};
use mycel_store::competencies::{CompetencyRecord, Framework};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The one scale every level is shown on.
static SCALE: LazyLock<ProficiencyScale> = LazyLock::new(ProficiencyScale::default_scale);

/// A label in the page's language, or in another one, marked.
#[derive(Debug, Clone)]
pub struct LabelView {
    pub text: String,
    pub description: Option<String>,
    /// The language of a fallback label (for the `lang` attribute), and the marker shown after it.
    pub fallback_lang: Option<String>,
    pub fallback: Option<String>,
}

/// The label of an item in the page's language; in English (or any language) if there is none,
/// marked as such; the URI if the item has no label at all.
pub fn label(labels: &Labels, uri: &str, t: &I18n) -> LabelView {
    let lang = t.code();
    match FrameworkImport::pick_label(labels, lang) {
        Some((label, false)) => LabelView {
            text: label.preferred.clone(),
            description: label.description.clone().filter(|d| !d.trim().is_empty()),
            fallback_lang: None,
            fallback: None,
        },
        Some((label, true)) => {
            let (fallback_lang, marker) = if labels.contains_key("en") {
                ("en".to_owned(), t.get("label-fallback-english"))
            } else {
                (
                    labels.keys().next().cloned().unwrap_or_default(),
                    t.get("label-fallback-other"),
                )
            };
            LabelView {
                text: label.preferred.clone(),
                description: label.description.clone().filter(|d| !d.trim().is_empty()),
                fallback_lang: Some(fallback_lang),
                fallback: Some(marker),
            }
        }
        None => LabelView {
            text: uri.to_owned(),
            description: None,
            fallback_lang: None,
            fallback: None,
        },
    }
}

pub fn competency_label(competency: &CompetencyRecord, t: &I18n) -> LabelView {
    label(&competency.labels, &competency.uri, t)
}

/// A framework's title in the page's language.
pub fn framework_title(framework: &Framework, t: &I18n) -> String {
    let title = match t.lang {
        Lang::De if !framework.title_de.trim().is_empty() => &framework.title_de,
        _ if !framework.title_en.trim().is_empty() => &framework.title_en,
        _ => &framework.title_de,
    };
    if title.trim().is_empty() {
        framework.uri.clone()
    } else {
        title.clone()
    }
}

/// A number with one decimal, with a decimal comma in German.
pub fn number(value: f64, t: &I18n) -> String {
    let text = format!("{value:.1}");
    match t.lang {
        Lang::De => text.replace('.', ","),
        Lang::En => text,
    }
}

/// A share (0–1) as a whole percentage.
pub fn percent(share: f64) -> String {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    format!("{:.0} %", share * 100.0)
}

/// The name of the level of the default scale nearest to `level`.
pub fn level_name(level: Level, t: &I18n) -> String {
    let value = SCALE.from_default(level);
    SCALE
        .level(value)
        .map(|l| l.label.get(t.code()).to_owned())
        .unwrap_or_default()
}

/// A level as people read it: its name and the number ("Advanced (3.0)").
pub fn level_text(level: Level, t: &I18n) -> String {
    format!("{} ({})", level_name(level, t), number(level.value(), t))
}

/// One choice of a level in a form.
#[derive(Debug, Clone)]
pub struct LevelOption {
    pub value: String,
    pub label: String,
    pub descriptor: String,
    pub selected: bool,
}

/// The five levels of the default scale with their descriptors; `selected` is preselected. A
/// level between whole levels (a role target set through the API) is offered as well, so that
/// saving a form keeps it.
pub fn level_options(selected: Option<f64>, t: &I18n) -> Vec<LevelOption> {
    let mut options: Vec<LevelOption> = SCALE
        .levels()
        .iter()
        .map(|level| LevelOption {
            value: level.value.to_string(),
            label: format!("{} – {}", level.value, level.label.get(t.code())),
            descriptor: level.descriptor.get(t.code()).to_owned(),
            selected: selected.is_some_and(|s| (s - f64::from(level.value)).abs() < 1e-9),
        })
        .collect();
    if let Some(value) = selected.filter(|s| s.fract().abs() > 1e-9) {
        if let Some(level) = Level::new(value) {
            let position = options
                .iter()
                .position(|o| o.value.parse::<f64>().is_ok_and(|v| v > value))
                .unwrap_or(options.len());
            options.insert(
                position,
                LevelOption {
                    value: value.to_string(),
                    label: level_text(level, t),
                    descriptor: String::new(),
                    selected: true,
                },
            );
        }
    }
    options
}

/// A level as typed into a form: a number from 0 to 4 (a comma counts as a decimal point).
pub fn parse_level(value: &str) -> Option<f64> {
    let value: f64 = value.trim().replace(',', ".").parse().ok()?;
    Level::new(value).map(Level::value)
}

/// A whole level 0–4, as the rating forms offer.
pub fn parse_whole_level(value: &str) -> Option<f64> {
    parse_level(value).filter(|v| v.fract() == 0.0)
}

/// Confidence in words with its percentage ("medium (52 %)").
pub fn confidence(value: f64, t: &I18n) -> String {
    let word = if value < 0.34 {
        t.get("confidence-low")
    } else if value < 0.67 {
        t.get("confidence-medium")
    } else {
        t.get("confidence-high")
    };
    format!("{word} ({})", percent(value))
}

pub fn date(at: DateTime<Utc>, t: &I18n) -> String {
    day(at.date_naive(), t)
}

pub fn day(day: NaiveDate, t: &I18n) -> String {
    match t.lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

pub fn competency_kind(kind: CompetencyKind, t: &I18n) -> String {
    match kind {
        CompetencyKind::Skill => t.get("competency-kind-skill"),
        CompetencyKind::Knowledge => t.get("competency-kind-knowledge"),
        CompetencyKind::Group => t.get("competency-kind-group"),
        CompetencyKind::Competency => t.get("competency-kind-competency"),
    }
}

pub fn evidence_kind(kind: EvidenceKind, t: &I18n) -> String {
    match kind {
        EvidenceKind::SelfAssessment => t.get("evidence-kind-self-assessment"),
        EvidenceKind::ManagerAssessment => t.get("evidence-kind-manager-assessment"),
        EvidenceKind::PeerAssessment => t.get("evidence-kind-peer-assessment"),
        EvidenceKind::TrainerAssessment => t.get("evidence-kind-trainer-assessment"),
        EvidenceKind::TestResult => t.get("evidence-kind-test-result"),
        EvidenceKind::Statement => t.get("evidence-kind-statement"),
        EvidenceKind::Credential => t.get("evidence-kind-credential"),
        EvidenceKind::Journal => t.get("evidence-kind-journal"),
    }
}

/// A role profile line's kind.
pub fn requirement_kind(kind: RequirementKind, t: &I18n) -> String {
    match kind {
        RequirementKind::Required => t.get("requirement-required"),
        RequirementKind::Desired => t.get("requirement-desired"),
    }
}

/// An ESCO occupation's relation to a skill, in ESCO's words.
pub fn occupation_requirement(kind: RequirementKind, t: &I18n) -> String {
    match kind {
        RequirementKind::Required => t.get("occupation-essential"),
        RequirementKind::Desired => t.get("occupation-optional"),
    }
}

/// The frameworks a tenant sees, by id, to tell which items come from ESCO (whose terms require
/// an attribution wherever its content is shown).
#[derive(Debug, Default)]
pub struct Frameworks(HashMap<mycel_organisation::FrameworkId, Framework>);

impl Frameworks {
    pub fn new(list: Vec<Framework>) -> Self {
        Self(list.into_iter().map(|f| (f.id, f)).collect())
    }

    pub fn is_esco(&self, id: mycel_organisation::FrameworkId) -> bool {
        self.0
            .get(&id)
            .is_some_and(|f| f.kind == FrameworkKind::Esco)
    }

    pub fn get(&self, id: mycel_organisation::FrameworkId) -> Option<&Framework> {
        self.0.get(&id)
    }

    pub fn all(&self) -> impl Iterator<Item = &Framework> {
        self.0.values()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_parsed_strictly() {
        assert_eq!(parse_level("2"), Some(2.0));
        assert_eq!(parse_level(" 2,5 "), Some(2.5));
        assert_eq!(parse_level("4.1"), None);
        assert_eq!(parse_level("-0.5"), None);
        assert_eq!(parse_level("NaN"), None);
        assert_eq!(parse_level("inf"), None);
        assert_eq!(parse_level(""), None);
        assert_eq!(parse_whole_level("2.5"), None);
        assert_eq!(parse_whole_level("3"), Some(3.0));
    }

    #[test]
    fn numbers_and_levels_read_in_the_pages_language() {
        let de = I18n::new(Lang::De);
        let en = I18n::new(Lang::En);
        assert_eq!(number(2.26, &en), "2.3");
        assert_eq!(number(2.0, &de), "2,0");
        let three = Level::new(3.0).unwrap_or(Level::ZERO);
        assert_eq!(level_text(three, &en), "Advanced (3.0)");
        assert_eq!(level_text(three, &de), "Erfahren (3,0)");
        let options = level_options(Some(2.5), &en);
        assert_eq!(options.len(), 6);
        assert!(options[3].selected && options[3].value == "2.5");
    }
}
