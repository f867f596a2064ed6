//! Curated programs on a learning path: a blended program that is a step of a person's path
//! (assigned, pinned, or chosen by the planner because its parts teach the person's gaps) is
//! unfolded into its parts, in the program's order. Required parts are always steps; of each
//! elective group the parts that best serve the person's gaps (ties: the shortest), unless the
//! person switched to others; optional parts only when the person adds them (pins them).
//! Completed parts are done, not steps; parts the person may not see are counted, never named.
//! Plain functions over what `learning_paths` gathered: no store, no clock.

use mycel_catalogue::{PartKind, ProgramPart};
use mycel_organisation::{CompetencyId, OpportunityId};
use mycel_planner::PlanningGap;
use mycel_store::catalogue::OpportunityRecord;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// The minutes a part without a duration is planned with (as the path plans any opportunity).
pub const DEFAULT_MINUTES: u32 = 60;

/// Where a part of a program on the path stands for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartState {
    /// Completed: done, not a step.
    Done,
    /// A step of the path: a required part, a chosen elective, an optional part the person added.
    Step,
    /// An elective that is not chosen: the person may switch to it.
    Alternative,
    /// An optional part the person has not added.
    Offered,
    /// Meant to be a step, but it cannot be planned (no session with a free place, a language or
    /// format the person left out, prerequisites that cannot be met).
    NotPlanned,
}

impl PartState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::Step => "step",
            Self::Alternative => "alternative",
            Self::Offered => "offered",
            Self::NotPlanned => "not-planned",
        }
    }
}

/// One visible part of a program on the path.
#[derive(Debug, Clone, PartialEq)]
pub struct PartOnPath {
    pub opportunity_id: OpportunityId,
    pub kind: PartKind,
    pub state: PartState,
}

/// A program on the person's path, unfolded.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgramOnPath {
    pub program_id: OpportunityId,
    /// The parts the person may see, in the program's order.
    pub parts: Vec<PartOnPath>,
    /// Parts the person may not see (not published, or not offered to them): only counted.
    pub unavailable: usize,
}

impl ProgramOnPath {
    /// The parts that are steps, in the program's order.
    pub fn steps(&self) -> impl Iterator<Item = OpportunityId> + '_ {
        self.parts
            .iter()
            .filter(|p| p.state == PartState::Step)
            .map(|p| p.opportunity_id)
    }
}

/// What a person decided about a program's electives (kept with their path choices): the parts
/// they switched to come first, the parts they switched away from last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectiveChoice {
    pub program: OpportunityId,
    #[serde(default)]
    pub chosen: Vec<OpportunityId>,
    #[serde(default)]
    pub dropped: Vec<OpportunityId>,
}

/// A program's part as the path sees it: its record and whether the person may take it.
#[derive(Debug, Clone)]
pub struct KnownPart {
    pub record: OpportunityRecord,
    pub visible: bool,
}

/// How much a part serves the person's gaps: the levels it would add, summed over the gaps.
pub fn gap_score(record: &OpportunityRecord, gaps: &[PlanningGap]) -> f64 {
    gaps.iter()
        .map(|gap| {
            record
                .draft
                .alignments
                .iter()
                .filter(|a| a.competency_id == gap.competency_id)
                .map(|a| (a.level.value().min(gap.target) - gap.current).max(0.0))
                .fold(0.0, f64::max)
        })
        .sum()
}

fn minutes(record: &OpportunityRecord) -> u32 {
    record.draft.duration_minutes.unwrap_or(DEFAULT_MINUTES)
}

