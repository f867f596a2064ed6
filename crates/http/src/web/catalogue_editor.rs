//! Managing the company's catalogue (L&D of the whole company): the list of its opportunities,
//! the upload of e-learning packages (each becomes a draft that plays it), external providers,
//! and the editor of an opportunity with every field. The editor works without JavaScript: its
//! buttons post the whole form, which comes back with everything typed kept, to propose
//! competencies for the text or to find competencies to add, and validation errors are shown
//! next to their field.

use super::catalogue::{amount_text, lifecycle_name, modality_name, opportunity_href, unique};
use super::competency_texts::{self as texts, Frameworks, LabelView, LevelOption};
use super::{error_response, PersonPage, Shell};
use crate::auth::csrf::{CheckedForm, CheckedUpload};
use crate::i18n::I18n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use mycel_app::catalogue::{self as ops, SuggestionRequest};
use mycel_app::packages::{self, UploadError};
use mycel_app::{Acting, AppError};
use mycel_catalogue::{
    Alignment, AudienceEntry, Cost, ElectiveGroup, Lifecycle, Modality, OpportunityDraft, PartKind,
    Prerequisite, ProgramPart, ProviderDraft,
};
use mycel_competency::scale::{Level, LocalizedText};
use mycel_organisation::{
    Action, CompetencyId, FrameworkId, OpportunityId, OrgUnitId, PackageId, ProviderId, RoleId,
    TenantId,
};
use mycel_store::catalogue::{OpportunityListQuery, PackageRecord};
use mycel_store::{StoreError, TenantScope};
use std::collections::HashMap;

/// Opportunities the management page lists at once.
const LISTED: u32 = 100;
/// Opportunities offered as prerequisites and program parts in the editor.
const CHOICES: u32 = 1000;
/// Competencies proposed or found at once.
const SUGGESTED: usize = 10;

/// An option of a select.
struct SelectOption {
    value: String,
    label: String,
    selected: bool,
}

fn forbidden(page: &PersonPage) -> Response {
    page.shell
        .error_page(StatusCode::FORBIDDEN, "error-forbidden")
}

fn may_manage(page: &PersonPage) -> bool {
    page.caller.principal.permits(Action::ManageCatalogue)
}

fn pairs_of(query: Option<&str>) -> Vec<(String, String)> {
    query
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default()
}

fn field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Every value of a repeated field, empty ones too (for fields that go together by position).
fn all_fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .collect()
}

fn fields(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

// ---- the management page ----

/// A provider's fields as typed.
#[derive(Debug, Clone, Default)]
struct ProviderValues {
    name: String,
    website: String,
    contact_email: String,
    terms: String,
}

impl ProviderValues {
    fn of(draft: &ProviderDraft) -> Self {
        Self {
            name: draft.name.clone(),
            website: draft.website.clone().unwrap_or_default(),
            contact_email: draft.contact_email.clone().unwrap_or_default(),
            terms: draft.terms.clone(),
        }
    }

    fn from_pairs(pairs: &[(String, String)]) -> Self {
        Self {
            name: field(pairs, "name"),
            website: field(pairs, "website"),
            contact_email: field(pairs, "contact_email"),
            terms: field(pairs, "terms"),
        }
    }

    fn draft(&self) -> ProviderDraft {
        let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
        ProviderDraft {
            name: self.name.trim().to_owned(),
            website: optional(&self.website),
            contact_email: optional(&self.contact_email),
            terms: self.terms.trim().to_owned(),
        }
    }
}

struct ProviderRow {
    id: ProviderId,
    values: ProviderValues,
    error: Option<String>,
}

struct ManageRow {
    href: String,
    edit_href: String,
    title: String,
    modality: String,
    lifecycle: String,
    lifecycle_class: &'static str,
    updated: String,
}

#[derive(Template)]
#[template(path = "catalogue_manage.html")]
struct ManagePage<'a> {
    shell: &'a Shell,
    notice: Option<String>,
    lifecycle_options: Vec<SelectOption>,
    rows: Vec<ManageRow>,
    more: Option<String>,
    modality_options: Vec<SelectOption>,
    package_error: Option<String>,
    providers: Vec<ProviderRow>,
    new_provider: ProviderValues,
    new_provider_error: Option<String>,
    /// The company's rooms for classroom training.
    rooms: super::classroom::RoomsSection,
}

/// What the management page shows besides its lists.
#[derive(Default)]
struct ManageOutcome {
    notice: Option<String>,
    package_error: Option<String>,
    /// A provider form that was refused: which provider (none: the new one), what was typed, why.
    provider_error: Option<(Option<ProviderId>, ProviderValues, String)>,
    /// A room form that was refused.
    room_error: Option<super::classroom::RefusedRoom>,
}

fn modality_options(selected: Option<Modality>, t: &I18n) -> Vec<SelectOption> {
    Modality::ALL
        .into_iter()
        .map(|m| SelectOption {
            value: m.as_str().to_owned(),
            label: modality_name(m, t),
            selected: Some(m) == selected,
        })
        .collect()
}

