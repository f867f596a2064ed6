//! The cmi5 course structure (cmi5 section 13, `CourseStructure.xsd`).
//!
//! Elements are read from the cmi5 namespace (or no namespace); elements of other namespaces are
//! vendor extensions and ignored, as section 13.1.5 allows. All text is trimmed (section 13.1).
//!
//! What [`parse_cmi5`] refuses, each refusal naming the rule of the specification:
//! - an element order or a missing element the schema does not allow (13.2,
//!   `CourseStructure.xsd`): `<courseStructure>` holds `<course>`, optional `<objectives>`, then at
//!   least one `<au>` or `<block>`; a block holds `<title>`, `<description>`, optional
//!   `<objectives>`, then at least one `<au>` or `<block>`; an AU holds `<title>`,
//!   `<description>`, optional `<objectives>`, `<url>`, optional `<launchParameters>` and
//!   `<entitlementKey>`, in that order; an unknown element in the cmi5 namespace. (An empty
//!   `<title/>` or `<description/>` without `<langstring>` is let through.)
//! - an id of the course, a block, an AU or an objective that is missing or not a fully qualified
//!   IRI: it needs a scheme (`https:`, `urn:`) and no spaces (3.0, "IRIs MUST be fully qualified
//!   and not IRI References");
//! - a block or AU id used twice (13.1.2, 13.1.4), an objective id used twice (13.1.3);
//! - an AU `url` that is empty or not a URL by RFC 1738: whitespace, control characters, any of
//!   `<` `>` `"` `{` `}` `|` `\` `^` and the backquote, or a `%` not followed by two hex digits
//!   (13.1.4);
//! - an AU `url` whose query string names a launch parameter the LMS adds (`endpoint`, `fetch`,
//!   `actor`, `registration`, `activityId`) (8.1);
//! - `moveOn`, `launchMethod` that are not values of the schema, a `masteryScore` that is not a
//!   decimal in 0..=1.
//!
//! An empty `launchParameters` or `entitlementKey` counts as absent. Objective references are kept
//! as written (not checked against the course objectives). Whether relative AU URLs are allowed
//! depends on where the course structure comes from: in a zip they must name a file of the zip
//! ([`crate::inspect`]), in a bare course structure they are refused ([`crate::inspect_course_xml`]).

use std::collections::HashSet;

