//! The learning catalogue ("Lernangebote") for everyone: the search page with facets and paging
//! (a plain GET form, no JavaScript), and an opportunity's page with what it teaches, what it
//! requires, who provides it and how to start it. Editors (L&D of the whole company) also see the
//! company's drafts and retired opportunities, and publish or retire them from the page. The
//! management pages and the editor live in `catalogue_editor.rs`, package files in
//! `package_content.rs`.

use super::competency_texts::{self as texts, Frameworks, LabelView};
use super::{error_response, PersonPage, Shell};
use crate::i18n::{I18n, Lang};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use mycel_app::catalogue::{self as ops, CatalogueSearch};
use mycel_app::{Acting, AppError};
use mycel_catalogue::{Cost, Lifecycle, Modality, Prerequisite};
use mycel_organisation::{Action, CompetencyId, OpportunityId};
use mycel_search::{
    DurationBucket, Provider, SearchFilters, SessionRange, SessionWindow, SortOrder,
};
use mycel_store::competencies::CompetencyRecord;
use std::collections::{HashMap, HashSet};

/// Hits per page of the search.
pub(super) const PAGE_SIZE: usize = 20;

// ---- how the catalogue says things ----

pub(super) fn modality_name(modality: Modality, t: &I18n) -> String {
    match modality {
        Modality::ELearning => t.get("catalogue-modality-e-learning"),
        Modality::Video => t.get("catalogue-modality-video"),
        Modality::Document => t.get("catalogue-modality-document"),
        Modality::WebLink => t.get("catalogue-modality-web-link"),
        Modality::Classroom => t.get("catalogue-modality-classroom"),
        Modality::Blended => t.get("catalogue-modality-blended"),
        Modality::Mentoring => t.get("catalogue-modality-mentoring"),
        Modality::OnTheJob => t.get("catalogue-modality-on-the-job"),
        Modality::Community => t.get("catalogue-modality-community"),
    }
}

pub(super) fn lifecycle_name(lifecycle: Lifecycle, t: &I18n) -> String {
    match lifecycle {
        Lifecycle::Draft => t.get("catalogue-lifecycle-draft"),
        Lifecycle::Published => t.get("catalogue-lifecycle-published"),
        Lifecycle::Retired => t.get("catalogue-lifecycle-retired"),
    }
}

fn bucket_name(bucket: DurationBucket, t: &I18n) -> String {
    match bucket {
        DurationBucket::UpTo15Minutes => t.get("catalogue-duration-15m"),
        DurationBucket::From15To60Minutes => t.get("catalogue-duration-1h"),
        DurationBucket::From1To4Hours => t.get("catalogue-duration-4h"),
        DurationBucket::From4To8Hours => t.get("catalogue-duration-8h"),
        DurationBucket::MoreThanADay => t.get("catalogue-duration-day"),
        DurationBucket::Unknown => t.get("catalogue-duration-unknown"),
    }
}

/// The value of a duration bucket in the search form.
fn bucket_param(bucket: DurationBucket) -> &'static str {
    match bucket {
        DurationBucket::UpTo15Minutes => "15m",
        DurationBucket::From15To60Minutes => "1h",
        DurationBucket::From1To4Hours => "4h",
        DurationBucket::From4To8Hours => "8h",
        DurationBucket::MoreThanADay => "day",
        DurationBucket::Unknown => "unknown",
    }
}

fn window_name(window: SessionWindow, t: &I18n) -> String {
    match window {
        SessionWindow::Within7Days => t.get("catalogue-sessions-7"),
        SessionWindow::Within30Days => t.get("catalogue-sessions-30"),
        SessionWindow::Within90Days => t.get("catalogue-sessions-90"),
    }
}

/// The name of a content language in the page's language (the code for rarer ones).
pub(super) fn language_name(code: &str, t: &I18n) -> String {
    let primary = code.split('-').next().unwrap_or(code);
    match primary {
        "de" => t.get("language-name-de"),
        "en" => t.get("language-name-en"),
        "fr" => t.get("language-name-fr"),
        "es" => t.get("language-name-es"),
        "it" => t.get("language-name-it"),
        "tr" => t.get("language-name-tr"),
        "pl" => t.get("language-name-pl"),
        _ => code.to_owned(),
    }
}

