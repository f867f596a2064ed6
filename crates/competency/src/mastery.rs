//! Mastery estimation: a level and a confidence per person and competency, from evidence.
//!
//! The estimate is a weighted mean of the evidence's levels. Each piece weighs as much as its kind
//! deserves ([`MasteryParams`]) and loses half of that every half-life, so that old evidence fades
//! instead of vanishing on a cut-off date. Ratings by different people are combined, never
//! overwritten: a manager's 1 and a self-assessment's 3 are two views of one person, and the
//! estimate lies between them, closer to the one that weighs more. Only the same rater's newer
//! rating of the same kind replaces their older one, because that is them changing their mind.
//!
//! The confidence says how far to trust the level: it grows with the total weight of the evidence
//! and shrinks when the evidence disagrees. Pages show it next to the level; the planner uses it to
//! prefer assessing over teaching when it is low. `docs/mastery.md` works through an example.

use crate::evidence::{Evidence, EvidenceKind};
use crate::scale::Level;
use chrono::{DateTime, Utc};
use mycel_organisation::{EvidenceId, PersonId};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// How much one kind of evidence counts and how fast it fades.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KindParams {
    /// The weight of a piece observed just now. Zero turns the kind off; a negative or non-finite
    /// weight counts as zero.
    pub weight: f64,
    /// After this many days a piece weighs half as much, after twice as many a quarter. `inf`
    /// means it never fades; zero, negative or NaN is treated the same way, so that a
    /// misconfiguration never silently discards evidence (see [`MasteryParams::check`]).
    pub half_life_days: f64,
}

impl KindParams {
    pub const fn new(weight: f64, half_life_days: f64) -> Self {
        Self {
            weight,
            half_life_days,
        }
    }

    /// The weight of a piece `age_days` old (never negative, never NaN).
    fn weight_at(self, age_days: f64) -> f64 {
        if !(self.weight.is_finite() && self.weight > 0.0) {
            return 0.0;
        }
        let decay = if self.half_life_days.is_finite() && self.half_life_days > 0.0 {
            (-age_days.max(0.0) / self.half_life_days).exp2()
        } else {
            1.0
        };
        self.weight * decay
    }
}

/// The parameters of the estimate, per evidence kind plus the confidence saturation constant.
/// The defaults are justified in `docs/mastery.md`; a tenant may override them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MasteryParams {
    pub self_assessment: KindParams,
    pub manager_assessment: KindParams,
    pub peer_assessment: KindParams,
    pub trainer_assessment: KindParams,
    pub test_result: KindParams,
    pub statement: KindParams,
    pub credential: KindParams,
    pub journal: KindParams,
    /// The total weight at which confidence reaches 1 − 1/e ≈ 63 % (before the disagreement
    /// discount): confidence grows as 1 − exp(−W / k). A non-positive or non-finite value is
    /// treated as the default.
    pub confidence_saturation: f64,
}

impl Default for MasteryParams {
    fn default() -> Self {
        Self {
            // The person's own view counts, but self-ratings are known to be biased (both ways).
            self_assessment: KindParams::new(0.3, 365.0),
            // Sees the work day by day; yearly reviews (Mitarbeitergespräch) renew it.
            manager_assessment: KindParams::new(0.7, 365.0),
            // Sees the work too, but colleagues rate each other kindly and less systematically.
            peer_assessment: KindParams::new(0.5, 365.0),
            // A trained observer, but of a course or session rather than of the daily work.
            trainer_assessment: KindParams::new(0.7, 365.0),
            // Objective and scored; what was tested fades or changes within a few years.
            test_result: KindParams::new(1.0, 730.0),
            // Shows an aligned activity was done (and how well), not that it is mastered at work.
            statement: KindParams::new(0.6, 365.0),
            // Attested by an issuer after an examination; it fades slowly (a validity period, where
            // there is one, is enforced by certification tracking, not here).
            credential: KindParams::new(1.0, 1825.0),
            // Self-reported reflection, weak until confirmed, and about a moment.
            journal: KindParams::new(0.15, 180.0),
            confidence_saturation: MasteryParams::DEFAULT_CONFIDENCE_SATURATION,
        }
    }
}

