//! SCORM 1.2 and SCORM 2004 manifests (`imsmanifest.xml`, IMS Content Packaging).
//!
//! Elements and attributes are matched by local name, whatever their prefix, and the ADL
//! extensions without regard to case (`adlcp:datafromlms` in 1.2 is `adlcp:dataFromLMS` in 2004,
//! `adlcp:scormtype` is `adlcp:scormType`).
//!
//! # Which SCORM version
//! 1. `<metadata><schemaversion>` decides when it says so: `1.2` is SCORM 1.2; `CAM 1.3` (or any
//!    other value with `1.3`) is SCORM 2004 2nd Edition; a value with `2004` is 2004, `3rd` in it
//!    makes it the 3rd Edition, `4th` the 4th, `2nd` the 2nd, and otherwise the edition is unknown.
//! 2. Otherwise the namespaces declared in the manifest decide: any SCORM 2004 namespace
//!    (`imscp_v1p1`, `adlcp_v1p3`, `adlseq_v1p3`, `adlnav_v1p3`, `imsss`) makes it 2004 of unknown
//!    edition.
//! 3. Everything else is SCORM 1.2: manifests with the 1.2 namespaces (`imscp_rootv1p1p2`,
//!    `adlcp_rootv1p2`), and plain IMS content packages (they have no sequencing).
//!
//! # Launch URL of an item
//! The resource `href` is prefixed with the `xml:base` of the manifest, of `<resources>` and of the
//! resource, joined by concatenation (a `/` is added after a base without one; an absolute base
//! restarts the URL). Then the item's `parameters` are added as the SCORM 2004 CAM describes:
//! whitespace is trimmed; parameters starting with `#` are appended as fragment unless the URL
//! already has one; otherwise one leading `?` or `&` is dropped and the rest is joined with `&`
//! when the URL already has a query, else with `?`, before any fragment of the URL.
//!
//! # Validation
//! Organization, item and resource identifiers are required and unique within their kind; an item's
//! `identifierref` and a dependency's `identifierref` must name a resource; `adlcp:scormtype` is
//! `sco` or `asset`; the 1.2 mastery score is a decimal in 0..=100, the 2004 completion threshold
//! in 0..=1, the minimum normalised measure in -1..=1. Sequencing collections and rules beyond the
//! primary objective are not read.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::cmi5::parse_xs_decimal;
use crate::error::PackageRefusal;
use crate::paths::join_bases;
use crate::xml::{self, Element};
use crate::{PackageKind, Scorm2004Edition};

/// A parsed `imsmanifest.xml`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormManifest {
    pub identifier: String,
    pub version: Option<String>,
    /// `<metadata><schema>`, usually `ADL SCORM`.
    pub schema: Option<String>,
    /// `<metadata><schemaversion>` as written.
    pub schema_version: Option<String>,
    /// `xml:base` of the manifest.
    pub xml_base: Option<String>,
    /// The `default` attribute of `<organizations>`, if it names an organization.
    pub default_organization: Option<String>,
    pub organizations: Vec<ScormOrganization>,
    /// `xml:base` of `<resources>`.
    pub resources_xml_base: Option<String>,
    pub resources: Vec<ScormResource>,
}

/// An organization: one tree of items.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormOrganization {
    pub identifier: String,
    pub title: Option<String>,
    pub items: Vec<ScormItem>,
}

/// An item of an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormItem {
    pub identifier: String,
    pub title: Option<String>,
    /// The resource this item launches.
    pub identifierref: Option<String>,
    pub parameters: Option<String>,
    /// `isvisible`, default `true`.
    pub is_visible: bool,
    /// SCORM 1.2 `adlcp:masteryscore`, 0..=100.
    pub mastery_score: Option<f64>,
    /// `adlcp:datafromlms` (1.2) / `adlcp:dataFromLMS` (2004).
    pub data_from_lms: Option<String>,
    /// SCORM 1.2 `adlcp:maxtimeallowed` as written (`hhhh:mm:ss.ss`).
    pub max_time_allowed: Option<String>,
    /// `adlcp:timelimitaction` (`exit,message`, …).
    pub time_limit_action: Option<String>,
    /// SCORM 2004 `adlcp:completionThreshold`.
    pub completion_threshold: Option<CompletionThreshold>,
    /// SCORM 2004 `imsss:sequencing/imsss:objectives/imsss:primaryObjective`.
    pub primary_objective: Option<PrimaryObjective>,
    pub children: Vec<ScormItem>,
}

