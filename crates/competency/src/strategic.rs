//! Strategic goals ("strategische Ziele") of org units: L&D says that everyone in a unit — and in
//! the units below it — should reach a competency at a target level, why ("Digitalisierung der
//! Filialen 2027"), and perhaps by when. Each goal becomes a [`Target`] of every person in the
//! unit's subtree, with [`TargetSource::Strategic`] as its source, so that it shows in their gaps,
//! their learning path and the aggregated gaps of their teams.
//!
//! Levels are on the default 0–4 scale, like role profiles and personal goals (every other scale
//! maps to it, see [`crate::scale`]).

use crate::gap::{Target, TargetSource};
use crate::scale::Level;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use mycel_organisation::{validate, CompetencyId, OrgUnitId, StrategicGoalId, ValidationError};
use serde::{Deserialize, Serialize};

/// The longest reason text, in characters: a short line, not a strategy paper.
pub const MAX_REASON_CHARS: usize = 200;
/// Due dates outside these years are typing mistakes (and some databases cannot hold them).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// A strategic goal of an org unit: one competency at a target level. A unit has at most one goal
/// per competency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StrategicGoal {
    pub id: StrategicGoalId,
    pub org_unit_id: OrgUnitId,
    pub competency_id: CompetencyId,
    pub target: Level,
    /// Why the unit needs it, in L&D's words (shown to the people as it is written).
    pub reason: String,
    /// By when it should be reached.
    pub due: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The changeable part of a goal as someone typed it, before it is checked.
#[derive(Clone, Debug, PartialEq)]
pub struct StrategicGoalInput<'a> {
    pub target: f64,
    pub reason: &'a str,
    pub due: Option<NaiveDate>,
}

/// The changeable part of a goal, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckedStrategicGoal {
    pub target: Level,
    pub reason: String,
    pub due: Option<NaiveDate>,
}

impl StrategicGoalInput<'_> {
    /// Checks the input: the target is a level of the 0–4 scale, the reason is 1 to
    /// [`MAX_REASON_CHARS`] characters without control characters (trimmed), the due date a real
    /// year. Each error names its field (`target_level`, `reason`, `due`).
    pub fn check(&self) -> Result<CheckedStrategicGoal, ValidationError> {
        let target = Level::new(self.target)
            .ok_or_else(|| ValidationError::new("target_level", "must be a level from 0 to 4"))?;
        let reason = validate::text("reason", self.reason, MAX_REASON_CHARS)?
            .ok_or_else(|| ValidationError::new("reason", "must not be empty"))?;
        if reason.contains(['\n', '\r']) {
            return Err(ValidationError::new("reason", "must be one line"));
        }
        if self.due.is_some_and(|d| !YEARS.contains(&d.year())) {
            return Err(ValidationError::new(
                "due",
                format!(
                    "must be a date between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            ));
        }
        Ok(CheckedStrategicGoal {
            target,
            reason,
            due: self.due,
        })
    }
}

impl StrategicGoal {
    /// The target this goal sets for each person in its unit's subtree.
    pub fn target(&self) -> Target {
        Target {
            competency_id: self.competency_id,
            level: self.target,
            source: TargetSource::Strategic {
                org_unit_id: self.org_unit_id,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gap::person_gaps;
    use crate::RequirementKind;

    fn input(target: f64, reason: &str, due: Option<NaiveDate>) -> StrategicGoalInput<'_> {
        StrategicGoalInput {
            target,
            reason,
            due,
        }
    }

    #[test]
    fn a_goal_is_checked_field_by_field() {
        let day = NaiveDate::from_ymd_opt(2027, 12, 31);
        let checked = input(3.0, "  Digitalisierung der Filialen 2027 ", day)
            .check()
            .unwrap();
        assert_eq!(checked.target, Level::new(3.0).unwrap());
        assert_eq!(checked.reason, "Digitalisierung der Filialen 2027");
        assert_eq!(checked.due, day);

        let field = |i: StrategicGoalInput<'_>| i.check().unwrap_err().field;
        assert_eq!(field(input(4.5, "x", None)), "target_level");
        assert_eq!(field(input(-1.0, "x", None)), "target_level");
        assert_eq!(field(input(f64::NAN, "x", None)), "target_level");
        assert_eq!(field(input(2.0, "   ", None)), "reason");
        assert_eq!(field(input(2.0, "zwei\nZeilen", None)), "reason");
        assert_eq!(field(input(2.0, "bell\u{7}", None)), "reason");
        let long = "x".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(field(input(2.0, &long, None)), "reason");
        assert!(input(2.0, &"ä".repeat(MAX_REASON_CHARS), None)
            .check()
            .is_ok());
        assert_eq!(
            field(input(2.0, "x", NaiveDate::from_ymd_opt(1850, 1, 1))),
            "due"
        );
        // Whole and fractional levels at both ends of the scale are fine.
        for level in [0.0, 2.5, 4.0] {
            assert!(input(level, "x", None).check().is_ok());
        }
    }

    #[test]
    fn goals_become_required_targets_that_merge_with_roles() {
        let now = Utc::now();
        let competency = CompetencyId::generate();
        let region = OrgUnitId::generate();
        let market = OrgUnitId::generate();
        let goal = |unit, level| StrategicGoal {
            id: StrategicGoalId::generate(),
            org_unit_id: unit,
            competency_id: competency,
            target: Level::new(level).unwrap(),
            reason: "Digitalisierung".into(),
            due: None,
            created_at: now,
            updated_at: now,
        };
        let desired = Target {
            competency_id: competency,
            level: Level::new(1.0).unwrap(),
            source: TargetSource::Role {
                role_id: mycel_organisation::RoleId::generate(),
                kind: RequirementKind::Desired,
                aspired: false,
            },
        };
        let targets = [
            desired,
            goal(region, 3.0).target(),
            goal(market, 2.0).target(),
        ];
        let gaps = person_gaps(&targets, |_| None);
        assert_eq!(gaps.len(), 1);
        // The highest target counts, every source is kept, and a strategic goal is a must.
        assert_eq!(gaps[0].target, Level::new(3.0).unwrap());
        assert_eq!(gaps[0].sources.len(), 3);
        assert!(gaps[0].sources.contains(&TargetSource::Strategic {
            org_unit_id: region
        }));
        assert!(gaps[0].sources.contains(&TargetSource::Strategic {
            org_unit_id: market
        }));
        assert!(gaps[0].required);
    }
}
