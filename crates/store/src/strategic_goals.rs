//! What the company's learning strategy keeps: the strategic goals of org units (a competency at a
//! target level, with a reason and perhaps a date; see `mycel_competency::strategic`), and what the
//! company's learning paths are planned for (least time or least cost).

use crate::{StoreResult, TenantScope};
use async_trait::async_trait;
use mycel_competency::StrategicGoal;
use mycel_organisation::{OrgUnitId, StrategicGoalId};

/// What the planner minimises for the company's people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum PathObjective {
    /// The least total learning time (the default).
    #[default]
    LeastTime,
    /// The least total cost; learning time breaks ties.
    LeastCost,
}

impl PathObjective {
    pub const ALL: [PathObjective; 2] = [Self::LeastTime, Self::LeastCost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeastTime => "time",
            Self::LeastCost => "cost",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == text)
    }
}

/// A strategic goal that applies to the people of a unit: set on the unit itself or on one of
/// its ancestors, with the name of the unit that set it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedStrategicGoal {
    pub goal: StrategicGoal,
    pub org_unit_name: String,
}

#[async_trait]
pub trait StrategicGoalStore: Send + Sync {
    /// Stores a new goal. `Conflict` if the unit has a goal for that competency already;
    /// `InvalidReference` if the unit is not one of the tenant's or the competency is not visible
    /// to the tenant.
    async fn create_strategic_goal(
        &self,
        scope: TenantScope,
        goal: &StrategicGoal,
    ) -> StoreResult<()>;
    async fn strategic_goal(
        &self,
        scope: TenantScope,
        id: StrategicGoalId,
    ) -> StoreResult<StrategicGoal>;
    /// Writes a goal's target, reason, due date and change time (its unit and competency stay).
    async fn update_strategic_goal(
        &self,
        scope: TenantScope,
        goal: &StrategicGoal,
    ) -> StoreResult<()>;
    async fn delete_strategic_goal(
        &self,
        scope: TenantScope,
        id: StrategicGoalId,
    ) -> StoreResult<()>;
    /// The goals set on one unit (not its ancestors'), oldest first.
    async fn org_unit_strategic_goals(
        &self,
        scope: TenantScope,
        unit: OrgUnitId,
    ) -> StoreResult<Vec<StrategicGoal>>;
    /// Every goal of the tenant, by unit and age (an overview for L&D).
    async fn tenant_strategic_goals(&self, scope: TenantScope) -> StoreResult<Vec<StrategicGoal>>;
    /// The goals that apply to the people of this unit — its own and every ancestor's, the root's
    /// first — read in one query. Empty for an unknown unit.
    async fn strategic_goals_applying_to(
        &self,
        scope: TenantScope,
        unit: OrgUnitId,
    ) -> StoreResult<Vec<AppliedStrategicGoal>>;

    /// What the tenant's paths are planned for ([`PathObjective::LeastTime`] until set).
    async fn path_objective(&self, scope: TenantScope) -> StoreResult<PathObjective>;
    async fn set_path_objective(
        &self,
        scope: TenantScope,
        objective: PathObjective,
    ) -> StoreResult<()>;
}
