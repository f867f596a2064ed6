//! cmi5, the LMS side: registrations of learners for courses (e-learning opportunities playing a
//! cmi5 package), launches of AUs with their one-time fetch URL and `LMS.LaunchData`, the
//! auth-token an AU works with, the cmi5 rules every request made with that token follows, the
//! LMS's own statements (launched, satisfied, abandoned, waived), waivers, and the timeout of dead
//! sessions. The rules themselves are `mycel-cmi5`'s; this module stores, locks and records.
//!
//! URLs (under where browsers reach Mycel, `base_url`):
//! - `<home>/xapi/`: the LRS endpoint of the launch;
//! - `<home>/cmi5/fetch/<session>/<secret>`: the one-time fetch URL;
//! - `<home>/cmi5/content/<registration>/<key>/<path>`: the AU's files (a key per registration,
//!   since the browser that loads an AU need not be logged in to Mycel).
//!
//! The auth-token is HTTP Basic for `cmi5-<session uuid>` and a secret: it works while its
//! session is open, only for that session's learner and rules.

use crate::catalogue::{self, Catalogue};
use crate::lrs::{self, LrsClient, LrsError, LrsResult};
use crate::packages;
use crate::statement_feed::StatementSignal;
use crate::tokens;
use crate::{Acting, AppError, AppResult};
use base64::Engine;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
pub use mycel_cmi5::LaunchMode;
use mycel_cmi5::{
    AuLaunch, AuSession, CourseActivities, LearnerAgent, LearnerPreferences, Registration,
    WaiveReason,
};
use mycel_organisation::{
    Action, CredentialId, OpportunityId, PackageId, PersonId, Scope, ValidationError,
};
use mycel_package::{Cmi5Au, Cmi5Course};
use mycel_store::cmi5::{Cmi5RegistrationRecord, Cmi5SessionRecord};
use mycel_store::lrs::DocumentKey;
use mycel_store::{Store, StoreError, TenantScope};
use mycel_xapi::XapiVersion;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// The Basic user name prefix of an AU's auth-token.
const TOKEN_USER_PREFIX: &str = "cmi5-";
/// An open session that has sent nothing for this long is abandoned.
pub const SESSION_IDLE_LIMIT: TimeDelta = TimeDelta::hours(3);
/// Sessions abandoned per round of the timeout.
const STALE_PAGE: u32 = 200;
/// Parsed course structures kept in memory (they never change: a package is immutable).
const CACHED_COURSES: usize = 256;

/// What the cmi5 runtime keeps in memory: parsed course structures, and one lock per registration
/// so that its launches and its AUs' statements are handled one after the other.
#[derive(Debug, Default)]
pub struct Cmi5Runtime {
    courses: Mutex<HashMap<PackageId, Arc<Cmi5Course>>>,
    locks: Mutex<HashMap<Uuid, Arc<tokio::sync::Mutex<()>>>>,
}

impl Cmi5Runtime {
    pub fn new() -> Self {
        Self::default()
    }

    async fn course(
        &self,
        catalogue: &Catalogue,
        package: &mycel_store::catalogue::PackageRecord,
    ) -> AppResult<Arc<Cmi5Course>> {
        if let Some(course) = self
            .courses
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&package.id)
        {
            return Ok(course.clone());
        }
        let course = Arc::new(packages::cmi5_course(catalogue, package).await?);
        let mut courses = self.courses.lock().unwrap_or_else(|p| p.into_inner());
        if courses.len() >= CACHED_COURSES {
            courses.clear();
        }
        courses.insert(package.id, course.clone());
        Ok(course)
    }

    async fn lock(&self, registration: Uuid) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            if locks.len() > 10_000 {
                locks.retain(|_, l| Arc::strong_count(l) > 1);
            }
            locks.entry(registration).or_default().clone()
        };
        lock.lock_owned().await
    }
}

/// Where things are: the installation's public address and the statement signal.
#[derive(Debug, Clone, Copy)]
pub struct Cmi5Context<'a> {
    pub store: &'a dyn Store,
    pub catalogue: &'a Catalogue,
    pub runtime: &'a Cmi5Runtime,
    pub signal: &'a StatementSignal,
    /// The home page of the learners' accounts and of Mycel's activity ids.
    pub home_page: &'a str,
    /// Where the learner's browser reaches Mycel (the LRS endpoint, fetch and content URLs).
    pub base_url: &'a str,
}

