//! The learning journal ("Lerntagebuch"): a person records what they learned at work or elsewhere,
//! with the competencies it touched, the time, and an optional reflection. An entry is private
//! until the person shares it. It becomes an xAPI statement ("experienced", without the reflection)
//! and weak self-reported evidence (`EvidenceKind::Journal`) per competency; the person's manager
//! (or L&D, as for any assessment) may confirm a shared entry, which records stronger evidence
//! (`ManagerAssessment`). Deleting an entry deletes its evidence and voids its statement.

use crate::competencies::{self, NewEvidence};
use crate::statement_feed::StatementSignal;
use crate::{Acting, AppError, AppResult};
use chrono::{Datelike, NaiveDate, SubsecRound, Utc};
use mycel_competency::evidence::EvidenceKind;
use mycel_organisation::{CompetencyId, PersonId, Principal, ValidationError};
use mycel_store::journal::JournalEntryRecord;
use mycel_store::{Store, TenantScope};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

pub const MAX_TITLE: usize = 200;
pub const MAX_REFLECTION: usize = 4000;
pub const MAX_COMPETENCIES: usize = 10;
/// The verb of an entry's statement (ADL's vocabulary).
pub const EXPERIENCED: &str = "http://adlnet.gov/expapi/verbs/experienced";
const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";

/// A competency an entry touched, and the level the person thinks they reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct JournalCompetency {
    pub competency_id: CompetencyId,
    pub level: f64,
}

/// What a person writes.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalInput {
    pub title: String,
    pub learned_on: NaiveDate,
    pub minutes: u32,
    pub competencies: Vec<JournalCompetency>,
    pub reflection: String,
    pub shared: bool,
}

/// An entry as pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub record: JournalEntryRecord,
    pub competencies: Vec<JournalCompetency>,
}

fn me(acting: Acting<'_>) -> AppResult<PersonId> {
    match acting {
        Acting::Principal(Principal::Person { person_id, .. }) => Ok(*person_id),
        _ => Err(AppError::Forbidden),
    }
}

/// The entry's activity id: the object of its statement and the link of its evidence.
pub fn activity_id(home_page: &str, entry: Uuid) -> String {
    format!("{}/journal/{entry}", home_page.trim_end_matches('/'))
}

fn statement_id(entry: Uuid) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("journal:{entry}").as_bytes())
}

fn entry_of(record: JournalEntryRecord) -> AppResult<JournalEntry> {
    let competencies = serde_json::from_str(&record.competencies)
        .map_err(|e| AppError::Internal(format!("a stored journal entry cannot be read: {e}")))?;
    Ok(JournalEntry {
        record,
        competencies,
    })
}

fn validate(input: &JournalInput, today: NaiveDate) -> AppResult<()> {
    let invalid =
        |field, reason: &str| -> AppResult<()> { Err(ValidationError::new(field, reason).into()) };
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return invalid(
            "title",
            "say in a few words what you learned (at most 200 characters)",
        );
    }
    if !(1..=1440).contains(&input.minutes) {
        return invalid("minutes", "between 1 minute and 24 hours");
    }
    if input.learned_on > today || input.learned_on.year() < 2000 {
        return invalid("learned_on", "a day between 2000 and today");
    }
    if input.competencies.is_empty() || input.competencies.len() > MAX_COMPETENCIES {
        return invalid("competencies", "one to ten competencies");
    }
    if input
        .competencies
        .iter()
        .any(|c| !(0.0..=4.0).contains(&c.level) || !c.level.is_finite())
    {
        return invalid("level", "levels are between 0 and 4");
    }
    if input.reflection.chars().count() > MAX_REFLECTION || input.reflection.contains('\0') {
        return invalid("reflection", "at most 4,000 characters");
    }
    Ok(())
}

/// A person writes an entry into their own journal.
pub async fn create_entry(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    signal: &StatementSignal,
    home_page: &str,
    input: JournalInput,
) -> AppResult<JournalEntry> {
    let person = me(acting)?;
    let now = Utc::now().trunc_subsecs(6);
    validate(&input, now.date_naive())?;
    let ids: Vec<CompetencyId> = input.competencies.iter().map(|c| c.competency_id).collect();
    let known = store.competencies(scope, &ids).await?;
    if ids.iter().any(|id| !known.iter().any(|c| c.id == *id)) {
        return Err(ValidationError::new("competencies", "a competency does not exist").into());
    }
    let id = Uuid::now_v7();
    let record = JournalEntryRecord {
        id,
        person_id: person,
        title: input.title.trim().to_owned(),
        learned_on: input.learned_on,
        minutes: input.minutes,
        competencies: serde_json::to_string(&input.competencies)
            .map_err(|e| AppError::Internal(e.to_string()))?,
        reflection: input.reflection.trim().to_owned(),
        shared: input.shared,
        confirmed_by: None,
        confirmed_at: None,
        created_at: now,
    };
    store.create_journal_entry(scope, &record).await?;
    let link = activity_id(home_page, id);
    let observed = input
        .learned_on
        .and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
        .filter(|t| *t <= now)
        .unwrap_or(now);
    for c in &input.competencies {
        competencies::record_evidence(
            store,
            acting,
            scope,
            person,
            NewEvidence {
                competency_id: c.competency_id,
                kind: EvidenceKind::Journal,
                level: c.level,
                source: format!("Lerntagebuch / journal: {}", record.title),
                link: Some(link.clone()),
                note: None,
                observed_at: Some(observed),
            },
        )
        .await?;
    }
    let statement = json!({
        "id": statement_id(id),
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": person.to_string()}},
        "verb": {"id": EXPERIENCED, "display": {"en-US": "experienced", "de-DE": "erlebte"}},
        "object": {"objectType": "Activity", "id": link,
                   "definition": {"name": {"und": record.title}}},
        "result": {"duration": format!("PT{}M", record.minutes)},
        "context": {"extensions": {
            format!("{}/xapi/extensions/competencies", home_page.trim_end_matches('/')):
                ids.iter().map(ToString::to_string).collect::<Vec<_>>()
        }},
        "timestamp": observed.to_rfc3339(),
    });
    crate::lrs::record_own_statements(store, scope, home_page, vec![statement], signal, "journal")
        .await?;
    entry_of(record)
}

