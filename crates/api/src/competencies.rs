//! The competency engine's JSON shapes: frameworks, competencies and occupations (reference data),
//! role profiles ("Soll-Profile"), evidence, a person's competency profile with the explanation of
//! every estimate, learning goals, and the aggregated gaps of a group.
//!
//! Levels are numbers on the default 0–4 scale (0 none … 4 expert), fractional where estimated.
//! Kinds are strings, as everywhere in this API; each field names the values it takes.

use crate::{Person, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

// ---- reference data ----

/// A competency framework ("Kompetenzmodell").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Framework {
    pub id: Uuid,
    /// `esco`, `case` or `own`.
    pub kind: String,
    /// Identifies the framework across versions.
    pub uri: String,
    pub title_en: String,
    pub title_de: String,
    pub version: String,
    /// Shared by the whole network (ESCO), rather than the member company's own.
    pub network: bool,
    pub imported_at: DateTime<Utc>,
}

/// The texts of a competency or occupation in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Label {
    pub preferred: String,
    /// Synonyms (ESCO altLabels).
    pub alternatives: Vec<String>,
    pub description: Option<String>,
}

/// A competency ("Kompetenz") with its labels in every language it has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Competency {
    pub id: Uuid,
    pub framework_id: Uuid,
    /// Unique within the framework (ESCO's conceptUri, a CASE item's uri).
    pub uri: String,
    pub code: Option<String>,
    /// `skill`, `knowledge`, `group` (a node of the hierarchy) or `competency`.
    pub kind: String,
    /// ESCO reuse level or CASE item type, as the source names it.
    pub category: Option<String>,
    /// No longer in the framework's latest version (kept with its evidence).
    pub obsolete: bool,
    /// By language code (`de`, `en`).
    pub labels: BTreeMap<String, Label>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompetencyParams {
    /// Words that must all occur in a label or synonym, in any language. Without it, `broader`
    /// lists an item's children and neither lists the top level.
    pub q: Option<String>,
    /// Only competencies of this framework.
    pub framework: Option<Uuid>,
    /// Only the children of this competency.
    pub broader: Option<Uuid>,
    /// At most this many, 1–200 (default 50).
    pub limit: Option<u32>,
}

/// A relation of a competency, seen from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompetencyRelation {
    /// `broader`, `related`, `prerequisite`, `essential`, `optional`, `exact_match`,
    /// `replaced_by`.
    pub kind: String,
    /// `true`: this competency → `competency` (e.g. `broader`: `competency` is its parent);
    /// `false`: `competency` → this one.
    pub outgoing: bool,
    pub competency: Competency,
}

/// A role of the member company whose profile names the competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RoleNeed {
    pub role: Role,
    /// `required` or `desired`.
    pub kind: String,
    pub target_level: f64,
}

/// An occupation (ESCO) that needs the competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct OccupationNeed {
    pub occupation: Occupation,
    /// `required` (ESCO essential) or `desired` (ESCO optional).
    pub kind: String,
}

/// A competency with everything around it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompetencyDetail {
    pub competency: Competency,
    pub framework: Framework,
    pub relations: Vec<CompetencyRelation>,
    /// The member company's roles that need it.
    pub roles: Vec<RoleNeed>,
    /// Occupations that need it.
    pub occupations: Vec<OccupationNeed>,
}

/// An occupation (ESCO "Beruf").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Occupation {
    pub id: Uuid,
    pub framework_id: Uuid,
    pub uri: String,
    /// ESCO occupation code.
    pub code: Option<String>,
    /// ISCO-08 unit group.
    pub isco_group: Option<String>,
    pub obsolete: bool,
    /// By language code (`de`, `en`).
    pub labels: BTreeMap<String, Label>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OccupationParams {
    /// Words that must all occur in a label, in any language.
    pub q: Option<String>,
    /// At most this many, 1–200 (default 50).
    pub limit: Option<u32>,
}

// ---- role profiles ----

/// A role's profile ("Soll-Profil"): the competencies it needs, at which level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RoleProfile {
    pub role: Role,
    pub requirements: Vec<RoleRequirement>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RoleRequirement {
    pub competency: Competency,
    /// `required` or `desired`.
    pub kind: String,
    pub target_level: f64,
}