impl Cmi5Context<'_> {
    fn home(&self) -> &str {
        self.home_page.trim_end_matches('/')
    }

    fn base(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }

    fn endpoint(&self) -> String {
        format!("{}/xapi/", self.base())
    }

    fn fetch_url(&self, session: Uuid, secret: &str) -> String {
        format!("{}/cmi5/fetch/{session}/{secret}", self.base())
    }

    fn content_base(&self, registration: Uuid, key: &str) -> String {
        format!("{}/cmi5/content/{registration}/{key}/", self.base())
    }

    /// Records statements of the LMS itself.
    async fn record(&self, scope: TenantScope, statements: Vec<Value>) -> AppResult<()> {
        lrs::record_own_statements(
            self.store,
            scope,
            self.home_page,
            statements,
            self.signal,
            "cmi5",
        )
        .await
    }
}

/// Which AU to launch or waive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuChoice {
    /// By its position in the course structure (0 based).
    Index(usize),
    /// By its id in the course structure.
    Id(String),
    /// The first AU the registration has not satisfied yet (else the first).
    Next,
}

/// Who learns.
#[derive(Debug, Clone, PartialEq)]
pub enum Learner {
    /// A person of the company.
    Person(PersonId),
    /// An xAPI Agent identified by an account (another system's learner); an account of Mycel's
    /// own home page that names a person of the company is that person.
    Agent(Value),
}

/// A launch to prepare.
#[derive(Debug, Clone)]
pub struct LaunchRequest {
    pub au: AuChoice,
    pub learner: Learner,
    /// Launch in this registration (created with this id when there is none); `None`: the
    /// learner's newest registration of the course when `reuse_registration`, else a new one.
    pub registration: Option<Uuid>,
    pub reuse_registration: bool,
    pub launch_mode: Option<LaunchMode>,
    pub return_url: Option<String>,
}

/// A prepared launch: send the browser to `url`.
#[derive(Debug, Clone, PartialEq)]
pub struct Launched {
    pub url: String,
    pub registration: Uuid,
    pub session: Uuid,
    pub au_id: String,
    pub activity_id: String,
}

/// One AU's state in a registration, for progress pages.
#[derive(Debug, Clone, PartialEq)]
pub struct AuStatus {
    pub id: String,
    pub title: String,
    pub completed: bool,
    pub passed: bool,
    pub failed: bool,
    pub waived: bool,
    pub satisfied: bool,
}

/// A learner's progress in a course.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseProgress {
    pub registration: Uuid,
    pub aus: Vec<AuStatus>,
    pub satisfied: bool,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn secret_hash(secret: &str) -> String {
    hex(&tokens::sha256(secret))
}

fn hash_matches(secret: &str, stored_hex: &str) -> bool {
    tokens::hashes_match(secret_hash(secret).as_bytes(), stored_hex.as_bytes())
}

fn learner_key(agent: &LearnerAgent) -> String {
    format!("{}|{}", agent.home_page, agent.name)
}

fn internal(what: &str) -> impl Fn(serde_json::Error) -> AppError + '_ {
    move |e| AppError::Internal(format!("the stored cmi5 {what} cannot be read: {e}"))
}

fn to_state<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value)
        .map_err(|e| AppError::Internal(format!("cmi5 state cannot be written: {e}")))
}

/// The launched learner of an xAPI Agent with an account.
fn agent_learner(agent: &Value) -> AppResult<LearnerAgent> {
    let invalid = |reason: &str| AppError::from(ValidationError::new("actor", reason));
    let object = agent
        .as_object()
        .ok_or_else(|| invalid("the actor must be an xAPI Agent (a JSON object)"))?;
    if object
        .get("objectType")
        .is_some_and(|t| t.as_str() != Some("Agent"))
    {
        return Err(invalid("the actor must be an Agent, not a Group"));
    }
    let account = object
        .get("account")
        .and_then(Value::as_object)
        .ok_or_else(|| invalid("cmi5 identifies the learner by an account (homePage and name)"))?;
    let home = account
        .get("homePage")
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = account.get("name").and_then(Value::as_str).unwrap_or("");
    LearnerAgent::new(home, name).map_err(|e| invalid(&e.to_string()))
}

