//! ESCO as the European Commission publishes it: a classification zip of CSV files in one
//! language (`skills_en.csv`, `skillGroups_en.csv`, `occupations_en.csv`, …), a relations zip
//! (`broaderRelationsSkillPillar.csv`, `skillSkillRelations.csv`, `occupationSkillRelations.csv`)
//! and, optionally, classification zips in other languages whose labels are merged in by
//! `conceptUri`.
//!
//! What is read:
//! - every skill/knowledge concept (`skills_<lang>.csv`) and every skill group
//!   (`skillGroups_<lang>.csv`) becomes a competency; skills of an empty `skillType` (ESCO 1.1.1
//!   has six, the DigComp headings) are imported as skills and counted in the summary;
//! - concepts whose `status` is neither empty nor `released` are left out and counted (the ESCO
//!   1.1.1 export holds released concepts only), so a re-import marks them obsolete;
//! - `broaderRelationsSkillPillar` gives the hierarchy ([`RelationKind::Broader`], narrower →
//!   broader), `skillSkillRelations` the essential/optional links between skills;
//! - occupations with their ISCO group, and their essential (required) and optional (desired)
//!   skills from `occupationSkillRelations`;
//! - relations naming a concept or occupation that is not in the classification are dropped and
//!   counted in [`EscoSummary`] (ESCO 1.1.1: 7 broader relations between skill groups and the 67
//!   skills of one occupation);
//! - a zip in another language only adds labels in its language to items that exist and have
//!   none in it yet (from `skills`, `skillGroups`, `occupations`, the `*Collection` files and the
//!   preferred terms of `skillsHierarchy`); it never creates items, since its ESCO version may
//!   differ.
//!
//! A malformed file (a missing column, a row of the wrong length, an unknown `skillType`, invalid
//! UTF-8) is an error naming the file inside the zip, the line and the column; all of them are
//! reported, not just the first.

use crate::error::{ErrorList, ImportError, ImportErrors};
use crate::table::{split_list, Row, ShortRows, Table};
use mycel_competency::framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, ImportedOccupation,
    ImportedRelation, Label, Labels, OccupationRequirement, RelationKind, RequirementKind,
};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::{Path, PathBuf};

/// The framework URI of ESCO, the same in every version.
pub const ESCO_URI: &str = "http://data.europa.eu/esco";

/// The notice ESCO's terms of use require wherever ESCO data is shown.
pub const ESCO_ATTRIBUTION: &str =
    "This service uses the ESCO classification of the European Commission.";

/// A zip file and the name errors call it by (its path, or the name it was uploaded under).
#[derive(Debug)]
pub struct NamedZip<R> {
    pub name: String,
    pub reader: R,
}

impl<R> NamedZip<R> {
    pub fn new(name: impl Into<String>, reader: R) -> Self {
        Self {
            name: name.into(),
            reader,
        }
    }
}

/// What an ESCO import read, merged and dropped, for the operator to see.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EscoSummary {
    /// The version imported (`v1.1.1`).
    pub version: String,
    /// The language of the classification zip (`en`).
    pub language: String,
    /// Concepts of `skillType` "skill/competence" (or empty).
    pub skills: usize,
    /// Concepts of `skillType` "knowledge".
    pub knowledge: usize,
    pub skill_groups: usize,
    pub occupations: usize,
    /// Occupation requirements imported (essential and optional).
    pub requirements: usize,
    pub broader_relations: usize,
    /// Essential and optional relations between skills.
    pub skill_relations: usize,
    /// Rows left out because they name an unknown concept or occupation, per relations file.
    pub dropped_broader: usize,
    pub dropped_skill_relations: usize,
    pub dropped_requirements: usize,
    /// Concepts left out because their status is not `released`.
    pub not_released: usize,
    /// Skills whose `skillType` is empty, imported as skills.
    pub without_skill_type: usize,
    /// One entry per zip in another language.
    pub translations: Vec<EscoTranslation>,
    /// Human-readable notes on everything above that is not plain success.
    pub warnings: Vec<String>,
}