/// SCORM 2004 completion threshold. In the 3rd Edition the element holds the threshold as text
/// (read as `completed_by_measure = true`); in the 4th it has attributes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompletionThreshold {
    /// `completedByMeasure`, default `false` (4th Edition).
    pub completed_by_measure: bool,
    /// `minProgressMeasure` (or the 3rd Edition text), default 1.0.
    pub min_progress_measure: f64,
}

/// The primary objective of a SCORM 2004 item.
#[derive(Debug, Clone, PartialEq)]
pub struct PrimaryObjective {
    pub objective_id: Option<String>,
    /// `satisfiedByMeasure`, default `false`.
    pub satisfied_by_measure: bool,
    /// `imsss:minNormalizedMeasure`, -1..=1 (the specification's default is 1.0 when absent).
    pub min_normalized_measure: Option<f64>,
}

/// A resource: something an item launches, or files it depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct ScormResource {
    pub identifier: String,
    /// `type`, normally `webcontent`.
    pub resource_type: Option<String>,
    pub scorm_type: Option<ScormType>,
    pub href: Option<String>,
    pub xml_base: Option<String>,
    /// `<file href>` values as written.
    pub files: Vec<String>,
    /// `<dependency identifierref>` values.
    pub dependencies: Vec<String>,
}

/// `adlcp:scormtype` of a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScormType {
    /// Talks to the LMS through the SCORM run-time API.
    Sco,
    /// Plain content.
    Asset,
}

impl ScormType {
    pub fn as_str(self) -> &'static str {
        match self {
            ScormType::Sco => "sco",
            ScormType::Asset => "asset",
        }
    }
}

impl ScormManifest {
    /// The default organization (the one `<organizations default>` names, else the first).
    pub fn organization(&self) -> Option<&ScormOrganization> {
        self.default_organization
            .as_ref()
            .and_then(|id| self.organizations.iter().find(|o| &o.identifier == id))
            .or_else(|| self.organizations.first())
    }

    pub fn resource(&self, identifier: &str) -> Option<&ScormResource> {
        self.resources.iter().find(|r| r.identifier == identifier)
    }

    /// The resource an item launches, if it launches one.
    pub fn item_resource(&self, item: &ScormItem) -> Option<&ScormResource> {
        item.identifierref
            .as_deref()
            .and_then(|id| self.resource(id))
    }

    /// The launch URL of an item relative to the package root (or absolute), built as the module
    /// documentation describes; `None` when the item has no resource with an `href`.
    pub fn launch_url(&self, item: &ScormItem) -> Option<String> {
        let resource = self.item_resource(item)?;
        let href = resource.href.as_deref()?;
        let url = join_bases(
            &[
                self.xml_base.as_deref(),
                self.resources_xml_base.as_deref(),
                resource.xml_base.as_deref(),
            ],
            href,
        );
        Some(join_parameters(
            &url,
            item.parameters.as_deref().unwrap_or(""),
        ))
    }

    /// Every file a resource references (its `href` and its `<file href>`s), with the bases joined.
    pub fn resource_references(&self, resource: &ScormResource) -> Vec<String> {
        let bases = [
            self.xml_base.as_deref(),
            self.resources_xml_base.as_deref(),
            resource.xml_base.as_deref(),
        ];
        resource
            .href
            .iter()
            .chain(resource.files.iter())
            .map(|href| join_bases(&bases, href))
            .collect()
    }
}

impl ScormOrganization {
    /// Number of items at every depth.
    pub fn item_count(&self) -> usize {
        fn count(items: &[ScormItem]) -> usize {
            items.iter().map(|i| 1 + count(&i.children)).sum()
        }
        count(&self.items)
    }

