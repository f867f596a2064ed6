//! 1EdTech CASE 1.0/1.1 packages (`CFPackage` JSON): the `CFDocument` is the framework, its
//! `CFItems` the competencies, its `CFAssociations` their relations.
//!
//! Mapping:
//! - framework: uri = `CFDocument.uri` (else its identifier), title = `title` in the document's
//!   `language` (default `en`), version = `version`, else `lastChangeDateTime`, else `unversioned`;
//! - item → competency: uri = `uri` (else `identifier`), code = `humanCodingScheme`, category =
//!   `CFItemType` (or `CFItemTypeURI.title`), labels in the item's `language` (else the
//!   document's): preferred = `abbreviatedStatement` if there is one, with `fullStatement` as the
//!   description; otherwise preferred = `fullStatement` and description = `notes`;
//!   `alternativeLabel` is the alternative. Kind [`CompetencyKind::Group`] for an item that has
//!   children and whose `CFItemType` names a grouping (Domain, Cluster, Strand, Category, Group,
//!   Grouping, Section, Area, Competency Area, Subject), [`CompetencyKind::Competency`] otherwise:
//!   in most frameworks a parent standard is itself assessed.
//! - associations: `isChildOf` and `isPartOf` → [`RelationKind::Broader`] (origin → destination);
//!   `precedes` → [`RelationKind::Prerequisite`] read backwards (A precedes B: B needs A);
//!   `isRelatedTo`, `isPeerOf` → Related; `exactMatchOf` → ExactMatch; `replacedBy` →
//!   ReplacedBy. Associations whose destination is the CFDocument itself (top-level items) are
//!   not relations and are dropped silently. ExactMatch, Related and ReplacedBy may point outside
//!   the package by URI (to another framework); every other association must join two items of
//!   the package. `exemplar`, `hasSkillLevel` and unknown types are skipped with a deviation.
//!
//! Real exports are often a little off the schema; whatever can be understood is read and each
//! bending of the rules is reported as a [`Deviation`] with its JSON path. Only a file with
//! nothing importable (not JSON, no CFDocument, no items) is an error.

use crate::error::{Deviation, ImportError, ImportErrors};
use mycel_competency::framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, ImportedRelation, Label,
    Labels, RelationKind,
};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// How many deviations are listed; the rest are summed up in one last deviation.
pub const MAX_DEVIATIONS: usize = 1000;

/// `CFItemType` values (lower case) that make an item with children a [`CompetencyKind::Group`].
const GROUP_TYPES: [&str; 10] = [
    "domain",
    "cluster",
    "strand",
    "category",
    "group",
    "grouping",
    "section",
    "area",
    "competency area",
    "subject",
];

/// Reads a CASE package. `file_name` names the file in errors.
pub fn read_case(
    json: &[u8],
    file_name: &str,
) -> Result<(FrameworkImport, Vec<Deviation>), ImportErrors> {
    let json = json.strip_prefix(b"\xef\xbb\xbf").unwrap_or(json);
    let root: Value = serde_json::from_slice(json).map_err(|e| {
        let text = e.to_string();
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&position).unwrap_or(&text);
        let error = ImportError::new(file_name, format!("not valid JSON: {message}"));
        if e.line() > 0 {
            error
                .at_line(e.line() as u64)
                .at_column(e.column() as u64, None)
        } else {
            error
        }
    })?;
    let mut reader = CaseReader {
        file: file_name,
        deviations: Vec::new(),
        left_out: 0,
        spellings: HashSet::new(),
    };
    let result = reader.read(&root)?;
    let mut deviations = reader.deviations;
    if reader.left_out > 0 {
        deviations.push(Deviation {
            path: "$".to_owned(),
            message: format!("{} more deviations not listed", reader.left_out),
        });
    }
    Ok((result, deviations))
}

struct CaseReader<'f> {
    file: &'f str,
    deviations: Vec<Deviation>,
    left_out: usize,
    /// Misspelled keys already reported (each spelling is reported once).
    spellings: HashSet<(String, &'static str)>,
}

/// An item as read, before its kind is known.
struct Item {
    path: String,
    competency: ImportedCompetency,
}

/// What an association's node names.
enum Target {
    Item(usize),
    Document,
    /// Not in the package; its URI if it has one that looks like a URI.
    Outside(Option<String>, String),
}

