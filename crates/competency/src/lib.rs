//! Competencies as plain domain types, with no HTTP and no SQL.
//!
//! A *framework* ("Kompetenzmodell") is a set of *competencies* with a hierarchy and relations: ESCO
//! (imported once for the whole network, with its *occupations*), a CASE package, or a tenant's own.
//! [`framework`] holds what an import hands to the store. People's levels are measured on
//! *proficiency scales* ([`scale`]); every level Mycel reasons with is a [`scale::Level`] on the
//! default 0–4 scale, to which every other scale maps.
//!
//! A person's level in a competency is never typed in: it is *estimated* from [`evidence`]
//! (assessments by the person, their manager, peers and trainers; test results; xAPI statements on
//! aligned activities; credentials), weighted by kind and decaying with age ([`mastery`]). Targets
//! come from role profiles ("Soll-Profile"), personal goals and strategic goals of org units
//! ([`strategic`]); [`gap`] compares
//! them with the estimates, for one person or, aggregated and never for too small a group, for a
//! team or org unit.

pub mod evidence;
pub mod framework;
pub mod gap;
pub mod mastery;
pub mod scale;
pub mod strategic;

pub use evidence::{Evidence, EvidenceKind};
pub use framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, ImportedOccupation,
    ImportedRelation, Label, OccupationRequirement, RelationKind, RequirementKind,
};
pub use gap::{
    person_gaps, CompetencyGapSummary, Gap, GroupGapAggregator, GroupGapReport, GroupGaps,
    GroupMember, Target, TargetSource,
};
pub use mastery::{
    estimate, estimate_level, Contribution, KindParams, MasteryEstimate, MasteryParams,
    MasteryParamsError,
};
pub use scale::{LocalizedText, ProficiencyLevel, ProficiencyScale, ScaleError};
pub use strategic::{CheckedStrategicGoal, StrategicGoal, StrategicGoalInput};
