//! The LMS side of SCORM 1.2 and SCORM 2004 as plain Rust: no database, no HTTP.
//!
//! The browser runs the SCORM API (scorm-again) and posts the run-time data of a SCO at each
//! commit. This crate decides what the server does with it:
//!
//! - [`runtime`]: which version a package speaks, and whether a commit's data is allowed by that
//!   version's data model (enumerations, score ranges, lengths); the facts a commit shows
//!   ([`runtime::ScoFacts`]).
//! - [`launch`]: the data a SCO starts from: learner, credit, mastery score, and on resume the
//!   saved location, suspend data, status and score with `entry` = `resume`.
//! - [`progress`]: the state of a SCO within an attempt ([`progress::ScoProgress`]) and the events a
//!   commit's change of state means (initialized, resumed, completed, passed, failed, suspended,
//!   terminated); the result of the whole package once every SCO is done.
//! - [`statements`]: those events as xAPI statements following ADL's xAPI SCORM Profile (see
//!   docs/scorm.md for the mapping table).
//!
//! Errors: [`runtime::RuntimeError`] (a commit the data model forbids; the HTTP layer answers 4xx).

pub mod launch;
pub mod progress;
pub mod runtime;
pub mod statements;

pub use progress::{package_result, Event, PackageResult, ScoProgress};
pub use runtime::{validate_commit, Commit, RuntimeError, ScoFacts, ScormVersion};