fn au_by_choice<'c>(
    course: &'c Cmi5Course,
    registration: Option<&Registration>,
    choice: &AuChoice,
) -> AppResult<&'c Cmi5Au> {
    let aus = course.aus();
    let found = match choice {
        AuChoice::Index(i) => aus.get(*i).copied(),
        AuChoice::Id(id) => aus.iter().copied().find(|au| au.id == *id),
        AuChoice::Next => aus
            .iter()
            .copied()
            .find(|au| registration.is_none_or(|r| !r.au_satisfied(au)))
            .or_else(|| aus.first().copied()),
    };
    found.ok_or_else(|| {
        ValidationError::new(
            "au",
            format!("the course has no such AU (it has {})", aus.len()),
        )
        .into()
    })
}

/// The opportunity, its cmi5 package and course; refuses opportunities without one.
async fn course_of(
    ctx: &Cmi5Context<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
) -> AppResult<(
    mycel_store::catalogue::OpportunityRecord,
    mycel_store::catalogue::PackageRecord,
    Arc<Cmi5Course>,
)> {
    let record = ctx.store.opportunity(scope, opportunity).await?;
    if record.tenant_id != scope.tenant_id() {
        return Err(AppError::NotFound("opportunity"));
    }
    let Some(package_id) = record.draft.package_id else {
        return Err(ValidationError::new("opportunity", "it plays no e-learning package").into());
    };
    let package = ctx.store.package(scope, package_id).await?;
    if package.kind != "cmi5" {
        return Err(ValidationError::new(
            "opportunity",
            format!("its package is {}, not a cmi5 course", package.kind),
        )
        .into());
    }
    let course = ctx.runtime.course(ctx.catalogue, &package).await?;
    Ok((record, package, course))
}

/// The activity id base of a course: the opportunity's own activity id, so that the course's
/// "satisfied" statement (`<base>/course/<uuid>`) counts as the opportunity's completion.
fn course_base(ctx: &Cmi5Context<'_>, opportunity: OpportunityId) -> String {
    catalogue::activity_id(ctx.home_page, opportunity)
}

