//! "Für Sie" / "For you": the recommendations on "My learning" with their reasons and the two
//! feedback buttons, the page of the person's feedback (to take it back), and rating a completed
//! opportunity on its page. The rules are `mycel_app::recommendations`.

use super::competency_texts as texts;
use super::{error_response, form_field, PersonPage, Shell};
use crate::auth::csrf::CheckedForm;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::recommendations::{self as recs, Reason, RecommendationsView};
use mycel_app::Acting;
use mycel_competency::gap::TargetSource;
use mycel_organisation::OpportunityId;
use mycel_store::catalogue::OpportunityRecord;
use mycel_store::recommendations::FeedbackKind;

/// One recommendation as "My learning" shows it.
pub(crate) struct ForYouItem {
    pub id: OpportunityId,
    pub href: String,
    pub title: String,
    pub modality: String,
    pub duration: Option<String>,
    pub reasons: Vec<String>,
}

/// A level as a number, in the viewer's way of writing decimals.
fn level_number(value: f64, t: &crate::i18n::I18n) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    let text = if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    };
    if t.code() == "de" {
        text.replace('.', ",")
    } else {
        text
    }
}

fn reason_text(view: &RecommendationsView, reason: &Reason, t: &crate::i18n::I18n) -> String {
    match reason {
        Reason::Gap {
            competency_id,
            current,
            target,
            source,
        } => {
            let competency = view
                .competency_names
                .get(competency_id)
                .map(|labels| texts::label(labels, "", t).text)
                .unwrap_or_else(|| competency_id.to_string());
            let role = match source {
                Some(TargetSource::Role { role_id, .. }) => {
                    view.role_names.get(role_id).cloned().unwrap_or_default()
                }
                _ => String::new(),
            };
            let key = match source {
                Some(TargetSource::Role { aspired: true, .. }) => "recommend-reason-gap-aspired",
                Some(TargetSource::Role { .. }) => "recommend-reason-gap-role",
                Some(TargetSource::Goal { .. }) => "recommend-reason-gap-goal",
                Some(TargetSource::Strategic { .. }) => "recommend-reason-gap-strategic",
                None => "recommend-reason-gap",
            };
            t.with_all(
                key,
                &[
                    ("competency", &competency),
                    ("current", &level_number(*current, t)),
                    ("target", &level_number(*target, t)),
                    ("role", &role),
                ],
            )
        }
        Reason::Peers {
            completed_by,
            average_rating: Some(average),
        } => t.with_all(
            "recommend-reason-peers-rated",
            &[
                ("count", &completed_by.to_string()),
                ("rating", &level_number(*average, t)),
            ],
        ),
        Reason::Peers { completed_by, .. } => {
            t.with("recommend-reason-peers", "count", &completed_by.to_string())
        }
        Reason::New { .. } => t.get("recommend-reason-new"),
    }
}

/// The person's recommendations for "My learning" (empty when they cannot be computed).
pub(crate) async fn for_you(
    state: &AppState,
    page: &PersonPage,
    path: &mycel_app::learning_paths::PathView,
) -> Vec<ForYouItem> {
    let Some(person) = page.caller.principal.person_id() else {
        return Vec::new();
    };
    let view = match recs::for_person_on_path(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        chrono::Utc::now(),
        recs::DEFAULT_COUNT,
        path,
    )
    .await
    {
        Ok(view) => view,
        Err(error) => {
            tracing::warn!(%error, "recommendations could not be computed");
            return Vec::new();
        }
    };
    let t = &page.shell.t;
    view.recommendations
        .iter()
        .map(|r| ForYouItem {
            id: r.opportunity.id,
            href: super::catalogue::opportunity_href(r.opportunity.id),
            title: r.opportunity.draft.title.get(t.code()).to_owned(),
            modality: super::catalogue::modality_name(r.opportunity.draft.modality, t),
            duration: r
                .opportunity
                .draft
                .duration_minutes
                .map(|d| super::catalogue::duration_text(d, t)),
            reasons: r
                .reasons
                .iter()
                .map(|reason| reason_text(&view, reason, t))
                .collect(),
        })
        .collect()
}

fn parse_id(id: &str) -> Option<OpportunityId> {
    id.trim().parse().ok()
}

