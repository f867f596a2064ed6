//! The framework browser: the frameworks a member company sees (the network's, such as ESCO, and
//! its own), search across all of them, browsing a framework's hierarchy, and a competency's page
//! with its hierarchy, relations, the roles and occupations that need it, and forms to set a goal
//! or rate oneself. Everyone in a tenant may browse what it sees.

use super::competency_texts::{self as texts, Frameworks, LabelView, LevelOption};
use super::{error_response, PersonPage, Shell};
use crate::i18n::I18n;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use mycel_app::competencies as ops;
use mycel_app::AppError;
use mycel_competency::{FrameworkKind, RelationKind};
use mycel_organisation::{Action, CompetencyId, FrameworkId};
use mycel_store::competencies::CompetencyRecord;
use serde::Deserialize;

/// How many items a search or one level of a hierarchy shows.
const SHOWN: u32 = 100;
/// How many items of each framework's top level the overview shows.
const TOP_SHOWN: u32 = 30;

#[derive(Deserialize, Default)]
struct BrowseParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    framework: String,
    #[serde(default)]
    broader: String,
}

/// A competency in a list, with a link to browse the items below it.
struct ItemRow {
    id: CompetencyId,
    label: LabelView,
    kind: String,
    framework: String,
    narrower_href: String,
}

struct FrameworkSection {
    title: String,
    version: String,
    href: String,
    top: Vec<ItemRow>,
}

/// One level of a framework's hierarchy.
struct HierarchyLevel {
    framework_title: String,
    framework_href: String,
    /// The item whose narrower items are listed.
    broader: Option<(CompetencyId, LabelView)>,
    /// One level up: the broader item's own broader item, or the framework's top level.
    up_href: Option<String>,
    items: Vec<ItemRow>,
}

#[derive(Template)]
#[template(path = "competency_browse.html")]
struct BrowsePage<'a> {
    shell: &'a Shell,
    q: String,
    error: Option<String>,
    results: Option<Vec<ItemRow>>,
    level: Option<HierarchyLevel>,
    frameworks: Vec<FrameworkSection>,
    esco: bool,
    /// L&D and company admins manage the company's own frameworks.
    may_manage: bool,
}

fn id_param<T: std::str::FromStr>(value: &str) -> Result<Option<T>, ()> {
    let value = value.trim();
    if value.is_empty() {
        Ok(None)
    } else {
        value.parse().map(Some).map_err(|_| ())
    }
}

fn narrower_href(framework: FrameworkId, id: CompetencyId) -> String {
    format!("/skills/frameworks?framework={framework}&broader={id}")
}

fn item_row(c: &CompetencyRecord, frameworks: &Frameworks, t: &I18n) -> ItemRow {
    ItemRow {
        id: c.id,
        label: texts::competency_label(c, t),
        kind: texts::competency_kind(c.kind, t),
        framework: frameworks
            .get(c.framework_id)
            .map(|f| texts::framework_title(f, t))
            .unwrap_or_default(),
        narrower_href: narrower_href(c.framework_id, c.id),
    }
}

