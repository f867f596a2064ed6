//! The LMS side of cmi5 (the specification: `shared/data/specs/cmi5_spec.md`) as plain Rust: no
//! HTTP, no database, no clock — `now` is always a parameter — so every rule can be tested against
//! the specification. The course structure comes from `mycel-package` ([`mycel_package::Cmi5Course`]).
//!
//! # Pieces
//! - [`CourseActivities`]: the LMS's own activity ids for AUs, blocks and the course (8.1.5, 9.4),
//!   derived from the publisher ids, stable across launches and registrations.
//! - [`LearnerAgent`], [`launch_url`], [`resolve_au_url`], [`AuLaunch`] (with
//!   [`AuLaunch::launch_data`], the `LMS.LaunchData` document of section 10): launching (8.1).
//! - [`statements`]: the LMS's statements — launched, abandoned, waived, satisfied.
//! - [`AuSession`]: one launch of one AU; [`AuSession::accept`] enforces the rules of 7.1, 9 and
//!   10.2.2 on each statement the AU sends and names the broken rule in a [`Cmi5Violation`];
//!   the one-time fetch URL (8.2); abandonment (9.3.6).
//! - [`Registration`]: each AU's progress in a registration, moveOn evaluation of AUs, blocks and
//!   the course, waivers, and the "satisfied" statements, once each (9.3.9).
//! - [`LearnerPreferences`]: the `cmi5LearnerPreferences` agent profile document (11).
//!
//! # Flow
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use chrono::{TimeZone, Utc};
//! use mycel_cmi5::*;
//! use serde_json::json;
//!
//! let xml = br#"<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
//!   <course id="https://pub.example.com/c"><title><langstring lang="en">C</langstring></title><description/></course>
//!   <au id="https://pub.example.com/au" moveOn="Completed"><title><langstring lang="en">A</langstring></title>
//!     <description/><url>https://cdn.example.com/a/index.html</url></au></courseStructure>"#;
//! let course = mycel_package::parse_cmi5(xml)?;
//! let activities = CourseActivities::new(&course, "https://lms.example.com/cmi5/t1/course-9")?;
//! let t0 = Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).single().ok_or("time")?;
//!
//! // Enrolment: a registration; NotApplicable AUs could already satisfy something (9.6.1).
//! let learner = LearnerAgent::new("https://lms.example.com", "person-7")?;
//! let mut registration = Registration::new(uuid::Uuid::new_v4(), learner);
//! assert!(registration.evaluate(&activities, "enrol-session", t0).is_empty());
//!
//! // Launch: URL, LMS.LaunchData, "launched" and the session.
//! let au = &course.aus()[0];
//! let launch = AuLaunch::new(au, activities.au_activity_id(&au.id), "s-1", LaunchMode::Normal);
//! let prepared = AuSession::launch(&registration, &launch, &au.url,
//!     "https://lms.example.com/xapi/", "https://lms.example.com/cmi5/fetch/s-1", t0)?;
//! let mut session = prepared.session;
//! session.issue_auth_token()?;                 // POST to the fetch URL
//! session.note_learner_preferences_read();     // GET agents/profile cmi5LearnerPreferences
//!
//! // The AU's statements: each checked, then recorded in the registration.
//! let mut context = launch.context_template();
//! context["registration"] = json!(registration.id().to_string());
//! context["contextActivities"]["category"] = json!([{ "id": vocab::CATEGORY_CMI5 }]);
//! let initialized = json!({ "id": "4c7d1a1e-8c8f-4b53-9a4e-0d5b0f2e6a10",
//!     "actor": registration.actor().to_json(),
//!     "verb": { "id": vocab::VERB_INITIALIZED }, "object": { "id": launch.activity_id },
//!     "context": context, "timestamp": "2025-01-01T09:00:05Z" });
//! let accepted = session.accept(&initialized, t0)?;
//! let satisfied = registration.record_accepted(&activities, &session, &accepted, t0)?;
//! assert!(satisfied.is_empty());
//! # Ok(()) }
//! ```
//! See README.md for which call belongs where in the HTTP and LRS layer.
//!
//! # Left to the caller
//! Statements are expected to be valid xAPI already (`mycel-xapi` checks that first); the order of
//! statements is the order they arrive (the spec orders by `timestamp`; a statement is not refused
//! for a timestamp earlier than its predecessor's); which sessions are open in a registration, the
//! auth token itself, and how long after "terminated" the LMS still answers are the store's and the
//! HTTP layer's business.

pub mod error;
pub mod launch;
pub mod preferences;
pub mod registration;
pub mod session;
pub mod statements;
pub mod vocab;

pub use error::{Cmi5Violation, FetchError, LaunchError, PreferencesError, RegistrationError};
pub use launch::{
    au_may_write_state, launch_url, resolve_au_url, AuLaunch, CourseActivities, LaunchMode,
    LaunchParams, LearnerAgent,
};
pub use preferences::{AudioPreference, LearnerPreferences};
pub use registration::{AuOutcome, AuProgress, Registration};
pub use session::{
    Accepted, AuSession, BatchViolation, Cmi5Verb, PreparedLaunch, SessionState, StatementKind,
};
pub use statements::WaiveReason;