/// `POST /learn/recommendations/{id}/feedback`: "not interested" or "already know this".
pub async fn give_feedback(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(opportunity) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Some(kind) = FeedbackKind::parse(&form_field(&pairs, "kind")) else {
        return page
            .shell
            .error_page(StatusCode::BAD_REQUEST, "recommend-invalid");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    match recs::set_feedback(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        opportunity,
        kind,
    )
    .await
    {
        Ok(()) => Redirect::to("/learn#for-you").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

/// `POST /learn/recommendations/{id}/feedback/delete`: takes feedback back.
pub async fn take_back(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(opportunity) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    match recs::remove_feedback(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
        opportunity,
    )
    .await
    {
        Ok(()) => Redirect::to("/learn/recommendations/feedback").into_response(),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}

#[derive(Template)]
#[template(path = "recommendation_feedback.html")]
struct FeedbackPage<'a> {
    shell: &'a Shell,
    rows: Vec<FeedbackRow>,
}

struct FeedbackRow {
    id: OpportunityId,
    title: String,
    href: Option<String>,
    kind: String,
    given: String,
}

/// `GET /learn/recommendations/feedback`: the person's feedback, newest first, to take back.
pub async fn feedback_page(State(state): State<AppState>, page: PersonPage) -> Response {
    let Some(person) = page.caller.principal.person_id() else {
        return page
            .shell
            .error_page(StatusCode::FORBIDDEN, "error-forbidden");
    };
    let list = match recs::feedback_of(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        person,
    )
    .await
    {
        Ok(list) => list,
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    let t = &page.shell.t;
    let rows = list
        .into_iter()
        .map(|f| FeedbackRow {
            id: f.feedback.opportunity_id,
            title: f
                .opportunity
                .as_ref()
                .map(|o| o.draft.title.get(t.code()).to_owned())
                .unwrap_or_else(|| t.get("recommend-gone")),
            href: f
                .opportunity
                .as_ref()
                .map(|o| super::catalogue::opportunity_href(o.id)),
            kind: match f.feedback.kind {
                FeedbackKind::NotInterested => t.get("recommend-not-interested"),
                FeedbackKind::AlreadyKnown => t.get("recommend-already-known"),
            },
            given: super::classroom::day_text(f.feedback.given_at, t),
        })
        .collect();
    page.shell.render(
        StatusCode::OK,
        &FeedbackPage {
            shell: &page.shell,
            rows,
        },
    )
}

// ---- ratings on the opportunity page ----

/// The rating part of an opportunity's page.
pub(crate) struct RatingSection {
    /// The person completed it and may rate it.
    pub may_rate: bool,
    pub mine: Option<u8>,
    /// The choices of the form: stars, as shown, and whether they are the person's.
    pub options: Vec<(u8, String, bool)>,
    /// "★ 4.3 (12 ratings)", once enough people rated it.
    pub summary: Option<String>,
}

/// What the opportunity page shows about ratings (none for another company's opportunity).
pub(crate) async fn rating_section(
    state: &AppState,
    page: &PersonPage,
    record: &OpportunityRecord,
) -> Option<RatingSection> {
    let scope = page.caller.scope();
    if record.tenant_id != scope.tenant_id() {
        return None;
    }
    let acting = Acting::Principal(&page.caller.principal);
    let (mine, summary) = recs::ratings_of(&*state.store, acting, scope, record.id)
        .await
        .ok()?;
    let may_rate = match page.caller.principal.person_id() {
        Some(person) => state
            .store
            .person_completions(scope, person)
            .await
            .ok()?
            .iter()
            .any(|c| c.opportunity_id == record.id),
        None => false,
    };
    let t = &page.shell.t;
    let summary = summary.and_then(|s| {
        Some(t.with_all(
            "rating-summary",
            &[
                ("average", &level_number(s.average()?, t)),
                ("count", &s.count.to_string()),
            ],
        ))
    });
    if !may_rate && summary.is_none() {
        return None;
    }
    let mine = mine.map(|r| r.stars);
    Some(RatingSection {
        may_rate,
        mine,
        options: (1..=5u8)
            .map(|stars| (stars, "★".repeat(usize::from(stars)), mine == Some(stars)))
            .collect(),
        summary,
    })
}

/// `POST /catalog/opportunities/{id}/rating`: the person rates what they completed.
pub async fn rate(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Some(opportunity) = parse_id(&id) else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let Ok(stars) = form_field(&pairs, "stars").parse::<i64>() else {
        return page
            .shell
            .error_page(StatusCode::BAD_REQUEST, "rating-invalid");
    };
    let result = recs::rate(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        opportunity,
        stars,
        &state.config.home_page(),
        &state.statement_signal,
    )
    .await;
    match result {
        Ok(_) => Redirect::to(&format!(
            "{}#rating",
            super::catalogue::opportunity_href(opportunity)
        ))
        .into_response(),
        Err(mycel_app::AppError::Invalid(_)) => page
            .shell
            .error_page(StatusCode::UNPROCESSABLE_ENTITY, "rating-invalid"),
        Err(error) => error_response(&page.shell, &error.into()),
    }
}