/// Unfolds a program for a person: which parts are steps, done, alternatives or offered.
pub fn unfold(
    program: &OpportunityRecord,
    parts: &HashMap<OpportunityId, KnownPart>,
    completed: &BTreeSet<OpportunityId>,
    gaps: &[PlanningGap],
    pinned: &[OpportunityId],
    choice: Option<&ElectiveChoice>,
) -> ProgramOnPath {
    let draft = &program.draft;
    let visible = |part: &ProgramPart| {
        parts
            .get(&part.opportunity_id)
            .filter(|known| known.visible)
            .map(|known| &known.record)
    };
    let mut unfolded = ProgramOnPath {
        program_id: program.id,
        parts: Vec::new(),
        unavailable: 0,
    };
    // Each elective group's chosen parts: completed ones count first, then the person's
    // switches, then the best for the gaps, the shortest, the first in the program.
    let mut chosen_electives: BTreeSet<OpportunityId> = BTreeSet::new();
    for (index, group) in draft.elective_groups.iter().enumerate() {
        let members: Vec<(&ProgramPart, &OpportunityRecord)> = draft
            .parts
            .iter()
            .filter(|p| p.kind.group() == Some(index as u16))
            .filter_map(|p| Some((p, visible(p)?)))
            .collect();
        let done = members
            .iter()
            .filter(|(p, _)| completed.contains(&p.opportunity_id))
            .count();
        let needed = usize::from(group.choose).saturating_sub(done);
        let mut open: Vec<(usize, &ProgramPart, &OpportunityRecord)> = members
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| !completed.contains(&p.opportunity_id))
            .map(|(position, (p, r))| (position, *p, *r))
            .collect();
        let preference = |id: &OpportunityId| match choice {
            Some(c) if c.chosen.contains(id) => 0,
            Some(c) if c.dropped.contains(id) => 2,
            _ => 1,
        };
        open.sort_by(|(pa, a, ra), (pb, b, rb)| {
            preference(&a.opportunity_id)
                .cmp(&preference(&b.opportunity_id))
                .then(gap_score(rb, gaps).total_cmp(&gap_score(ra, gaps)))
                .then(minutes(ra).cmp(&minutes(rb)))
                .then(pa.cmp(pb))
        });
        chosen_electives.extend(open.iter().take(needed).map(|(_, p, _)| p.opportunity_id));
    }
    for part in &draft.parts {
        if visible(part).is_none() {
            unfolded.unavailable += 1;
            continue;
        }
        let id = part.opportunity_id;
        let state = if completed.contains(&id) {
            PartState::Done
        } else {
            match part.kind {
                PartKind::Required => PartState::Step,
                PartKind::Optional if pinned.contains(&id) => PartState::Step,
                PartKind::Optional => PartState::Offered,
                PartKind::Elective { .. } if chosen_electives.contains(&id) => PartState::Step,
                PartKind::Elective { .. } => PartState::Alternative,
            }
        };
        unfolded.parts.push(PartOnPath {
            opportunity_id: id,
            kind: part.kind,
            state,
        });
    }
    unfolded
}

/// A program as one candidate of the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct AsOneStep {
    pub teaches: Vec<(CompetencyId, f64)>,
    pub minutes: u32,
    pub cost_cents: u64,
}