/// Prepares a launch: registration (new or existing), abandons the registration's open sessions,
/// writes `LMS.LaunchData`, records "launched" and returns the URL.
///
/// A person launches for themselves an opportunity they may see (published, in its audience);
/// launching for someone else, or for an outside agent, needs the right to manage the catalogue.
pub async fn launch(
    ctx: &Cmi5Context<'_>,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
    request: LaunchRequest,
) -> AppResult<Launched> {
    acting.require(Action::ViewCatalogue)?;
    let (person, agent) = match &request.learner {
        Learner::Person(person) => {
            ctx.store.person(scope, *person).await?;
            let agent = LearnerAgent::new(ctx.home_page, &person.to_string())
                .map_err(|e| AppError::Internal(e.to_string()))?;
            (Some(*person), agent)
        }
        Learner::Agent(value) => {
            let agent = agent_learner(value)?;
            let person = if agent.home_page.trim_end_matches('/') == ctx.home() {
                match agent.name.parse::<PersonId>() {
                    Ok(id) => ctx.store.person(scope, id).await.ok().map(|p| p.id),
                    Err(_) => None,
                }
            } else {
                None
            };
            (person, agent)
        }
    };
    let for_themselves = matches!(
        (acting, person),
        (Acting::Principal(mycel_organisation::Principal::Person { person_id, .. }), Some(p)) if *person_id == p
    );
    if for_themselves && !acting.permits(Action::ManageCatalogue) {
        // The catalogue's visibility rule: published and in the audience.
        catalogue::opportunity(ctx.store, acting, scope, opportunity).await?;
    } else {
        acting.require(Action::ManageCatalogue)?;
    }
    let (record, package, course) = course_of(ctx, scope, opportunity).await?;
    let base = course_base(ctx, record.id);
    let activities = CourseActivities::new(&course, &base)
        .map_err(|e| AppError::Internal(format!("cmi5 activity ids: {e}")))?;
    let now = Utc::now().trunc_subsecs(3);
    let key = learner_key(&agent);

    // Which registration: the one named, the learner's newest, or a new one.
    let registration_id = match request.registration {
        Some(id) => id,
        None if request.reuse_registration => ctx
            .store
            .latest_cmi5_registration(scope, record.id, &key)
            .await?
            .map_or_else(Uuid::new_v4, |r| r.id),
        None => Uuid::new_v4(),
    };
    let _guard = ctx.runtime.lock(registration_id).await;
    let existing = match ctx.store.cmi5_registration(scope, registration_id).await {
        Ok(found) => Some(found),
        Err(StoreError::NotFound(_)) => None,
        Err(other) => return Err(other.into()),
    };
    let (registration, content_key) = match existing {
        Some(row) => {
            if row.opportunity_id != record.id || row.learner_key != key {
                return Err(ValidationError::new(
                    "registration",
                    "the registration belongs to another course or learner",
                )
                .into());
            }
            let registration: Registration =
                serde_json::from_str(&row.state).map_err(internal("registration"))?;
            (registration, row.content_key)
        }
        None => {
            // A new registration; AUs with moveOn NotApplicable may satisfy blocks and the
            // course at once (9.6.1).
            let mut registration = Registration::new(registration_id, agent.clone());
            let opening = registration.evaluate(&activities, &Uuid::new_v4().to_string(), now);
            let row = Cmi5RegistrationRecord {
                id: registration_id,
                tenant_id: scope.tenant_id(),
                opportunity_id: record.id,
                package_id: package.id,
                person_id: person,
                learner_key: key.clone(),
                content_key: tokens::random_secret(),
                state: to_state(&registration)?,
                created_at: now,
                updated_at: now,
            };
            match ctx.store.create_cmi5_registration(scope, &row).await {
                Ok(()) => {}
                Err(StoreError::Conflict(_)) => {
                    return Err(ValidationError::new(
                        "registration",
                        "this registration id is taken by another company's registration",
                    )
                    .into())
                }
                Err(other) => return Err(other.into()),
            }
            ctx.record(scope, opening).await?;
            (registration, row.content_key)
        }
    };

    // A session of this registration that is still open is abandoned (9.3.6).
    let mut saved = Vec::new();
    let mut abandoned = Vec::new();
    for mut row in ctx.store.open_cmi5_sessions(scope, registration_id).await? {
        let mut session: AuSession =
            serde_json::from_str(&row.state).map_err(internal("session"))?;
        if let Some(statement) = session.abandon(now) {
            abandoned.push(statement);
        }
        row.open = session.is_open();
        row.state = to_state(&session)?;
        row.updated_at = now;
        saved.push(row);
    }

    let au = au_by_choice(&course, Some(&registration), &request.au)?;
    let session_id = Uuid::new_v4();
    let mode = request.launch_mode.unwrap_or(LaunchMode::Normal);
    let mut au_launch = AuLaunch::new(
        au,
        activities.au_activity_id(&au.id),
        session_id.to_string(),
        mode,
    );
    au_launch.return_url = request.return_url.clone();
    let au_url =
        mycel_cmi5::resolve_au_url(&ctx.content_base(registration_id, &content_key), &au.url)
            .map_err(|e| ValidationError::new("au", e.to_string()))?;
    let fetch_secret = tokens::random_secret();
    let prepared = AuSession::launch(
        &registration,
        &au_launch,
        &au_url,
        &ctx.endpoint(),
        &ctx.fetch_url(session_id, &fetch_secret),
        now,
    )
    .map_err(|e| ValidationError::new("au", e.to_string()))?;

    // LMS.LaunchData before the launch (10.1).
    let lms = LrsClient::mycel(scope, ctx.home_page);
    lrs::write_document(
        ctx.store,
        &lms,
        &DocumentKey::State {
            activity_id: au_launch.activity_id.clone(),
            agent: agent_document_key(&agent)?,
            registration: Some(registration_id),
            state_id: mycel_cmi5::vocab::STATE_LAUNCH_DATA.to_owned(),
        },
        lrs::DocumentUpload {
            content_type: "application/json".to_owned(),
            content: prepared.launch_data.to_string().into_bytes(),
            merge: false,
        },
        &lrs::Preconditions::default(),
        lrs::PreconditionRule::Optional,
    )
    .await
    .map_err(|e| AppError::Internal(format!("writing LMS.LaunchData failed: {e}")))?;

    abandoned.push(prepared.launched.clone());
    ctx.record(scope, abandoned).await?;
    saved.push(Cmi5SessionRecord {
        id: session_id,
        tenant_id: scope.tenant_id(),
        registration_id,
        au_id: au.id.clone(),
        fetch_key_hash: secret_hash(&fetch_secret),
        token_hash: None,
        open: true,
        state: to_state(&prepared.session)?,
        launched_at: now,
        updated_at: now,
    });
    ctx.store
        .save_cmi5_progress(scope, registration_id, &to_state(&registration)?, &saved)
        .await?;
    Ok(Launched {
        url: prepared.url,
        registration: registration_id,
        session: session_id,
        au_id: au.id.clone(),
        activity_id: au_launch.activity_id,
    })
}

