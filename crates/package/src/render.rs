//! The text rendering of a package, as `mycel import package` prints it.
//!
//! One header line (kind, identifier, file count, size, hash), then the structure as an indented
//! tree in document order: cmi5 blocks and AUs with their moveOn, mastery score and launch method;
//! SCORM organizations and items with what they launch. Titles and ids are quoted with Rust's
//! `{:?}` so that control characters in a manifest cannot garble a terminal.

use std::fmt;

use crate::cmi5::{first_text, Cmi5Node};
use crate::package::{launch_text, CourseStructure, Package};
use crate::scorm::{ScormItem, ScormManifest, ScormType};

impl fmt::Display for Package {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} package: {} files, {} bytes, sha256 {}",
            self.kind(),
            self.files().len(),
            self.total_size(),
            self.sha256_hex()
        )?;
        if let Some(folder) = self.root_folder() {
            write!(f, ", root folder {folder:?}")?;
        }
        writeln!(f)?;
        write!(f, "{}", self.structure())
    }
}

impl fmt::Display for CourseStructure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CourseStructure::Cmi5(course) => {
                writeln!(
                    f,
                    "course {:?} ({}), {} objective(s)",
                    first_text(&course.title),
                    course.id,
                    course.objectives.len()
                )?;
                write_cmi5_nodes(f, &course.children, 1)
            }
            CourseStructure::Scorm(manifest) => {
                let default = manifest.organization().map(|o| o.identifier.as_str());
                writeln!(
                    f,
                    "manifest {:?}{}",
                    manifest.identifier,
                    manifest
                        .schema_version
                        .as_ref()
                        .map(|v| format!(", schemaversion {v:?}"))
                        .unwrap_or_default()
                )?;
                for organization in &manifest.organizations {
                    writeln!(
                        f,
                        "  organization {:?} ({}{})",
                        organization.title.as_deref().unwrap_or(""),
                        organization.identifier,
                        if Some(organization.identifier.as_str()) == default {
                            ", default"
                        } else {
                            ""
                        }
                    )?;
                    write_scorm_items(f, manifest, &organization.items, 2)?;
                }
                Ok(())
            }
        }
    }
}

fn indent(f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
    write!(f, "{:width$}", "", width = depth * 2)
}

fn write_cmi5_nodes(f: &mut fmt::Formatter<'_>, nodes: &[Cmi5Node], depth: usize) -> fmt::Result {
    for node in nodes {
        indent(f, depth)?;
        match node {
            Cmi5Node::Block(block) => {
                writeln!(f, "block {:?} ({})", first_text(&block.title), block.id)?;
                write_cmi5_nodes(f, &block.children, depth + 1)?;
            }
            Cmi5Node::Au(au) => {
                write!(
                    f,
                    "AU {:?} ({}) -> {} [moveOn {}",
                    first_text(&au.title),
                    au.id,
                    launch_text(&au.url),
                    au.move_on.as_str()
                )?;
                if let Some(score) = au.mastery_score {
                    write!(f, ", mastery {score}")?;
                }
                writeln!(f, ", {}]", au.launch_method.as_str())?;
            }
        }
    }
    Ok(())
}

fn write_scorm_items(
    f: &mut fmt::Formatter<'_>,
    manifest: &ScormManifest,
    items: &[ScormItem],
    depth: usize,
) -> fmt::Result {
    for item in items {
        indent(f, depth)?;
        let kind = match manifest.item_resource(item).map(|r| r.scorm_type) {
            Some(Some(ScormType::Sco)) => "SCO",
            Some(_) => "asset",
            None => "item",
        };
        write!(
            f,
            "{kind} {:?} ({})",
            item.title.as_deref().unwrap_or(""),
            item.identifier
        )?;
        if let Some(launch) = manifest.launch_url(item) {
            write!(f, " -> {}", launch_text(&launch))?;
        }
        let mut notes = Vec::new();
        if let Some(score) = item.mastery_score {
            notes.push(format!("mastery {score}"));
        }
        if let Some(threshold) = item.completion_threshold {
            notes.push(format!(
                "completion threshold {}",
                threshold.min_progress_measure
            ));
        }
        if let Some(objective) = item
            .primary_objective
            .as_ref()
            .filter(|o| o.satisfied_by_measure)
        {
            notes.push(format!(
                "satisfied by measure {}",
                objective.min_normalized_measure.unwrap_or(1.0)
            ));
        }
        if !item.is_visible {
            notes.push("hidden".to_owned());
        }
        if notes.is_empty() {
            writeln!(f)?;
        } else {
            writeln!(f, " [{}]", notes.join(", "))?;
        }
        write_scorm_items(f, manifest, &item.children, depth + 1)?;
    }
    Ok(())
}
