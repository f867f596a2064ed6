//! A learning opportunity ("Lernangebot") as an editor writes it, and the rules it must follow.

use crate::audience::AudienceEntry;
use crate::program::{ElectiveGroup, PartKind, ProgramPart};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_organisation::{CompetencyId, OpportunityId, PackageId, ProviderId};
use serde::{Deserialize, Serialize};

/// How people learn with an opportunity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Modality {
    /// An e-learning package (cmi5, SCORM 1.2, SCORM 2004) played in Mycel.
    ELearning,
    Video,
    Document,
    /// A page somewhere else on the web.
    WebLink,
    /// A classroom course ("Präsenzschulung") with dated sessions.
    Classroom,
    /// A blended program: an ordered sequence of other opportunities.
    Blended,
    Mentoring,
    /// A task done at work, with a description of what to do ("Lernen im Prozess der Arbeit").
    OnTheJob,
    /// A community of practice.
    Community,
}

impl Modality {
    pub const ALL: [Modality; 9] = [
        Self::ELearning,
        Self::Video,
        Self::Document,
        Self::WebLink,
        Self::Classroom,
        Self::Blended,
        Self::Mentoring,
        Self::OnTheJob,
        Self::Community,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ELearning => "e-learning",
            Self::Video => "video",
            Self::Document => "document",
            Self::WebLink => "web-link",
            Self::Classroom => "classroom",
            Self::Blended => "blended",
            Self::Mentoring => "mentoring",
            Self::OnTheJob => "on-the-job",
            Self::Community => "community",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// Opportunities of these modalities are a link to somewhere else and need its address.
    pub fn needs_link(self) -> bool {
        matches!(self, Self::Video | Self::Document | Self::WebLink)
    }
}

/// Where an opportunity is in its life. Only published opportunities are seen by learners.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifecycle {
    Draft,
    Published,
    /// No longer offered; kept for the records of those who took it.
    Retired,
}

impl Lifecycle {
    pub const ALL: [Lifecycle; 3] = [Self::Draft, Self::Published, Self::Retired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Retired => "retired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// Drafts are published, published ones retired, retired ones published again; nothing goes
    /// back to draft once people may have seen it.
    pub fn may_become(self, next: Lifecycle) -> bool {
        matches!(
            (self, next),
            (Self::Draft, Self::Published)
                | (Self::Draft, Self::Retired)
                | (Self::Published, Self::Retired)
                | (Self::Retired, Self::Published)
        ) || self == next
    }
}

/// What taking part costs per person, in the smallest unit of an ISO 4217 currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cost {
    pub cents: u64,
    pub currency: String,
}

/// The opportunity teaches this competency up to this level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    pub competency_id: CompetencyId,
    pub level: Level,
}

/// What a learner should bring.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Prerequisite {
    /// A competency at least at this level.
    Competency {
        competency_id: CompetencyId,
        level: Level,
    },
    /// Another opportunity, completed first.
    Opportunity { opportunity_id: OpportunityId },
}

/// Everything an editor writes about an opportunity (the store adds id, owner, lifecycle and
/// times).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpportunityDraft {
    pub modality: Modality,
    pub title: LocalizedText,
    pub description: LocalizedText,
    /// The language the opportunity is held or written in (`de`, `en`, `tr`, …).
    pub content_language: String,
    pub duration_minutes: Option<u32>,
    /// `None`: made by the company itself.
    pub provider_id: Option<ProviderId>,
    pub cost: Option<Cost>,
    /// Who may find it; empty: everyone of the owning company.
    pub audience: Vec<AudienceEntry>,
    pub alignments: Vec<Alignment>,
    pub prerequisites: Vec<Prerequisite>,
    /// Compliance training ("Pflichtschulung"): a completion is valid this many months, then the
    /// person must take it again.
    pub recertify_after_months: Option<u16>,
    /// The address of a video, document or web page; the online room of other kinds.
    pub link: Option<String>,
    /// The package an e-learning opportunity plays.
    pub package_id: Option<PackageId>,
    /// The parts of a blended program, in order, each required, optional or elective.
    pub parts: Vec<ProgramPart>,
    /// The program's elective groups ("choose k of these"), which elective parts name by position.
    #[serde(default)]
    pub elective_groups: Vec<ElectiveGroup>,
}