/// The canonical agent key the document store files an agent's documents under.
fn agent_document_key(agent: &LearnerAgent) -> AppResult<String> {
    mycel_xapi::parse_agent_param(&agent.to_json().to_string())
        .map(|k| k.canonical())
        .map_err(|e| AppError::Internal(format!("the learner's agent key: {e}")))
}

/// What the fetch URL answers.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchAnswer {
    /// The auth-token (8.2.2).
    Token(String),
    /// The error document of 8.2.3 (answered with 200 too).
    Refused(Value),
    /// No such fetch URL.
    Unknown,
}

/// The one-time fetch URL was called.
pub async fn fetch(
    ctx: &Cmi5Context<'_>,
    session_id: Uuid,
    secret: &str,
) -> AppResult<FetchAnswer> {
    let Some(row) = ctx.store.find_cmi5_session(session_id).await? else {
        return Ok(FetchAnswer::Unknown);
    };
    if !hash_matches(secret, &row.fetch_key_hash) {
        return Ok(FetchAnswer::Unknown);
    }
    let scope = TenantScope::system(row.tenant_id);
    let _guard = ctx.runtime.lock(row.registration_id).await;
    // Read again under the lock.
    let mut row = ctx.store.cmi5_session(scope, session_id).await?;
    let mut session: AuSession = serde_json::from_str(&row.state).map_err(internal("session"))?;
    if let Err(refusal) = session.issue_auth_token() {
        return Ok(FetchAnswer::Refused(refusal.to_json()));
    }
    let token_secret = tokens::random_secret();
    row.token_hash = Some(secret_hash(&token_secret));
    row.state = to_state(&session)?;
    row.updated_at = Utc::now().trunc_subsecs(6);
    let registration = ctx
        .store
        .cmi5_registration(scope, row.registration_id)
        .await?;
    ctx.store
        .save_cmi5_progress(scope, row.registration_id, &registration.state, &[row])
        .await?;
    let basic = format!("{TOKEN_USER_PREFIX}{session_id}:{token_secret}");
    Ok(FetchAnswer::Token(
        base64::engine::general_purpose::STANDARD.encode(basic),
    ))
}

/// Whether a Basic user name is an AU's (then [`au_client`] decides, not the credentials).
pub fn is_au_token_user(user: &str) -> bool {
    user.starts_with(TOKEN_USER_PREFIX)
}

/// The LRS client of an AU's auth-token, while its session is open; `None` otherwise.
pub async fn au_client(
    store: &dyn Store,
    home_page: &str,
    user: &str,
    password: &str,
) -> AppResult<Option<LrsClient>> {
    let Some(id) = user
        .strip_prefix(TOKEN_USER_PREFIX)
        .and_then(|id| Uuid::parse_str(id).ok())
    else {
        return Ok(None);
    };
    let Some(row) = store.find_cmi5_session(id).await? else {
        return Ok(None);
    };
    let valid = row
        .token_hash
        .as_deref()
        .is_some_and(|hash| hash_matches(password, hash));
    if !valid || !row.open {
        return Ok(None);
    }
    Ok(Some(LrsClient {
        scope: TenantScope::system(row.tenant_id),
        // Statements an AU reads with statements/read/mine are its session's own.
        credential_id: CredentialId::from_uuid(row.id),
        scopes: vec![
            Scope::StatementsWrite,
            Scope::StatementsReadMine,
            Scope::State,
            Scope::Profiles,
        ],
        authority: json!({
            "objectType": "Agent",
            "name": "Mycel",
            "account": {"homePage": home_page, "name": "mycel"},
        }),
        cmi5_session: Some(row.id),
    }))
}