async fn render_manage(
    state: &AppState,
    page: &PersonPage,
    query: &[(String, String)],
    status: StatusCode,
    outcome: ManageOutcome,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let lifecycle = Lifecycle::parse(field(query, "lifecycle").trim());
    let after = field(query, "after").trim().parse::<OpportunityId>().ok();
    let listed = ops::list_opportunities(
        store,
        acting,
        scope,
        OpportunityListQuery {
            lifecycle,
            after,
            limit: LISTED,
        },
    )
    .await;
    let (records, providers) = match (listed, ops::providers(store, acting, scope).await) {
        (Ok(records), Ok(providers)) => (records, providers),
        (Err(error), _) | (_, Err(error)) => return error_response(shell, &error.into()),
    };
    let more = (records.len() == LISTED as usize)
        .then(|| records.last())
        .flatten()
        .map(|last| {
            let mut pairs = vec![("after", last.id.to_string())];
            if let Some(lifecycle) = lifecycle {
                pairs.push(("lifecycle", lifecycle.as_str().to_owned()));
            }
            format!(
                "/catalog/manage?{}",
                serde_urlencoded::to_string(&pairs).unwrap_or_default()
            )
        });
    let rows = records
        .iter()
        .map(|r| ManageRow {
            href: opportunity_href(r.id),
            edit_href: format!("{}/edit", opportunity_href(r.id)),
            title: r.draft.title.get(t.code()).to_owned(),
            modality: modality_name(r.draft.modality, t),
            lifecycle: lifecycle_name(r.lifecycle, t),
            lifecycle_class: match r.lifecycle {
                Lifecycle::Draft => "badge-draft",
                Lifecycle::Published => "badge-published",
                Lifecycle::Retired => "badge-retired",
            },
            updated: texts::date(r.updated_at, t),
        })
        .collect();
    let mut lifecycle_options = vec![SelectOption {
        value: String::new(),
        label: t.get("catalogue-lifecycle-all"),
        selected: lifecycle.is_none(),
    }];
    lifecycle_options.extend(Lifecycle::ALL.into_iter().map(|l| SelectOption {
        value: l.as_str().to_owned(),
        label: lifecycle_name(l, t),
        selected: Some(l) == lifecycle,
    }));
    let (mut new_provider, mut new_provider_error) = (ProviderValues::default(), None);
    let mut refused = outcome.provider_error;
    if let Some((None, values, error)) = &refused {
        new_provider = values.clone();
        new_provider_error = Some(error.clone());
        refused = None;
    }
    let providers = providers
        .iter()
        .map(|p| match &refused {
            Some((Some(id), values, error)) if *id == p.id => ProviderRow {
                id: p.id,
                values: values.clone(),
                error: Some(error.clone()),
            },
            _ => ProviderRow {
                id: p.id,
                values: ProviderValues::of(&p.draft),
                error: None,
            },
        })
        .collect();
    let rooms = match super::classroom::rooms_section(state, page, outcome.room_error).await {
        Ok(rooms) => rooms,
        Err(error) => return error_response(shell, &error.into()),
    };
    let view = ManagePage {
        shell,
        notice: outcome.notice,
        lifecycle_options,
        rows,
        more,
        modality_options: modality_options(Some(Modality::Classroom), t),
        package_error: outcome.package_error,
        providers,
        new_provider,
        new_provider_error,
        rooms,
    };
    shell.render(status, &view)
}

/// `/catalog/manage`.
pub async fn manage(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    if !may_manage(&page) {
        return forbidden(&page);
    }
    let query_text = query;
    let query = pairs_of(query_text.as_deref());
    let t = &page.shell.t;
    let notice = match field(&query, "saved").as_str() {
        "provider" => Some(t.get("catalogue-provider-saved")),
        _ => None,
    }
    .or_else(|| super::classroom::flash(query_text.as_deref(), t));
    let outcome = ManageOutcome {
        notice,
        ..ManageOutcome::default()
    };
    render_manage(&state, &page, &query, StatusCode::OK, outcome).await
}

/// The management page with a refused room form (kept as typed).
pub(super) async fn render_manage_with_room(
    state: &AppState,
    page: &PersonPage,
    status: StatusCode,
    refused: super::classroom::RefusedRoom,
) -> Response {
    let outcome = ManageOutcome {
        room_error: Some(refused),
        ..ManageOutcome::default()
    };
    render_manage(state, page, &[], status, outcome).await
}

/// `POST /catalog/providers` and `POST /catalog/providers/{id}`.
async fn save_provider(
    state: &AppState,
    page: &PersonPage,
    id: Option<ProviderId>,
    pairs: &[(String, String)],
) -> Response {
    if !may_manage(page) {
        return forbidden(page);
    }
    let values = ProviderValues::from_pairs(pairs);
    let draft = values.draft();
    let acting = Acting::Principal(&page.caller.principal);
    let scope = page.caller.scope();
    let result = match id {
        None => ops::create_provider(&*state.store, acting, scope, &draft).await,
        Some(id) => {
            ops::update_provider(&*state.store, &state.catalogue, acting, scope, id, &draft).await
        }
    };
    match result {
        Ok(_) => Redirect::to("/catalog/manage?saved=provider#providers").into_response(),
        Err(AppError::Invalid(invalid)) => {
            let outcome = ManageOutcome {
                provider_error: Some((id, values, invalid.to_string())),
                ..ManageOutcome::default()
            };
            render_manage(state, page, &[], StatusCode::UNPROCESSABLE_ENTITY, outcome).await
        }
        Err(other) => error_response(&page.shell, &other.into()),
    }
}

pub async fn create_provider(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    save_provider(&state, &page, None, &pairs).await
}

pub async fn update_provider(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.trim().parse::<ProviderId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    save_provider(&state, &page, Some(id), &pairs).await
}

/// `POST /catalog/packages`: a zip is inspected and stored; its draft opens in the editor.
pub async fn upload_package(
    State(state): State<AppState>,
    page: PersonPage,
    request: axum::extract::Request,
) -> Response {
    // Who may not upload is refused before the body (up to max_package_bytes) is read.
    if !may_manage(&page) {
        return forbidden(&page);
    }
    let upload = match <CheckedUpload as axum::extract::FromRequest<AppState>>::from_request(
        request, &state,
    )
    .await
    {
        Ok(upload) => upload,
        Err(rejection) => return rejection.into_response(),
    };
    let zip = upload
        .files
        .into_iter()
        .find(|(name, _, content)| name == "file" && !content.is_empty())
        .map(|(_, _, content)| content);
    let refuse = |message: String| ManageOutcome {
        package_error: Some(message),
        ..ManageOutcome::default()
    };
    let Some(zip) = zip else {
        let outcome = refuse(page.shell.t.get("catalogue-package-missing"));
        return render_manage(
            &state,
            &page,
            &[],
            StatusCode::UNPROCESSABLE_ENTITY,
            outcome,
        )
        .await;
    };
    let result = packages::upload_package(
        &*state.store,
        &state.catalogue,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        page.caller.principal.person_id(),
        zip,
    )
    .await;
    match result {
        Ok(uploaded) => Redirect::to(&format!(
            "{}/edit?uploaded=1",
            opportunity_href(uploaded.opportunity.id)
        ))
        .into_response(),
        Err(UploadError::Refused(refusal)) => {
            let outcome = refuse(page.shell.t.with(
                "catalogue-package-refused",
                "reason",
                &refusal.to_string(),
            ));
            render_manage(
                &state,
                &page,
                &[],
                StatusCode::UNPROCESSABLE_ENTITY,
                outcome,
            )
            .await
        }
        Err(UploadError::App(AppError::Invalid(invalid))) => {
            let outcome = refuse(page.shell.t.with(
                "catalogue-package-refused",
                "reason",
                &invalid.to_string(),
            ));
            render_manage(
                &state,
                &page,
                &[],
                StatusCode::UNPROCESSABLE_ENTITY,
                outcome,
            )
            .await
        }
        Err(UploadError::App(other)) => error_response(&page.shell, &other.into()),
    }
}

