//! Statements become evidence: a reader of the LRS change feed that turns statements about
//! activities aligned to competencies (completion, success, score) into evidence of the actor's
//! level, and updates their estimates.
//!
//! Which level a statement shows, for an activity aligned at level *L*:
//! - passed or mastered, or `result.success` true: *L*;
//! - failed, or `result.success` false: *L* × the scaled score (if the result has one), else
//!   *L* × 0.5 — having tried and failed still says something, but less;
//! - completed or attended, or `result.completion` true, without a success verdict: *L* × 0.75
//!   (finished, not assessed);
//! - anything else (launched, initialized, progressed, terminated, …): no evidence.
//!
//! The actor is matched to a person of the tenant by e-mail address (`mbox`), or by an account
//! whose name is the person's id. Statements of actors Mycel does not know are skipped. Each
//! statement gives at most one piece of evidence per competency (the store skips repeats), so
//! reading the feed twice changes nothing. Evidence of a statement voided later is kept (a known
//! limitation; voiding is rare and meant for corrections of the LRS record).

use crate::competencies::refresh_estimates_of;
use crate::statement_feed::StatementSignal;
use crate::AppResult;
use chrono::{DateTime, SubsecRound, Utc};
use mycel_competency::scale::Level;
use mycel_competency::{Evidence, EvidenceKind};
use mycel_organisation::{CompetencyId, EvidenceId, PersonId};
use mycel_store::lrs::StoredStatement;
use mycel_store::{Store, TenantScope};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The change feed reader's name (its cursor is stored under it).
pub const CONSUMER: &str = "competency-evidence";
/// Statements read per round.
const PAGE: u32 = 500;

const PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
const MASTERED: &str = "http://adlnet.gov/expapi/verbs/mastered";
const FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
const COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
/// A classroom attendance (Mycel's trainers' lists write these): counts as a completion.
pub const ATTENDED: &str = "http://adlnet.gov/expapi/verbs/attended";
/// cmi5's "satisfied" (the LMS writes it when a course's moveOn rules are met): a completion.
pub const SATISFIED: &str = "https://w3id.org/xapi/adl/verbs/satisfied";

/// What a statement says about its actor in an activity, before alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub statement_id: String,
    pub activity_id: String,
    pub activity_name: Option<String>,
    pub actor: ActorKey,
    /// The fraction of the aligned level the statement shows.
    pub fraction: f64,
    pub verb: String,
    pub observed_at: DateTime<Utc>,
}

/// How a statement's actor is matched to a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActorKey {
    Email(String),
    PersonId(PersonId),
}

/// Reads what a stored statement shows (`None` for statements that show nothing).
pub fn outcome(statement: &Value) -> Option<Outcome> {
    let verb = statement.pointer("/verb/id")?.as_str()?;
    let object = statement.get("object")?;
    if object
        .get("objectType")
        .and_then(Value::as_str)
        .is_some_and(|t| t != "Activity")
    {
        return None;
    }
    let activity_id = object.get("id")?.as_str()?.to_owned();
    let result = statement.get("result");
    let success = result
        .and_then(|r| r.get("success"))
        .and_then(Value::as_bool);
    let completion = result
        .and_then(|r| r.get("completion"))
        .and_then(Value::as_bool);
    let scaled = result
        .and_then(|r| r.pointer("/score/scaled"))
        .and_then(Value::as_f64);
    let fraction = if verb == PASSED || verb == MASTERED || success == Some(true) {
        1.0
    } else if verb == FAILED || success == Some(false) {
        scaled.map_or(0.5, |s| s.clamp(0.0, 1.0))
    } else if verb == COMPLETED || verb == ATTENDED || verb == SATISFIED || completion == Some(true)
    {
        0.75
    } else {
        return None;
    };
    let actor = actor_key(statement.get("actor")?)?;
    let observed_at = statement
        .get("timestamp")
        .or_else(|| statement.get("stored"))
        .and_then(Value::as_str)
        .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|t| t.with_timezone(&Utc))?;
    let activity_name = object.pointer("/definition/name").and_then(|names| {
        ["de-DE", "de", "en-US", "en-GB", "en"]
            .iter()
            .find_map(|lang| names.get(*lang))
            .or_else(|| names.as_object().and_then(|m| m.values().next()))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    Some(Outcome {
        statement_id: statement.get("id")?.as_str()?.to_owned(),
        activity_id,
        activity_name,
        actor,
        fraction,
        verb: verb.to_owned(),
        observed_at,
    })
}

pub(crate) fn actor_key(actor: &Value) -> Option<ActorKey> {
    if let Some(mbox) = actor.get("mbox").and_then(Value::as_str) {
        return mbox
            .strip_prefix("mailto:")
            .map(|email| ActorKey::Email(email.to_lowercase()));
    }
    actor
        .pointer("/account/name")
        .and_then(Value::as_str)
        .and_then(|name| name.parse().ok())
        .map(ActorKey::PersonId)
}

/// The person of the company a statement's actor is, remembered in `known` for the rest of a
/// page. Unknown actors are `None`; a database error is returned (the page is read again).
pub(crate) async fn person_of(
    store: &dyn Store,
    scope: TenantScope,
    actor: &ActorKey,
    known: &mut HashMap<ActorKey, Option<PersonId>>,
) -> AppResult<Option<PersonId>> {
    if let Some(found) = known.get(actor) {
        return Ok(*found);
    }
    let found = match actor {
        ActorKey::Email(email) => store
            .login_candidate(scope, email)
            .await?
            .map(|c| c.person.id),
        ActorKey::PersonId(id) => match store.person(scope, *id).await {
            Ok(person) => Some(person.id),
            Err(mycel_store::StoreError::NotFound(_)) => None,
            Err(error) => return Err(error.into()),
        },
    };
    known.insert(actor.clone(), found);
    Ok(found)
}

/// Text from a statement as evidence keeps it: without control characters (xAPI allows them in
/// names; PostgreSQL cannot store NUL, and one such statement must not stop the reader), at most
/// 300 characters.
fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(300).collect()
}

