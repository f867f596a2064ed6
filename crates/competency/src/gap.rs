//! Gap analysis: targets against estimates, for one person and aggregated for a group.
//!
//! A gap is target level minus estimated level, never negative. Targets come from the person's
//! roles (the Soll-Profil of the role they hold, or of one they aspire to), their own learning
//! goals, and the strategic goals of their org unit. For one person, [`person_gaps`] gives one
//! [`Gap`] per competency, met ones included. For a team or org unit, [`GroupGapAggregator`]
//! adds up people's gaps into the needs analysis ("Bedarfsanalyse") — and withholds it where the
//! group is too small to keep anyone's profile private (see [`GroupGapAggregator::finish`]).

use crate::framework::RequirementKind;
use crate::scale::Level;
use mycel_organisation::{CompetencyId, LearningGoalId, OrgUnitId, RoleId};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A gap smaller than this (a millionth of a level) counts as met: estimates and mapped targets
/// are computed, and a target should not stay open because of rounding.
pub const GAP_TOLERANCE: f64 = 1e-6;

/// The minimum group size for aggregates unless a tenant configures another (DESIGN: privacy).
pub const DEFAULT_MIN_GROUP_SIZE: u32 = 5;

/// Where a target level comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TargetSource {
    /// A role profile ("Soll-Profil"): of a role the person holds, or (`aspired`) one they are
    /// working towards.
    Role {
        role_id: RoleId,
        kind: RequirementKind,
        aspired: bool,
    },
    /// The person's own learning goal ("Lernziel").
    Goal { goal_id: LearningGoalId },
    /// A strategic goal ("strategisches Ziel") of the person's org unit.
    Strategic { org_unit_id: OrgUnitId },
}

impl TargetSource {
    /// Whether this source makes the target a must: a role's required competency (also of an
    /// aspired role: it is required for that role), a goal the person set, or a strategic goal.
    /// Only a role's desired competency is optional.
    pub fn is_required(&self) -> bool {
        match self {
            Self::Role { kind, .. } => *kind == RequirementKind::Required,
            Self::Goal { .. } | Self::Strategic { .. } => true,
        }
    }
}

/// A level a person should reach in a competency, and why.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub competency_id: CompetencyId,
    pub level: Level,
    pub source: TargetSource,
}

/// One person's gap in one competency, met or not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    pub competency_id: CompetencyId,
    /// The highest of the targets set for this competency.
    pub target: Level,
    /// The estimated level; `None` if there is no evidence (counted as 0).
    pub estimate: Option<Level>,
    /// The estimate's confidence, 0 without an estimate.
    pub confidence: f64,
    /// target − estimate, at least 0; 0 also when the difference is below [`GAP_TOLERANCE`].
    pub size: f64,
    /// Every source that sets a target for this competency, sorted, without duplicates.
    pub sources: Vec<TargetSource>,
    /// Whether any source makes it a must ([`TargetSource::is_required`]).
    pub required: bool,
}

impl Gap {
    /// The target is reached.
    pub fn met(&self) -> bool {
        self.size <= 0.0
    }
}

/// One person's gaps: one per competency that has a target, met ones included so that pages can
/// show both.
///
/// Several targets for one competency merge: the highest level counts, all sources are kept.
/// `estimate_of` gives the estimated level and confidence of a competency (it is asked once per
/// competency). Order: required gaps first, then larger gaps first, then by competency id, so
/// the same input always gives the same list.
pub fn person_gaps(
    targets: &[Target],
    mut estimate_of: impl FnMut(CompetencyId) -> Option<(Level, f64)>,
) -> Vec<Gap> {
    let mut sorted: Vec<&Target> = targets.iter().collect();
    sorted.sort_unstable_by(|a, b| {
        a.competency_id
            .cmp(&b.competency_id)
            .then_with(|| a.source.cmp(&b.source))
    });
    let mut gaps: Vec<Gap> = Vec::new();
    for target in sorted {
        match gaps.last_mut() {
            Some(gap) if gap.competency_id == target.competency_id => {
                if target.level.value() > gap.target.value() {
                    gap.target = target.level;
                }
                if gap.sources.last() != Some(&target.source) {
                    gap.sources.push(target.source);
                }
                gap.required |= target.source.is_required();
            }
            _ => gaps.push(Gap {
                competency_id: target.competency_id,
                target: target.level,
                estimate: None,
                confidence: 0.0,
                size: 0.0,
                sources: vec![target.source],
                required: target.source.is_required(),
            }),
        }
    }
    for gap in &mut gaps {
        if let Some((level, confidence)) = estimate_of(gap.competency_id) {
            gap.estimate = Some(level);
            gap.confidence = if confidence.is_nan() {
                0.0
            } else {
                confidence.clamp(0.0, 1.0)
            };
        }
        let estimate = gap.estimate.map_or(0.0, Level::value);
        let size = gap.target.value() - estimate;
        gap.size = if size < GAP_TOLERANCE { 0.0 } else { size };
    }
    gaps.sort_by(|a, b| {
        b.required
            .cmp(&a.required)
            .then_with(|| b.size.total_cmp(&a.size))
            .then_with(|| a.competency_id.cmp(&b.competency_id))
    });
    gaps
}

