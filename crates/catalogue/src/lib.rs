//! The learning catalogue ("Lernangebote") as plain domain types, with no HTTP and no SQL.
//!
//! A [learning opportunity](opportunity::OpportunityDraft) has a [modality](opportunity::Modality)
//! (e-learning package, video, document, web link, classroom course, blended program, mentoring,
//! on-the-job task, community), German and English texts, a content language, duration, an
//! internal or external [provider](provider::ProviderDraft) with cost, an [audience](audience)
//! (companies, org units, roles), the competencies it teaches to a level, prerequisites
//! (competencies or other opportunities, kept acyclic by [`dependencies::cycle_through`]), a
//! recertification period for compliance training ([`validity`]), and a
//! [lifecycle](opportunity::Lifecycle) (draft, published, retired). A blended program's
//! [parts](program::ProgramPart) are required, optional or elective ([`program`]).

pub mod audience;
pub mod classroom;
pub mod dependencies;
pub mod opportunity;
pub mod program;
pub mod provider;
pub mod validity;

pub use audience::{audience_keys, AudienceEntry, Viewer};
pub use opportunity::{
    Alignment, Cost, Lifecycle, Modality, OpportunityDraft, OpportunityError, Prerequisite,
};
pub use program::{ElectiveGroup, PartKind, ProgramPart};
pub use provider::{ProviderDraft, ProviderError};

/// The part of an error message after its field (`"link: not an address"` → `"not an
/// address"`): the errors of this crate say their field first.
pub(crate) fn reason_of(message: String) -> String {
    match message.split_once(": ") {
        Some((_, reason)) => reason.to_owned(),
        None => message,
    }
}