/// A duration as people read it ("45 min", "2 h 30 min").
pub(super) fn duration_text(minutes: u32, t: &I18n) -> String {
    let (hours, rest) = (minutes / 60, minutes % 60);
    if hours == 0 {
        t.with("catalogue-minutes", "minutes", &rest.to_string())
    } else if rest == 0 {
        t.with("catalogue-hours", "hours", &hours.to_string())
    } else {
        t.with_all(
            "catalogue-hours-minutes",
            &[
                ("hours", &hours.to_string()),
                ("minutes", &rest.to_string()),
            ],
        )
    }
}

/// Thousands separated by `separator`.
fn grouped(mut value: u64, separator: char) -> String {
    let mut groups = Vec::new();
    loop {
        if value < 1000 {
            groups.push(value.to_string());
            break;
        }
        groups.push(format!("{:03}", value % 1000));
        value /= 1000;
    }
    groups.reverse();
    groups.join(&separator.to_string())
}

/// An amount in cents as typed in a form ("199,00" in German, "199.00" in English).
pub(super) fn amount_text(cents: u64, lang: Lang) -> String {
    let (units, rest) = (cents / 100, cents % 100);
    match lang {
        Lang::De => format!("{units},{rest:02}"),
        Lang::En => format!("{units}.{rest:02}"),
    }
}

/// What an opportunity costs, in the page's conventions ("1.299,00 €", "€1,299.00"), or "free".
pub(super) fn cost_text(cost: &Cost, t: &I18n) -> String {
    if cost.cents == 0 {
        return t.get("catalogue-cost-free");
    }
    let (units, rest) = (cost.cents / 100, cost.cents % 100);
    let symbol = match cost.currency.as_str() {
        "EUR" => Some("€"),
        "USD" => Some("$"),
        "GBP" => Some("£"),
        _ => None,
    };
    match t.lang {
        Lang::De => {
            let number = format!("{},{rest:02}", grouped(units, '.'));
            format!("{number} {}", symbol.unwrap_or(&cost.currency))
        }
        Lang::En => {
            let number = format!("{}.{rest:02}", grouped(units, ','));
            match symbol {
                Some(symbol) => format!("{symbol}{number}"),
                None => format!("{} {number}", cost.currency),
            }
        }
    }
}

/// Text split into paragraphs at blank lines.
pub(super) fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The language a localized text is shown in, for the `lang` attribute.
fn shown_language(text: &mycel_competency::scale::LocalizedText, t: &I18n) -> &'static str {
    let wanted = t.code();
    let (own, other) = match t.lang {
        Lang::De => (&text.de, "en"),
        Lang::En => (&text.en, "de"),
    };
    if own.trim().is_empty() {
        other
    } else {
        wanted
    }
}

pub(super) fn opportunity_href(id: impl std::fmt::Display) -> String {
    format!("/catalog/opportunities/{id}")
}

fn unlabeled(id: impl std::fmt::Display) -> LabelView {
    LabelView {
        text: id.to_string(),
        description: None,
        fallback_lang: None,
        fallback: None,
    }
}

// ---- the search page ----

/// What the search form sends (repeated fields for the checkbox groups).
#[derive(Debug, Default, Clone)]
struct SearchParams {
    q: String,
    sort: String,
    modality: Vec<String>,
    language: Vec<String>,
    duration: Vec<String>,
    provider: Vec<String>,
    competency: Vec<String>,
    sessions: Vec<String>,
    drafts: bool,
    offset: usize,
}

impl SearchParams {
    fn parse(query: Option<&str>) -> Self {
        let pairs: Vec<(String, String)> = query
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        let mut params = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "q" => params.q = value,
                "sort" => params.sort = value,
                "modality" => params.modality.push(value),
                "language" => params.language.push(value),
                "duration" => params.duration.push(value),
                "provider" => params.provider.push(value),
                "competency" => params.competency.push(value),
                "sessions" => params.sessions.push(value),
                "drafts" => params.drafts = value == "1",
                "offset" => params.offset = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
        params
    }