/// Levels are summed as whole millionths, so that sums are exact: the aggregate does not depend
/// on the order people are added in (or on how aggregators are merged), and a person's second
/// target for a competency can be taken back out exactly.
const MICROS_PER_LEVEL: f64 = 1_000_000.0;
const MICROS_HALF_LEVEL: u32 = 500_000;
const MICROS_PER_WHOLE_LEVEL: u32 = 1_000_000;

fn micros(level: Level) -> u32 {
    // A level is within 0..=4, so this is within 0..=4,000,000.
    (level.value() * MICROS_PER_LEVEL).round() as u32
}

/// One person's contribution to one competency's row.
#[derive(Clone, Copy, Debug, Default)]
struct Entry {
    target: u32,
    estimate: Option<u32>,
    shared: bool,
}

impl Entry {
    fn gap(self) -> u32 {
        self.target.saturating_sub(self.estimate.unwrap_or(0))
    }
}

/// The running sums of one competency.
#[derive(Clone, Debug, Default)]
struct Accumulator {
    people_with_target: u32,
    people_below_target: u32,
    people_not_shared: u32,
    people_estimated: u32,
    /// Of those with an estimate, members who do not share their profile.
    people_estimated_not_shared: u32,
    target_sum: u64,
    gap_sum: u64,
    estimate_sum: u64,
    histogram: [u32; 5],
    /// The member who added to this row last (see [`GroupGapAggregator::member`]) and what they
    /// added, so that a second target of theirs merges instead of counting them twice.
    last_member: u64,
    last_entry: Entry,
}

impl Accumulator {
    fn apply(&mut self, entry: Entry, remove: bool) {
        fn step32(value: &mut u32, by: u32, remove: bool) {
            *value = if remove {
                value.saturating_sub(by)
            } else {
                value.saturating_add(by)
            };
        }
        fn step64(value: &mut u64, by: u64, remove: bool) {
            *value = if remove {
                value.saturating_sub(by)
            } else {
                value.saturating_add(by)
            };
        }
        let gap = entry.gap();
        step32(&mut self.people_with_target, 1, remove);
        step32(&mut self.people_below_target, u32::from(gap > 0), remove);
        step32(
            &mut self.people_not_shared,
            u32::from(!entry.shared),
            remove,
        );
        step64(&mut self.target_sum, u64::from(entry.target), remove);
        step64(&mut self.gap_sum, u64::from(gap), remove);
        if let Some(estimate) = entry.estimate {
            step32(&mut self.people_estimated, 1, remove);
            step32(
                &mut self.people_estimated_not_shared,
                u32::from(!entry.shared),
                remove,
            );
            step64(&mut self.estimate_sum, u64::from(estimate), remove);
            let bucket =
                (estimate.saturating_add(MICROS_HALF_LEVEL) / MICROS_PER_WHOLE_LEVEL).min(4);
            if let Some(count) = self.histogram.get_mut(bucket as usize) {
                step32(count, 1, remove);
            }
        }
    }

    fn merge(&mut self, other: &Accumulator) {
        self.people_with_target = self
            .people_with_target
            .saturating_add(other.people_with_target);
        self.people_below_target = self
            .people_below_target
            .saturating_add(other.people_below_target);
        self.people_not_shared = self
            .people_not_shared
            .saturating_add(other.people_not_shared);
        self.people_estimated = self.people_estimated.saturating_add(other.people_estimated);
        self.people_estimated_not_shared = self
            .people_estimated_not_shared
            .saturating_add(other.people_estimated_not_shared);
        self.target_sum = self.target_sum.saturating_add(other.target_sum);
        self.gap_sum = self.gap_sum.saturating_add(other.gap_sum);
        self.estimate_sum = self.estimate_sum.saturating_add(other.estimate_sum);
        for (count, more) in self.histogram.iter_mut().zip(other.histogram) {
            *count = count.saturating_add(more);
        }
    }

