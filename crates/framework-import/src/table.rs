//! A CSV file read record by record as bytes, so that one bad field (invalid UTF-8, a row of the
//! wrong length) becomes an error with its line and column and reading goes on to find the next.

use crate::error::{ErrorList, ImportError};
use std::io::Read;

/// How a table treats rows shorter than its header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ShortRows {
    /// A row with fewer fields than the header is an error.
    Reject,
    /// Missing trailing fields are empty (ESCO's `skillsHierarchy` leaves them out).
    AsEmpty,
}

#[derive(Debug)]
pub(crate) struct Table<R: Read> {
    file: String,
    reader: csv::Reader<R>,
    headers: Vec<String>,
    record: csv::ByteRecord,
    short_rows: ShortRows,
    done: bool,
}

/// The current record of a [`Table`].
#[derive(Debug)]
pub(crate) struct Row<'a> {
    file: &'a str,
    headers: &'a [String],
    record: &'a csv::ByteRecord,
    line: u64,
}

impl<R: Read> Table<R> {
    /// Reads the header row. `None` (with the error recorded) if the file has none or it cannot
    /// be read.
    pub(crate) fn open(
        file: &str,
        input: R,
        delimiter: u8,
        short_rows: ShortRows,
        errors: &mut ErrorList,
    ) -> Option<Self> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                errors.push(
                    ImportError::new(file, "the file is empty; a header row is required")
                        .at_line(1),
                );
                return None;
            }
            Err(e) => {
                errors.push(csv_error(file, &e));
                return None;
            }
        }
        let mut headers = Vec::with_capacity(record.len());
        let mut ok = true;
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(name) => headers.push(name.trim().to_owned()),
                Err(_) => {
                    errors.push(
                        ImportError::new(file, "the column name is not valid UTF-8")
                            .at_line(1)
                            .at_column(i as u64 + 1, None),
                    );
                    ok = false;
                }
            }
        }
        ok.then(|| Self {
            file: file.to_owned(),
            reader,
            headers,
            record,
            short_rows,
            done: false,
        })
    }

    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    pub(crate) fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The index of the column named `name` (ignoring ASCII case).
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The index of the column named `name`; if there is none, an error naming it.
    pub(crate) fn require(&self, name: &str, errors: &mut ErrorList) -> Option<usize> {
        let found = self.column(name);
        if found.is_none() {
            errors.push(
                ImportError::new(
                    &self.file,
                    format!("the required column `{name}` is missing"),
                )
                .at_line(1),
            );
        }
        found
    }

    /// The next record of the right length; rows of the wrong length are recorded as errors and
    /// skipped. `None` at the end (or after an error that stops reading, such as a broken zip).
    pub(crate) fn next_row(&mut self, errors: &mut ErrorList) -> Option<Row<'_>> {
        loop {
            if self.done {
                return None;
            }
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    errors.push(csv_error(&self.file, &e));
                    self.done = true;
                    return None;
                }
            }
            // A row of empty fields (a spreadsheet's `;;;`, a line of blanks) is no row.
            if self
                .record
                .iter()
                .all(|f| f.iter().all(u8::is_ascii_whitespace))
            {
                continue;
            }
            let line = self.record.position().map_or(0, csv::Position::line);
            let len = self.record.len();
            let expected = self.headers.len();
            let wrong = len > expected || (len < expected && self.short_rows == ShortRows::Reject);
            if wrong {
                errors.push(
                    ImportError::new(
                        &self.file,
                        format!("the row has {len} fields, the header has {expected}"),
                    )
                    .at_line(line),
                );
                continue;
            }
            return Some(Row {
                file: &self.file,
                headers: &self.headers,
                record: &self.record,
                line,
            });
        }
    }
}

impl<'a> Row<'a> {
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// The field in column `index`, trimmed; empty if the row is shorter. Invalid UTF-8 is an
    /// error at that field.
    pub(crate) fn text(&self, index: usize) -> Result<&'a str, ImportError> {
        let bytes = self.record.get(index).unwrap_or_default();
        std::str::from_utf8(bytes)
            .map(str::trim)
            .map_err(|_| self.error(index, "the field is not valid UTF-8"))
    }

    /// Like [`Self::text`] for an optional column; invalid UTF-8 is recorded and read as empty.
    pub(crate) fn optional(&self, index: Option<usize>, errors: &mut ErrorList) -> &'a str {
        match index.map(|i| self.text(i)) {
            Some(Ok(text)) => text,
            Some(Err(e)) => {
                errors.push(e);
                ""
            }
            None => "",
        }
    }

    /// An error at column `index` of this row.
    pub(crate) fn error(&self, index: usize, message: impl Into<String>) -> ImportError {
        ImportError::new(self.file, message)
            .at_line(self.line)
            .at_column(
                index as u64 + 1,
                self.headers.get(index).map(String::as_str),
            )
    }

    /// An error about this row as a whole.
    pub(crate) fn row_error(&self, message: impl Into<String>) -> ImportError {
        ImportError::new(self.file, message).at_line(self.line)
    }
}

fn csv_error(file: &str, error: &csv::Error) -> ImportError {
    let line = error.position().map(csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::Io(e) => format!("cannot read the file: {e}"),
        _ => format!("cannot read the CSV: {error}"),
    };
    let e = ImportError::new(file, message);
    match line {
        Some(line) => e.at_line(line),
        None => e,
    }
}

/// Splits a list of names or URIs written one per line (ESCO `altLabels`) or with ` | ` / `|`
/// between them; trims each, drops empty ones and repeats.
pub(crate) fn split_list(text: &str, separator: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split(separator) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|p| p == part) {
            out.push(part.to_owned());
        }
    }
    out
}
