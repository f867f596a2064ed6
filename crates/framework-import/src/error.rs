//! What a reader hands back when a file cannot be imported, and what it reports about a file it
//! could import only by bending the rules.
//!
//! - [`ImportErrors`] (a `thiserror`-style error): the file cannot be imported. It lists every
//!   problem found (up to [`MAX_ERRORS`], counting the rest in `more`), each with the file, and
//!   where known the 1-based line and column, so a tenant can fix them all in one go.
//! - [`Deviation`]: a CASE package was imported, but something in it was off the schema and was
//!   read in a documented way (or skipped); the path says where (`$.CFItems[3].uri`).
//! - ESCO reports what it dropped or merged in [`crate::EscoSummary`].

use serde::Serialize;
use std::fmt;

/// How many errors an [`ImportErrors`] lists; the rest are only counted.
pub const MAX_ERRORS: usize = 100;

/// A column of a CSV file (its 1-based number and header name) or of a JSON text (its 1-based
/// character position in the line, without a name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    pub number: u64,
    pub name: Option<String>,
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{} ({name})", self.number),
            None => write!(f, "{}", self.number),
        }
    }
}

/// One problem that keeps a file from being imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ImportError {
    /// The file as the caller named it; for a file inside a zip `archive.zip/inner.csv`.
    pub file: String,
    /// 1-based line (for a CSV record, the line it starts on).
    pub line: Option<u64>,
    pub column: Option<Column>,
    pub message: String,
}

impl ImportError {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_column(mut self, number: u64, name: Option<&str>) -> Self {
        self.column = Some(Column {
            number,
            name: name.map(str::to_owned),
        });
        self
    }
}

/// `file:line:column: message`, leaving out what is unknown.
impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ":{column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that keeps a file (or a set of files) from being imported. Never empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct ImportErrors {
    /// The first [`MAX_ERRORS`] problems, in the order found.
    pub errors: Vec<ImportError>,
    /// How many more were found and not listed.
    pub more: usize,
}

impl ImportErrors {
    /// The number of problems found, listed or not.
    pub fn total(&self) -> usize {
        self.errors.len() + self.more
    }
}

impl From<ImportError> for ImportErrors {
    fn from(error: ImportError) -> Self {
        Self {
            errors: vec![error],
            more: 0,
        }
    }
}

/// One error per line, then how many were left out.
impl fmt::Display for ImportErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.errors.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.more > 0 {
            write!(f, "\n... and {} more errors", self.more)?;
        }
        Ok(())
    }
}

/// Something in an imported file that was off its schema and was read anyway (or skipped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deviation {
    /// A JSON path into the file: `$.CFItems[3].uri`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Collects errors while a reader goes on looking for more.
#[derive(Debug, Default)]
pub(crate) struct ErrorList {
    errors: Vec<ImportError>,
    more: usize,
}

impl ErrorList {
    pub(crate) fn push(&mut self, error: ImportError) {
        if self.errors.len() < MAX_ERRORS {
            self.errors.push(error);
        } else {
            self.more += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Puts the listed errors in the order of their lines (for one file).
    pub(crate) fn sort_by_line(&mut self) {
        self.errors.sort_by_key(|e| e.line);
    }

    /// `Ok(value)` if nothing went wrong, else all the errors.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, ImportErrors> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(ImportErrors {
                errors: self.errors,
                more: self.more,
            })
        }
    }
}