// ---- the editor ----

/// Every field of the editor as typed (levels and ids as text), so that nothing typed is lost when
/// the form comes back.
#[derive(Debug, Clone, Default)]
struct EditorValues {
    modality: String,
    title_de: String,
    title_en: String,
    description_de: String,
    description_en: String,
    content_language: String,
    duration: String,
    provider_id: String,
    cost_amount: String,
    cost_currency: String,
    audience_network: bool,
    audience_units: Vec<String>,
    audience_roles: Vec<String>,
    /// Partner companies (set through the API), kept as they are.
    audience_companies: Vec<String>,
    /// (competency id, level)
    alignments: Vec<(String, String)>,
    prerequisite_competencies: Vec<(String, String)>,
    prerequisite_opportunities: Vec<String>,
    recertify: String,
    link: String,
    package_id: String,
    parts: Vec<String>,
    /// Each part's kind: `required`, `optional` or `elective-<group number from 1>`.
    part_kinds: Vec<String>,
    /// Elective groups: (label de, label en, how many to choose).
    groups: Vec<(String, String, String)>,
    competency_q: String,
}

/// Group slots the editor shows (more come from the API).
const EDITOR_GROUPS: usize = 3;

fn part_kind_value(kind: PartKind) -> String {
    match kind {
        PartKind::Elective { group } => format!("elective-{}", u32::from(group) + 1),
        other => other.as_str().to_owned(),
    }
}

fn level_value(level: Level) -> String {
    level.value().to_string()
}

impl EditorValues {
    fn of(draft: &OpportunityDraft, t: &I18n) -> Self {
        let mut values = Self {
            modality: draft.modality.as_str().to_owned(),
            title_de: draft.title.de.clone(),
            title_en: draft.title.en.clone(),
            description_de: draft.description.de.clone(),
            description_en: draft.description.en.clone(),
            content_language: draft.content_language.clone(),
            duration: draft
                .duration_minutes
                .map(|d| d.to_string())
                .unwrap_or_default(),
            provider_id: draft.provider_id.map(|p| p.to_string()).unwrap_or_default(),
            cost_amount: draft
                .cost
                .as_ref()
                .map(|c| amount_text(c.cents, t.lang))
                .unwrap_or_default(),
            cost_currency: draft
                .cost
                .as_ref()
                .map_or_else(|| "EUR".to_owned(), |c| c.currency.clone()),
            alignments: draft
                .alignments
                .iter()
                .map(|a| (a.competency_id.to_string(), level_value(a.level)))
                .collect(),
            recertify: draft
                .recertify_after_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            link: draft.link.clone().unwrap_or_default(),
            package_id: draft.package_id.map(|p| p.to_string()).unwrap_or_default(),
            parts: draft
                .parts
                .iter()
                .map(|p| p.opportunity_id.to_string())
                .collect(),
            part_kinds: draft
                .parts
                .iter()
                .map(|p| part_kind_value(p.kind))
                .collect(),
            groups: draft
                .elective_groups
                .iter()
                .map(|g| (g.label.de.clone(), g.label.en.clone(), g.choose.to_string()))
                .collect(),
            ..Self::default()
        };
        for entry in &draft.audience {
            match entry {
                AudienceEntry::Network => values.audience_network = true,
                AudienceEntry::Company(t) => values.audience_companies.push(t.to_string()),
                AudienceEntry::OrgUnit(u) => values.audience_units.push(u.to_string()),
                AudienceEntry::Role(r) => values.audience_roles.push(r.to_string()),
            }
        }
        for prerequisite in &draft.prerequisites {
            match prerequisite {
                Prerequisite::Competency {
                    competency_id,
                    level,
                } => values
                    .prerequisite_competencies
                    .push((competency_id.to_string(), level_value(*level))),
                Prerequisite::Opportunity { opportunity_id } => values
                    .prerequisite_opportunities
                    .push(opportunity_id.to_string()),
            }
        }
        values
    }

