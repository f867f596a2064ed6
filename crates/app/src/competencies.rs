//! The competency engine's use cases: importing frameworks, browsing them, role profiles
//! (Soll-Profile), recording evidence, each person's profile with explained estimates and gaps, and
//! aggregated gaps of a team, an org unit or the whole tenant.
//!
//! Estimates are computed by `mycel_competency::mastery` from all evidence whenever a profile is
//! shown, and stored per person and competency whenever evidence arrives (and by
//! [`refresh_estimates`], for decay), so that aggregates over many people read stored estimates.

use crate::organisation::{audit_read, person_facts, unit_path};
use crate::{Acting, AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, SubsecRound, Utc};
use mycel_competency::gap::{self, Gap, GroupGapAggregator, GroupGaps, Target, TargetSource};
use mycel_competency::mastery::{self, MasteryEstimate, MasteryParams};
use mycel_competency::scale::{Level, LocalizedText, ProficiencyLevel, ProficiencyScale};
use mycel_competency::{Evidence, EvidenceKind, FrameworkImport, RequirementKind};
use mycel_organisation::{
    validate, Action, Assessor, CompetencyId, EvidenceId, LearningGoalId, OccupationId, OrgUnitId,
    Person, PersonId, Principal, Role, RoleAssignmentKind, RoleId, ValidationError,
};
use mycel_store::competencies::{
    CompetencyRecord, CompetencyRelation, CompetencySearch, EstimateRecord, Framework,
    ImportProgress, ImportSummary, LearningGoal, OccupationRecord, PeopleGroup, RoleRequirement,
};
use mycel_store::strategic_goals::AppliedStrategicGoal;
use mycel_store::{Store, TenantScope};
use std::collections::{BTreeMap, HashMap};

/// The most results one search or listing returns.
pub const MAX_RESULTS: u32 = 200;
/// Dates of evidence and goals before this year are mistakes (and some databases cannot hold
/// the most extreme dates).
const EARLIEST_YEAR: i32 = 1900;
/// People per page when aggregating a group.
const GROUP_PAGE: u32 = 2000;

fn results(limit: Option<u32>) -> AppResult<u32> {
    match limit {
        None => Ok(50),
        Some(n) if (1..=MAX_RESULTS).contains(&n) => Ok(n),
        Some(_) => Err(ValidationError::new(
            "limit",
            format!("must be between 1 and {MAX_RESULTS}"),
        )
        .into()),
    }
}

fn level(field: &'static str, value: f64) -> AppResult<Level> {
    Level::new(value)
        .ok_or_else(|| ValidationError::new(field, "must be a level from 0 to 4").into())
}

// ---- frameworks ----

/// Imports a framework: for the whole network (`owner` none: only the operator or a network
/// admin) or for one tenant.
pub async fn import_framework(
    store: &dyn Store,
    acting: Acting<'_>,
    owner: Option<TenantScope>,
    import: &FrameworkImport,
    progress: &(dyn Fn(ImportProgress) + Send + Sync),
) -> AppResult<ImportSummary> {
    match owner {
        None => acting.require(Action::AdministerNetwork)?,
        Some(_) => acting.require(Action::ManageFrameworks)?,
    }
    Ok(store.import_framework(owner, import, progress).await?)
}

