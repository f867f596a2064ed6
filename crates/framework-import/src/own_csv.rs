//! A tenant's own competency framework as one CSV file (see `docs/competency-import.md`).
//!
//! A header row names the columns, in any order and any ASCII case:
//!
//! | column | |
//! |---|---|
//! | `code` | required, unique; the item's URI within the framework (`kasse-01`) |
//! | `parent_code` | the code of the broader item |
//! | `kind` | `skill`, `knowledge`, `group` or `competency` (the default) |
//! | `label_de`, `label_en` | at least one column, and in each row at least one label |
//! | `description_de`, `description_en` | |
//! | `alternatives_de`, `alternatives_en` | synonyms, separated by `\|` |
//! | `prerequisite_codes` | codes of this file to learn first, separated by `\|` |
//! | `exact_match`, `broader_match`, `related_match` | URIs of items of other frameworks (ESCO `conceptUri`s), separated by `\|` |
//!
//! Fields are separated by `,` or `;` (or a tab): whichever occurs most in the header row.
//! UTF-8, with or without a byte order mark. Columns with an empty header are ignored; any other
//! unknown column is an error, so that a misspelt one is not silently lost.

use crate::case::looks_like_uri;
use crate::error::{ErrorList, ImportError, ImportErrors};
use crate::table::{split_list, Row, ShortRows, Table};
use mycel_competency::framework::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, ImportedRelation, Label,
    Labels, RelationKind,
};
use std::collections::HashMap;

/// The languages an own CSV has columns for.
pub const LANGUAGES: [&str; 2] = ["de", "en"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Code,
    ParentCode,
    Kind,
    Label(usize),
    Description(usize),
    Alternatives(usize),
    PrerequisiteCodes,
    ExactMatch,
    BroaderMatch,
    RelatedMatch,
}

const FIELDS: [(&str, Field); 13] = [
    ("code", Field::Code),
    ("parent_code", Field::ParentCode),
    ("kind", Field::Kind),
    ("label_de", Field::Label(0)),
    ("label_en", Field::Label(1)),
    ("description_de", Field::Description(0)),
    ("description_en", Field::Description(1)),
    ("alternatives_de", Field::Alternatives(0)),
    ("alternatives_en", Field::Alternatives(1)),
    ("prerequisite_codes", Field::PrerequisiteCodes),
    ("exact_match", Field::ExactMatch),
    ("broader_match", Field::BroaderMatch),
    ("related_match", Field::RelatedMatch),
];

/// The column index of each field present.
#[derive(Default)]
struct Columns {
    index: HashMap<usize, usize>,
}

impl Columns {
    fn key(field: Field) -> usize {
        FIELDS
            .iter()
            .position(|(_, f)| *f == field)
            .unwrap_or(usize::MAX)
    }

    fn get(&self, field: Field) -> Option<usize> {
        self.index.get(&Self::key(field)).copied()
    }
}

/// A row as read, before references are checked.
struct Draft {
    line: u64,
    code: String,
    parent: Option<String>,
    prerequisites: Vec<String>,
    competency: ImportedCompetency,
    matches: Vec<(RelationKind, String)>,
}

