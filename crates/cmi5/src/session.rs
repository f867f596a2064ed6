//! One AU session (cmi5 3.0: "from the launch of an AU until its termination or abandonment"):
//! the rules of sections 7.1, 9 and 10.2.2 that the LRS enforces on the statements the AU sends,
//! the one-time fetch URL (8.2), and abandonment (9.3.6).
//!
//! The session is plain data (`Serialize`/`Deserialize`), so the HTTP layer can keep it in its
//! store between requests; nothing here reads the clock.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;
use uuid::Uuid;

use crate::error::{Cmi5Violation, FetchError, LaunchError};
use crate::launch::{launch_url, AuLaunch, LaunchMode, LaunchParams, LearnerAgent};
use crate::registration::{AuOutcome, AuProgress, Registration};
use crate::statements::{self, StatementScope};
use crate::vocab;

/// The verbs an AU uses in "cmi5 defined" statements (9.3.2–9.3.5, 9.3.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cmi5Verb {
    Initialized,
    Completed,
    Passed,
    Failed,
    Terminated,
}

impl Cmi5Verb {
    /// The verb of this IRI, if it is one of the AU's cmi5 verbs.
    pub fn from_iri(iri: &str) -> Option<Self> {
        Some(match iri {
            vocab::VERB_INITIALIZED => Cmi5Verb::Initialized,
            vocab::VERB_COMPLETED => Cmi5Verb::Completed,
            vocab::VERB_PASSED => Cmi5Verb::Passed,
            vocab::VERB_FAILED => Cmi5Verb::Failed,
            vocab::VERB_TERMINATED => Cmi5Verb::Terminated,
            _ => return None,
        })
    }

    /// The verb's name: `"initialized"`, `"completed"`, …
    pub fn name(self) -> &'static str {
        match self {
            Cmi5Verb::Initialized => "initialized",
            Cmi5Verb::Completed => "completed",
            Cmi5Verb::Passed => "passed",
            Cmi5Verb::Failed => "failed",
            Cmi5Verb::Terminated => "terminated",
        }
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionState {
    /// Launched; waiting for "initialized".
    Launched,
    /// "initialized" received; statements are accepted until "terminated".
    Initialized,
    /// "terminated" received; nothing more is accepted (9.3.8).
    Terminated,
    /// Abandoned by the LMS; nothing more is accepted (9.3.6).
    Abandoned,
}

/// What kind of statement was accepted (7.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementKind {
    /// A "cmi5 defined" statement: a cmi5 verb with the cmi5 category activity.
    Defined(Cmi5Verb),
    /// A "cmi5 allowed" statement: the context template without the cmi5 category; recorded, but
    /// not part of session management or satisfaction.
    Allowed,
}

/// A statement the session accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub kind: StatementKind,
    /// "completed", "passed" or "failed": what the registration must record
    /// ([`Registration::record`]) to evaluate moveOn.
    pub outcome: Option<AuOutcome>,
}

/// A statement of a batch broke a rule; the batch is refused as a whole.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("statement {index} of the batch: {violation}")]
pub struct BatchViolation {
    /// The position of the offending statement in the batch.
    pub index: usize,
    pub violation: Cmi5Violation,
}

/// One launch of one AU for one registration, and the rules its statements must follow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuSession {
    session_id: String,
    registration: Uuid,
    actor: LearnerAgent,
    publisher_id: String,
    activity_id: String,
    launch_mode: LaunchMode,
    mastery_score: Option<f64>,
    launched_at: DateTime<Utc>,
    /// When the last statement of the AU was accepted (for the abandoned duration, 9.5.4.2).
    last_statement_at: Option<DateTime<Utc>>,
    state: SessionState,
    passed_in_session: bool,
    failed_in_session: bool,
    /// The AU's progress in the registration, as of the launch plus this session.
    progress: AuProgress,
    token_issued: bool,
    learner_preferences_read: bool,
    require_learner_preferences: bool,
}

