//! Personal learning paths ("Lernpfade"): a person's gaps (from their competency profile: roles,
//! aspired roles, goals, strategic goals of their org unit) and the published opportunities they
//! may see that teach those competencies (and, a step further, what those require) go to
//! `mycel-planner`, planned for the company's objective (least time or cost), together with
//! their completions, session places and the choices they made (pinned, skipped, reordered steps,
//! weekly time budget, languages, modalities). The path is planned afresh on every read, so it
//! follows every change of evidence, role, catalogue or session at once; only the choices are
//! stored.

use crate::competencies;
use crate::programs::{self, ElectiveChoice, KnownPart, PartState, ProgramOnPath};
use crate::{Acting, AppError, AppResult};
use chrono::{DateTime, Datelike, NaiveDate, SubsecRound, TimeDelta, Utc};
use mycel_catalogue::classroom::EnrolmentStatus;
use mycel_catalogue::{Lifecycle, Modality, PartKind, Prerequisite};
use mycel_organisation::{CompetencyId, OpportunityId, PersonId, SessionId, ValidationError};
use mycel_planner::{
    Candidate, Objective, PersonChoices, Plan, PlanningGap, PlanningInput, Preferences,
    Requirement, SessionSlot,
};
use mycel_store::catalogue::{EnrolmentRecord, OpportunityRecord, SessionRecord};
use mycel_store::learning_paths::PathChoicesRecord;
use mycel_store::{Store, TenantScope};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The weekly learning time a path is scheduled with until the person sets their own.
pub const DEFAULT_WEEKLY_MINUTES: u32 = 120;
/// How many rounds of requirements are followed when collecting candidates.
const REQUIREMENT_ROUNDS: usize = 3;
/// Steps, skips and pins kept per person.
const MAX_LISTED: usize = 500;

/// What a person decided about their path (stored as JSON).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PathSettings {
    pub pinned: Vec<OpportunityId>,
    pub skipped: Vec<OpportunityId>,
    pub order: Vec<OpportunityId>,
    pub weekly_minutes: u32,
    /// Languages to learn in; empty: any.
    pub languages: Vec<String>,
    pub preferred_modalities: Vec<Modality>,
    pub excluded_modalities: Vec<Modality>,
    /// Unused: the company's objective counts ([`PathView::objective`]); kept so that stored
    /// choices still read.
    pub objective: Objective,
    /// The electives the person switched to (and away from), per program.
    pub electives: Vec<ElectiveChoice>,
}

impl Default for PathSettings {
    fn default() -> Self {
        Self {
            pinned: Vec::new(),
            skipped: Vec::new(),
            order: Vec::new(),
            weekly_minutes: DEFAULT_WEEKLY_MINUTES,
            languages: Vec::new(),
            preferred_modalities: Vec::new(),
            excluded_modalities: Vec::new(),
            objective: Objective::Time,
            electives: Vec::new(),
        }
    }
}

/// A change a person makes to a step of their path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepChange {
    Pin,
    Unpin,
    Skip,
    Unskip,
    /// One place earlier / later in the person's own order.
    Earlier,
    Later,
}

impl StepChange {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "pin" => Self::Pin,
            "unpin" => Self::Unpin,
            "skip" => Self::Skip,
            "unskip" => Self::Unskip,
            "earlier" => Self::Earlier,
            "later" => Self::Later,
            _ => return None,
        })
    }
}

