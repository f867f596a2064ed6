//! Assigned learning and its completion: managers assign opportunities to their reports, L&D to
//! anyone of the company, by person, role or org unit, with a due date. Completions come from the
//! learning record store: a reader of the change feed (like the evidence reader) records a
//! completion when a statement says a person of the company passed, completed or attended one of
//! the company's opportunities, and a rating when one says they rated it
//! (`recommendations::record_ratings`). A completion of compliance training is a certification,
//! valid for the opportunity's recertification period; what is due again is shown with the
//! person's learning. A blended program is completed by its parts, too: when every required part
//! and enough of each elective group are.

use crate::statement_evidence::{outcome, person_of, ActorKey};
use crate::statement_feed::StatementSignal;
use crate::{Acting, AppError, AppResult};
use chrono::{DateTime, NaiveDate, Utc};
use mycel_catalogue::validity::valid_until;
use mycel_catalogue::Lifecycle;
use mycel_organisation::{
    AccessRole, Action, OpportunityId, OrgUnitId, PersonId, Principal, RoleId, ValidationError,
};
use mycel_store::catalogue::{AssignmentRecord, CompletionRecord, OpportunityRecord};
use mycel_store::{PeopleQuery, Store, TenantScope};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// The change feed reader's name (its cursor is stored under it).
pub const CONSUMER: &str = "catalogue-completions";
/// Statements read per round.
const PAGE: u32 = 500;
/// Certifications this close to their end are "expiring".
pub const EXPIRING_DAYS: i64 = 60;

/// Whom to assign an opportunity to.
#[derive(Debug, Clone, Default)]
pub struct AssignTo {
    pub people: Vec<PersonId>,
    /// Everyone holding the role now.
    pub roles: Vec<RoleId>,
    /// Everyone in the unit and the units below it.
    pub org_units: Vec<OrgUnitId>,
}

/// Assigns one of the company's published opportunities. L&D may assign to anyone of the
/// company; a manager only to their direct reports (people, not roles or units). Returns how
/// many people got a new assignment.
pub async fn assign(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
    to: &AssignTo,
    due: Option<NaiveDate>,
) -> AppResult<u64> {
    let record = store.opportunity(scope, opportunity).await?;
    if record.tenant_id != scope.tenant_id() {
        return Err(ValidationError::new(
            "opportunity",
            "only the company's own opportunities are assigned (yet)",
        )
        .into());
    }
    if record.lifecycle != Lifecycle::Published {
        return Err(
            ValidationError::new("opportunity", "assign published opportunities only").into(),
        );
    }
    if due.is_some_and(|d| d < Utc::now().date_naive()) {
        return Err(ValidationError::new("due", "must not be in the past").into());
    }
    let lnd = acting.permits(Action::ManageCatalogue);
    let mut people: BTreeSet<PersonId> = to.people.iter().copied().collect();
    if !lnd {
        let Acting::Principal(principal @ Principal::Person { person_id, .. }) = acting else {
            return Err(AppError::Forbidden);
        };
        if !principal.has_role(AccessRole::Manager)
            || !to.roles.is_empty()
            || !to.org_units.is_empty()
        {
            return Err(AppError::Forbidden);
        }
        for person in &people {
            let report = store.person(scope, *person).await?;
            if report.manager_id != Some(*person_id) {
                return Err(AppError::Forbidden);
            }
        }
    }
    for role in &to.roles {
        store
            .role(scope, *role)
            .await
            .map_err(|_| ValidationError::new("role_ids", "no such role in this company"))?;
        people.extend(store.people_in_role(scope, *role).await?);
    }
    for unit in &to.org_units {
        store.org_unit(scope, *unit).await.map_err(|_| {
            ValidationError::new("org_unit_ids", "no such org unit in this company")
        })?;
        let mut after = None;
        loop {
            let page = store
                .list_people(
                    scope,
                    PeopleQuery {
                        org_unit: Some(*unit),
                        after,
                        limit: 1000,
                    },
                )
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            people.extend(page.iter().map(|p| p.id));
        }
    }
    if people.is_empty() {
        return Err(ValidationError::new("person_ids", "nobody to assign to").into());
    }
    let people: Vec<PersonId> = people.into_iter().collect();
    let by = match acting {
        Acting::Principal(p) => p.person_id(),
        Acting::Operator => None,
    };
    store
        .assign(scope, opportunity, &people, due, by)
        .await
        .map_err(|e| match e {
            mycel_store::StoreError::InvalidReference(_) => ValidationError::new(
                "person_ids",
                "someone named is not a person of this company",
            )
            .into(),
            other => other.into(),
        })
}