struct Relation {
    path: String,
    from: usize,
    kind: RelationKind,
    to: RelationTo,
}

#[derive(PartialEq, Eq, Hash, Clone)]
enum RelationTo {
    Item(usize),
    Uri(String),
}

impl CaseReader<'_> {
    fn deviate(&mut self, path: impl Into<String>, message: impl Into<String>) {
        if self.deviations.len() < MAX_DEVIATIONS {
            self.deviations.push(Deviation {
                path: path.into(),
                message: message.into(),
            });
        } else {
            self.left_out += 1;
        }
    }

    fn error(&self, path: &str, message: &str) -> ImportErrors {
        ImportError::new(self.file, format!("{path}: {message}")).into()
    }

    /// The value of `key` in `object`, also under another ASCII case (reported once per
    /// spelling), with the path to it.
    fn field<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        path: &str,
        key: &'static str,
    ) -> Option<(String, &'v Value)> {
        if let Some(value) = object.get(key) {
            return Some((format!("{path}.{key}"), value));
        }
        let (written, value) = object.iter().find(|(k, _)| k.eq_ignore_ascii_case(key))?;
        let field_path = format!("{path}.{written}");
        if self.spellings.insert((written.clone(), key)) {
            self.deviate(
                &field_path,
                format!("key spelled `{written}`; read as `{key}` (here and wherever else it is spelled so)"),
            );
        }
        Some((field_path, value))
    }

    /// A text field: strings trimmed (empty → `None`), numbers and booleans as written (with a
    /// deviation), anything else ignored with a deviation.
    fn text(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
        key: &'static str,
    ) -> Option<String> {
        let (path, value) = self.field(object, path, key)?;
        match value {
            Value::String(s) => {
                let s = s.trim();
                (!s.is_empty()).then(|| s.to_owned())
            }
            Value::Null => None,
            Value::Number(_) | Value::Bool(_) => {
                self.deviate(&path, "not a string; read as text");
                Some(value.to_string())
            }
            Value::Array(_) | Value::Object(_) => {
                self.deviate(&path, "not a string; ignored");
                None
            }
        }
    }

    /// A language tag's primary subtag in lower case (`en-US` → `en`).
    fn language(&mut self, object: &Map<String, Value>, path: &str) -> Option<String> {
        let tag = self.text(object, path, "language")?;
        let primary = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        if (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase()) {
            Some(primary)
        } else {
            self.deviate(
                format!("{path}.language"),
                format!("`{tag}` is not a language tag; ignored"),
            );
            None
        }
    }

    /// Reports a `lastChangeDateTime` that is not an ISO 8601 date-time; returns it as written.
    fn date_time(&mut self, object: &Map<String, Value>, path: &str) -> Option<String> {
        let value = self.text(object, path, "lastChangeDateTime")?;
        if !is_date_time(&value) {
            self.deviate(
                format!("{path}.lastChangeDateTime"),
                format!("`{value}` is not an ISO 8601 date-time (like 2017-09-22T23:13:54+00:00); kept as written"),
            );
        }
        Some(value)
    }

    fn read(&mut self, root: &Value) -> Result<FrameworkImport, ImportErrors> {
        let Value::Object(root) = root else {
            return Err(self.error("$", "not a CASE package: the JSON is not an object"));
        };
        // Some exports wrap the package in `{"CFPackage": {…}}`.
        let (package, path) = match self.field(root, "$", "CFPackage") {
            Some((path, Value::Object(inner)))
                if !root.keys().any(|k| k.eq_ignore_ascii_case("CFDocument")) =>
            {
                self.deviate(&path, "package wrapped in `CFPackage`; its content read");
                (inner, path)
            }
            _ => (root, "$".to_owned()),
        };

        let document = match self.field(package, &path, "CFDocument") {
            Some((doc_path, Value::Object(document))) => (doc_path, document),
            Some((doc_path, _)) => {
                return Err(self.error(&doc_path, "the CFDocument is not an object"))
            }
            None => return Err(self.error(&path, "no CFDocument: not a CASE package")),
        };
        let (doc_path, document) = document;
        let doc_identifier = self.text(document, &doc_path, "identifier");
        let doc_uri = self.text(document, &doc_path, "uri");
        let framework_uri = match (&doc_uri, &doc_identifier) {
            (Some(uri), _) => uri.clone(),
            (None, Some(identifier)) => {
                self.deviate(format!("{doc_path}.uri"), "missing; used identifier");
                identifier.clone()
            }
            (None, None) => {
                return Err(self.error(&doc_path, "the CFDocument has neither uri nor identifier"))
            }
        };
        let doc_language = self
            .language(document, &doc_path)
            .unwrap_or_else(|| "en".to_owned());
        let title = match self.text(document, &doc_path, "title") {
            Some(title) => title,
            None => {
                self.deviate(format!("{doc_path}.title"), "missing; used the file name");
                self.file.to_owned()
            }
        };
        let changed = self.date_time(document, &doc_path);
        let version = match self.text(document, &doc_path, "version").or(changed) {
            Some(version) => version,
            None => {
                self.deviate(
                    &doc_path,
                    "neither version nor lastChangeDateTime; version `unversioned`",
                );
                "unversioned".to_owned()
            }
        };
        let description = self.text(document, &doc_path, "description");

        let (items, ids) = self.read_items(package, &path, &doc_language)?;
        let document_ids = [doc_identifier, doc_uri];
        let relations = self.read_associations(package, &path, &ids, &document_ids);
        let relations = self.drop_cycles(relations, items.len());

        let mut has_children = vec![false; items.len()];
        for relation in &relations {
            if let (RelationKind::Broader, RelationTo::Item(parent)) = (relation.kind, &relation.to)
            {
                has_children[*parent] = true;
            }
        }
        let uri_of = |to: &RelationTo| match to {
            RelationTo::Item(i) => items[*i].competency.uri.clone(),
            RelationTo::Uri(uri) => uri.clone(),
        };
        let imported_relations = relations
            .iter()
            .map(|r| ImportedRelation {
                from: items[r.from].competency.uri.clone(),
                kind: r.kind,
                to: uri_of(&r.to),
            })
            .collect();
        let competencies = items
            .into_iter()
            .zip(has_children)
            .map(|(item, has_children)| {
                let mut competency = item.competency;
                let grouping = competency
                    .category
                    .as_deref()
                    .is_some_and(|c| GROUP_TYPES.contains(&c.to_ascii_lowercase().as_str()));
                if has_children && grouping {
                    competency.kind = CompetencyKind::Group;
                }
                competency
            })
            .collect();

        Ok(FrameworkImport {
            kind: FrameworkKind::Case,
            uri: framework_uri,
            title: Labels::from([(
                doc_language,
                Label {
                    preferred: title,
                    alternatives: Vec::new(),
                    description,
                },
            )]),
            version,
            competencies,
            relations: imported_relations,
            occupations: Vec::new(),
        })
    }

    /// The items, and for each identifier and uri the item it names.
    fn read_items(
        &mut self,
        package: &Map<String, Value>,
        path: &str,
        doc_language: &str,
    ) -> Result<(Vec<Item>, HashMap<String, usize>), ImportErrors> {
        let (items_path, list) = match self.field(package, path, "CFItems") {
            Some((p, Value::Array(list))) if !list.is_empty() => (p, list),
            Some((p, Value::Array(_))) => return Err(self.error(&p, "no items: nothing to import")),
            Some((p, _)) => return Err(self.error(&p, "CFItems is not an array")),
            None => return Err(self.error(path, "no CFItems: nothing to import")),
        };
        let mut items: Vec<Item> = Vec::with_capacity(list.len());
        let mut ids: HashMap<String, usize> = HashMap::new();
        for (i, value) in list.iter().enumerate() {
            let item_path = format!("{items_path}[{i}]");
            let Value::Object(item) = value else {
                self.deviate(&item_path, "not an object; skipped");
                continue;
            };
            let identifier = self.text(item, &item_path, "identifier");
            let uri = match (self.text(item, &item_path, "uri"), &identifier) {
                (Some(uri), _) => uri,
                (None, Some(identifier)) => {
                    self.deviate(format!("{item_path}.uri"), "missing; used identifier");
                    identifier.clone()
                }
                (None, None) => {
                    self.deviate(&item_path, "neither uri nor identifier; skipped");
                    continue;
                }
            };
            let duplicate = [identifier.as_deref(), Some(uri.as_str())]
                .into_iter()
                .flatten()
                .find_map(|id| ids.get(id).map(|&first| (id.to_owned(), first)));
            if let Some((id, first)) = duplicate {
                let first_path = items.get(first).map(|f| f.path.clone()).unwrap_or_default();
                self.deviate(
                    &item_path,
                    format!("duplicate identifier `{id}` (first at {first_path}); skipped"),
                );
                continue;
            }
            let full = self.text(item, &item_path, "fullStatement");
            let abbreviated = self.text(item, &item_path, "abbreviatedStatement");
            let notes = self.text(item, &item_path, "notes");
            let alternative = self.text(item, &item_path, "alternativeLabel");
            let code = self.text(item, &item_path, "humanCodingScheme");
            let (preferred, description) = match (abbreviated, full) {
                (Some(abbreviated), Some(full)) if abbreviated != full => (abbreviated, Some(full)),
                (_, Some(full)) => (full, notes),
                (Some(abbreviated), None) => {
                    self.deviate(
                        format!("{item_path}.fullStatement"),
                        "missing; used abbreviatedStatement",
                    );
                    (abbreviated, notes)
                }
                (None, None) => match code.clone().or_else(|| alternative.clone()) {
                    Some(text) => {
                        self.deviate(
                            format!("{item_path}.fullStatement"),
                            "missing; used humanCodingScheme or alternativeLabel as the label",
                        );
                        (text, notes)
                    }
                    None => {
                        self.deviate(&item_path, "no fullStatement nor any other text; skipped");
                        continue;
                    }
                },
            };
            let alternatives = alternative
                .into_iter()
                .filter(|a| *a != preferred)
                .collect();
            let category = match self.text(item, &item_path, "CFItemType") {
                Some(item_type) => Some(item_type),
                None => match self.field(item, &item_path, "CFItemTypeURI") {
                    Some((type_path, Value::Object(link))) => self.text(link, &type_path, "title"),
                    _ => None,
                },
            };
            let language = self
                .language(item, &item_path)
                .unwrap_or_else(|| doc_language.to_owned());
            self.date_time(item, &item_path);

            let index = items.len();
            if let Some(identifier) = &identifier {
                ids.insert(identifier.clone(), index);
            }
            ids.insert(uri.clone(), index);
            items.push(Item {
                path: item_path,
                competency: ImportedCompetency {
                    uri,
                    code,
                    kind: CompetencyKind::Competency,
                    category,
                    labels: Labels::from([(
                        language,
                        Label {
                            preferred,
                            alternatives,
                            description,
                        },
                    )]),
                },
            });
        }
        if items.is_empty() {
            return Err(self.error(&items_path, "none of the items can be imported"));
        }
        Ok((items, ids))
    }

    /// What the node `key` of an association names; `None` (with a deviation) if it is missing.
    fn node(
        &mut self,
        association: &Map<String, Value>,
        path: &str,
        key: &'static str,
        ids: &HashMap<String, usize>,
        document_ids: &[Option<String>; 2],
    ) -> Option<(String, Target)> {
        let Some((node_path, value)) = self.field(association, path, key) else {
            self.deviate(format!("{path}.{key}"), "missing; association dropped");
            return None;
        };
        let (identifier, uri) = match value {
            Value::Object(node) => (
                self.text(node, &node_path, "identifier"),
                self.text(node, &node_path, "uri"),
            ),
            Value::String(s) if !s.trim().is_empty() => {
                self.deviate(
                    &node_path,
                    "a plain string instead of {identifier, uri, title}; read as either",
                );
                (Some(s.trim().to_owned()), Some(s.trim().to_owned()))
            }
            _ => {
                self.deviate(
                    &node_path,
                    "neither an object nor a string; association dropped",
                );
                return None;
            }
        };
        let names = [identifier.as_deref(), uri.as_deref()];
        if let Some(&item) = names.iter().flatten().find_map(|id| ids.get(*id)) {
            return Some((node_path, Target::Item(item)));
        }
        let is_document = names
            .iter()
            .flatten()
            .any(|id| document_ids.iter().flatten().any(|d| d == id));
        if is_document {
            return Some((node_path, Target::Document));
        }
        let Some(shown) = identifier.clone().or_else(|| uri.clone()) else {
            self.deviate(
                &node_path,
                "neither identifier nor uri; association dropped",
            );
            return None;
        };
        let uri = uri.filter(|u| looks_like_uri(u));
        Some((node_path, Target::Outside(uri, shown)))
    }

    fn read_associations(
        &mut self,
        package: &Map<String, Value>,
        path: &str,
        ids: &HashMap<String, usize>,
        document_ids: &[Option<String>; 2],
    ) -> Vec<Relation> {
        let (list_path, list) = match self.field(package, path, "CFAssociations") {
            Some((p, Value::Array(list))) => (p, list),
            Some((_, Value::Null)) | None => return Vec::new(),
            Some((p, _)) => {
                self.deviate(&p, "not an array; ignored");
                return Vec::new();
            }
        };
        let mut relations = Vec::new();
        let mut seen: HashSet<(usize, RelationKind, RelationTo)> = HashSet::new();
        for (i, value) in list.iter().enumerate() {
            let assoc_path = format!("{list_path}[{i}]");
            let Value::Object(association) = value else {
                self.deviate(&assoc_path, "not an object; skipped");
                continue;
            };
            let Some(written) = self.text(association, &assoc_path, "associationType") else {
                self.deviate(
                    format!("{assoc_path}.associationType"),
                    "missing; association skipped",
                );
                continue;
            };
            let Some((canonical, kind)) = association_kind(&written) else {
                self.deviate(
                    format!("{assoc_path}.associationType"),
                    format!("`{written}` is not imported; association skipped"),
                );
                continue;
            };
            if canonical != written {
                self.deviate(
                    format!("{assoc_path}.associationType"),
                    format!("`{written}` read as `{canonical}`"),
                );
            }
            let origin = self.node(association, &assoc_path, "originNodeURI", ids, document_ids);
            let destination = self.node(
                association,
                &assoc_path,
                "destinationNodeURI",
                ids,
                document_ids,
            );
            let (Some((origin_path, origin)), Some((destination_path, destination))) =
                (origin, destination)
            else {
                continue;
            };
            let structural = matches!(kind, RelationKind::Broader | RelationKind::Prerequisite);
            let (from, to) = match (origin, destination) {
                (Target::Item(origin), Target::Item(destination)) => {
                    (origin, RelationTo::Item(destination))
                }
                (_, Target::Document) if kind == RelationKind::Broader => continue,
                (Target::Item(origin), Target::Outside(Some(uri), _)) if !structural => {
                    (origin, RelationTo::Uri(uri))
                }
                (Target::Item(_), Target::Outside(_, shown)) => {
                    self.deviate(
                        &destination_path,
                        format!("`{shown}` is not an item of this package; association dropped"),
                    );
                    continue;
                }
                (Target::Item(_), Target::Document) | (Target::Document, _) => {
                    self.deviate(
                        &assoc_path,
                        format!("`{canonical}` with the CFDocument itself; dropped"),
                    );
                    continue;
                }
                (Target::Outside(_, shown), _) => {
                    self.deviate(
                        &origin_path,
                        format!("`{shown}` is not an item of this package; association dropped"),
                    );
                    continue;
                }
            };
            // A precedes B: B needs A first.
            let (from, to) = match (kind, to) {
                (RelationKind::Prerequisite, RelationTo::Item(b)) => (b, RelationTo::Item(from)),
                (_, to) => (from, to),
            };
            if to == RelationTo::Item(from) {
                self.deviate(&assoc_path, "an item related to itself; dropped");
                continue;
            }
            if seen.insert((from, kind, to.clone())) {
                relations.push(Relation {
                    path: assoc_path,
                    from,
                    kind,
                    to,
                });
            }
        }
        relations
    }

    /// Drops (with a deviation) each broader or prerequisite relation that closes a cycle: the
    /// one that comes last in the file.
    fn drop_cycles(&mut self, relations: Vec<Relation>, items: usize) -> Vec<Relation> {
        let mut dropped = vec![false; relations.len()];
        for kind in [RelationKind::Broader, RelationKind::Prerequisite] {
            let edges: Vec<(usize, usize, usize)> = relations
                .iter()
                .enumerate()
                .filter_map(
                    |(r, relation)| match (&relation.to, relation.kind == kind) {
                        (RelationTo::Item(to), true) => Some((r, relation.from, *to)),
                        _ => None,
                    },
                )
                .collect();
            let mut graph: Vec<Vec<usize>> = vec![Vec::new(); items];
            for &(_, from, to) in &edges {
                graph[from].push(to);
            }
            if !has_cycle(&graph) {
                continue;
            }
            // Rare: add the edges in file order, leaving out each that would close a cycle.
            let mut graph: Vec<Vec<usize>> = vec![Vec::new(); items];
            for (r, from, to) in edges {
                if reaches(&graph, to, from) {
                    dropped[r] = true;
                } else {
                    graph[from].push(to);
                }
            }
        }
        let mut kept = Vec::with_capacity(relations.len());
        for (relation, dropped) in relations.into_iter().zip(dropped) {
            if dropped {
                self.deviate(
                    &relation.path,
                    format!(
                        "closes a cycle of `{}` relations; dropped",
                        relation.kind.as_str()
                    ),
                );
            } else {
                kept.push(relation);
            }
        }
        kept
    }
}

