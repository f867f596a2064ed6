//! The errors of this crate. All are `thiserror` enums whose messages say what is wrong; a
//! [`Cmi5Violation`] also names the section of the cmi5 specification it breaks, so the LRS can
//! answer `403 Forbidden` with it as it is.

use thiserror::Error;

/// Why a launch (URL, activity ids, learner) cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LaunchError {
    /// A URL that must be absolute is not (the AU URL after resolution, the endpoint, the fetch URL).
    #[error("the {what} {url:?} is not an absolute URL")]
    NotAbsoluteUrl { what: &'static str, url: String },
    /// A relative AU URL could not be resolved against the package's base URL.
    #[error("the AU URL {url:?} cannot be resolved against the package base {base:?}")]
    Unresolvable { base: String, url: String },
    /// The AU URL's own query string uses a name the launch needs (cmi5 8.1).
    #[error("cmi5 8.1: the AU URL {url:?} already has a query parameter {name:?}, which collides with the launch parameter of that name")]
    ParameterCollision { name: String, url: String },
    /// The base IRI for the LMS's activity ids is not an absolute IRI.
    #[error("the activity id base {0:?} is not an absolute IRI")]
    InvalidActivityBase(String),
    /// The learner's account is unusable as a cmi5 actor (cmi5 9.2).
    #[error("cmi5 9.2: the learner account needs a homePage URL and a non-empty name; got homePage {home_page:?}, name {name:?}")]
    InvalidLearner { home_page: String, name: String },
    /// The AU named is not in the course structure.
    #[error("the course has no AU with the id {0:?}")]
    UnknownAu(String),
}

/// Why a registration cannot record something.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RegistrationError {
    /// The AU named is not in the course structure.
    #[error("the course has no AU with the id {0:?}")]
    UnknownAu(String),
    /// The AU was already waived in this registration (cmi5 9.3, 9.3.7).
    #[error("cmi5 9.3.7: the AU {0:?} was already waived in this registration; the LMS must not waive it twice")]
    AlreadyWaived(String),
}

/// The answer to a second POST to the one-time fetch URL, or to one after the session ended
/// (cmi5 8.2.3). The HTTP layer answers `200` with [`FetchError::to_json`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum FetchError {
    /// Error code 1: the token was already returned (8.2.3.1).
    #[error("cmi5 8.2.3.1: the authorization token has already been returned")]
    AlreadyUsed,
    /// Error code 1: the session is over (terminated or abandoned).
    #[error("cmi5 8.2.3.2: the AU session has ended")]
    SessionEnded,
}

impl FetchError {
    /// The `error-code` of 8.2.3.2 (`"1"`: already in use or expired).
    pub fn code(self) -> &'static str {
        "1"
    }

    /// The JSON body of 8.2.3.1: `{"error-code": "1", "error-text": "…"}`.
    pub fn to_json(self) -> serde_json::Value {
        serde_json::json!({ "error-code": self.code(), "error-text": self.to_string() })
    }
}

