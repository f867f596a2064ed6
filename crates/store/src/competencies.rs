//! What the competency engine keeps: frameworks with their competencies, relations and occupations
//! (reference data, shared by the network when imported without a tenant), and per tenant:
//! proficiency scales, role profiles ("Soll-Profile"), evidence, the current mastery estimates,
//! learning goals, profile sharing, activity alignments and the change feed's read positions.

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use mycel_competency::framework::Labels;
use mycel_competency::scale::Level;
use mycel_competency::{
    CompetencyKind, Evidence, FrameworkImport, FrameworkKind, RelationKind, RequirementKind,
};
use mycel_organisation::{
    CompetencyId, EvidenceId, FrameworkId, LearningGoalId, OccupationId, OrgUnitId, PersonId,
    ProficiencyScaleId, RoleAssignmentKind, RoleId, TenantId,
};

/// A framework as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Framework {
    pub id: FrameworkId,
    /// `None`: shared by the whole network (ESCO).
    pub tenant_id: Option<TenantId>,
    pub kind: FrameworkKind,
    pub uri: String,
    pub title_en: String,
    pub title_de: String,
    pub version: String,
    pub imported_at: DateTime<Utc>,
}

/// What an import changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub framework_id: Option<FrameworkId>,
    pub competencies_added: u64,
    pub competencies_updated: u64,
    /// In the database but no longer in the file: kept (with their evidence), marked obsolete.
    pub competencies_obsolete: u64,
    pub occupations_added: u64,
    pub occupations_updated: u64,
    pub occupations_obsolete: u64,
    pub relations: u64,
    pub occupation_requirements: u64,
    /// Links of a CASE package (exact match, related, replaced by) to items Mycel does not know,
    /// left out; links of a company's own framework must resolve.
    pub unresolved_links: Vec<String>,
}

/// How far an import is, for a progress bar: `done` of `total` rows written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportProgress {
    pub done: u64,
    pub total: u64,
}

/// A competency with its labels in every language it has.
#[derive(Clone, Debug, PartialEq)]
pub struct CompetencyRecord {
    pub id: CompetencyId,
    pub framework_id: FrameworkId,
    pub uri: String,
    pub code: Option<String>,
    pub kind: CompetencyKind,
    pub category: Option<String>,
    pub obsolete: bool,
    pub labels: Labels,
}

/// Which competencies to list. Without `text`, `broader` lists the children of an item, and
/// neither lists a framework's top level.
#[derive(Clone, Debug, Default)]
pub struct CompetencySearch {
    /// Words that must all occur (case-insensitive) in a label or synonym of any language.
    pub text: Option<String>,
    pub framework_id: Option<FrameworkId>,
    pub broader: Option<CompetencyId>,
    pub include_obsolete: bool,
    pub limit: u32,
}

/// A relation of a competency, seen from it.
#[derive(Clone, Debug, PartialEq)]
pub struct CompetencyRelation {
    pub kind: RelationKind,
    /// `true`: this competency → other (e.g. other is its broader item); `false`: other → this.
    pub outgoing: bool,
    pub other: CompetencyRecord,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OccupationRecord {
    pub id: OccupationId,
    pub framework_id: FrameworkId,
    pub uri: String,
    pub code: Option<String>,
    pub isco_group: Option<String>,
    pub obsolete: bool,
    pub labels: Labels,
}

/// One line of a role profile: the role needs (or would like) a competency at a level.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleRequirement {
    pub competency_id: CompetencyId,
    pub kind: RequirementKind,
    pub target: Level,
}

/// A role profile line together with the role and how the person holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRoleTarget {
    pub role_id: RoleId,
    pub assignment: RoleAssignmentKind,
    pub requirement: RoleRequirement,
}

/// A tenant's own proficiency scale; `levels` is the JSON the domain's scale type serialises to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScaleRecord {
    pub id: ProficiencyScaleId,
    pub name_en: String,
    pub name_de: String,
    pub levels_json: String,
}