    fn summary(&self, competency_id: CompetencyId) -> CompetencyGapSummary {
        let mean = |sum: u64, count: u32| {
            if count == 0 {
                0.0
            } else {
                sum as f64 / f64::from(count) / MICROS_PER_LEVEL
            }
        };
        CompetencyGapSummary {
            competency_id,
            people_with_target: self.people_with_target,
            people_below_target: self.people_below_target,
            people_without_estimate: self
                .people_with_target
                .saturating_sub(self.people_estimated),
            mean_target: mean(self.target_sum, self.people_with_target),
            mean_gap: mean(self.gap_sum, self.people_with_target),
            mean_estimate: (self.people_estimated > 0)
                .then(|| mean(self.estimate_sum, self.people_estimated)),
            estimate_histogram: self.histogram,
        }
    }
}

/// Adds up the gaps of a group's members (a team, an org unit, a member company) into a needs
/// analysis, in one pass and without allocating per entry: built to take 400,000 people with 50
/// targets each.
///
/// Feed every member of the group, including those without any target (they count towards the
/// group's size): either [`add_person`](Self::add_person) with their [`Gap`]s, or, without
/// building gaps, [`member`](Self::member) and [`GroupMember::add`] per competency. Then
/// [`finish`](Self::finish) applies the minimum group size.
#[derive(Clone, Debug, Default)]
pub struct GroupGapAggregator {
    people: u32,
    people_not_shared: u32,
    /// Numbers members, so that a competency's row can tell a member's second target from the next
    /// member's first.
    members_seen: u64,
    competencies: HashMap<CompetencyId, Accumulator>,
}

/// One member being added to a [`GroupGapAggregator`].
#[derive(Debug)]
pub struct GroupMember<'a> {
    aggregator: &'a mut GroupGapAggregator,
    member: u64,
    shared_profile: bool,
}

impl GroupMember<'_> {
    /// This member's target and estimate in one competency. A second call for the same competency
    /// merges with the first like [`person_gaps`] does: the higher target counts, and the later
    /// estimate if it has one.
    pub fn add(&mut self, competency_id: CompetencyId, target: Level, estimate: Option<Level>) {
        let mut entry = Entry {
            target: micros(target),
            estimate: estimate.map(micros),
            shared: self.shared_profile,
        };
        let row = self
            .aggregator
            .competencies
            .entry(competency_id)
            .or_default();
        if row.last_member == self.member {
            let earlier = row.last_entry;
            row.apply(earlier, true);
            entry.target = entry.target.max(earlier.target);
            entry.estimate = entry.estimate.or(earlier.estimate);
        }
        row.apply(entry, false);
        row.last_member = self.member;
        row.last_entry = entry;
    }
}