/// Reads a tenant's framework from CSV. `file_name` names the file in errors; `framework_code`
/// becomes the framework's URI; `title` its title in each language the file has labels in. The
/// version is a fingerprint of the content (`csv-` and 16 hex digits), so the same file gives the
/// same version. A file with any error gives all of them and nothing else.
pub fn read_competency_csv(
    data: &[u8],
    file_name: &str,
    framework_code: &str,
    title: &str,
) -> Result<FrameworkImport, ImportErrors> {
    let mut errors = ErrorList::default();
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let Some(mut table) = Table::open(
        file_name,
        data,
        detect_delimiter(data),
        ShortRows::Reject,
        &mut errors,
    ) else {
        return errors.finish(empty(framework_code, title, data, &[]));
    };
    let columns = read_header(&table, &mut errors);
    if !errors.is_empty() {
        return errors.finish(empty(framework_code, title, data, &[]));
    }

    let code_column = columns.get(Field::Code).unwrap_or_default();
    let parent_column = columns.get(Field::ParentCode).unwrap_or_default();
    let prerequisite_column = columns.get(Field::PrerequisiteCodes).unwrap_or_default();
    let mut drafts: Vec<Draft> = Vec::new();
    // The line of each code, including those of rows with errors.
    let mut lines: HashMap<String, u64> = HashMap::new();
    while let Some(row) = table.next_row(&mut errors) {
        let draft = match read_row(&row, &columns, &mut errors) {
            Ok(draft) => draft,
            Err(code) => {
                if !code.is_empty() {
                    lines.entry(code).or_insert(row.line());
                }
                continue;
            }
        };
        if let Some(first) = lines.get(&draft.code) {
            errors.push(row.error(
                code_column,
                format!("duplicate code `{}` (first on line {first})", draft.code),
            ));
            continue;
        }
        lines.insert(draft.code.clone(), draft.line);
        drafts.push(draft);
    }
    let error_at = |line: u64, column: usize, message: String| {
        ImportError::new(file_name, message)
            .at_line(line)
            .at_column(
                column as u64 + 1,
                table.headers().get(column).map(String::as_str),
            )
    };

    let index: HashMap<&str, usize> = drafts
        .iter()
        .enumerate()
        .map(|(i, d)| (d.code.as_str(), i))
        .collect();
    let mut parents: Vec<Option<usize>> = vec![None; drafts.len()];
    let mut prerequisites: Vec<Vec<usize>> = vec![Vec::new(); drafts.len()];
    for (i, draft) in drafts.iter().enumerate() {
        if let Some(parent) = &draft.parent {
            match index.get(parent.as_str()) {
                Some(&p) => parents[i] = Some(p),
                None if lines.contains_key(parent) => {} // its row has errors of its own
                None => errors.push(error_at(
                    draft.line,
                    parent_column,
                    format!("parent_code `{parent}` is not a code in this file"),
                )),
            }
        }
        for code in &draft.prerequisites {
            match index.get(code.as_str()) {
                Some(&p) if p == i => errors.push(error_at(
                    draft.line,
                    prerequisite_column,
                    format!("`{code}` is its own prerequisite"),
                )),
                Some(&p) => prerequisites[i].push(p),
                None if lines.contains_key(code) => {}
                None => errors.push(error_at(
                    draft.line,
                    prerequisite_column,
                    format!("prerequisite `{code}` is not a code in this file"),
                )),
            }
        }
    }
    let graph: Vec<Vec<usize>> = parents
        .iter()
        .map(|p| p.iter().copied().collect())
        .collect();
    for cycle in cycles(&graph) {
        let (line, path) = describe_cycle(&cycle, &drafts);
        errors.push(error_at(
            line,
            parent_column,
            format!("cycle in parent_code: {path}"),
        ));
    }
    for cycle in cycles(&prerequisites) {
        let (line, path) = describe_cycle(&cycle, &drafts);
        errors.push(error_at(
            line,
            prerequisite_column,
            format!("cycle in prerequisite_codes: {path}"),
        ));
    }

    let languages: Vec<&str> = LANGUAGES
        .iter()
        .enumerate()
        .filter(|(l, _)| columns.get(Field::Label(*l)).is_some())
        .map(|(_, language)| *language)
        .collect();
    let mut framework = empty(framework_code, title, data, &languages);
    for draft in drafts {
        let from = draft.code;
        if let Some(parent) = draft.parent {
            framework
                .relations
                .push(relation(&from, RelationKind::Broader, parent));
        }
        for code in draft.prerequisites {
            framework
                .relations
                .push(relation(&from, RelationKind::Prerequisite, code));
        }
        for (kind, uri) in draft.matches {
            framework.relations.push(relation(&from, kind, uri));
        }
        framework.competencies.push(draft.competency);
    }
    errors.sort_by_line();
    errors.finish(framework)
}

fn relation(from: &str, kind: RelationKind, to: String) -> ImportedRelation {
    ImportedRelation {
        from: from.to_owned(),
        kind,
        to,
    }
}

