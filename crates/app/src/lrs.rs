//! The learning record store's use cases: storing statements (validated by `mycel-xapi`, with id,
//! `stored`, `authority` and `version` set here), reading and querying them with `more` paging,
//! voiding, attachments, and the documents of the State, Activity Profile and Agent Profile
//! resources with their concurrency rules. No HTTP here: the xAPI endpoints of `mycel-http` parse
//! requests into these calls and map [`LrsError`] to status codes.

use crate::statement_feed::StatementSignal;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, SubsecRound, Utc};
use mycel_organisation::{CredentialId, Principal, Scope};
use mycel_store::lrs::{
    Document, DocumentKey, DocumentSet, DocumentWrite, NewStatement, StatementActivity,
    StatementAgent, StatementCursor, StatementQuery, StoredStatement,
};
use mycel_store::{Store, StoreError, TenantScope};
use mycel_xapi::{
    check_signature, merge_activity_definitions, merge_documents, prepare_statement,
    statements_match, AgentKey, Assignment, ObjectKey, PreparedStatement, StatementFacts,
    XapiVersion, SIGNATURE_USAGE_TYPE,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The most statements one page of `GET statements` returns (also for `limit=0`).
pub const MAX_PAGE: u32 = 500;

/// What can go wrong; each maps to one xAPI status code.
#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    /// 400: the request or a statement breaks a rule.
    #[error("{0}")]
    BadRequest(String),
    /// 403: the credential's scopes do not allow this.
    #[error("this credential's scopes do not allow {0}")]
    Forbidden(&'static str),
    /// 403: a rule of cmi5 refuses what an AU asked (the message names the section).
    #[error("{0}")]
    Cmi5(String),
    /// 404.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 409: a statement id is taken by another statement, or a document exists and the request
    /// did not say which version it expects.
    #[error("{0}")]
    Conflict(String),
    /// 412: an `If-Match` / `If-None-Match` precondition failed.
    #[error("{0}")]
    PreconditionFailed(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for LrsError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => LrsError::NotFound(what),
            StoreError::PreconditionFailed(what) => {
                LrsError::PreconditionFailed(format!("the {what} was changed meanwhile"))
            }
            StoreError::Conflict(message) => LrsError::Conflict(message),
            other => LrsError::Store(other),
        }
    }
}

pub type LrsResult<T> = Result<T, LrsError>;

/// A client of the LRS: an API credential, with the scopes it was given and the authority its
/// statements are stored under.
#[derive(Debug, Clone)]
pub struct LrsClient {
    pub scope: TenantScope,
    pub credential_id: CredentialId,
    pub scopes: Vec<Scope>,
    /// The Agent set as `authority` of every statement this client stores.
    pub authority: Value,
    /// For an AU's auth-token: the cmi5 session it belongs to, whose rules its requests follow.
    pub cmi5_session: Option<Uuid>,
}

impl LrsClient {
    /// A reader of all of a tenant's statements, for Mycel's own pages acting for a person who may
    /// browse them (the caller checks that permission and writes the audit log).
    pub fn reader(scope: TenantScope) -> Self {
        Self {
            scope,
            credential_id: CredentialId::from_uuid(Uuid::nil()),
            scopes: vec![Scope::StatementsRead],
            authority: Value::Null,
            cmi5_session: None,
        }
    }

    /// Mycel itself, writing statements of what happened in its own pages (a classroom
    /// attendance, a cmi5 launch) and the state documents it owns (cmi5's `LMS.LaunchData`): its
    /// authority is the Agent `mycel` of `home_page`.
    pub fn mycel(scope: TenantScope, home_page: &str) -> Self {
        Self {
            scope,
            credential_id: CredentialId::from_uuid(Uuid::nil()),
            scopes: vec![Scope::StatementsWrite, Scope::State],
            cmi5_session: None,
            authority: json!({
                "objectType": "Agent",
                "name": "Mycel",
                "account": {"homePage": home_page, "name": "mycel"},
            }),
        }
    }