    /// The form as posted: the listed rows minus those marked for removal, plus the suggested or
    /// found competencies that were accepted.
    fn from_pairs(pairs: &[(String, String)]) -> Self {
        let removed_alignments = fields(pairs, "alignment_remove");
        let removed_prerequisites = fields(pairs, "prerequisite_remove");
        let mut alignments: Vec<(String, String)> = fields(pairs, "alignment")
            .into_iter()
            .filter(|id| !removed_alignments.contains(id))
            .map(|id| {
                let level = field(pairs, &format!("alignment_level.{id}"));
                (id, level)
            })
            .collect();
        let mut prerequisite_competencies: Vec<(String, String)> = fields(pairs, "prerequisite")
            .into_iter()
            .filter(|id| !removed_prerequisites.contains(id))
            .map(|id| {
                let level = field(pairs, &format!("prerequisite_level.{id}"));
                (id, level)
            })
            .collect();
        for id in fields(pairs, "suggestion_accept") {
            if !alignments.iter().any(|(a, _)| *a == id) {
                let level = field(pairs, &format!("suggestion_level.{id}"));
                alignments.push((id, level));
            }
        }
        for id in fields(pairs, "found") {
            let level = field(pairs, &format!("found_level.{id}"));
            match field(pairs, &format!("found_as.{id}")).as_str() {
                "teaches" if !alignments.iter().any(|(a, _)| *a == id) => {
                    alignments.push((id, level));
                }
                "requires" if !prerequisite_competencies.iter().any(|(p, _)| *p == id) => {
                    prerequisite_competencies.push((id, level));
                }
                _ => {}
            }
        }
        // A part and its kind go together by position; positions left empty are dropped.
        let kinds = all_fields(pairs, "part_kind");
        let (parts, part_kinds): (Vec<String>, Vec<String>) = all_fields(pairs, "part")
            .into_iter()
            .enumerate()
            .filter(|(_, id)| !id.is_empty())
            .map(|(i, id)| {
                let kind = kinds.get(i).cloned().unwrap_or_default();
                (
                    id,
                    if kind.is_empty() {
                        "required".into()
                    } else {
                        kind
                    },
                )
            })
            .unzip();
        let (labels_de, labels_en, chooses) = (
            all_fields(pairs, "group_label_de"),
            all_fields(pairs, "group_label_en"),
            all_fields(pairs, "group_choose"),
        );
        let slots = labels_de.len().max(labels_en.len()).max(chooses.len());
        let text = |list: &[String], i: usize| list.get(i).cloned().unwrap_or_default();
        let mut groups: Vec<(String, String, String)> = (0..slots)
            .map(|i| (text(&labels_de, i), text(&labels_en, i), text(&chooses, i)))
            .collect();
        // Up to the last group that is filled in or that a part names.
        let named = part_kinds
            .iter()
            .filter_map(|k| k.strip_prefix("elective-")?.parse::<usize>().ok())
            .max()
            .unwrap_or(0);
        let filled = groups
            .iter()
            .rposition(|(de, en, choose)| !de.is_empty() || !en.is_empty() || !choose.is_empty())
            .map_or(0, |i| i + 1);
        groups.resize(named.max(filled), Default::default());
        Self {
            modality: field(pairs, "modality"),
            title_de: field(pairs, "title_de"),
            title_en: field(pairs, "title_en"),
            description_de: field(pairs, "description_de"),
            description_en: field(pairs, "description_en"),
            content_language: field(pairs, "content_language"),
            duration: field(pairs, "duration_minutes"),
            provider_id: field(pairs, "provider_id"),
            cost_amount: field(pairs, "cost_amount"),
            cost_currency: field(pairs, "cost_currency"),
            audience_network: field(pairs, "audience_network") == "1",
            audience_units: fields(pairs, "audience_unit"),
            audience_roles: fields(pairs, "audience_role"),
            audience_companies: fields(pairs, "audience_company"),
            alignments,
            prerequisite_competencies,
            prerequisite_opportunities: fields(pairs, "prerequisite_opportunity"),
            recertify: field(pairs, "recertify_after_months"),
            link: field(pairs, "link"),
            package_id: field(pairs, "package_id"),
            parts,
            part_kinds,
            groups,
            competency_q: field(pairs, "competency_q"),
        }
    }

    /// The draft the form describes, or every field that cannot be read.
    fn draft(&self, t: &I18n) -> Result<OpportunityDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        let modality = Modality::parse(self.modality.trim());
        if modality.is_none() {
            errors.add("modality", t.get("catalogue-error-modality"));
        }
        let number = |text: &str| -> Result<Option<u64>, ()> {
            let text = text.trim();
            if text.is_empty() {
                Ok(None)
            } else {
                text.parse::<u64>().map(Some).map_err(|_| ())
            }
        };
        let duration = match number(&self.duration) {
            Ok(d) => d.map(|d| u32::try_from(d).unwrap_or(u32::MAX)),
            Err(()) => {
                errors.add("duration_minutes", t.get("catalogue-error-whole-number"));
                None
            }
        };
        let recertify = match number(&self.recertify) {
            Ok(m) => m.map(|m| u16::try_from(m).unwrap_or(u16::MAX)),
            Err(()) => {
                errors.add(
                    "recertify_after_months",
                    t.get("catalogue-error-whole-number"),
                );
                None
            }
        };
        let id_of = |text: &str, field: &'static str, errors: &mut FieldErrors| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse::<uuid::Uuid>().ok();
            if parsed.is_none() {
                errors.add(field, t.get("catalogue-error-choice"));
            }
            parsed
        };
        let provider_id =
            id_of(&self.provider_id, "provider_id", &mut errors).map(ProviderId::from);
        let package_id = id_of(&self.package_id, "package_id", &mut errors).map(PackageId::from);
        let cost = if self.cost_amount.trim().is_empty() {
            None
        } else {
            match parse_amount(&self.cost_amount) {
                Some(cents) => Some(Cost {
                    cents,
                    currency: self.cost_currency.trim().to_ascii_uppercase(),
                }),
                None => {
                    errors.add("cost.cents", t.get("catalogue-error-amount"));
                    None
                }
            }
        };
        let mut audience = Vec::new();
        if self.audience_network {
            audience.push(AudienceEntry::Network);
        }
        for company in &self.audience_companies {
            if let Some(id) = id_of(company, "audience", &mut errors) {
                audience.push(AudienceEntry::Company(TenantId::from(id)));
            }
        }
        for unit in &self.audience_units {
            if let Some(id) = id_of(unit, "audience", &mut errors) {
                audience.push(AudienceEntry::OrgUnit(OrgUnitId::from(id)));
            }
        }
        for role in &self.audience_roles {
            if let Some(id) = id_of(role, "audience", &mut errors) {
                audience.push(AudienceEntry::Role(RoleId::from(id)));
            }
        }
        let level_of = |text: &str, field: &'static str, errors: &mut FieldErrors| {
            let level = texts::parse_level(text).and_then(Level::new);
            if level.is_none() {
                errors.add(field, t.get("form-level-invalid"));
            }
            level
        };
        let mut alignments = Vec::new();
        for (id, level) in &self.alignments {
            let id = id_of(id, "alignments", &mut errors);
            let level = level_of(level, "alignments", &mut errors);
            if let (Some(id), Some(level)) = (id, level) {
                alignments.push(Alignment {
                    competency_id: CompetencyId::from(id),
                    level,
                });
            }
        }
        let mut prerequisites = Vec::new();
        for (id, level) in &self.prerequisite_competencies {
            let id = id_of(id, "prerequisites", &mut errors);
            let level = level_of(level, "prerequisites", &mut errors);
            if let (Some(id), Some(level)) = (id, level) {
                prerequisites.push(Prerequisite::Competency {
                    competency_id: CompetencyId::from(id),
                    level,
                });
            }
        }
        for id in &self.prerequisite_opportunities {
            if let Some(id) = id_of(id, "prerequisites", &mut errors) {
                prerequisites.push(Prerequisite::Opportunity {
                    opportunity_id: OpportunityId::from(id),
                });
            }
        }
        let mut parts = Vec::new();
        for (id, kind) in self.parts.iter().zip(&self.part_kinds) {
            let kind = match kind.strip_prefix("elective-") {
                Some(group) => group
                    .parse::<u16>()
                    .ok()
                    .filter(|g| *g >= 1)
                    .and_then(|g| PartKind::parse("elective", Some(g - 1))),
                None => PartKind::parse(kind, None),
            };
            let Some(kind) = kind else {
                errors.add("parts", t.get("catalogue-error-part-kind"));
                continue;
            };
            if let Some(id) = id_of(id, "parts", &mut errors) {
                parts.push(ProgramPart {
                    opportunity_id: OpportunityId::from(id),
                    kind,
                });
            }
        }
        let mut elective_groups = Vec::new();
        for (de, en, choose) in &self.groups {
            match choose.parse::<u16>() {
                Ok(choose) => elective_groups.push(ElectiveGroup {
                    label: LocalizedText::new(de.trim(), en.trim()),
                    choose,
                }),
                Err(_) => errors.add("elective_groups", t.get("catalogue-error-group-choose")),
            }
        }
        let (Some(modality), true) = (modality, errors.is_empty()) else {
            return Err(errors);
        };
        let link = Some(self.link.trim().to_owned()).filter(|l| !l.is_empty());
        Ok(OpportunityDraft {
            modality,
            title: LocalizedText::new(self.title_de.trim(), self.title_en.trim()),
            description: LocalizedText::new(self.description_de.trim(), self.description_en.trim()),
            content_language: self.content_language.trim().to_owned(),
            duration_minutes: duration,
            provider_id,
            cost,
            audience,
            alignments,
            prerequisites,
            recertify_after_months: recertify,
            link,
            package_id,
            parts,
            elective_groups,
        })
    }
}