/// A person's own entries, newest learning first.
pub async fn my_entries(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
) -> AppResult<Vec<JournalEntry>> {
    let person = me(acting)?;
    store
        .journal_entries(scope, person)
        .await?
        .into_iter()
        .map(entry_of)
        .collect()
}

/// The shared, unconfirmed entries of someone the actor may assess as manager (others see none:
/// private entries are nobody else's business). Reading them is audited.
pub async fn entries_to_confirm(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<Vec<JournalEntry>> {
    if !may_confirm(store, acting, scope, person).await? {
        return Ok(Vec::new());
    }
    let entries: Vec<JournalEntry> = store
        .journal_entries(scope, person)
        .await?
        .into_iter()
        .filter(|e| e.shared && e.confirmed_by.is_none())
        .map(entry_of)
        .collect::<AppResult<_>>()?;
    if !entries.is_empty() {
        crate::organisation::audit_read(
            store,
            acting,
            scope,
            Some(person),
            "journal.read",
            "confirming learning journal entries",
        )
        .await?;
    }
    Ok(entries)
}

async fn may_confirm(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<bool> {
    if me(acting).ok() == Some(person) {
        return Ok(false);
    }
    competencies::may_record_as_manager(store, acting, scope, person).await
}

/// The person's manager (or L&D) confirms a shared entry: evidence of a manager's assessment at
/// the entry's levels.
pub async fn confirm_entry(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    home_page: &str,
    person: PersonId,
    entry: Uuid,
) -> AppResult<()> {
    let record = store.journal_entry(scope, entry).await?;
    // Another person's, a private entry, or one the actor may not assess: not found.
    if record.person_id != person
        || !record.shared
        || !may_confirm(store, acting, scope, record.person_id).await?
    {
        return Err(AppError::NotFound("journal entry"));
    }
    let by = me(acting)?;
    store
        .confirm_journal_entry(scope, entry, by, Utc::now().trunc_subsecs(6))
        .await?;
    let entry = entry_of(record)?;
    for c in &entry.competencies {
        competencies::record_evidence(
            store,
            acting,
            scope,
            entry.record.person_id,
            NewEvidence {
                competency_id: c.competency_id,
                kind: EvidenceKind::ManagerAssessment,
                level: c.level,
                source: format!(
                    "Lerntagebuch bestätigt / journal confirmed: {}",
                    entry.record.title
                ),
                link: Some(activity_id(home_page, entry.record.id)),
                note: None,
                observed_at: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// A person shares an entry or makes it private again (until it is confirmed).
pub async fn set_shared(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    entry: Uuid,
    shared: bool,
) -> AppResult<()> {
    let person = me(acting)?;
    store
        .set_journal_entry_shared(scope, person, entry, shared)
        .await?;
    Ok(())
}

/// A person deletes an entry of their own journal: its evidence goes with it, its statement is
/// voided, and the estimates of its competencies are computed again.
pub async fn delete_entry(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    signal: &StatementSignal,
    home_page: &str,
    entry: Uuid,
) -> AppResult<()> {
    let person = me(acting)?;
    let record = store.journal_entry(scope, entry).await?;
    if record.person_id != person {
        return Err(AppError::NotFound("journal entry"));
    }
    let parsed = entry_of(record)?;
    store
        .delete_journal_entry(scope, person, entry, &activity_id(home_page, entry))
        .await?;
    let voiding = json!({
        "actor": {"objectType": "Agent", "account": {"homePage": home_page, "name": person.to_string()}},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": statement_id(entry)},
    });
    crate::lrs::record_own_statements(store, scope, home_page, vec![voiding], signal, "journal")
        .await?;
    let ids: Vec<CompetencyId> = parsed
        .competencies
        .iter()
        .map(|c| c.competency_id)
        .collect();
    competencies::refresh_estimates_of(store, scope, person, &ids).await?;
    Ok(())
}