/// What a zip in another language added.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EscoTranslation {
    pub file: String,
    pub language: String,
    /// The ESCO version in the zip's name, if any.
    pub version: Option<String>,
    /// How many skill/knowledge concepts, skill groups and occupations got a label in `language`.
    pub skills: usize,
    pub skill_groups: usize,
    pub occupations: usize,
    /// Concepts the zip names that are not in the classification (newer ones), ignored.
    pub unknown: usize,
}

/// Reads ESCO from the files at these paths; the version comes from `version` or else from the
/// classification file's name (`esco-v1.1.1-classification-en-csv.zip`). Errors name the paths.
pub fn read_esco_files(
    classification: &Path,
    relations: &Path,
    other_languages: &[PathBuf],
    version: Option<&str>,
) -> Result<(FrameworkImport, EscoSummary), ImportErrors> {
    let mut errors = ErrorList::default();
    let mut open = |path: &Path| match File::open(path) {
        Ok(file) => Some(NamedZip::new(
            path.display().to_string(),
            BufReader::new(file),
        )),
        Err(e) => {
            errors.push(ImportError::new(
                path.display().to_string(),
                format!("cannot open: {e}"),
            ));
            None
        }
    };
    let classification = open(classification);
    let relations = open(relations);
    let others: Vec<_> = other_languages.iter().filter_map(|p| open(p)).collect();
    match (classification, relations) {
        (Some(c), Some(r)) if errors.is_empty() => read_esco(c, r, others, version),
        _ => errors.finish((empty_framework(String::new()), EscoSummary::default())),
    }
}

/// Reads ESCO from a classification zip, a relations zip and zips in other languages. The
/// version comes from `version` or else from the classification zip's name.
pub fn read_esco<C, R, O>(
    classification: NamedZip<C>,
    relations: NamedZip<R>,
    other_languages: Vec<NamedZip<O>>,
    version: Option<&str>,
) -> Result<(FrameworkImport, EscoSummary), ImportErrors>
where
    C: Read + Seek,
    R: Read + Seek,
    O: Read + Seek,
{
    let mut errors = ErrorList::default();
    let version = match version
        .map(str::to_owned)
        .or_else(|| version_from_name(&classification.name))
    {
        Some(v) => v,
        None => {
            errors.push(ImportError::new(
                &classification.name,
                "the ESCO version is not in the file name (like `esco-v1.1.1-…`); name it explicitly",
            ));
            String::new()
        }
    };
    let mut esco = Esco {
        framework: empty_framework(version.clone()),
        summary: EscoSummary {
            version,
            ..EscoSummary::default()
        },
        competency_index: HashMap::new(),
        occupation_index: HashMap::new(),
    };

    if let Some(mut zip) = Zip::open(classification, &mut errors) {
        match zip.language(&["skills", "occupations", "skillgroups"]) {
            Ok(language) => {
                esco.read_skills(&mut zip, &language, &mut errors);
                esco.read_skill_groups(&mut zip, &language, &mut errors);
                esco.read_occupations(&mut zip, &language, &mut errors);
                esco.summary.language = language;
            }
            Err(e) => errors.push(e),
        }
    }
    if let Some(mut zip) = Zip::open(relations, &mut errors) {
        esco.read_broader(&mut zip, &mut errors);
        esco.read_skill_relations(&mut zip, &mut errors);
        esco.read_requirements(&mut zip, &mut errors);
    }
    for other in other_languages {
        let version = version_from_name(&other.name);
        if let Some(mut zip) = Zip::open(other, &mut errors) {
            match zip.language(&["skills", "occupations", "skillgroups", "skillshierarchy"]) {
                Ok(language) => esco.read_translation(&mut zip, language, version, &mut errors),
                Err(e) => errors.push(e),
            }
        }
    }
    errors.finish(esco.finish())
}

