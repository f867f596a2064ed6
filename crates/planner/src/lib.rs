//! Learning paths ("Lernpfade") as plain Rust: from a person's competency gaps and the learning
//! opportunities they may take, the planner chooses the opportunities that close every closable gap
//! at the least total learning time (or cost), with their prerequisites, in the person's languages
//! and allowed modalities, with sessions that have free places, and schedules them into weeks under
//! a weekly time budget. No database, no clock (`now` is input).
//!
//! # The rules [`plan`] follows
//!
//! - **Gaps.** A gap with `current < target` is one to close; several gaps of one competency count
//!   as one with the highest target. The person's level of a competency is the highest of the
//!   gaps' `current` and `known_levels` (0 when neither names it).
//! - **Usable candidates.** Language in `preferences.languages` (empty: any), modality not
//!   excluded, not skipped, not completed, and when `needs_session` at least one session with a
//!   free place starting at or after `now` and not before the first week; and its requirements
//!   satisfiable. Candidates with the same id count once (the first given).
//! - **Requirements** are resolved in rounds (a least fixed point, so cycles are never looped on):
//!   a candidate gets rank r when every requirement is met by known levels, completed
//!   opportunities or candidates of lower rank. An opportunity prerequisite that is not completed
//!   is an earlier step; a competency prerequisite the person does not have is met by an earlier
//!   step of *lower rank* that teaches it high enough (so the prerequisites of a path are always
//!   acyclic). A candidate that never gets a rank is unusable.
//! - **Cycles** among opportunity prerequisites (all candidates, whatever their usability) are
//!   reported once per strongly connected group: the shortest cycle through the group's smallest
//!   id, starting there.
//! - **Choice.** Every gap some usable candidate closes is closed, with the requirements' closure,
//!   minimising total minutes ([`Objective::Time`]) or total cost with minutes breaking ties
//!   ([`Objective::Cost`]). Usable pinned candidates are always on the path and weigh nothing in
//!   the choice; pinned candidates that cannot be taken are left out. The heuristic: greedy by
//!   (weight of the step and its missing requirements) / (gaps newly closed), then drop redundant
//!   steps (heaviest first), then local improvement (take one step out and complete again, or
//!   bring one in and drop what became redundant) while the total falls. Ties go to preferred
//!   modalities, then to the smaller id: the same input gives the same plan.
//! - **Order.** Topological by requirements; among the steps that may come next, the person's
//!   `choices.order` first, then steps closing a required gap, then larger gaps, then the id. A
//!   prerequisite takes the position of the best-placed step that needs it.
//! - **Weeks** start at `preferences.first_week` (Monday 00:00 UTC). Self-paced steps fill each week
//!   up to `weekly_minutes`, in order, never before the steps they need are done (the same week is
//!   fine once they are); a step longer than the budget starts in an empty week and keeps its
//!   weeks to itself; `weekly_minutes` 0 means no budget (self-paced steps all in week 0, or in the week of a
//!   session-held prerequisite). A
//!   session-held step takes the earliest session with a free place in or after the week its
//!   prerequisites are done and lands in that session's week (its minutes count in that week, and
//!   may exceed the budget: the date is fixed). When no session is late enough, the step and the
//!   steps that need it are left out and the gaps only they closed are open
//!   ([`OpenReason::ExcludedByChoices`]). Steps are listed week by week.
//! - **Reasons**: [`StepReason::ClosesGaps`] with every gap the step closes (competency, from,
//!   to), [`StepReason::RequiredBy`] with the steps that need it, [`StepReason::Pinned`].
//! - **Open gaps**, by competency: [`OpenReason::NothingTeachesIt`] when no candidate teaches the
//!   target level, [`OpenReason::PrerequisitesUnmet`] when one would be allowed but its
//!   prerequisites cannot be met (missing, or in a cycle), otherwise
//!   [`OpenReason::ExcludedByChoices`] (language, modality, skipped, completed, no session).
//! - **Totals** are over the steps on the path, pinned ones at their full minutes and cost.
//!
//! With the `exact` feature, [`exact::optimum`] solves the choice exactly as an integer program;
//! [`instances::generate`] makes random instances to compare the two.

mod choice;
mod eligibility;
#[cfg(feature = "exact")]
pub mod exact;
pub mod instances;
pub mod model;
mod path;
mod schedule;

pub use model::*;
pub use path::{chosen_opportunities, plan};
