//! The structure of a blended program ("Bildungsprogramm"): its parts in order, each required,
//! optional, or one of an elective group ("choose k of these n"), and when the program counts as
//! completed.

use crate::opportunity::OpportunityError;
use mycel_competency::scale::LocalizedText;
use mycel_organisation::OpportunityId;
use serde::{Deserialize, Serialize};

/// How a part belongs to its program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum PartKind {
    /// Everyone taking the program takes it.
    Required,
    /// Offered; the program is complete without it.
    Optional,
    /// One of an elective group: `group` is the position in the program's `elective_groups`.
    Elective { group: u16 },
}

impl PartKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Elective { .. } => "elective",
        }
    }

    /// The kind as stored or posted: `required`, `optional`, or `elective` with a group.
    pub fn parse(kind: &str, group: Option<u16>) -> Option<Self> {
        match (kind, group) {
            ("required", None) => Some(Self::Required),
            ("optional", None) => Some(Self::Optional),
            ("elective", Some(group)) => Some(Self::Elective { group }),
            _ => None,
        }
    }

    pub fn group(self) -> Option<u16> {
        match self {
            Self::Elective { group } => Some(group),
            _ => None,
        }
    }
}

/// One part of a program, at its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramPart {
    pub opportunity_id: OpportunityId,
    #[serde(flatten)]
    pub kind: PartKind,
}

impl ProgramPart {
    pub fn required(opportunity_id: OpportunityId) -> Self {
        Self {
            opportunity_id,
            kind: PartKind::Required,
        }
    }
}

/// "Choose `choose` of these": the parts whose kind names this group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElectiveGroup {
    pub label: LocalizedText,
    pub choose: u16,
}

pub const MAX_GROUP_LABEL: usize = 200;
/// Parts of one program (the editor's and the store's limit).
pub const MAX_PARTS: usize = 100;

/// The name of a group in messages: its label, else its number.
fn group_name(groups: &[ElectiveGroup], index: usize) -> String {
    match groups.get(index) {
        Some(group) if !group.label.is_blank() => {
            let label = if group.label.de.trim().is_empty() {
                &group.label.en
            } else {
                &group.label.de
            };
            format!("{:?}", label.trim())
        }
        _ => format!("group {}", index + 1),
    }
}

/// The rules of a program's structure: every elective part names a group that exists, every
/// group has a label, at least two parts and chooses between 1 and all of them.
pub fn check_structure(
    parts: &[ProgramPart],
    groups: &[ElectiveGroup],
) -> Result<(), OpportunityError> {
    use OpportunityError as E;
    if parts.len() > MAX_PARTS {
        return Err(E::TooManyParts { max: MAX_PARTS });
    }
    for (position, part) in parts.iter().enumerate() {
        if let Some(group) = part.kind.group() {
            if usize::from(group) >= groups.len() {
                return Err(E::UnknownGroup {
                    part: position + 1,
                    group: usize::from(group) + 1,
                });
            }
        }
    }
    for (index, group) in groups.iter().enumerate() {
        if group.label.is_blank() {
            return Err(E::GroupLabel { group: index + 1 });
        }
        if group.label.de.chars().count() > MAX_GROUP_LABEL
            || group.label.en.chars().count() > MAX_GROUP_LABEL
        {
            return Err(E::TooLong {
                field: "elective_groups.label",
                max: MAX_GROUP_LABEL,
            });
        }
        let members = parts
            .iter()
            .filter(|p| p.kind.group() == Some(index as u16))
            .count();
        if members < 2 {
            return Err(E::GroupTooSmall {
                group: group_name(groups, index),
                parts: members,
            });
        }
        if group.choose == 0 || usize::from(group.choose) > members {
            return Err(E::GroupChoice {
                group: group_name(groups, index),
                choose: group.choose,
                parts: members,
            });
        }
    }
    Ok(())
}