    /// The query string of this search at another offset.
    fn href(&self, offset: usize) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        if !self.sort.is_empty() {
            pairs.push(("sort", self.sort.clone()));
        }
        for (name, values) in [
            ("modality", &self.modality),
            ("language", &self.language),
            ("duration", &self.duration),
            ("provider", &self.provider),
            ("competency", &self.competency),
            ("sessions", &self.sessions),
        ] {
            pairs.extend(values.iter().map(|v| (name, v.clone())));
        }
        if self.drafts {
            pairs.push(("drafts", "1".to_owned()));
        }
        if offset > 0 {
            pairs.push(("offset", offset.to_string()));
        }
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        if query.is_empty() {
            "/catalog".to_owned()
        } else {
            format!("/catalog?{query}")
        }
    }

    fn sort(&self) -> SortOrder {
        match self.sort.as_str() {
            "newest" => SortOrder::Newest,
            "soonest" => SortOrder::SoonestSession,
            _ => SortOrder::Relevance,
        }
    }

    fn filters(&self) -> SearchFilters {
        let mut filters = SearchFilters {
            modalities: self
                .modality
                .iter()
                .filter(|m| Modality::parse(m).is_some())
                .cloned()
                .collect(),
            languages: self
                .language
                .iter()
                .filter(|l| !l.is_empty() && l.len() <= 16)
                .cloned()
                .collect(),
            durations: self
                .duration
                .iter()
                .filter_map(|d| {
                    DurationBucket::ALL
                        .into_iter()
                        .find(|b| bucket_param(*b) == d)
                })
                .collect(),
            providers: self
                .provider
                .iter()
                .filter_map(|p| provider_from_param(p))
                .collect(),
            competencies: self
                .competency
                .iter()
                .filter_map(|c| c.trim().parse::<uuid::Uuid>().ok())
                .collect(),
            sessions: None,
        };
        let days = self
            .sessions
            .iter()
            .filter_map(|s| window_from_param(s))
            .map(SessionWindow::days)
            .max();
        if let Some(days) = days {
            filters.sessions = Some(SessionRange {
                from: None,
                to: Some(Utc::now() + chrono::Duration::days(days)),
            });
        }
        filters
    }
}

fn provider_param(provider: &Provider) -> String {
    match provider {
        Provider::Internal => "internal".to_owned(),
        Provider::External(name) => format!("external:{name}"),
    }
}

fn provider_from_param(value: &str) -> Option<Provider> {
    if value == "internal" {
        Some(Provider::Internal)
    } else {
        value
            .strip_prefix("external:")
            .filter(|name| !name.is_empty())
            .map(|name| Provider::External(name.to_owned()))
    }
}

fn window_param(window: SessionWindow) -> &'static str {
    match window {
        SessionWindow::Within7Days => "7",
        SessionWindow::Within30Days => "30",
        SessionWindow::Within90Days => "90",
    }
}

fn window_from_param(value: &str) -> Option<SessionWindow> {
    SessionWindow::ALL
        .into_iter()
        .find(|w| window_param(*w) == value)
}

/// One checkbox of a facet.
struct FacetOption {
    value: String,
    label: String,
    count: u64,
    checked: bool,
}

/// A facet as a group of checkboxes.
struct FacetGroup {
    /// The form field (and the group's id).
    name: &'static str,
    title: String,
    options: Vec<FacetOption>,
}

struct SortOption {
    value: &'static str,
    label: String,
    selected: bool,
}

/// One hit of the search.
struct HitRow {
    href: String,
    title_html: String,
    title_lang: &'static str,
    snippet_html: String,
    modality: Option<String>,
    duration: Option<String>,
    language: Option<String>,
    /// Editors see drafts and retired ones marked.
    lifecycle: Option<(String, &'static str)>,
    next_session: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
struct SearchPage<'a> {
    shell: &'a Shell,
    q: String,
    error: Option<String>,
    sorts: Vec<SortOption>,
    facets: Vec<FacetGroup>,
    hits: Vec<HitRow>,
    /// "Results 1–20 of 57".
    range: String,
    previous: Option<String>,
    next: Option<String>,
    editor: bool,
    drafts: bool,
    esco: bool,
}

fn lifecycle_class(lifecycle: Lifecycle) -> &'static str {
    match lifecycle {
        Lifecycle::Draft => "badge-draft",
        Lifecycle::Published => "badge-published",
        Lifecycle::Retired => "badge-retired",
    }
}