pub async fn frameworks(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<Framework>> {
    acting.require(Action::ViewOrgStructure)?;
    Ok(store.frameworks(scope).await?)
}

/// Searches competencies, or lists a level of a framework's hierarchy. Everyone in a tenant may
/// browse the frameworks it sees.
pub async fn search_competencies(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    text: Option<&str>,
    framework: Option<mycel_organisation::FrameworkId>,
    broader: Option<CompetencyId>,
    limit: Option<u32>,
) -> AppResult<Vec<CompetencyRecord>> {
    acting.require(Action::ViewOrgStructure)?;
    let text = match text {
        Some(t) => validate::text("q", t, 200)?,
        None => None,
    };
    Ok(store
        .search_competencies(
            scope,
            &CompetencySearch {
                text,
                framework_id: framework,
                broader,
                include_obsolete: false,
                limit: results(limit)?,
            },
        )
        .await?)
}

/// A competency with everything around it: its framework, relations, and the tenant's roles and
/// the framework's occupations that need it.
#[derive(Debug, Clone)]
pub struct CompetencyDetail {
    pub competency: CompetencyRecord,
    pub framework: Framework,
    pub relations: Vec<CompetencyRelation>,
    pub roles: Vec<(Role, RoleRequirement)>,
    pub occupations: Vec<(OccupationRecord, RequirementKind)>,
}

pub async fn competency_detail(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    id: CompetencyId,
) -> AppResult<CompetencyDetail> {
    acting.require(Action::ViewOrgStructure)?;
    let competency = store
        .competencies(scope, &[id])
        .await?
        .pop()
        .ok_or(AppError::NotFound("competency"))?;
    let framework = store.framework(scope, competency.framework_id).await?;
    let relations = store.competency_relations(scope, id, 100).await?;
    let mut roles = Vec::new();
    for (role, requirement) in store.roles_requiring(scope, id).await? {
        roles.push((store.role(scope, role).await?, requirement));
    }
    let occupations = store.occupations_needing(scope, id, 50).await?;
    Ok(CompetencyDetail {
        competency,
        framework,
        relations,
        roles,
        occupations,
    })
}

pub async fn search_occupations(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    text: &str,
    limit: Option<u32>,
) -> AppResult<Vec<OccupationRecord>> {
    acting.require(Action::ViewOrgStructure)?;
    let text = validate::text("q", text, 200)?.unwrap_or_default();
    Ok(store
        .search_occupations(scope, &text, results(limit)?)
        .await?)
}

// ---- role profiles ----

/// A role's profile with its competencies.
pub async fn role_profile(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    role: RoleId,
) -> AppResult<Vec<(RoleRequirement, CompetencyRecord)>> {
    acting.require(Action::ViewOrgStructure)?;
    let requirements = store.role_requirements(scope, role).await?;
    let ids: Vec<CompetencyId> = requirements.iter().map(|r| r.competency_id).collect();
    let mut competencies: HashMap<CompetencyId, CompetencyRecord> = store
        .competencies(scope, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(requirements
        .into_iter()
        .filter_map(|r| competencies.remove(&r.competency_id).map(|c| (r, c)))
        .collect())
}

/// Replaces a role's profile (L&D admins and tenant admins).
pub async fn set_role_profile(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    role: RoleId,
    requirements: &[RoleRequirement],
) -> AppResult<()> {
    acting.require(Action::ManageRoles)?;
    if requirements.len() > 1000 {
        return Err(
            ValidationError::new("requirements", "a role profile has at most 1000 lines").into(),
        );
    }
    store
        .set_role_requirements(scope, role, requirements)
        .await
        .map_err(invalid_reference("requirements"))?;
    Ok(())
}

/// Creates a role's profile from an ESCO occupation: essential skills become required, optional
/// ones desired, at the given target levels. Replaces the role's profile.
pub async fn role_profile_from_occupation(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    role: RoleId,
    occupation: OccupationId,
    required_level: Level,
    desired_level: Option<Level>,
) -> AppResult<usize> {
    acting.require(Action::ManageRoles)?;
    let requirements: Vec<RoleRequirement> = store
        .occupation_requirements(scope, occupation)
        .await?
        .into_iter()
        .filter_map(|(competency_id, kind)| {
            let target = match kind {
                RequirementKind::Required => Some(required_level),
                RequirementKind::Desired => desired_level,
            }?;
            Some(RoleRequirement {
                competency_id,
                kind,
                target,
            })
        })
        .collect();
    store
        .set_role_requirements(scope, role, &requirements)
        .await?;
    Ok(requirements.len())
}

fn invalid_reference(field: &'static str) -> impl Fn(mycel_store::StoreError) -> AppError {
    move |error| match error {
        mycel_store::StoreError::InvalidReference(reason) => {
            ValidationError::new(field, reason).into()
        }
        other => other.into(),
    }
}

// ---- evidence ----

/// Evidence as a person records it through Mycel.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub competency_id: CompetencyId,
    pub kind: EvidenceKind,
    pub level: f64,
    pub source: String,
    pub link: Option<String>,
    pub note: Option<String>,
    /// When it was observed; now if not given. Not in the future.
    pub observed_at: Option<DateTime<Utc>>,
}

/// In which capacity a kind of evidence is recorded.
fn assessor(kind: EvidenceKind) -> Assessor {
    match kind {
        EvidenceKind::SelfAssessment | EvidenceKind::Journal => Assessor::Themselves,
        EvidenceKind::ManagerAssessment => Assessor::Manager,
        EvidenceKind::PeerAssessment => Assessor::Peer,
        EvidenceKind::TrainerAssessment => Assessor::Trainer,
        EvidenceKind::TestResult | EvidenceKind::Credential | EvidenceKind::Statement => {
            Assessor::Organisation
        }
    }
}

/// Whether the actor may record a manager's assessment of the person (their manager, or L&D, as
/// the access rules say; the person's profile sharing counts).
pub async fn may_record_as_manager(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<bool> {
    let subject = store.person(scope, person).await?;
    let facts = person_facts(store, scope, &subject).await?;
    let shared = store.profile_shared(scope, person).await?;
    Ok(acting.permits(Action::RecordEvidence {
        person: &facts,
        by: Assessor::Manager,
        shared,
    }))
}

/// Records one piece of evidence about a person, if the actor may record that kind for them, and
/// updates the person's estimate of that competency.
pub async fn record_evidence(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    new: NewEvidence,
) -> AppResult<Evidence> {
    if new.kind == EvidenceKind::Statement {
        // Only the learning record store's reader records statements (see statement_evidence).
        return Err(ValidationError::new(
            "kind",
            "statement evidence comes from the learning record store; send the statement there",
        )
        .into());
    }
    let subject = store.person(scope, person).await?;
    let facts = person_facts(store, scope, &subject).await?;
    let shared = store.profile_shared(scope, person).await?;
    if !acting.permits(Action::RecordEvidence {
        person: &facts,
        by: assessor(new.kind),
        shared,
    }) {
        return Err(AppError::Forbidden);
    }
    let now = Utc::now().trunc_subsecs(6);
    let observed_at = new.observed_at.unwrap_or(now).trunc_subsecs(6);
    if observed_at > now + chrono::Duration::minutes(5) {
        return Err(ValidationError::new("observed_at", "must not be in the future").into());
    }
    // A clock a little ahead: counted as now, so that the stored estimate includes it.
    let observed_at = observed_at.min(now);
    if observed_at.year() < EARLIEST_YEAR {
        return Err(ValidationError::new(
            "observed_at",
            format!("must not be before {EARLIEST_YEAR}"),
        )
        .into());
    }
    // The author is a person of this company; a network admin from another company records
    // without one.
    let author_id = match acting {
        Acting::Principal(p) if p.tenant_id() == scope.tenant_id() => p.person_id(),
        _ => None,
    };
    let evidence = Evidence {
        id: EvidenceId::generate(),
        person_id: person,
        competency_id: new.competency_id,
        kind: new.kind,
        level: level("level", new.level)?,
        observed_at,
        author_id,
        source: validate::text("source", &new.source, 300)?
            .unwrap_or_else(|| new.kind.as_str().to_owned()),
        link: match &new.link {
            Some(link) => validate::text("link", link, 2000)?,
            None => None,
        },
        note: match &new.note {
            Some(note) => validate::text("note", note, 2000)?,
            None => None,
        },
        recorded_at: now,
    };
    store
        .add_evidence(scope, std::slice::from_ref(&evidence))
        .await
        .map_err(invalid_reference("competency_id"))?;
    refresh_estimates_of(store, scope, person, &[evidence.competency_id]).await?;
    Ok(evidence)
}

/// Recomputes and stores a person's estimates of these competencies from all their evidence.
pub async fn refresh_estimates_of(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    competencies: &[CompetencyId],
) -> AppResult<()> {
    let params = MasteryParams::default();
    let now = Utc::now().trunc_subsecs(6);
    // One competency: its own evidence; several: all of the person's, read once.
    let mut by_competency: BTreeMap<CompetencyId, Vec<Evidence>> = BTreeMap::new();
    let single = match competencies {
        [one] => Some(*one),
        _ => None,
    };
    for e in store.evidence(scope, person, single).await? {
        by_competency.entry(e.competency_id).or_default().push(e);
    }
    let mut estimates = Vec::with_capacity(competencies.len());
    for competency in competencies {
        let evidence = by_competency
            .get(competency)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if let Some(estimate) = mastery::estimate(evidence, now, &params) {
            estimates.push(EstimateRecord {
                person_id: person,
                competency_id: *competency,
                level: estimate.level,
                confidence: estimate.confidence,
                evidence_count: u32::try_from(estimate.evidence_count).unwrap_or(u32::MAX),
                computed_at: now,
            });
        }
    }
    store.put_estimates(scope, &estimates).await?;
    Ok(())
}

/// Recomputes every stored estimate of a tenant (evidence decays with age, so estimates drift
/// even when nothing new arrives). Returns how many were refreshed.
pub async fn refresh_estimates(store: &dyn Store, scope: TenantScope) -> AppResult<u64> {
    let mut after = None;
    let mut refreshed = 0;
    loop {
        let pairs = store.evidence_pairs(scope, after, 1000).await?;
        let Some(last) = pairs.last().copied() else {
            return Ok(refreshed);
        };
        let mut by_person: BTreeMap<PersonId, Vec<CompetencyId>> = BTreeMap::new();
        for (person, competency) in &pairs {
            by_person.entry(*person).or_default().push(*competency);
        }
        for (person, competencies) in by_person {
            refresh_estimates_of(store, scope, person, &competencies).await?;
            refreshed += competencies.len() as u64;
        }
        after = Some(last);
    }
}

// ---- a person's profile ----

/// One competency of a person's profile: the live estimate with its explanation, and the evidence.
#[derive(Debug, Clone)]
pub struct ProfileEntry {
    pub competency: CompetencyRecord,
    pub estimate: Option<MasteryEstimate>,
    pub evidence: Vec<Evidence>,
}

/// A person's competency profile: levels, evidence, and gaps against their roles, their goals
/// and the strategic goals of their org unit.
#[derive(Debug, Clone)]
pub struct CompetencyProfile {
    pub person: Person,
    pub shared: bool,
    /// Every competency the person has evidence of or a target in, by competency.
    pub entries: BTreeMap<CompetencyId, ProfileEntry>,
    pub gaps: Vec<Gap>,
    pub roles: Vec<(Role, RoleAssignmentKind)>,
    pub goals: Vec<LearningGoal>,
    /// The strategic goals of the person's org unit and its ancestors (root first), with the
    /// names of the units that set them: the reasons of `TargetSource::Strategic` targets.
    pub strategic_goals: Vec<AppliedStrategicGoal>,
    pub computed_at: DateTime<Utc>,
}

impl CompetencyProfile {
    /// The strategic goal behind a `TargetSource::Strategic { org_unit_id }` of a competency's
    /// gap (a unit has one goal per competency).
    pub fn strategic_goal(
        &self,
        unit: OrgUnitId,
        competency: CompetencyId,
    ) -> Option<&AppliedStrategicGoal> {
        strategic_goal_of(&self.strategic_goals, unit, competency)
    }
}

/// The goal a unit set for a competency, among those that apply to a person.
pub fn strategic_goal_of(
    goals: &[AppliedStrategicGoal],
    unit: OrgUnitId,
    competency: CompetencyId,
) -> Option<&AppliedStrategicGoal> {
    goals
        .iter()
        .find(|a| a.goal.org_unit_id == unit && a.goal.competency_id == competency)
}

/// A person's profile, if the actor may see it (the person always; their manager and L&D only
/// if the person shares it). Reading someone else's is audited with its purpose.
pub async fn profile(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    purpose: &str,
) -> AppResult<CompetencyProfile> {
    let subject = store.person(scope, person).await?;
    let facts = person_facts(store, scope, &subject).await?;
    let shared = store.profile_shared(scope, person).await?;
    if !acting.permits(Action::ViewCompetencyProfile {
        person: &facts,
        shared,
    }) {
        return Err(AppError::NotFound("competency profile"));
    }
    audit_read(
        store,
        acting,
        scope,
        Some(person),
        "competency-profile.read",
        purpose,
    )
    .await?;

    let now = Utc::now().trunc_subsecs(6);
    let evidence = store.evidence(scope, person, None).await?;
    let role_targets = store.person_role_targets(scope, person).await?;
    let goals = store.learning_goals(scope, person).await?;
    let mut targets: Vec<Target> = role_targets
        .iter()
        .map(|t| Target {
            competency_id: t.requirement.competency_id,
            level: t.requirement.target,
            source: TargetSource::Role {
                role_id: t.role_id,
                kind: t.requirement.kind,
                aspired: t.assignment == RoleAssignmentKind::Aspired,
            },
        })
        .collect();
    targets.extend(goals.iter().map(|g| Target {
        competency_id: g.competency_id,
        level: g.target,
        source: TargetSource::Goal { goal_id: g.id },
    }));
    // The strategic goals of the unit and its ancestors, in one read.
    let strategic_goals = match subject.org_unit_id {
        Some(unit) => store.strategic_goals_applying_to(scope, unit).await?,
        None => Vec::new(),
    };
    targets.extend(strategic_goals.iter().map(|a| a.goal.target()));

    let mut by_competency: BTreeMap<CompetencyId, Vec<Evidence>> = BTreeMap::new();
    for e in evidence {
        by_competency.entry(e.competency_id).or_default().push(e);
    }
    let mut ids: Vec<CompetencyId> = by_competency.keys().copied().collect();
    ids.extend(targets.iter().map(|t| t.competency_id));
    ids.sort();
    ids.dedup();
    let params = MasteryParams::default();
    let mut entries = BTreeMap::new();
    for competency in store.competencies(scope, &ids).await? {
        let evidence = by_competency.remove(&competency.id).unwrap_or_default();
        let estimate = mastery::estimate(&evidence, now, &params);
        entries.insert(
            competency.id,
            ProfileEntry {
                competency,
                estimate,
                evidence,
            },
        );
    }
    let gaps = gap::person_gaps(&targets, |id| {
        entries
            .get(&id)
            .and_then(|e| e.estimate.as_ref())
            .map(|e| (e.level, e.confidence))
    });
    let mut roles = Vec::new();
    for assignment in store.role_assignments(scope, person).await? {
        roles.push((
            store.role(scope, assignment.role_id).await?,
            assignment.kind,
        ));
    }
    Ok(CompetencyProfile {
        person: subject,
        shared,
        entries,
        gaps,
        roles,
        goals,
        strategic_goals,
        computed_at: now,
    })
}

/// Shares (or stops sharing) one's own profile with one's manager and L&D.
pub async fn set_profile_shared(
    store: &dyn Store,
    principal: &Principal,
    scope: TenantScope,
    shared: bool,
) -> AppResult<()> {
    let me = principal.person_id().ok_or(AppError::Forbidden)?;
    Ok(store.set_profile_shared(scope, me, shared).await?)
}

/// Sets a personal learning goal for oneself.
pub async fn create_learning_goal(
    store: &dyn Store,
    principal: &Principal,
    scope: TenantScope,
    competency: CompetencyId,
    target: f64,
    due: Option<NaiveDate>,
) -> AppResult<LearningGoal> {
    let me = principal.person_id().ok_or(AppError::Forbidden)?;
    if due.is_some_and(|d| !(EARLIEST_YEAR..=9999).contains(&d.year())) {
        return Err(ValidationError::new(
            "due",
            format!("must be a date between {EARLIEST_YEAR} and 9999"),
        )
        .into());
    }
    let goal = LearningGoal {
        id: LearningGoalId::generate(),
        person_id: me,
        competency_id: competency,
        target: level("target_level", target)?,
        due,
        created_at: Utc::now().trunc_subsecs(6),
    };
    store
        .create_learning_goal(scope, goal.clone())
        .await
        .map_err(invalid_reference("competency_id"))?;
    Ok(goal)
}

/// One's own learning goals.
pub async fn learning_goals(
    store: &dyn Store,
    principal: &Principal,
    scope: TenantScope,
) -> AppResult<Vec<LearningGoal>> {
    let me = principal.person_id().ok_or(AppError::Forbidden)?;
    Ok(store.learning_goals(scope, me).await?)
}

pub async fn delete_learning_goal(
    store: &dyn Store,
    principal: &Principal,
    scope: TenantScope,
    goal: LearningGoalId,
) -> AppResult<()> {
    let me = principal.person_id().ok_or(AppError::Forbidden)?;
    Ok(store.delete_learning_goal(scope, me, goal).await?)
}

// ---- aggregates ----

/// A group's aggregated gaps with the competencies they are about.
#[derive(Debug, Clone)]
pub struct GroupReport {
    pub gaps: GroupGaps,
    pub competencies: HashMap<CompetencyId, CompetencyRecord>,
}

/// The aggregated gaps of a group: a manager's own team (direct reports), an org unit's subtree,
/// or the whole tenant; never for fewer people than the tenant's minimum group size unless
/// everyone in it shares their profile.
pub async fn group_gaps(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    group: PeopleGroup,
) -> AppResult<GroupReport> {
    match group {
        PeopleGroup::ReportsOf(manager) => {
            let own = matches!(acting, Acting::Principal(p) if p.person_id() == Some(manager));
            if !own && !acting.permits(Action::ViewGroupCompetencies { unit_path: None }) {
                return Err(AppError::Forbidden);
            }
        }
        PeopleGroup::OrgUnit(unit) => {
            let path = unit_path(store, scope, Some(unit), "org_unit").await?;
            acting.require(Action::ViewGroupCompetencies {
                unit_path: Some(&path),
            })?;
        }
        PeopleGroup::Tenant => acting.require(Action::ViewGroupCompetencies { unit_path: None })?,
    }
    let tenant = store.tenant(scope.tenant_id()).await?;
    let aggregator = aggregate(store, scope, group).await?;
    let gaps = aggregator.finish(tenant.min_group_size);
    let ids: Vec<CompetencyId> = match &gaps {
        GroupGaps::Report(report) => report
            .competencies
            .iter()
            .map(|c| c.competency_id)
            .collect(),
        GroupGaps::Suppressed { .. } => Vec::new(),
    };
    let competencies = store
        .competencies(scope, &ids)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    Ok(GroupReport { gaps, competencies })
}

/// Reads a group page by page into the aggregator (no permission check: callers check).
pub async fn aggregate(
    store: &dyn Store,
    scope: TenantScope,
    group: PeopleGroup,
) -> AppResult<GroupGapAggregator> {
    let mut aggregator = GroupGapAggregator::new();
    let mut after = None;
    loop {
        let page = store
            .group_competencies(scope, group, after, GROUP_PAGE)
            .await?;
        let Some(last) = page.last() else {
            return Ok(aggregator);
        };
        after = Some(last.person_id);
        for person in &page {
            let mut member = aggregator.member(person.shared);
            for (competency, target) in &person.targets {
                let estimate = person
                    .estimates
                    .iter()
                    .find(|(c, _, _)| c == competency)
                    .map(|(_, level, _)| *level);
                member.add(*competency, *target, estimate);
            }
        }
    }
}

// ---- activities aligned to competencies ----

/// Aligns an xAPI activity (a course, an assessment) to a competency at a level: statements about
/// it become evidence of that competency (see [`crate::statement_evidence`]).
pub async fn align_activity(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    activity_id: &str,
    competency: CompetencyId,
    target: f64,
) -> AppResult<()> {
    acting.require(Action::ManageFrameworks)?;
    let activity_id = activity_id.trim();
    if activity_id.is_empty() || activity_id.len() > 2000 || !activity_id.contains(':') {
        return Err(ValidationError::new("activity_id", "must be an IRI (an activity id)").into());
    }
    store
        .align_activity(scope, activity_id, competency, level("level", target)?)
        .await
        .map_err(invalid_reference("competency_id"))?;
    Ok(())
}

// ---- proficiency scales ----

/// The scales a tenant can use: the built-in default 0–4 scale first, then the tenant's own.
pub async fn scales(store: &dyn Store, scope: TenantScope) -> AppResult<Vec<ProficiencyScale>> {
    let mut scales = vec![ProficiencyScale::default_scale()];
    for record in store.scales(scope).await? {
        let levels: Vec<ProficiencyLevel> =
            serde_json::from_str(&record.levels_json).map_err(|e| {
                AppError::Internal(format!("stored scale {} unreadable: {e}", record.id))
            })?;
        let scale = ProficiencyScale::new(
            Some(record.id),
            LocalizedText::new(record.name_de, record.name_en),
            levels,
        )
        .map_err(|e| AppError::Internal(format!("stored scale {} invalid: {e}", record.id)))?;
        scales.push(scale);
    }
    Ok(scales)
}

/// Adds a tenant's own scale (for example DQR/EQF 1–8); its levels map onto the default scale so
/// that levels of different scales compare.
pub async fn create_scale(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    name: LocalizedText,
    levels: Vec<ProficiencyLevel>,
) -> AppResult<ProficiencyScale> {
    acting.require(Action::ManageFrameworks)?;
    for text in [&name.de, &name.en]
        .into_iter()
        .chain(levels.iter().flat_map(|l| [&l.label.de, &l.label.en]))
    {
        validate::text("name", text, 200)?;
    }
    for text in levels
        .iter()
        .flat_map(|l| [&l.descriptor.de, &l.descriptor.en])
    {
        validate::text("descriptor", text, 1000)?;
    }
    let id = mycel_organisation::ProficiencyScaleId::generate();
    let scale = ProficiencyScale::new(Some(id), name, levels)
        .map_err(|e| ValidationError::new("levels", e.to_string()))?;
    let levels_json =
        serde_json::to_string(scale.levels()).map_err(|e| AppError::Internal(e.to_string()))?;
    store
        .create_scale(
            scope,
            mycel_store::competencies::ScaleRecord {
                id,
                name_en: scale.name().en.clone(),
                name_de: scale.name().de.clone(),
                levels_json,
            },
        )
        .await?;
    Ok(scale)
}