/// Where an assignment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssignmentStatus {
    Open,
    /// Past its due date, not completed.
    Overdue,
    Completed,
    /// Completed once, but the certification has run out: to be taken again.
    RecertificationDue,
}

impl AssignmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Overdue => "overdue",
            Self::Completed => "completed",
            Self::RecertificationDue => "recertification-due",
        }
    }
}

/// Where a certification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificationStatus {
    Valid,
    /// Runs out within [`EXPIRING_DAYS`].
    Expiring,
    Expired,
}

impl CertificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
        }
    }
}

#[derive(Debug, Clone)]
pub struct AssignmentView {
    pub assignment: AssignmentRecord,
    pub opportunity: OpportunityRecord,
    pub status: AssignmentStatus,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct CertificationView {
    pub opportunity: OpportunityRecord,
    pub completed_at: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub status: CertificationStatus,
}

/// A person's assigned learning and certifications.
#[derive(Debug, Clone, Default)]
pub struct LearningRecord {
    pub assignments: Vec<AssignmentView>,
    pub certifications: Vec<CertificationView>,
}

/// The assignments and certifications of a person: their own, or as their manager or L&D.
pub async fn learning_record(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
) -> AppResult<LearningRecord> {
    let oneself = acting.audit_actor() == Some(mycel_store::Actor::Person(person));
    if !oneself {
        let manager = match acting {
            Acting::Principal(p @ Principal::Person { person_id, .. })
                if p.has_role(AccessRole::Manager) =>
            {
                store.person(scope, person).await?.manager_id == Some(*person_id)
            }
            _ => false,
        };
        if !manager
            && !acting.permits(Action::ManageCatalogue)
            && !matches!(acting, Acting::Operator)
        {
            return Err(AppError::Forbidden);
        }
        crate::organisation::audit_read(
            store,
            acting,
            scope,
            Some(person),
            "learning-record.read",
            "training administration",
        )
        .await?;
    }
    record_of(store, scope, person, now).await
}

/// A person's learning record, without permission checks (the callers check).
async fn record_of(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
) -> AppResult<LearningRecord> {
    let assignments = store.person_assignments(scope, person).await?;
    let completions = store.person_completions(scope, person).await?;
    // The latest completion of each opportunity (completions come newest first).
    let mut latest: HashMap<OpportunityId, DateTime<Utc>> = HashMap::new();
    for completion in &completions {
        latest
            .entry(completion.opportunity_id)
            .or_insert(completion.completed_at);
    }
    let mut ids: Vec<OpportunityId> = assignments.iter().map(|a| a.opportunity_id).collect();
    ids.extend(latest.keys().copied());
    ids.sort();
    ids.dedup();
    let opportunities: HashMap<OpportunityId, OpportunityRecord> = store
        .opportunities_by_id(scope, &ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let expiry = |opportunity: &OpportunityRecord, done: DateTime<Utc>| {
        opportunity
            .draft
            .recertify_after_months
            .map(|months| valid_until(done, months))
    };
    let mut record = LearningRecord::default();
    for assignment in assignments {
        let Some(opportunity) = opportunities.get(&assignment.opportunity_id) else {
            continue;
        };
        let completed_at = latest.get(&assignment.opportunity_id).copied();
        let status = match completed_at {
            Some(done) if expiry(opportunity, done).is_some_and(|until| until <= now) => {
                AssignmentStatus::RecertificationDue
            }
            Some(_) => AssignmentStatus::Completed,
            None if assignment.due.is_some_and(|due| due < now.date_naive()) => {
                AssignmentStatus::Overdue
            }
            None => AssignmentStatus::Open,
        };
        record.assignments.push(AssignmentView {
            assignment,
            opportunity: opportunity.clone(),
            status,
            completed_at,
        });
    }
    for (id, done) in &latest {
        let Some(opportunity) = opportunities.get(id) else {
            continue;
        };
        let Some(until) = expiry(opportunity, *done) else {
            continue;
        };
        let status = if until <= now {
            CertificationStatus::Expired
        } else if until - now <= chrono::Duration::days(EXPIRING_DAYS) {
            CertificationStatus::Expiring
        } else {
            CertificationStatus::Valid
        };
        record.certifications.push(CertificationView {
            opportunity: opportunity.clone(),
            completed_at: *done,
            valid_until: until,
            status,
        });
    }
    record.certifications.sort_by_key(|c| c.valid_until);
    Ok(record)
}

/// Records the completions a page of statements shows. Returns how many were new.
pub async fn record_statements(
    store: &dyn Store,
    scope: TenantScope,
    statements: &[mycel_store::lrs::StoredStatement],
) -> AppResult<u64> {
    let outcomes: Vec<_> = statements
        .iter()
        .filter(|s| !s.is_voiding)
        .filter_map(|s| serde_json::from_str::<serde_json::Value>(&s.json).ok())
        .filter_map(|json| outcome(&json))
        // Passed, completed, attended: not failed.
        .filter(|o| o.fraction >= 0.75)
        .filter_map(|o| {
            Some((
                crate::catalogue::opportunity_of_activity(&o.activity_id)?,
                o,
            ))
        })
        .collect();
    if outcomes.is_empty() {
        return Ok(0);
    }
    let ids: Vec<OpportunityId> = outcomes
        .iter()
        .map(|(id, _)| *id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let own: BTreeSet<OpportunityId> = store
        .opportunities_by_id(scope, &ids)
        .await?
        .into_iter()
        .filter(|o| o.tenant_id == scope.tenant_id())
        .map(|o| o.id)
        .collect();
    let mut people: HashMap<ActorKey, Option<PersonId>> = HashMap::new();
    let mut completions = Vec::new();
    for (opportunity, outcome) in &outcomes {
        if !own.contains(opportunity) {
            continue;
        }
        let Some(person) = person_of(store, scope, &outcome.actor, &mut people).await? else {
            continue;
        };
        completions.push(CompletionRecord {
            person_id: person,
            opportunity_id: *opportunity,
            completed_at: chrono::SubsecRound::trunc_subsecs(outcome.observed_at, 6),
            statement_id: outcome.statement_id.clone(),
        });
    }
    if completions.is_empty() {
        return Ok(0);
    }
    let programs = programs_completed_by(store, scope, &completions).await?;
    completions.extend(programs);
    Ok(store.record_completions(scope, &completions).await?)
}

/// The programs these completions complete: a program counts as completed when every required
/// part and `choose` parts of each elective group are (`mycel_catalogue::program`), recorded
/// once, under the statement of the part that completed it. A statement about the program itself
/// counts as before (and is how a program is completed again for recertification).
async fn programs_completed_by(
    store: &dyn Store,
    scope: TenantScope,
    completions: &[CompletionRecord],
) -> AppResult<Vec<CompletionRecord>> {
    let parts: Vec<OpportunityId> = completions
        .iter()
        .map(|c| c.opportunity_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let program_ids = store.programs_containing(scope, &parts).await?;
    if program_ids.is_empty() {
        return Ok(Vec::new());
    }
    let programs = store.opportunities_by_id(scope, &program_ids).await?;
    let people: BTreeSet<PersonId> = completions.iter().map(|c| c.person_id).collect();
    let mut completed_programs = Vec::new();
    for person in people {
        let mine: Vec<&CompletionRecord> = completions
            .iter()
            .filter(|c| c.person_id == person)
            .collect();
        let mut done: BTreeSet<OpportunityId> = store
            .person_completions(scope, person)
            .await?
            .into_iter()
            .map(|c| c.opportunity_id)
            .collect();
        done.extend(mine.iter().map(|c| c.opportunity_id));
        for program in &programs {
            if done.contains(&program.id)
                || !mycel_catalogue::program::completed_by_parts(
                    &program.draft.parts,
                    &program.draft.elective_groups,
                    |id| done.contains(&id),
                )
            {
                continue;
            }
            let last = mine
                .iter()
                .filter(|c| {
                    program
                        .draft
                        .parts
                        .iter()
                        .any(|p| p.opportunity_id == c.opportunity_id)
                })
                .max_by_key(|c| c.completed_at);
            if let Some(last) = last {
                completed_programs.push(CompletionRecord {
                    person_id: person,
                    opportunity_id: program.id,
                    completed_at: last.completed_at,
                    statement_id: last.statement_id.clone(),
                });
            }
        }
    }
    Ok(completed_programs)
}

/// Reads a company's new statements into completions, from the stored cursor.
pub async fn catch_up(store: &dyn Store, scope: TenantScope) -> AppResult<u64> {
    let mut cursor = store.feed_cursor(scope, CONSUMER).await?;
    let mut added = 0;
    loop {
        let page = store.statements_after(scope, cursor, PAGE).await?;
        let Some(last) = page.last().map(|s| s.seq) else {
            return Ok(added);
        };
        added += record_statements(store, scope, &page).await?;
        // Ratings ("rated" statements) are read here too, from the same page.
        crate::recommendations::record_ratings(store, scope, &page).await?;
        store.set_feed_cursor(scope, CONSUMER, last).await?;
        cursor = last;
    }
}

/// Runs forever: catches every company up, then sleeps until statements are stored.
pub async fn run(store: Arc<dyn Store>, signal: Arc<StatementSignal>) {
    let mut rings = signal.subscribe();
    loop {
        match store.list_tenants().await {
            Ok(tenants) => {
                for tenant in tenants {
                    if let Err(error) = catch_up(&*store, TenantScope::system(tenant.id)).await {
                        tracing::warn!(tenant = %tenant.slug, %error, "statements could not become completions");
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "could not list the companies"),
        }
        let _ = tokio::time::timeout(std::time::Duration::from_secs(60), rings.changed()).await;
    }
}

/// Something in a manager's team that needs attention.
#[derive(Debug, Clone)]
pub struct TeamItem {
    pub person: mycel_organisation::Person,
    pub opportunity: OpportunityRecord,
    /// `overdue`, `recertification-due`, `expiring` or `expired`.
    pub kind: &'static str,
    /// The due date or the end of the certification.
    pub date: Option<NaiveDate>,
}

/// The acting manager's direct reports' overdue assignments and running-out certifications
/// (the reminders a manager acts on). Reading it is audited once, as a listing.
pub async fn team_due(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    now: DateTime<Utc>,
) -> AppResult<Vec<TeamItem>> {
    let manager = match acting {
        Acting::Principal(p @ Principal::Person { person_id, .. })
            if p.has_role(AccessRole::Manager) =>
        {
            *person_id
        }
        _ => return Ok(Vec::new()),
    };
    let mut items = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .group_competencies(
                scope,
                mycel_store::competencies::PeopleGroup::ReportsOf(manager),
                after,
                200,
            )
            .await?;
        let Some(last) = page.last() else { break };
        after = Some(last.person_id);
        for member in &page {
            let person = store.person(scope, member.person_id).await?;
            let record = record_of(store, scope, person.id, now).await?;
            for a in record.assignments {
                let kind = match a.status {
                    AssignmentStatus::Overdue => "overdue",
                    AssignmentStatus::RecertificationDue => "recertification-due",
                    _ => continue,
                };
                items.push(TeamItem {
                    person: person.clone(),
                    opportunity: a.opportunity,
                    kind,
                    date: a.assignment.due,
                });
            }
            for c in record.certifications {
                let kind = match c.status {
                    CertificationStatus::Expiring => "expiring",
                    CertificationStatus::Expired => "expired",
                    CertificationStatus::Valid => continue,
                };
                items.push(TeamItem {
                    person: person.clone(),
                    opportunity: c.opportunity,
                    kind,
                    date: Some(c.valid_until.date_naive()),
                });
            }
        }
        if page.len() < 200 {
            break;
        }
    }
    if !items.is_empty() {
        crate::organisation::audit_read(
            store,
            acting,
            scope,
            None,
            "team.learning.list",
            "Manager: fällige Pflichtschulungen des Teams",
        )
        .await?;
    }
    items.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(a.person.display_name.cmp(&b.person.display_name))
    });
    Ok(items)
}