    /// Every item at every depth, in document order.
    pub fn all_items(&self) -> Vec<&ScormItem> {
        fn walk<'a>(items: &'a [ScormItem], out: &mut Vec<&'a ScormItem>) {
            for item in items {
                out.push(item);
                walk(&item.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.items, &mut out);
        out
    }
}

/// Adds item parameters to a launch URL (see the module documentation).
pub fn join_parameters(url: &str, parameters: &str) -> String {
    let parameters = parameters.trim();
    if parameters.is_empty() {
        return url.to_owned();
    }
    let (base, fragment) = match url.find('#') {
        Some(at) => url.split_at(at),
        None => (url, ""),
    };
    if parameters.starts_with('#') {
        return if fragment.is_empty() {
            format!("{url}{parameters}")
        } else {
            url.to_owned()
        };
    }
    let query = parameters.strip_prefix(['?', '&']).unwrap_or(parameters);
    if query.is_empty() {
        return url.to_owned();
    }
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}{query}{fragment}")
}

const FILE: &str = "imsmanifest.xml";

fn invalid(message: impl Into<String>) -> PackageRefusal {
    PackageRefusal::InvalidManifest {
        file: FILE.to_owned(),
        message: message.into(),
    }
}

const SCORM_2004_NAMESPACES: [&str; 5] = [
    "http://www.imsglobal.org/xsd/imscp_v1p1",
    "http://www.adlnet.org/xsd/adlcp_v1p3",
    "http://www.adlnet.org/xsd/adlseq_v1p3",
    "http://www.adlnet.org/xsd/adlnav_v1p3",
    "http://www.imsglobal.org/xsd/imsss",
];

/// The SCORM version of a manifest (see the module documentation).
fn detect_kind(schema_version: Option<&str>, namespaces: &BTreeSet<String>) -> PackageKind {
    if let Some(version) = schema_version {
        let version = version.trim().to_ascii_lowercase();
        if version == "1.2" {
            return PackageKind::Scorm12;
        }
        if version.contains("1.3") {
            return PackageKind::Scorm2004 {
                edition: Scorm2004Edition::Second,
            };
        }
        if version.contains("2004") {
            let edition = if version.contains("4th") {
                Scorm2004Edition::Fourth
            } else if version.contains("3rd") {
                Scorm2004Edition::Third
            } else if version.contains("2nd") {
                Scorm2004Edition::Second
            } else {
                Scorm2004Edition::Unknown
            };
            return PackageKind::Scorm2004 { edition };
        }
    }
    let declares = |list: &[&str]| list.iter().any(|ns| namespaces.contains(*ns));
    if declares(&SCORM_2004_NAMESPACES) {
        PackageKind::Scorm2004 {
            edition: Scorm2004Edition::Unknown,
        }
    } else {
        PackageKind::Scorm12
    }
}

/// Parses an `imsmanifest.xml` and tells its SCORM version.
///
/// Refuses DOCTYPEs with entities or external DTDs, malformed XML (with line and column) and
/// invalid manifests (see the module documentation). Does not check that referenced files exist;
/// the package inspection does that.
pub fn parse_scorm_manifest(
    xml_bytes: &[u8],
) -> Result<(PackageKind, ScormManifest), PackageRefusal> {
    let document = xml::parse(xml_bytes, FILE)?;
    let root = &document.root;
    if root.name != "manifest" {
        return Err(invalid(format!(
            "the root element is <{}>, expected <manifest>",
            root.name
        )));
    }
    let metadata = root.child("metadata");
    let text_of = |name: &str| {
        metadata
            .and_then(|m| m.child(name))
            .map(|e| e.trimmed_text().to_owned())
            .filter(|t| !t.is_empty())
    };
    let schema = text_of("schema");
    let schema_version = text_of("schemaversion");
    let kind = detect_kind(schema_version.as_deref(), &document.namespaces);

    let organizations_element = root.child("organizations");
    let mut organizations = Vec::new();
    let mut organization_ids = HashSet::new();
    let mut item_ids = HashSet::new();
    for element in organizations_element
        .into_iter()
        .flat_map(|o| o.children_named("organization"))
    {
        let identifier = required(element, "organization")?;
        if !organization_ids.insert(identifier.clone()) {
            return Err(invalid(format!(
                "the organization identifier {identifier:?} is used twice"
            )));
        }
        organizations.push(ScormOrganization {
            title: title_of(element),
            items: read_items(element, &mut item_ids)?,
            identifier,
        });
    }
    let default_organization = organizations_element
        .and_then(|o| o.attr("default"))
        .map(|d| d.trim().to_owned())
        .filter(|d| organization_ids.contains(d));

    let resources_element = root.child("resources");
    let mut resources = Vec::new();
    let mut resource_ids = HashSet::new();
    for element in resources_element
        .into_iter()
        .flat_map(|r| r.children_named("resource"))
    {
        let resource = read_resource(element)?;
        if !resource_ids.insert(resource.identifier.clone()) {
            return Err(invalid(format!(
                "the resource identifier {:?} is used twice",
                resource.identifier
            )));
        }
        resources.push(resource);
    }

    let manifest = ScormManifest {
        identifier: root
            .attr("identifier")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        version: root.attr("version").map(|v| v.trim().to_owned()),
        schema,
        schema_version,
        xml_base: non_empty(root.attr("base")),
        default_organization,
        organizations,
        resources_xml_base: non_empty(resources_element.and_then(|r| r.attr("base"))),
        resources,
    };
    check_references(&manifest)?;
    Ok((kind, manifest))
}

