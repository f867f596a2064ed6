//! Strategic goals of org units and what the member company's learning paths are planned for.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A strategic goal ("strategisches Ziel") of an org unit: everyone in the unit and the units below
/// it should reach the competency at the target level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StrategicGoal {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub competency_id: Uuid,
    /// 0–4 (the default scale).
    pub target_level: f64,
    /// Why, in L&D's words; shown to the people with their gaps.
    pub reason: String,
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A new strategic goal; an org unit has one per competency.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStrategicGoal {
    /// A competency of the frameworks the member company uses.
    pub competency_id: Uuid,
    /// 0–4.
    pub target_level: f64,
    /// 1–200 characters, one line.
    pub reason: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A strategic goal's new target, reason and due date (its unit and competency stay).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStrategicGoal {
    /// 0–4.
    pub target_level: f64,
    /// 1–200 characters, one line.
    pub reason: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
}

/// A strategic goal that applies to a person: of their org unit or one above it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AppliedStrategicGoal {
    pub goal: StrategicGoal,
    /// The name of the org unit that set it.
    pub org_unit_name: String,
}

/// What the planner minimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PathObjective {
    /// The least total learning time (the default).
    Time,
    /// The least total cost; learning time breaks ties.
    Cost,
}

/// How the member company's learning paths are planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PathPlanning {
    pub objective: PathObjective,
}