use crate::error::PackageRefusal;
use crate::paths::{percent_decode, url_scheme};
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
    check_schema(root)?;
    let course = cmi5_children(root)
        .find(|e| e.name == "course")
        .ok_or_else(|| invalid("<courseStructure> has no <course>"))?;
    let id = required_id(course, "course")?;
    let mut objective_ids = HashSet::new();
    let objectives = match cmi5_children(root).find(|e| e.name == "objectives") {
        Some(list) => cmi5_children(list)
            .filter(|e| e.name == "objective")
            .map(|o| {
                let id = required_id(o, "objective")?;
                if !objective_ids.insert(id.clone()) {
                    return Err(invalid(format!(
                        "the objective id {id:?} is used twice; objective ids must be unique within the course structure (cmi5 13.1.3)"
                    )));
                }
                Ok(Cmi5Objective {
                    id,
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

/// The `id` of a course, block, AU or objective: present and a fully qualified IRI (cmi5 3.0).
fn required_id(element: &Element, what: &str) -> Result<String, PackageRefusal> {
    match element.attr("id").map(str::trim) {
        Some(id) if !id.is_empty() => {
            if is_absolute_iri(id) {
                Ok(id.to_owned())
            } else {
                Err(invalid(format!(
                    "the <{what}> id {id:?} is not a fully qualified IRI (such as https://example.com/{what}/1 or urn:example:{what}:1); cmi5 ids must be IRIs with a scheme, not IRI references (cmi5 3.0)"
                )))
            }
        }
        _ => Err(invalid(format!("a <{what}> has no id"))),
    }
}

/// An absolute IRI (RFC 3987): a scheme, `:`, and no character an IRI cannot hold.
pub(crate) fn is_absolute_iri(text: &str) -> bool {
    let Some(scheme) = url_scheme(text) else {
        return false;
    };
    text.len() > scheme.len() + 1 && text.chars().all(|c| !is_never_in_url(c))
}

/// Characters that RFC 1738 and RFC 3987 never allow unescaped in a URL or IRI.
fn is_never_in_url(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '{' | '}' | '|' | '\\' | '^' | '`')
}

/// Launch parameters the LMS adds to the AU's URL (cmi5 8.1); the AU's own query string must not
/// use these names (8.1, "the names MUST NOT collide").
pub const LAUNCH_PARAMETER_NAMES: [&str; 5] =
    ["endpoint", "fetch", "actor", "registration", "activityId"];

/// Checks an AU `url`: a URL by RFC 1738 (cmi5 13.1.4) whose query string leaves the launch
/// parameter names to the LMS (cmi5 8.1).
fn check_au_url(id: &str, url: &str) -> Result<(), PackageRefusal> {
    if let Some(c) = url.chars().find(|&c| is_never_in_url(c)) {
        return Err(invalid(format!(
            "the AU {id:?} has the url {url:?}, which is not a valid URL: it contains {c:?}, which must be percent-encoded (cmi5 13.1.4, RFC 1738)"
        )));
    }
    let bytes = url.as_bytes();
    for (at, _) in url.match_indices('%') {
        let escape = bytes.get(at + 1..at + 3);
        if !escape.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
            return Err(invalid(format!(
                "the AU {id:?} has the url {url:?}, which is not a valid URL: a \"%\" must be followed by two hex digits (cmi5 13.1.4, RFC 1738)"
            )));
        }
    }
    let before_fragment = url.split('#').next().unwrap_or_default();
    if let Some((_, query)) = before_fragment.split_once('?') {
        for pair in query.split('&') {
            let name = pair.split('=').next().unwrap_or_default().replace('+', " ");
            let name = percent_decode(&name);
            if let Some(reserved) = LAUNCH_PARAMETER_NAMES.iter().find(|&&n| n == name) {
                return Err(invalid(format!(
                    "the AU {id:?} has the url {url:?}, whose query string sets {reserved:?}; the LMS adds the launch parameters endpoint, fetch, actor, registration and activityId, and the AU's own query string must not use their names (cmi5 8.1)"
                )));
            }
        }
    }
    Ok(())
}

/// One place in a schema sequence: the element names it accepts, whether it must be there, and
/// whether it may repeat.
struct Slot {
    names: &'static [&'static str],
    required: bool,
    repeats: bool,
}

const fn one(name: &'static [&'static str]) -> Slot {
    Slot {
        names: name,
        required: true,
        repeats: false,
    }
}

const fn optional(name: &'static [&'static str]) -> Slot {
    Slot {
        names: name,
        required: false,
        repeats: false,
    }
}

const fn one_or_more(names: &'static [&'static str]) -> Slot {
    Slot {
        names,
        required: true,
        repeats: true,
    }
}

const COURSE_STRUCTURE: &[Slot] = &[
    one(&["course"]),
    optional(&["objectives"]),
    one_or_more(&["au", "block"]),
];
const COURSE: &[Slot] = &[one(&["title"]), one(&["description"])];
const BLOCK: &[Slot] = &[
    one(&["title"]),
    one(&["description"]),
    optional(&["objectives"]),
    one_or_more(&["au", "block"]),
];
const AU: &[Slot] = &[
    one(&["title"]),
    one(&["description"]),
    optional(&["objectives"]),
    one(&["url"]),
    optional(&["launchParameters"]),
    optional(&["entitlementKey"]),
];
const OBJECTIVE_LIST: &[Slot] = &[one_or_more(&["objective"])];

/// Checks the element structure against `CourseStructure.xsd` (cmi5 13.2): the order and number
/// of the cmi5 elements in the course structure, its blocks, AUs and objective lists.
fn check_schema(root: &Element) -> Result<(), PackageRefusal> {
    check_sequence(root, "<courseStructure>", COURSE_STRUCTURE)?;
    for element in cmi5_children(root) {
        match element.name.as_str() {
            "course" => check_sequence(element, "<course>", COURSE)?,
            "objectives" => {
                check_sequence(element, "the course <objectives>", OBJECTIVE_LIST)?;
                for objective in cmi5_children(element) {
                    check_objective(objective)?;
                }
            }
            _ => check_node_schema(element)?,
        }
    }
    Ok(())
}

