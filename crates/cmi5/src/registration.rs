//! A learner's registration in a course: each AU's progress, moveOn (13.1.4) per AU, blocks and
//! the course, and the "satisfied" statements the LMS sends when a block or the course becomes
//! satisfied (9.3.9), once each.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use mycel_package::{Cmi5Au, Cmi5Block, Cmi5Course, Cmi5Node, MoveOn};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::RegistrationError;
use crate::launch::{CourseActivities, LearnerAgent};
use crate::session::AuSession;
use crate::session::{Accepted, StatementKind};
use crate::statements::{self, SatisfiedKind, SatisfiedTarget, StatementScope, WaiveReason};

/// What an accepted "cmi5 defined" statement says about the AU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuOutcome {
    Completed,
    Passed,
    Failed,
}

/// An AU's progress in a registration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuProgress {
    pub completed: bool,
    pub passed: bool,
    pub failed: bool,
    pub waived: bool,
}

impl AuProgress {
    /// Whether the AU is satisfied under `move_on` (13.1.4); a waived AU always is (9.3.9).
    pub fn satisfies(&self, move_on: MoveOn) -> bool {
        self.waived
            || match move_on {
                MoveOn::NotApplicable => true,
                MoveOn::Completed => self.completed,
                MoveOn::Passed => self.passed,
                MoveOn::CompletedAndPassed => self.completed && self.passed,
                MoveOn::CompletedOrPassed => self.completed || self.passed,
            }
    }
}

/// A learner's registration in a cmi5 course (3.0: "an enrollment instance of a learner in a
/// course"). Plain data (`Serialize`/`Deserialize`); the course structure is passed in where
/// needed, so it is not stored with every registration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    id: Uuid,
    actor: LearnerAgent,
    aus: BTreeMap<String, AuProgress>,
    /// Publisher ids of the blocks already announced as satisfied.
    satisfied_blocks: BTreeSet<String>,
    course_satisfied: bool,
}

impl Registration {
    /// A new registration. Call [`Registration::evaluate`] right away: AUs with moveOn
    /// `NotApplicable` may already satisfy blocks or the course (9.6.1).
    pub fn new(id: Uuid, actor: LearnerAgent) -> Self {
        Self {
            id,
            actor,
            aus: BTreeMap::new(),
            satisfied_blocks: BTreeSet::new(),
            course_satisfied: false,
        }
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    pub fn actor(&self) -> &LearnerAgent {
        &self.actor
    }

    /// The progress of the AU with this publisher id (all `false` when nothing happened yet).
    pub fn progress(&self, au_id: &str) -> AuProgress {
        self.aus.get(au_id).copied().unwrap_or_default()
    }

    /// Whether an AU is satisfied.
    pub fn au_satisfied(&self, au: &Cmi5Au) -> bool {
        self.progress(&au.id).satisfies(au.move_on)
    }

    /// Whether every AU and block in a block is satisfied (13.1.4, "Usage").
    pub fn block_satisfied(&self, block: &Cmi5Block) -> bool {
        self.all_satisfied(&block.children)
    }

    /// Whether every AU and block of the course is satisfied.
    pub fn course_satisfied(&self, course: &Cmi5Course) -> bool {
        self.all_satisfied(&course.children)
    }

    fn all_satisfied(&self, nodes: &[Cmi5Node]) -> bool {
        nodes.iter().all(|node| match node {
            Cmi5Node::Au(au) => self.au_satisfied(au),
            Cmi5Node::Block(block) => self.block_satisfied(block),
        })
    }

    /// Evaluates moveOn and returns a "satisfied" statement for each block (innermost first) and
    /// then the course that is satisfied now and was not announced before (9.3.9: once per block
    /// or course and registration). `session_id` is the session that caused it, or a new one when
    /// no AU session did (at registration, after a waiver).
    pub fn evaluate(
        &mut self,
        course: &CourseActivities<'_>,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Vec<Value> {
        let mut out = Vec::new();
        let scope = StatementScope {
            actor: &self.actor,
            registration: self.id,
            session_id,
        };
        let mut newly = Vec::new();
        self.newly_satisfied_blocks(&course.course().children, &mut newly);
        for block in newly {
            let activity_id = course.block_activity_id(&block.id);
            out.push(statements::satisfied(
                &scope,
                &SatisfiedTarget {
                    kind: SatisfiedKind::Block,
                    activity_id: &activity_id,
                    publisher_id: &block.id,
                    title: &block.title,
                },
                now,
            ));
            self.satisfied_blocks.insert(block.id.clone());
        }
        let whole = course.course();
        if !self.course_satisfied && self.course_satisfied(whole) {
            let activity_id = course.course_activity_id();
            out.push(statements::satisfied(
                &StatementScope {
                    actor: &self.actor,
                    registration: self.id,
                    session_id,
                },
                &SatisfiedTarget {
                    kind: SatisfiedKind::Course,
                    activity_id: &activity_id,
                    publisher_id: &whole.id,
                    title: &whole.title,
                },
                now,
            ));
            self.course_satisfied = true;
        }
        out
    }

    /// Blocks in post-order (children before their parent) that are satisfied and not announced.
    fn newly_satisfied_blocks<'c>(&self, nodes: &'c [Cmi5Node], out: &mut Vec<&'c Cmi5Block>) {
        for node in nodes {
            if let Cmi5Node::Block(block) = node {
                self.newly_satisfied_blocks(&block.children, out);
                if !self.satisfied_blocks.contains(&block.id) && self.block_satisfied(block) {
                    out.push(block);
                }
            }
        }
    }