/// A parameter that would make estimates meaningless.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum MasteryParamsError {
    #[error("the weight of {kind} must be a finite number of at least 0, not {value}")]
    Weight { kind: &'static str, value: f64 },
    #[error(
        "the half-life of {kind} must be a positive number of days (or infinite), not {value}"
    )]
    HalfLife { kind: &'static str, value: f64 },
    #[error("the confidence saturation must be a positive finite number, not {value}")]
    ConfidenceSaturation { value: f64 },
}

impl MasteryParams {
    pub const DEFAULT_CONFIDENCE_SATURATION: f64 = 1.5;

    /// The parameters of one kind.
    pub fn kind(&self, kind: EvidenceKind) -> KindParams {
        match kind {
            EvidenceKind::SelfAssessment => self.self_assessment,
            EvidenceKind::ManagerAssessment => self.manager_assessment,
            EvidenceKind::PeerAssessment => self.peer_assessment,
            EvidenceKind::TrainerAssessment => self.trainer_assessment,
            EvidenceKind::TestResult => self.test_result,
            EvidenceKind::Statement => self.statement,
            EvidenceKind::Credential => self.credential,
            EvidenceKind::Journal => self.journal,
        }
    }

    /// Whether every parameter is meaningful; for checking configuration when it is loaded. The
    /// estimate itself never fails on bad parameters (see [`KindParams`] for what it does).
    pub fn check(&self) -> Result<(), MasteryParamsError> {
        for kind in EvidenceKind::ALL {
            let params = self.kind(kind);
            if !(params.weight.is_finite() && params.weight >= 0.0) {
                return Err(MasteryParamsError::Weight {
                    kind: kind.as_str(),
                    value: params.weight,
                });
            }
            if params.half_life_days.is_nan() || params.half_life_days <= 0.0 {
                return Err(MasteryParamsError::HalfLife {
                    kind: kind.as_str(),
                    value: params.half_life_days,
                });
            }
        }
        let k = self.confidence_saturation;
        if !(k.is_finite() && k > 0.0) {
            return Err(MasteryParamsError::ConfidenceSaturation { value: k });
        }
        Ok(())
    }

    fn saturation(&self) -> f64 {
        let k = self.confidence_saturation;
        if k.is_finite() && k > 0.0 {
            k
        } else {
            Self::DEFAULT_CONFIDENCE_SATURATION
        }
    }
}

/// A person's estimated level in one competency, with its explanation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MasteryEstimate {
    /// The weighted mean of the evidence's levels.
    pub level: Level,
    /// How far to trust `level`, from 0 (not at all) to 1.
    pub confidence: f64,
    /// How many pieces of evidence carry weight (contributions neither superseded nor of a kind
    /// weighted zero).
    pub evidence_count: usize,
    /// Every piece of evidence observed by the time of the estimate, superseded ones included,
    /// grouped by kind (in [`EvidenceKind`] order), then by rater, oldest first.
    pub contributions: Vec<Contribution>,
}

/// What one piece of evidence contributes to an estimate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    pub evidence_id: EvidenceId,
    pub kind: EvidenceKind,
    pub author_id: Option<PersonId>,
    pub observed_at: DateTime<Utc>,
    pub level: Level,
    /// Kind weight × 0.5^(age in days / half-life); 0 if superseded.
    pub weight: f64,
    /// `weight` as a fraction of all contributions' weights (the shares add up to 1).
    pub share: f64,
    /// An earlier rating replaced by the same rater's later rating of the same kind.
    pub superseded: bool,
}

/// Estimates from evidence this long (in pieces) are sorted in a buffer on the stack, so that
/// [`estimate_level`] allocates nothing for the usual person and competency.
const STACK_EVIDENCE: usize = 64;