fn check_references(manifest: &ScormManifest) -> Result<(), PackageRefusal> {
    let resources: HashMap<&str, &ScormResource> = manifest
        .resources
        .iter()
        .map(|r| (r.identifier.as_str(), r))
        .collect();
    for organization in &manifest.organizations {
        for item in organization.all_items() {
            if let Some(reference) = &item.identifierref {
                if !resources.contains_key(reference.as_str()) {
                    return Err(invalid(format!(
                        "item {:?} refers to resource {reference:?}, which is not declared",
                        item.identifier
                    )));
                }
            }
        }
    }
    for resource in &manifest.resources {
        for dependency in &resource.dependencies {
            if !resources.contains_key(dependency.as_str()) {
                return Err(invalid(format!(
                    "resource {:?} depends on resource {dependency:?}, which is not declared",
                    resource.identifier
                )));
            }
        }
    }
    Ok(())
}

fn non_empty(value: Option<&str>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

fn required(element: &Element, what: &str) -> Result<String, PackageRefusal> {
    non_empty(element.attr("identifier"))
        .ok_or_else(|| invalid(format!("an <{what}> has no identifier")))
}

fn title_of(element: &Element) -> Option<String> {
    element
        .child("title")
        .map(|t| t.trimmed_text().to_owned())
        .filter(|t| !t.is_empty())
}

fn read_items(
    parent: &Element,
    seen: &mut HashSet<String>,
) -> Result<Vec<ScormItem>, PackageRefusal> {
    let mut items = Vec::new();
    for element in parent.children_named("item") {
        let identifier = required(element, "item")?;
        if !seen.insert(identifier.clone()) {
            return Err(invalid(format!(
                "the item identifier {identifier:?} is used twice"
            )));
        }
        let adlcp_text = |name: &str| {
            element
                .child_ignore_case(name)
                .map(|e| e.trimmed_text().to_owned())
                .filter(|t| !t.is_empty())
        };
        let mastery_score = match adlcp_text("masteryscore") {
            None => None,
            Some(text) => Some(
                parse_xs_decimal(&text)
                    .filter(|v| (0.0..=100.0).contains(v))
                    .ok_or_else(|| {
                        invalid(format!(
                            "item {identifier:?} has masteryscore {text:?}; expected a number from 0 to 100"
                        ))
                    })?,
            ),
        };
        let completion_threshold = match element.child_ignore_case("completionThreshold") {
            None => None,
            Some(threshold) => Some(read_completion_threshold(threshold, &identifier)?),
        };
        let primary_objective = match element
            .child("sequencing")
            .and_then(|s| s.child("objectives"))
            .and_then(|o| o.child("primaryObjective"))
        {
            None => None,
            Some(objective) => Some(read_primary_objective(objective, &identifier)?),
        };
        items.push(ScormItem {
            title: title_of(element),
            identifierref: non_empty(element.attr("identifierref")),
            parameters: non_empty(element.attr("parameters")),
            is_visible: !element
                .attr("isvisible")
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false")),
            mastery_score,
            data_from_lms: adlcp_text("datafromlms"),
            max_time_allowed: adlcp_text("maxtimeallowed"),
            time_limit_action: adlcp_text("timelimitaction"),
            completion_threshold,
            primary_objective,
            children: read_items(element, seen)?,
            identifier,
        });
    }
    Ok(items)
}

fn measure(
    text: &str,
    range: std::ops::RangeInclusive<f64>,
    what: &str,
    item: &str,
) -> Result<f64, PackageRefusal> {
    parse_xs_decimal(text.trim())
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            invalid(format!(
                "item {item:?} has {what} {text:?}; expected a decimal from {} to {}",
                range.start(),
                range.end()
            ))
        })
}