/// Whether the directed graph has a cycle (iterative depth-first search).
fn has_cycle(graph: &[Vec<usize>]) -> bool {
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; graph.len()];
    for start in 0..graph.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, next)) = stack.pop() {
            if let Some(&to) = graph[node].get(next) {
                stack.push((node, next + 1));
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => return true,
                    _ => {}
                }
            } else {
                state[node] = 2;
            }
        }
    }
    false
}

/// Whether `to` can be reached from `from`.
fn reaches(graph: &[Vec<usize>], from: usize, to: usize) -> bool {
    let mut seen = vec![false; graph.len()];
    let mut stack = vec![from];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if !std::mem::replace(&mut seen[node], true) {
            stack.extend(&graph[node]);
        }
    }
    false
}

/// The canonical name and relation kind of an association type imported as a relation.
fn association_kind(written: &str) -> Option<(&'static str, RelationKind)> {
    const KINDS: [(&str, RelationKind); 7] = [
        ("isChildOf", RelationKind::Broader),
        ("isPartOf", RelationKind::Broader),
        ("precedes", RelationKind::Prerequisite),
        ("isRelatedTo", RelationKind::Related),
        ("isPeerOf", RelationKind::Related),
        ("exactMatchOf", RelationKind::ExactMatch),
        ("replacedBy", RelationKind::ReplacedBy),
    ];
    KINDS
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(written))
}

