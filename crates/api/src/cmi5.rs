//! cmi5's JSON shapes: launching an AU, waiving one, a learner's progress in a course.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Which AU, for whom, in which registration and mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cmi5LaunchInput {
    /// The AU's position in the course structure (0 based); or give `au`; neither: the first AU
    /// the registration has not satisfied.
    pub au_index: Option<usize>,
    /// The AU's id in the course structure.
    pub au: Option<String>,
    /// The learner: a person of the company …
    pub person_id: Option<Uuid>,
    /// … or an xAPI Agent identified by an `account` (homePage and name).
    #[schema(value_type = Option<Object>)]
    pub actor: Option<serde_json::Value>,
    /// Launch in this registration (created with this id when it does not exist); omitted: a new
    /// registration.
    pub registration: Option<Uuid>,
    /// `Normal` (default), `Browse` or `Review`.
    pub launch_mode: Option<String>,
    /// Where the AU sends the learner when they exit.
    pub return_url: Option<String>,
}

/// A prepared launch: open `url` in the learner's browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cmi5Launch {
    pub url: String,
    pub registration: Uuid,
    /// The session id (also the `sessionid` context extension of its statements).
    pub session: Uuid,
    /// The AU's id in the course structure.
    pub au: String,
    /// The AU's activity id in Mycel (the object of its statements).
    pub activity_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cmi5WaiverInput {
    /// The AU's position in the course structure (0 based); or give `au`.
    pub au_index: Option<usize>,
    pub au: Option<String>,
    /// `Tested Out`, `Equivalent AU`, `Equivalent Outside Activity`, `Administrative` or another
    /// reason in words.
    pub reason: String,
}

/// One AU of a registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cmi5AuProgress {
    pub au: String,
    pub title: String,
    pub completed: bool,
    pub passed: bool,
    pub failed: bool,
    pub waived: bool,
    /// Its moveOn criterion is met (or it was waived).
    pub satisfied: bool,
}

/// A person's progress in a cmi5 course (their newest registration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Cmi5Progress {
    pub registration: Uuid,
    pub satisfied: bool,
    pub aus: Vec<Cmi5AuProgress>,
}