fn empty_framework(version: String) -> FrameworkImport {
    let title = |preferred: &str, description: &str| Label {
        preferred: preferred.to_owned(),
        alternatives: Vec::new(),
        description: Some(description.to_owned()),
    };
    FrameworkImport {
        kind: FrameworkKind::Esco,
        uri: ESCO_URI.to_owned(),
        title: Labels::from([
            (
                "en".to_owned(),
                title("ESCO", "European Skills, Competences, Qualifications and Occupations"),
            ),
            (
                "de".to_owned(),
                title(
                    "ESCO",
                    "Europäische Klassifikation für Fähigkeiten, Kompetenzen, Qualifikationen und Berufe",
                ),
            ),
        ]),
        version,
        competencies: Vec::new(),
        relations: Vec::new(),
        occupations: Vec::new(),
    }
}

/// `v1.1.1` from `…/esco-v1.1.1-classification-en-csv.zip`.
pub fn version_from_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let bytes = base.as_bytes();
    for (i, _) in base.match_indices(['v', 'V']) {
        let at_boundary = i == 0 || matches!(bytes.get(i - 1), Some(b'-' | b'_' | b'.' | b' '));
        let rest = &base[i + 1..];
        if !at_boundary || !rest.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let digits: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let digits = digits.trim_end_matches('.');
        return Some(format!("v{digits}"));
    }
    None
}

/// An opened zip and its CSV entries by lower-case base name.
struct Zip<R: Read + Seek> {
    name: String,
    archive: zip::ZipArchive<R>,
    entries: Vec<(String, usize)>,
}

impl<R: Read + Seek> Zip<R> {
    fn open(zip: NamedZip<R>, errors: &mut ErrorList) -> Option<Self> {
        let archive = match zip::ZipArchive::new(zip.reader) {
            Ok(archive) => archive,
            Err(e) => {
                errors.push(ImportError::new(
                    &zip.name,
                    format!("not a readable zip file: {e}"),
                ));
                return None;
            }
        };
        let entries = (0..archive.len())
            .filter_map(|i| {
                let name = archive.name_for_index(i)?;
                let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
                base.ends_with(".csv").then_some((base, i))
            })
            .collect();
        Some(Self {
            name: zip.name,
            archive,
            entries,
        })
    }

    /// The language of the first of these files (`skills_en.csv` → `en`).
    fn language(&self, stems: &[&str]) -> Result<String, ImportError> {
        for stem in stems {
            for (base, _) in &self.entries {
                if let Some(language) = base
                    .strip_suffix(".csv")
                    .and_then(|b| b.strip_prefix(stem))
                    .and_then(|b| b.strip_prefix('_'))
                    .filter(|l| is_language(l))
                {
                    return Ok(language.to_owned());
                }
            }
        }
        Err(ImportError::new(
            &self.name,
            format!(
                "cannot tell the language: no file named like `{}_<language>.csv` (is this an ESCO CSV zip?)",
                stems.first().copied().unwrap_or("skills")
            ),
        ))
    }

    /// The entry `<stem>_<language>.csv`, or `<stem>.csv` / `<stem>_<any language>.csv` when
    /// `language` is `None`.
    fn find(&self, stem: &str, language: Option<&str>) -> Option<usize> {
        let stem = stem.to_ascii_lowercase();
        self.entries.iter().find_map(|(base, index)| {
            let rest = base.strip_suffix(".csv")?.strip_prefix(stem.as_str())?;
            let matches = match language {
                Some(language) => rest.strip_prefix('_') == Some(language),
                None => rest.is_empty() || rest.strip_prefix('_').is_some_and(is_language),
            };
            matches.then_some(*index)
        })
    }

    /// Every entry whose name contains `collection` and ends in `_<language>.csv`.
    fn collections(&self, language: &str) -> Vec<usize> {
        let suffix = format!("_{language}.csv");
        self.entries
            .iter()
            .filter(|(base, _)| base.contains("collection") && base.ends_with(&suffix))
            .map(|(_, index)| *index)
            .collect()
    }