/// Why an opportunity was refused; each names the field (as in the API) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OpportunityError {
    #[error("title: give a title in German or English")]
    MissingTitle,
    #[error("{field}: at most {max} characters")]
    TooLong { field: &'static str, max: usize },
    #[error("content_language: {0:?} is not a language code such as \"de\" or \"en\"")]
    Language(String),
    #[error("duration_minutes: must be between 1 and 100000")]
    Duration,
    #[error("cost.currency: {0:?} is not an ISO 4217 code such as \"EUR\"")]
    Currency(String),
    #[error("cost.cents: at most 1000000000")]
    CostTooHigh,
    #[error("link: a {modality} needs the address of what it links to")]
    MissingLink { modality: &'static str },
    #[error("link: {0:?} is not an http or https address")]
    Link(String),
    #[error("package_id: only e-learning opportunities play a package")]
    PackageNotELearning,
    #[error("package_id: an e-learning opportunity needs a package before it is published")]
    MissingPackage,
    #[error("parts: only a blended program has parts")]
    PartsNotBlended,
    #[error("parts: a blended program needs at least two parts before it is published")]
    TooFewParts,
    #[error("parts: a program cannot contain itself or the same part twice")]
    PartRepeated,
    #[error("parts: at most {max} parts")]
    TooManyParts { max: usize },
    #[error("parts: part {part} belongs to elective group {group}, which does not exist")]
    UnknownGroup { part: usize, group: usize },
    #[error(
        "parts: a program needs at least one required or elective part before it is published"
    )]
    NoCountedPart,
    #[error("elective_groups: only a blended program has elective groups")]
    GroupsNotBlended,
    #[error("elective_groups: group {group} needs a label in German or English")]
    GroupLabel { group: usize },
    #[error("elective_groups: {group} needs at least two parts, it has {parts}")]
    GroupTooSmall { group: String, parts: usize },
    #[error("elective_groups: {group} cannot choose {choose} of its {parts} parts (choose 1 to {parts})")]
    GroupChoice {
        group: String,
        choose: u16,
        parts: usize,
    },
    #[error("alignments: competency {0} appears twice")]
    AlignmentRepeated(CompetencyId),
    #[error("alignments: the level an opportunity teaches to must be above 0")]
    AlignmentLevel,
    #[error("prerequisites: an opportunity cannot require itself, nor the same thing twice")]
    PrerequisiteRepeated,
    #[error("recertify_after_months: must be between 1 and 240")]
    Recertification,
    #[error("audience: an entry appears twice")]
    AudienceRepeated,
    #[error("{what}: {path} form a cycle")]
    Cycle { what: &'static str, path: String },
    #[error("lifecycle: a {from} opportunity cannot become {to}")]
    Lifecycle {
        from: &'static str,
        to: &'static str,
    },
}

impl OpportunityError {
    /// The field (as the API names it) the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::MissingTitle => "title",
            Self::TooLong { field, .. } => field,
            Self::Language(_) => "content_language",
            Self::Duration => "duration_minutes",
            Self::Currency(_) => "cost.currency",
            Self::CostTooHigh => "cost.cents",
            Self::MissingLink { .. } | Self::Link(_) => "link",
            Self::PackageNotELearning | Self::MissingPackage => "package_id",
            Self::PartsNotBlended
            | Self::TooFewParts
            | Self::PartRepeated
            | Self::TooManyParts { .. }
            | Self::UnknownGroup { .. }
            | Self::NoCountedPart => "parts",
            Self::GroupsNotBlended
            | Self::GroupLabel { .. }
            | Self::GroupTooSmall { .. }
            | Self::GroupChoice { .. } => "elective_groups",
            Self::AlignmentRepeated(_) | Self::AlignmentLevel => "alignments",
            Self::PrerequisiteRepeated => "prerequisites",
            Self::Recertification => "recertify_after_months",
            Self::AudienceRepeated => "audience",
            Self::Cycle { what, .. } => what,
            Self::Lifecycle { .. } => "lifecycle",
        }
    }

    /// What is wrong, without the field.
    pub fn reason(&self) -> String {
        crate::reason_of(self.to_string())
    }
}

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 20_000;
pub const MAX_LINK: usize = 2_000;

impl OpportunityDraft {
    /// A draft with a title and nothing else, for tests and for packages just uploaded.
    pub fn new(modality: Modality, title: LocalizedText, content_language: &str) -> Self {
        Self {
            modality,
            title,
            description: LocalizedText::default(),
            content_language: content_language.to_owned(),
            duration_minutes: None,
            provider_id: None,
            cost: None,
            audience: Vec::new(),
            alignments: Vec::new(),
            prerequisites: Vec::new(),
            recertify_after_months: None,
            link: None,
            package_id: None,
            parts: Vec::new(),
            elective_groups: Vec::new(),
        }
    }

