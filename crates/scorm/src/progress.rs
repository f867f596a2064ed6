//! A SCO's state within an attempt, and the events a commit's change of that state means.
//!
//! Events are derived from the difference between the stored state and a commit, never from the
//! commit alone, so that a commit sent twice means nothing the second time: each statement is
//! recorded once.

use crate::runtime::{Commit, Completion, ScoFacts, ScormVersion, Success};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What Mycel keeps about a SCO within an attempt besides its `cmi` data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ScoProgress {
    pub facts: ScoFacts,
    /// Sessions begun (a launch that committed at least once).
    pub sessions: u32,
    /// A session began and has not been terminated yet.
    pub session_open: bool,
}

/// What happened to a SCO, in the words of ADL's xAPI SCORM Profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    Initialized,
    Resumed,
    Completed,
    Passed,
    Failed,
    Suspended,
    Terminated,
}

impl Event {
    pub fn verb(self) -> &'static str {
        match self {
            Event::Initialized => "initialized",
            Event::Resumed => "resumed",
            Event::Completed => "completed",
            Event::Passed => "passed",
            Event::Failed => "failed",
            Event::Suspended => "suspended",
            Event::Terminated => "terminated",
        }
    }
}

impl ScoProgress {
    /// The state after `commit` and the events of the change, in order. `stored_cmi` is the `cmi`
    /// data kept from the last commit, if any: a terminating commit that repeats it exactly after
    /// the session already ended is a resend and changes nothing.
    pub fn apply(
        &self,
        version: ScormVersion,
        stored_cmi: Option<&Value>,
        commit: &Commit,
    ) -> (ScoProgress, Vec<Event>) {
        let resend = !self.session_open && stored_cmi == Some(&commit.cmi) && self.sessions > 0;
        if resend {
            return (self.clone(), Vec::new());
        }
        let mut next = self.clone();
        let mut events = Vec::new();
        if !self.session_open {
            next.sessions = self.sessions.saturating_add(1);
            next.session_open = true;
            events.push(if self.sessions > 0 && self.facts.exit == "suspend" {
                Event::Resumed
            } else {
                Event::Initialized
            });
        }
        let before = &self.facts;
        let after = &commit.facts;
        let success_changed = after.success != before.success && after.success != Success::Unknown;
        let completed_now =
            after.completion == Completion::Completed && before.completion != Completion::Completed;
        // SCORM 1.2 has one status: `passed` and `failed` say completion as well, and are
        // recorded as what they are.
        let completion_in_success = version == ScormVersion::V12 && success_changed;
        if completed_now && !completion_in_success {
            events.push(Event::Completed);
        }
        if success_changed {
            events.push(match after.success {
                Success::Passed => Event::Passed,
                _ => Event::Failed,
            });
        }
        next.facts = after.clone();
        if commit.terminated {
            next.session_open = false;
            events.push(if after.exit == "suspend" {
                Event::Suspended
            } else {
                Event::Terminated
            });
        }
        (next, events)
    }
}

/// The outcome of a whole package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PackageResult {
    Completed,
    Passed,
    Failed,
}

impl PackageResult {
    pub fn as_str(self) -> &'static str {
        match self {
            PackageResult::Completed => "completed",
            PackageResult::Passed => "passed",
            PackageResult::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "completed" => Some(Self::Completed),
            "passed" => Some(Self::Passed),
            "failed" => Some(Self::Failed),
            _ => None,
        }
    }

    pub fn event(self) -> Event {
        match self {
            PackageResult::Completed => Event::Completed,
            PackageResult::Passed => Event::Passed,
            PackageResult::Failed => Event::Failed,
        }
    }
}

/// The package's result once every SCO is done (`None` while one is not, or when it has no SCO):
/// failed if a SCO failed, passed if one passed, completed otherwise.
pub fn package_result(scos: &[Option<&ScoFacts>]) -> Option<PackageResult> {
    if scos.is_empty() {
        return None;
    }
    let mut all = Vec::with_capacity(scos.len());
    for facts in scos {
        match facts {
            Some(facts) if facts.done() => all.push(*facts),
            _ => return None,
        }
    }
    Some(if all.iter().any(|f| f.success == Success::Failed) {
        PackageResult::Failed
    } else if all.iter().any(|f| f.success == Success::Passed) {
        PackageResult::Passed
    } else {
        PackageResult::Completed
    })
}

