//! Classroom training's JSON shapes: rooms, sessions with their places, enrolments, attendance.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomInput {
    pub name: String,
    /// Site and address.
    #[serde(default)]
    pub location: String,
    /// How many people it holds.
    pub capacity: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Room {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: RoomInput,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Where, without a room of the company (or in addition to an online link).
    #[serde(default)]
    pub location: String,
    pub room_id: Option<Uuid>,
    pub trainer_id: Option<Uuid>,
    pub online_link: Option<String>,
    /// Places (at most the room's capacity).
    pub capacity: u32,
    /// Each enrolment waits for a manager's or L&D's approval.
    #[serde(default)]
    pub requires_approval: bool,
    /// Until when participants may cancel themselves (default: the start).
    pub cancellation_deadline: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Session {
    pub id: Uuid,
    pub opportunity_id: Uuid,
    #[serde(flatten)]
    pub input: SessionInput,
    pub cancelled: bool,
    /// Places taken (confirmed, attended, no-show).
    pub taken: u32,
    pub waiting: u32,
    /// Enrolments awaiting approval.
    pub requested: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// Whom to enrol; default: the caller. Enrolling someone else needs their manager or L&D.
    pub person_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Enrolment {
    pub id: Uuid,
    pub session_id: Uuid,
    pub person_id: Uuid,
    /// `requested`, `confirmed`, `waitlisted`, `cancelled`, `attended` or `no-show`.
    pub status: String,
    pub enrolled_by: Option<Uuid>,
    pub enrolled_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentDecision {
    pub approve: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CancelledEnrolment {
    pub enrolment: Enrolment,
    /// Who moved up from the waitlist into the freed place.
    pub promoted: Vec<Enrolment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceEntry {
    pub person_id: Uuid,
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttendanceList {
    pub attendance: Vec<AttendanceEntry>,
}

/// Whom to assign an opportunity to (any combination), and by when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    #[serde(default)]
    pub person_ids: Vec<Uuid>,
    /// Everyone holding these roles now (L&D only).
    #[serde(default)]
    pub role_ids: Vec<Uuid>,
    /// Everyone in these org units and the units below them (L&D only).
    #[serde(default)]
    pub org_unit_ids: Vec<Uuid>,
    pub due: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssignResult {
    /// People with a new assignment (those who had it already keep theirs).
    pub assigned: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssignedLearning {
    pub opportunity_id: Uuid,
    pub title: crate::LocalizedText,
    pub due: Option<chrono::NaiveDate>,
    pub assigned_at: DateTime<Utc>,
    /// `open`, `overdue`, `completed` or `recertification-due`.
    pub status: String,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Certification {
    pub opportunity_id: Uuid,
    pub title: crate::LocalizedText,
    pub completed_at: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// `valid`, `expiring` (within 60 days) or `expired`.
    pub status: String,
}

/// A person's assigned learning and certifications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LearningRecord {
    pub assignments: Vec<AssignedLearning>,
    pub certifications: Vec<Certification>,
}
