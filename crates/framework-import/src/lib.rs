//! Reads competency frameworks from their files.