fn read_completion_threshold(
    element: &Element,
    item: &str,
) -> Result<CompletionThreshold, PackageRefusal> {
    let text = element.trimmed_text();
    if !text.is_empty() {
        return Ok(CompletionThreshold {
            completed_by_measure: true,
            min_progress_measure: measure(text, 0.0..=1.0, "completionThreshold", item)?,
        });
    }
    Ok(CompletionThreshold {
        completed_by_measure: element
            .attr("completedByMeasure")
            .is_some_and(|v| v.trim() == "true"),
        min_progress_measure: match element.attr("minProgressMeasure") {
            Some(v) => measure(v, 0.0..=1.0, "minProgressMeasure", item)?,
            None => 1.0,
        },
    })
}

fn read_primary_objective(
    element: &Element,
    item: &str,
) -> Result<PrimaryObjective, PackageRefusal> {
    let min_normalized_measure = match element.child("minNormalizedMeasure") {
        Some(m) => Some(measure(
            m.trimmed_text(),
            -1.0..=1.0,
            "minNormalizedMeasure",
            item,
        )?),
        None => None,
    };
    Ok(PrimaryObjective {
        objective_id: non_empty(element.attr("objectiveID")),
        satisfied_by_measure: element
            .attr("satisfiedByMeasure")
            .is_some_and(|v| v.trim() == "true"),
        min_normalized_measure,
    })
}