/// Whether `s` starts with a URI scheme (`https:`, `urn:`) and has no white space.
pub(crate) fn looks_like_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !s.chars().any(char::is_whitespace)
}

/// `YYYY-MM-DDTHH:MM:SS`, optional fraction, optional `Z` or `±HH:MM` (ISO 8601 / RFC 3339;
/// a space for the `T` is accepted too).
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    if !(digits(0..4)
        && at(4, b"-")
        && digits(5..7)
        && at(7, b"-")
        && digits(8..10)
        && at(10, b"Tt ")
        && digits(11..13)
        && at(13, b":")
        && digits(14..16)
        && at(16, b":")
        && digits(17..19))
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let n = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest.as_bytes() {
        [] | [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] | [b'+' | b'-', h1, h2, m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{is_date_time, looks_like_uri};

    #[test]
    fn date_times() {
        for good in [
            "2017-09-22T23:13:54+00:00",
            "2017-09-22T23:13:54Z",
            "2017-09-22T23:13:54.123-0530",
            "2017-09-22 23:13:54",
        ] {
            assert!(is_date_time(good), "{good}");
        }
        for bad in [
            "2017-09-22",
            "22.09.2017",
            "2017-09-22T23:13",
            "2017-09-22T23:13:54.",
            "2017-09-22T23:13:54+1",
            "2017-09-22T23:13:54ü",
            "",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn uris() {
        assert!(looks_like_uri("http://data.europa.eu/esco/skill/x"));
        assert!(looks_like_uri("urn:uuid:1234"));
        assert!(!looks_like_uri("a-elsewhere"));
        assert!(!looks_like_uri("http://x/a b"));
        assert!(!looks_like_uri("1http:x"));
        assert!(!looks_like_uri("http:"));
    }
}