/// A planned path with what pages need to explain it.
#[derive(Debug, Clone)]
pub struct PathView {
    pub plan: Plan,
    pub settings: PathSettings,
    /// The opportunities of the steps (and skipped ones), by id.
    pub opportunities: HashMap<OpportunityId, OpportunityRecord>,
    /// The gaps the path works on, with their sources (why they are there).
    pub gaps: Vec<mycel_competency::gap::Gap>,
    /// Names of the competencies named by steps and gaps.
    pub competency_names: HashMap<CompetencyId, mycel_competency::framework::Labels>,
    pub first_week: NaiveDate,
    /// When the sessions a step may book start.
    pub sessions: HashMap<mycel_organisation::SessionId, DateTime<Utc>>,
    /// Opportunities assigned to the person (by their manager or L&D) and not completed, with
    /// their due date: always steps of the path, never skipped.
    pub assigned: HashMap<OpportunityId, Option<NaiveDate>>,
    /// What the path was planned for: the company's choice (least time unless it chose cost).
    pub objective: Objective,
    /// The strategic goals behind `TargetSource::Strategic` gaps, with their units' names.
    pub strategic_goals: Vec<mycel_store::strategic_goals::AppliedStrategicGoal>,
    /// Programs on the path, unfolded into their parts (their records are in `opportunities`).
    pub programs: Vec<ProgramOnPath>,
    /// For each step that is a part of a program on the path: those programs.
    pub part_of: HashMap<OpportunityId, Vec<OpportunityId>>,
    /// The sessions steps may book, with where they are held (a room's name and location, or
    /// the session's location).
    pub session_details: HashMap<SessionId, (SessionRecord, String)>,
    /// The person's open enrolments (requested, confirmed, waitlisted) in upcoming sessions,
    /// by course.
    pub enrolments: HashMap<OpportunityId, EnrolmentRecord>,
}

fn monday_of(now: DateTime<Utc>) -> NaiveDate {
    let day = now.date_naive();
    day - TimeDelta::days(i64::from(day.weekday().num_days_from_monday()))
}