/// The package's score: the mean of its SCOs' scaled scores, where they have one.
pub fn package_score(scos: &[Option<&ScoFacts>]) -> Option<f64> {
    let fractions: Vec<f64> = scos
        .iter()
        .flatten()
        .filter_map(|f| f.score.as_ref()?.fraction())
        .collect();
    if fractions.is_empty() {
        None
    } else {
        Some(fractions.iter().sum::<f64>() / fractions.len() as f64)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::runtime::validate_commit;
    use serde_json::json;

    fn commit12(core: Value, terminated: bool) -> Commit {
        validate_commit(
            ScormVersion::V12,
            &json!({"cmi": {"core": core}, "terminated": terminated}),
        )
        .unwrap()
    }

    #[test]
    fn a_session_is_initialized_completed_and_terminated_once() {
        let start = ScoProgress::default();
        let first = commit12(json!({"lesson_status": "incomplete"}), false);
        let (state, events) = start.apply(ScormVersion::V12, None, &first);
        assert_eq!(events, vec![Event::Initialized]);
        // The same commit again: nothing new.
        let (state, events) = state.apply(ScormVersion::V12, Some(&first.cmi), &first);
        assert_eq!(events, vec![]);
        let done = commit12(json!({"lesson_status": "completed"}), true);
        let (state, events) = state.apply(ScormVersion::V12, Some(&first.cmi), &done);
        assert_eq!(events, vec![Event::Completed, Event::Terminated]);
        assert!(!state.session_open);
        // The terminating commit resent: still nothing.
        let (again, events) = state.apply(ScormVersion::V12, Some(&done.cmi), &done);
        assert_eq!(events, vec![]);
        assert_eq!(again, state);
    }

    #[test]
    fn a_suspended_session_is_resumed() {
        let suspend = commit12(
            json!({"lesson_status": "incomplete", "exit": "suspend"}),
            true,
        );
        let (state, events) = ScoProgress::default().apply(ScormVersion::V12, None, &suspend);
        assert_eq!(events, vec![Event::Initialized, Event::Suspended]);
        let passed = commit12(
            json!({"lesson_status": "passed", "score": {"raw": "90"}}),
            false,
        );
        let (state, events) = state.apply(ScormVersion::V12, Some(&suspend.cmi), &passed);
        assert_eq!(events, vec![Event::Resumed, Event::Passed]);
        assert_eq!(state.sessions, 2);
    }

    #[test]
    fn scorm_2004_records_completion_and_success_apart() {
        let body = json!({"cmi": {"completion_status": "completed", "success_status": "failed"}});
        let commit = validate_commit(ScormVersion::V2004, &body).unwrap();
        let (_, events) = ScoProgress::default().apply(ScormVersion::V2004, None, &commit);
        assert_eq!(
            events,
            vec![Event::Initialized, Event::Completed, Event::Failed]
        );
    }

    #[test]
    fn a_package_is_done_when_every_sco_is() {
        let facts = |core: Value| commit12(core, false).facts;
        let completed = facts(json!({"lesson_status": "completed"}));
        let passed = facts(json!({"lesson_status": "passed", "score": {"raw": "80"}}));
        let failed = facts(json!({"lesson_status": "failed", "score": {"raw": "20"}}));
        let incomplete = facts(json!({"lesson_status": "incomplete"}));
        assert_eq!(package_result(&[]), None);
        assert_eq!(package_result(&[Some(&completed), None]), None);
        assert_eq!(package_result(&[Some(&completed), Some(&incomplete)]), None);
        assert_eq!(
            package_result(&[Some(&completed), Some(&completed)]),
            Some(PackageResult::Completed)
        );
        assert_eq!(
            package_result(&[Some(&completed), Some(&passed)]),
            Some(PackageResult::Passed)
        );
        assert_eq!(
            package_result(&[Some(&failed), Some(&passed)]),
            Some(PackageResult::Failed)
        );
        let score = package_score(&[Some(&passed), Some(&failed), Some(&completed)]).unwrap();
        assert!((score - 0.5).abs() < 1e-9);
    }
}
