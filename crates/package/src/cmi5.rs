//! The cmi5 course structure (cmi5 section 13, `CourseStructure.xsd`).
//!
//! Elements are read from the cmi5 namespace (or no namespace); elements of other namespaces are
//! vendor extensions and ignored, as section 13.1.5 allows. All text is trimmed (section 13.1).
//! Validation: the course, every block and every AU need an `id`; AU and block ids are unique; an AU
//! needs a non-empty `url`; `moveOn`, `launchMethod` must be values of the schema and
//! `masteryScore` a decimal in 0..=1. An empty `launchParameters` or `entitlementKey` counts as
//! absent. Objective references are kept as written (not checked against the course objectives).

use std::collections::HashSet;

use crate::error::PackageRefusal;
use crate::xml::{self, Element};

/// The namespace of the cmi5 course structure.
pub const CMI5_NAMESPACE: &str = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd";

/// A text in one language (`<langstring lang="de-DE">`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LangString {
    /// The `lang` attribute; `None` when absent.
    pub lang: Option<String>,
    pub text: String,
}

/// The first text of a list, or `""`.
pub fn first_text(strings: &[LangString]) -> &str {
    strings.first().map_or("", |s| s.text.as_str())
}

/// A cmi5 course: its metadata, objectives and the tree of blocks and AUs in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5Course {
    pub id: String,
    pub title: Vec<LangString>,
    pub description: Vec<LangString>,
    pub objectives: Vec<Cmi5Objective>,
    pub children: Vec<Cmi5Node>,
}

/// An objective declared at course level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmi5Objective {
    pub id: String,
    pub title: Vec<LangString>,
    pub description: Vec<LangString>,
}

/// A block or an AU.
#[derive(Debug, Clone, PartialEq)]
pub enum Cmi5Node {
    Block(Cmi5Block),
    Au(Cmi5Au),
}

/// A block: a group of AUs and blocks.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5Block {
    pub id: String,
    pub title: Vec<LangString>,
    pub description: Vec<LangString>,
    /// `idref`s of the objectives this block refers to.
    pub objectives: Vec<String>,
    pub children: Vec<Cmi5Node>,
}

/// An assignable unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmi5Au {
    pub id: String,
    pub title: Vec<LangString>,
    pub description: Vec<LangString>,
    /// `idref`s of the objectives this AU refers to.
    pub objectives: Vec<String>,
    /// The launch URL as written (trimmed): relative to the package root, or absolute.
    pub url: String,
    pub launch_method: LaunchMethod,
    pub move_on: MoveOn,
    /// Scaled score 0..=1 the AU must reach to pass.
    pub mastery_score: Option<f64>,
    pub activity_type: Option<String>,
    pub launch_parameters: Option<String>,
    pub entitlement_key: Option<String>,
}

/// Where the LMS may launch an AU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LaunchMethod {
    #[default]
    AnyWindow,
    OwnWindow,
}

/// What satisfies an AU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MoveOn {
    Passed,
    Completed,
    CompletedAndPassed,
    CompletedOrPassed,
    #[default]
    NotApplicable,
}

impl MoveOn {
    /// The value as written in cmi5.xml.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveOn::Passed => "Passed",
            MoveOn::Completed => "Completed",
            MoveOn::CompletedAndPassed => "CompletedAndPassed",
            MoveOn::CompletedOrPassed => "CompletedOrPassed",
            MoveOn::NotApplicable => "NotApplicable",
        }
    }
}

impl LaunchMethod {
    /// The value as written in cmi5.xml.
    pub fn as_str(self) -> &'static str {
        match self {
            LaunchMethod::AnyWindow => "AnyWindow",
            LaunchMethod::OwnWindow => "OwnWindow",
        }
    }
}

impl Cmi5Course {
    /// Every AU of the course in document order.
    pub fn aus(&self) -> Vec<&Cmi5Au> {
        let mut out = Vec::new();
        collect_aus(&self.children, &mut out);
        out
    }

    /// Every block of the course in document order.
    pub fn blocks(&self) -> Vec<&Cmi5Block> {
        let mut out = Vec::new();
        collect_blocks(&self.children, &mut out);
        out
    }
}

fn collect_aus<'a>(nodes: &'a [Cmi5Node], out: &mut Vec<&'a Cmi5Au>) {
    for node in nodes {
        match node {
            Cmi5Node::Au(au) => out.push(au),
            Cmi5Node::Block(block) => collect_aus(&block.children, out),
        }
    }
}

fn collect_blocks<'a>(nodes: &'a [Cmi5Node], out: &mut Vec<&'a Cmi5Block>) {
    for node in nodes {
        if let Cmi5Node::Block(block) = node {
            out.push(block);
            collect_blocks(&block.children, out);
        }
    }
}

const FILE: &str = "cmi5.xml";

fn invalid(message: impl Into<String>) -> PackageRefusal {
    PackageRefusal::InvalidManifest {
        file: FILE.to_owned(),
        message: message.into(),
    }
}

