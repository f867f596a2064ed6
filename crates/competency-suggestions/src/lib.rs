#![doc = include_str!("../README.md")]

mod compound;
mod index;
mod text;

pub use compound::Vocabulary;
pub use index::{
    CompetencyText, LabelText, MatchField, MatchedTerm, Scoring, Suggestion, SuggestionIndex,
};
pub use text::{fold, Lang, Stemmers, Word};