/// Everything the LMS needs to launch an AU: see [`AuSession::launch`].
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLaunch {
    /// The URL to send the browser to (8.1).
    pub url: String,
    /// The `LMS.LaunchData` document to write before the launch (10).
    pub launch_data: Value,
    /// The "launched" statement to record before the launch (9.3.1).
    pub launched: Value,
    /// The new session.
    pub session: AuSession,
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// The activity ids of a `contextActivities` list (an array, or a single activity as xAPI 1.0.3
/// allows).
fn activity_ids<'a>(context: &'a Map<String, Value>, list: &str) -> Vec<&'a str> {
    let Some(value) = context.get("contextActivities").and_then(|c| c.get(list)) else {
        return Vec::new();
    };
    let one = |a: &'a Value| a.get("id").and_then(Value::as_str);
    match value {
        Value::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    }
}

fn describe(value: Option<&Value>) -> String {
    match value {
        None => "missing".to_owned(),
        Some(v) => v.to_string(),
    }
}

impl AuSession {
    /// A session for `launch`, in `registration` (whose progress of the AU it takes over), launched
    /// at `now`. The learner preferences must be read before "initialized" (see
    /// [`AuSession::require_learner_preferences`]).
    pub fn new(registration: &Registration, launch: &AuLaunch, now: DateTime<Utc>) -> Self {
        Self {
            session_id: launch.session_id.clone(),
            registration: registration.id(),
            actor: registration.actor().clone(),
            publisher_id: launch.publisher_id.clone(),
            activity_id: launch.activity_id.clone(),
            launch_mode: launch.launch_mode,
            mastery_score: launch.mastery_score,
            launched_at: now,
            last_statement_at: None,
            state: SessionState::Launched,
            passed_in_session: false,
            failed_in_session: false,
            progress: registration.progress(&launch.publisher_id),
            token_issued: false,
            learner_preferences_read: false,
            require_learner_preferences: true,
        }
    }

    /// Prepares a launch: the session, the launch URL for the AU at `au_url` (absolute, see
    /// [`crate::resolve_au_url`]), the `LMS.LaunchData` document and the "launched" statement.
    pub fn launch(
        registration: &Registration,
        launch: &AuLaunch,
        au_url: &str,
        endpoint: &str,
        fetch: &str,
        now: DateTime<Utc>,
    ) -> Result<PreparedLaunch, LaunchError> {
        let url = launch_url(
            au_url,
            &LaunchParams {
                endpoint,
                fetch,
                actor: registration.actor(),
                registration: registration.id(),
                activity_id: &launch.activity_id,
            },
        )?;
        Ok(PreparedLaunch {
            url,
            launch_data: launch.launch_data(),
            launched: statements::launched(
                registration.actor(),
                registration.id(),
                launch,
                au_url,
                now,
            ),
            session: AuSession::new(registration, launch, now),
        })
    }

    /// Whether "initialized" is refused until the AU has read its learner preferences
    /// (11.0: "The AU MUST retrieve the Learner Preferences document from the Agent Profile on
    /// startup"; CATAPULT checks it). On by default.
    pub fn require_learner_preferences(mut self, required: bool) -> Self {
        self.require_learner_preferences = required;
        self
    }

    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    pub fn registration(&self) -> Uuid {
        self.registration
    }

    pub fn actor(&self) -> &LearnerAgent {
        &self.actor
    }

    pub fn publisher_id(&self) -> &str {
        &self.publisher_id
    }

    pub fn activity_id(&self) -> &str {
        &self.activity_id
    }

    pub fn launch_mode(&self) -> LaunchMode {
        self.launch_mode
    }

    pub fn state(&self) -> SessionState {
        self.state
    }

    /// Launched or initialized: neither terminated nor abandoned.
    pub fn is_open(&self) -> bool {
        matches!(
            self.state,
            SessionState::Launched | SessionState::Initialized
        )
    }

    /// The AU's progress in the registration, including this session.
    pub fn progress(&self) -> AuProgress {
        self.progress
    }

    /// The one-time fetch URL was called (8.2): `Ok` the first time (the HTTP layer then answers
    /// with a new `auth-token`), afterwards, or once the session is over, the error to answer with.
    pub fn issue_auth_token(&mut self) -> Result<(), FetchError> {
        if !self.is_open() {
            return Err(FetchError::SessionEnded);
        }
        if self.token_issued {
            return Err(FetchError::AlreadyUsed);
        }
        self.token_issued = true;
        Ok(())
    }

    /// The AU read the `cmi5LearnerPreferences` agent profile (11.0).
    pub fn note_learner_preferences_read(&mut self) {
        self.learner_preferences_read = true;
    }