/// Stores statements an AU sent with its auth-token: after xAPI validation, its session's cmi5
/// rules decide (a violation refuses the whole request with 403 and stores nothing); then the
/// LMS's "satisfied" statements that follow are recorded, and session and registration saved.
#[allow(clippy::too_many_arguments)]
pub async fn store_au_statements(
    ctx: &Cmi5Context<'_>,
    client: &LrsClient,
    version: XapiVersion,
    statements: Vec<Value>,
    put_id: Option<Uuid>,
    parts: Vec<lrs::AttachmentPart>,
) -> LrsResult<Vec<Uuid>> {
    let Some(session_id) = client.cmi5_session else {
        return lrs::store_statements(
            ctx.store, client, version, statements, put_id, parts, ctx.signal,
        )
        .await;
    };
    let scope = client.scope;
    let app = |e: AppError| LrsError::Store(StoreError::Backend(e.to_string()));
    let row = ctx.store.cmi5_session(scope, session_id).await?;
    let _guard = ctx.runtime.lock(row.registration_id).await;
    let mut row = ctx.store.cmi5_session(scope, session_id).await?;
    let registration_row = ctx
        .store
        .cmi5_registration(scope, row.registration_id)
        .await?;
    let mut session: AuSession = serde_json::from_str(&row.state)
        .map_err(internal("session"))
        .map_err(app)?;
    let mut registration: Registration = serde_json::from_str(&registration_row.state)
        .map_err(internal("registration"))
        .map_err(app)?;
    let (_, _, course) = course_of(ctx, scope, registration_row.opportunity_id)
        .await
        .map_err(app)?;
    let base = course_base(ctx, registration_row.opportunity_id);
    let activities = CourseActivities::new(&course, &base)
        .map_err(|e| app(AppError::Internal(e.to_string())))?;
    let now = Utc::now();
    let mut accepted = Vec::new();
    let mut gate = |received: &[Value]| -> LrsResult<()> {
        accepted = session
            .accept_batch(received, now)
            .map_err(|violation| LrsError::Cmi5(violation.to_string()))?;
        Ok(())
    };
    let ids = lrs::store_statements_gated(
        ctx.store,
        client,
        version,
        statements,
        put_id,
        parts,
        ctx.signal,
        Some(&mut gate),
    )
    .await?;
    let mut satisfied = Vec::new();
    for one in &accepted {
        let follow = registration
            .record_accepted(&activities, &session, one, now)
            .map_err(|e| app(AppError::Internal(e.to_string())))?;
        satisfied.extend(follow);
    }
    ctx.record(scope, satisfied).await.map_err(app)?;
    row.open = session.is_open();
    row.state = to_state(&session).map_err(app)?;
    row.updated_at = now.trunc_subsecs(6);
    ctx.store
        .save_cmi5_progress(
            scope,
            row.registration_id,
            &to_state(&registration).map_err(app)?,
            &[row],
        )
        .await?;
    Ok(ids)
}