/// Estimates a person's level in one competency at time `at` from the evidence about it (the
/// caller passes one person's evidence for one competency).
///
/// Evidence observed after `at` is left out, so an estimate can be recomputed for any past date.
/// Returns `None` if nothing carries weight at `at`: no evidence, all of it later than `at`, or
/// only kinds weighted zero. The result depends only on the evidence, not on its order.
pub fn estimate(
    evidence: &[Evidence],
    at: DateTime<Utc>,
    params: &MasteryParams,
) -> Option<MasteryEstimate> {
    let mut contributions: Vec<Contribution> = evidence
        .iter()
        .filter(|e| e.observed_at <= at)
        .map(|e| Contribution {
            evidence_id: e.id,
            kind: e.kind,
            author_id: e.author_id,
            observed_at: e.observed_at,
            level: e.level,
            weight: 0.0,
            share: 0.0,
            superseded: false,
        })
        .collect();
    contributions.sort_unstable_by(|a, b| {
        canonical_order(
            (
                a.kind,
                rater(a.kind, a.author_id),
                a.observed_at,
                a.evidence_id,
                a.level,
            ),
            (
                b.kind,
                rater(b.kind, b.author_id),
                b.observed_at,
                b.evidence_id,
                b.level,
            ),
        )
    });
    let mut stats = WeightedStats::default();
    for i in 0..contributions.len() {
        let superseded = contributions.get(i + 1).is_some_and(|next| {
            let c = &contributions[i];
            replaced_by(c.kind, c.author_id, next.kind, next.author_id)
        });
        let c = &mut contributions[i];
        c.superseded = superseded;
        if !superseded {
            c.weight = params.kind(c.kind).weight_at(age_days(c.observed_at, at));
            stats.add(c.level.value(), c.weight);
        }
    }
    let (level, confidence) = stats.finish(params)?;
    let total = stats.total_weight;
    let mut evidence_count = 0;
    for c in &mut contributions {
        c.share = c.weight / total;
        evidence_count += usize::from(c.weight > 0.0);
    }
    Some(MasteryEstimate {
        level,
        confidence,
        evidence_count,
        contributions,
    })
}

/// The level and confidence that [`estimate`] would give, bit for bit, without building the
/// explanation; for recomputing many profiles at once. Allocates nothing for up to 64 pieces.
pub fn estimate_level(
    evidence: &[Evidence],
    at: DateTime<Utc>,
    params: &MasteryParams,
) -> Option<(Level, f64)> {
    if evidence.len() <= STACK_EVIDENCE {
        let mut buffer = [0usize; STACK_EVIDENCE];
        estimate_level_with(evidence, at, params, &mut buffer)
    } else {
        let mut buffer = vec![0usize; evidence.len()];
        estimate_level_with(evidence, at, params, &mut buffer)
    }
}

fn estimate_level_with(
    evidence: &[Evidence],
    at: DateTime<Utc>,
    params: &MasteryParams,
    buffer: &mut [usize],
) -> Option<(Level, f64)> {
    let mut len = 0;
    for (i, e) in evidence.iter().enumerate() {
        if e.observed_at <= at {
            if let Some(slot) = buffer.get_mut(len) {
                *slot = i;
                len += 1;
            }
        }
    }
    let order = buffer.get_mut(..len)?;
    let key = |e: &Evidence| {
        (
            e.kind,
            rater(e.kind, e.author_id),
            e.observed_at,
            e.id,
            e.level,
        )
    };
    order.sort_unstable_by(|&a, &b| match (evidence.get(a), evidence.get(b)) {
        (Some(a), Some(b)) => canonical_order(key(a), key(b)),
        _ => a.cmp(&b),
    });
    let mut stats = WeightedStats::default();
    let mut pieces = order.iter().filter_map(|&i| evidence.get(i)).peekable();
    while let Some(e) = pieces.next() {
        let superseded = pieces
            .peek()
            .is_some_and(|next| replaced_by(e.kind, e.author_id, next.kind, next.author_id));
        if !superseded {
            let weight = params.kind(e.kind).weight_at(age_days(e.observed_at, at));
            stats.add(e.level.value(), weight);
        }
    }
    stats.finish(params)
}

/// Who gave a rating, for deciding which ratings replace which. Observations have no rater (each
/// counts); a rating without an author has none either, except a self-assessment, whose rater is
/// the person themself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rater {
    Person(PersonId),
    /// A self-assessment stored without an author: the subject, whose id the caller knows.
    Subject,
}

fn rater(kind: EvidenceKind, author_id: Option<PersonId>) -> Option<Rater> {
    match (kind.is_rating(), author_id, kind) {
        (false, _, _) => None,
        (true, Some(author), _) => Some(Rater::Person(author)),
        (true, None, EvidenceKind::SelfAssessment) => Some(Rater::Subject),
        (true, None, _) => None,
    }
}

/// Whether a rating is replaced by the piece that follows it in canonical order: the same kind
/// from the same rater, hence later (or, at the same instant, of a greater id).
fn replaced_by(
    kind: EvidenceKind,
    author_id: Option<PersonId>,
    next_kind: EvidenceKind,
    next_author_id: Option<PersonId>,
) -> bool {
    let own = rater(kind, author_id);
    kind == next_kind && own.is_some() && own == rater(next_kind, next_author_id)
}

