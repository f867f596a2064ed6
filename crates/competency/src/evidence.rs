//! Evidence ("Nachweise"): everything that says something about how well a person masters a
//! competency. Each piece keeps its source, author, time and a link to what it came from, so that
//! every estimated level can be explained by listing its evidence.

use crate::scale::Level;
use chrono::{DateTime, Utc};
use mycel_organisation::{CompetencyId, EvidenceId, PersonId};
use serde::{Deserialize, Serialize};

/// The kinds of evidence, from weakest to strongest is not implied: [`crate::mastery`] weighs them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// The person's own rating.
    SelfAssessment,
    /// Their manager's rating (or a manager's confirmation of a level).
    ManagerAssessment,
    /// A colleague's rating.
    PeerAssessment,
    /// A trainer's rating after a course or session.
    TrainerAssessment,
    /// A scored test.
    TestResult,
    /// An xAPI statement (completion, success, score) on an activity aligned to the competency.
    Statement,
    /// A credential (certificate, Open Badge) that attests the competency.
    Credential,
    /// A learning journal entry: self-reported, weak until a manager or mentor confirms it.
    Journal,
}

impl EvidenceKind {
    pub const ALL: [EvidenceKind; 8] = [
        Self::SelfAssessment,
        Self::ManagerAssessment,
        Self::PeerAssessment,
        Self::TrainerAssessment,
        Self::TestResult,
        Self::Statement,
        Self::Credential,
        Self::Journal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SelfAssessment => "self_assessment",
            Self::ManagerAssessment => "manager_assessment",
            Self::PeerAssessment => "peer_assessment",
            Self::TrainerAssessment => "trainer_assessment",
            Self::TestResult => "test_result",
            Self::Statement => "statement",
            Self::Credential => "credential",
            Self::Journal => "journal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A rating by a person (whose later rating replaces their earlier one), as opposed to an
    /// observation (each one counts).
    pub fn is_rating(self) -> bool {
        matches!(
            self,
            Self::SelfAssessment
                | Self::ManagerAssessment
                | Self::PeerAssessment
                | Self::TrainerAssessment
        )
    }
}

/// One piece of evidence about one person's level in one competency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: EvidenceId,
    pub person_id: PersonId,
    pub competency_id: CompetencyId,
    pub kind: EvidenceKind,
    /// The level the evidence shows, on the default scale.
    pub level: Level,
    /// When what it shows happened (the assessment, the test, the statement's timestamp).
    pub observed_at: DateTime<Utc>,
    /// Who rated (for assessments), if a person of the tenant.
    pub author_id: Option<PersonId>,
    /// What it came from, in words a reader understands ("Test: Kassensystem", a statement id).
    pub source: String,
    /// Where to look it up: a statement id URL, a credential URL, a test's IRI.
    pub link: Option<String>,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}