/// `/catalog`.
pub async fn search(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let editor = acting.permits(Action::ManageCatalogue);
    let params = SearchParams::parse(query.as_deref());
    let request = CatalogueSearch {
        text: params.q.trim().to_owned(),
        language: t.code().to_owned(),
        filters: params.filters(),
        sort: params.sort(),
        limit: PAGE_SIZE,
        offset: params.offset,
        include_unpublished: editor && params.drafts,
    };
    let (results, error, status) =
        match ops::search(store, &state.catalogue, acting, scope, request).await {
            Ok(results) => (results, None, StatusCode::OK),
            Err(AppError::Invalid(invalid)) => (
                mycel_search::SearchResults::default(),
                Some(t.with("form-invalid", "detail", &invalid.to_string())),
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            Err(other) => return error_response(shell, &other.into()),
        };

    // The records of the hits, for their badges.
    let ids: Vec<OpportunityId> = results.hits.iter().map(|h| h.id.into()).collect();
    let records = if ids.is_empty() {
        Vec::new()
    } else {
        match store.opportunities_by_id(scope, &ids).await {
            Ok(records) => records,
            Err(error) => return error_response(shell, &error.into()),
        }
    };
    let records: HashMap<OpportunityId, _> = records.into_iter().map(|r| (r.id, r)).collect();
    let hits = results
        .hits
        .iter()
        .map(|hit| {
            let record = records.get(&OpportunityId::from(hit.id));
            HitRow {
                href: opportunity_href(hit.id),
                title_html: hit.title_html.clone(),
                title_lang: match hit.title_language {
                    mycel_search::Lang::De => "de",
                    mycel_search::Lang::En => "en",
                },
                snippet_html: hit.snippet_html.clone(),
                modality: record.map(|r| modality_name(r.draft.modality, t)),
                duration: record
                    .and_then(|r| r.draft.duration_minutes)
                    .map(|d| duration_text(d, t)),
                language: record.map(|r| language_name(&r.draft.content_language, t)),
                lifecycle: record
                    .filter(|r| r.lifecycle != Lifecycle::Published)
                    .map(|r| (lifecycle_name(r.lifecycle, t), lifecycle_class(r.lifecycle))),
                next_session: hit.next_session.map(|at| texts::date(at, t)),
            }
        })
        .collect();

    // Facets.
    let facets = &results.facets;
    let mut groups = Vec::new();
    let checked = |values: &[String], value: &str| values.iter().any(|v| v == value);
    groups.push(FacetGroup {
        name: "modality",
        title: t.get("catalogue-facet-modality"),
        options: facets
            .modality
            .iter()
            .map(|f| FacetOption {
                label: Modality::parse(&f.value)
                    .map_or_else(|| f.value.clone(), |m| modality_name(m, t)),
                checked: checked(&params.modality, &f.value),
                value: f.value.clone(),
                count: f.count,
            })
            .collect(),
    });
    groups.push(FacetGroup {
        name: "language",
        title: t.get("catalogue-facet-language"),
        options: facets
            .content_language
            .iter()
            .map(|f| FacetOption {
                label: language_name(&f.value, t),
                checked: checked(&params.language, &f.value),
                value: f.value.clone(),
                count: f.count,
            })
            .collect(),
    });
    groups.push(FacetGroup {
        name: "duration",
        title: t.get("catalogue-facet-duration"),
        options: facets
            .duration
            .iter()
            .filter(|f| f.count > 0 || checked(&params.duration, bucket_param(f.value)))
            .map(|f| FacetOption {
                label: bucket_name(f.value, t),
                checked: checked(&params.duration, bucket_param(f.value)),
                value: bucket_param(f.value).to_owned(),
                count: f.count,
            })
            .collect(),
    });
    groups.push(FacetGroup {
        name: "provider",
        title: t.get("catalogue-facet-provider"),
        options: facets
            .provider
            .iter()
            .map(|f| {
                let value = provider_param(&f.value);
                FacetOption {
                    label: match &f.value {
                        Provider::Internal => t.get("catalogue-provider-internal"),
                        Provider::External(name) => name.clone(),
                    },
                    checked: checked(&params.provider, &value),
                    value,
                    count: f.count,
                }
            })
            .collect(),
    });
    let competency_ids: Vec<CompetencyId> =
        facets.competency.iter().map(|f| f.value.into()).collect();
    let named = if competency_ids.is_empty() {
        Vec::new()
    } else {
        match store.competencies(scope, &competency_ids).await {
            Ok(found) => found,
            Err(error) => return error_response(shell, &error.into()),
        }
    };
    let esco = if named.is_empty() {
        false
    } else {
        match store.frameworks(scope).await {
            Ok(list) => {
                let frameworks = Frameworks::new(list);
                named.iter().any(|c| frameworks.is_esco(c.framework_id))
            }
            Err(error) => return error_response(shell, &error.into()),
        }
    };
    let labels: HashMap<CompetencyId, LabelView> = named
        .iter()
        .map(|c| (c.id, texts::competency_label(c, t)))
        .collect();
    groups.push(FacetGroup {
        name: "competency",
        title: t.get("catalogue-facet-competency"),
        options: facets
            .competency
            .iter()
            // Competencies of a framework this company does not see stay unnamed: left out,
            // unless chosen.
            .filter(|f| {
                labels.contains_key(&f.value.into())
                    || checked(&params.competency, &f.value.to_string())
            })
            .map(|f| {
                let value = f.value.to_string();
                FacetOption {
                    label: labels
                        .get(&f.value.into())
                        .map_or_else(|| value.clone(), |l| l.text.clone()),
                    checked: checked(&params.competency, &value),
                    value,
                    count: f.count,
                }
            })
            .collect(),
    });
    groups.push(FacetGroup {
        name: "sessions",
        title: t.get("catalogue-facet-sessions"),
        options: facets
            .sessions
            .iter()
            .map(|f| FacetOption {
                label: window_name(f.value, t),
                checked: checked(&params.sessions, window_param(f.value)),
                value: window_param(f.value).to_owned(),
                count: f.count,
            })
            .collect(),
    });
    groups.retain(|g| !g.options.is_empty());

    let sort = params.sort();
    let sorts = [
        (
            SortOrder::Relevance,
            "relevance",
            t.get("catalogue-sort-relevance"),
        ),
        (SortOrder::Newest, "newest", t.get("catalogue-sort-newest")),
        (
            SortOrder::SoonestSession,
            "soonest",
            t.get("catalogue-sort-soonest"),
        ),
    ]
    .into_iter()
    .map(|(order, value, label)| SortOption {
        value,
        label,
        selected: order == sort,
    })
    .collect();

    let total = results.total;
    let offset = params.offset.min(mycel_search::MAX_OFFSET);
    let shown_to = offset + results.hits.len();
    let range = if results.hits.is_empty() {
        String::new()
    } else {
        t.with_all(
            "catalogue-results-range",
            &[
                ("from", &(offset + 1).to_string()),
                ("to", &shown_to.to_string()),
                ("total", &total.to_string()),
            ],
        )
    };
    let previous = (offset > 0).then(|| params.href(offset.saturating_sub(PAGE_SIZE)));
    let next = ((shown_to as u64) < total && shown_to < mycel_search::MAX_OFFSET)
        .then(|| params.href(shown_to));
    let view = SearchPage {
        shell,
        q: params.q.clone(),
        error,
        sorts,
        facets: groups,
        hits,
        range,
        previous,
        next,
        editor,
        drafts: params.drafts,
        esco,
    };
    shell.render(status, &view)
}

// ---- an opportunity's page ----

struct CompetencyLine {
    id: CompetencyId,
    label: LabelView,
    level: String,
}

struct LinkLine {
    href: String,
    title: String,
    /// Not published (editors see drafts and retired ones).
    lifecycle: Option<String>,
}

struct ProviderView {
    name: String,
    website: Option<String>,
    contact_email: Option<String>,
    terms: Vec<String>,
}

#[derive(Template)]
#[template(path = "catalogue_opportunity.html")]
struct OpportunityPage<'a> {
    shell: &'a Shell,
    id: OpportunityId,
    title: String,
    title_lang: &'static str,
    description: Vec<String>,
    description_lang: &'static str,
    modality: String,
    lifecycle: String,
    lifecycle_class: &'static str,
    duration: Option<String>,
    content_language: String,
    provider: Option<ProviderView>,
    cost: Option<String>,
    teaches: Vec<CompetencyLine>,
    requires_competencies: Vec<CompetencyLine>,
    requires_opportunities: Vec<LinkLine>,
    /// A program's parts with their kind ("required", "optional", "elective: …, 2 of 3").
    parts: Vec<(LinkLine, String)>,
    recertify: Option<String>,
    /// The address of a video, document or web page (or an online room).
    link: Option<String>,
    /// How an e-learning opportunity is started.
    learn: ElearningStart,
    editable: bool,
    may_publish: bool,
    may_retire: bool,
    notice: Option<String>,
    error: Option<String>,
    esco: bool,
    /// A classroom course's sessions (and, for editors, the form to add one).
    classroom: Option<super::classroom::ClassroomSection>,
    /// Ratings: the person's own (to give after completing it) and everyone's average.
    rating: Option<super::recommendations::RatingSection>,
}

