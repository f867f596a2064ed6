//! Learning paths' JSON shapes: a person's planned path, step by step with reasons, and the gaps
//! nothing closes yet.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A gap a step closes: the competency, from the current level to the level the step teaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ClosedGap {
    pub competency_id: Uuid,
    pub from: f64,
    pub to: f64,
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PathStep {
    pub opportunity_id: Uuid,
    pub title: crate::LocalizedText,
    pub modality: String,
    /// The Monday of the week it is scheduled in.
    pub week_of: NaiveDate,
    /// The session to book, for courses held in sessions.
    pub session_id: Option<Uuid>,
    pub minutes: u32,
    pub cost_cents: u64,
    /// The gaps it closes.
    pub closes: Vec<ClosedGap>,
    /// Steps that need it first.
    pub required_by: Vec<Uuid>,
    /// The person pinned it.
    pub pinned: bool,
    /// Assigned to the person (by their manager or L&D): always on the path.
    pub assigned: bool,
    /// The assignment's due date.
    pub due: Option<NaiveDate>,
    /// The programs on the path it is a part of.
    pub part_of: Vec<Uuid>,
}

/// A part of a program on the path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PathProgramPart {
    pub opportunity_id: Uuid,
    /// `required`, `optional` or `elective`.
    pub kind: String,
    /// An elective's group (its position in the program's `elective_groups`).
    pub group: Option<u16>,
    /// `done`, `step` (on the path), `alternative` (an elective not chosen), `offered` (an
    /// optional part not added) or `not-planned` (meant to be a step, but it cannot be planned
    /// now).
    pub state: String,
}

/// A program on the path, unfolded into its parts (in the program's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PathProgram {
    pub program_id: Uuid,
    /// The parts the person may see.
    pub parts: Vec<PathProgramPart>,
    /// How many parts the person may not see (not published, or not offered to them).
    pub unavailable_parts: usize,
}

/// A gap no step closes, and why: `nothing-teaches-it`, `excluded-by-choices`,
/// `prerequisites-unmet`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OpenGap {
    pub competency_id: Uuid,
    pub target: f64,
    pub reason: String,
}

/// A person's learning path, planned at the time of the request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LearningPath {
    pub steps: Vec<PathStep>,
    pub open_gaps: Vec<OpenGap>,
    pub total_minutes: u64,
    pub total_cost_cents: u64,
    pub weekly_minutes: u32,
    /// Opportunities the person skipped.
    pub skipped: Vec<Uuid>,
    /// The programs on the path with their parts.
    pub programs: Vec<PathProgram>,
}

/// What another tool asks in the flow of work: a competency, or a question in words.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HelpParams {
    /// A competency's id.
    pub competency: Option<Uuid>,
    /// A question in words ("wie plane ich ein Regallayout").
    pub text: Option<String>,
    /// `de` or `en`, the language of `text` (guessed when absent).
    pub language: Option<String>,
}

/// A colleague who can help: shares their competency profile and is advanced or better.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Colleague {
    pub person_id: Uuid,
    pub display_name: String,
    pub competency_id: Uuid,
    pub level: f64,
}

/// Short opportunities and colleagues for a competency or a question.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HelpAnswer {
    /// The competencies the question is about.
    pub competencies: Vec<crate::Competency>,
    /// Published opportunities of at most an hour that teach one of them, shortest first.
    pub opportunities: Vec<crate::Opportunity>,
    pub colleagues: Vec<Colleague>,
}