impl GroupGapAggregator {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts adding a member of the group; `shared_profile` says whether they share their
    /// competency profile with their manager and L&D (which lifts the minimum group size for them).
    pub fn member(&mut self, shared_profile: bool) -> GroupMember<'_> {
        self.people = self.people.saturating_add(1);
        self.people_not_shared = self
            .people_not_shared
            .saturating_add(u32::from(!shared_profile));
        self.members_seen = self.members_seen.saturating_add(1);
        GroupMember {
            member: self.members_seen,
            aggregator: self,
            shared_profile,
        }
    }

    /// Adds a member with their gaps (as [`person_gaps`] returns them).
    pub fn add_person(&mut self, shared_profile: bool, gaps: &[Gap]) {
        let mut member = self.member(shared_profile);
        for gap in gaps {
            member.add(gap.competency_id, gap.target, gap.estimate);
        }
    }

    /// How many members have been added.
    pub fn people(&self) -> u32 {
        self.people
    }

    /// Adds another aggregator's members, e.g. of a sub-unit or of a parallel worker. The two must
    /// not share members.
    pub fn merge(&mut self, other: GroupGapAggregator) {
        self.people = self.people.saturating_add(other.people);
        self.people_not_shared = self
            .people_not_shared
            .saturating_add(other.people_not_shared);
        for (competency_id, row) in other.competencies {
            self.competencies
                .entry(competency_id)
                .or_default()
                .merge(&row);
        }
    }

    /// The group's needs analysis, as far as privacy allows.
    ///
    /// The rule (DESIGN: managers and L&D see aggregates only, never below a minimum group size,
    /// unless the person shares their profile):
    /// - The whole report is [`GroupGaps::Suppressed`] if the group has fewer than
    ///   `min_group_size` members, unless every one of them shared their profile.
    /// - Otherwise, a competency's row is withheld (only counted in `withheld_competencies`) if
    ///   fewer than `min_group_size` members have a target in it, unless all of those shared.
    ///   Without this, a row of a competency only one member needs would show that member's level.
    ///   The same holds for members with an estimate: a row where 1 to `min_group_size − 1`
    ///   members have one is withheld unless all of those shared, since its mean, histogram and
    ///   below-target count would reveal their levels. (A row where nobody has an estimate yet is
    ///   shown: it reveals no level.)
    ///
    /// A group of exactly `min_group_size` is shown. Rows are ordered by the number of people below
    /// target, then by mean gap (both descending), then by competency id.
    pub fn finish(self, min_group_size: u32) -> GroupGaps {
        if self.people < min_group_size && self.people_not_shared > 0 {
            return GroupGaps::Suppressed {
                people: self.people,
                min_group_size,
            };
        }
        let mut withheld_competencies = 0u32;
        let mut competencies = Vec::with_capacity(self.competencies.len());
        for (competency_id, row) in &self.competencies {
            // Too few people with the target; or too few with an estimate, whose levels the
            // row's mean, histogram and below-target count would then give away.
            let few_targets = row.people_with_target < min_group_size && row.people_not_shared > 0;
            let few_estimates = row.people_estimated > 0
                && row.people_estimated < min_group_size
                && row.people_estimated_not_shared > 0;
            if few_targets || few_estimates {
                withheld_competencies = withheld_competencies.saturating_add(1);
            } else {
                competencies.push(row.summary(*competency_id));
            }
        }
        competencies.sort_by(|a: &CompetencyGapSummary, b| {
            b.people_below_target
                .cmp(&a.people_below_target)
                .then_with(|| b.mean_gap.total_cmp(&a.mean_gap))
                .then_with(|| a.competency_id.cmp(&b.competency_id))
        });
        GroupGaps::Report(GroupGapReport {
            people: self.people,
            competencies,
            withheld_competencies,
        })
    }
}

/// A group's needs analysis, or why it is not shown.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum GroupGaps {
    /// The group is smaller than the minimum and not everyone in it shared their profile.
    Suppressed {
        people: u32,
        min_group_size: u32,
    },
    Report(GroupGapReport),
}

/// The needs analysis of a group large enough to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupGapReport {
    /// Members of the group, with or without targets.
    pub people: u32,
    /// One row per competency shown.
    pub competencies: Vec<CompetencyGapSummary>,
    /// Competencies left out because too few members have a target in them.
    pub withheld_competencies: u32,
}