    /// Checks a statement the AU sent in this session and, if it keeps the rules, records its
    /// effect. A refused statement changes nothing. `now` is when it arrived.
    pub fn accept(
        &mut self,
        statement: &Value,
        now: DateTime<Utc>,
    ) -> Result<Accepted, Cmi5Violation> {
        let accepted = self.check(statement)?;
        self.last_statement_at = Some(now);
        match accepted.kind {
            StatementKind::Allowed => {}
            StatementKind::Defined(verb) => match verb {
                Cmi5Verb::Initialized => self.state = SessionState::Initialized,
                Cmi5Verb::Terminated => self.state = SessionState::Terminated,
                Cmi5Verb::Completed => self.progress.completed = true,
                Cmi5Verb::Passed => {
                    self.passed_in_session = true;
                    self.progress.passed = true;
                }
                Cmi5Verb::Failed => {
                    self.failed_in_session = true;
                    self.progress.failed = true;
                }
            },
        }
        Ok(accepted)
    }

    /// [`AuSession::accept`] for a batch, in order, all or nothing: on a violation the session is
    /// left as it was.
    pub fn accept_batch(
        &mut self,
        statements: &[Value],
        now: DateTime<Utc>,
    ) -> Result<Vec<Accepted>, BatchViolation> {
        let mut trial = self.clone();
        let mut out = Vec::with_capacity(statements.len());
        for (index, statement) in statements.iter().enumerate() {
            out.push(
                trial
                    .accept(statement, now)
                    .map_err(|violation| BatchViolation { index, violation })?,
            );
        }
        *self = trial;
        Ok(out)
    }

    /// Abandons the session (9.3.6) — when the AU is launched again in the registration while this
    /// session is open, or when the LMS decides it is dead — and returns the "abandoned" statement
    /// to record. `None` when the session is already over (at most one per session, 9.3).
    pub fn abandon(&mut self, now: DateTime<Utc>) -> Option<Value> {
        if !self.is_open() {
            return None;
        }
        self.state = SessionState::Abandoned;
        let last = self.last_statement_at.unwrap_or(self.launched_at);
        let scope = StatementScope {
            actor: &self.actor,
            registration: self.registration,
            session_id: &self.session_id,
        };
        Some(statements::abandoned(
            &scope,
            &self.publisher_id,
            &self.activity_id,
            last - self.launched_at,
            now,
        ))
    }

    /// Abandons the session if it is open and nothing arrived for longer than `limit` (since the
    /// last statement, or the launch); returns the "abandoned" statement then.
    pub fn timed_out(&mut self, now: DateTime<Utc>, limit: TimeDelta) -> Option<Value> {
        let last = self.last_statement_at.unwrap_or(self.launched_at);
        if now - last > limit {
            self.abandon(now)
        } else {
            None
        }
    }