fn check_node_schema(element: &Element) -> Result<(), PackageRefusal> {
    let id = element.attr("id").unwrap_or_default().trim();
    let what = format!(
        "the {} {id:?}",
        if element.name == "au" { "AU" } else { "block" }
    );
    let slots = if element.name == "au" { AU } else { BLOCK };
    check_sequence(element, &what, slots)?;
    for child in cmi5_children(element) {
        match child.name.as_str() {
            "objectives" => {
                check_sequence(child, &format!("<objectives> of {what}"), OBJECTIVE_LIST)?
            }
            "au" | "block" => check_node_schema(child)?,
            _ => {}
        }
    }
    Ok(())
}

/// A course objective: `<title>` and `<description>`, once each, in any order (`xs:all`).
fn check_objective(objective: &Element) -> Result<(), PackageRefusal> {
    let id = objective.attr("id").unwrap_or_default().trim();
    for name in ["title", "description"] {
        let count = cmi5_children(objective).filter(|e| e.name == name).count();
        if count != 1 {
            return Err(invalid(format!(
                "the objective {id:?} has {count} <{name}> elements; CourseStructure.xsd asks for exactly one (cmi5 13.2)"
            )));
        }
    }
    if let Some(other) =
        cmi5_children(objective).find(|e| e.name != "title" && e.name != "description")
    {
        return Err(invalid(format!(
            "the objective {id:?} holds <{}>, which CourseStructure.xsd does not allow there (cmi5 13.2)",
            other.name
        )));
    }
    Ok(())
}