    /// The ids of the program's parts, in order.
    pub fn part_ids(&self) -> Vec<OpportunityId> {
        self.parts.iter().map(|p| p.opportunity_id).collect()
    }

    /// The rules every saved opportunity follows (`id`: its own id, when it has one, so that it
    /// cannot require or contain itself). Drafts may still lack their package or parts;
    /// [`OpportunityDraft::check_publishable`] adds those rules.
    pub fn validate(&self, id: Option<OpportunityId>) -> Result<(), OpportunityError> {
        use OpportunityError as E;
        if self.title.is_blank() {
            return Err(E::MissingTitle);
        }
        for (field, text, max) in [
            ("title.de", &self.title.de, MAX_TITLE),
            ("title.en", &self.title.en, MAX_TITLE),
            ("description.de", &self.description.de, MAX_DESCRIPTION),
            ("description.en", &self.description.en, MAX_DESCRIPTION),
        ] {
            if text.chars().count() > max {
                return Err(E::TooLong { field, max });
            }
        }
        if !is_language_code(&self.content_language) {
            return Err(E::Language(self.content_language.clone()));
        }
        if self
            .duration_minutes
            .is_some_and(|d| !(1..=100_000).contains(&d))
        {
            return Err(E::Duration);
        }
        if let Some(cost) = &self.cost {
            if cost.currency.len() != 3 || !cost.currency.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(E::Currency(cost.currency.clone()));
            }
            if cost.cents > 1_000_000_000 {
                return Err(E::CostTooHigh);
            }
        }
        match &self.link {
            Some(link) if link.chars().count() > MAX_LINK => {
                return Err(E::TooLong {
                    field: "link",
                    max: MAX_LINK,
                })
            }
            Some(link) if !is_web_address(link) => return Err(E::Link(link.clone())),
            None if self.modality.needs_link() => {
                return Err(E::MissingLink {
                    modality: self.modality.as_str(),
                })
            }
            _ => {}
        }
        if self.package_id.is_some() && self.modality != Modality::ELearning {
            return Err(E::PackageNotELearning);
        }
        if !self.parts.is_empty() && self.modality != Modality::Blended {
            return Err(E::PartsNotBlended);
        }
        if !self.elective_groups.is_empty() && self.modality != Modality::Blended {
            return Err(E::GroupsNotBlended);
        }
        let mut parts = self.part_ids();
        parts.sort();
        parts.dedup();
        if parts.len() != self.parts.len() || id.is_some_and(|id| parts.contains(&id)) {
            return Err(E::PartRepeated);
        }
        crate::program::check_structure(&self.parts, &self.elective_groups)?;
        let mut competencies: Vec<CompetencyId> = Vec::new();
        for alignment in &self.alignments {
            if competencies.contains(&alignment.competency_id) {
                return Err(E::AlignmentRepeated(alignment.competency_id));
            }
            if alignment.level <= Level::ZERO {
                return Err(E::AlignmentLevel);
            }
            competencies.push(alignment.competency_id);
        }
        for (i, prerequisite) in self.prerequisites.iter().enumerate() {
            let same = |other: &Prerequisite| match (prerequisite, other) {
                (
                    Prerequisite::Competency {
                        competency_id: a, ..
                    },
                    Prerequisite::Competency {
                        competency_id: b, ..
                    },
                ) => a == b,
                (
                    Prerequisite::Opportunity { opportunity_id: a },
                    Prerequisite::Opportunity { opportunity_id: b },
                ) => a == b,
                _ => false,
            };
            let itself = matches!(prerequisite,
                Prerequisite::Opportunity { opportunity_id } if Some(*opportunity_id) == id);
            if itself || self.prerequisites[..i].iter().any(same) {
                return Err(E::PrerequisiteRepeated);
            }
        }
        if self
            .recertify_after_months
            .is_some_and(|m| !(1..=240).contains(&m))
        {
            return Err(E::Recertification);
        }
        for (i, entry) in self.audience.iter().enumerate() {
            if self.audience[..i].contains(entry) {
                return Err(E::AudienceRepeated);
            }
        }
        Ok(())
    }

    /// The rules a published opportunity follows on top of [`OpportunityDraft::validate`].
    pub fn check_publishable(&self) -> Result<(), OpportunityError> {
        if self.modality == Modality::ELearning && self.package_id.is_none() {
            return Err(OpportunityError::MissingPackage);
        }
        if self.modality == Modality::Blended && self.parts.len() < 2 {
            return Err(OpportunityError::TooFewParts);
        }
        if self.modality == Modality::Blended
            && self.parts.iter().all(|p| p.kind == PartKind::Optional)
        {
            return Err(OpportunityError::NoCountedPart);
        }
        Ok(())
    }

    /// The other opportunities this one must come after: required ones and, for a program, its
    /// parts (a program cannot be its own part's prerequisite either).
    pub fn depends_on(&self) -> Vec<OpportunityId> {
        let mut ids: Vec<OpportunityId> = self
            .prerequisites
            .iter()
            .filter_map(|p| match p {
                Prerequisite::Opportunity { opportunity_id } => Some(*opportunity_id),
                Prerequisite::Competency { .. } => None,
            })
            .chain(self.parts.iter().map(|p| p.opportunity_id))
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// `de`, `en`, `pt-BR`: two or three lower-case letters, optionally a region.
pub fn is_language_code(code: &str) -> bool {
    let (language, region) = match code.split_once('-') {
        Some((l, r)) => (l, Some(r)),
        None => (code, None),
    };
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_lowercase())
        && region.is_none_or(|r| {
            (2..=3).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// An absolute http(s) address with a host and no spaces or control characters.
pub fn is_web_address(link: &str) -> bool {
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
            !host.is_empty()
                && !host.starts_with('@')
                && !link.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn draft(modality: Modality) -> OpportunityDraft {
        OpportunityDraft::new(
            modality,
            LocalizedText::new("Kassensysteme", "Checkout systems"),
            "de",
        )
    }

    fn level(v: f64) -> Level {
        Level::new(v).unwrap()
    }

    #[test]
    fn a_titled_classroom_course_is_valid() {
        assert_eq!(draft(Modality::Classroom).validate(None), Ok(()));
    }

    #[test]
    fn each_rule_names_its_field() {
        let mut d = draft(Modality::Classroom);
        d.title = LocalizedText::new(" ", "");
        assert_eq!(d.validate(None), Err(OpportunityError::MissingTitle));

        let mut d = draft(Modality::Classroom);
        d.title.en = "x".repeat(MAX_TITLE + 1);
        let error = d.validate(None).unwrap_err();
        assert_eq!(error.to_string(), "title.en: at most 200 characters");
        assert_eq!(error.field(), "title.en");
        assert_eq!(error.reason(), "at most 200 characters");

        let mut d = draft(Modality::Classroom);
        d.content_language = "German".into();
        assert!(matches!(
            d.validate(None),
            Err(OpportunityError::Language(_))
        ));

        let mut d = draft(Modality::Classroom);
        d.duration_minutes = Some(0);
        assert_eq!(d.validate(None), Err(OpportunityError::Duration));

        let mut d = draft(Modality::Classroom);
        d.cost = Some(Cost {
            cents: 100,
            currency: "eur".into(),
        });
        assert!(matches!(
            d.validate(None),
            Err(OpportunityError::Currency(_))
        ));

        let d = draft(Modality::Video);
        assert_eq!(
            d.validate(None).unwrap_err().to_string(),
            "link: a video needs the address of what it links to"
        );

        let mut d = draft(Modality::WebLink);
        d.link = Some("javascript:alert(1)".into());
        assert!(matches!(d.validate(None), Err(OpportunityError::Link(_))));
        d.link = Some("https://example.org/kurs?id=1".into());
        assert_eq!(d.validate(None), Ok(()));

        let mut d = draft(Modality::Video);
        d.link = Some("https://example.org/v.mp4".into());
        d.package_id = Some(PackageId::generate());
        assert_eq!(d.validate(None), Err(OpportunityError::PackageNotELearning));

        let mut d = draft(Modality::Classroom);
        d.recertify_after_months = Some(0);
        assert_eq!(d.validate(None), Err(OpportunityError::Recertification));
    }

    #[test]
    fn alignments_are_unique_and_above_zero() {
        let c = CompetencyId::generate();
        let mut d = draft(Modality::Classroom);
        d.alignments = vec![
            Alignment {
                competency_id: c,
                level: level(2.0),
            },
            Alignment {
                competency_id: c,
                level: level(3.0),
            },
        ];
        assert_eq!(
            d.validate(None),
            Err(OpportunityError::AlignmentRepeated(c))
        );
        d.alignments = vec![Alignment {
            competency_id: c,
            level: Level::ZERO,
        }];
        assert_eq!(d.validate(None), Err(OpportunityError::AlignmentLevel));
    }

    #[test]
    fn nothing_requires_or_contains_itself() {
        let me = OpportunityId::generate();
        let mut d = draft(Modality::Classroom);
        d.prerequisites = vec![Prerequisite::Opportunity { opportunity_id: me }];
        assert_eq!(
            d.validate(Some(me)),
            Err(OpportunityError::PrerequisiteRepeated)
        );
        let other = OpportunityId::generate();
        d.prerequisites = vec![
            Prerequisite::Opportunity {
                opportunity_id: other,
            },
            Prerequisite::Opportunity {
                opportunity_id: other,
            },
        ];
        assert_eq!(
            d.validate(Some(me)),
            Err(OpportunityError::PrerequisiteRepeated)
        );

        let mut program = draft(Modality::Blended);
        program.parts = vec![ProgramPart::required(other), ProgramPart::required(me)];
        assert_eq!(
            program.validate(Some(me)),
            Err(OpportunityError::PartRepeated)
        );
        program.parts = vec![ProgramPart::required(other), ProgramPart::required(other)];
        assert_eq!(program.validate(None), Err(OpportunityError::PartRepeated));
    }

    #[test]
    fn publishing_needs_the_package_or_the_parts() {
        let mut e = draft(Modality::ELearning);
        assert_eq!(e.validate(None), Ok(()));
        assert_eq!(e.check_publishable(), Err(OpportunityError::MissingPackage));
        e.package_id = Some(PackageId::generate());
        assert_eq!(e.check_publishable(), Ok(()));

        let mut b = draft(Modality::Blended);
        b.parts = vec![ProgramPart::required(OpportunityId::generate())];
        assert_eq!(b.check_publishable(), Err(OpportunityError::TooFewParts));
        b.parts.push(ProgramPart {
            opportunity_id: OpportunityId::generate(),
            kind: PartKind::Optional,
        });
        assert_eq!(b.check_publishable(), Ok(()));
        b.parts[0].kind = PartKind::Optional;
        assert_eq!(b.check_publishable(), Err(OpportunityError::NoCountedPart));
    }

    #[test]
    fn only_programs_have_elective_groups_and_their_rules_hold_in_validate() {
        let mut course = draft(Modality::Classroom);
        course.elective_groups = vec![ElectiveGroup {
            label: LocalizedText::new("Wahl", ""),
            choose: 1,
        }];
        assert_eq!(
            course.validate(None),
            Err(OpportunityError::GroupsNotBlended)
        );
        let mut program = draft(Modality::Blended);
        program.elective_groups = course.elective_groups.clone();
        program.parts = vec![
            ProgramPart::required(OpportunityId::generate()),
            ProgramPart {
                opportunity_id: OpportunityId::generate(),
                kind: PartKind::Elective { group: 0 },
            },
        ];
        let error = program.validate(None).unwrap_err();
        assert_eq!(error.field(), "elective_groups");
        assert_eq!(
            error.reason(),
            "\"Wahl\" needs at least two parts, it has 1"
        );
        program.parts[0].kind = PartKind::Elective { group: 0 };
        assert_eq!(program.validate(None), Ok(()));
        assert_eq!(program.check_publishable(), Ok(()));
    }

    #[test]
    fn lifecycle_moves_forward_or_back_to_published() {
        use Lifecycle::*;
        assert!(Draft.may_become(Published));
        assert!(Published.may_become(Retired));
        assert!(Retired.may_become(Published));
        assert!(!Published.may_become(Draft));
        assert!(!Retired.may_become(Draft));
    }

    #[test]
    fn language_codes_and_web_addresses() {
        for ok in ["de", "en", "tr", "pt-BR", "gsw"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "d", "DE", "deutsch", "de-", "de_DE"] {
            assert!(!is_language_code(bad), "{bad}");
        }
        assert!(is_web_address("http://intranet/kurse"));
        for bad in [
            "ftp://x",
            "https://",
            "https:// spaced.org",
            "https://@evil",
            "//x.org",
        ] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }

    #[test]
    fn modality_and_lifecycle_names_round_trip() {
        for m in Modality::ALL {
            assert_eq!(Modality::parse(m.as_str()), Some(m));
        }
        for l in Lifecycle::ALL {
            assert_eq!(Lifecycle::parse(l.as_str()), Some(l));
        }
    }
}