/// Whether a program is completed by its parts: every required part, and `choose` parts of each
/// elective group (optional parts do not count). A program with no required or elective part is
/// never completed by its parts (only by a statement about itself).
pub fn completed_by_parts(
    parts: &[ProgramPart],
    groups: &[ElectiveGroup],
    completed: impl Fn(OpportunityId) -> bool,
) -> bool {
    let counted = parts
        .iter()
        .any(|p| matches!(p.kind, PartKind::Required | PartKind::Elective { .. }));
    counted
        && parts
            .iter()
            .filter(|p| p.kind == PartKind::Required)
            .all(|p| completed(p.opportunity_id))
        && groups.iter().enumerate().all(|(index, group)| {
            let done = parts
                .iter()
                .filter(|p| p.kind.group() == Some(index as u16) && completed(p.opportunity_id))
                .count();
            done >= usize::from(group.choose)
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn ids<const N: usize>() -> [OpportunityId; N] {
        [(); N].map(|_| OpportunityId::generate())
    }

    fn elective(opportunity_id: OpportunityId, group: u16) -> ProgramPart {
        ProgramPart {
            opportunity_id,
            kind: PartKind::Elective { group },
        }
    }

    fn group(label: &str, choose: u16) -> ElectiveGroup {
        ElectiveGroup {
            label: LocalizedText::new(label, ""),
            choose,
        }
    }

    #[test]
    fn a_program_with_required_optional_and_elective_parts_is_valid() {
        let [a, b, c, d, e] = ids();
        let parts = [
            ProgramPart::required(a),
            ProgramPart {
                opportunity_id: b,
                kind: PartKind::Optional,
            },
            elective(c, 0),
            elective(d, 0),
            elective(e, 0),
        ];
        assert_eq!(
            check_structure(&parts, &[group("Kommunikation", 2)]),
            Ok(())
        );
    }

    #[test]
    fn a_group_chooses_between_one_and_all_of_at_least_two_parts() {
        let [a, b, c] = ids();
        let parts = [elective(a, 0), elective(b, 0)];
        let error = check_structure(&parts, &[group("Kommunikation", 3)]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "elective_groups: \"Kommunikation\" cannot choose 3 of its 2 parts (choose 1 to 2)"
        );
        assert_eq!(error.field(), "elective_groups");
        assert!(matches!(
            check_structure(&parts, &[group("Kommunikation", 0)]),
            Err(OpportunityError::GroupChoice { choose: 0, .. })
        ));
        let error = check_structure(&[elective(c, 0)], &[group("Allein", 1)]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "elective_groups: \"Allein\" needs at least two parts, it has 1"
        );
        // A group nobody belongs to is as small.
        assert!(matches!(
            check_structure(&parts, &[group("A", 1), group("B", 1)]),
            Err(OpportunityError::GroupTooSmall { parts: 0, .. })
        ));
    }

    #[test]
    fn parts_name_groups_that_exist_and_groups_have_labels() {
        let [a, b] = ids();
        let error = check_structure(&[elective(a, 0), elective(b, 1)], &[group("A", 1)]);
        assert_eq!(
            error.unwrap_err().to_string(),
            "parts: part 2 belongs to elective group 2, which does not exist"
        );
        let error = check_structure(&[elective(a, 0), elective(b, 0)], &[group(" ", 1)]);
        assert_eq!(
            error.unwrap_err().to_string(),
            "elective_groups: group 1 needs a label in German or English"
        );
    }

    #[test]
    fn completed_by_required_parts_and_k_of_each_group() {
        let [a, b, c, d, e] = ids();
        let parts = [
            ProgramPart::required(a),
            ProgramPart {
                opportunity_id: b,
                kind: PartKind::Optional,
            },
            elective(c, 0),
            elective(d, 0),
            elective(e, 0),
        ];
        let groups = [group("Kommunikation", 2)];
        let done = |set: &[OpportunityId]| {
            let set = set.to_vec();
            completed_by_parts(&parts, &groups, move |id| set.contains(&id))
        };
        assert!(!done(&[a, c]));
        assert!(!done(&[c, d, b]), "the required part is missing");
        assert!(done(&[a, c, e]), "the optional part is not needed");
        assert!(done(&[a, c, d, e]));
        // Only optional parts: never completed by parts.
        let only_optional = [ProgramPart {
            opportunity_id: b,
            kind: PartKind::Optional,
        }];
        assert!(!completed_by_parts(&only_optional, &[], |_| true));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in [
            PartKind::Required,
            PartKind::Optional,
            PartKind::Elective { group: 3 },
        ] {
            assert_eq!(PartKind::parse(kind.as_str(), kind.group()), Some(kind));
        }
        assert_eq!(PartKind::parse("elective", None), None);
        assert_eq!(PartKind::parse("required", Some(1)), None);
    }
}
