//! The catalogue's JSON shapes: learning opportunities ("Lernangebote") with their audience,
//! alignments and prerequisites, providers, uploaded packages, catalogue search with facets, and
//! competency suggestions for an opportunity's text.

use crate::{Competency, LocalizedText};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// What taking part costs per person, in the smallest unit of the currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    /// Cents (or the currency's smallest unit).
    pub cents: u64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

/// One entry of an opportunity's audience; a person matching any entry may find it. No entries:
/// everyone of the company that offers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AudienceEntry {
    /// `network` (every member company), `company` (a member company, `id` its tenant id),
    /// `org-unit` (an org unit of the offering company and the units below it), `role` (people
    /// holding or aiming at a role of the offering company).
    pub kind: String,
    pub id: Option<Uuid>,
}

/// The opportunity teaches a competency up to a level (0–4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Alignment {
    pub competency_id: Uuid,
    pub level: f64,
}

/// What a learner should bring: a competency at a level, or another opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Prerequisite {
    /// `competency` (with `competency_id` and `level`) or `opportunity` (with `opportunity_id`).
    pub kind: String,
    pub competency_id: Option<Uuid>,
    pub level: Option<f64>,
    pub opportunity_id: Option<Uuid>,
}

/// Everything an editor writes about an opportunity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityInput {
    /// `e-learning`, `video`, `document`, `web-link`, `classroom`, `blended`, `mentoring`,
    /// `on-the-job` or `community`.
    pub modality: String,
    pub title: LocalizedText,
    #[serde(default)]
    pub description: LocalizedText,
    /// The language it is held or written in (`de`, `en`, `tr`, …).
    pub content_language: String,
    pub duration_minutes: Option<u32>,
    /// An external provider of the company; none: the company's own.
    pub provider_id: Option<Uuid>,
    pub cost: Option<Cost>,
    #[serde(default)]
    pub audience: Vec<AudienceEntry>,
    #[serde(default)]
    pub alignments: Vec<Alignment>,
    #[serde(default)]
    pub prerequisites: Vec<Prerequisite>,
    /// Compliance training: a completion is valid this many months.
    pub recertify_after_months: Option<u16>,
    /// The address of a video, document or web page (required for those), or an online room.
    pub link: Option<String>,
    /// The package an e-learning opportunity plays (required to publish one).
    pub package_id: Option<Uuid>,
    /// The parts of a blended program, in order (at least two to publish one). A part is an
    /// opportunity id (a required part) or an object with its kind.
    #[serde(default)]
    pub parts: Vec<ProgramPartInput>,
    /// The program's elective groups; an elective part names its group by position here.
    #[serde(default)]
    pub elective_groups: Vec<ElectiveGroup>,
}

/// A part of a blended program: an opportunity id alone (required), or with its kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ProgramPartInput {
    Required(Uuid),
    Part(ProgramPart),
}

/// A part of a blended program with its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgramPart {
    pub opportunity_id: Uuid,
    /// `required`, `optional` or `elective` (with `group`).
    pub kind: String,
    /// For an elective part: the position of its group in `elective_groups` (from 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<u16>,
}

/// "Choose `choose` of these": an elective group of a program, with a label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ElectiveGroup {
    pub label: LocalizedText,
    /// How many of the group's parts a learner takes (1 to the number of its parts).
    pub choose: u16,
}

/// An opportunity as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Opportunity {
    pub id: Uuid,
    /// The member company that offers it.
    pub tenant_id: Uuid,
    /// `draft`, `published` or `retired`.
    pub lifecycle: String,
    #[serde(flatten)]
    pub input: OpportunityInput,
    /// The provider, when it is an external one.
    pub provider: Option<Provider>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetLifecycle {
    /// `published` or `retired` (`draft` only while it is one).
    pub lifecycle: String,
}

/// An external training provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    pub name: String,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    /// Booking terms: cancellation, payment, what the price includes.
    #[serde(default)]
    pub terms: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Provider {
    pub id: Uuid,
    #[serde(flatten)]
    pub input: ProviderInput,
    pub updated_at: DateTime<Utc>,
}

/// An uploaded e-learning package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Package {
    pub id: Uuid,
    /// `cmi5`, `scorm-1.2`, `scorm-2004-2nd`, `scorm-2004-3rd`, `scorm-2004-4th` or `scorm-2004`.
    pub kind: String,
    pub title: String,
    /// Hex SHA-256 of the uploaded zip.
    pub sha256: String,
    pub file_count: u32,
    pub total_bytes: u64,
    /// The first launchable unit, relative to the package; its files are served under
    /// `/content/{package id}/`.
    pub launch_path: String,
    /// The launchable units (AUs, SCOs) and the course's ids, as found in the manifest.
    #[schema(value_type = Object)]
    pub structure: serde_json::Value,
    pub uploaded_at: DateTime<Utc>,
}

/// What an upload produced.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UploadedPackage {
    pub package: Package,
    /// The draft e-learning opportunity created to play it.
    pub opportunity: Opportunity,
    /// The course structure as an indented tree.
    pub structure_text: String,
}

/// A catalogue search. Filters are comma-separated lists; an empty list does not filter.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words to look for (plain words; typos and German/English word forms are tolerated).
    pub q: Option<String>,
    /// Modalities, e.g. `e-learning,classroom`.
    pub modality: Option<String>,
    /// Content languages, e.g. `de,en`.
    pub language: Option<String>,
    /// Duration buckets: `up_to15_minutes`, `from15_to60_minutes`, `from1_to4_hours`,
    /// `from4_to8_hours`, `more_than_a_day`, `unknown`.
    pub duration: Option<String>,
    /// Providers by name; `internal` for the companies' own.
    pub provider: Option<String>,
    /// Competency ids.
    pub competency: Option<String>,
    /// Sessions starting within this many days.
    pub sessions_within_days: Option<u32>,
    /// `relevance` (default), `newest` or `soonest_session`.
    pub sort: Option<String>,
    /// Hits per page, 1–200 (default 20).
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// Editors: include the company's drafts and retired opportunities.
    pub include_unpublished: Option<bool>,
    /// The language to rank by (`de`, `en`); default the caller's.
    pub lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchHit {
    pub id: Uuid,
    pub score: f32,
    /// The title, HTML-escaped, matched words in `<b>`.
    pub title_html: String,
    /// A piece of the description, HTML-escaped, matched words in `<b>`.
    pub snippet_html: String,
    pub next_session: Option<DateTime<Utc>>,
}

/// How many hits a facet value has (with the other facets' filters applied).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Facets {
    pub modality: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
    pub duration: Vec<FacetCount>,
    pub provider: Vec<FacetCount>,
    pub competency: Vec<FacetCount>,
    /// `within7_days`, `within30_days`, `within90_days`.
    pub sessions: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    pub total: u64,
    pub hits: Vec<SearchHit>,
    pub facets: Facets,
}

/// The text to propose competencies for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestionRequest {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// `de` or `en`; guessed from the text when absent.
    pub language: Option<String>,
    /// 1–50, default 10.
    pub limit: Option<usize>,
}

/// A proposed competency, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CompetencySuggestion {
    pub competency: Competency,
    pub score: f32,
    /// The label that matched best.
    pub label: String,
    /// "word of the text → word of the competency".
    pub matched: Vec<String>,
}