/// One competency's row of a group's needs analysis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompetencyGapSummary {
    pub competency_id: CompetencyId,
    /// Members with a target in this competency.
    pub people_with_target: u32,
    /// Of those, members whose estimate is below target (gap over [`GAP_TOLERANCE`]).
    pub people_below_target: u32,
    /// Of those with a target, members without an estimate (no evidence yet).
    pub people_without_estimate: u32,
    pub mean_target: f64,
    /// Mean gap over all members with a target (a missing estimate counts as 0).
    pub mean_gap: f64,
    /// Mean estimate over members with an estimate; `None` if nobody has one.
    pub mean_estimate: Option<f64>,
    /// Members with an estimate by estimated level rounded to a whole level (halves up):
    /// `[0]` at level 0 … `[4]` at level 4.
    pub estimate_histogram: [u32; 5],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id<T: std::str::FromStr>(n: u128) -> T
    where
        T::Err: std::fmt::Debug,
    {
        format!("{n:032x}").parse().unwrap()
    }

    fn lvl(value: f64) -> Level {
        Level::new(value).unwrap()
    }

    fn role(n: u128, kind: RequirementKind) -> TargetSource {
        TargetSource::Role {
            role_id: id(n),
            kind,
            aspired: false,
        }
    }

    fn target(competency: u128, level: f64, source: TargetSource) -> Target {
        Target {
            competency_id: id(competency),
            level: lvl(level),
            source,
        }
    }

    fn goal(n: u128) -> TargetSource {
        TargetSource::Goal { goal_id: id(n) }
    }

    fn report(gaps: GroupGaps) -> GroupGapReport {
        match gaps {
            GroupGaps::Report(report) => report,
            GroupGaps::Suppressed { .. } => panic!("expected a report, got {gaps:?}"),
        }
    }

    fn row(report: &GroupGapReport, competency: u128) -> &CompetencyGapSummary {
        let competency_id: CompetencyId = id(competency);
        report
            .competencies
            .iter()
            .find(|row| row.competency_id == competency_id)
            .unwrap()
    }

    #[test]
    fn person_gaps_merge_targets_and_put_required_and_large_gaps_first() {
        let strategic = TargetSource::Strategic { org_unit_id: id(9) };
        let targets = [
            target(3, 3.0, role(1, RequirementKind::Desired)),
            target(1, 2.0, role(1, RequirementKind::Desired)),
            target(2, 2.0, role(1, RequirementKind::Required)),
            target(4, 4.0, strategic),
            target(1, 3.0, goal(5)),
            // The same source twice (e.g. the role held twice, in two org units) is listed once.
            target(2, 1.0, role(1, RequirementKind::Required)),
        ];
        let mut asked = Vec::new();
        let gaps = person_gaps(&targets, |competency| {
            asked.push(competency);
            match competency {
                c if c == id(1) => Some((lvl(1.5), 0.4)),
                c if c == id(2) => Some((lvl(2.5), 0.9)),
                c if c == id(3) => Some((lvl(1.0), f64::NAN)),
                _ => None,
            }
        });
        asked.sort();
        assert_eq!(asked, [id(1), id(2), id(3), id(4)]);

        let order: Vec<CompetencyId> = gaps.iter().map(|g| g.competency_id).collect();
        // Required: 4 (gap 4), 1 (gap 1.5), 2 (met); then optional: 3 (gap 2).
        assert_eq!(order, [id(4), id(1), id(2), id(3)]);

        let [c4, c1, c2, c3] = [&gaps[0], &gaps[1], &gaps[2], &gaps[3]];
        assert_eq!((c4.target, c4.estimate, c4.size), (lvl(4.0), None, 4.0));
        assert_eq!(c4.confidence, 0.0);
        assert!(c4.required && !c4.met());

        // The desired role target (2) and the goal (3) merge: the higher counts, both are kept,
        // and the goal makes it required.
        assert_eq!((c1.target, c1.size, c1.confidence), (lvl(3.0), 1.5, 0.4));
        assert_eq!(c1.sources, [role(1, RequirementKind::Desired), goal(5)]);
        assert!(c1.required);

        assert_eq!(
            (c2.target, c2.estimate, c2.size),
            (lvl(2.0), Some(lvl(2.5)), 0.0)
        );
        assert_eq!(c2.sources, [role(1, RequirementKind::Required)]);
        assert!(c2.met());

        assert_eq!((c3.size, c3.confidence), (2.0, 0.0));
        assert!(!c3.required && !c3.met());
    }

    #[test]
    fn person_gaps_do_not_depend_on_the_order_of_targets() {
        let targets = [
            target(1, 2.0, role(1, RequirementKind::Desired)),
            target(1, 3.0, goal(5)),
            target(2, 2.0, goal(6)),
            target(3, 2.0, goal(7)),
            target(0, 3.0, goal(8)),
        ];
        let estimate = |c: CompetencyId| (c == id(2)).then(|| (lvl(1.0), 0.5));
        let mut reversed = targets;
        reversed.reverse();
        assert_eq!(
            person_gaps(&targets, estimate),
            person_gaps(&reversed, estimate)
        );
        // All required; by size 3 (competencies 0 and 1, by id), 2 (3), 1 (2).
        let order: Vec<CompetencyId> = person_gaps(&targets, estimate)
            .iter()
            .map(|g| g.competency_id)
            .collect();
        assert_eq!(order, [id(0), id(1), id(3), id(2)]);
    }

    #[test]
    fn tiny_differences_count_as_met_and_no_targets_give_no_gaps() {
        let targets = [target(1, 3.0, goal(1))];
        let gaps = person_gaps(&targets, |_| Some((lvl(3.0 - 1e-9), 1.0)));
        assert!(gaps[0].met());
        assert!(person_gaps(&[], |_| None).is_empty());
    }

    /// Six members with a target 3 in competency 1.
    fn six_members(shared: bool) -> GroupGapAggregator {
        let mut group = GroupGapAggregator::new();
        for estimate in [Some(1.0), Some(2.0), Some(3.0), Some(3.4), None, Some(2.5)] {
            group.member(shared).add(id(1), lvl(3.0), estimate.map(lvl));
        }
        group
    }

    #[test]
    fn aggregation_counts_gaps_and_estimates() {
        let report = report(six_members(false).finish(DEFAULT_MIN_GROUP_SIZE));
        assert_eq!(report.people, 6);
        assert_eq!(report.withheld_competencies, 0);
        let row = row(&report, 1);
        assert_eq!(row.people_with_target, 6);
        // Below target: 1, 2, none, 2.5.
        assert_eq!(row.people_below_target, 4);
        assert_eq!(row.people_without_estimate, 1);
        assert!((row.mean_target - 3.0).abs() < 1e-9);
        // Gaps 2 + 1 + 0 + 0 + 3 + 0.5 = 6.5 over six.
        assert!((row.mean_gap - 6.5 / 6.0).abs() < 1e-9);
        // Estimates (1 + 2 + 3 + 3.4 + 2.5) / 5 = 2.38.
        assert!((row.mean_estimate.unwrap() - 2.38).abs() < 1e-9);
        // Rounded: 1, 2, 3, 3, 3 (2.5 rounds up).
        assert_eq!(row.estimate_histogram, [0, 1, 1, 3, 0]);
    }

    #[test]
    fn add_person_takes_gaps_and_counts_members_without_targets() {
        let targets = [target(1, 3.0, goal(1)), target(1, 2.0, goal(2))];
        let gaps = person_gaps(&targets, |_| Some((lvl(2.0), 0.5)));
        let mut group = GroupGapAggregator::new();
        for _ in 0..5 {
            group.add_person(false, &gaps);
        }
        group.add_person(false, &[]);
        assert_eq!(group.people(), 6);
        let report = report(group.finish(5));
        assert_eq!(report.people, 6);
        let row = row(&report, 1);
        assert_eq!((row.people_with_target, row.people_below_target), (5, 5));
        assert!((row.mean_gap - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_members_second_target_in_a_competency_merges() {
        let mut group = GroupGapAggregator::new();
        for _ in 0..5 {
            let mut member = group.member(false);
            member.add(id(1), lvl(2.0), Some(lvl(2.0)));
            member.add(id(1), lvl(3.0), None);
        }
        let report = report(group.finish(5));
        let row = row(&report, 1);
        assert_eq!(row.people_with_target, 5);
        assert_eq!(row.people_below_target, 5);
        assert!((row.mean_target - 3.0).abs() < 1e-9);
        assert!((row.mean_gap - 1.0).abs() < 1e-9);
        assert_eq!(row.people_without_estimate, 0);
        assert_eq!(row.estimate_histogram, [0, 0, 5, 0, 0]);
    }

    #[test]
    fn small_groups_are_suppressed() {
        let mut group = GroupGapAggregator::new();
        for shared in [true, true, true, false] {
            group.member(shared).add(id(1), lvl(3.0), Some(lvl(1.0)));
        }
        assert_eq!(
            group.finish(DEFAULT_MIN_GROUP_SIZE),
            GroupGaps::Suppressed {
                people: 4,
                min_group_size: 5
            }
        );
    }

    #[test]
    fn small_groups_are_shown_when_everyone_shared() {
        let mut group = GroupGapAggregator::new();
        for _ in 0..3 {
            group.member(true).add(id(1), lvl(3.0), Some(lvl(1.0)));
        }
        let report = report(group.finish(DEFAULT_MIN_GROUP_SIZE));
        assert_eq!(report.people, 3);
        assert_eq!(row(&report, 1).people_below_target, 3);
        assert_eq!(report.withheld_competencies, 0);
    }

    #[test]
    fn a_group_of_exactly_the_minimum_size_is_shown() {
        let mut group = GroupGapAggregator::new();
        for _ in 0..5 {
            group.member(false).add(id(1), lvl(2.0), Some(lvl(2.0)));
        }
        let report = report(group.finish(5));
        assert_eq!(report.people, 5);
        assert_eq!(row(&report, 1).people_with_target, 5);
        assert_eq!(row(&report, 1).people_below_target, 0);
    }

    #[test]
    fn competencies_few_members_have_a_target_in_are_withheld() {
        let mut group = six_members(false);
        // Competency 2: two members, one of whom did not share: withheld.
        group.member(true).add(id(2), lvl(4.0), Some(lvl(1.0)));
        group.member(false).add(id(2), lvl(4.0), None);
        // Competency 3: two members who both shared: shown.
        group.member(true).add(id(3), lvl(2.0), Some(lvl(1.0)));
        group.member(true).add(id(3), lvl(2.0), None);
        let report = report(group.finish(5));
        assert_eq!(report.people, 10);
        assert_eq!(report.withheld_competencies, 1);
        let shown: Vec<CompetencyId> = report
            .competencies
            .iter()
            .map(|r| r.competency_id)
            .collect();
        // Ordered by people below target: 4 in competency 1, 2 in competency 3.
        assert_eq!(shown, [id(1), id(3)]);
    }

    #[test]
    fn rows_are_ordered_by_people_below_target_then_mean_gap() {
        let mut group = GroupGapAggregator::new();
        for _ in 0..5 {
            let mut member = group.member(false);
            member.add(id(1), lvl(2.0), Some(lvl(1.5)));
            member.add(id(2), lvl(4.0), Some(lvl(1.0)));
            member.add(id(3), lvl(1.0), Some(lvl(1.0)));
            member.add(id(4), lvl(2.0), Some(lvl(1.5)));
        }
        let report = report(group.finish(5));
        let order: Vec<CompetencyId> = report
            .competencies
            .iter()
            .map(|r| r.competency_id)
            .collect();
        assert_eq!(order, [id(2), id(1), id(4), id(3)]);
    }

    #[test]
    fn merged_aggregators_equal_one_fed_with_everyone() {
        let mut whole = GroupGapAggregator::new();
        let mut first = GroupGapAggregator::new();
        let mut second = GroupGapAggregator::new();
        for n in 0..12u32 {
            let estimate = (n % 3 > 0).then(|| lvl(f64::from(n % 5) * 0.7));
            let shared = n % 4 == 0;
            whole
                .member(shared)
                .add(id(u128::from(n % 2)), lvl(3.0), estimate);
            let part = if n < 7 { &mut first } else { &mut second };
            part.member(shared)
                .add(id(u128::from(n % 2)), lvl(3.0), estimate);
        }
        second.merge(first);
        assert_eq!(second.finish(5), whole.finish(5));
    }

    #[test]
    fn empty_groups_and_a_minimum_of_zero() {
        let empty = report(GroupGapAggregator::new().finish(5));
        assert_eq!((empty.people, empty.competencies.len()), (0, 0));
        let mut group = GroupGapAggregator::new();
        group.member(false).add(id(1), lvl(3.0), None);
        let report = report(group.finish(0));
        assert_eq!(row(&report, 1).people_with_target, 1);
        assert_eq!(row(&report, 1).mean_estimate, None);
    }

    #[test]
    fn rows_with_few_estimates_are_withheld_unless_those_shared() {
        let competency: CompetencyId = id(77);
        let build = |estimated_shares: bool| {
            let mut aggregator = GroupGapAggregator::new();
            for i in 0..5 {
                let first = i == 0;
                let mut member = aggregator.member(first && estimated_shares);
                member.add(competency, lvl(3.0), first.then(|| lvl(1.0)));
            }
            aggregator.finish(5)
        };
        // Five people need it, one has an estimate: the row would show that person's level.
        match build(false) {
            GroupGaps::Report(report) => {
                assert!(report.competencies.is_empty(), "{report:?}");
                assert_eq!(report.withheld_competencies, 1);
            }
            other => panic!("a report, not {other:?}"),
        }
        // The one with an estimate shares their profile: shown.
        match build(true) {
            GroupGaps::Report(report) => {
                assert_eq!(report.competencies.len(), 1);
                assert_eq!(report.competencies[0].mean_estimate, Some(1.0));
            }
            other => panic!("a report, not {other:?}"),
        }
    }
}
