//! A small, safe XML tree for manifests.
//!
//! quick-xml never processes a DTD: it reports the `<!DOCTYPE …>` as one event and hands every
//! `&name;` reference to us. We refuse any DOCTYPE that declares an entity (`<!ENTITY`, the
//! billion-laughs and XXE vectors) or points at an external DTD (`SYSTEM` / `PUBLIC`), and we resolve
//! only the five predefined entities and character references, so nothing is ever expanded or
//! fetched. The tree is built without recursion and its depth is capped, so the recursive walks of
//! the manifest readers cannot overflow the stack.

use std::collections::BTreeSet;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use quick_xml::XmlVersion;

use crate::error::PackageRefusal;

/// Deepest element nesting a manifest may have.
pub(crate) const MAX_DEPTH: usize = 64;

/// One element: its namespace, local name, attributes, child elements and its own text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Element {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: Vec<Attribute>,
    pub children: Vec<Element>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Attribute {
    /// The local name (`scormtype` for `adlcp:scormtype`).
    pub name: String,
    pub value: String,
}

/// A parsed document: the root element and every namespace URI declared anywhere in it.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub root: Element,
    pub namespaces: BTreeSet<String>,
}

impl Element {
    /// The attribute with this local name, whatever its prefix.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }

    /// The attribute with this local name compared without case (`scormtype` / `scormType`).
    pub fn attr_ignore_case(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
            .map(|a| a.value.as_str())
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn child_ignore_case(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// The element's own text with leading and trailing whitespace removed.
    pub fn trimmed_text(&self) -> &str {
        self.text.trim()
    }
}

/// Decodes the manifest bytes: UTF-8 (with or without BOM), or ISO-8859-1 / windows-1252 when the
/// XML declaration says so (old SCORM tools write those). Anything else is refused.
fn decode(bytes: &[u8], file: &str) -> Result<String, PackageRefusal> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_owned()),
        Err(utf8_error) => {
            let head: Vec<u8> = bytes.iter().take(200).map(u8::to_ascii_lowercase).collect();
            let head = String::from_utf8_lossy(&head);
            let declared_latin = head.starts_with("<?xml")
                && ["iso-8859-1", "latin1", "windows-1252", "iso-8859-15"]
                    .iter()
                    .any(|enc| head.contains(enc));
            if declared_latin {
                Ok(bytes.iter().map(|&b| char::from(b)).collect())
            } else {
                let (line, column) = line_column(bytes, utf8_error.valid_up_to());
                Err(PackageRefusal::ManifestParse {
                    file: file.to_owned(),
                    line,
                    column,
                    message:
                        "the file is not UTF-8 (only UTF-8, ISO-8859-1 and windows-1252 are read)"
                            .to_owned(),
                })
            }
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let offset = offset.min(bytes.len());
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// What a DOCTYPE holds that we refuse, if anything.
fn check_doctype(doctype: &str, file: &str) -> Result<(), PackageRefusal> {
    if doctype.to_ascii_uppercase().contains("<!ENTITY") {
        return Err(PackageRefusal::EntityDeclaration {
            file: file.to_owned(),
        });
    }
    // The external id comes before the internal subset: `name SYSTEM "uri" [ … ]`.
    let external_part = doctype.split('[').next().unwrap_or_default();
    let refers_outside = external_part
        .split_ascii_whitespace()
        .any(|word| word == "SYSTEM" || word == "PUBLIC");
    if refers_outside {
        return Err(PackageRefusal::ExternalDtd {
            file: file.to_owned(),
        });
    }
    Ok(())
}

/// Parses a manifest into a tree, refusing DTD tricks, undefined entities and malformed XML.
pub(crate) fn parse(bytes: &[u8], file: &str) -> Result<Document, PackageRefusal> {
    let text = decode(bytes, file)?;
    let mut reader = NsReader::from_str(&text);
    reader.config_mut().check_end_names = true;

    let parse_error = |position: u64, message: String| {
        let (line, column) = line_column(
            text.as_bytes(),
            usize::try_from(position).unwrap_or(usize::MAX),
        );
        PackageRefusal::ManifestParse {
            file: file.to_owned(),
            line,
            column,
            message,
        }
    };

    let mut namespaces = BTreeSet::new();
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;

    loop {
        let event = match reader.read_event() {
            Ok(event) => event,
            Err(error) => return Err(parse_error(reader.error_position(), error.to_string())),
        };
        let position = reader.buffer_position();
        match event {
            Event::DocType(doctype) => {
                let doctype = doctype
                    .decode()
                    .map_err(|e| parse_error(position, e.to_string()))?;
                check_doctype(&doctype, file)?;
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(parse_error(
                        position,
                        format!("elements are nested more than {MAX_DEPTH} deep"),
                    ));
                }
                let element = open_element(&reader, &start, &mut namespaces)
                    .map_err(|message| parse_error(position, message))?;
                stack.push(element);
            }
            Event::Empty(start) => {
                let element = open_element(&reader, &start, &mut namespaces)
                    .map_err(|message| parse_error(position, message))?;
                close_element(element, &mut stack, &mut root);
            }
            Event::End(_) => {
                if let Some(element) = stack.pop() {
                    close_element(element, &mut stack, &mut root);
                }
            }
            Event::Text(t) => {
                if let Some(current) = stack.last_mut() {
                    let content = t
                        .xml10_content()
                        .map_err(|e| parse_error(position, e.to_string()))?;
                    current.text.push_str(&content);
                }
            }
            Event::CData(c) => {
                if let Some(current) = stack.last_mut() {
                    let content = c
                        .decode()
                        .map_err(|e| parse_error(position, e.to_string()))?;
                    current.text.push_str(&content);
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    match reference.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        Ok(None) | Err(_) => {
                            return Err(parse_error(
                                position,
                                "invalid character reference".to_owned(),
                            ))
                        }
                    }
                } else {
                    let name = reference
                        .decode()
                        .map_err(|e| parse_error(position, e.to_string()))?;
                    match resolve_predefined_entity(&name) {
                        Some(value) => value.to_owned(),
                        None => {
                            return Err(parse_error(
                                position,
                                format!("undefined entity &{name}; (entities are never declared or expanded)"),
                            ))
                        }
                    }
                };
                if let Some(current) = stack.last_mut() {
                    current.text.push_str(&resolved);
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }

    if !stack.is_empty() {
        let position = reader.buffer_position();
        return Err(parse_error(
            position,
            "the document ends before all elements are closed".to_owned(),
        ));
    }
    match root {
        Some(root) => Ok(Document { root, namespaces }),
        None => Err(parse_error(
            0,
            "the document has no root element".to_owned(),
        )),
    }
}

fn close_element(element: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        // A second root element is not well-formed; quick-xml does not check it, we keep the first.
        None => {
            if root.is_none() {
                *root = Some(element);
            }
        }
    }
}

fn open_element(
    reader: &NsReader<&[u8]>,
    start: &BytesStart<'_>,
    namespaces: &mut BTreeSet<String>,
) -> Result<Element, String> {
    let (ns, local) = reader.resolver().resolve_element(start.name());
    let ns = match ns {
        ResolveResult::Bound(ns) => Some(String::from_utf8_lossy(ns.as_ref()).into_owned()),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => {
            return Err(format!(
                "unknown namespace prefix {:?}",
                String::from_utf8_lossy(&prefix)
            ))
        }
    };
    let name = String::from_utf8_lossy(local.as_ref()).into_owned();
    let mut attrs = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        let key = attribute.key.as_ref();
        if key == b"xmlns" || key.starts_with(b"xmlns:") {
            namespaces.insert(value);
            continue;
        }
        let (_, local) = reader.resolver().resolve_attribute(attribute.key);
        attrs.push(Attribute {
            name: String::from_utf8_lossy(local.as_ref()).into_owned(),
            value,
        });
    }
    Ok(Element {
        ns,
        name,
        attrs,
        children: Vec::new(),
        text: String::new(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn resolves_predefined_and_character_references_only() {
        let doc = parse(b"<a x=\"1 &amp; 2\">&lt;b&gt; &#65;&#x42;</a>", "t.xml").unwrap();
        assert_eq!(doc.root.text, "<b> AB");
        assert_eq!(doc.root.attr("x"), Some("1 & 2"));
        let err = parse(b"<a>&custom;</a>", "t.xml").unwrap_err();
        assert!(
            matches!(err, PackageRefusal::ManifestParse { ref message, .. } if message.contains("&custom;")),
            "{err}"
        );
    }

    #[test]
    fn reports_line_and_column_of_malformed_xml() {
        let err = parse(b"<a>\n  <b></c>\n</a>", "m.xml").unwrap_err();
        match err {
            PackageRefusal::ManifestParse { line, file, .. } => {
                assert_eq!(line, 2);
                assert_eq!(file, "m.xml");
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn doctype_rules() {
        assert!(matches!(
            parse(b"<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", "t.xml"),
            Err(PackageRefusal::EntityDeclaration { .. })
        ));
        assert!(matches!(
            parse(b"<!DOCTYPE a SYSTEM \"http://evil/x.dtd\"><a/>", "t.xml"),
            Err(PackageRefusal::ExternalDtd { .. })
        ));
        // A DOCTYPE with nothing dangerous in it is fine.
        assert!(parse(b"<!DOCTYPE a [<!ELEMENT a EMPTY>]><a/>", "t.xml").is_ok());
    }

    #[test]
    fn latin1_when_declared() {
        let doc = parse(
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Gr\xfc\xdfe</a>",
            "t.xml",
        )
        .unwrap();
        assert_eq!(doc.root.text, "Grüße");
        assert!(matches!(
            parse(b"<a>Gr\xfc\xdfe</a>", "t.xml"),
            Err(PackageRefusal::ManifestParse { .. })
        ));
    }

    #[test]
    fn depth_is_capped() {
        let deep = "<a>".repeat(MAX_DEPTH + 1) + &"</a>".repeat(MAX_DEPTH + 1);
        assert!(matches!(
            parse(deep.as_bytes(), "t.xml"),
            Err(PackageRefusal::ManifestParse { .. })
        ));
    }
}