/// An amount of money as typed ("199", "199,00", "1.299,50", "1,299.50") in cents.
fn parse_amount(text: &str) -> Option<u64> {
    let text: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '€' | '$' | '£' | '\''))
        .collect();
    if text.is_empty() {
        return None;
    }
    let (whole, fraction) = match text.rfind(['.', ',']) {
        Some(at) if text.len() - at - 1 <= 2 => (&text[..at], &text[at + 1..]),
        _ => (text.as_str(), ""),
    };
    let whole: String = whole.chars().filter(|c| !matches!(c, '.' | ',')).collect();
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !digits(&whole) || !digits(fraction) {
        return None;
    }
    let units: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: u64 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u64>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    units.checked_mul(100)?.checked_add(cents)
}

/// Messages by field (as the API names them).
#[derive(Debug, Default)]
struct FieldErrors(Vec<(String, String)>);

/// The fields the editor shows an error next to.
const EDITOR_FIELDS: [&str; 17] = [
    "modality",
    "title",
    "title.de",
    "title.en",
    "description.de",
    "description.en",
    "content_language",
    "duration_minutes",
    "provider_id",
    "cost.cents",
    "cost.currency",
    "audience",
    "alignments",
    "prerequisites",
    "recertify_after_months",
    "link",
    "package_id",
];

