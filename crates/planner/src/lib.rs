//! Learning paths ("Lernpfade") as plain Rust: from a person's competency gaps and the learning
//! opportunities they may take, the planner chooses the opportunities that close every closable gap
//! at the least total learning time (or cost), with their prerequisites, in the person's languages
//! and allowed modalities, with sessions that have free places, and schedules them into weeks under
//! a weekly time budget. No database, no clock (`now` is input).

pub mod model;

pub use model::*;
