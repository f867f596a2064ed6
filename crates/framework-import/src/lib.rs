//! Reads competency frameworks from their files into the plain types of
//! [`mycel_competency::framework`]: ESCO's CSV zips ([`read_esco`]), 1EdTech CASE packages
//! ([`read_case`]) and a tenant's own CSV ([`read_competency_csv`]). No database, no I/O beyond
//! the files handed in: the store writes a [`FrameworkImport`] in one transaction.
//!
//! Errors (see [`error`]): every reader returns [`ImportErrors`] listing every problem it found,
//! each with the file, line and column, when a file cannot be imported; CASE packages that could
//! be imported despite straying from the schema come with a list of [`Deviation`]s, ESCO with an
//! [`EscoSummary`] of what was merged and dropped.

pub mod case;
pub mod error;
pub mod esco;
pub mod own_csv;
mod table;

pub use case::read_case;
pub use error::{Column, Deviation, ImportError, ImportErrors, MAX_ERRORS};
pub use esco::{
    read_esco, read_esco_files, EscoSummary, EscoTranslation, NamedZip, ESCO_ATTRIBUTION, ESCO_URI,
};
pub use mycel_competency::framework::FrameworkImport;
pub use own_csv::read_competency_csv;