impl FieldErrors {
    fn add(&mut self, field: &str, message: String) {
        if !self.0.iter().any(|(f, m)| f == field && *m == message) {
            self.0.push((field.to_owned(), message));
        }
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages about a field, joined.
    fn get(&self, field: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// Messages about fields the form has no place for (shown at the top).
    fn others(&self) -> Vec<String> {
        self.0
            .iter()
            .filter(|(f, _)| {
                !EDITOR_FIELDS.contains(&f.as_str()) && f != "parts" && f != "elective_groups"
            })
            .map(|(f, m)| format!("{f}: {m}"))
            .collect()
    }
}

/// A competency of the draft (taught or required) with its level.
struct CompetencyRow {
    id: String,
    label: LabelView,
    levels: Vec<LevelOption>,
}

/// A proposed competency.
struct SuggestionRow {
    id: CompetencyId,
    framework_id: FrameworkId,
    label: LabelView,
    matched_label: String,
    score: String,
    matched: String,
    levels: Vec<LevelOption>,
}

/// A competency found by the editor's search.
struct FoundRow {
    id: CompetencyId,
    framework_id: FrameworkId,
    label: LabelView,
    kind: String,
    levels: Vec<LevelOption>,
}

/// The package a draft plays, with its course structure.
struct PackageInfo {
    title: String,
    kind: String,
    files: u32,
    launch_path: String,
    units: Vec<String>,
}

#[derive(Template)]
#[template(path = "catalogue_editor.html")]
struct EditorPage<'a> {
    shell: &'a Shell,
    /// Where the form posts.
    action: String,
    /// The opportunity's page (editing) or the management page (new).
    back: String,
    editing: bool,
    notice: Option<String>,
    form_error: Option<String>,
    general_errors: Vec<String>,
    errors: FieldErrors,
    values: EditorValues,
    modalities: Vec<SelectOption>,
    providers: Vec<SelectOption>,
    units: Vec<SelectOption>,
    roles: Vec<SelectOption>,
    packages: Vec<SelectOption>,
    package: Option<PackageInfo>,
    alignments: Vec<CompetencyRow>,
    prerequisites: Vec<CompetencyRow>,
    prerequisite_opportunities: Vec<SelectOption>,
    /// One select per position of a program.
    part_positions: Vec<(Vec<SelectOption>, Vec<SelectOption>)>,
    /// Elective group slots: (number from 1, label de, label en, how many to choose).
    group_slots: Vec<(usize, String, String, String)>,
    suggestions: Option<Vec<SuggestionRow>>,
    suggestion_note: Option<String>,
    found: Option<Vec<FoundRow>>,
    /// ESCO's terms ask for an attribution wherever its content is shown.
    esco: bool,
}

/// What the editor shows besides the form.
#[derive(Default)]
struct EditorExtras {
    notice: Option<String>,
    errors: FieldErrors,
    suggestions: Option<Vec<SuggestionRow>>,
    suggestion_note: Option<String>,
    found: Option<Vec<FoundRow>>,
}

/// Level choices; an alignment's level must be above 0.
fn level_choices(value: &str, above_zero: bool, t: &I18n) -> Vec<LevelOption> {
    let selected = texts::parse_level(value);
    texts::level_options(selected, t)
        .into_iter()
        .filter(|o| !above_zero || o.value != "0" || o.selected)
        .collect()
}

fn package_info(package: &PackageRecord) -> PackageInfo {
    let structure: serde_json::Value =
        serde_json::from_str(&package.structure).unwrap_or(serde_json::Value::Null);
    let units = structure["units"]
        .as_array()
        .map(|units| {
            units
                .iter()
                .map(|u| {
                    let title = u["title"].as_str().unwrap_or_default();
                    let launch = u["launch"].as_str().unwrap_or_default();
                    let kind = u["kind"].as_str().unwrap_or_default();
                    format!("{title} ({kind}) – {launch}")
                })
                .collect()
        })
        .unwrap_or_default();
    PackageInfo {
        title: package.title.clone(),
        kind: package.kind.clone(),
        files: package.file_count,
        launch_path: package.launch_path.clone(),
        units,
    }
}

async fn render_editor(
    state: &AppState,
    page: &PersonPage,
    id: Option<OpportunityId>,
    values: EditorValues,
    status: StatusCode,
    extras: EditorExtras,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let loaded = async {
        let providers = ops::providers(store, acting, scope).await?;
        let units = store.list_org_units(scope).await?;
        let roles = store.list_roles(scope).await?;
        let packages = store.packages(scope, 100).await?;
        let mut opportunities = ops::list_opportunities(
            store,
            acting,
            scope,
            OpportunityListQuery {
                lifecycle: None,
                after: None,
                limit: CHOICES,
            },
        )
        .await?;
        // The draft's required opportunities and parts, even beyond the first thousand (else
        // saving the form would drop them).
        let referenced: Vec<OpportunityId> = values
            .prerequisite_opportunities
            .iter()
            .chain(&values.parts)
            .filter_map(|id| id.parse().ok())
            .filter(|id| !opportunities.iter().any(|o| o.id == *id))
            .collect();
        if !referenced.is_empty() {
            opportunities.extend(
                store
                    .opportunities_by_id(scope, &referenced)
                    .await?
                    .into_iter()
                    .filter(|o| o.tenant_id == scope.tenant_id()),
            );
        }
        let ids: Vec<CompetencyId> = unique(
            values
                .alignments
                .iter()
                .chain(&values.prerequisite_competencies)
                .filter_map(|(id, _)| id.parse().ok()),
        );
        let competencies = if ids.is_empty() {
            Vec::new()
        } else {
            store.competencies(scope, &ids).await?
        };
        let frameworks = Frameworks::new(store.frameworks(scope).await?);
        Ok::<_, AppError>((
            providers,
            units,
            roles,
            packages,
            opportunities,
            competencies,
            frameworks,
        ))
    }
    .await;
    let (providers, units, roles, mut packages, opportunities, competencies, frameworks) =
        match loaded {
            Ok(loaded) => loaded,
            Err(error) => return error_response(shell, &error.into()),
        };
    // The draft's package, even when it is older than the newest hundred.
    let chosen_package: Option<PackageId> = values.package_id.parse().ok();
    if let Some(chosen) = chosen_package {
        if !packages.iter().any(|p| p.id == chosen) {
            if let Ok(package) = store.package(scope, chosen).await {
                packages.push(package);
            }
        }
    }
    let labels: HashMap<String, LabelView> = competencies
        .iter()
        .map(|c| (c.id.to_string(), texts::competency_label(c, t)))
        .collect();
    let label_of = |id: &str| {
        labels.get(id).cloned().unwrap_or_else(|| LabelView {
            text: id.to_owned(),
            description: None,
            fallback_lang: None,
            fallback: None,
        })
    };
    let rows = |list: &[(String, String)], above_zero: bool| {
        list.iter()
            .map(|(id, level)| CompetencyRow {
                id: id.clone(),
                label: label_of(id),
                levels: level_choices(level, above_zero, t),
            })
            .collect::<Vec<_>>()
    };
    let option = |value: String, label: String, chosen: &[String]| SelectOption {
        selected: chosen.contains(&value),
        value,
        label,
    };
    let mut provider_options = vec![SelectOption {
        value: String::new(),
        label: t.get("catalogue-provider-internal"),
        selected: values.provider_id.is_empty(),
    }];
    provider_options.extend(providers.iter().map(|p| {
        option(
            p.id.to_string(),
            p.draft.name.clone(),
            std::slice::from_ref(&values.provider_id),
        )
    }));
    let mut package_options = vec![SelectOption {
        value: String::new(),
        label: "–".to_owned(),
        selected: values.package_id.is_empty(),
    }];
    package_options.extend(packages.iter().map(|p| {
        option(
            p.id.to_string(),
            format!(
                "{} ({}, {})",
                p.title,
                p.kind,
                texts::date(p.uploaded_at, t)
            ),
            std::slice::from_ref(&values.package_id),
        )
    }));
    let package = chosen_package
        .and_then(|chosen| packages.iter().find(|p| p.id == chosen))
        .map(package_info);
    let others: Vec<_> = opportunities.iter().filter(|o| Some(o.id) != id).collect();
    let opportunity_label = |o: &mycel_store::catalogue::OpportunityRecord| {
        let title = o.draft.title.get(t.code());
        if o.lifecycle == Lifecycle::Published {
            title.to_owned()
        } else {
            format!("{title} ({})", lifecycle_name(o.lifecycle, t))
        }
    };
    let prerequisite_opportunities = others
        .iter()
        .map(|o| {
            option(
                o.id.to_string(),
                opportunity_label(o),
                &values.prerequisite_opportunities,
            )
        })
        .collect();
    // A program's parts: one select per position, two more than chosen (at least four), each
    // with its kind; the elective groups beside them.
    let positions = (values.parts.len() + 2).max(4);
    let group_count = values.groups.len().max(EDITOR_GROUPS);
    let group_slots = (0..group_count)
        .map(|i| {
            let (de, en, choose) = values.groups.get(i).cloned().unwrap_or_default();
            (i + 1, de, en, choose)
        })
        .collect();
    let part_positions = (0..positions)
        .map(|position| {
            let chosen = values.parts.get(position).cloned().unwrap_or_default();
            let kind = values
                .part_kinds
                .get(position)
                .cloned()
                .unwrap_or_else(|| "required".to_owned());
            let mut kinds = vec![
                SelectOption {
                    value: "required".into(),
                    label: t.get("catalogue-part-required"),
                    selected: kind == "required",
                },
                SelectOption {
                    value: "optional".into(),
                    label: t.get("catalogue-part-optional"),
                    selected: kind == "optional",
                },
            ];
            kinds.extend((1..=group_count).map(|group| {
                let value = format!("elective-{group}");
                SelectOption {
                    label: t.with("catalogue-part-elective", "group", &group.to_string()),
                    selected: kind == value,
                    value,
                }
            }));
            let mut options = vec![SelectOption {
                value: String::new(),
                label: "–".to_owned(),
                selected: chosen.is_empty(),
            }];
            options.extend(others.iter().map(|o| {
                option(
                    o.id.to_string(),
                    opportunity_label(o),
                    std::slice::from_ref(&chosen),
                )
            }));
            (options, kinds)
        })
        .collect();
    let esco = competencies
        .iter()
        .map(|c| c.framework_id)
        .chain(extras.suggestions.iter().flatten().map(|s| s.framework_id))
        .chain(extras.found.iter().flatten().map(|f| f.framework_id))
        .any(|f| frameworks.is_esco(f));
    let form_error = (!extras.errors.is_empty()).then(|| t.get("catalogue-form-errors"));
    let general_errors = extras.errors.others();
    let view = EditorPage {
        shell,
        action: match id {
            Some(id) => format!("{}/edit", opportunity_href(id)),
            None => "/catalog/opportunities/new".to_owned(),
        },
        back: match id {
            Some(id) => opportunity_href(id),
            None => "/catalog/manage".to_owned(),
        },
        editing: id.is_some(),
        notice: extras.notice,
        form_error,
        general_errors,
        modalities: modality_options(Modality::parse(&values.modality), t),
        providers: provider_options,
        units: units
            .iter()
            .map(|u| option(u.id.to_string(), u.name.clone(), &values.audience_units))
            .collect(),
        roles: roles
            .iter()
            .map(|r| option(r.id.to_string(), r.name.clone(), &values.audience_roles))
            .collect(),
        packages: package_options,
        package,
        alignments: rows(&values.alignments, true),
        prerequisites: rows(&values.prerequisite_competencies, false),
        prerequisite_opportunities,
        part_positions,
        group_slots,
        suggestions: extras.suggestions,
        suggestion_note: extras.suggestion_note,
        found: extras.found,
        esco,
        errors: extras.errors,
        values,
    };
    shell.render(status, &view)
}

/// `GET /catalog/opportunities/new`: an empty form (modality and title may be given, as the
/// management page's short form does).
pub async fn new_form(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    if !may_manage(&page) {
        return forbidden(&page);
    }
    let query = pairs_of(query.as_deref());
    let t = &page.shell.t;
    let modality = Modality::parse(field(&query, "modality").trim()).unwrap_or(Modality::Classroom);
    let title = field(&query, "title").trim().to_owned();
    let mut values = EditorValues::of(
        &OpportunityDraft::new(modality, LocalizedText::default(), t.code()),
        t,
    );
    match t.lang {
        crate::i18n::Lang::De => values.title_de = title,
        crate::i18n::Lang::En => values.title_en = title,
    }
    render_editor(
        &state,
        &page,
        None,
        values,
        StatusCode::OK,
        EditorExtras::default(),
    )
    .await
}

/// `GET /catalog/opportunities/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !may_manage(&page) {
        return forbidden(&page);
    }
    let Ok(id) = id.trim().parse::<OpportunityId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let view = match ops::opportunity(
        &*state.store,
        Acting::Principal(&page.caller.principal),
        page.caller.scope(),
        id,
    )
    .await
    {
        Ok(view) if view.editable => view,
        Ok(_) => return forbidden(&page),
        Err(error) => return error_response(&page.shell, &error.into()),
    };
    let t = &page.shell.t;
    let query = pairs_of(query.as_deref());
    let notice = (field(&query, "uploaded") == "1").then(|| t.get("catalogue-package-uploaded"));
    let values = EditorValues::of(&view.record.draft, t);
    let extras = EditorExtras {
        notice,
        ..EditorExtras::default()
    };
    render_editor(&state, &page, Some(id), values, StatusCode::OK, extras).await
}