/// One line of a role profile as it is set (the whole profile is replaced).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoleRequirement {
    pub competency_id: Uuid,
    /// `required` or `desired`.
    pub kind: String,
    /// 0–4.
    pub target_level: f64,
}

/// Replaces a role's profile by an occupation's: its essential competencies become required at
/// `required_level`, its optional ones desired at `desired_level` (left out without it).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileFromOccupation {
    pub occupation_id: Uuid,
    /// 0–4.
    pub required_level: f64,
    /// 0–4.
    #[serde(default)]
    pub desired_level: Option<f64>,
}

// ---- evidence ----

/// One piece of evidence ("Nachweis") about a person's level in a competency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    pub id: Uuid,
    pub person_id: Uuid,
    pub competency_id: Uuid,
    /// `self_assessment`, `manager_assessment`, `peer_assessment`, `trainer_assessment`,
    /// `test_result`, `statement`, `credential`, `journal`.
    pub kind: String,
    pub level: f64,
    pub observed_at: DateTime<Utc>,
    /// Who rated, if a person of the member company.
    pub author_id: Option<Uuid>,
    pub source: String,
    pub link: Option<String>,
    pub note: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// Evidence to record. Who may record which kind: the person their own `self_assessment` and
/// `journal`; their manager a `manager_assessment`; a colleague a `peer_assessment` of a shared
/// profile; a trainer a `trainer_assessment`; L&D and credentials with `org/write` a
/// `test_result`, `statement` or `credential`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordEvidence {
    pub competency_id: Uuid,
    /// `self_assessment`, `manager_assessment`, `peer_assessment`, `trainer_assessment`,
    /// `test_result`, `statement`, `credential`, `journal`.
    pub kind: String,
    /// 0–4.
    pub level: f64,
    /// What it came from, in words a reader understands; the kind if not given.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// When it was observed; now if not given. Not in the future.
    #[serde(default)]
    pub observed_at: Option<DateTime<Utc>>,
}

// ---- a person's profile ----

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProfileParams {
    /// Why another person's profile is read (audit log); instead of the `x-mycel-purpose` header.
    pub purpose: Option<String>,
}

/// A person's competency profile: estimated levels with their explanation, the evidence, and gaps
/// against their roles, goals and the strategic goals of their org unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompetencyProfile {
    pub person: Person,
    /// The person shares their profile with their manager and L&D.
    pub shared: bool,
    pub computed_at: DateTime<Utc>,
    /// Every competency the person has evidence of or a target in.
    pub competencies: Vec<ProfileCompetency>,
    /// Required first, then larger gaps first; met targets included.
    pub gaps: Vec<Gap>,
    pub roles: Vec<ProfileRole>,
    pub goals: Vec<LearningGoal>,
    /// The strategic goals of the person's org unit and the units above it (the `strategic`
    /// sources of gaps: a unit has one goal per competency).
    pub strategic_goals: Vec<crate::AppliedStrategicGoal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileCompetency {
    pub competency: Competency,
    /// None without evidence that carries weight.
    pub estimate: Option<MasteryEstimate>,
    /// Oldest first.
    pub evidence: Vec<Evidence>,
}

/// An estimated level and how far to trust it, with what it is made of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MasteryEstimate {
    /// The weighted mean of the evidence's levels.
    pub level: f64,
    /// 0 (not at all) to 1.
    pub confidence: f64,
    /// Pieces of evidence that carry weight.
    pub evidence_count: u64,
    pub contributions: Vec<Contribution>,
}

/// What one piece of evidence contributes to an estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Contribution {
    pub evidence_id: Uuid,
    pub kind: String,
    pub author_id: Option<Uuid>,
    pub observed_at: DateTime<Utc>,
    pub level: f64,
    /// The kind's weight, halved every half-life of age; 0 if superseded.
    pub weight: f64,
    /// `weight` as a fraction of all contributions' weights (the shares add up to 1).
    pub share: f64,
    /// Replaced by the same rater's later rating of the same kind.
    pub superseded: bool,
}