    fn check(&self, statement: &Value) -> Result<Accepted, Cmi5Violation> {
        use Cmi5Violation as V;
        let st = statement.as_object().ok_or(V::NotAnObject)?;
        match self.state {
            SessionState::Terminated => return Err(V::AfterTerminated),
            SessionState::Abandoned => return Err(V::AfterAbandoned),
            SessionState::Launched | SessionState::Initialized => {}
        }
        let verb_id = st
            .get("verb")
            .and_then(|v| v.get("id"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        if verb_id == vocab::VERB_VOIDED {
            return Err(V::Voiding);
        }
        if !st.get("id").is_some_and(Value::is_string) {
            return Err(V::MissingId);
        }
        if [
            vocab::VERB_LAUNCHED,
            vocab::VERB_ABANDONED,
            vocab::VERB_WAIVED,
            vocab::VERB_SATISFIED,
        ]
        .contains(&verb_id)
        {
            return Err(V::LmsVerb {
                verb: verb_id.to_owned(),
            });
        }
        let timestamp = st
            .get("timestamp")
            .and_then(Value::as_str)
            .ok_or(V::MissingTimestamp)?;
        match mycel_xapi::datatypes::parse_timestamp(timestamp, mycel_xapi::XapiVersion::V1_0_3) {
            Ok(t) if t.offset().local_minus_utc() == 0 => {}
            _ => return Err(V::TimestampNotUtc(timestamp.to_owned())),
        }
        let context = st.get("context").and_then(Value::as_object);
        let categories = context
            .map(|c| activity_ids(c, "category"))
            .unwrap_or_default();
        let defined = categories.contains(&vocab::CATEGORY_CMI5);
        let verb = Cmi5Verb::from_iri(verb_id);
        if defined && verb.is_none() {
            return Err(V::CategoryOnOtherVerb {
                verb: verb_id.to_owned(),
            });
        }
        let verb = if defined { verb } else { None };
        if self.state == SessionState::Launched {
            if verb != Some(Cmi5Verb::Initialized) {
                return Err(V::NotInitialized {
                    verb: verb_id.to_owned(),
                });
            }
            if self.require_learner_preferences && !self.learner_preferences_read {
                return Err(V::LearnerPreferencesNotRead);
            }
        }
        let context = context.ok_or(V::MissingContext)?;
        self.check_context_template(context)?;
        let actor = st.get("actor").unwrap_or(&Value::Null);
        self.actor.check(actor).map_err(V::Actor)?;
        let has_moveon = categories.contains(&vocab::CATEGORY_MOVEON);
        let Some(verb) = verb else {
            if has_moveon {
                return Err(V::MoveOnCategoryNotAllowed);
            }
            return Ok(Accepted {
                kind: StatementKind::Allowed,
                outcome: None,
            });
        };
        self.check_defined(st, context, verb, has_moveon)?;
        let outcome = match verb {
            Cmi5Verb::Completed => Some(AuOutcome::Completed),
            Cmi5Verb::Passed => Some(AuOutcome::Passed),
            Cmi5Verb::Failed => Some(AuOutcome::Failed),
            Cmi5Verb::Initialized | Cmi5Verb::Terminated => None,
        };
        Ok(Accepted {
            kind: StatementKind::Defined(verb),
            outcome,
        })
    }

    /// 9.6.1, 9.6.2, 9.6.3.1: what the context template requires of every statement of the
    /// session, defined or allowed.
    fn check_context_template(&self, context: &Map<String, Value>) -> Result<(), Cmi5Violation> {
        let registration = context.get("registration");
        let same = registration
            .and_then(Value::as_str)
            .and_then(|r| Uuid::parse_str(r).ok())
            == Some(self.registration);
        if !same {
            return Err(Cmi5Violation::WrongRegistration {
                expected: self.registration.hyphenated().to_string(),
                found: describe(registration),
            });
        }
        let session = context
            .get("extensions")
            .and_then(|e| e.get(vocab::EXT_SESSION_ID));
        if session.and_then(Value::as_str) != Some(self.session_id.as_str()) {
            return Err(Cmi5Violation::WrongSessionId {
                expected: self.session_id.clone(),
                found: describe(session),
            });
        }
        if !activity_ids(context, "grouping").contains(&self.publisher_id.as_str()) {
            return Err(Cmi5Violation::MissingPublisherId {
                expected: self.publisher_id.clone(),
            });
        }
        Ok(())
    }

    /// The rules for "cmi5 defined" statements: object (9.4), launch mode (10.2.2), result
    /// (9.5.1–9.5.4), moveOn category (9.6.2.2), mastery score (9.3.4, 9.3.5, 9.6.3.2) and the
    /// order of verbs in the session and registration (9.3).
    fn check_defined(
        &self,
        st: &Map<String, Value>,
        context: &Map<String, Value>,
        verb: Cmi5Verb,
        has_moveon: bool,
    ) -> Result<(), Cmi5Violation> {
        use Cmi5Violation as V;
        let name = verb.name();
        let object = st.get("object");
        let object_type_ok = object
            .and_then(|o| o.get("objectType"))
            .is_none_or(|t| t == "Activity");
        let object_id = object.and_then(|o| o.get("id"));
        if !object_type_ok || object_id.and_then(Value::as_str) != Some(self.activity_id.as_str()) {
            return Err(V::WrongObject {
                expected: self.activity_id.clone(),
                found: describe(object_id),
            });
        }
        let judging = matches!(
            verb,
            Cmi5Verb::Completed | Cmi5Verb::Passed | Cmi5Verb::Failed
        );
        if judging && self.launch_mode != LaunchMode::Normal {
            return Err(V::NotInNormalMode {
                verb: name,
                mode: self.launch_mode.as_str(),
            });
        }

        let empty = Map::new();
        let result = st
            .get("result")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let score = result.get("score").and_then(Value::as_object);
        let scored_verb = matches!(verb, Cmi5Verb::Passed | Cmi5Verb::Failed);
        if let Some(score) = score {
            if !scored_verb {
                return Err(V::ScoreNotAllowed { verb: name });
            }
            if score.contains_key("raw")
                && !(score.contains_key("min") && score.contains_key("max"))
            {
                return Err(V::RawScoreWithoutRange);
            }
        }
        let success = result.get("success");
        match verb {
            Cmi5Verb::Passed | Cmi5Verb::Failed => {
                let expected = verb == Cmi5Verb::Passed;
                if success.and_then(Value::as_bool) != Some(expected) {
                    return Err(V::SuccessRequired {
                        verb: name,
                        expected,
                    });
                }
            }
            _ if success.is_some() => return Err(V::SuccessNotAllowed { verb: name }),
            _ => {}
        }
        let completion = result.get("completion");
        if verb == Cmi5Verb::Completed {
            if completion.and_then(Value::as_bool) != Some(true) {
                return Err(V::CompletionRequired { verb: name });
            }
        } else if completion.is_some() {
            return Err(V::CompletionNotAllowed { verb: name });
        }
        if verb != Cmi5Verb::Initialized && !result.contains_key("duration") {
            return Err(V::MissingDuration { verb: name });
        }
        if judging && !has_moveon {
            return Err(V::MoveOnCategoryMissing { verb: name });
        }
        if !judging && has_moveon {
            return Err(V::MoveOnCategoryNotAllowed);
        }
        if scored_verb {
            self.check_mastery(context, score, verb)?;
        }
        self.check_order(verb)
    }

    fn check_mastery(
        &self,
        context: &Map<String, Value>,
        score: Option<&Map<String, Value>>,
        verb: Cmi5Verb,
    ) -> Result<(), Cmi5Violation> {
        use Cmi5Violation as V;
        let extension = context
            .get("extensions")
            .and_then(|e| e.get(vocab::EXT_MASTERY_SCORE));
        let scaled = score.and_then(|s| s.get("scaled")).and_then(Value::as_f64);
        match (self.mastery_score, extension) {
            (None, Some(_)) => {
                return Err(V::MasteryScore(
                    "the launch data has no masteryScore, so the statement must not carry the masteryscore extension".to_owned(),
                ))
            }
            (Some(mastery), Some(value)) if !value.as_f64().is_some_and(|v| close(v, mastery)) => {
                return Err(V::MasteryScore(format!(
                    "the masteryscore extension must be the launch data's masteryScore {mastery}; it is {value}"
                )));
            }
            (Some(mastery), None) if scaled.is_some() => {
                return Err(V::MasteryScore(format!(
                    "a \"{}\" statement judged by a scaled score must carry the masteryscore extension {mastery}",
                    verb.name()
                )))
            }
            _ => {}
        }
        if let (Some(mastery), Some(scaled)) = (self.mastery_score, scaled) {
            let at_or_above = scaled > mastery || close(scaled, mastery);
            if verb == Cmi5Verb::Passed && !at_or_above {
                return Err(V::PassedBelowMastery { scaled, mastery });
            }
            if verb == Cmi5Verb::Failed && at_or_above {
                return Err(V::FailedAtOrAboveMastery { scaled, mastery });
            }
        }
        Ok(())
    }

    fn check_order(&self, verb: Cmi5Verb) -> Result<(), Cmi5Violation> {
        use Cmi5Violation as V;
        match verb {
            Cmi5Verb::Initialized if self.state != SessionState::Launched => {
                Err(V::InitializedTwice)
            }
            Cmi5Verb::Completed if self.progress.completed => Err(V::CompletedTwice),
            Cmi5Verb::Passed if self.progress.passed => Err(V::PassedTwice),
            Cmi5Verb::Passed if self.failed_in_session => {
                Err(V::PassedOrFailedTwice { earlier: "failed" })
            }
            Cmi5Verb::Failed if self.passed_in_session => {
                Err(V::PassedOrFailedTwice { earlier: "passed" })
            }
            Cmi5Verb::Failed if self.failed_in_session => {
                Err(V::PassedOrFailedTwice { earlier: "failed" })
            }
            Cmi5Verb::Failed if self.progress.passed => Err(V::FailedAfterPassed),
            _ => Ok(()),
        }
    }
}
