//! Mycel's use cases, shared by the HTTP API, the web pages and the command line.
//!
//! Each operation takes who is acting ([`Acting`]), checks permission with
//! [`mycel_organisation::Principal::permits`], validates its input, writes the audit log where it
//! reads another person's data, and calls the store through a tenant scope. Errors are
//! [`AppError`]s; the HTTP layer maps them to status codes, the command line prints them.

pub mod assignments;
pub mod catalogue;
pub mod classroom;
pub mod cmi5;
pub mod competencies;
pub mod error;
pub mod help_at_work;
pub mod journal;
pub mod learning_paths;
pub mod lrs;
pub mod organisation;
pub mod packages;
pub mod password;
pub mod programs;
pub mod recommendations;
pub mod scorm;
pub mod statement_evidence;
pub mod statement_feed;
pub mod strategic_goals;
pub mod tokens;

pub use error::{AppError, AppResult};

use mycel_organisation::{Action, Principal};
use mycel_store::{Actor, Store, TenantScope};
use std::sync::Arc;

/// Who is acting: an authenticated principal, or the operator of the installation at the command
/// line (who may do everything, as they own the database anyway).
#[derive(Debug, Clone, Copy)]
pub enum Acting<'a> {
    Principal(&'a Principal),
    Operator,
}

impl Acting<'_> {
    pub fn permits(&self, action: Action<'_>) -> bool {
        match self {
            Acting::Principal(p) => p.permits(action),
            Acting::Operator => true,
        }
    }

    pub fn require(&self, action: Action<'_>) -> AppResult<()> {
        if self.permits(action) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The audit log's actor, if this is a principal (operator access at the command line is not a
    /// read of personal data through Mycel).
    pub fn audit_actor(&self) -> Option<Actor> {
        match self {
            Acting::Principal(Principal::Person { person_id, .. }) => {
                Some(Actor::Person(*person_id))
            }
            Acting::Principal(Principal::Credential { credential_id, .. }) => {
                Some(Actor::Credential(*credential_id))
            }
            Acting::Operator => None,
        }
    }

    /// The scope of a tenant this actor may enter, or not found (whether the tenant exists is none
    /// of the caller's business then).
    pub fn scope_for(&self, tenant: mycel_organisation::TenantId) -> AppResult<TenantScope> {
        match self {
            Acting::Principal(p) => {
                TenantScope::for_principal(p, tenant).ok_or(AppError::NotFound("tenant"))
            }
            Acting::Operator => Ok(TenantScope::system(tenant)),
        }
    }
}

/// The store, shared.
pub type SharedStore = Arc<dyn Store>;