/// The person's gap in one competency, met or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Gap {
    pub competency_id: Uuid,
    /// The highest of the targets set for it.
    pub target: f64,
    /// None without evidence (counted as 0).
    pub estimate: Option<f64>,
    pub confidence: f64,
    /// target − estimate, at least 0.
    pub size: f64,
    pub met: bool,
    /// A role requires it, or a goal or strategic goal sets it.
    pub required: bool,
    pub sources: Vec<GapSource>,
}

/// Where a target comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum GapSource {
    /// A role profile, of a role the person holds or (`aspired`) works towards.
    Role {
        role_id: Uuid,
        /// `required` or `desired`.
        kind: String,
        aspired: bool,
    },
    /// The person's own learning goal.
    Goal { goal_id: Uuid },
    /// A strategic goal of the person's org unit or of a unit above it (see the profile's
    /// `strategic_goals` for its reason).
    Strategic { org_unit_id: Uuid },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProfileRole {
    pub role: Role,
    /// `current` or `aspired`.
    pub kind: String,
}

/// Whether one's competency profile is shared with one's manager and L&D.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileSharing {
    pub shared: bool,
}

/// A personal learning goal ("Lernziel").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LearningGoal {
    pub id: Uuid,
    pub competency_id: Uuid,
    pub target_level: f64,
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLearningGoal {
    pub competency_id: Uuid,
    /// 0–4.
    pub target_level: f64,
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

// ---- aggregates ----

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupGapParams {
    /// The people of this org unit and the units below it.
    pub org_unit: Option<Uuid>,
    /// A manager's direct reports. Without either parameter: the whole member company.
    pub reports_of: Option<Uuid>,
}

/// A group's aggregated gaps (needs analysis), or why they are not shown: a group smaller than the
/// member company's minimum group size is suppressed, unless everyone in it shares their profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GroupGaps {
    /// Too few people to show anything of them.
    Suppressed { people: u32, min_group_size: u32 },
    /// The needs analysis, one row per competency enough members have a target in.
    Report {
        /// Members of the group, with or without targets.
        people: u32,
        competencies: Vec<GroupGapRow>,
        /// Competencies left out because too few members have a target in them.
        withheld_competencies: u32,
    },
}

/// One competency's row of a group's needs analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupGapRow {
    pub competency: Competency,
    pub people_with_target: u32,
    /// Of those, members whose estimate is below target.
    pub people_below_target: u32,
    /// Of those with a target, members without an estimate.
    pub people_without_estimate: u32,
    pub mean_target: f64,
    /// Over all members with a target (no estimate counts as 0).
    pub mean_gap: f64,
    /// Over members with an estimate.
    pub mean_estimate: Option<f64>,
    /// Members with an estimate by rounded level: `[0]` at level 0 … `[4]` at level 4.
    pub estimate_histogram: Vec<u32>,
}

/// A text in German and English.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocalizedText {
    pub de: String,
    pub en: String,
}

/// One level of a proficiency scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProficiencyLevel {
    pub value: u8,
    pub label: LocalizedText,
    pub descriptor: LocalizedText,
    /// Where this level sits on the default 0–4 scale (the first level at 0, the last at 4), so
    /// that levels of different scales compare.
    pub on_default_scale: f64,
}

/// A proficiency scale ("Kompetenzstufen"): the built-in default 0–4 scale (no id) or a member
/// company's own, such as DQR/EQF 1–8.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProficiencyScale {
    pub id: Option<Uuid>,
    pub name: LocalizedText,
    pub levels: Vec<ProficiencyLevel>,
}

/// A new scale of a member company: 2–10 levels, values increasing, mapped onto the default scale
/// without going down, first at 0 and last at 4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProficiencyScale {
    pub name: LocalizedText,
    pub levels: Vec<ProficiencyLevel>,
}

/// An xAPI activity aligned to a competency: statements about it (completed, passed, failed,
/// scored) become evidence of the competency at up to this level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityAlignment {
    /// The activity's IRI (its xAPI `object.id`).
    pub activity_id: String,
    pub competency_id: Uuid,
    /// On the default 0–4 scale.
    pub level: f64,
}