/// Proposes competencies for the texts of the form, in each language that has text.
async fn suggest(
    state: &AppState,
    page: &PersonPage,
    scope: TenantScope,
    values: &EditorValues,
) -> Result<Vec<SuggestionRow>, AppError> {
    let t = &page.shell.t;
    let acting = Acting::Principal(&page.caller.principal);
    let mut best: Vec<mycel_app::catalogue::CompetencySuggestion> = Vec::new();
    for (language, title, description) in [
        ("de", &values.title_de, &values.description_de),
        ("en", &values.title_en, &values.description_en),
    ] {
        if title.trim().is_empty() && description.trim().is_empty() {
            continue;
        }
        let found = ops::suggest_competencies(
            &*state.store,
            &state.catalogue,
            acting,
            scope,
            SuggestionRequest {
                title: title.trim().to_owned(),
                description: description.trim().to_owned(),
                language: Some(language.to_owned()),
                limit: SUGGESTED,
            },
        )
        .await?;
        for suggestion in found {
            match best
                .iter_mut()
                .find(|b| b.competency.id == suggestion.competency.id)
            {
                Some(known) if known.score < suggestion.score => *known = suggestion,
                Some(_) => {}
                None => best.push(suggestion),
            }
        }
    }
    best.sort_by(|a, b| b.score.total_cmp(&a.score));
    best.truncate(SUGGESTED);
    let taken: Vec<&str> = values
        .alignments
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    Ok(best
        .into_iter()
        .filter(|s| !taken.contains(&s.competency.id.to_string().as_str()))
        .map(|s| SuggestionRow {
            id: s.competency.id,
            framework_id: s.competency.framework_id,
            label: texts::competency_label(&s.competency, t),
            matched_label: s.label.clone(),
            score: format!("{:.2}", s.score),
            matched: s.matched.join(", "),
            levels: level_choices("2", true, t),
        })
        .collect())
}