/// A statement of an AU session that breaks a rule of cmi5; the LRS rejects it with
/// `403 Forbidden` (cmi5 6.3: the LMS SHOULD reject, else MUST void). Each message starts with the
/// section of the specification it breaks.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Cmi5Violation {
    #[error("cmi5 9: a statement must be a JSON object")]
    NotAnObject,
    #[error(
        "cmi5 9.3.8: the session ended with a \"terminated\" statement; no statement may follow it"
    )]
    AfterTerminated,
    #[error("cmi5 9.3.6: the session was abandoned; no statement may be recorded for it")]
    AfterAbandoned,
    #[error("cmi5 6.3: an AU must not void statements")]
    Voiding,
    #[error("cmi5 9.1: the AU must give every statement an id (a UUID)")]
    MissingId,
    #[error("cmi5 9.7: every statement needs a timestamp")]
    MissingTimestamp,
    #[error("cmi5 9.7: timestamps must be in UTC; {0:?} is not")]
    TimestampNotUtc(String),
    #[error("cmi5 11.0: the AU must read the cmi5LearnerPreferences agent profile before it sends \"initialized\"")]
    LearnerPreferencesNotRead,
    #[error("cmi5 7.1.1, 9.3: the first statement of a session must be the cmi5 defined \"initialized\" statement; this one has the verb {verb}")]
    NotInitialized { verb: String },
    #[error("cmi5 9.3: the verb {verb} is for statements of the LMS; an AU must not send it")]
    LmsVerb { verb: String },
    #[error("cmi5 7.1.3: the cmi5 category activity marks cmi5 defined statements, but {verb} is not a cmi5 verb")]
    CategoryOnOtherVerb { verb: String },
    #[error("cmi5 9.6: the statement has no context")]
    MissingContext,
    #[error("cmi5 9.6.1: context.registration must be {expected}; it is {found}")]
    WrongRegistration { expected: String, found: String },
    #[error("cmi5 9.6.3.1: the context extension {ext} must be the session id {expected:?}; it is {found}", ext = crate::vocab::EXT_SESSION_ID)]
    WrongSessionId { expected: String, found: String },
    #[error("cmi5 9.6.2, 9.6.2.3: context.contextActivities.grouping must contain the publisher id activity {expected:?} of the context template")]
    MissingPublisherId { expected: String },
    #[error("cmi5 9.2: {0}")]
    Actor(String),
    #[error("cmi5 9.4, 8.1.5: the object of a cmi5 defined statement must be the AU's activity {expected:?}; it is {found}")]
    WrongObject { expected: String, found: String },
    #[error("cmi5 9.6.2.2: the moveOn category activity belongs only on cmi5 defined statements whose result has success or completion")]
    MoveOnCategoryNotAllowed,
    #[error("cmi5 9.6.2.2: a \"{verb}\" statement needs the moveOn category activity {cat}", cat = crate::vocab::CATEGORY_MOVEON)]
    MoveOnCategoryMissing { verb: &'static str },
    #[error("cmi5 10.2.2: in {mode} mode an AU must not send \"{verb}\"; only \"initialized\" and \"terminated\"")]
    NotInNormalMode {
        verb: &'static str,
        mode: &'static str,
    },
    #[error("cmi5 9.3.2: \"initialized\" was already sent in this session")]
    InitializedTwice,
    #[error("cmi5 9.3, 9.3.3: \"completed\" may be sent at most once per registration, and it already was")]
    CompletedTwice,
    #[error(
        "cmi5 9.3, 9.3.4: \"passed\" may be sent at most once per registration, and it already was"
    )]
    PassedTwice,
    #[error("cmi5 9.3: at most one of \"passed\" and \"failed\" may be sent in a session, and \"{earlier}\" already was")]
    PassedOrFailedTwice { earlier: &'static str },
    #[error("cmi5 9.3: \"failed\" must not follow \"passed\" in a registration")]
    FailedAfterPassed,
    #[error("cmi5 9.5.1: only \"passed\" and \"failed\" may carry a score, not \"{verb}\"")]
    ScoreNotAllowed { verb: &'static str },
    #[error("cmi5 9.5.1: a raw score needs min and max")]
    RawScoreWithoutRange,
    #[error("cmi5 9.5.2: \"{verb}\" needs result.success {expected}")]
    SuccessRequired { verb: &'static str, expected: bool },
    #[error("cmi5 9.5.2: \"{verb}\" must not include result.success")]
    SuccessNotAllowed { verb: &'static str },
    #[error("cmi5 9.5.3: \"{verb}\" needs result.completion true")]
    CompletionRequired { verb: &'static str },
    #[error("cmi5 9.5.3: \"{verb}\" must not include result.completion")]
    CompletionNotAllowed { verb: &'static str },
    #[error("cmi5 9.5.4.1: \"{verb}\" needs result.duration")]
    MissingDuration { verb: &'static str },
    #[error("cmi5 9.3.4: a \"passed\" score (scaled {scaled}) must be at least the masteryScore {mastery}")]
    PassedBelowMastery { scaled: f64, mastery: f64 },
    #[error(
        "cmi5 9.3.5: a \"failed\" score (scaled {scaled}) must be below the masteryScore {mastery}"
    )]
    FailedAtOrAboveMastery { scaled: f64, mastery: f64 },
    #[error("cmi5 9.6.3.2: {0}")]
    MasteryScore(String),
}

impl Cmi5Violation {
    /// The section of the cmi5 specification the statement breaks (the first one named in the
    /// message), for machine-readable error bodies.
    pub fn section(&self) -> &'static str {
        use Cmi5Violation::*;
        match self {
            NotAnObject => "9",
            AfterTerminated => "9.3.8",
            AfterAbandoned => "9.3.6",
            Voiding => "6.3",
            MissingId => "9.1",
            MissingTimestamp | TimestampNotUtc(_) => "9.7",
            LearnerPreferencesNotRead => "11.0",
            NotInitialized { .. } => "7.1.1",
            LmsVerb { .. }
            | PassedOrFailedTwice { .. }
            | FailedAfterPassed
            | CompletedTwice
            | PassedTwice => "9.3",
            CategoryOnOtherVerb { .. } => "7.1.3",
            MissingContext => "9.6",
            WrongRegistration { .. } => "9.6.1",
            WrongSessionId { .. } => "9.6.3.1",
            MissingPublisherId { .. } => "9.6.2",
            Actor(_) => "9.2",
            WrongObject { .. } => "9.4",
            MoveOnCategoryNotAllowed | MoveOnCategoryMissing { .. } => "9.6.2.2",
            NotInNormalMode { .. } => "10.2.2",
            InitializedTwice => "9.3.2",
            ScoreNotAllowed { .. } | RawScoreWithoutRange => "9.5.1",
            SuccessRequired { .. } | SuccessNotAllowed { .. } => "9.5.2",
            CompletionRequired { .. } | CompletionNotAllowed { .. } => "9.5.3",
            MissingDuration { .. } => "9.5.4.1",
            PassedBelowMastery { .. } => "9.3.4",
            FailedAtOrAboveMastery { .. } => "9.3.5",
            MasteryScore(_) => "9.6.3.2",
        }
    }
}

/// Why a learner preferences document is refused (cmi5 11.0–11.2); the LRS answers `403`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PreferencesError {
    #[error("cmi5 11.0: the cmi5LearnerPreferences document must be a JSON object")]
    NotAnObject,
    #[error("cmi5 11.0: the cmi5LearnerPreferences document needs {0:?}")]
    Missing(&'static str),
    #[error("cmi5 11.1: languagePreference must be a comma-separated list of RFC 5646 language tags; {0:?} is not")]
    Language(String),
    #[error("cmi5 11.2: audioPreference must be \"on\" or \"off\"; it is {0}")]
    Audio(String),
    #[error("cmi5 11.0: the agent of the learner preferences must be the actor of the launch")]
    WrongAgent,
}
