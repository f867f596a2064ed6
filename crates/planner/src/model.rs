//! What the planner reads and what it answers. Levels are numbers on Mycel's 0–4 scale
//! (`mycel_competency::scale::Level` as `f64`).

use chrono::{DateTime, NaiveDate, Utc};
use mycel_catalogue::Modality;
use mycel_organisation::{CompetencyId, OpportunityId, SessionId};
use serde::{Deserialize, Serialize};

/// A competency the person should reach a level in (a gap that is not met).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningGap {
    pub competency_id: CompetencyId,
    /// The estimated level now (0 without evidence).
    pub current: f64,
    /// The level to reach.
    pub target: f64,
    /// A must (a role's required competency, a goal, a strategic goal) or only desired.
    pub required: bool,
}

/// What an opportunity needs first.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Requirement {
    /// A competency at least at this level: the person has it, or an earlier step teaches it.
    Competency {
        competency_id: CompetencyId,
        level: f64,
    },
    /// Another opportunity, completed before (or planned as an earlier step).
    Opportunity { opportunity_id: OpportunityId },
}

/// A dated session of a classroom course with places left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionSlot {
    pub id: SessionId,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub free_places: u32,
}

/// A learning opportunity the person may take (published, in their audience).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: OpportunityId,
    /// The competencies it teaches and the level it teaches each to.
    pub teaches: Vec<(CompetencyId, f64)>,
    /// Learning time.
    pub minutes: u32,
    /// Cost per person in cents (0 for internal offers).
    pub cost_cents: u64,
    /// The content language (`de`, `en`, …).
    pub language: String,
    pub modality: Modality,
    pub requires: Vec<Requirement>,
    /// For courses held in sessions: the upcoming sessions; the step takes one with a free place
    /// (none left: the course cannot be planned). Empty for self-paced opportunities.
    pub sessions: Vec<SessionSlot>,
    /// Held only in sessions (a classroom course): without a session it cannot be taken.
    pub needs_session: bool,
}

/// What the planner minimises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Objective {
    /// The least total learning time (default).
    #[default]
    Time,
    /// The least total cost; learning time breaks ties.
    Cost,
}

/// The person's and the company's settings for the path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preferences {
    /// Languages the person learns in; empty: any.
    pub languages: Vec<String>,
    /// Preferred modalities: among equally good choices these win. Empty: no preference.
    pub preferred_modalities: Vec<Modality>,
    /// Modalities never planned.
    pub excluded_modalities: Vec<Modality>,
    /// Learning time per week (the schedule's budget).
    pub weekly_minutes: u32,
    pub objective: Objective,
    /// The Monday of the first week of the schedule.
    pub first_week: NaiveDate,
}

/// What the person decided about steps: the planner respects it.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct PersonChoices {
    /// Always on the path (when they can be taken), even if the planner would not choose them.
    pub pinned: Vec<OpportunityId>,
    /// Never on the path.
    pub skipped: Vec<OpportunityId>,
    /// The person's own order of steps: earlier here means earlier on the path, as far as
    /// prerequisites allow. Steps not listed follow in the planner's order.
    pub order: Vec<OpportunityId>,
}

/// Everything the planner reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanningInput {
    pub gaps: Vec<PlanningGap>,
    pub candidates: Vec<Candidate>,
    /// The person's current level of competencies named as requirements (and not gaps); a
    /// competency not listed here nor in `gaps` counts as 0.
    pub known_levels: Vec<(CompetencyId, f64)>,
    /// Opportunities the person completed (they satisfy requirements, are never planned again).
    pub completed: Vec<OpportunityId>,
    pub preferences: Preferences,
    pub choices: PersonChoices,
    /// Now: sessions that start before it are not planned.
    pub now: DateTime<Utc>,
}

/// Why a step is on the path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StepReason {
    /// It closes these gaps (competency, from level, to level).
    ClosesGaps(Vec<(CompetencyId, f64, f64)>),
    /// Other steps need it first.
    RequiredBy(Vec<OpportunityId>),
    /// The person pinned it.
    Pinned,
}

/// One step of the path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub opportunity_id: OpportunityId,
    /// The week it is scheduled in (0: the first week).
    pub week: u32,
    /// The session booked for it, for courses held in sessions.
    pub session_id: Option<SessionId>,
    pub minutes: u32,
    pub cost_cents: u64,
    /// Every reason that holds (a step can close gaps and be needed by another step).
    pub reasons: Vec<StepReason>,
}

/// Why a gap stays open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpenReason {
    /// Nothing in the catalogue teaches the competency to the target level.
    NothingTeachesIt,
    /// Something teaches it, but not in the person's languages or allowed modalities, or it was
    /// skipped, or it has no session with a free place.
    ExcludedByChoices,
    /// Something teaches it, but its prerequisites cannot be met (missing, or in a cycle).
    PrerequisitesUnmet,
}

/// A gap no plan can close: it feeds the needs analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpenGap {
    pub competency_id: CompetencyId,
    pub target: f64,
    pub reason: OpenReason,
}

/// The planner's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// In order: the order to take them, week by week.
    pub steps: Vec<PlannedStep>,
    pub open_gaps: Vec<OpenGap>,
    /// Cycles found among the candidates' opportunity prerequisites (each reported once, as the
    /// opportunities around the cycle); the planner never loops on them.
    pub cycles: Vec<Vec<OpportunityId>>,
    pub total_minutes: u64,
    pub total_cost_cents: u64,
}
