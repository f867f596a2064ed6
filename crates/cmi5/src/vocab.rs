//! The IRIs and names cmi5 defines (spec sections 9.3, 9.4, 9.5.5, 9.6, 10, 11).

/// `launched` (9.3.1): the LMS launched the AU.
pub const VERB_LAUNCHED: &str = "http://adlnet.gov/expapi/verbs/launched";
/// `initialized` (9.3.2): the AU is ready; the first statement of a session.
pub const VERB_INITIALIZED: &str = "http://adlnet.gov/expapi/verbs/initialized";
/// `completed` (9.3.3).
pub const VERB_COMPLETED: &str = "http://adlnet.gov/expapi/verbs/completed";
/// `passed` (9.3.4).
pub const VERB_PASSED: &str = "http://adlnet.gov/expapi/verbs/passed";
/// `failed` (9.3.5).
pub const VERB_FAILED: &str = "http://adlnet.gov/expapi/verbs/failed";
/// `abandoned` (9.3.6): the LMS ended a session the AU did not terminate.
pub const VERB_ABANDONED: &str = "https://w3id.org/xapi/adl/verbs/abandoned";
/// `waived` (9.3.7): the LMS counts the AU as satisfied by other means.
pub const VERB_WAIVED: &str = "https://w3id.org/xapi/adl/verbs/waived";
/// `terminated` (9.3.8): the last statement of a session.
pub const VERB_TERMINATED: &str = "http://adlnet.gov/expapi/verbs/terminated";
/// `satisfied` (9.3.9): a block or the course met its moveOn criteria.
pub const VERB_SATISFIED: &str = "https://w3id.org/xapi/adl/verbs/satisfied";
/// The xAPI voiding verb; an AU must not use it (6.3).
pub const VERB_VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";

/// The category activity that makes a statement "cmi5 defined" (9.6.2.1).
pub const CATEGORY_CMI5: &str = "https://w3id.org/xapi/cmi5/context/categories/cmi5";
/// The category activity of statements whose result has `success` or `completion` (9.6.2.2).
pub const CATEGORY_MOVEON: &str = "https://w3id.org/xapi/cmi5/context/categories/moveon";

/// `object.definition.type` of the LMS's block objects (9.4).
pub const ACTIVITY_TYPE_BLOCK: &str = "https://w3id.org/xapi/cmi5/activitytype/block";
/// `object.definition.type` of the LMS's course objects (9.4).
pub const ACTIVITY_TYPE_COURSE: &str = "https://w3id.org/xapi/cmi5/activitytype/course";

/// Context extension: the session id (9.6.3.1).
pub const EXT_SESSION_ID: &str = "https://w3id.org/xapi/cmi5/context/extensions/sessionid";
/// Context extension: the mastery score (9.6.3.2).
pub const EXT_MASTERY_SCORE: &str = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore";
/// Context extension of "launched": the launch mode (9.6.3.3).
pub const EXT_LAUNCH_MODE: &str = "https://w3id.org/xapi/cmi5/context/extensions/launchmode";
/// Context extension of "launched": the launch URL without the cmi5 parameters (9.6.3.4).
pub const EXT_LAUNCH_URL: &str = "https://w3id.org/xapi/cmi5/context/extensions/launchurl";
/// Context extension of "launched": the moveOn value (9.6.3.6).
pub const EXT_MOVE_ON: &str = "https://w3id.org/xapi/cmi5/context/extensions/moveon";
/// Context extension of "launched": the launch parameters (9.6.3.7).
pub const EXT_LAUNCH_PARAMETERS: &str =
    "https://w3id.org/xapi/cmi5/context/extensions/launchparameters";

/// Result extension: progress 0..=100 (9.5.5.1).
pub const RESULT_EXT_PROGRESS: &str = "https://w3id.org/xapi/cmi5/result/extensions/progress";
/// Result extension of "waived": the reason (9.5.5.2).
pub const RESULT_EXT_REASON: &str = "https://w3id.org/xapi/cmi5/result/extensions/reason";

/// The `stateId` of the LMS's launch data document (10.1). Only the LMS writes it.
pub const STATE_LAUNCH_DATA: &str = "LMS.LaunchData";
/// The `profileId` of the learner preferences in the Agent Profile API (11.0).
pub const PROFILE_LEARNER_PREFERENCES: &str = "cmi5LearnerPreferences";

/// The query parameter names the LMS puts on a launch URL (8.1); an AU URL must not use them.
pub const LAUNCH_PARAMETER_NAMES: [&str; 5] =
    ["endpoint", "fetch", "actor", "registration", "activityId"];