/// Walks the cmi5 children of `element` through `slots` in order.
fn check_sequence(element: &Element, what: &str, slots: &[Slot]) -> Result<(), PackageRefusal> {
    let expected = || {
        slots
            .iter()
            .map(|slot| {
                let names = slot
                    .names
                    .iter()
                    .map(|n| format!("<{n}>"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                match (slot.required, slot.repeats) {
                    (true, false) => names,
                    (false, false) => format!("optional {names}"),
                    (_, true) => format!("one or more {names}"),
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let refuse = |problem: String| {
        invalid(format!(
            "{problem} in {what}; CourseStructure.xsd expects, in this order: {} (cmi5 13.2)",
            expected()
        ))
    };
    let mut at = 0;
    let mut filled = false;
    for child in cmi5_children(element) {
        let name = child.name.as_str();
        if at < slots.len() && slots[at].names.contains(&name) {
            if filled && !slots[at].repeats {
                return Err(refuse(format!("<{name}> appears twice")));
            }
            filled = true;
            continue;
        }
        let Some(offset) = slots[at.min(slots.len())..]
            .iter()
            .position(|slot| slot.names.contains(&name))
        else {
            return Err(if slots.iter().any(|slot| slot.names.contains(&name)) {
                refuse(format!("<{name}> is out of order"))
            } else {
                refuse(format!(
                    "<{name}> is not an element of the cmi5 course structure (extensions need their own namespace, cmi5 13.1.5)"
                ))
            });
        };
        let target = at + offset;
        let skipped_from = if filled { at + 1 } else { at };
        if let Some(missing) = slots[skipped_from..target]
            .iter()
            .find(|slot| slot.required)
        {
            return Err(refuse(format!(
                "<{}> is missing before <{name}>",
                missing.names.join("> or <")
            )));
        }
        at = target;
        filled = true;
    }
    let skipped_from = if filled { at + 1 } else { at };
    if let Some(missing) = slots[skipped_from.min(slots.len())..]
        .iter()
        .find(|slot| slot.required)
    {
        return Err(refuse(format!(
            "<{}> is missing",
            missing.names.join("> or <")
        )));
    }
    Ok(())
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
            "the {what} id {id:?} is used twice; AU and block ids must be unique within the course structure (cmi5 13.1.2, 13.1.4)"
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
    check_au_url(&id, &url)?;
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

    /// A course structure around `body` (what follows `<course>`).
    fn course_xml(body: &str) -> String {
        format!(
            r#"<courseStructure xmlns="{CMI5_NAMESPACE}"><course id="https://example.com/c"><title><langstring>T</langstring></title><description/></course>{body}</courseStructure>"#
        )
    }

    /// An AU with its title and description, then `rest` (url and what follows it).
    fn au(id: &str, rest: &str) -> String {
        format!(
            r#"<au id="{id}"><title><langstring>A</langstring></title><description/>{rest}</au>"#
        )
    }

    fn au_xml(attrs: &str) -> String {
        course_xml(&format!(
            r#"<au id="https://example.com/a" {attrs}><title><langstring>A</langstring></title><description/><url> x.html </url></au>"#
        ))
    }

    fn message(xml: &str) -> String {
        match parse_cmi5(xml.as_bytes()) {
            Err(PackageRefusal::InvalidManifest { message, .. }) => message,
            other => panic!("expected an invalid manifest, got {other:?}"),
        }
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
        let xml = course_xml(&format!(
            r#"{}<block id="https://example.com/b"><title/><description/>{}</block>"#,
            au("https://example.com/a", "<url>x</url>"),
            au("https://example.com/a", "<url>y</url>")
        ));
        let err = message(&xml);
        assert!(
            err.contains("\"https://example.com/a\" is used twice"),
            "{err}"
        );
        assert!(err.contains("13.1.4"), "{err}");

        let block = |id: &str| {
            format!(
                r#"<block id="{id}"><title/><description/>{}</block>"#,
                au(&format!("{id}/au"), "<url>x</url>")
            )
        };
        let xml = course_xml(&format!("{}{}", block("urn:b:1"), block("urn:b:1")));
        assert!(message(&xml).contains("the block id \"urn:b:1\" is used twice"));
    }

    #[test]
    fn duplicate_objective_ids_are_refused() {
        let objective = r#"<objective id="urn:o:1"><title/><description/></objective>"#;
        let xml = course_xml(&format!(
            "<objectives>{objective}{objective}</objectives>{}",
            au("urn:a:1", "<url>x</url>")
        ));
        let err = message(&xml);
        assert!(
            err.contains("objective id \"urn:o:1\" is used twice"),
            "{err}"
        );
        assert!(err.contains("13.1.3"), "{err}");
        // One objective is fine, and kept.
        let xml = course_xml(&format!(
            "<objectives>{objective}</objectives>{}",
            au("urn:a:1", "<url>x</url>")
        ));
        assert_eq!(
            parse_cmi5(xml.as_bytes()).unwrap().objectives[0].id,
            "urn:o:1"
        );
    }

    #[test]
    fn ids_must_be_fully_qualified_iris() {
        let objective = |id: &str| {
            format!(
                r#"<objectives><objective id="{id}"><title/><description/></objective></objectives>"#
            )
        };
        let cases = [
            // The course id.
            course_xml(&au("urn:a:1", "<url>x</url>"))
                .replace("https://example.com/c", "example.com/c"),
            // A block id.
            course_xml(&format!(
                r#"<block id="example.com/b"><title/><description/>{}</block>"#,
                au("urn:a:1", "<url>x</url>")
            )),
            // An AU id.
            course_xml(&au("example.com/a", "<url>x</url>")),
            // An objective id.
            course_xml(&format!(
                "{}{}",
                objective("o1"),
                au("urn:a:1", "<url>x</url>")
            )),
            // A space is no part of an IRI.
            course_xml(&au("https://example.com/a b", "<url>x</url>")),
            // A scheme alone.
            course_xml(&au("urn:", "<url>x</url>")),
        ];
        for xml in cases {
            let err = message(&xml);
            assert!(err.contains("not a fully qualified IRI"), "{err}");
            assert!(err.contains("cmi5 3.0"), "{err}");
        }
        for id in [
            "https://example.com/a",
            "urn:example:au:1",
            "http://example.com/a#x",
        ] {
            let xml = course_xml(&au(id, "<url>x</url>"));
            assert_eq!(parse_cmi5(xml.as_bytes()).unwrap().aus()[0].id, id);
        }
    }

    #[test]
    fn au_urls_must_be_urls() {
        for url in [
            "http://example.com index.html",
            "index.html?a=<b>",
            "https://example.com/a%zz",
            "https://example.com/a%2",
            "a{b}.html",
        ] {
            let xml = course_xml(&au(
                "urn:a:1",
                &format!(
                    "<url>{}</url>",
                    url.replace('<', "&lt;").replace('>', "&gt;")
                ),
            ));
            let err = message(&xml);
            assert!(err.contains("not a valid URL"), "{url}: {err}");
            assert!(err.contains("13.1.4"), "{url}: {err}");
        }
        let xml = course_xml(&au(
            "urn:a:1",
            "<url>https://example.com/a%20b.html?x=%C3%A9</url>",
        ));
        assert!(parse_cmi5(xml.as_bytes()).is_ok());
    }

    #[test]
    fn au_query_strings_leave_the_launch_parameters_to_the_lms() {
        for query in [
            "endpoint=http://example.org/lrs",
            "a=1&amp;fetch=x",
            "actor",
            "x=1&amp;registration=2",
            "activity%49d=3",
        ] {
            let xml = course_xml(&au("urn:a:1", &format!("<url>index.html?{query}</url>")));
            let err = message(&xml);
            assert!(err.contains("cmi5 8.1"), "{query}: {err}");
        }
        // Other names, case-different names and the fragment are the AU's own.
        let xml = course_xml(&au(
            "urn:a:1",
            "<url>index.html?paramA=1&amp;Endpoint=2&amp;endpoints=3#endpoint=4</url>",
        ));
        assert!(parse_cmi5(xml.as_bytes()).is_ok());
    }

    #[test]
    fn the_schema_order_is_enforced() {
        let cases = [
            // url before title (CATAPULT 207).
            (
                course_xml(
                    r#"<au id="urn:a:1"><url>x</url><title><langstring>A</langstring></title><description/></au>"#,
                ),
                "<title> is missing before <url>",
            ),
            // No url.
            (course_xml(&au("urn:a:1", "")), "<url> is missing"),
            // Two urls.
            (
                course_xml(&au("urn:a:1", "<url>x</url><url>y</url>")),
                "<url> appears twice",
            ),
            // launchParameters before url.
            (
                course_xml(&au(
                    "urn:a:1",
                    "<launchParameters>p</launchParameters><url>x</url>",
                )),
                "<url> is missing before <launchParameters>",
            ),
            // No AU or block at all.
            (course_xml(""), "<au> or <block> is missing"),
            // A block without AUs.
            (
                course_xml(r#"<block id="urn:b:1"><title/><description/></block>"#),
                "<au> or <block> is missing",
            ),
            // Course objectives after the AUs.
            (
                course_xml(&format!(
                    r#"{}<objectives><objective id="urn:o:1"><title/><description/></objective></objectives>"#,
                    au("urn:a:1", "<url>x</url>")
                )),
                "<objectives> is out of order",
            ),
            // An unknown element in the cmi5 namespace.
            (
                course_xml(&au(
                    "urn:a:1",
                    "<url>x</url><launchMode>Normal</launchMode>",
                )),
                "<launchMode> is not an element of the cmi5 course structure",
            ),
            // An objective without its description.
            (
                course_xml(&format!(
                    r#"<objectives><objective id="urn:o:1"><title/></objective></objectives>{}"#,
                    au("urn:a:1", "<url>x</url>")
                )),
                "has 0 <description> elements",
            ),
        ];
        for (xml, expected) in cases {
            let err = message(&xml);
            assert!(err.contains(expected), "expected {expected:?} in {err}");
            assert!(err.contains("13.2"), "{err}");
        }
        // Everything in its place.
        let xml = course_xml(&format!(
            r#"<objectives><objective id="urn:o:1"><description/><title/></objective></objectives>
               <block id="urn:b:1"><title/><description/><objectives><objective idref="urn:o:1"/></objectives>{}</block>"#,
            au(
                "urn:a:1",
                "<objectives><objective idref=\"urn:o:1\"/></objectives><url>x</url><launchParameters>p</launchParameters><entitlementKey>k</entitlementKey>"
            )
        ));
        let course = parse_cmi5(xml.as_bytes()).unwrap();
        assert_eq!(course.aus()[0].launch_parameters.as_deref(), Some("p"));
        assert_eq!(course.blocks()[0].objectives, ["urn:o:1"]);
    }

    #[test]
    fn extension_elements_are_ignored() {
        let xml = format!(
            r#"<courseStructure xmlns="{CMI5_NAMESPACE}" xmlns:v="urn:vendor"><course id="urn:c"><title/><description/><v:note/></course>
               <v:au id="ignored"><v:url>x</v:url></v:au><au id="urn:a"><title/><description/><url>y</url><v:extra/></au></courseStructure>"#
        );
        let course = parse_cmi5(xml.as_bytes()).unwrap();
        assert_eq!(course.aus().len(), 1);
        assert_eq!(course.aus()[0].id, "urn:a");
    }
}