    /// The client behind a credential principal; `None` for people (they use the LRS through
    /// Mycel's own pages, not the xAPI endpoints).
    pub fn from_principal(
        principal: &Principal,
        label: &str,
        home_page: &str,
        key: &str,
    ) -> Option<Self> {
        match principal {
            Principal::Credential {
                credential_id,
                scopes,
                ..
            } => Some(Self {
                scope: TenantScope::own(principal),
                credential_id: *credential_id,
                scopes: scopes.clone(),
                authority: json!({
                    "objectType": "Agent",
                    "name": label,
                    "account": {"homePage": home_page, "name": key},
                }),
                cmi5_session: None,
            }),
            Principal::Person { .. } => None,
        }
    }

    fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope) || self.scopes.contains(&Scope::All)
    }

    fn require(&self, any_of: &[Scope], what: &'static str) -> LrsResult<()> {
        if any_of.iter().any(|s| self.has(*s)) {
            Ok(())
        } else {
            Err(LrsError::Forbidden(what))
        }
    }
}

/// Content of a multipart part that carries an attachment.
#[derive(Debug, Clone)]
pub struct AttachmentPart {
    pub sha2: String,
    pub content_type: String,
    pub content: Vec<u8>,
}

/// `stored` with the millisecond precision clients see.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(3)
}

struct Prepared {
    new: NewStatement,
    /// As received, for comparison with a stored duplicate (what the LRS added, such as a missing
    /// timestamp, must not make a resent statement look different).
    received: Value,
}

fn agents_of(facts: &StatementFacts) -> Vec<StatementAgent> {
    let direct: Vec<&AgentKey> = facts.direct_agents();
    let mut agents: Vec<StatementAgent> = direct
        .iter()
        .map(|k| StatementAgent {
            key: k.canonical(),
            direct: true,
        })
        .collect();
    for key in &facts.related_agents {
        if !direct.contains(&key) {
            agents.push(StatementAgent {
                key: key.canonical(),
                direct: false,
            });
        }
    }
    agents
}

fn activities_of(facts: &StatementFacts) -> Vec<StatementActivity> {
    let object = facts.object_activity_id();
    let mut activities: Vec<StatementActivity> = object
        .map(|id| StatementActivity {
            id: id.to_owned(),
            direct: true,
        })
        .into_iter()
        .collect();
    for id in &facts.related_activity_ids {
        if Some(id.as_str()) != object {
            activities.push(StatementActivity {
                id: id.clone(),
                direct: false,
            });
        }
    }
    activities
}

/// Activities with a definition in the statement (object and context activities).
fn activity_definitions(statement: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut take = |activity: &Value| {
        if let (Some(id), Some(definition)) = (
            activity.get("id").and_then(Value::as_str),
            activity.get("definition"),
        ) {
            if activity
                .get("objectType")
                .and_then(Value::as_str)
                .unwrap_or("Activity")
                == "Activity"
            {
                found.push((id.to_owned(), definition.to_string()));
            }
        }
    };
    if let Some(object) = statement.get("object") {
        take(object);
    }
    if let Some(Value::Object(lists)) = statement.pointer("/context/contextActivities") {
        for list in lists.values() {
            for activity in list.as_array().into_iter().flatten() {
                take(activity);
            }
        }
    }
    found
}

/// A prepared statement as the store takes it: its JSON and its index terms (agents, activities,
/// verb, registration, reference, attachments, activity definitions).
pub fn statement_for_store(
    prepared: PreparedStatement,
    stored: DateTime<Utc>,
    credential_id: CredentialId,
) -> NewStatement {
    let facts = prepared.facts;
    let refers_to = match facts.object {
        ObjectKey::StatementRef(target) => Some(target),
        _ => None,
    };
    NewStatement {
        id: prepared.id,
        stored,
        timestamp: facts.timestamp.map_or(stored, |t| t.with_timezone(&Utc)),
        verb_id: facts.verb_id.clone(),
        registration: facts.registration,
        voids: facts.voided_statement_id,
        refers_to,
        credential_id: Some(credential_id),
        agents: agents_of(&facts),
        activities: activities_of(&facts),
        attachment_hashes: facts
            .attachments
            .iter()
            .filter(|a| a.file_url.is_none())
            .map(|a| a.sha2.clone())
            .collect(),
        activity_definitions: activity_definitions(&prepared.statement),
        json: prepared.statement.to_string(),
    }
}