type OrderKey = (
    EvidenceKind,
    Option<Rater>,
    DateTime<Utc>,
    EvidenceId,
    Level,
);

/// A total order on evidence: kind, rater, time, id, level. Sorting by it puts a rater's ratings
/// of one kind next to each other, oldest first, so the ones to replace are found by looking at
/// the next piece; and it fixes the order in which the sums are taken, so the result is identical
/// bit for bit whatever order the evidence came in.
fn canonical_order(a: OrderKey, b: OrderKey) -> Ordering {
    a.0.cmp(&b.0)
        .then_with(|| a.1.cmp(&b.1))
        .then_with(|| a.2.cmp(&b.2))
        .then_with(|| a.3.cmp(&b.3))
        .then_with(|| a.4.value().total_cmp(&b.4.value()))
}

fn age_days(observed_at: DateTime<Utc>, at: DateTime<Utc>) -> f64 {
    at.signed_duration_since(observed_at).num_milliseconds() as f64 / 86_400_000.0
}

/// Weighted mean and variance in one pass (West's incremental algorithm, numerically stable).
#[derive(Default)]
struct WeightedStats {
    total_weight: f64,
    mean: f64,
    /// Sum of weight × squared deviation from the mean.
    spread: f64,
}

impl WeightedStats {
    fn add(&mut self, value: f64, weight: f64) {
        // Zero adds nothing; the weights reaching here are never negative or NaN.
        if weight.is_nan() || weight <= 0.0 {
            return;
        }
        self.total_weight += weight;
        let delta = value - self.mean;
        self.mean += delta * (weight / self.total_weight);
        self.spread += weight * delta * (value - self.mean);
    }