fn competency_line(
    id: CompetencyId,
    level: mycel_competency::scale::Level,
    records: &HashMap<CompetencyId, &CompetencyRecord>,
    t: &I18n,
) -> CompetencyLine {
    CompetencyLine {
        id,
        label: records
            .get(&id)
            .map_or_else(|| unlabeled(id), |c| texts::competency_label(c, t)),
        level: texts::level_text(level, t),
    }
}

/// Renders an opportunity's page (with a notice after a change, or the reason a change was
/// refused).
async fn render_opportunity(
    state: &AppState,
    page: &PersonPage,
    id: OpportunityId,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Response {
    render_opportunity_page(state, page, id, status, notice, error, None).await
}

/// Renders an opportunity's page; a classroom course's with a refused session form kept as typed.
pub(super) async fn render_opportunity_page(
    state: &AppState,
    page: &PersonPage,
    id: OpportunityId,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    refused_session: Option<super::classroom::RefusedSession>,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let view = match ops::opportunity(store, acting, scope, id).await {
        Ok(view) => view,
        Err(error) => return error_response(shell, &error.into()),
    };
    let frameworks = match store.frameworks(scope).await {
        Ok(list) => Frameworks::new(list),
        Err(error) => return error_response(shell, &error.into()),
    };
    let record = &view.record;
    let draft = &record.draft;
    let records: HashMap<CompetencyId, &CompetencyRecord> =
        view.competencies.iter().map(|c| (c.id, c)).collect();
    let related: HashMap<OpportunityId, _> = view.related.iter().map(|r| (r.id, r)).collect();
    let link_line = |id: &OpportunityId| {
        related.get(id).map(|r| LinkLine {
            href: opportunity_href(r.id),
            title: r.draft.title.get(t.code()).to_owned(),
            lifecycle: (r.lifecycle != Lifecycle::Published)
                .then(|| lifecycle_name(r.lifecycle, t)),
        })
    };
    let teaches = draft
        .alignments
        .iter()
        .map(|a| competency_line(a.competency_id, a.level, &records, t))
        .collect();
    let mut requires_competencies = Vec::new();
    let mut requires_opportunities = Vec::new();
    for prerequisite in &draft.prerequisites {
        match prerequisite {
            Prerequisite::Competency {
                competency_id,
                level,
            } => requires_competencies.push(competency_line(*competency_id, *level, &records, t)),
            Prerequisite::Opportunity { opportunity_id } => {
                requires_opportunities.extend(link_line(opportunity_id));
            }
        }
    }
    let parts = draft
        .parts
        .iter()
        .filter_map(|part| {
            let kind = match part.kind {
                mycel_catalogue::PartKind::Elective { group } => {
                    let members = draft
                        .parts
                        .iter()
                        .filter(|p| p.kind.group() == Some(group))
                        .count();
                    draft
                        .elective_groups
                        .get(usize::from(group))
                        .map(|g| {
                            t.with_all(
                                "catalogue-part-elective-of",
                                &[
                                    ("group", g.label.get(t.code())),
                                    ("choose", &g.choose.to_string()),
                                    ("parts", &members.to_string()),
                                ],
                            )
                        })
                        .unwrap_or_default()
                }
                other => t.get(&format!("catalogue-part-{}", other.as_str())),
            };
            Some((link_line(&part.opportunity_id)?, kind))
        })
        .collect();
    // E-learning: learners start cmi5 courses (a form: the launch creates a registration) and
    // SCORM packages (the player); editors may also preview the package's launch file untracked.
    let mut learn = ElearningStart::default();
    match (draft.modality, draft.package_id) {
        (Modality::ELearning, Some(package)) => match store.package(scope, package).await {
            Ok(package) => {
                // A bare cmi5 course structure's AUs live elsewhere: nothing to preview here.
                let relative =
                    !package.launch_path.is_empty() && !package.launch_path.contains(':');
                if view.editable && relative {
                    learn.preview =
                        Some(format!("/content/{}/{}", package.id, package.launch_path));
                }
                let own = record.tenant_id == scope.tenant_id();
                if own && package.kind == "cmi5" {
                    learn.cmi5_launch = Some(format!("/learn/opportunities/{id}/cmi5"));
                    learn.progress = cmi5_progress_lines(state, page, id).await;
                } else if own && package.kind.starts_with("scorm") {
                    learn.scorm_start = Some(format!("/learn/opportunities/{id}/scorm"));
                }
                learn.missing = learn.cmi5_launch.is_none()
                    && learn.scorm_start.is_none()
                    && learn.preview.is_none();
            }
            Err(_) => learn.missing = true,
        },
        (Modality::ELearning, None) => learn.missing = true,
        _ => {}
    }
    let link = draft
        .link
        .as_ref()
        .filter(|l| mycel_catalogue::opportunity::is_web_address(l))
        .cloned();
    let provider = view.provider.as_ref().map(|p| ProviderView {
        name: p.draft.name.clone(),
        website: p
            .draft
            .website
            .as_ref()
            .filter(|w| mycel_catalogue::opportunity::is_web_address(w))
            .cloned(),
        contact_email: p.draft.contact_email.clone(),
        terms: paragraphs(&p.draft.terms),
    });
    let esco = view
        .competencies
        .iter()
        .any(|c| frameworks.is_esco(c.framework_id));
    let editable = view.editable;
    let classroom =
        match super::classroom::section(state, page, record, editable, refused_session).await {
            Ok(section) => section,
            Err(error) => return error_response(shell, &error.into()),
        };
    let page_view = OpportunityPage {
        shell,
        id: record.id,
        title: draft.title.get(t.code()).to_owned(),
        title_lang: shown_language(&draft.title, t),
        description: paragraphs(draft.description.get(t.code())),
        description_lang: shown_language(&draft.description, t),
        modality: modality_name(draft.modality, t),
        lifecycle: lifecycle_name(record.lifecycle, t),
        lifecycle_class: lifecycle_class(record.lifecycle),
        duration: draft.duration_minutes.map(|d| duration_text(d, t)),
        content_language: language_name(&draft.content_language, t),
        provider,
        cost: draft.cost.as_ref().map(|c| cost_text(c, t)),
        teaches,
        requires_competencies,
        requires_opportunities,
        parts,
        recertify: draft
            .recertify_after_months
            .map(|m| t.with("catalogue-recertify-months", "months", &m.to_string())),
        link,
        learn,
        editable,
        may_publish: editable
            && record.lifecycle.may_become(Lifecycle::Published)
            && record.lifecycle != Lifecycle::Published,
        may_retire: editable && record.lifecycle == Lifecycle::Published,
        notice,
        error,
        esco,
        classroom,
        rating: super::recommendations::rating_section(state, page, record).await,
    };
    shell.render(status, &page_view)
}

/// The ways to start an e-learning opportunity, and the learner's progress in a cmi5 course.
#[derive(Debug, Default)]
struct ElearningStart {
    /// The form action that launches the next AU of a cmi5 course.
    cmi5_launch: Option<String>,
    /// The SCORM player.
    scorm_start: Option<String>,
    /// For editors: the package's launch file, without tracking.
    preview: Option<String>,
    /// The viewer's AUs in their newest registration: title and state.
    progress: Vec<(String, String)>,
    /// Nothing here can play it.
    missing: bool,
}

async fn cmi5_progress_lines(
    state: &AppState,
    page: &PersonPage,
    id: OpportunityId,
) -> Vec<(String, String)> {
    let Some(person) = page.caller.person.as_ref().map(|p| p.id) else {
        return Vec::new();
    };
    let home = state.config.home_page();
    let progress = mycel_app::cmi5::course_progress(
        &state.cmi5(&home, &home),
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        person,
    )
    .await;
    let t = &page.shell.t;
    match progress {
        Ok(Some(progress)) => progress
            .aus
            .into_iter()
            .map(|au| {
                let key = if au.waived {
                    "cmi5-au-waived"
                } else if au.satisfied {
                    "cmi5-au-satisfied"
                } else if au.passed {
                    "cmi5-au-passed"
                } else if au.completed {
                    "cmi5-au-completed"
                } else if au.failed {
                    "cmi5-au-failed"
                } else {
                    "cmi5-au-open"
                };
                (au.title, t.get(key))
            })
            .collect(),
        Ok(None) => Vec::new(),
        Err(error) => {
            tracing::warn!(%error, "the cmi5 progress could not be read");
            Vec::new()
        }
    }
}

fn parse_id(id: &str) -> Option<OpportunityId> {
    id.trim().parse().ok()
}

/// `/catalog/opportunities/{id}`.
pub async fn opportunity(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let saved: Vec<(String, String)> = query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let t = &page.shell.t;
    let classroom_notice = super::classroom::flash(query.as_deref(), t);
    let notice = saved
        .iter()
        .find(|(k, _)| k == "saved")
        .and_then(|(_, v)| match v.as_str() {
            "saved" => Some(t.get("catalogue-saved")),
            "published" => Some(t.get("catalogue-published")),
            "retired" => Some(t.get("catalogue-retired")),
            _ => None,
        })
        .or(classroom_notice);
    render_opportunity(&state, &page, id, StatusCode::OK, notice, None).await
}

#[derive(serde::Deserialize)]
pub struct LifecycleForm {
    #[serde(default)]
    lifecycle: String,
}

/// `POST /catalog/opportunities/{id}/lifecycle`: publish or retire.
pub async fn set_lifecycle(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    crate::auth::csrf::CheckedForm(form): crate::auth::csrf::CheckedForm<LifecycleForm>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    if !page.caller.principal.permits(Action::ManageCatalogue) {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    }
    let Some(lifecycle) = Lifecycle::parse(form.lifecycle.trim()) else {
        let message = page.shell.t.get("catalogue-lifecycle-invalid");
        return render_opportunity(
            &state,
            &page,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(message),
        )
        .await;
    };
    let result = ops::set_lifecycle(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        lifecycle,
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!(
            "{}?saved={}",
            opportunity_href(id),
            lifecycle.as_str()
        ))
        .into_response(),
        Err(AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("form-invalid", "detail", &invalid.to_string());
            render_opportunity(
                &state,
                &page,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(message),
            )
            .await
        }
        Err(other) => error_response(&page.shell, &other.into()),
    }
}