fn read_resource(element: &Element) -> Result<ScormResource, PackageRefusal> {
    let identifier = required(element, "resource")?;
    let scorm_type = match element.attr_ignore_case("scormtype").map(str::trim) {
        None => None,
        Some(t) if t.eq_ignore_ascii_case("sco") => Some(ScormType::Sco),
        Some(t) if t.eq_ignore_ascii_case("asset") => Some(ScormType::Asset),
        Some(other) => {
            return Err(invalid(format!(
                "resource {identifier:?} has scormtype {other:?}; expected sco or asset"
            )))
        }
    };
    Ok(ScormResource {
        resource_type: non_empty(element.attr("type")),
        scorm_type,
        href: non_empty(element.attr("href")),
        xml_base: non_empty(element.attr("base")),
        files: element
            .children_named("file")
            .filter_map(|f| non_empty(f.attr("href")))
            .collect(),
        dependencies: element
            .children_named("dependency")
            .filter_map(|d| non_empty(d.attr("identifierref")))
            .collect(),
        identifier,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn parameters_join() {
        assert_eq!(join_parameters("a.html", "?x=1"), "a.html?x=1");
        assert_eq!(join_parameters("a.html", "x=1"), "a.html?x=1");
        assert_eq!(join_parameters("a.html?y=2", "?x=1"), "a.html?y=2&x=1");
        assert_eq!(join_parameters("a.html?y=2", "&x=1"), "a.html?y=2&x=1");
        assert_eq!(join_parameters("a.html#top", "x=1"), "a.html?x=1#top");
        assert_eq!(join_parameters("a.html", "#part2"), "a.html#part2");
        assert_eq!(join_parameters("a.html#p1", "#part2"), "a.html#p1");
        assert_eq!(join_parameters("a.html", "  "), "a.html");
    }

    fn namespaces(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn version_detection() {
        let none = BTreeSet::new();
        let edition = |v: &str| detect_kind(Some(v), &none);
        assert_eq!(edition("1.2"), PackageKind::Scorm12);
        for (text, expected) in [
            ("CAM 1.3", Scorm2004Edition::Second),
            ("2004 3rd Edition", Scorm2004Edition::Third),
            ("2004 4th Edition", Scorm2004Edition::Fourth),
            ("2004", Scorm2004Edition::Unknown),
        ] {
            assert_eq!(
                edition(text),
                PackageKind::Scorm2004 { edition: expected },
                "{text}"
            );
        }
        assert_eq!(
            detect_kind(None, &namespaces(&["http://www.imsglobal.org/xsd/imsss"])),
            PackageKind::Scorm2004 {
                edition: Scorm2004Edition::Unknown
            }
        );
        assert_eq!(
            detect_kind(
                None,
                &namespaces(&["http://www.adlnet.org/xsd/adlcp_rootv1p2"])
            ),
            PackageKind::Scorm12
        );
        assert_eq!(detect_kind(None, &none), PackageKind::Scorm12);
    }

    const MANIFEST_2004_4TH: &str = r#"<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xml:base="course/">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o2">
    <organization identifier="o1"><title>Other</title><item identifier="x" identifierref="r1"><title>X</title></item></organization>
    <organization identifier="o2"><title>Main</title>
      <item identifier="i1" identifierref="r1" parameters="?a=1" isvisible="false">
        <title>One</title>
        <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.75"/>
        <adlcp:dataFromLMS>hello</adlcp:dataFromLMS>
        <imsss:sequencing><imsss:objectives>
          <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
            <imsss:minNormalizedMeasure>0.6</imsss:minNormalizedMeasure>
          </imsss:primaryObjective>
        </imsss:objectives></imsss:sequencing>
      </item>
    </organization>
  </organizations>
  <resources xml:base="res">
    <resource identifier="r1" type="webcontent" adlcp:scormType="sco" href="start.html?lang=de" xml:base="sco1/">
      <file href="start.html"/><dependency identifierref="r2"/>
    </resource>
    <resource identifier="r2" type="webcontent" adlcp:scormType="asset"><file href="shared.js"/></resource>
  </resources>
</manifest>"#;

    #[test]
    fn scorm_2004_fourth_edition_details() {
        let (kind, manifest) = parse_scorm_manifest(MANIFEST_2004_4TH.as_bytes()).unwrap();
        assert_eq!(
            kind,
            PackageKind::Scorm2004 {
                edition: Scorm2004Edition::Fourth
            }
        );
        let organization = manifest.organization().unwrap();
        assert_eq!(organization.identifier, "o2");
        let item = &organization.items[0];
        assert!(!item.is_visible);
        assert_eq!(item.data_from_lms.as_deref(), Some("hello"));
        assert_eq!(
            item.completion_threshold,
            Some(CompletionThreshold {
                completed_by_measure: true,
                min_progress_measure: 0.75
            })
        );
        assert_eq!(
            item.primary_objective,
            Some(PrimaryObjective {
                objective_id: Some("p".into()),
                satisfied_by_measure: true,
                min_normalized_measure: Some(0.6)
            })
        );
        assert_eq!(
            manifest.launch_url(item).as_deref(),
            Some("course/res/sco1/start.html?lang=de&a=1")
        );
        let r1 = manifest.resource("r1").unwrap();
        assert_eq!(r1.scorm_type, Some(ScormType::Sco));
        assert_eq!(r1.dependencies, vec!["r2".to_string()]);
        assert_eq!(
            manifest.resource_references(r1),
            vec![
                "course/res/sco1/start.html?lang=de".to_string(),
                "course/res/sco1/start.html".to_string()
            ]
        );
    }

    #[test]
    fn broken_references_are_refused() {
        let broken = MANIFEST_2004_4TH.replace(r#"identifierref="r2""#, r#"identifierref="nope""#);
        let err = parse_scorm_manifest(broken.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("\"nope\""), "{err}");
        let broken = MANIFEST_2004_4TH.replace(
            r#"identifierref="r1" parameters"#,
            r#"identifierref="r9" parameters"#,
        );
        let err = parse_scorm_manifest(broken.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("\"r9\""), "{err}");
        let broken =
            MANIFEST_2004_4TH.replace(r#"adlcp:scormType="asset""#, r#"adlcp:scormType="sc0""#);
        assert!(matches!(
            parse_scorm_manifest(broken.as_bytes()),
            Err(PackageRefusal::InvalidManifest { .. })
        ));
    }
}