/// Parses a cmi5 course structure (the contents of `cmi5.xml`, or a standalone course XML).
///
/// Refuses DOCTYPEs with entities or external DTDs, malformed XML (with line and column) and
/// invalid values (see the module documentation). Does not check that relative AU URLs exist; the
/// package inspection does that.
pub fn parse_cmi5(xml_bytes: &[u8]) -> Result<Cmi5Course, PackageRefusal> {
    let document = xml::parse(xml_bytes, FILE)?;
    let root = &document.root;
    if root.name != "courseStructure" {
        return Err(invalid(format!(
            "the root element is <{}>, expected <courseStructure>",
            root.name
        )));
    }
    let course = cmi5_children(root)
        .find(|e| e.name == "course")
        .ok_or_else(|| invalid("<courseStructure> has no <course>"))?;
    let id = required_id(course, "course")?;
    let objectives = match cmi5_children(root).find(|e| e.name == "objectives") {
        Some(list) => cmi5_children(list)
            .filter(|e| e.name == "objective")
            .map(|o| {
                Ok(Cmi5Objective {
                    id: required_id(o, "objective")?,
                    title: lang_strings(o, "title"),
                    description: lang_strings(o, "description"),
                })
            })
            .collect::<Result<Vec<_>, PackageRefusal>>()?,
        None => Vec::new(),
    };
    let mut seen = HashSet::new();
    let children = read_nodes(root, &mut seen)?;
    Ok(Cmi5Course {
        id,
        title: lang_strings(course, "title"),
        description: lang_strings(course, "description"),
        objectives,
        children,
    })
}

/// Children in the cmi5 namespace (or in none); other namespaces are extensions.
fn cmi5_children(element: &Element) -> impl Iterator<Item = &Element> {
    element
        .children
        .iter()
        .filter(|c| c.ns.as_deref().is_none_or(|ns| ns == CMI5_NAMESPACE))
}

fn required_id(element: &Element, what: &str) -> Result<String, PackageRefusal> {
    match element.attr("id").map(str::trim) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err(invalid(format!("a <{what}> has no id"))),
    }
}

fn lang_strings(element: &Element, name: &str) -> Vec<LangString> {
    cmi5_children(element)
        .filter(|e| e.name == name)
        .flat_map(|e| cmi5_children(e).filter(|l| l.name == "langstring"))
        .map(|l| LangString {
            lang: l.attr("lang").map(|v| v.trim().to_owned()),
            text: l.trimmed_text().to_owned(),
        })
        .collect()
}

fn objective_refs(element: &Element) -> Vec<String> {
    cmi5_children(element)
        .filter(|e| e.name == "objectives")
        .flat_map(|e| cmi5_children(e).filter(|o| o.name == "objective"))
        .filter_map(|o| o.attr("idref").map(|v| v.trim().to_owned()))
        .collect()
}

fn optional_text(element: &Element, name: &str) -> Option<String> {
    cmi5_children(element)
        .find(|e| e.name == name)
        .map(|e| e.trimmed_text().to_owned())
        .filter(|t| !t.is_empty())
}

fn read_nodes(
    parent: &Element,
    seen: &mut HashSet<String>,
) -> Result<Vec<Cmi5Node>, PackageRefusal> {
    let mut nodes = Vec::new();
    for element in cmi5_children(parent) {
        match element.name.as_str() {
            "au" => {
                let au = read_au(element)?;
                unique(seen, &au.id, "AU")?;
                nodes.push(Cmi5Node::Au(au));
            }
            "block" => {
                let id = required_id(element, "block")?;
                unique(seen, &id, "block")?;
                nodes.push(Cmi5Node::Block(Cmi5Block {
                    title: lang_strings(element, "title"),
                    description: lang_strings(element, "description"),
                    objectives: objective_refs(element),
                    children: read_nodes(element, seen)?,
                    id,
                }));
            }
            _ => {}
        }
    }
    Ok(nodes)
}

fn unique(seen: &mut HashSet<String>, id: &str, what: &str) -> Result<(), PackageRefusal> {
    if seen.insert(id.to_owned()) {
        Ok(())
    } else {
        Err(invalid(format!(
            "the {what} id {id:?} is used twice; AU and block ids must be unique"
        )))
    }
}