fn empty(framework_code: &str, title: &str, data: &[u8], languages: &[&str]) -> FrameworkImport {
    let label = Label {
        preferred: title.to_owned(),
        alternatives: Vec::new(),
        description: None,
    };
    FrameworkImport {
        kind: FrameworkKind::Own,
        uri: framework_code.to_owned(),
        title: languages
            .iter()
            .map(|l| ((*l).to_owned(), label.clone()))
            .collect(),
        version: format!("csv-{:016x}", fingerprint(data)),
        competencies: Vec::new(),
        relations: Vec::new(),
        occupations: Vec::new(),
    }
}

/// FNV-1a, 64 bits: a version that changes when the content does (not a security measure).
fn fingerprint(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |hash, b| {
        (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `;`, `,` or tab, whichever occurs most outside quotes in the first line (`,` on a tie).
fn detect_delimiter(data: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in data {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (b',', counts[0]);
    for (delimiter, count) in [(b';', counts[1]), (b'\t', counts[2])] {
        if count > best.1 {
            best = (delimiter, count);
        }
    }
    best.0
}

fn read_header(table: &Table<&[u8]>, errors: &mut ErrorList) -> Columns {
    let mut columns = Columns::default();
    for (i, name) in table.headers().iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        let header_error = |message: String| {
            ImportError::new(table.file(), message)
                .at_line(1)
                .at_column(i as u64 + 1, Some(name))
        };
        match FIELDS
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            Some(key) => {
                if columns.index.insert(key, i).is_some() {
                    errors.push(header_error(format!("the column `{name}` appears twice")));
                }
            }
            None => {
                let known: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                errors.push(header_error(format!(
                    "unknown column `{name}`; the columns are {}",
                    known.join(", ")
                )));
            }
        }
    }
    if columns.get(Field::Code).is_none() {
        errors.push(
            ImportError::new(table.file(), "the required column `code` is missing").at_line(1),
        );
    }
    if columns.get(Field::Label(0)).is_none() && columns.get(Field::Label(1)).is_none() {
        errors.push(
            ImportError::new(
                table.file(),
                "a column `label_de` or `label_en` is required",
            )
            .at_line(1),
        );
    }
    columns
}

/// The text of `field` in `row` ("" if the file has no such column); invalid UTF-8 is recorded.
fn field<'a>(
    row: &Row<'a>,
    columns: &Columns,
    field: Field,
    errors: &mut ErrorList,
    ok: &mut bool,
) -> &'a str {
    let Some(index) = columns.get(field) else {
        return "";
    };
    match row.text(index) {
        Ok(text) => text,
        Err(e) => {
            errors.push(e);
            *ok = false;
            ""
        }
    }
}