/// `/skills/frameworks`: the overview, a search (`?q=`, optionally within `framework`), or one
/// level of a framework (`?framework=ID&broader=ID`).
pub async fn browse(
    State(state): State<AppState>,
    page: PersonPage,
    RawQuery(query): RawQuery,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let params: BrowseParams = query
        .and_then(|q| serde_urlencoded::from_str(&q).ok())
        .unwrap_or_default();
    let (Ok(framework), Ok(broader)) = (
        id_param::<FrameworkId>(&params.framework),
        id_param::<CompetencyId>(&params.broader),
    ) else {
        return shell.error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let frameworks = match ops::frameworks(
        store,
        mycel_app::Acting::Principal(&page.caller.principal),
        scope,
    )
    .await
    {
        Ok(list) => Frameworks::new(list),
        Err(error) => return error_response(shell, &error.into()),
    };
    if framework.is_some_and(|f| frameworks.get(f).is_none()) {
        return shell.error_page(StatusCode::NOT_FOUND, "error-not-found");
    }
    let mut view = BrowsePage {
        shell,
        q: params.q.clone(),
        error: None,
        results: None,
        level: None,
        frameworks: Vec::new(),
        esco: false,
        may_manage: page.caller.principal.permits(Action::ManageFrameworks),
    };
    let mut status = StatusCode::OK;
    let text = params.q.trim();
    if !text.is_empty() {
        match ops::search_competencies(
            store,
            mycel_app::Acting::Principal(&page.caller.principal),
            scope,
            Some(text),
            framework,
            None,
            Some(SHOWN),
        )
        .await
        {
            Ok(found) => {
                view.esco = found.iter().any(|c| frameworks.is_esco(c.framework_id));
                view.results = Some(found.iter().map(|c| item_row(c, &frameworks, t)).collect());
            }
            Err(AppError::Invalid(invalid)) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                view.error = Some(t.with("form-invalid", "detail", &invalid.to_string()));
            }
            Err(error) => return error_response(shell, &error.into()),
        }
    } else if let Some(framework) = framework.and_then(|f| frameworks.get(f)) {
        let framework_id = framework.id;
        let mut level = HierarchyLevel {
            framework_title: texts::framework_title(framework, t),
            framework_href: format!("/skills/frameworks?framework={framework_id}"),
            broader: None,
            up_href: None,
            items: Vec::new(),
        };
        if let Some(broader) = broader {
            let detail = match ops::competency_detail(
                store,
                mycel_app::Acting::Principal(&page.caller.principal),
                scope,
                broader,
            )
            .await
            {
                Ok(detail) if detail.competency.framework_id == framework_id => detail,
                Ok(_) => return shell.error_page(StatusCode::NOT_FOUND, "error-not-found"),
                Err(error) => return error_response(shell, &error.into()),
            };
            let parent = detail
                .relations
                .iter()
                .find(|r| r.kind == RelationKind::Broader && r.outgoing)
                .map(|r| r.other.id);
            level.up_href = Some(match parent {
                Some(parent) => narrower_href(framework_id, parent),
                None => level.framework_href.clone(),
            });
            level.broader = Some((broader, texts::competency_label(&detail.competency, t)));
        }
        match ops::search_competencies(
            store,
            mycel_app::Acting::Principal(&page.caller.principal),
            scope,
            None,
            Some(framework_id),
            broader,
            Some(SHOWN),
        )
        .await
        {
            Ok(items) => level.items = items.iter().map(|c| item_row(c, &frameworks, t)).collect(),
            Err(error) => return error_response(shell, &error.into()),
        }
        view.esco = frameworks.is_esco(framework_id);
        view.level = Some(level);
    } else {
        let mut all: Vec<_> = frameworks.all().collect();
        all.sort_by_key(|f| (f.tenant_id.is_some(), texts::framework_title(f, t)));
        for framework in all {
            let top = match ops::search_competencies(
                store,
                mycel_app::Acting::Principal(&page.caller.principal),
                scope,
                None,
                Some(framework.id),
                None,
                Some(TOP_SHOWN),
            )
            .await
            {
                Ok(top) => top,
                Err(error) => return error_response(shell, &error.into()),
            };
            view.esco |= framework.kind == FrameworkKind::Esco;
            view.frameworks.push(FrameworkSection {
                title: texts::framework_title(framework, t),
                version: framework.version.clone(),
                href: format!("/skills/frameworks?framework={}", framework.id),
                top: top.iter().map(|c| item_row(c, &frameworks, t)).collect(),
            });
        }
    }
    shell.render(status, &view)
}

struct LinkItem {
    id: CompetencyId,
    label: LabelView,
}

struct RelationGroup {
    heading: String,
    items: Vec<LinkItem>,
}

struct RoleRow {
    name: String,
    kind: String,
    target: String,
    href: Option<String>,
}

struct OccupationRow {
    label: LabelView,
    code: String,
    kind: String,
}

#[derive(Template)]
#[template(path = "competency.html")]
struct CompetencyPage<'a> {
    shell: &'a Shell,
    id: CompetencyId,
    label: LabelView,
    kind: String,
    framework: String,
    framework_href: String,
    code: Option<String>,
    category: Option<String>,
    uri: String,
    obsolete: bool,
    broader: Vec<LinkItem>,
    narrower: Vec<LinkItem>,
    narrower_href: String,
    relations: Vec<RelationGroup>,
    roles: Vec<RoleRow>,
    occupations: Vec<OccupationRow>,
    esco: bool,
    level_options: Vec<LevelOption>,
    goal_options: Vec<LevelOption>,
}