fn prepare(
    client: &LrsClient,
    version: XapiVersion,
    statement: &Value,
    index: Option<usize>,
    stored: DateTime<Utc>,
) -> LrsResult<(Prepared, StatementFacts)> {
    let assignment = Assignment {
        id: Uuid::new_v4(),
        stored,
        authority: Some(client.authority.clone()),
    };
    let prepared = prepare_statement(statement, version, &assignment).map_err(|e| match index {
        Some(i) => LrsError::BadRequest(format!("statement [{i}]: {e}")),
        None => LrsError::BadRequest(e.to_string()),
    })?;
    let facts = prepared.facts.clone();
    let new = statement_for_store(prepared, stored, client.credential_id);
    Ok((
        Prepared {
            new,
            received: statement.clone(),
        },
        facts,
    ))
}

/// Stores statements (one, or a batch, whole or not at all) and returns their ids in order.
/// `put_id` is the `statementId` of a PUT. Attachment parts must match the statements'
/// attachments without `fileUrl`, by SHA-2 hash.
pub async fn store_statements(
    store: &dyn Store,
    client: &LrsClient,
    version: XapiVersion,
    statements: Vec<Value>,
    put_id: Option<Uuid>,
    parts: Vec<AttachmentPart>,
    signal: &StatementSignal,
) -> LrsResult<Vec<Uuid>> {
    store_statements_gated(
        store, client, version, statements, put_id, parts, signal, None,
    )
    .await
}

/// Records statements of Mycel itself (a classroom attendance, a cmi5 launch, a SCORM attempt)
/// with [`LrsClient::mycel`]; nothing to do for none. `what` names them in the error.
pub async fn record_own_statements(
    store: &dyn Store,
    scope: TenantScope,
    home_page: &str,
    statements: Vec<Value>,
    signal: &StatementSignal,
    what: &str,
) -> crate::AppResult<()> {
    if statements.is_empty() {
        return Ok(());
    }
    let client = LrsClient::mycel(scope, home_page);
    store_statements(
        store,
        &client,
        XapiVersion::V1_0_3,
        statements,
        None,
        Vec::new(),
        signal,
    )
    .await
    .map_err(|e| crate::AppError::Internal(format!("storing the {what} statements failed: {e}")))?;
    Ok(())
}

/// A last check of statements that passed xAPI validation, before anything is stored: the
/// statements as received (a PUT's with its id). An error refuses the whole request.
pub type StatementGate<'a> = dyn FnMut(&[Value]) -> LrsResult<()> + Send + 'a;