/// Ids named in a list, each once, in order.
pub(super) fn unique<T: Copy + Eq + std::hash::Hash>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = HashSet::new();
    items.into_iter().filter(|i| seen.insert(*i)).collect()
}

/// `POST /learn/opportunities/{id}/cmi5`: the learner starts (or continues) a cmi5 course: the
/// next AU they have not satisfied is launched in their newest registration, and the browser goes
/// to it. The AU's exit brings them back to the opportunity page.
pub async fn launch_course(
    State(state): State<AppState>,
    page: PersonPage,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    crate::auth::csrf::CheckedForm(_): crate::auth::csrf::CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(id) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let (home, base) = (state.config.home_page(), state.config.base_url(&headers));
    let request = mycel_app::cmi5::LaunchRequest {
        au: mycel_app::cmi5::AuChoice::Next,
        learner: mycel_app::cmi5::Learner::Person(person),
        registration: None,
        reuse_registration: true,
        launch_mode: None,
        return_url: Some(format!("{base}{}", opportunity_href(id))),
    };
    let launched = mycel_app::cmi5::launch(
        &state.cmi5(&home, &base),
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
        request,
    )
    .await;
    match launched {
        Ok(launched) => Redirect::to(&launched.url).into_response(),
        Err(mycel_app::AppError::Invalid(invalid)) => {
            let message = page
                .shell
                .t
                .with("cmi5-launch-failed", "reason", &invalid.reason);
            render_opportunity(
                &state,
                &page,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(message),
            )
            .await
        }
        Err(error) => super::error_response(&page.shell, &error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costs_read_in_the_pages_language() {
        let de = I18n::new(Lang::De);
        let en = I18n::new(Lang::En);
        let cost = |cents, currency: &str| Cost {
            cents,
            currency: currency.to_owned(),
        };
        assert_eq!(cost_text(&cost(19_900, "EUR"), &de), "199,00 €");
        assert_eq!(cost_text(&cost(129_950, "EUR"), &de), "1.299,50 €");
        assert_eq!(cost_text(&cost(129_950, "EUR"), &en), "€1,299.50");
        assert_eq!(cost_text(&cost(500, "CHF"), &en), "CHF 5.00");
        assert_eq!(
            cost_text(&cost(100_000_005, "CHF"), &de),
            "1.000.000,05 CHF"
        );
        assert_eq!(amount_text(19_900, Lang::De), "199,00");
    }

    #[test]
    fn durations_read_as_hours_and_minutes() {
        let en = I18n::new(Lang::En);
        assert_eq!(duration_text(45, &en), "45 min");
        assert_eq!(duration_text(120, &en), "2 h");
        assert_eq!(duration_text(150, &en), "2 h 30 min");
    }

    #[test]
    fn search_parameters_round_trip() {
        let params = SearchParams::parse(Some(
            "q=kasse&modality=classroom&modality=video&provider=external%3AIHK&duration=1h&sessions=30&drafts=1&offset=20",
        ));
        assert_eq!(params.modality, ["classroom", "video"]);
        assert_eq!(params.offset, 20);
        let filters = params.filters();
        assert_eq!(filters.modalities.len(), 2);
        assert!(filters
            .providers
            .contains(&Provider::External("IHK".into())));
        assert!(filters
            .durations
            .contains(&DurationBucket::From15To60Minutes));
        assert!(filters.sessions.is_some());
        let href = params.href(40);
        assert!(href.contains("offset=40") && href.contains("provider=external%3AIHK"));
        assert!(href.contains("drafts=1"));
    }
}