    /// Reads the entry at `index` as a comma-separated table; `None` with the error recorded if
    /// it cannot be read.
    fn table(
        &mut self,
        index: usize,
        short_rows: ShortRows,
        errors: &mut ErrorList,
    ) -> Option<Table<zip::read::ZipFile<'_, R>>> {
        match self.archive.by_index(index) {
            Ok(entry) => {
                let file = format!("{}/{}", self.name, entry.name());
                Table::open(&file, entry, b',', short_rows, errors)
            }
            Err(e) => {
                errors.push(ImportError::new(
                    &self.name,
                    format!("cannot read entry {index}: {e}"),
                ));
                None
            }
        }
    }

    /// The table of a required file, or an error saying it is missing.
    fn required(
        &mut self,
        stem: &str,
        language: Option<&str>,
        errors: &mut ErrorList,
    ) -> Option<Table<zip::read::ZipFile<'_, R>>> {
        match self.find(stem, language) {
            Some(index) => self.table(index, ShortRows::Reject, errors),
            None => {
                let name = match language {
                    Some(language) => format!("{stem}_{language}.csv"),
                    None => format!("{stem}.csv"),
                };
                errors.push(ImportError::new(
                    &self.name,
                    format!("`{name}` is missing from the zip"),
                ));
                None
            }
        }
    }
}