/// [`store_statements`] with a gate (the cmi5 rules of an AU session) that sees the statements
/// once they are valid xAPI and may refuse them; nothing is stored then.
#[allow(clippy::too_many_arguments)]
pub async fn store_statements_gated(
    store: &dyn Store,
    client: &LrsClient,
    version: XapiVersion,
    statements: Vec<Value>,
    put_id: Option<Uuid>,
    parts: Vec<AttachmentPart>,
    signal: &StatementSignal,
    gate: Option<&mut StatementGate<'_>>,
) -> LrsResult<Vec<Uuid>> {
    client.require(&[Scope::StatementsWrite], "storing statements")?;
    let write = signal.begin_write();
    let stored = write.stored;
    let batch = statements.len() > 1;
    let mut prepared = Vec::with_capacity(statements.len());
    let mut needed_hashes = HashSet::new();
    let mut known_hashes = HashSet::new();
    let mut signatures = Vec::new();
    let mut optional_hashes: Vec<Vec<String>> = Vec::new();
    for (i, mut statement) in statements.into_iter().enumerate() {
        if let Some(put_id) = put_id {
            match statement.get("id").and_then(Value::as_str) {
                Some(id) if mycel_xapi::parse_uuid(id).ok() != Some(put_id) => {
                    return Err(LrsError::BadRequest(format!(
                        "the statement's id {id} differs from the statementId parameter {put_id}"
                    )))
                }
                Some(_) => {}
                None => {
                    if let Some(object) = statement.as_object_mut() {
                        object.insert("id".into(), Value::String(put_id.to_string()));
                    }
                }
            }
        }
        let (p, facts) = prepare(client, version, &statement, batch.then_some(i), stored)?;
        for attachment in &facts.attachments {
            known_hashes.insert(attachment.sha2.clone());
            if attachment.file_url.is_none() {
                needed_hashes.insert(attachment.sha2.clone());
            }
        }
        signatures.extend(
            facts
                .attachments
                .iter()
                .filter(|a| a.usage_type == SIGNATURE_USAGE_TYPE)
                .map(|a| (i, statement.clone(), a.sha2.clone(), a.content_type.clone())),
        );
        optional_hashes.push(
            facts
                .attachments
                .iter()
                .filter(|a| a.file_url.is_some())
                .map(|a| a.sha2.clone())
                .collect::<Vec<_>>(),
        );
        prepared.push(p);
    }
    let mut seen = HashMap::new();
    for (i, p) in prepared.iter().enumerate() {
        if let Some(first) = seen.insert(p.new.id, i) {
            return Err(LrsError::BadRequest(format!(
                "statements [{first}] and [{i}] both use the id {}",
                p.new.id
            )));
        }
    }
    let sent: HashSet<&str> = parts.iter().map(|p| p.sha2.as_str()).collect();
    for hash in &needed_hashes {
        if !sent.contains(hash.as_str()) {
            return Err(LrsError::BadRequest(format!(
                "the attachment with sha2 {hash} has no fileUrl and was not sent as a part"
            )));
        }
    }
    for part in &parts {
        if !known_hashes.contains(&part.sha2) {
            return Err(LrsError::BadRequest(format!(
                "the part with X-Experience-API-Hash {} matches no attachment of the statements",
                part.sha2
            )));
        }
    }
    for (i, statement, sha2, content_type) in &signatures {
        let part = parts.iter().find(|p| p.sha2 == *sha2).ok_or_else(|| {
            LrsError::BadRequest(format!(
                "statement [{i}]: the signature attachment {sha2} was not sent"
            ))
        })?;
        check_signature(statement, content_type, &part.content)
            .map_err(|e| LrsError::BadRequest(format!("statement [{i}]: {e}")))?;
    }
    if let Some(gate) = gate {
        let received: Vec<Value> = prepared.iter().map(|p| p.received.clone()).collect();
        gate(&received)?;
    }
    // Attachments with a fileUrl whose content was sent along are served too.
    for (p, optional) in prepared.iter_mut().zip(&optional_hashes) {
        for hash in optional {
            if sent.contains(hash.as_str()) && !p.new.attachment_hashes.contains(hash) {
                p.new.attachment_hashes.push(hash.clone());
            }
        }
    }

    for part in &parts {
        store
            .put_attachment(client.scope, &part.sha2, &part.content_type, &part.content)
            .await?;
    }
    let ids: Vec<Uuid> = prepared.iter().map(|p| p.new.id).collect();
    // A statement with the same id may be stored concurrently, between the check and the insert;
    // then the check runs once more and finds it.
    for attempt in 0..2 {
        let mut fresh = new_statements(store, client, &prepared).await?;
        check_voiding(store, client, &fresh).await?;
        if fresh.is_empty() {
            break;
        }
        merge_definitions(store, client.scope, &mut fresh).await?;
        match store.insert_statements(client.scope, fresh).await {
            Ok(_) => {
                signal.stored();
                break;
            }
            Err(StoreError::Conflict(_)) if attempt == 0 => continue,
            Err(other) => return Err(other.into()),
        }
    }
    drop(write);
    Ok(ids)
}

/// The statements not stored yet. One that is stored already is skipped when it is the same
/// statement, and a conflict when it is another one.
async fn new_statements(
    store: &dyn Store,
    client: &LrsClient,
    prepared: &[Prepared],
) -> LrsResult<Vec<NewStatement>> {
    let ids: Vec<Uuid> = prepared.iter().map(|p| p.new.id).collect();
    let existing: HashMap<Uuid, StoredStatement> = store
        .statements_by_id(client.scope, &ids)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let mut fresh = Vec::with_capacity(prepared.len());
    for p in prepared {
        match existing.get(&p.new.id) {
            Some(old) => {
                let old: Value = serde_json::from_str(&old.json)
                    .map_err(|e| LrsError::Store(StoreError::Backend(e.to_string())))?;
                if !statements_match(&old, &p.received) {
                    return Err(LrsError::Conflict(format!(
                        "a different statement with the id {} is stored already",
                        p.new.id
                    )));
                }
            }
            None => fresh.push(p.new.clone()),
        }
    }
    Ok(fresh)
}