    /// Records what an accepted statement of an AU session says ("completed", "passed",
    /// "failed") and returns the "satisfied" statements it causes, with the session's id (9.3.9).
    pub fn record(
        &mut self,
        course: &CourseActivities<'_>,
        au_id: &str,
        outcome: AuOutcome,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Value>, RegistrationError> {
        if course.au(au_id).is_none() {
            return Err(RegistrationError::UnknownAu(au_id.to_owned()));
        }
        let progress = self.aus.entry(au_id.to_owned()).or_default();
        match outcome {
            AuOutcome::Completed => progress.completed = true,
            AuOutcome::Passed => progress.passed = true,
            AuOutcome::Failed => progress.failed = true,
        }
        Ok(self.evaluate(course, session_id, now))
    }

    /// [`Registration::record`] for what [`AuSession::accept`] returned; nothing for statements
    /// without an outcome.
    pub fn record_accepted(
        &mut self,
        course: &CourseActivities<'_>,
        session: &AuSession,
        accepted: &Accepted,
        now: DateTime<Utc>,
    ) -> Result<Vec<Value>, RegistrationError> {
        match (accepted.kind, accepted.outcome) {
            (StatementKind::Defined(_), Some(outcome)) => self.record(
                course,
                session.publisher_id(),
                outcome,
                session.session_id(),
                now,
            ),
            _ => Ok(Vec::new()),
        }
    }

    /// Waives an AU (9.3.7): returns the "waived" statement followed by the "satisfied"
    /// statements it causes, all with `session_id`, which must be new (the waiver is not an AU
    /// session). An AU is waived at most once per registration.
    pub fn waive(
        &mut self,
        course: &CourseActivities<'_>,
        au_id: &str,
        reason: &WaiveReason,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Value>, RegistrationError> {
        if course.au(au_id).is_none() {
            return Err(RegistrationError::UnknownAu(au_id.to_owned()));
        }
        let progress = self.aus.entry(au_id.to_owned()).or_default();
        if progress.waived {
            return Err(RegistrationError::AlreadyWaived(au_id.to_owned()));
        }
        progress.waived = true;
        let activity_id = course.au_activity_id(au_id);
        let waived = statements::waived(
            &StatementScope {
                actor: &self.actor,
                registration: self.id,
                session_id,
            },
            au_id,
            &activity_id,
            reason,
            now,
        );
        let mut out = vec![waived];
        out.extend(self.evaluate(course, session_id, now));
        Ok(out)
    }
}