fn read_au(element: &Element) -> Result<Cmi5Au, PackageRefusal> {
    let id = required_id(element, "au")?;
    let url = cmi5_children(element)
        .find(|e| e.name == "url")
        .map(|e| e.trimmed_text().to_owned())
        .filter(|u| !u.is_empty())
        .ok_or_else(|| invalid(format!("the AU {id:?} has no <url>")))?;
    let move_on = match element.attr("moveOn").map(str::trim) {
        None => MoveOn::default(),
        Some("Passed") => MoveOn::Passed,
        Some("Completed") => MoveOn::Completed,
        Some("CompletedAndPassed") => MoveOn::CompletedAndPassed,
        Some("CompletedOrPassed") => MoveOn::CompletedOrPassed,
        Some("NotApplicable") => MoveOn::NotApplicable,
        Some(other) => {
            return Err(invalid(format!(
                "the AU {id:?} has moveOn {other:?}; expected Passed, Completed, CompletedAndPassed, CompletedOrPassed or NotApplicable"
            )))
        }
    };
    let launch_method = match element.attr("launchMethod").map(str::trim) {
        None => LaunchMethod::default(),
        Some("AnyWindow") => LaunchMethod::AnyWindow,
        Some("OwnWindow") => LaunchMethod::OwnWindow,
        Some(other) => {
            return Err(invalid(format!(
                "the AU {id:?} has launchMethod {other:?}; expected AnyWindow or OwnWindow"
            )))
        }
    };
    let mastery_score = match element.attr("masteryScore").map(str::trim) {
        None => None,
        Some(text) => Some(parse_unit_decimal(text).ok_or_else(|| {
            invalid(format!(
                "the AU {id:?} has masteryScore {text:?}; expected a decimal from 0 to 1"
            ))
        })?),
    };
    Ok(Cmi5Au {
        title: lang_strings(element, "title"),
        description: lang_strings(element, "description"),
        objectives: objective_refs(element),
        url,
        launch_method,
        move_on,
        mastery_score,
        activity_type: element
            .attr("activityType")
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty()),
        launch_parameters: optional_text(element, "launchParameters"),
        entitlement_key: optional_text(element, "entitlementKey"),
        id,
    })
}

/// An `xs:decimal` (digits, one optional point, optional sign; no exponent, no NaN) in 0..=1.
fn parse_unit_decimal(text: &str) -> Option<f64> {
    parse_xs_decimal(text).filter(|v| (0.0..=1.0).contains(v))
}

/// An `xs:decimal`: optional sign, digits with at most one point, at least one digit.
pub(crate) fn parse_xs_decimal(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let digits = unsigned.chars().filter(char::is_ascii_digit).count();
    let points = unsigned.chars().filter(|&c| c == '.').count();
    if digits == 0 || points > 1 || digits + points != unsigned.len() {
        return None;
    }
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn au_xml(attrs: &str) -> String {
        format!(
            r#"<courseStructure xmlns="{CMI5_NAMESPACE}"><course id="c"><title><langstring>T</langstring></title><description/></course>
               <au id="a" {attrs}><title><langstring>A</langstring></title><description/><url> x.html </url></au></courseStructure>"#
        )
    }

    #[test]
    fn defaults_and_values() {
        let course = parse_cmi5(au_xml("").as_bytes()).unwrap();
        let au = course.aus()[0];
        assert_eq!(au.move_on, MoveOn::NotApplicable);
        assert_eq!(au.launch_method, LaunchMethod::AnyWindow);
        assert_eq!(au.mastery_score, None);
        assert_eq!(au.url, "x.html");
        let course = parse_cmi5(
            au_xml(r#"moveOn="Passed" launchMethod="OwnWindow" masteryScore="0.85""#).as_bytes(),
        )
        .unwrap();
        let au = course.aus()[0];
        assert_eq!(au.move_on, MoveOn::Passed);
        assert_eq!(au.launch_method, LaunchMethod::OwnWindow);
        assert_eq!(au.mastery_score, Some(0.85));
    }

    #[test]
    fn invalid_values_are_refused() {
        for attrs in [
            r#"masteryScore="1.5""#,
            r#"masteryScore="-0.1""#,
            r#"masteryScore="NaN""#,
            r#"masteryScore="1e-1""#,
            r#"moveOn="Whenever""#,
            r#"launchMethod="NewTab""#,
        ] {
            let err = parse_cmi5(au_xml(attrs).as_bytes()).unwrap_err();
            assert!(
                matches!(err, PackageRefusal::InvalidManifest { .. }),
                "{attrs}: {err}"
            );
        }
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let xml = format!(
            r#"<courseStructure xmlns="{CMI5_NAMESPACE}"><course id="c"/>
               <au id="a"><url>x</url></au><block id="b"><au id="a"><url>y</url></au></block></courseStructure>"#
        );
        let err = parse_cmi5(xml.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("\"a\" is used twice"), "{err}");
    }

    #[test]
    fn extension_elements_are_ignored() {
        let xml = format!(
            r#"<courseStructure xmlns="{CMI5_NAMESPACE}" xmlns:v="urn:vendor"><course id="c"/>
               <v:au id="ignored"><v:url>x</v:url></v:au><au id="a"><url>y</url></au></courseStructure>"#
        );
        let course = parse_cmi5(xml.as_bytes()).unwrap();
        assert_eq!(course.aus().len(), 1);
        assert_eq!(course.aus()[0].id, "a");
    }
}
