//! Frameworks as an import hands them to the store: competencies, their relations and, for ESCO,
//! occupations with the competencies they need. Everything refers to everything else by URI
//! (ESCO's `conceptUri`, CASE's `uri`/`identifier`, or a tenant's own code), so that a re-import of a
//! newer version finds what it updates: the store keeps each item's id (and with it every piece of
//! evidence) and marks items that are no longer in the file as obsolete.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a framework comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    /// The European classification of skills and occupations; shared by the whole network.
    Esco,
    /// A 1EdTech CASE CFPackage, imported by a tenant.
    Case,
    /// A tenant's own framework (CSV import or web interface).
    Own,
}

impl FrameworkKind {
    pub const ALL: [FrameworkKind; 3] = [Self::Esco, Self::Case, Self::Own];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Esco => "esco",
            Self::Case => "case",
            Self::Own => "own",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What kind of item a competency is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompetencyKind {
    /// ESCO "skill/competence".
    Skill,
    /// ESCO "knowledge".
    Knowledge,
    /// A grouping node of a hierarchy (ESCO skill group, a CASE item that only groups others); not
    /// usually assessed itself.
    Group,
    /// Any other competency (a CASE item, a tenant's own competency).
    Competency,
}

impl CompetencyKind {
    pub const ALL: [CompetencyKind; 4] =
        [Self::Skill, Self::Knowledge, Self::Group, Self::Competency];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skill => "skill",
            Self::Knowledge => "knowledge",
            Self::Group => "group",
            Self::Competency => "competency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A directed relation between two competencies, `from` → `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// `to` is the broader item (parent) of `from` in the hierarchy.
    Broader,
    /// `to` is related to `from` (CASE isRelatedTo/isPeerOf; a tenant's "related" link).
    Related,
    /// `to` must be learned before `from` (CASE `precedes`, read backwards).
    Prerequisite,
    /// ESCO skill–skill relation: `to` is essential for `from`.
    Essential,
    /// ESCO skill–skill relation: `to` is optional for `from`.
    Optional,
    /// `to` (usually of another framework) means exactly the same as `from`.
    ExactMatch,
    /// `from` was replaced by `to` (CASE `replacedBy`).
    ReplacedBy,
}

impl RelationKind {
    pub const ALL: [RelationKind; 7] = [
        Self::Broader,
        Self::Related,
        Self::Prerequisite,
        Self::Essential,
        Self::Optional,
        Self::ExactMatch,
        Self::ReplacedBy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Broader => "broader",
            Self::Related => "related",
            Self::Prerequisite => "prerequisite",
            Self::Essential => "essential",
            Self::Optional => "optional",
            Self::ExactMatch => "exact_match",
            Self::ReplacedBy => "replaced_by",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Whether a role (or an occupation) needs a competency or would like it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequirementKind {
    /// ESCO "essential"; a Soll-Profil's must-have.
    Required,
    /// ESCO "optional"; nice to have.
    Desired,
}

impl RequirementKind {
    pub const ALL: [RequirementKind; 2] = [Self::Required, Self::Desired];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Desired => "desired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The texts of an item in one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub preferred: String,
    /// Synonyms (ESCO altLabels), for search.
    pub alternatives: Vec<String>,
    pub description: Option<String>,
}

/// Labels by language code (`en`, `de`).
pub type Labels = BTreeMap<String, Label>;

/// A competency as read from a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedCompetency {
    /// Unique within the framework; stable across versions.
    pub uri: String,
    /// A human-readable code (ESCO hierarchy code, CASE humanCodingScheme), if any.
    pub code: Option<String>,
    pub kind: CompetencyKind,
    /// ESCO reuse level (transversal, cross-sector, sector-specific, occupation-specific) or the
    /// CASE CFItemType, as written in the file.
    pub category: Option<String>,
    pub labels: Labels,
}

/// A relation as read from a file; `from` and `to` are URIs. `to` may name an item of another
/// framework the tenant can see (a link from an own competency to ESCO, for example).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedRelation {
    pub from: String,
    pub kind: RelationKind,
    pub to: String,
}

/// A competency an occupation needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OccupationRequirement {
    pub competency_uri: String,
    pub kind: RequirementKind,
}

/// An occupation (ESCO) as read from a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportedOccupation {
    pub uri: String,
    /// ESCO occupation code (e.g. `2654.1.7`).
    pub code: Option<String>,
    /// The ISCO-08 unit group (four digits, e.g. `2654`).
    pub isco_group: Option<String>,
    pub labels: Labels,
    pub requirements: Vec<OccupationRequirement>,
}

/// A whole framework as read from its files, ready for the store to import in one transaction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrameworkImport {
    pub kind: FrameworkKind,
    /// Identifies the framework across versions: `http://data.europa.eu/esco` for ESCO, the
    /// CFDocument's uri for CASE, the tenant's code for their own.
    pub uri: String,
    pub title: Labels,
    /// The version as the source names it (`v1.1.1`, a CASE `version` or `lastChangeDateTime`).
    pub version: String,
    pub competencies: Vec<ImportedCompetency>,
    pub relations: Vec<ImportedRelation>,
    pub occupations: Vec<ImportedOccupation>,
}

impl FrameworkImport {
    /// The label in `lang`, else in English, else in any language, with whether it is a
    /// fallback (shown marked as such).
    pub fn pick_label<'a>(labels: &'a Labels, lang: &str) -> Option<(&'a Label, bool)> {
        if let Some(label) = labels.get(lang) {
            return Some((label, false));
        }
        labels
            .get("en")
            .or_else(|| labels.values().next())
            .map(|label| (label, true))
    }
}