/// The stored estimate of one person's level in one competency.
#[derive(Clone, Debug, PartialEq)]
pub struct EstimateRecord {
    pub person_id: PersonId,
    pub competency_id: CompetencyId,
    pub level: Level,
    pub confidence: f64,
    pub evidence_count: u32,
    pub computed_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LearningGoal {
    pub id: LearningGoalId,
    pub person_id: PersonId,
    pub competency_id: CompetencyId,
    pub target: Level,
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// Whose competencies an aggregate covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeopleGroup {
    /// Everyone in the tenant.
    Tenant,
    /// Everyone in an org unit's subtree.
    OrgUnit(OrgUnitId),
    /// A manager's direct reports.
    ReportsOf(PersonId),
}

/// What the aggregates need of one person: whether they share their profile, the targets of their
/// current roles, their goals and the strategic goals of their org unit, and their estimates.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonCompetencies {
    pub person_id: PersonId,
    pub shared: bool,
    pub targets: Vec<(CompetencyId, Level)>,
    pub estimates: Vec<(CompetencyId, Level, f64)>,
}

#[async_trait]
pub trait CompetencyStore: Send + Sync {
    // ---- frameworks (reference data) ----

    /// Imports or re-imports a framework in one transaction: `owner` `None` makes it the
    /// network's (ESCO). Items keep their ids across imports; items missing from a re-import are
    /// marked obsolete, never deleted. Relation targets are looked up in the framework itself and
    /// then in every framework the owner can see; an unknown target fails the whole import
    /// (`InvalidReference`, naming the URIs), except a CASE package's links to outside items,
    /// which are left out and listed in the summary.
    async fn import_framework(
        &self,
        owner: Option<TenantScope>,
        import: &FrameworkImport,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> StoreResult<ImportSummary>;
    /// The network's frameworks and the tenant's own.
    async fn frameworks(&self, scope: TenantScope) -> StoreResult<Vec<Framework>>;
    async fn framework(&self, scope: TenantScope, id: FrameworkId) -> StoreResult<Framework>;
    /// The visible competencies among `ids`, in no particular order.
    async fn competencies(
        &self,
        scope: TenantScope,
        ids: &[CompetencyId],
    ) -> StoreResult<Vec<CompetencyRecord>>;
    /// Every current (not obsolete) competency of one framework the tenant sees, by id, a page
    /// after `after`: the vocabulary of the competency suggestions.
    async fn framework_competencies(
        &self,
        scope: TenantScope,
        framework: FrameworkId,
        after: Option<CompetencyId>,
        limit: u32,
    ) -> StoreResult<Vec<CompetencyRecord>>;
    /// Competencies by search or by place in the hierarchy, ordered by English label.
    async fn search_competencies(
        &self,
        scope: TenantScope,
        search: &CompetencySearch,
    ) -> StoreResult<Vec<CompetencyRecord>>;
    /// A competency's relations in both directions (at most `limit` per kind and direction).
    async fn competency_relations(
        &self,
        scope: TenantScope,
        id: CompetencyId,
        limit: u32,
    ) -> StoreResult<Vec<CompetencyRelation>>;
    async fn search_occupations(
        &self,
        scope: TenantScope,
        text: &str,
        limit: u32,
    ) -> StoreResult<Vec<OccupationRecord>>;
    async fn occupation(
        &self,
        scope: TenantScope,
        id: OccupationId,
    ) -> StoreResult<OccupationRecord>;
    async fn occupation_requirements(
        &self,
        scope: TenantScope,
        id: OccupationId,
    ) -> StoreResult<Vec<(CompetencyId, RequirementKind)>>;
    /// Occupations that need a competency.
    async fn occupations_needing(
        &self,
        scope: TenantScope,
        competency: CompetencyId,
        limit: u32,
    ) -> StoreResult<Vec<(OccupationRecord, RequirementKind)>>;

    // ---- proficiency scales ----

    async fn create_scale(&self, scope: TenantScope, scale: ScaleRecord) -> StoreResult<()>;
    async fn scales(&self, scope: TenantScope) -> StoreResult<Vec<ScaleRecord>>;

    // ---- role profiles ----

    async fn role_requirements(
        &self,
        scope: TenantScope,
        role: RoleId,
    ) -> StoreResult<Vec<RoleRequirement>>;
    /// Replaces a role's whole profile.
    async fn set_role_requirements(
        &self,
        scope: TenantScope,
        role: RoleId,
        requirements: &[RoleRequirement],
    ) -> StoreResult<()>;
    /// The tenant's roles that need a competency.
    async fn roles_requiring(
        &self,
        scope: TenantScope,
        competency: CompetencyId,
    ) -> StoreResult<Vec<(RoleId, RoleRequirement)>>;
    /// The profile lines of every role the person holds or aspires to.
    async fn person_role_targets(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<PersonRoleTarget>>;

    // ---- evidence and estimates ----

    /// Records evidence; statement evidence already recorded for the same statement (link) and
    /// competency is skipped. Returns how many were new.
    async fn add_evidence(&self, scope: TenantScope, evidence: &[Evidence]) -> StoreResult<u64>;
    /// A person's evidence, of one competency or all, oldest first.
    async fn evidence(
        &self,
        scope: TenantScope,
        person: PersonId,
        competency: Option<CompetencyId>,
    ) -> StoreResult<Vec<Evidence>>;
    async fn evidence_item(&self, scope: TenantScope, id: EvidenceId) -> StoreResult<Evidence>;
    /// Writes estimates (replacing those of the same person and competency).
    async fn put_estimates(
        &self,
        scope: TenantScope,
        estimates: &[EstimateRecord],
    ) -> StoreResult<()>;
    async fn estimates(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<EstimateRecord>>;
    /// Every (person, competency) pair of the tenant that has evidence, one page at a time in
    /// (person, competency) order after `after`; for refreshing estimates.
    async fn evidence_pairs(
        &self,
        scope: TenantScope,
        after: Option<(PersonId, CompetencyId)>,
        limit: u32,
    ) -> StoreResult<Vec<(PersonId, CompetencyId)>>;

    // ---- goals and sharing ----

    async fn create_learning_goal(&self, scope: TenantScope, goal: LearningGoal)
        -> StoreResult<()>;
    async fn learning_goals(
        &self,
        scope: TenantScope,
        person: PersonId,
    ) -> StoreResult<Vec<LearningGoal>>;
    async fn delete_learning_goal(
        &self,
        scope: TenantScope,
        person: PersonId,
        id: LearningGoalId,
    ) -> StoreResult<()>;
    async fn set_profile_shared(
        &self,
        scope: TenantScope,
        person: PersonId,
        shared: bool,
    ) -> StoreResult<()>;
    async fn profile_shared(&self, scope: TenantScope, person: PersonId) -> StoreResult<bool>;

    // ---- aggregates ----

    /// One page of the people of a group, ordered by id after `after`, with their current roles',
    /// goals' and strategic goals' (of their org unit and its ancestors) targets and their
    /// estimates.
    async fn group_competencies(
        &self,
        scope: TenantScope,
        group: PeopleGroup,
        after: Option<PersonId>,
        limit: u32,
    ) -> StoreResult<Vec<PersonCompetencies>>;

    // ---- statements as evidence ----

    /// Aligns an activity to a competency at a level (replacing an earlier level).
    async fn align_activity(
        &self,
        scope: TenantScope,
        activity_id: &str,
        competency: CompetencyId,
        level: Level,
    ) -> StoreResult<()>;
    /// The alignments of these activities.
    async fn activity_alignments(
        &self,
        scope: TenantScope,
        activity_ids: &[String],
    ) -> StoreResult<Vec<(String, CompetencyId, Level)>>;
    /// How far `consumer` has read the tenant's change feed (0 when it never read).
    async fn feed_cursor(&self, scope: TenantScope, consumer: &str) -> StoreResult<i64>;
    async fn set_feed_cursor(
        &self,
        scope: TenantScope,
        consumer: &str,
        seq: i64,
    ) -> StoreResult<()>;
}