/// The relation groups of a competency page, in the order shown: kind, direction (`None`: both
/// directions mean the same), heading.
fn relation_headings(t: &I18n) -> Vec<(RelationKind, Option<bool>, String)> {
    use RelationKind::*;
    vec![
        (Essential, Some(true), t.get("relation-essential-out")),
        (Essential, Some(false), t.get("relation-essential-in")),
        (Optional, Some(true), t.get("relation-optional-out")),
        (Optional, Some(false), t.get("relation-optional-in")),
        (Prerequisite, Some(true), t.get("relation-prerequisite-out")),
        (Prerequisite, Some(false), t.get("relation-prerequisite-in")),
        (Related, None, t.get("relation-related")),
        (ExactMatch, None, t.get("relation-exact-match")),
        (ReplacedBy, Some(true), t.get("relation-replaced-by-out")),
        (ReplacedBy, Some(false), t.get("relation-replaced-by-in")),
    ]
}

/// `/skills/competencies/{id}`.
pub async fn competency(
    State(state): State<AppState>,
    page: PersonPage,
    Path(id): Path<String>,
) -> Response {
    let shell = &page.shell;
    let t = &shell.t;
    let store = &*state.store;
    let scope = page.caller.scope();
    let Ok(id) = id.parse::<CompetencyId>() else {
        return shell.error_page(StatusCode::NOT_FOUND, "error-not-found");
    };
    let detail = match ops::competency_detail(
        store,
        mycel_app::Acting::Principal(&page.caller.principal),
        scope,
        id,
    )
    .await
    {
        Ok(detail) => detail,
        Err(error) => return error_response(shell, &error.into()),
    };
    let link = |c: &CompetencyRecord| LinkItem {
        id: c.id,
        label: texts::competency_label(c, t),
    };
    let broader = detail
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Broader && r.outgoing)
        .map(|r| link(&r.other))
        .collect();
    let narrower = detail
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::Broader && !r.outgoing)
        .map(|r| link(&r.other))
        .collect();
    let relations = relation_headings(t)
        .into_iter()
        .map(|(kind, outgoing, heading)| RelationGroup {
            heading,
            items: detail
                .relations
                .iter()
                .filter(|r| r.kind == kind && outgoing.is_none_or(|o| o == r.outgoing))
                .map(|r| link(&r.other))
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let may_edit_roles = page.caller.principal.permits(Action::ManageRoles);
    let mut roles: Vec<RoleRow> = detail
        .roles
        .iter()
        .map(|(role, requirement)| RoleRow {
            name: role.name.clone(),
            kind: texts::requirement_kind(requirement.kind, t),
            target: texts::level_text(requirement.target, t),
            href: may_edit_roles.then(|| format!("/admin/roles/{}/profile", role.id)),
        })
        .collect();
    roles.sort_by(|a, b| a.name.cmp(&b.name));
    let occupations = detail
        .occupations
        .iter()
        .map(|(occupation, kind)| OccupationRow {
            label: texts::label(&occupation.labels, &occupation.uri, t),
            code: occupation.code.clone().unwrap_or_default(),
            kind: texts::occupation_requirement(*kind, t),
        })
        .collect();
    let view = CompetencyPage {
        shell,
        id,
        label: texts::competency_label(&detail.competency, t),
        kind: texts::competency_kind(detail.competency.kind, t),
        framework: texts::framework_title(&detail.framework, t),
        framework_href: format!("/skills/frameworks?framework={}", detail.framework.id),
        code: detail.competency.code.clone(),
        category: detail.competency.category.clone(),
        uri: detail.competency.uri.clone(),
        obsolete: detail.competency.obsolete,
        broader,
        narrower,
        narrower_href: narrower_href(detail.framework.id, id),
        relations,
        roles,
        occupations,
        esco: detail.framework.kind == FrameworkKind::Esco,
        level_options: texts::level_options(None, t),
        goal_options: texts::level_options(Some(2.0), t),
    };
    shell.render(StatusCode::OK, &view)
}