/// A voiding statement must not target a voiding statement.
async fn check_voiding(
    store: &dyn Store,
    client: &LrsClient,
    fresh: &[NewStatement],
) -> LrsResult<()> {
    let targets: Vec<Uuid> = fresh.iter().filter_map(|s| s.voids).collect();
    if targets.is_empty() {
        return Ok(());
    }
    let voiding_in_batch: HashSet<Uuid> = fresh
        .iter()
        .filter(|s| s.voids.is_some())
        .map(|s| s.id)
        .collect();
    let stored_voiding = store
        .statements_by_id(client.scope, &targets)
        .await?
        .into_iter()
        .filter(|t| t.is_voiding)
        .map(|t| t.id);
    if let Some(target) = stored_voiding
        .chain(
            targets
                .iter()
                .copied()
                .filter(|t| voiding_in_batch.contains(t)),
        )
        .next()
    {
        return Err(LrsError::BadRequest(format!(
            "statement {target} is a voiding statement and cannot be voided"
        )));
    }
    Ok(())
}

/// Combines the activity definitions of the batch with each other and with the stored ones, so
/// that the store records the combined definition (carried by the first statement).
async fn merge_definitions(
    store: &dyn Store,
    scope: TenantScope,
    batch: &mut [NewStatement],
) -> LrsResult<()> {
    let given: Vec<(String, String)> = batch
        .iter_mut()
        .flat_map(|s| std::mem::take(&mut s.activity_definitions))
        .collect();
    if given.is_empty() {
        return Ok(());
    }
    let mut ids: Vec<String> = given.iter().map(|(id, _)| id.clone()).collect();
    ids.sort();
    ids.dedup();
    let mut combined: Vec<(String, Value)> = store
        .activity_definitions(scope, &ids)
        .await?
        .into_iter()
        .filter_map(|(id, text)| serde_json::from_str(&text).ok().map(|d| (id, d)))
        .collect();
    let stored_count = combined.len();
    let mut changed = vec![false; stored_count];
    for (id, definition) in given {
        let Ok(definition) = serde_json::from_str::<Value>(&definition) else {
            continue;
        };
        match combined.iter().position(|(known, _)| *known == id) {
            Some(i) => {
                combined[i].1 = merge_activity_definitions(&combined[i].1, &definition);
                if i < stored_count {
                    changed[i] = true;
                }
            }
            None => combined.push((id, definition)),
        }
    }
    // Stored definitions nothing in the batch touched are not written again.
    let written = combined
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i >= stored_count || changed[*i])
        .map(|(_, (id, d))| (id, d.to_string()))
        .collect();
    if let Some(first) = batch.first_mut() {
        first.activity_definitions = written;
    }
    Ok(())
}

/// One statement by id: `voided` false for `statementId` (a voided statement is not found), true
/// for `voidedStatementId` (only a voided statement is found).
pub async fn statement(
    store: &dyn Store,
    client: &LrsClient,
    id: Uuid,
    voided: bool,
) -> LrsResult<StoredStatement> {
    client.require(
        &[Scope::StatementsRead, Scope::StatementsReadMine],
        "reading statements",
    )?;
    let found = store
        .statements_by_id(client.scope, &[id])
        .await?
        .into_iter()
        .next()
        .filter(|s| s.voided == voided)
        .ok_or(LrsError::NotFound("statement"))?;
    if !client.has(Scope::StatementsRead) {
        // statements/read/mine: only statements stored under this client's authority.
        let stored: Value = serde_json::from_str(&found.json).unwrap_or(Value::Null);
        if stored.get("authority") != Some(&client.authority) {
            return Err(LrsError::NotFound("statement"));
        }
    }
    Ok(found)
}

/// The filters of `GET statements`, as parsed from the request.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StatementFilter {
    /// Canonical key of the `agent` parameter.
    pub agent: Option<String>,
    pub verb: Option<String>,
    pub activity: Option<String>,
    pub registration: Option<Uuid>,
    pub related_activities: bool,
    pub related_agents: bool,
    pub since: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// 0 means as many as the server returns in one page.
    pub limit: u32,
    pub ascending: bool,
}

/// Where a page walk continues: the filter, the last statement returned, and the newest statement
/// stored when the walk began (`through_seq`), so that statements stored later do not join the walk.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct MoreToken {
    filter: StatementFilter,
    stored: DateTime<Utc>,
    seq: i64,
    #[serde(default)]
    through_seq: Option<i64>,
}