/// A document request of an AU's auth-token, checked against cmi5 (other clients pass): the AU may
/// not write or delete `LMS.LaunchData` (10.2.1); reading `cmi5LearnerPreferences` is noted (the
/// session refuses "initialized" before, 11.0); writing it must be the learner's and valid (11).
#[derive(Debug, Clone, Copy)]
pub enum AuDocumentRequest<'a> {
    /// PUT, POST or DELETE of one state document.
    WriteState { state_id: &'a str },
    /// DELETE of all of an activity's state documents for the agent.
    DeleteStates,
    /// GET or HEAD of one agent profile document.
    ReadAgentProfile { profile_id: &'a str },
    /// PUT or POST of one agent profile document.
    WriteAgentProfile {
        profile_id: &'a str,
        agent: &'a Value,
        content_type: &'a str,
        body: &'a [u8],
    },
}

pub async fn check_au_document(
    ctx: &Cmi5Context<'_>,
    client: &LrsClient,
    request: AuDocumentRequest<'_>,
) -> LrsResult<()> {
    let Some(session_id) = client.cmi5_session else {
        return Ok(());
    };
    let preferences = mycel_cmi5::vocab::PROFILE_LEARNER_PREFERENCES;
    match request {
        AuDocumentRequest::WriteState { state_id } => {
            if mycel_cmi5::au_may_write_state(state_id) {
                Ok(())
            } else {
                Err(LrsError::Cmi5(
                    "cmi5 10.2.1: the AU must not modify or delete LMS.LaunchData".into(),
                ))
            }
        }
        AuDocumentRequest::DeleteStates => Err(LrsError::Cmi5(
            "cmi5 10.2.1: deleting all state documents would delete LMS.LaunchData; delete them one by one"
                .into(),
        )),
        AuDocumentRequest::ReadAgentProfile { profile_id } if profile_id == preferences => {
            let app = |e: AppError| LrsError::Store(StoreError::Backend(e.to_string()));
            let scope = client.scope;
            let row = ctx.store.cmi5_session(scope, session_id).await?;
            let _guard = ctx.runtime.lock(row.registration_id).await;
            let mut row = ctx.store.cmi5_session(scope, session_id).await?;
            let mut session: AuSession = serde_json::from_str(&row.state)
                .map_err(internal("session"))
                .map_err(app)?;
            session.note_learner_preferences_read();
            row.state = to_state(&session).map_err(app)?;
            row.updated_at = Utc::now().trunc_subsecs(6);
            let registration = ctx.store.cmi5_registration(scope, row.registration_id).await?;
            ctx.store
                .save_cmi5_progress(scope, row.registration_id, &registration.state, &[row])
                .await?;
            Ok(())
        }
        AuDocumentRequest::WriteAgentProfile {
            profile_id,
            agent,
            content_type,
            body,
        } if profile_id == preferences => {
            let row = ctx.store.cmi5_session(client.scope, session_id).await?;
            let session: AuSession = serde_json::from_str(&row.state)
                .map_err(|e| LrsError::Store(StoreError::Backend(e.to_string())))?;
            let media = content_type.split(';').next().unwrap_or("").trim();
            if !media.eq_ignore_ascii_case("application/json") {
                return Err(LrsError::Cmi5(format!(
                    "cmi5 11.0: the learner preferences are a JSON document (Content-Type: application/json, not {media:?})"
                )));
            }
            let document: Value = serde_json::from_slice(body).map_err(|e| {
                LrsError::Cmi5(format!("cmi5 11.0: the learner preferences are not JSON: {e}"))
            })?;
            LearnerPreferences::check_write(session.actor(), agent, &document)
                .map_err(|e| LrsError::Cmi5(e.to_string()))?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Abandons an open session (an administrator's decision, or a dead AU): records "abandoned";
/// its auth-token stops working.
pub async fn abandon_session(
    ctx: &Cmi5Context<'_>,
    acting: Acting<'_>,
    scope: TenantScope,
    session_id: Uuid,
) -> AppResult<()> {
    acting.require(Action::ManageCatalogue)?;
    let row = ctx.store.cmi5_session(scope, session_id).await?;
    let _guard = ctx.runtime.lock(row.registration_id).await;
    let row = ctx.store.cmi5_session(scope, session_id).await?;
    if !abandon_row(ctx, scope, row, Utc::now()).await? {
        return Err(ValidationError::new("session", "the session is over already").into());
    }
    Ok(())
}

/// Abandons the session of `row` if it is open; `false` if it was over. Call under the
/// registration's lock.
async fn abandon_row(
    ctx: &Cmi5Context<'_>,
    scope: TenantScope,
    mut row: Cmi5SessionRecord,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let mut session: AuSession = serde_json::from_str(&row.state).map_err(internal("session"))?;
    let Some(abandoned) = session.abandon(now.trunc_subsecs(3)) else {
        return Ok(false);
    };
    ctx.record(scope, vec![abandoned]).await?;
    row.open = false;
    row.state = to_state(&session)?;
    row.updated_at = now.trunc_subsecs(6);
    let registration = ctx
        .store
        .cmi5_registration(scope, row.registration_id)
        .await?;
    ctx.store
        .save_cmi5_progress(scope, row.registration_id, &registration.state, &[row])
        .await?;
    Ok(true)
}

/// Abandons open sessions that sent nothing for [`SESSION_IDLE_LIMIT`]; returns how many.
pub async fn abandon_idle_sessions(ctx: &Cmi5Context<'_>, now: DateTime<Utc>) -> AppResult<u64> {
    let mut count = 0;
    loop {
        let stale = ctx
            .store
            .stale_cmi5_sessions(now - SESSION_IDLE_LIMIT, STALE_PAGE)
            .await?;
        let page = stale.len();
        for row in stale {
            let scope = TenantScope::system(row.tenant_id);
            let _guard = ctx.runtime.lock(row.registration_id).await;
            let fresh = ctx.store.cmi5_session(scope, row.id).await?;
            if fresh.open && fresh.updated_at < now - SESSION_IDLE_LIMIT {
                // Over already or not: either way the row is no longer open afterwards.
                if !abandon_row(ctx, scope, fresh.clone(), now).await? {
                    let registration = ctx
                        .store
                        .cmi5_registration(scope, fresh.registration_id)
                        .await?;
                    let closed = Cmi5SessionRecord {
                        open: false,
                        ..fresh
                    };
                    ctx.store
                        .save_cmi5_progress(
                            scope,
                            closed.registration_id,
                            &registration.state,
                            &[closed],
                        )
                        .await?;
                }
                count += 1;
            }
        }
        if page < STALE_PAGE as usize {
            return Ok(count);
        }
    }
}

/// Waives an AU in a registration (9.3.7): records "waived" and the "satisfied" statements it
/// causes.
pub async fn waive(
    ctx: &Cmi5Context<'_>,
    acting: Acting<'_>,
    scope: TenantScope,
    registration_id: Uuid,
    au: &AuChoice,
    reason: &str,
) -> AppResult<()> {
    acting.require(Action::ManageCatalogue)?;
    let reason = match reason.trim() {
        "Tested Out" => WaiveReason::TestedOut,
        "Equivalent AU" => WaiveReason::EquivalentAu,
        "Equivalent Outside Activity" => WaiveReason::EquivalentOutsideActivity,
        "Administrative" => WaiveReason::Administrative,
        "" => return Err(ValidationError::new("reason", "a waiver needs a reason").into()),
        other => WaiveReason::Other(other.to_owned()),
    };
    let _guard = ctx.runtime.lock(registration_id).await;
    let row = ctx.store.cmi5_registration(scope, registration_id).await?;
    let mut registration: Registration =
        serde_json::from_str(&row.state).map_err(internal("registration"))?;
    let (_, _, course) = course_of(ctx, scope, row.opportunity_id).await?;
    let base = course_base(ctx, row.opportunity_id);
    let activities =
        CourseActivities::new(&course, &base).map_err(|e| AppError::Internal(e.to_string()))?;
    let chosen = au_by_choice(&course, Some(&registration), au)?;
    let now = Utc::now().trunc_subsecs(3);
    let statements = registration
        .waive(
            &activities,
            &chosen.id,
            &reason,
            &Uuid::new_v4().to_string(),
            now,
        )
        .map_err(|e| ValidationError::new("au", e.to_string()))?;
    ctx.record(scope, statements).await?;
    ctx.store
        .save_cmi5_progress(scope, registration_id, &to_state(&registration)?, &[])
        .await?;
    Ok(())
}

/// A person's progress in a course: their newest registration's AUs. `None` before the first
/// launch. The person themselves, or someone who manages the catalogue.
pub async fn course_progress(
    ctx: &Cmi5Context<'_>,
    acting: Acting<'_>,
    scope: TenantScope,
    opportunity: OpportunityId,
    person: PersonId,
) -> AppResult<Option<CourseProgress>> {
    let themselves = matches!(
        acting,
        Acting::Principal(mycel_organisation::Principal::Person { person_id, .. }) if *person_id == person
    );
    if !themselves {
        acting.require(Action::ManageCatalogue)?;
    }
    let agent = LearnerAgent::new(ctx.home_page, &person.to_string())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let Some(row) = ctx
        .store
        .latest_cmi5_registration(scope, opportunity, &learner_key(&agent))
        .await?
    else {
        return Ok(None);
    };
    let registration: Registration =
        serde_json::from_str(&row.state).map_err(internal("registration"))?;
    let (_, _, course) = course_of(ctx, scope, opportunity).await?;
    let aus = course
        .aus()
        .into_iter()
        .map(|au| {
            let progress = registration.progress(&au.id);
            AuStatus {
                id: au.id.clone(),
                title: mycel_package::cmi5::first_text(&au.title).to_owned(),
                completed: progress.completed,
                passed: progress.passed,
                failed: progress.failed,
                waived: progress.waived,
                satisfied: registration.au_satisfied(au),
            }
        })
        .collect();
    Ok(Some(CourseProgress {
        registration: row.id,
        aus,
        satisfied: registration.course_satisfied(&course),
    }))
}

/// A file of the AU's package, for the key of its registration's launch URLs.
pub async fn au_file(
    ctx: &Cmi5Context<'_>,
    registration: Uuid,
    key: &str,
    path: &str,
) -> AppResult<(PathBuf, &'static str)> {
    let Some(row) = ctx.store.find_cmi5_registration(registration).await? else {
        return Err(AppError::NotFound("file"));
    };
    if !tokens::hashes_match(key.as_bytes(), row.content_key.as_bytes()) {
        return Err(AppError::NotFound("file"));
    }
    packages::file_of_package(ctx.catalogue, row.tenant_id, row.package_id, path).await
}