fn is_language(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// The columns that make up a label.
/// Rows of a relations file that were left out.
#[derive(Default)]
struct Dropped {
    /// Rows naming an unknown concept or occupation.
    unknown: usize,
    /// Those URIs.
    uris: BTreeSet<String>,
    /// Rows repeating an earlier one, or relating a concept to itself.
    repeats: usize,
}

impl Dropped {
    fn total(&self) -> usize {
        self.unknown + self.repeats
    }
}

#[derive(Clone, Copy)]
struct LabelColumns {
    preferred: usize,
    alternatives: Option<usize>,
    description: Option<usize>,
    definition: Option<usize>,
}

impl LabelColumns {
    fn of<R: Read>(table: &Table<R>, preferred: usize) -> Self {
        Self {
            preferred,
            alternatives: table.column("altLabels"),
            description: table.column("description"),
            definition: table.column("definition"),
        }
    }

    /// The label of a row; `None` if its preferred label is empty (with an error if `required`).
    fn read(&self, row: &Row<'_>, required: bool, errors: &mut ErrorList) -> Option<Label> {
        let preferred = match row.text(self.preferred) {
            Ok(p) if !p.is_empty() => p,
            Ok(_) => {
                if required {
                    errors.push(row.error(self.preferred, "the preferred label is empty"));
                }
                return None;
            }
            Err(e) => {
                errors.push(e);
                return None;
            }
        };
        // One per line in the main files, ` | ` between them in the collections.
        let mut alternatives = split_list(row.optional(self.alternatives, errors), '\n');
        if alternatives.iter().any(|a| a.contains('|')) {
            alternatives = alternatives
                .iter()
                .flat_map(|a| split_list(a, '|'))
                .collect();
        }
        alternatives.retain(|a| a != preferred);
        let mut description = row.optional(self.description, errors);
        if description.is_empty() {
            description = row.optional(self.definition, errors);
        }
        Some(Label {
            preferred: preferred.to_owned(),
            alternatives,
            description: (!description.is_empty()).then(|| description.to_owned()),
        })
    }
}

struct Esco {
    framework: FrameworkImport,
    summary: EscoSummary,
    competency_index: HashMap<String, usize>,
    occupation_index: HashMap<String, usize>,
}

impl Esco {
    /// Whether a row's concept is released (or has no status); counts the others.
    fn released(&mut self, row: &Row<'_>, status: Option<usize>, errors: &mut ErrorList) -> bool {
        let status = row.optional(status, errors);
        let released = status.is_empty() || status.eq_ignore_ascii_case("released");
        if !released {
            self.summary.not_released += 1;
        }
        released
    }

    /// The row's URI in column `index`, if it is non-empty and not seen before.
    fn new_uri<'r>(&self, row: &Row<'r>, index: usize, errors: &mut ErrorList) -> Option<&'r str> {
        match row.text(index) {
            Ok("") => {
                errors.push(row.error(index, "the URI is empty"));
                None
            }
            Ok(uri)
                if self.competency_index.contains_key(uri)
                    || self.occupation_index.contains_key(uri) =>
            {
                errors.push(row.error(index, format!("`{uri}` appears twice")));
                None
            }
            Ok(uri) => Some(uri),
            Err(e) => {
                errors.push(e);
                None
            }
        }
    }

    fn add_competency(&mut self, competency: ImportedCompetency) {
        self.competency_index
            .insert(competency.uri.clone(), self.framework.competencies.len());
        self.framework.competencies.push(competency);
    }

    fn read_skills<R: Read + Seek>(
        &mut self,
        zip: &mut Zip<R>,
        language: &str,
        errors: &mut ErrorList,
    ) {
        let Some(mut table) = zip.required("skills", Some(language), errors) else {
            return;
        };
        let (Some(uri), Some(skill_type), Some(preferred)) = (
            table.require("conceptUri", errors),
            table.require("skillType", errors),
            table.require("preferredLabel", errors),
        ) else {
            return;
        };
        let labels = LabelColumns::of(&table, preferred);
        let reuse_level = table.column("reuseLevel");
        let status = table.column("status");
        while let Some(row) = table.next_row(errors) {
            if !self.released(&row, status, errors) {
                continue;
            }
            let Some(uri) = self.new_uri(&row, uri, errors) else {
                continue;
            };
            let kind = match row.text(skill_type) {
                Ok("skill/competence") => CompetencyKind::Skill,
                Ok("knowledge") => CompetencyKind::Knowledge,
                Ok("") => {
                    self.summary.without_skill_type += 1;
                    CompetencyKind::Skill
                }
                Ok(other) => {
                    errors.push(row.error(
                        skill_type,
                        format!("unknown skillType `{other}`; expected `skill/competence` or `knowledge`"),
                    ));
                    continue;
                }
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            };
            let Some(label) = labels.read(&row, true, errors) else {
                continue;
            };
            let category = row.optional(reuse_level, errors);
            match kind {
                CompetencyKind::Knowledge => self.summary.knowledge += 1,
                _ => self.summary.skills += 1,
            }
            self.add_competency(ImportedCompetency {
                uri: uri.to_owned(),
                code: None,
                kind,
                category: (!category.is_empty()).then(|| category.to_owned()),
                labels: Labels::from([(language.to_owned(), label)]),
            });
        }
    }

    fn read_skill_groups<R: Read + Seek>(
        &mut self,
        zip: &mut Zip<R>,
        language: &str,
        errors: &mut ErrorList,
    ) {
        let Some(mut table) = zip.required("skillGroups", Some(language), errors) else {
            return;
        };
        let (Some(uri), Some(preferred)) = (
            table.require("conceptUri", errors),
            table.require("preferredLabel", errors),
        ) else {
            return;
        };
        let labels = LabelColumns::of(&table, preferred);
        let code = table.column("code");
        let status = table.column("status");
        while let Some(row) = table.next_row(errors) {
            if !self.released(&row, status, errors) {
                continue;
            }
            let Some(uri) = self.new_uri(&row, uri, errors) else {
                continue;
            };
            let Some(label) = labels.read(&row, true, errors) else {
                continue;
            };
            let code = row.optional(code, errors);
            self.summary.skill_groups += 1;
            self.add_competency(ImportedCompetency {
                uri: uri.to_owned(),
                code: (!code.is_empty()).then(|| code.to_owned()),
                kind: CompetencyKind::Group,
                category: None,
                labels: Labels::from([(language.to_owned(), label)]),
            });
        }
    }

    fn read_occupations<R: Read + Seek>(
        &mut self,
        zip: &mut Zip<R>,
        language: &str,
        errors: &mut ErrorList,
    ) {
        let Some(mut table) = zip.required("occupations", Some(language), errors) else {
            return;
        };
        let (Some(uri), Some(preferred)) = (
            table.require("conceptUri", errors),
            table.require("preferredLabel", errors),
        ) else {
            return;
        };
        let labels = LabelColumns::of(&table, preferred);
        let code = table.column("code");
        let isco_group = table.column("iscoGroup");
        let status = table.column("status");
        while let Some(row) = table.next_row(errors) {
            if !self.released(&row, status, errors) {
                continue;
            }
            let Some(uri) = self.new_uri(&row, uri, errors) else {
                continue;
            };
            let Some(label) = labels.read(&row, true, errors) else {
                continue;
            };
            let code = row.optional(code, errors);
            let isco_group = row.optional(isco_group, errors);
            self.occupation_index
                .insert(uri.to_owned(), self.framework.occupations.len());
            self.framework.occupations.push(ImportedOccupation {
                uri: uri.to_owned(),
                code: (!code.is_empty()).then(|| code.to_owned()),
                isco_group: (!isco_group.is_empty()).then(|| isco_group.to_owned()),
                labels: Labels::from([(language.to_owned(), label)]),
                requirements: Vec::new(),
            });
        }
        self.summary.occupations = self.framework.occupations.len();
    }

    /// Reads pairs of URIs (and a third column) from a relations file; calls `add` for each row
    /// whose URIs are both known, counts and describes the others.
    fn read_pairs<R: Read + Seek>(
        &mut self,
        zip: &mut Zip<R>,
        stem: &str,
        columns: [&str; 3],
        errors: &mut ErrorList,
        mut add: impl FnMut(&mut Self, &Row<'_>, usize, usize, &str, &mut ErrorList) -> bool,
        occupations_first: bool,
    ) -> Dropped {
        let mut dropped = Dropped::default();
        let Some(mut table) = zip.required(stem, None, errors) else {
            return dropped;
        };
        let (Some(from), Some(to), Some(third)) = (
            table.require(columns[0], errors),
            table.require(columns[1], errors),
            table.require(columns[2], errors),
        ) else {
            return dropped;
        };
        while let Some(row) = table.next_row(errors) {
            let (from_uri, to_uri, third) = match (row.text(from), row.text(to), row.text(third)) {
                (Ok(f), Ok(t), Ok(k)) => (f, t, k),
                (f, t, k) => {
                    for e in [f.err(), t.err(), k.err()].into_iter().flatten() {
                        errors.push(e);
                    }
                    continue;
                }
            };
            let from_index = if occupations_first {
                self.occupation_index.get(from_uri)
            } else {
                self.competency_index.get(from_uri)
            }
            .copied();
            let to_index = self.competency_index.get(to_uri).copied();
            match (from_index, to_index) {
                (Some(f), Some(t)) => {
                    if !add(self, &row, f, t, third, errors) {
                        dropped.repeats += 1;
                    }
                }
                (f, t) => {
                    dropped.unknown += 1;
                    if f.is_none() {
                        dropped.uris.insert(from_uri.to_owned());
                    }
                    if t.is_none() {
                        dropped.uris.insert(to_uri.to_owned());
                    }
                }
            }
        }
        dropped
    }

    fn read_broader<R: Read + Seek>(&mut self, zip: &mut Zip<R>, errors: &mut ErrorList) {
        let mut seen = HashSet::new();
        let dropped = self.read_pairs(
            zip,
            "broaderRelationsSkillPillar",
            ["conceptUri", "broaderUri", "broaderType"],
            errors,
            |esco, _row, from, to, _type, _errors| {
                if from == to || !seen.insert((from, to)) {
                    return false;
                }
                esco.push_relation(from, RelationKind::Broader, to);
                esco.summary.broader_relations += 1;
                true
            },
            false,
        );
        self.summary.dropped_broader = dropped.total();
        self.warn_dropped(
            "broaderRelationsSkillPillar.csv",
            "broader relations",
            &dropped,
        );
    }

    fn read_skill_relations<R: Read + Seek>(&mut self, zip: &mut Zip<R>, errors: &mut ErrorList) {
        let mut seen = HashSet::new();
        let dropped = self.read_pairs(
            zip,
            "skillSkillRelations",
            ["originalSkillUri", "relatedSkillUri", "relationType"],
            errors,
            |esco, row, from, to, relation_type, errors| {
                let kind = match relation_type {
                    "essential" => RelationKind::Essential,
                    "optional" => RelationKind::Optional,
                    other => {
                        errors.push(row.row_error(format!(
                            "unknown relationType `{other}`; expected `essential` or `optional`"
                        )));
                        return true;
                    }
                };
                if from == to || !seen.insert((from, to)) {
                    return false;
                }
                esco.push_relation(from, kind, to);
                esco.summary.skill_relations += 1;
                true
            },
            false,
        );
        self.summary.dropped_skill_relations = dropped.total();
        self.warn_dropped("skillSkillRelations.csv", "skill relations", &dropped);
    }

    fn read_requirements<R: Read + Seek>(&mut self, zip: &mut Zip<R>, errors: &mut ErrorList) {
        let mut seen = HashSet::new();
        let dropped = self.read_pairs(
            zip,
            "occupationSkillRelations",
            ["occupationUri", "skillUri", "relationType"],
            errors,
            |esco, row, occupation, competency, relation_type, errors| {
                let kind = match relation_type {
                    "essential" => RequirementKind::Required,
                    "optional" => RequirementKind::Desired,
                    other => {
                        errors.push(row.row_error(format!(
                            "unknown relationType `{other}`; expected `essential` or `optional`"
                        )));
                        return true;
                    }
                };
                if !seen.insert((occupation, competency)) {
                    return false;
                }
                let uri = esco.framework.competencies[competency].uri.clone();
                if let Some(o) = esco.framework.occupations.get_mut(occupation) {
                    o.requirements.push(OccupationRequirement {
                        competency_uri: uri,
                        kind,
                    });
                }
                esco.summary.requirements += 1;
                true
            },
            true,
        );
        self.summary.dropped_requirements = dropped.total();
        self.warn_dropped(
            "occupationSkillRelations.csv",
            "occupation requirements",
            &dropped,
        );
    }

    fn push_relation(&mut self, from: usize, kind: RelationKind, to: usize) {
        let uri = |i: usize| self.framework.competencies[i].uri.clone();
        let relation = ImportedRelation {
            from: uri(from),
            kind,
            to: uri(to),
        };
        self.framework.relations.push(relation);
    }

    fn warn_dropped(&mut self, file: &str, what: &str, dropped: &Dropped) {
        if dropped.total() == 0 {
            return;
        }
        let mut reasons = Vec::new();
        if let Some(example) = dropped.uris.iter().next() {
            reasons.push(format!(
                "{} name URIs not in the classification ({} distinct, e.g. {example})",
                dropped.unknown,
                dropped.uris.len()
            ));
        }
        if dropped.repeats > 0 {
            reasons.push(format!(
                "{} repeat a relation or relate a concept to itself",
                dropped.repeats
            ));
        }
        self.summary.warnings.push(format!(
            "{file}: {} {what} dropped: {}",
            dropped.total(),
            reasons.join("; ")
        ));
    }

    fn read_translation<R: Read + Seek>(
        &mut self,
        zip: &mut Zip<R>,
        language: String,
        version: Option<String>,
        errors: &mut ErrorList,
    ) {
        let mut merged = EscoTranslation {
            file: zip.name.clone(),
            language,
            version,
            ..EscoTranslation::default()
        };
        let mut unknown = HashSet::new();
        let language = merged.language.clone();
        let mut files: Vec<usize> = ["skills", "skillGroups", "occupations"]
            .iter()
            .filter_map(|stem| zip.find(stem, Some(&language)))
            .collect();
        files.extend(zip.collections(&language));
        for index in files {
            let Some(mut table) = zip.table(index, ShortRows::Reject, errors) else {
                continue;
            };
            let (Some(uri), Some(preferred)) = (
                table.require("conceptUri", errors),
                table.require("preferredLabel", errors),
            ) else {
                continue;
            };
            let labels = LabelColumns::of(&table, preferred);
            while let Some(row) = table.next_row(errors) {
                let uri = match row.text(uri) {
                    Ok(uri) => uri,
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                };
                if !self.needs_label(uri, &language, &mut unknown) {
                    continue;
                }
                if let Some(label) = labels.read(&row, false, errors) {
                    self.add_label(uri, &language, label, &mut merged);
                }
            }
        }
        if let Some(index) = zip.find("skillsHierarchy", Some(&language)) {
            if let Some(mut table) = zip.table(index, ShortRows::AsEmpty, errors) {
                let levels: Vec<(usize, usize)> = (0..4)
                    .filter_map(|level| {
                        Some((
                            table.column(&format!("Level {level} URI"))?,
                            table.column(&format!("Level {level} preferred term"))?,
                        ))
                    })
                    .collect();
                while let Some(row) = table.next_row(errors) {
                    for &(uri, term) in &levels {
                        let uri = row.optional(Some(uri), errors);
                        let term = row.optional(Some(term), errors);
                        if uri.is_empty()
                            || term.is_empty()
                            || !self.needs_label(uri, &language, &mut unknown)
                        {
                            continue;
                        }
                        let label = Label {
                            preferred: term.to_owned(),
                            ..Label::default()
                        };
                        self.add_label(uri, &language, label, &mut merged);
                    }
                }
            }
        }
        merged.unknown = unknown.len();
        self.summary.warnings.push(format!(
            "{}: labels in `{}` added to {} skills, {} skill groups and {} occupations; {} concepts not in the classification ignored",
            merged.file, merged.language, merged.skills, merged.skill_groups, merged.occupations, merged.unknown
        ));
        self.summary.translations.push(merged);
    }

    /// Whether the item `uri` exists and has no label in `language` yet; notes unknown URIs.
    fn needs_label(&self, uri: &str, language: &str, unknown: &mut HashSet<String>) -> bool {
        let labels = if let Some(&i) = self.competency_index.get(uri) {
            &self.framework.competencies[i].labels
        } else if let Some(&i) = self.occupation_index.get(uri) {
            &self.framework.occupations[i].labels
        } else {
            if !uri.is_empty() {
                unknown.insert(uri.to_owned());
            }
            return false;
        };
        !labels.contains_key(language)
    }

    fn add_label(&mut self, uri: &str, language: &str, label: Label, merged: &mut EscoTranslation) {
        if let Some(&i) = self.competency_index.get(uri) {
            let competency = &mut self.framework.competencies[i];
            competency.labels.insert(language.to_owned(), label);
            match competency.kind {
                CompetencyKind::Group => merged.skill_groups += 1,
                _ => merged.skills += 1,
            }
        } else if let Some(&i) = self.occupation_index.get(uri) {
            self.framework.occupations[i]
                .labels
                .insert(language.to_owned(), label);
            merged.occupations += 1;
        }
    }

    fn finish(mut self) -> (FrameworkImport, EscoSummary) {
        if self.summary.not_released > 0 {
            self.summary.warnings.insert(
                0,
                format!(
                    "{} concepts left out because their status is not `released`",
                    self.summary.not_released
                ),
            );
        }
        if self.summary.without_skill_type > 0 {
            self.summary.warnings.insert(
                0,
                format!(
                    "{} concepts have no skillType and were imported as skills",
                    self.summary.without_skill_type
                ),
            );
        }
        (self.framework, self.summary)
    }
}