/// One page of statements and, if there are more, the token of the next page.
#[derive(Debug)]
pub struct StatementPage {
    pub statements: Vec<StoredStatement>,
    pub more: Option<String>,
}

pub async fn find_statements(
    store: &dyn Store,
    client: &LrsClient,
    filter: StatementFilter,
) -> LrsResult<StatementPage> {
    client.require(
        &[Scope::StatementsRead, Scope::StatementsReadMine],
        "reading statements",
    )?;
    page(store, client, filter, None).await
}

/// The page after the one that gave this `more` token.
pub async fn more_statements(
    store: &dyn Store,
    client: &LrsClient,
    token: &str,
) -> LrsResult<StatementPage> {
    client.require(
        &[Scope::StatementsRead, Scope::StatementsReadMine],
        "reading statements",
    )?;
    let bad = || LrsError::BadRequest("the more token is not one this LRS issued".into());
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
    let token: MoreToken = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    let cursor = StatementCursor {
        stored: token.stored,
        seq: token.seq,
    };
    page(
        store,
        client,
        token.filter,
        Some((cursor, token.through_seq)),
    )
    .await
}

async fn page(
    store: &dyn Store,
    client: &LrsClient,
    filter: StatementFilter,
    after: Option<(StatementCursor, Option<i64>)>,
) -> LrsResult<StatementPage> {
    // The walk covers what was stored when its first page was asked for: numbers are given in
    // commit order, so the newest number then bounds it exactly (a time would not: `stored` has
    // millisecond resolution, and a statement of the same millisecond could still join).
    let (after, through_seq) = match after {
        Some((cursor, through)) => (Some(cursor), through),
        None => (
            None,
            Some(
                store
                    .latest_statement(client.scope)
                    .await?
                    .map_or(0, |c| c.seq),
            ),
        ),
    };
    let limit = if filter.limit == 0 {
        MAX_PAGE
    } else {
        filter.limit.min(MAX_PAGE)
    };
    let query = StatementQuery {
        agent: filter.agent.clone(),
        related_agents: filter.related_agents,
        verb: filter.verb.clone(),
        activity: filter.activity.clone(),
        related_activities: filter.related_activities,
        registration: filter.registration,
        since: filter.since,
        until: filter.until,
        through_seq,
        ascending: filter.ascending,
        credential: (!client.has(Scope::StatementsRead)).then_some(client.credential_id),
        after,
        // one more than asked tells whether another page exists
        limit: limit + 1,
    };
    let mut statements = store.query_statements(client.scope, &query).await?;
    let more = if statements.len() > limit as usize {
        statements.truncate(limit as usize);
        statements.last().map(|last| {
            let token = MoreToken {
                filter,
                stored: last.stored,
                seq: last.seq,
                through_seq,
            };
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&token).unwrap_or_default())
        })
    } else {
        None
    };
    Ok(StatementPage { statements, more })
}

/// Attachment content for the statements of a response.
pub async fn attachments(
    store: &dyn Store,
    client: &LrsClient,
    hashes: &[String],
) -> LrsResult<Vec<AttachmentPart>> {
    let mut parts = Vec::new();
    let mut seen = HashSet::new();
    for hash in hashes {
        if seen.insert(hash.clone()) {
            let (content_type, content) = store.attachment(client.scope, hash).await?;
            parts.push(AttachmentPart {
                sha2: hash.clone(),
                content_type,
                content,
            });
        }
    }
    Ok(parts)
}

// ---- documents ----

/// Preconditions a write is made under, from `If-Match` / `If-None-Match`.
#[derive(Debug, Clone, Default)]
pub struct Preconditions {
    /// `If-Match`: the entity tag the current document must have (`*`: any document must exist).
    pub if_match: Option<String>,
    /// `If-None-Match: *`: no document may exist.
    pub if_none_match_any: bool,
}

/// The entity tag of document content: its SHA-1, quoted.
pub fn etag(content: &[u8]) -> String {
    let digest = Sha1::digest(content);
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

fn tags_equal(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|t| t == "*" || t == etag || t.trim_matches('"') == etag.trim_matches('"'))
}

fn document_scope(key: &DocumentKey) -> (Scope, &'static str) {
    match key {
        DocumentKey::State { .. } => (Scope::State, "the State resource"),
        _ => (Scope::Profiles, "the profile resources"),
    }
}

