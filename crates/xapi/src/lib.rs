//! xAPI statements as plain Rust, for Mycel's learning record store (LRS): strict validation under
//! xAPI 1.0.3 and xAPI 2.0 (IEEE 9274.1.1-2023), and what an LRS derives from a statement to store,
//! index, query and return it. No HTTP and no SQL in here; the LRS endpoints build on it.
//!
//! # Entry points
//! - [`XapiVersion::from_header`]: the rule set, from the `X-Experience-API-Version` header.
//! - [`validate_statement`] / [`validate_batch`]: the first broken rule with the JSON path of the
//!   offending property ([`StatementError`]), or the index within a batch ([`BatchError`]).
//! - [`prepare_statement`]: validation plus what the LRS assigns before storing (`id`, `stored`,
//!   `authority`, `timestamp` in UTC, default `version`, array-shaped `contextActivities`) and the
//!   facts to index.
//! - [`StatementFacts::from_statement`]: ids, actor, verb, object, registration, related activities
//!   and agents, voided statement, attachments; [`AgentKey`] is the canonical agent identity.
//! - [`normalize_statement`], [`format_ids`], [`format_canonical`], [`parse_accept_language`]: the
//!   stored shape and the `format` parameter of `GET statements`.
//! - [`statements_match`]: whether a statement re-sent with a known id is the same statement
//!   (else `409 Conflict`), and whether a signed statement matches its JWS payload.
//! - [`parse_agent_param`]: the `agent` query parameter; [`person_object`]: the agents resource.
//! - [`merge_documents`]: POST to the document resources.
//! - [`datatypes`]: the special data types on their own (xAPI Data §4): durations, timestamps,
//!   IRIs, language tags, UUIDs, digests, media types.
//!
//! # Rules enforced (both versions unless noted)
//! - Structure: a statement is a JSON object; `actor`, `verb`, `object` are required; only the
//!   properties the specification defines are allowed at every level, in exact case; no property
//!   may be `null` except the values inside `extensions`; every value has its required JSON type
//!   (no numbers or booleans as strings).
//! - `id`, `context.registration`, StatementRef ids: UUIDs in hyphenated string form.
//! - Actors: an Agent has exactly one IFI (`mbox` as `mailto:` IRI, scheme in lower case;
//!   `mbox_sha1sum` as 40 hex digits; `openid` as URI; `account` with `homePage` IRL and string
//!   `name`); a Group has
//!   `objectType: "Group"`, at most one IFI and, when anonymous, a non-empty `member` array; members
//!   are Agents, never Groups; `name` is a string. `objectType` of an actor is `Agent` or `Group`.
//! - Verb: `id` IRI required, `display` a language map.
//! - Object: `objectType` is `Activity` (default), `Agent`, `Group`, `StatementRef` or `SubStatement`;
//!   Agents and Groups as object need `objectType`. Activity `id` IRI; definition `name` and
//!   `description` language maps, `type` IRI, `moreInfo` IRL, `interactionType` one of the ten values
//!   in exact case and required when `correctResponsesPattern` or a component list is present;
//!   component lists only for their interaction type, with distinct non-empty ids.
//! - SubStatement: follows the statement rules, must not have `id`, `stored`, `version` or
//!   `authority`, and must not contain a SubStatement.
//! - Voiding: a statement with verb `http://adlnet.gov/expapi/verbs/voided` must have a
//!   StatementRef object (whether the target exists is the store's concern).
//! - Result: `score.scaled` in [-1, 1], `min` < `max`, `min` ≤ `raw` ≤ `max`; `success` and
//!   `completion` booleans; `response` string; `duration` ISO 8601 (§4.4.3.2 format).
//! - Context: `revision` and `platform` strings, only when the object is an Activity;
//!   `contextActivities` keys `parent`, `grouping`, `category`, `other`, each an Activity or an array
//!   of Activities; `instructor` Agent or Group; `team` Group; `language` RFC 5646 tag;
//!   `statement` StatementRef.
//! - Timestamps (`timestamp`, `stored`): real calendar date and time; `-00:00` rejected.
//! - Language maps: keys are RFC 5646 tags (well-formed, no repeated variant or singleton), values
//!   strings. Extensions: an object whose keys are IRIs, values anything (also `null`).
//! - Authority: an Agent, or an anonymous Group of exactly two Agents (OAuth consumer and user).
//! - Attachments: an array of objects with `usageType` IRI, `display` language map, optional
//!   `description` language map, `contentType` media type, `length` non-negative integer, `sha2`
//!   hex SHA-2 digest, optional `fileUrl` IRL.
//! - Batches: no statement id twice.
//!
//! # Differences between the versions
//! | Rule | 1.0.3 | 2.0 |
//! |---|---|---|
//! | Timestamp time zone (`Z`, `±hh:mm`, `±hhmm`, `±hh`) | optional (UTC assumed) | required |
//! | Statement `version` | `1.0`, `1.0.x` | `1.0`, `1.0.x`, `2.0`, `2.0.x` |
//! | `context.contextAgents` / `contextGroups` | rejected as unknown | array of `{objectType: "contextAgent", agent: Agent, relevantTypes?}` / `{objectType: "contextGroup", group: Group, relevantTypes?}`; `relevantTypes` a non-empty array of IRIs |
//!
//! The `agent` query parameter is validated with the same rules under both versions.

pub mod activity;
pub mod agent;
pub mod compare;
pub mod datatypes;
pub mod document;
pub mod error;
pub mod facts;
pub mod format;
pub mod ingest;
pub mod signature;
pub mod validate;
pub mod version;

pub use activity::merge_activity_definitions;
pub use agent::{parse_agent_param, person_object, ActorKey, AgentKey};
pub use compare::{comparable_form, statements_match};
pub use datatypes::{
    format_timestamp_utc, parse_timestamp, parse_uuid, truncate_duration, validate_duration,
};
pub use document::{merge_documents, parse_json_object};
pub use error::{BatchError, FormatError, MergeError, StatementError, VersionError};
pub use facts::{AttachmentFacts, ObjectKey, StatementFacts};
pub use format::{
    best_language, format_canonical, format_ids, normalize_statement, parse_accept_language,
    StatementFormat,
};
pub use ingest::{prepare_statement, Assignment, PreparedStatement};
pub use signature::{check_signature, SIGNATURE_USAGE_TYPE};
pub use validate::{validate_batch, validate_statement, VOIDED_VERB};
pub use version::XapiVersion;