/// The editor's form posted: saved, or back with suggestions, found competencies or errors.
async fn post_editor(
    state: &AppState,
    page: &PersonPage,
    id: Option<OpportunityId>,
    pairs: &[(String, String)],
) -> Response {
    if !may_manage(page) {
        return forbidden(page);
    }
    let t = &page.shell.t;
    let scope = page.caller.scope();
    let acting = Acting::Principal(&page.caller.principal);
    let values = EditorValues::from_pairs(pairs);
    match field(pairs, "action").as_str() {
        "suggest" => {
            let has_text = [
                &values.title_de,
                &values.title_en,
                &values.description_de,
                &values.description_en,
            ]
            .iter()
            .any(|text| !text.trim().is_empty());
            let mut extras = EditorExtras::default();
            if !has_text {
                extras.suggestion_note = Some(t.get("catalogue-suggest-no-text"));
            } else {
                match suggest(state, page, scope, &values).await {
                    Ok(rows) => {
                        if rows.is_empty() {
                            extras.suggestion_note = Some(t.get("catalogue-suggest-none"));
                        }
                        extras.suggestions = Some(rows);
                    }
                    Err(AppError::Invalid(invalid)) => {
                        extras.errors.add(invalid.field, invalid.reason);
                    }
                    Err(other) => return error_response(&page.shell, &other.into()),
                }
            }
            let status = if extras.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render_editor(state, page, id, values, status, extras).await
        }
        "find" => {
            let q = values.competency_q.trim().to_owned();
            let mut extras = EditorExtras::default();
            if !q.is_empty() {
                let found = mycel_app::competencies::search_competencies(
                    &*state.store,
                    acting,
                    scope,
                    Some(&q),
                    None,
                    None,
                    Some(20),
                )
                .await;
                match found {
                    Ok(found) => {
                        extras.found = Some(
                            found
                                .iter()
                                .map(|c| FoundRow {
                                    id: c.id,
                                    framework_id: c.framework_id,
                                    label: texts::competency_label(c, t),
                                    kind: texts::competency_kind(c.kind, t),
                                    levels: level_choices("2", false, t),
                                })
                                .collect(),
                        );
                    }
                    Err(AppError::Invalid(invalid)) => {
                        extras.errors.add("competency_q", invalid.reason);
                    }
                    Err(other) => return error_response(&page.shell, &other.into()),
                }
            }
            render_editor(state, page, id, values, StatusCode::OK, extras).await
        }
        _ => {
            let draft = match values.draft(t) {
                Ok(draft) => draft,
                Err(errors) => {
                    let extras = EditorExtras {
                        errors,
                        ..EditorExtras::default()
                    };
                    return render_editor(
                        state,
                        page,
                        id,
                        values,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        extras,
                    )
                    .await;
                }
            };
            let saved = match id {
                None => {
                    ops::create_opportunity(&*state.store, &state.catalogue, acting, scope, &draft)
                        .await
                }
                Some(id) => {
                    ops::update_opportunity(
                        &*state.store,
                        &state.catalogue,
                        acting,
                        scope,
                        id,
                        &draft,
                    )
                    .await
                }
            };
            let mut errors = FieldErrors::default();
            match saved {
                Ok(record) => {
                    return Redirect::to(&format!("{}?saved=saved", opportunity_href(record.id)))
                        .into_response();
                }
                Err(AppError::Invalid(invalid)) => errors.add(invalid.field, invalid.reason),
                Err(AppError::Store(StoreError::InvalidReference(reason))) => {
                    errors.add("references", reason);
                }
                Err(other) => return error_response(&page.shell, &other.into()),
            }
            let extras = EditorExtras {
                errors,
                ..EditorExtras::default()
            };
            render_editor(
                state,
                page,
                id,
                values,
                StatusCode::UNPROCESSABLE_ENTITY,
                extras,
            )
            .await
        }
    }
}

/// `POST /catalog/opportunities/new`.
pub async fn create(
    State(state): State<AppState>,
    page: PersonPage,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    post_editor(&state, &page, None, &pairs).await
}

/// `POST /catalog/opportunities/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
    CheckedForm(pairs): CheckedForm<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.trim().parse::<OpportunityId>() else {
        return page
            .shell
            .error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    post_editor(&state, &page, Some(id), &pairs).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_in_either_convention() {
        assert_eq!(parse_amount("199"), Some(19_900));
        assert_eq!(parse_amount("199,00"), Some(19_900));
        assert_eq!(parse_amount("199.5"), Some(19_950));
        assert_eq!(parse_amount("1.299,50 €"), Some(129_950));
        assert_eq!(parse_amount("1,299.50"), Some(129_950));
        assert_eq!(parse_amount("1.299"), Some(129_900));
        assert_eq!(parse_amount(",50"), Some(50));
        for bad in ["", "abc", "-5", "1,2,3x", ","] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn posted_rows_are_kept_removed_and_added() {
        let pairs: Vec<(String, String)> = [
            ("alignment", "a"),
            ("alignment_level.a", "3"),
            ("alignment", "b"),
            ("alignment_level.b", "2"),
            ("alignment_remove", "b"),
            ("suggestion_accept", "c"),
            ("suggestion_level.c", "1"),
            ("found", "d"),
            ("found_as.d", "requires"),
            ("found_level.d", "2"),
            ("found", "e"),
            ("found_as.e", ""),
            ("part", "p1"),
            ("part_kind", "optional"),
            ("part", ""),
            ("part_kind", "required"),
            ("part", "p2"),
            ("part_kind", "elective-2"),
            ("group_label_de", ""),
            ("group_label_en", ""),
            ("group_choose", ""),
            ("group_label_de", "Wahl"),
            ("group_label_en", ""),
            ("group_choose", "1"),
            ("group_label_de", ""),
            ("group_label_en", ""),
            ("group_choose", ""),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
        let values = EditorValues::from_pairs(&pairs);
        assert_eq!(
            values.alignments,
            [("a".into(), "3".into()), ("c".into(), "1".into())]
        );
        assert_eq!(
            values.prerequisite_competencies,
            [("d".to_owned(), "2".to_owned())]
        );
        assert_eq!(values.parts, ["p1", "p2"]);
        assert_eq!(values.part_kinds, ["optional", "elective-2"]);
        assert_eq!(
            values.groups,
            [
                (String::new(), String::new(), String::new()),
                ("Wahl".to_owned(), String::new(), "1".to_owned())
            ],
            "up to the last group named or filled in"
        );
    }
}