fn set_scope(set: &DocumentSet) -> (Scope, &'static str) {
    match set {
        DocumentSet::States { .. } => (Scope::State, "the State resource"),
        _ => (Scope::Profiles, "the profile resources"),
    }
}

pub async fn document(
    store: &dyn Store,
    client: &LrsClient,
    key: &DocumentKey,
) -> LrsResult<Document> {
    let (scope, what) = document_scope(key);
    client.require(&[scope], what)?;
    store
        .document(client.scope, key)
        .await?
        .ok_or(LrsError::NotFound("document"))
}

pub async fn document_ids(
    store: &dyn Store,
    client: &LrsClient,
    set: &DocumentSet,
    since: Option<DateTime<Utc>>,
) -> LrsResult<Vec<String>> {
    let (scope, what) = set_scope(set);
    client.require(&[scope], what)?;
    Ok(store.document_ids(client.scope, set, since).await?)
}

fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

/// A document sent with PUT (`merge` false: replace) or POST (`merge` true: JSON objects are merged
/// into a stored JSON object, and a missing document is created).
#[derive(Debug, Clone)]
pub struct DocumentUpload {
    pub content_type: String,
    pub content: Vec<u8>,
    pub merge: bool,
}

/// Whether a PUT must say which version of a document it replaces (`If-Match`, or
/// `If-None-Match: *`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreconditionRule {
    /// Never (the State resource under xAPI 1.0.3).
    Optional,
    /// When the document exists (409 otherwise); xAPI 2.0 for every document resource.
    WhenExisting,
    /// Always: 409 when the document exists, 400 when it does not (the profile resources under
    /// xAPI 1.0.3).
    Always,
}

/// Writes a document under the given precondition rule.
pub async fn write_document(
    store: &dyn Store,
    client: &LrsClient,
    key: &DocumentKey,
    upload: DocumentUpload,
    preconditions: &Preconditions,
    rule: PreconditionRule,
) -> LrsResult<()> {
    let (scope, what) = document_scope(key);
    client.require(&[scope], what)?;
    // A write without preconditions that races another one is tried again (the client did not
    // ask to fail then); one with preconditions fails with 412.
    let unconditional = preconditions.if_match.is_none() && !preconditions.if_none_match_any;
    let attempts = if unconditional { 64 } else { 1 };
    for attempt in 1..=attempts {
        match write_document_once(store, client, key, &upload, preconditions, rule).await {
            Err(LrsError::PreconditionFailed(_)) if attempt < attempts => continue,
            other => return other,
        }
    }
    Err(LrsError::PreconditionFailed(
        "the document kept changing meanwhile".into(),
    ))
}

async fn write_document_once(
    store: &dyn Store,
    client: &LrsClient,
    key: &DocumentKey,
    upload: &DocumentUpload,
    preconditions: &Preconditions,
    rule: PreconditionRule,
) -> LrsResult<()> {
    let DocumentUpload {
        content_type,
        content,
        merge,
    } = upload.clone();
    let content_type = content_type.as_str();
    let current = store.document(client.scope, key).await?;
    check_preconditions(current.as_ref(), preconditions)?;
    let unconditional = preconditions.if_match.is_none() && !preconditions.if_none_match_any;
    if !merge && unconditional && rule != PreconditionRule::Optional {
        if current.is_some() {
            return Err(LrsError::Conflict(
                "the document exists: send If-Match with its ETag (or If-None-Match: *) to say which version you replace".into(),
            ));
        }
        if rule == PreconditionRule::Always {
            return Err(LrsError::BadRequest(
                "PUT to a profile needs If-Match or If-None-Match: * (xAPI 1.0.3)".into(),
            ));
        }
    }
    let (content_type, content) = match (&current, merge) {
        (Some(stored), true) => {
            if !is_json(content_type) || !is_json(&stored.content_type) {
                return Err(LrsError::BadRequest(
                    "POST merges JSON documents: both the stored and the posted document must be application/json".into(),
                ));
            }
            let stored_json: Value = serde_json::from_slice(&stored.content).map_err(|_| {
                LrsError::BadRequest(
                    "the stored document is not valid JSON and cannot be merged".into(),
                )
            })?;
            let incoming: Value = serde_json::from_slice(&content).map_err(|e| {
                LrsError::BadRequest(format!("the posted document is not valid JSON: {e}"))
            })?;
            let merged = merge_documents(&stored_json, &incoming)
                .map_err(|e| LrsError::BadRequest(e.to_string()))?;
            (
                "application/json".to_owned(),
                merged.to_string().into_bytes(),
            )
        }
        (None, true) if is_json(content_type) => {
            let incoming: Value = serde_json::from_slice(&content).map_err(|e| {
                LrsError::BadRequest(format!("the posted document is not valid JSON: {e}"))
            })?;
            if !incoming.is_object() {
                return Err(LrsError::BadRequest(
                    "a posted JSON document must be a JSON object".into(),
                ));
            }
            (content_type.to_owned(), content)
        }
        _ => (content_type.to_owned(), content),
    };
    let write = DocumentWrite {
        etag: etag(&content),
        content_type,
        content,
        updated: now(),
    };
    // Write only if the document is still what was checked above.
    let expected = Some(current.map(|d| d.etag));
    store
        .put_document(client.scope, key, write, expected)
        .await?;
    Ok(())
}

