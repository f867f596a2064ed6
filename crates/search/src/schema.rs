//! The tantivy schema of the catalogue index and the conversion of documents into it.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, INDEXED, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use crate::analysis::{ANALYZER_DE, ANALYZER_EN, ANALYZER_PLAIN, ANALYZER_REVERSED};
use crate::document::{Lang, OpportunityDocument};

/// Version of the index layout (schema and analyzers). An index directory written with another
/// version is deleted and recreated empty by [`crate::SearchIndex::open`], which reports
/// [`crate::OpenStatus::Rebuilt`] so the application re-feeds every document. Bump it whenever
/// a field, an analyzer or the meaning of a stored value changes.
pub const SCHEMA_VERSION: u32 = 1;

/// The fields of the schema.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub id: Field,
    pub owner_tenant: Field,
    pub title_de: Field,
    pub title_en: Field,
    pub description_de: Field,
    pub description_en: Field,
    pub keywords_de: Field,
    pub keywords_en: Field,
    /// Titles, unstemmed (fuzzy and prefix matching).
    pub title_plain: Field,
    /// Descriptions and keywords, unstemmed.
    pub body_plain: Field,
    pub title_reversed: Field,
    pub body_reversed: Field,
    pub modality: Field,
    pub content_language: Field,
    pub duration_minutes: Field,
    pub provider: Field,
    pub competencies: Field,
    pub upcoming_sessions: Field,
    pub audience: Field,
    pub published: Field,
    pub updated_at: Field,
}

pub(crate) const F_MODALITY: &str = "modality";
pub(crate) const F_LANGUAGE: &str = "content_language";
pub(crate) const F_DURATION: &str = "duration_minutes";
pub(crate) const F_PROVIDER: &str = "provider";
pub(crate) const F_COMPETENCIES: &str = "competencies";
pub(crate) const F_SESSIONS: &str = "upcoming_sessions";
pub(crate) const F_UPDATED_AT: &str = "updated_at";

fn text(analyzer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn keyword_fast() -> TextOptions {
    TextOptions::default().set_fast("raw")
}

pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let freqs = IndexRecordOption::WithFreqs;
    // Fuzzy, prefix and suffix queries score by a constant: document ids are enough.
    let basic = IndexRecordOption::Basic;
    let date = DateOptions::default()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        owner_tenant: b.add_text_field("owner_tenant", STRING),
        title_de: b.add_text_field("title_de", text(ANALYZER_DE, freqs, true)),
        title_en: b.add_text_field("title_en", text(ANALYZER_EN, freqs, true)),
        description_de: b.add_text_field("description_de", text(ANALYZER_DE, freqs, true)),
        description_en: b.add_text_field("description_en", text(ANALYZER_EN, freqs, true)),
        keywords_de: b.add_text_field("keywords_de", text(ANALYZER_DE, freqs, false)),
        keywords_en: b.add_text_field("keywords_en", text(ANALYZER_EN, freqs, false)),
        title_plain: b.add_text_field("title_plain", text(ANALYZER_PLAIN, basic, false)),
        body_plain: b.add_text_field("body_plain", text(ANALYZER_PLAIN, basic, false)),
        title_reversed: b.add_text_field("title_reversed", text(ANALYZER_REVERSED, basic, false)),
        body_reversed: b.add_text_field("body_reversed", text(ANALYZER_REVERSED, basic, false)),
        modality: b.add_text_field(F_MODALITY, keyword_fast()),
        content_language: b.add_text_field(F_LANGUAGE, keyword_fast()),
        duration_minutes: b.add_u64_field(F_DURATION, NumericOptions::default().set_fast()),
        provider: b.add_text_field(F_PROVIDER, keyword_fast()),
        competencies: b.add_text_field(F_COMPETENCIES, keyword_fast()),
        upcoming_sessions: b.add_date_field(F_SESSIONS, date.clone()),
        audience: b.add_text_field("audience", STRING),
        published: b.add_bool_field("published", INDEXED),
        updated_at: b.add_date_field(F_UPDATED_AT, date),
    };
    (b.build(), fields)
}

pub(crate) fn date_time(value: chrono::DateTime<chrono::Utc>) -> DateTime {
    DateTime::from_timestamp_secs(value.timestamp())
}

impl Fields {
    pub(crate) fn title(&self, lang: Lang) -> Field {
        match lang {
            Lang::De => self.title_de,
            Lang::En => self.title_en,
        }
    }

    pub(crate) fn description(&self, lang: Lang) -> Field {
        match lang {
            Lang::De => self.description_de,
            Lang::En => self.description_en,
        }
    }

    pub(crate) fn document(&self, doc: &OpportunityDocument) -> TantivyDocument {
        let mut out = TantivyDocument::new();
        out.add_text(self.id, doc.id.to_string());
        out.add_text(self.owner_tenant, doc.owner_tenant.to_string());
        for (lang, title) in &doc.titles {
            out.add_text(self.title(*lang), title);
            out.add_text(self.title_plain, title);
            out.add_text(self.title_reversed, title);
        }
        for (lang, description) in &doc.descriptions {
            out.add_text(self.description(*lang), description);
            out.add_text(self.body_plain, description);
            out.add_text(self.body_reversed, description);
        }
        for keyword in &doc.keywords {
            out.add_text(self.keywords_de, keyword);
            out.add_text(self.keywords_en, keyword);
            out.add_text(self.body_plain, keyword);
            out.add_text(self.body_reversed, keyword);
        }
        out.add_text(self.modality, &doc.modality);
        out.add_text(self.content_language, &doc.content_language);
        if let Some(minutes) = doc.duration_minutes {
            out.add_u64(self.duration_minutes, u64::from(minutes));
        }
        if let Some(provider) = &doc.provider {
            out.add_text(self.provider, provider);
        }
        for competency in &doc.competencies {
            out.add_text(self.competencies, competency.to_string());
        }
        for session in &doc.upcoming_sessions {
            out.add_date(self.upcoming_sessions, date_time(*session));
        }
        for key in &doc.audience {
            out.add_text(self.audience, key);
        }
        out.add_bool(self.published, doc.published);
        out.add_date(self.updated_at, date_time(doc.updated_at));
        out
    }
}