    /// The level and confidence, `None` without weight.
    ///
    /// confidence = (1 − exp(−W / k)) × (1 − σ / 2), where W is the total weight, k the saturation
    /// constant and σ the weighted standard deviation of the levels. σ is at most 2 on a 0–4 scale
    /// (half the weight at 0, half at 4), so the second factor runs from 1 (all agree) to 0
    /// (evenly split between the extremes).
    fn finish(&self, params: &MasteryParams) -> Option<(Level, f64)> {
        if !(self.total_weight > 0.0 && self.total_weight.is_finite()) {
            return None;
        }
        let deviation = (self.spread / self.total_weight).max(0.0).sqrt();
        let amount = 1.0 - (-self.total_weight / params.saturation()).exp();
        let agreement = 1.0 - deviation / ((Level::MAX - Level::MIN) / 2.0);
        let confidence = (amount * agreement).clamp(0.0, 1.0);
        Some((Level::clamped(self.mean), confidence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeDelta, TimeZone};
    use mycel_organisation::CompetencyId;
    use proptest::prelude::*;

    const EPS: f64 = 1e-12;

    fn uuid_id<T: std::str::FromStr>(n: u128) -> T
    where
        T::Err: std::fmt::Debug,
    {
        format!("{n:032x}").parse().unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap()
    }

    /// Evidence `n` of person 1 in competency 1, observed `days_ago` days before [`now`].
    fn ev(
        n: u128,
        kind: EvidenceKind,
        level: f64,
        days_ago: i64,
        author: Option<u128>,
    ) -> Evidence {
        let observed_at = now() - TimeDelta::days(days_ago);
        Evidence {
            id: uuid_id(n),
            person_id: uuid_id(1),
            competency_id: uuid_id::<CompetencyId>(1),
            kind,
            level: Level::new(level).unwrap(),
            observed_at,
            author_id: author.map(uuid_id),
            source: format!("evidence {n}"),
            link: None,
            note: None,
            recorded_at: observed_at,
        }
    }

    fn run(evidence: &[Evidence]) -> MasteryEstimate {
        estimate(evidence, now(), &MasteryParams::default()).unwrap()
    }

    fn contribution(estimate: &MasteryEstimate, n: u128) -> &Contribution {
        let id: EvidenceId = uuid_id(n);
        estimate
            .contributions
            .iter()
            .find(|c| c.evidence_id == id)
            .unwrap()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-9,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn no_evidence_gives_no_estimate() {
        assert_eq!(estimate(&[], now(), &MasteryParams::default()), None);
        assert_eq!(estimate_level(&[], now(), &MasteryParams::default()), None);
    }

    #[test]
    fn single_self_assessment() {
        // W = 0.3 (self, today); level 3; σ = 0;
        // confidence = (1 − e^(−0.3/1.5)) × 1 = 1 − e^(−0.2) = 0.181269…
        let e = run(&[ev(10, EvidenceKind::SelfAssessment, 3.0, 0, Some(1))]);
        assert_eq!(e.level.value(), 3.0);
        assert_close(e.confidence, 0.181_269_246_922_018_2);
        assert_eq!(e.evidence_count, 1);
        assert_eq!(e.contributions.len(), 1);
        assert_close(e.contributions[0].weight, 0.3);
        assert_eq!(e.contributions[0].share, 1.0);
        assert!(!e.contributions[0].superseded);
    }

    #[test]
    fn self_and_manager_are_combined_not_overwritten() {
        // Self 3 (w 0.3) and manager 1 (w 0.7), both today.
        // level = (0.3·3 + 0.7·1) / 1.0 = 1.6
        // σ² = 0.3·(3 − 1.6)² + 0.7·(1 − 1.6)² = 0.588 + 0.252 = 0.84 → σ = 0.916515…
        // confidence = (1 − e^(−1/1.5)) × (1 − 0.916515/2) = 0.486583 × 0.541742 = 0.263603
        let e = run(&[
            ev(10, EvidenceKind::SelfAssessment, 3.0, 0, Some(1)),
            ev(11, EvidenceKind::ManagerAssessment, 1.0, 0, Some(2)),
        ]);
        assert_close(e.level.value(), 1.6);
        assert_close(e.confidence, 0.263_602_592_577_124_6);
        assert_eq!(e.evidence_count, 2);
        assert_close(contribution(&e, 10).share, 0.3);
        assert_close(contribution(&e, 11).share, 0.7);
    }

    #[test]
    fn a_raters_later_rating_replaces_their_earlier_one() {
        // Manager 2 rated 1, then 3: only the 3 counts. Manager 3's 2 still counts beside it.
        let e = run(&[
            ev(10, EvidenceKind::ManagerAssessment, 1.0, 100, Some(2)),
            ev(11, EvidenceKind::ManagerAssessment, 3.0, 0, Some(2)),
        ]);
        assert_eq!(e.level.value(), 3.0);
        assert_eq!(e.evidence_count, 1);
        let earlier = contribution(&e, 10);
        assert!(earlier.superseded);
        assert_eq!((earlier.weight, earlier.share), (0.0, 0.0));
        assert!(!contribution(&e, 11).superseded);

        let e = run(&[
            ev(10, EvidenceKind::ManagerAssessment, 1.0, 100, Some(2)),
            ev(11, EvidenceKind::ManagerAssessment, 3.0, 0, Some(2)),
            ev(12, EvidenceKind::ManagerAssessment, 2.0, 0, Some(3)),
        ]);
        // Two managers, equal weight 0.7 today: (3 + 2) / 2.
        assert_close(e.level.value(), 2.5);
        assert_eq!(e.evidence_count, 2);
    }

    #[test]
    fn the_same_person_in_another_role_is_another_rating() {
        // Person 2 rated as a peer and later as a trainer: different kinds, both count.
        // (0.5·1 + 0.7·3) / 1.2 = 2.6 / 1.2 = 2.1666…
        let e = run(&[
            ev(10, EvidenceKind::PeerAssessment, 1.0, 10, Some(2)),
            ev(11, EvidenceKind::TrainerAssessment, 3.0, 10, Some(2)),
        ]);
        assert_close(e.level.value(), 2.6 / 1.2);
        assert_eq!(e.evidence_count, 2);
    }

    #[test]
    fn ratings_without_author_each_count_except_self_assessments() {
        // Two anonymous peer ratings: both count, (1 + 3) / 2.
        let e = run(&[
            ev(10, EvidenceKind::PeerAssessment, 1.0, 5, None),
            ev(11, EvidenceKind::PeerAssessment, 3.0, 5, None),
        ]);
        assert_close(e.level.value(), 2.0);
        assert_eq!(e.evidence_count, 2);
        // A self-assessment's rater is the person themself, with or without an author.
        let e = run(&[
            ev(10, EvidenceKind::SelfAssessment, 1.0, 10, None),
            ev(11, EvidenceKind::SelfAssessment, 3.0, 5, None),
        ]);
        assert_eq!(e.level.value(), 3.0);
        assert!(contribution(&e, 10).superseded);
    }

    #[test]
    fn observations_each_count() {
        // Two test results: 1 (365 days, w 1.0·2^(−0.5)) and 3 (today, w 1.0).
        // level = (0.707107·1 + 1·3) / 1.707107 = 2.171573
        let e = run(&[
            ev(10, EvidenceKind::TestResult, 1.0, 365, Some(2)),
            ev(11, EvidenceKind::TestResult, 3.0, 0, Some(2)),
        ]);
        let old = 0.5f64.sqrt();
        assert_close(e.level.value(), (old + 3.0) / (old + 1.0));
        assert_eq!(e.evidence_count, 2);
    }

    #[test]
    fn one_half_life_halves_the_weight() {
        let params = MasteryParams::default();
        for kind in EvidenceKind::ALL {
            let p = params.kind(kind);
            let days = p.half_life_days as i64;
            let e = run(&[ev(10, kind, 2.0, days, Some(2))]);
            assert_close(e.contributions[0].weight, p.weight / 2.0);
            let e = run(&[ev(10, kind, 2.0, 2 * days, Some(2))]);
            assert_close(e.contributions[0].weight, p.weight / 4.0);
        }
    }

    #[test]
    fn decay_shifts_the_level_towards_recent_evidence() {
        // Test 1 two half-lives ago (w 0.25), test 3 today (w 1): (0.25 + 3) / 1.25 = 2.6.
        let e = run(&[
            ev(10, EvidenceKind::TestResult, 1.0, 1460, None),
            ev(11, EvidenceKind::TestResult, 3.0, 0, None),
        ]);
        assert_close(e.level.value(), 2.6);
        assert_close(contribution(&e, 10).share, 0.2);
    }

    #[test]
    fn evidence_observed_after_the_estimate_date_is_ignored() {
        let future = ev(11, EvidenceKind::TestResult, 4.0, -1, None);
        assert_eq!(
            estimate(
                std::slice::from_ref(&future),
                now(),
                &MasteryParams::default()
            ),
            None
        );
        let e = run(&[
            ev(10, EvidenceKind::TestResult, 1.0, 0, None),
            future.clone(),
        ]);
        assert_eq!(e.level.value(), 1.0);
        assert_eq!(e.contributions.len(), 1);
        // A later re-rating does not supersede a rating that counted at the time.
        let e = run(&[
            ev(10, EvidenceKind::ManagerAssessment, 2.0, 3, Some(2)),
            ev(11, EvidenceKind::ManagerAssessment, 4.0, -3, Some(2)),
        ]);
        assert_eq!(e.level.value(), 2.0);
        assert!(!e.contributions[0].superseded);
    }

    /// The example of docs/mastery.md; keep the two in step.
    #[test]
    fn worked_example_of_the_documentation() {
        let evidence = [
            ev(1, EvidenceKind::ManagerAssessment, 1.0, 730, Some(20)),
            ev(2, EvidenceKind::TestResult, 2.5, 730, None),
            ev(3, EvidenceKind::ManagerAssessment, 2.0, 365, Some(20)),
            ev(4, EvidenceKind::Journal, 4.0, 180, None),
            ev(5, EvidenceKind::SelfAssessment, 3.0, 0, Some(1)),
        ];
        let e = run(&evidence);
        // Weights: manager 0.7·½ = 0.35, test 1.0·½ = 0.5, journal 0.15·½ = 0.075, self 0.3;
        // W = 1.225. level = (0.35·2 + 0.5·2.5 + 0.075·4 + 0.3·3) / 1.225 = 3.15 / 1.225 = 18/7.
        assert_close(e.level.value(), 18.0 / 7.0);
        assert!(contribution(&e, 1).superseded);
        assert_close(contribution(&e, 3).weight, 0.35);
        assert_close(contribution(&e, 2).weight, 0.5);
        assert_close(contribution(&e, 4).weight, 0.075);
        assert_close(contribution(&e, 5).weight, 0.3);
        assert_close(contribution(&e, 3).share, 14.0 / 49.0);
        assert_close(contribution(&e, 2).share, 20.0 / 49.0);
        assert_close(contribution(&e, 4).share, 3.0 / 49.0);
        assert_close(contribution(&e, 5).share, 12.0 / 49.0);
        // σ² = 0.325 / 1.225 = 13/49, σ = √13/7 = 0.515079;
        // confidence = (1 − e^(−1.225/1.5)) × (1 − σ/2) = 0.558098 × 0.742461 = 0.414366.
        let expected = (1.0 - (-1.225f64 / 1.5).exp()) * (1.0 - 13f64.sqrt() / 14.0);
        assert_close(e.confidence, expected);
        assert!((e.confidence - 0.414_366).abs() < 1e-6);
        assert_eq!(e.evidence_count, 4);
        assert_eq!(e.contributions.len(), 5);
        // Grouped by kind in EvidenceKind order, oldest first within a rater.
        let order: Vec<EvidenceId> = e.contributions.iter().map(|c| c.evidence_id).collect();
        let expected_order: Vec<EvidenceId> = [5, 1, 3, 2, 4].into_iter().map(uuid_id).collect();
        assert_eq!(order, expected_order);
    }

    #[test]
    fn more_agreeing_evidence_raises_confidence() {
        // One test at 2: 1 − e^(−1/1.5) = 0.486583; two: 1 − e^(−2/1.5) = 0.736403.
        let one = run(&[ev(10, EvidenceKind::TestResult, 2.0, 0, None)]);
        let two = run(&[
            ev(10, EvidenceKind::TestResult, 2.0, 0, None),
            ev(11, EvidenceKind::TestResult, 2.0, 0, None),
        ]);
        let three = run(&[
            ev(10, EvidenceKind::TestResult, 2.0, 0, None),
            ev(11, EvidenceKind::TestResult, 2.0, 0, None),
            ev(12, EvidenceKind::ManagerAssessment, 2.0, 0, Some(2)),
        ]);
        assert_close(one.confidence, 0.486_582_880_967_408);
        assert_close(two.confidence, 0.736_402_861_884_273_3);
        assert!(three.confidence > two.confidence);
        assert!(three.confidence < 1.0);
    }

    #[test]
    fn disagreement_lowers_confidence_at_equal_weight() {
        // Tests at 1 and 3 vs. two at 2: same mean and weight, σ = 1 vs 0, so half the confidence.
        let agree = run(&[
            ev(10, EvidenceKind::TestResult, 2.0, 0, None),
            ev(11, EvidenceKind::TestResult, 2.0, 0, None),
        ]);
        let disagree = run(&[
            ev(10, EvidenceKind::TestResult, 1.0, 0, None),
            ev(11, EvidenceKind::TestResult, 3.0, 0, None),
        ]);
        assert_eq!(agree.level, disagree.level);
        assert_close(disagree.confidence, agree.confidence / 2.0);
        // Evenly split between the extremes: no confidence at all.
        let split = run(&[
            ev(10, EvidenceKind::TestResult, 0.0, 0, None),
            ev(11, EvidenceKind::TestResult, 4.0, 0, None),
        ]);
        assert!(split.confidence.abs() < EPS);
    }

    #[test]
    fn estimate_level_matches_estimate_bit_for_bit() {
        let mut evidence = vec![
            ev(1, EvidenceKind::ManagerAssessment, 1.0, 730, Some(20)),
            ev(2, EvidenceKind::TestResult, 2.5, 730, None),
            ev(3, EvidenceKind::ManagerAssessment, 2.0, 365, Some(20)),
            ev(4, EvidenceKind::Journal, 4.0, 180, None),
            ev(5, EvidenceKind::SelfAssessment, 3.0, 0, Some(1)),
        ];
        let params = MasteryParams::default();
        let full = estimate(&evidence, now(), &params).unwrap();
        assert_eq!(
            estimate_level(&evidence, now(), &params),
            Some((full.level, full.confidence))
        );
        // Beyond the stack buffer.
        for n in 0..100u128 {
            let kind = EvidenceKind::ALL[(n % 8) as usize];
            evidence.push(ev(
                100 + n,
                kind,
                (n % 5) as f64,
                (n * 7) as i64,
                Some(n % 3),
            ));
        }
        let full = estimate(&evidence, now(), &params).unwrap();
        assert_eq!(
            estimate_level(&evidence, now(), &params),
            Some((full.level, full.confidence))
        );
    }

    #[test]
    fn kinds_weighted_zero_do_not_count() {
        let params = MasteryParams {
            journal: KindParams::new(0.0, 180.0),
            ..MasteryParams::default()
        };
        let journal = ev(10, EvidenceKind::Journal, 4.0, 0, None);
        assert_eq!(
            estimate(std::slice::from_ref(&journal), now(), &params),
            None
        );
        let e = estimate(
            &[journal, ev(11, EvidenceKind::TestResult, 2.0, 0, None)],
            now(),
            &params,
        )
        .unwrap();
        assert_eq!(e.level.value(), 2.0);
        assert_eq!(e.evidence_count, 1);
        assert_eq!(e.contributions.len(), 2);
    }

    #[test]
    fn bad_parameters_are_reported_and_do_not_break_the_estimate() {
        let params = MasteryParams {
            test_result: KindParams::new(f64::NAN, f64::NAN),
            statement: KindParams::new(1.0, f64::NAN),
            confidence_saturation: f64::NAN,
            ..MasteryParams::default()
        };
        assert!(matches!(
            params.check(),
            Err(MasteryParamsError::Weight {
                kind: "test_result",
                ..
            })
        ));
        assert_eq!(MasteryParams::default().check(), Ok(()));
        let never_fades = MasteryParams {
            credential: KindParams::new(1.0, f64::INFINITY),
            ..MasteryParams::default()
        };
        assert_eq!(never_fades.check(), Ok(()));
        let e = estimate(
            &[
                ev(10, EvidenceKind::TestResult, 4.0, 0, None),
                ev(11, EvidenceKind::Statement, 2.0, 10_000, None),
            ],
            now(),
            &params,
        )
        .unwrap();
        // The NaN-weighted test counts zero; the statement does not fade; k falls back to 1.5.
        assert_eq!(e.level.value(), 2.0);
        assert_close(e.contributions[1].weight, 1.0);
        assert_close(e.confidence, 1.0 - (-1.0f64 / 1.5).exp());
    }

    fn arb_evidence() -> impl Strategy<Value = Vec<Evidence>> {
        let piece = (
            0usize..8,
            0.0f64..=4.0,
            -30i64..2000,
            prop::option::of(0u128..3),
            0u32..3,
        );
        prop::collection::vec(piece, 0..40).prop_map(|pieces| {
            pieces
                .into_iter()
                .enumerate()
                .map(|(n, (kind, level, days_ago, author, id_clash))| {
                    // Some ids repeat to exercise the tie-breaks of the order.
                    let id = if id_clash == 0 { 7 } else { 1000 + n as u128 };
                    // Coarse days so that times collide as well.
                    ev(
                        id,
                        EvidenceKind::ALL[kind],
                        level,
                        days_ago / 10 * 10,
                        author,
                    )
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn order_of_the_evidence_does_not_matter(
            (evidence, shuffled) in arb_evidence()
                .prop_flat_map(|v| (Just(v.clone()), Just(v).prop_shuffle()))
        ) {
            let params = MasteryParams::default();
            prop_assert_eq!(
                estimate(&evidence, now(), &params),
                estimate(&shuffled, now(), &params)
            );
            prop_assert_eq!(
                estimate_level(&evidence, now(), &params),
                estimate_level(&shuffled, now(), &params)
            );
        }

        #[test]
        fn estimates_stay_within_their_evidence(evidence in arb_evidence()) {
            let params = MasteryParams::default();
            let Some(e) = estimate(&evidence, now(), &params) else {
                prop_assert!(evidence.iter().all(|e| e.observed_at > now()));
                return Ok(());
            };
            let counted = e.contributions.iter().filter(|c| c.weight > 0.0);
            let (min, max) = counted.fold((f64::MAX, f64::MIN), |(min, max), c| {
                (min.min(c.level.value()), max.max(c.level.value()))
            });
            prop_assert!(e.level.value() >= min - 1e-9 && e.level.value() <= max + 1e-9);
            prop_assert!((0.0..=1.0).contains(&e.confidence));
            let shares: f64 = e.contributions.iter().map(|c| c.share).sum();
            prop_assert!((shares - 1.0).abs() < 1e-9);
            prop_assert_eq!(
                e.evidence_count,
                e.contributions.iter().filter(|c| !c.superseded).count()
            );
            prop_assert_eq!(
                estimate_level(&evidence, now(), &params),
                Some((e.level, e.confidence))
            );
        }
    }
}