fn check_preconditions(current: Option<&Document>, preconditions: &Preconditions) -> LrsResult<()> {
    if let Some(tag) = &preconditions.if_match {
        match current {
            Some(doc) if tags_equal(tag, &doc.etag) => {}
            _ => {
                return Err(LrsError::PreconditionFailed(
                    "If-Match does not match the current document".into(),
                ))
            }
        }
    }
    if preconditions.if_none_match_any && current.is_some() {
        return Err(LrsError::PreconditionFailed(
            "If-None-Match: * but the document exists".into(),
        ));
    }
    Ok(())
}

pub async fn delete_document(
    store: &dyn Store,
    client: &LrsClient,
    key: &DocumentKey,
    preconditions: &Preconditions,
) -> LrsResult<()> {
    let (scope, what) = document_scope(key);
    client.require(&[scope], what)?;
    let current = store.document(client.scope, key).await?;
    check_preconditions(current.as_ref(), preconditions)?;
    if let Some(doc) = current {
        store
            .delete_document(client.scope, key, Some(Some(doc.etag)))
            .await?;
    }
    Ok(())
}

pub async fn delete_documents(
    store: &dyn Store,
    client: &LrsClient,
    set: &DocumentSet,
) -> LrsResult<()> {
    let (scope, what) = set_scope(set);
    client.require(&[scope], what)?;
    store.delete_documents(client.scope, set).await?;
    Ok(())
}

// ---- activities and agents ----

/// The Activity object with the latest definition this LRS has seen.
pub async fn activity(
    store: &dyn Store,
    client: &LrsClient,
    activity_id: &str,
) -> LrsResult<Value> {
    client.require(
        &[
            Scope::StatementsRead,
            Scope::Profiles,
            Scope::Define,
            Scope::StatementsReadMine,
        ],
        "reading activities",
    )?;
    let mut activity = Map::new();
    activity.insert("objectType".into(), json!("Activity"));
    activity.insert("id".into(), json!(activity_id));
    let found = store
        .activity_definitions(client.scope, &[activity_id.to_owned()])
        .await?;
    if let Some((_, definition)) = found.into_iter().next() {
        if let Ok(definition) = serde_json::from_str::<Value>(&definition) {
            activity.insert("definition".into(), definition);
        }
    }
    Ok(Value::Object(activity))
}

/// The Person object for an agent: every identifier this LRS knows for it (here: the one asked for).
pub fn person(agent: &Value) -> Value {
    mycel_xapi::person_object([agent])
}

pub fn require_agents_scope(client: &LrsClient) -> LrsResult<()> {
    client.require(
        &[
            Scope::StatementsRead,
            Scope::Profiles,
            Scope::Define,
            Scope::StatementsReadMine,
        ],
        "reading agents",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_are_quoted_sha1() {
        assert_eq!(etag(b"abc"), "\"a9993e364706816aba3e25717850c26c9cd0d89d\"");
        assert!(tags_equal("\"a\"", "\"a\""));
        assert!(tags_equal("a", "\"a\""));
        assert!(tags_equal("*", "\"a\""));
        assert!(!tags_equal("\"b\"", "\"a\""));
    }
}