/// What a program teaches and costs as one candidate, before it is unfolded: its own
/// alignments and those of the parts it would take (required ones and the chosen electives),
/// their minutes and cost. `None` when it cannot be completed by the person (a required part
/// they may not see, or too few electives).
pub fn as_one_step(
    program: &OpportunityRecord,
    parts: &HashMap<OpportunityId, KnownPart>,
    unfolded: &ProgramOnPath,
) -> Option<AsOneStep> {
    let draft = &program.draft;
    let seen = |kind: PartKind| {
        unfolded
            .parts
            .iter()
            .filter(|p| p.kind == kind)
            .filter(|p| matches!(p.state, PartState::Done | PartState::Step))
            .count()
    };
    let required = draft
        .parts
        .iter()
        .filter(|p| p.kind == PartKind::Required)
        .count();
    if seen(PartKind::Required) < required {
        return None;
    }
    for (index, group) in draft.elective_groups.iter().enumerate() {
        let kind = PartKind::Elective {
            group: index as u16,
        };
        if seen(kind) < usize::from(group.choose) {
            return None;
        }
    }
    let mut teaches: HashMap<CompetencyId, f64> = draft
        .alignments
        .iter()
        .map(|a| (a.competency_id, a.level.value()))
        .collect();
    let (mut total_minutes, mut cost) = (0u32, 0u64);
    for id in unfolded.steps() {
        let Some(known) = parts.get(&id) else {
            continue;
        };
        total_minutes = total_minutes.saturating_add(minutes(&known.record));
        cost = cost.saturating_add(known.record.draft.cost.as_ref().map_or(0, |c| c.cents));
        for a in &known.record.draft.alignments {
            let level = teaches.entry(a.competency_id).or_insert(0.0);
            *level = level.max(a.level.value());
        }
    }
    let mut teaches: Vec<(CompetencyId, f64)> = teaches.into_iter().collect();
    teaches.sort_by_key(|(c, _)| *c);
    Some(AsOneStep {
        teaches,
        minutes: total_minutes.max(1),
        cost_cents: cost,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use chrono::Utc;
    use mycel_catalogue::{
        Alignment, ElectiveGroup, Lifecycle, Modality, OpportunityDraft, ProgramPart,
    };
    use mycel_competency::scale::{Level, LocalizedText};
    use mycel_organisation::TenantId;

    fn record(minutes: u32, teaches: Option<(CompetencyId, f64)>) -> OpportunityRecord {
        let mut draft =
            OpportunityDraft::new(Modality::Video, LocalizedText::new("Teil", "Part"), "de");
        draft.duration_minutes = Some(minutes);
        draft.alignments = teaches
            .map(|(c, l)| Alignment {
                competency_id: c,
                level: Level::new(l).unwrap(),
            })
            .into_iter()
            .collect();
        OpportunityRecord {
            id: OpportunityId::generate(),
            tenant_id: TenantId::generate(),
            lifecycle: Lifecycle::Published,
            draft,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            revision: 1,
        }
    }

    fn gap(competency: CompetencyId) -> PlanningGap {
        PlanningGap {
            competency_id: competency,
            current: 1.0,
            target: 3.0,
            required: true,
        }
    }

    /// A program: one required part, three electives (choose 1), one optional; and a part the
    /// person may not see.
    fn program() -> (
        OpportunityRecord,
        HashMap<OpportunityId, KnownPart>,
        CompetencyId,
    ) {
        let talk = CompetencyId::generate();
        let parts = [
            (record(60, None), true, PartKind::Required),
            (record(30, None), true, PartKind::Elective { group: 0 }),
            (
                record(90, Some((talk, 3.0))),
                true,
                PartKind::Elective { group: 0 },
            ),
            (record(20, None), true, PartKind::Elective { group: 0 }),
            (record(45, None), true, PartKind::Optional),
            (record(45, None), false, PartKind::Optional),
        ];
        let mut program = record(0, None);
        program.draft.modality = Modality::Blended;
        program.draft.parts = parts
            .iter()
            .map(|(r, _, kind)| ProgramPart {
                opportunity_id: r.id,
                kind: *kind,
            })
            .collect();
        program.draft.elective_groups = vec![ElectiveGroup {
            label: LocalizedText::new("Gespräche", "Conversations"),
            choose: 1,
        }];
        let known = parts
            .into_iter()
            .map(|(record, visible, _)| (record.id, KnownPart { record, visible }))
            .collect();
        (program, known, talk)
    }

    fn states(unfolded: &ProgramOnPath) -> Vec<PartState> {
        unfolded.parts.iter().map(|p| p.state).collect()
    }

    #[test]
    fn the_elective_that_serves_a_gap_is_chosen_else_the_shortest() {
        use PartState::*;
        let (program, parts, talk) = program();
        let none = BTreeSet::new();
        let with_gap = unfold(&program, &parts, &none, &[gap(talk)], &[], None);
        assert_eq!(
            states(&with_gap),
            [Step, Alternative, Step, Alternative, Offered]
        );
        assert_eq!(with_gap.unavailable, 1, "counted, not listed");
        let without_gap = unfold(&program, &parts, &none, &[], &[], None);
        assert_eq!(
            states(&without_gap),
            [Step, Alternative, Alternative, Step, Offered],
            "the shortest"
        );
        let one = as_one_step(&program, &parts, &with_gap).unwrap();
        assert_eq!(one.teaches, vec![(talk, 3.0)]);
        assert_eq!(one.minutes, 60 + 90);
    }

    #[test]
    fn a_switch_completed_parts_and_added_optional_parts_count() {
        use PartState::*;
        let (program, parts, talk) = program();
        let ids = program.draft.part_ids();
        let choice = ElectiveChoice {
            program: program.id,
            chosen: vec![ids[1]],
            dropped: vec![ids[2]],
        };
        let switched = unfold(
            &program,
            &parts,
            &BTreeSet::new(),
            &[gap(talk)],
            &[ids[4]],
            Some(&choice),
        );
        assert_eq!(
            states(&switched),
            [Step, Step, Alternative, Alternative, Step]
        );
        // A completed elective fills the group: the others are alternatives.
        let done = BTreeSet::from([ids[0], ids[3]]);
        let unfolded = unfold(&program, &parts, &done, &[gap(talk)], &[], None);
        assert_eq!(
            states(&unfolded),
            [Done, Alternative, Alternative, Done, Offered]
        );
    }

    #[test]
    fn a_required_part_the_person_may_not_see_makes_the_program_no_single_step() {
        let (mut program, mut parts, _) = program();
        let hidden = program.draft.parts[5].opportunity_id;
        program.draft.parts[5].kind = PartKind::Required;
        parts.get_mut(&hidden).unwrap().visible = false;
        let unfolded = unfold(&program, &parts, &BTreeSet::new(), &[], &[], None);
        assert_eq!(as_one_step(&program, &parts, &unfolded), None);
    }
}