/// Turns a page of statements into evidence and updates the estimates it touches. Returns how
/// many pieces of evidence were new.
pub async fn record_statements(
    store: &dyn Store,
    scope: TenantScope,
    statements: &[StoredStatement],
) -> AppResult<u64> {
    let outcomes: Vec<Outcome> = statements
        .iter()
        .filter(|s| !s.is_voiding)
        .filter_map(|s| serde_json::from_str::<Value>(&s.json).ok())
        .filter_map(|json| outcome(&json))
        .collect();
    if outcomes.is_empty() {
        return Ok(0);
    }
    let activities: Vec<String> = outcomes
        .iter()
        .map(|o| o.activity_id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut aligned: HashMap<String, Vec<(CompetencyId, Level)>> = HashMap::new();
    for (activity, competency, level) in store.activity_alignments(scope, &activities).await? {
        aligned
            .entry(activity)
            .or_default()
            .push((competency, level));
    }
    // Mycel's own opportunities are aligned in the catalogue: their activity ids end in
    // `/catalog/opportunities/<id>`.
    let opportunities: HashMap<mycel_organisation::OpportunityId, &String> = activities
        .iter()
        .filter_map(|activity| {
            Some((
                crate::catalogue::opportunity_of_activity(activity)?,
                activity,
            ))
        })
        .collect();
    if !opportunities.is_empty() {
        let ids: Vec<_> = opportunities.keys().copied().collect();
        // Only the company's own published opportunities: another company's offer may teach
        // competencies of that company's own framework, which this company cannot hold
        // evidence for.
        for record in store
            .opportunities_by_id(scope, &ids)
            .await?
            .into_iter()
            .filter(|r| {
                r.tenant_id == scope.tenant_id() && r.lifecycle != mycel_catalogue::Lifecycle::Draft
            })
        {
            if let Some(activity) = opportunities.get(&record.id) {
                let entry = aligned.entry((*activity).clone()).or_default();
                for alignment in &record.draft.alignments {
                    if !entry.iter().any(|(c, _)| *c == alignment.competency_id) {
                        entry.push((alignment.competency_id, alignment.level));
                    }
                }
            }
        }
    }
    if aligned.is_empty() {
        return Ok(0);
    }
    let mut people: HashMap<ActorKey, Option<PersonId>> = HashMap::new();
    let now = Utc::now().trunc_subsecs(6);
    let mut evidence = Vec::new();
    for outcome in &outcomes {
        let Some(alignments) = aligned.get(&outcome.activity_id) else {
            continue;
        };
        let person = person_of(store, scope, &outcome.actor, &mut people).await?;
        let Some(person) = person else {
            continue;
        };
        for (competency, level) in alignments {
            evidence.push(Evidence {
                id: EvidenceId::generate(),
                person_id: person,
                competency_id: *competency,
                kind: EvidenceKind::Statement,
                level: Level::clamped(level.value() * outcome.fraction),
                observed_at: outcome.observed_at.trunc_subsecs(6),
                author_id: None,
                source: printable(
                    outcome
                        .activity_name
                        .as_deref()
                        .unwrap_or(&outcome.activity_id),
                ),
                link: Some(format!("urn:uuid:{}", outcome.statement_id)),
                note: Some(printable(&outcome.verb)),
                recorded_at: now,
            });
        }
    }
    if evidence.is_empty() {
        return Ok(0);
    }
    let added = store.add_evidence(scope, &evidence).await?;
    if added == 0 {
        // All of it was recorded before (the feed read again): the estimates are current.
        return Ok(0);
    }
    let mut touched: BTreeMap<PersonId, BTreeSet<CompetencyId>> = BTreeMap::new();
    for e in &evidence {
        touched
            .entry(e.person_id)
            .or_default()
            .insert(e.competency_id);
    }
    for (person, competencies) in touched {
        let competencies: Vec<CompetencyId> = competencies.into_iter().collect();
        refresh_estimates_of(store, scope, person, &competencies).await?;
    }
    Ok(added)
}

/// Reads one tenant's feed from its saved position to the end. Returns the new evidence count.
pub async fn catch_up(store: &dyn Store, scope: TenantScope) -> AppResult<u64> {
    let mut cursor = store.feed_cursor(scope, CONSUMER).await?;
    let mut added = 0;
    loop {
        let page = store.statements_after(scope, cursor, PAGE).await?;
        let Some(last) = page.last().map(|s| s.seq) else {
            return Ok(added);
        };
        added += match record_statements(store, scope, &page).await {
            Ok(n) => n,
            // A page whose evidence refers to something the company cannot hold (an alignment
            // changed meanwhile) would otherwise stop the reader for good: skip it, say so.
            Err(crate::AppError::Store(mycel_store::StoreError::InvalidReference(reason))) => {
                tracing::warn!(%reason, through = last, "statements skipped: their evidence refers to something unknown");
                0
            }
            Err(other) => return Err(other),
        };
        store.set_feed_cursor(scope, CONSUMER, last).await?;
        cursor = last;
    }
}

/// Runs forever: catches every tenant up, then sleeps until statements are stored.
pub async fn run(store: Arc<dyn Store>, signal: Arc<StatementSignal>) {
    let mut rings = signal.subscribe();
    loop {
        match store.list_tenants().await {
            Ok(tenants) => {
                for tenant in tenants {
                    match catch_up(&*store, TenantScope::system(tenant.id)).await {
                        Ok(0) => {}
                        Ok(n) => {
                            tracing::debug!(tenant = %tenant.slug, evidence = n, "statements became evidence")
                        }
                        Err(error) => {
                            tracing::warn!(tenant = %tenant.slug, %error, "statements could not become evidence")
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "could not list tenants for the evidence feed"),
        }
        // Wakes on the next store of statements, or after a minute (statements written by other
        // processes, such as `mycel generate`, do not ring this process's signal).
        let _ = tokio::time::timeout(std::time::Duration::from_secs(60), rings.changed()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn statement(verb: &str, result: Value) -> Value {
        json!({
            "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
            "actor": {"mbox": "mailto:Anna@Example.com"},
            "verb": {"id": verb},
            "object": {"id": "https://lernen.example/kasse", "definition": {"name": {"en-US": "Till basics", "de-DE": "Kasse Grundlagen"}}},
            "result": result,
            "timestamp": "2026-11-01T10:00:00Z",
            "stored": "2026-11-01T10:00:01Z"
        })
    }

    #[test]
    fn passing_shows_the_aligned_level() {
        let o = outcome(&statement(PASSED, json!({"success": true}))).unwrap();
        assert_eq!(o.fraction, 1.0);
        assert_eq!(o.actor, ActorKey::Email("anna@example.com".into()));
        assert_eq!(o.activity_name.as_deref(), Some("Kasse Grundlagen"));
    }

    #[test]
    fn failing_shows_the_score() {
        let o = outcome(&statement(
            FAILED,
            json!({"success": false, "score": {"scaled": 0.4}}),
        ))
        .unwrap();
        assert!((o.fraction - 0.4).abs() < 1e-12);
        let o = outcome(&statement(FAILED, json!({}))).unwrap();
        assert_eq!(o.fraction, 0.5);
    }

    #[test]
    fn completion_without_verdict_shows_three_quarters() {
        let o = outcome(&statement(COMPLETED, json!({"completion": true}))).unwrap();
        assert_eq!(o.fraction, 0.75);
    }

    #[test]
    fn other_verbs_show_nothing() {
        assert!(outcome(&statement(
            "http://adlnet.gov/expapi/verbs/launched",
            json!({})
        ))
        .is_none());
        let mut about_agent = statement(PASSED, json!({}));
        about_agent["object"] = json!({"objectType": "Agent", "mbox": "mailto:x@example.com"});
        assert!(outcome(&about_agent).is_none());
    }

    #[test]
    fn names_lose_control_characters() {
        assert_eq!(printable("Kasse\u{0}\n Grundlagen"), "Kasse Grundlagen");
        assert_eq!(printable(&"x".repeat(400)).len(), 300);
    }

    #[test]
    fn accounts_name_people_by_id() {
        let mut s = statement(PASSED, json!({}));
        s["actor"] = json!({"account": {"homePage": "https://lernen.example", "name": "0192e4a0-0000-7000-8000-000000000001"}});
        assert!(matches!(outcome(&s).unwrap().actor, ActorKey::PersonId(_)));
    }
}