async fn settings_of(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<PathSettings> {
    match store.path_choices(scope, person).await? {
        Some(record) => serde_json::from_str(&record.choices).map_err(|e| {
            AppError::Internal(format!("the stored path choices cannot be read: {e}"))
        }),
        None => Ok(PathSettings::default()),
    }
}

fn candidate_of(record: &OpportunityRecord, sessions: Vec<SessionSlot>) -> Candidate {
    let draft = &record.draft;
    Candidate {
        id: record.id,
        teaches: draft
            .alignments
            .iter()
            .map(|a| (a.competency_id, a.level.value()))
            .collect(),
        minutes: draft.duration_minutes.unwrap_or(60),
        cost_cents: draft.cost.as_ref().map_or(0, |c| c.cents),
        language: draft.content_language.clone(),
        modality: draft.modality,
        requires: draft
            .prerequisites
            .iter()
            .map(|p| match p {
                Prerequisite::Competency {
                    competency_id,
                    level,
                } => Requirement::Competency {
                    competency_id: *competency_id,
                    level: level.value(),
                },
                Prerequisite::Opportunity { opportunity_id } => Requirement::Opportunity {
                    opportunity_id: *opportunity_id,
                },
            })
            .collect(),
        needs_session: draft.modality == Modality::Classroom,
        sessions,
    }
}

/// A person's path, planned now. The person themselves, or whoever may see their competency
/// profile (their manager or L&D, if the person shares it; audited).
pub async fn person_path(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    now: DateTime<Utc>,
) -> AppResult<PathView> {
    let profile = competencies::profile(store, acting, scope, person, "learning path").await?;
    let settings = settings_of(store, scope, person).await?;
    let completed: Vec<OpportunityId> = store
        .person_completions(scope, person)
        .await?
        .into_iter()
        .map(|c| c.opportunity_id)
        .collect();
    let assigned = open_assignments(store, scope, person, &completed).await?;
    let open: Vec<&mycel_competency::gap::Gap> = profile.gaps.iter().filter(|g| !g.met()).collect();
    let levels: HashMap<CompetencyId, f64> = profile
        .entries
        .iter()
        .filter_map(|(id, e)| e.estimate.as_ref().map(|est| (*id, est.level.value())))
        .collect();

    // Candidates: what teaches a gap's competency, then what those require, a few rounds deep.
    let mut wanted: BTreeSet<CompetencyId> = open.iter().map(|g| g.competency_id).collect();
    let mut records: BTreeMap<OpportunityId, OpportunityRecord> = BTreeMap::new();
    let mut asked: BTreeSet<CompetencyId> = BTreeSet::new();
    let viewer = crate::catalogue::viewer_of(store, scope, person).await?;
    for _ in 0..REQUIREMENT_ROUNDS {
        let ask: Vec<CompetencyId> = wanted.difference(&asked).copied().collect();
        let mut more_ids: Vec<OpportunityId> = if ask.is_empty() {
            Vec::new()
        } else {
            store.opportunities_teaching(scope, &ask).await?
        };
        asked.extend(ask);
        // Opportunities required by candidates, and pinned ones.
        for record in records.values() {
            for p in &record.draft.prerequisites {
                if let Prerequisite::Opportunity { opportunity_id } = p {
                    more_ids.push(*opportunity_id);
                }
            }
        }
        more_ids.extend(settings.pinned.iter().copied());
        more_ids.extend(assigned.keys().copied());
        more_ids.retain(|id| !records.contains_key(id));
        more_ids.sort();
        more_ids.dedup();
        if more_ids.is_empty() {
            break;
        }
        for record in store.opportunities_by_id(scope, &more_ids).await? {
            // The catalogue's rule: published, and in the audience (or assigned to the person).
            let visible = record.lifecycle == Lifecycle::Published
                && (viewer.admitted_by(record.tenant_id, &record.draft.audience)
                    || assigned.contains_key(&record.id));
            if !visible {
                continue;
            }
            for p in &record.draft.prerequisites {
                if let Prerequisite::Competency { competency_id, .. } = p {
                    wanted.insert(*competency_id);
                }
            }
            records.insert(record.id, record);
        }
    }

    // The programs among the candidates: their parts, and whether the person may take each
    // (published, and offered to them or assigned; the program's assignment grants its parts).
    let mut parts: HashMap<OpportunityId, KnownPart> = HashMap::new();
    let part_ids: Vec<OpportunityId> = records
        .values()
        .flat_map(|r| r.draft.part_ids())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if !part_ids.is_empty() {
        let granted: BTreeSet<OpportunityId> = records
            .values()
            .filter(|r| assigned.contains_key(&r.id))
            .flat_map(|r| r.draft.part_ids())
            .collect();
        for record in store.opportunities_by_id(scope, &part_ids).await? {
            let visible = record.lifecycle == Lifecycle::Published
                && (viewer.admitted_by(record.tenant_id, &record.draft.audience)
                    || assigned.contains_key(&record.id)
                    || granted.contains(&record.id));
            if visible {
                for p in &record.draft.prerequisites {
                    if let Prerequisite::Competency { competency_id, .. } = p {
                        wanted.insert(*competency_id);
                    }
                }
            }
            parts.insert(record.id, KnownPart { record, visible });
        }
    }

    // Sessions with free places for courses held in sessions (the company's own: another
    // company's sessions are not booked from here). A session the person is enrolled in (or
    // awaits approval for) is the one their step keeps.
    let enrolments = open_enrolments(store, scope, person).await?;
    let rooms: HashMap<mycel_organisation::RoomId, String> = store
        .rooms(scope)
        .await?
        .into_iter()
        .map(|room| {
            let place = if room.draft.location.trim().is_empty() {
                room.draft.name.clone()
            } else {
                format!("{}, {}", room.draft.name, room.draft.location)
            };
            (room.id, place)
        })
        .collect();
    let mut session_details = HashMap::new();
    let mut session_starts = HashMap::new();
    let mut enrolled_in: HashMap<OpportunityId, EnrolmentRecord> = HashMap::new();
    let mut slots_of: HashMap<OpportunityId, Vec<SessionSlot>> = HashMap::new();
    let classroom: Vec<&OpportunityRecord> = records
        .values()
        .chain(parts.values().filter(|k| k.visible).map(|k| &k.record))
        .filter(|r| r.draft.modality == Modality::Classroom && r.tenant_id == scope.tenant_id())
        .collect();
    for record in classroom {
        if slots_of.contains_key(&record.id) {
            continue;
        }
        let mut slots = Vec::new();
        let mut kept = None;
        for session in store.sessions_of(scope, record.id).await? {
            if session.cancelled || session.draft.starts_at <= now {
                continue;
            }
            let enrolment = enrolments.get(&session.id);
            let slot = SessionSlot {
                id: session.id,
                starts_at: session.draft.starts_at,
                ends_at: session.draft.ends_at,
                free_places: session.draft.capacity.saturating_sub(session.taken),
            };
            if let Some(enrolment) = enrolment {
                enrolled_in.insert(record.id, enrolment.clone());
                if matches!(
                    enrolment.status,
                    EnrolmentStatus::Confirmed | EnrolmentStatus::Requested
                ) {
                    kept = Some(SessionSlot {
                        free_places: slot.free_places.max(1),
                        ..slot.clone()
                    });
                }
            }
            session_starts.insert(session.id, session.draft.starts_at);
            let place = match session.draft.room_id.and_then(|r| rooms.get(&r)) {
                Some(room) => room.clone(),
                None => session.draft.location.clone(),
            };
            session_details.insert(session.id, (session, place));
            slots.push(slot);
        }
        slots_of.insert(record.id, kept.map_or(slots, |slot| vec![slot]));
    }
    let candidate = |record: &OpportunityRecord| {
        candidate_of(
            record,
            slots_of.get(&record.id).cloned().unwrap_or_default(),
        )
    };
    // A completed opportunity counts for the levels it teaches until evidence catches up (its
    // statements become evidence when the feed reads them).
    let mut known: HashMap<CompetencyId, f64> = levels.clone();
    for id in &completed {
        if let Some(record) = records.get(id).or(parts.get(id).map(|k| &k.record)) {
            for a in &record.draft.alignments {
                let level = known.entry(a.competency_id).or_insert(0.0);
                *level = level.max(a.level.value());
            }
        }
    }
    let first_week = monday_of(now);
    // The company chooses what paths are planned for (see strategic_goals::set_path_objective).
    let objective = match store.path_objective(scope).await? {
        mycel_store::strategic_goals::PathObjective::LeastTime => Objective::Time,
        mycel_store::strategic_goals::PathObjective::LeastCost => Objective::Cost,
    };
    let gaps: Vec<PlanningGap> = open
        .iter()
        .map(|g| PlanningGap {
            competency_id: g.competency_id,
            current: g.estimate.map_or(0.0, |l| l.value()),
            target: g.target.value(),
            required: g.required,
        })
        .collect();
    let done: BTreeSet<OpportunityId> = completed.iter().copied().collect();
    let choice_of =
        |program: OpportunityId| settings.electives.iter().find(|c| c.program == program);
    // Each program unfolded as it would be taken; as one candidate it teaches what those parts
    // teach, at their time and cost (a program the person cannot complete is no candidate,
    // unless assigned or pinned: then it is unfolded and what is missing is shown).
    let unfolded: BTreeMap<OpportunityId, ProgramOnPath> = records
        .values()
        .filter(|r| !r.draft.parts.is_empty())
        .map(|r| {
            (
                r.id,
                programs::unfold(r, &parts, &done, &gaps, &settings.pinned, choice_of(r.id)),
            )
        })
        .collect();
    let forced: BTreeSet<OpportunityId> = settings
        .pinned
        .iter()
        .chain(assigned.keys())
        .copied()
        .collect();
    let mut candidates = Vec::with_capacity(records.len() + parts.len());
    for record in records.values() {
        let mut c = candidate(record);
        if let Some(program) = unfolded.get(&record.id) {
            match programs::as_one_step(record, &parts, program) {
                Some(one) => {
                    c.teaches = one.teaches;
                    c.minutes = one.minutes;
                    c.cost_cents = one.cost_cents;
                }
                None if forced.contains(&record.id) => {}
                None => continue,
            }
        }
        candidates.push(c);
    }
    let input = PlanningInput {
        gaps,
        candidates,
        known_levels: wanted
            .iter()
            .filter_map(|c| known.get(c).map(|l| (*c, *l)))
            .collect(),
        completed,
        preferences: Preferences {
            languages: settings.languages.clone(),
            preferred_modalities: settings.preferred_modalities.clone(),
            excluded_modalities: settings.excluded_modalities.clone(),
            weekly_minutes: settings.weekly_minutes,
            objective,
            first_week,
        },
        // Assigned learning is on the path like a pinned step (once, however it got there).
        choices: PersonChoices {
            pinned: forced.iter().copied().collect(),
            skipped: settings
                .skipped
                .iter()
                .filter(|o| !assigned.contains_key(o))
                .copied()
                .collect(),
            order: settings.order.clone(),
        },
        now,
    };
    let first = mycel_planner::plan(&input);

    // The programs on the path are unfolded: their parts become steps in the program's order
    // (each after the one before, unless a prerequisite says otherwise), once each however many
    // reasons they have, and are planned again with the rest.
    let on_path: Vec<&ProgramOnPath> = first
        .steps
        .iter()
        .filter_map(|step| unfolded.get(&step.opportunity_id))
        .collect();
    let (plan, program_views) = if on_path.is_empty() {
        (first, Vec::new())
    } else {
        let programs_on_path: BTreeSet<OpportunityId> =
            on_path.iter().map(|p| p.program_id).collect();
        let mut base = input;
        base.candidates
            .retain(|c| !programs_on_path.contains(&c.id));
        // A part that cannot be planned (no session, a left-out language) is taken out of the
        // order and the path planned again, so that the parts after it still can be.
        let mut left_out: BTreeSet<OpportunityId> = BTreeSet::new();
        loop {
            let mut input = base.clone();
            let mut taken: BTreeSet<OpportunityId> = BTreeSet::new();
            for program in &on_path {
                let steps: Vec<OpportunityId> = program.steps().collect();
                let ordered: Vec<OpportunityId> = steps
                    .iter()
                    .copied()
                    .filter(|id| !left_out.contains(id))
                    .collect();
                for &id in &steps {
                    taken.insert(id);
                    if !input.candidates.iter().any(|c| c.id == id) {
                        if let Some(known) = parts.get(&id) {
                            input.candidates.push(candidate(&known.record));
                        }
                    }
                }
                for (i, &id) in ordered.iter().enumerate() {
                    let Some(at) = input.candidates.iter().position(|c| c.id == id) else {
                        continue;
                    };
                    if let Some(&before) = i.checked_sub(1).and_then(|b| ordered.get(b)) {
                        if !requires_transitively(&input.candidates, before, id) {
                            let requirement = Requirement::Opportunity {
                                opportunity_id: before,
                            };
                            if !input.candidates[at].requires.contains(&requirement) {
                                input.candidates[at].requires.push(requirement);
                            }
                        }
                    }
                    // What the program itself teaches comes with its last step.
                    if i + 1 == ordered.len() {
                        if let Some(record) = records.get(&program.program_id) {
                            for a in &record.draft.alignments {
                                let teaches = &mut input.candidates[at].teaches;
                                match teaches.iter_mut().find(|(c, _)| *c == a.competency_id) {
                                    Some((_, level)) => *level = level.max(a.level.value()),
                                    None => teaches.push((a.competency_id, a.level.value())),
                                }
                            }
                        }
                    }
                }
            }
            input.choices.pinned = input
                .choices
                .pinned
                .iter()
                .filter(|id| !programs_on_path.contains(id))
                .chain(&taken)
                .copied()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            input.choices.skipped.retain(|id| !taken.contains(id));
            let plan = mycel_planner::plan(&input);
            let planned: BTreeSet<OpportunityId> =
                plan.steps.iter().map(|s| s.opportunity_id).collect();
            let missing: Vec<OpportunityId> = taken
                .iter()
                .filter(|id| !planned.contains(id) && !left_out.contains(id))
                .copied()
                .collect();
            if !missing.is_empty() && left_out.len() < taken.len() {
                left_out.extend(missing);
                continue;
            }
            let views = on_path
                .into_iter()
                .map(|program| {
                    let mut program = program.clone();
                    for part in &mut program.parts {
                        if part.state == PartState::Step && !planned.contains(&part.opportunity_id)
                        {
                            part.state = PartState::NotPlanned;
                        }
                    }
                    program
                })
                .collect();
            break (plan, views);
        }
    };
    let mut part_of: HashMap<OpportunityId, Vec<OpportunityId>> = HashMap::new();
    for program in &program_views {
        for id in program.steps() {
            part_of.entry(id).or_default().push(program.program_id);
        }
    }
    // The parts of programs on the path are shown by name (the visible ones).
    for program in &program_views {
        for part in &program.parts {
            if let Some(known) = parts.get(&part.opportunity_id) {
                records
                    .entry(part.opportunity_id)
                    .or_insert_with(|| known.record.clone());
            }
        }
    }

    let mut names = HashMap::new();
    let mut named: BTreeSet<CompetencyId> = profile.gaps.iter().map(|g| g.competency_id).collect();
    for step in &plan.steps {
        if let Some(record) = records.get(&step.opportunity_id) {
            named.extend(record.draft.alignments.iter().map(|a| a.competency_id));
        }
    }
    let named: Vec<CompetencyId> = named.into_iter().collect();
    for competency in store.competencies(scope, &named).await? {
        names.insert(competency.id, competency.labels.clone());
    }
    // Skipped opportunities are shown too (to take them back).
    let mut opportunities: HashMap<OpportunityId, OpportunityRecord> =
        records.into_iter().collect();
    let missing: Vec<OpportunityId> = settings
        .skipped
        .iter()
        .filter(|id| !opportunities.contains_key(id))
        .copied()
        .collect();
    if !missing.is_empty() {
        for record in store.opportunities_by_id(scope, &missing).await? {
            opportunities.insert(record.id, record);
        }
    }
    Ok(PathView {
        plan,
        settings,
        opportunities,
        gaps: open.into_iter().cloned().collect(),
        competency_names: names,
        first_week,
        sessions: session_starts,
        assigned,
        objective,
        strategic_goals: profile.strategic_goals.clone(),
        programs: program_views,
        part_of,
        session_details,
        enrolments: enrolled_in,
    })
}

/// The person's open enrolments (requested, confirmed, waitlisted), by session.
async fn open_enrolments(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
) -> AppResult<HashMap<SessionId, EnrolmentRecord>> {
    let mut open = HashMap::new();
    for enrolment in store.person_enrolments(scope, person).await? {
        if matches!(
            enrolment.status,
            EnrolmentStatus::Requested | EnrolmentStatus::Confirmed | EnrolmentStatus::Waitlisted
        ) {
            open.entry(enrolment.session_id).or_insert(enrolment);
        }
    }
    Ok(open)
}

/// Whether `from` requires `to` through the candidates' opportunity requirements (then `to`
/// cannot be made to come after `from`).
fn requires_transitively(candidates: &[Candidate], from: OpportunityId, to: OpportunityId) -> bool {
    let graph: HashMap<OpportunityId, Vec<OpportunityId>> = candidates
        .iter()
        .map(|c| {
            let needs = c
                .requires
                .iter()
                .filter_map(|r| match r {
                    Requirement::Opportunity { opportunity_id } => Some(*opportunity_id),
                    Requirement::Competency { .. } => None,
                })
                .collect();
            (c.id, needs)
        })
        .collect();
    // `to` requiring `from` is fine; a path from `from` to `to` would close a cycle.
    mycel_catalogue::dependencies::cycle_through(&graph, to, &[from]).is_some()
}

/// The person's assignments not completed yet, with their due dates.
async fn open_assignments(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    completed: &[OpportunityId],
) -> AppResult<HashMap<OpportunityId, Option<NaiveDate>>> {
    Ok(store
        .person_assignments(scope, person)
        .await?
        .into_iter()
        .filter(|a| !completed.contains(&a.opportunity_id))
        .map(|a| (a.opportunity_id, a.due))
        .collect())
}

fn require_self(acting: Acting<'_>, person: PersonId) -> AppResult<()> {
    match acting {
        Acting::Principal(mycel_organisation::Principal::Person { person_id, .. })
            if *person_id == person =>
        {
            Ok(())
        }
        Acting::Operator => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

async fn save(
    store: &dyn Store,
    scope: TenantScope,
    person: PersonId,
    settings: &PathSettings,
) -> AppResult<()> {
    let choices = serde_json::to_string(settings)
        .map_err(|e| AppError::Internal(format!("path choices: {e}")))?;
    store
        .save_path_choices(
            scope,
            &PathChoicesRecord {
                person_id: person,
                choices,
                updated_at: Utc::now().trunc_subsecs(6),
            },
        )
        .await?;
    Ok(())
}

/// A person pins, skips or moves a step of their own path. `current_order` is the order the
/// person sees (the plan's steps), which a move starts from.
pub async fn change_step(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    opportunity: OpportunityId,
    change: StepChange,
    current_order: &[OpportunityId],
) -> AppResult<()> {
    require_self(acting, person)?;
    if change == StepChange::Skip {
        let completed: Vec<OpportunityId> = store
            .person_completions(scope, person)
            .await?
            .into_iter()
            .map(|c| c.opportunity_id)
            .collect();
        if open_assignments(store, scope, person, &completed)
            .await?
            .contains_key(&opportunity)
        {
            return Err(ValidationError::new(
                "step",
                "assigned learning stays on the path; ask whoever assigned it",
            )
            .into());
        }
    }
    let mut settings = settings_of(store, scope, person).await?;
    let remove = |list: &mut Vec<OpportunityId>| list.retain(|o| *o != opportunity);
    match change {
        StepChange::Pin => {
            remove(&mut settings.skipped);
            if !settings.pinned.contains(&opportunity) {
                settings.pinned.push(opportunity);
            }
        }
        StepChange::Unpin => remove(&mut settings.pinned),
        StepChange::Skip => {
            remove(&mut settings.pinned);
            remove(&mut settings.order);
            if !settings.skipped.contains(&opportunity) {
                settings.skipped.push(opportunity);
            }
        }
        StepChange::Unskip => remove(&mut settings.skipped),
        StepChange::Earlier | StepChange::Later => {
            let mut order: Vec<OpportunityId> = current_order.to_vec();
            let Some(at) = order.iter().position(|o| *o == opportunity) else {
                return Err(ValidationError::new("step", "it is not on the path").into());
            };
            let to = match change {
                StepChange::Earlier => at.checked_sub(1),
                _ => (at + 1 < order.len()).then_some(at + 1),
            };
            if let Some(to) = to {
                order.swap(at, to);
            }
            settings.order = order;
        }
    }
    if settings.pinned.len() > MAX_LISTED
        || settings.skipped.len() > MAX_LISTED
        || settings.order.len() > MAX_LISTED
    {
        return Err(
            ValidationError::new("step", "too many steps pinned, skipped or ordered").into(),
        );
    }
    save(store, scope, person, &settings).await
}

/// A person sets their weekly learning time, languages and excluded modalities.
pub async fn set_preferences(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    weekly_minutes: u32,
    languages: Vec<String>,
    excluded_modalities: Vec<Modality>,
) -> AppResult<()> {
    require_self(acting, person)?;
    if weekly_minutes > 40 * 60 {
        return Err(ValidationError::new("weekly_minutes", "at most 40 hours a week").into());
    }
    if languages.len() > 10 || languages.iter().any(|l| l.is_empty() || l.len() > 12) {
        return Err(ValidationError::new("languages", "language codes such as de or en").into());
    }
    let mut settings = settings_of(store, scope, person).await?;
    settings.weekly_minutes = weekly_minutes;
    settings.languages = languages;
    settings.excluded_modalities = excluded_modalities;
    save(store, scope, person, &settings).await
}

/// A person switches an elective of a program on their path: they take `take` instead of
/// `instead`, two parts of the same elective group. The switch is kept with their path choices
/// and wins over the planner's choice by gaps.
pub async fn switch_elective(
    store: &dyn Store,
    acting: Acting<'_>,
    scope: TenantScope,
    person: PersonId,
    program: OpportunityId,
    take: OpportunityId,
    instead: OpportunityId,
) -> AppResult<()> {
    require_self(acting, person)?;
    let record = store.opportunity(scope, program).await?;
    if record.lifecycle != Lifecycle::Published {
        return Err(AppError::NotFound("opportunity"));
    }
    let group_of = |id: OpportunityId| {
        record
            .draft
            .parts
            .iter()
            .find(|p| p.opportunity_id == id)
            .and_then(|p| match p.kind {
                PartKind::Elective { group } => Some(group),
                _ => None,
            })
    };
    match (group_of(take), group_of(instead)) {
        (Some(a), Some(b)) if a == b && take != instead => {}
        _ => {
            return Err(ValidationError::new(
                "take",
                "switch between two electives of the same group of this program",
            )
            .into())
        }
    }
    let mut settings = settings_of(store, scope, person).await?;
    let at = match settings.electives.iter().position(|c| c.program == program) {
        Some(at) => at,
        None => {
            settings.electives.push(ElectiveChoice {
                program,
                chosen: Vec::new(),
                dropped: Vec::new(),
            });
            settings.electives.len() - 1
        }
    };
    let choice = &mut settings.electives[at];
    choice.chosen.retain(|o| *o != take && *o != instead);
    choice.chosen.insert(0, take);
    choice.dropped.retain(|o| *o != take && *o != instead);
    choice.dropped.push(instead);
    if settings.electives.len() > MAX_LISTED {
        return Err(
            ValidationError::new("program", "too many programs with switched electives").into(),
        );
    }
    save(store, scope, person, &settings).await
}