/// The row's item, or (with its errors recorded) its code if it has one.
fn read_row(row: &Row<'_>, columns: &Columns, errors: &mut ErrorList) -> Result<Draft, String> {
    let mut ok = true;
    let code = field(row, columns, Field::Code, errors, &mut ok);
    let parent = field(row, columns, Field::ParentCode, errors, &mut ok);
    let kind = field(row, columns, Field::Kind, errors, &mut ok);
    // A label that is not valid UTF-8 is reported as such, not as missing too.
    let mut labels_readable = true;
    let labels: Vec<[&str; 3]> = (0..LANGUAGES.len())
        .map(|l| {
            [
                field(row, columns, Field::Label(l), errors, &mut labels_readable),
                field(row, columns, Field::Description(l), errors, &mut ok),
                field(row, columns, Field::Alternatives(l), errors, &mut ok),
            ]
        })
        .collect();
    ok &= labels_readable;
    let prerequisites = field(row, columns, Field::PrerequisiteCodes, errors, &mut ok);
    let mut matches = Vec::with_capacity(3);
    for (kind, f) in [
        (RelationKind::ExactMatch, Field::ExactMatch),
        (RelationKind::Broader, Field::BroaderMatch),
        (RelationKind::Related, Field::RelatedMatch),
    ] {
        matches.push((kind, f, field(row, columns, f, errors, &mut ok)));
    }
    let column = |field: Field| columns.get(field).unwrap_or_default();

    if code.is_empty() {
        errors.push(row.error(column(Field::Code), "the code is empty"));
        ok = false;
    } else if code.contains('|') {
        errors.push(row.error(
            column(Field::Code),
            format!("the code `{code}` contains `|`"),
        ));
        ok = false;
    }
    let kind = match kind.to_ascii_lowercase().as_str() {
        "" => CompetencyKind::Competency,
        k => match CompetencyKind::parse(k) {
            Some(kind) => kind,
            None => {
                errors.push(row.error(
                    column(Field::Kind),
                    format!(
                        "unknown kind `{kind}`; expected skill, knowledge, group or competency"
                    ),
                ));
                ok = false;
                CompetencyKind::Competency
            }
        },
    };

    let mut imported_labels = Labels::new();
    for (l, [label, description, alternatives]) in labels.into_iter().enumerate() {
        if label.is_empty() {
            for (field, value) in [
                (Field::Description(l), description),
                (Field::Alternatives(l), alternatives),
            ] {
                if !value.is_empty() {
                    errors.push(row.error(
                        column(field),
                        format!("text in language `{}` but no label_{0}", LANGUAGES[l]),
                    ));
                    ok = false;
                }
            }
            continue;
        }
        let alternatives = split_list(alternatives, '|')
            .into_iter()
            .filter(|a| a != label)
            .collect();
        imported_labels.insert(
            LANGUAGES[l].to_owned(),
            Label {
                preferred: label.to_owned(),
                alternatives,
                description: (!description.is_empty()).then(|| description.to_owned()),
            },
        );
    }
    if imported_labels.is_empty() && labels_readable {
        let first_label = columns
            .get(Field::Label(0))
            .or(columns.get(Field::Label(1)));
        errors.push(row.error(
            first_label.unwrap_or_default(),
            "no label: label_de or label_en is required",
        ));
        ok = false;
    }

    if !parent.is_empty() && parent == code {
        errors.push(row.error(
            column(Field::ParentCode),
            format!("cycle in parent_code: {code} → {code}"),
        ));
        ok = false;
    }
    let mut relations = Vec::new();
    for (kind, field, value) in matches {
        for uri in split_list(value, '|') {
            if looks_like_uri(&uri) {
                relations.push((kind, uri));
            } else {
                errors.push(row.error(
                    column(field),
                    format!("`{uri}` is not a URI (like http://data.europa.eu/esco/skill/…)"),
                ));
                ok = false;
            }
        }
    }
    if !ok {
        return Err(code.to_owned());
    }
    Ok(Draft {
        line: row.line(),
        code: code.to_owned(),
        parent: (!parent.is_empty()).then(|| parent.to_owned()),
        prerequisites: split_list(prerequisites, '|'),
        competency: ImportedCompetency {
            uri: code.to_owned(),
            code: Some(code.to_owned()),
            kind,
            category: None,
            labels: imported_labels,
        },
        matches: relations,
    })
}

/// Each cycle of the graph once (as the nodes along it), found by depth-first search.
fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut found = Vec::new();
    // 0 unvisited, 1 on the current path, 2 done.
    let mut state = vec![0u8; edges.len()];
    for start in 0..edges.len() {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&(node, next)) = stack.last() {
            match edges[node].get(next) {
                Some(&to) => {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match state[to] {
                        0 => {
                            state[to] = 1;
                            stack.push((to, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|(n, _)| *n == to).unwrap_or_default();
                            found.push(stack[from..].iter().map(|(n, _)| *n).collect());
                        }
                        _ => {}
                    }
                }
                None => {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
    }
    found
}

/// The line of the cycle's first row in the file and `a → b → a`, starting there.
fn describe_cycle(cycle: &[usize], drafts: &[Draft]) -> (u64, String) {
    let start = (0..cycle.len())
        .min_by_key(|&i| drafts[cycle[i]].line)
        .unwrap_or_default();
    let mut codes: Vec<&str> = (0..cycle.len())
        .map(|k| drafts[cycle[(start + k) % cycle.len()]].code.as_str())
        .collect();
    if let Some(first) = codes.first().copied() {
        codes.push(first);
    }
    (drafts[cycle[start]].line, codes.join(" → "))
}
