//! The web interface: server-rendered pages (askama templates compiled into the binary), every text
//! through Fluent, no JavaScript needed. Forms are protected against CSRF (see
//! [`crate::auth::csrf`]).

mod admin;
mod areas;
mod catalogue;
mod catalogue_editor;
mod classroom;
mod competency_browser;
mod competency_texts;
mod frameworks;
mod journal;
mod learning_path;
pub(crate) mod package_content;
mod recommendations;
mod role_profiles;
mod scorm_player;
mod session;
mod skills;
mod statements;
mod strategic_goals;
mod team;

use crate::auth::caller::{Caller, MaybeCaller};
use crate::auth::csrf::CsrfToken;
use crate::i18n::{I18n, Lang};
use crate::{ApiError, AppState};
use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::CookieJar;
use mycel_organisation::{AccessRole, Action};

pub fn routes(state: AppState) -> Router<AppState> {
    // Room for the multipart framing around the zip.
    let package_upload_limit = state.config.max_package_bytes.saturating_add(64 * 1024);
    Router::new()
        .route("/", get(areas::home))
        .route("/login", get(session::login_page).post(session::login))
        .route("/logout", post(session::logout))
        .route("/language", post(session::switch_language))
        .route("/learn", get(areas::learn))
        .route("/learn/path", get(learning_path::page))
        .route("/learn/journal", get(journal::page).post(journal::create))
        .route("/learn/journal/{id}/share", post(journal::share))
        .route("/learn/journal/{id}/delete", post(journal::delete))
        .route(
            "/team/people/{id}/journal/{entry}/confirm",
            post(journal::confirm),
        )
        .route("/learn/path/steps/{id}", post(learning_path::change_step))
        .route(
            "/learn/path/preferences",
            post(learning_path::set_preferences),
        )
        .route("/learn/sessions/{id}/enrol", post(classroom::enrol))
        .route(
            "/learn/enrolments/{id}/cancel",
            post(classroom::cancel_enrolment),
        )
        .route(
            "/learn/enrolments/{id}/invitation.ics",
            get(classroom::invitation),
        )
        .route("/catalog", get(catalogue::search))
        .route("/catalog/manage", get(catalogue_editor::manage))
        .route(
            "/catalog/packages",
            post(catalogue_editor::upload_package)
                .layer(DefaultBodyLimit::max(package_upload_limit)),
        )
        .route(
            "/catalog/providers",
            post(catalogue_editor::create_provider),
        )
        .route(
            "/catalog/providers/{id}",
            post(catalogue_editor::update_provider),
        )
        .route(
            "/catalog/opportunities/new",
            get(catalogue_editor::new_form).post(catalogue_editor::create),
        )
        .route("/catalog/opportunities/{id}", get(catalogue::opportunity))
        .route(
            "/learn/opportunities/{id}/cmi5",
            post(catalogue::launch_course),
        )
        .route(
            "/catalog/opportunities/{id}/edit",
            get(catalogue_editor::edit_form).post(catalogue_editor::update),
        )
        .route(
            "/catalog/opportunities/{id}/lifecycle",
            post(catalogue::set_lifecycle),
        )
        .route(
            "/catalog/opportunities/{id}/sessions",
            post(classroom::create_session),
        )
        .route(
            "/catalog/sessions/{id}/cancel",
            post(classroom::cancel_session),
        )
        .route("/catalog/rooms", post(classroom::create_room))
        .route("/content/{package_id}/{*path}", get(package_content::file))
        .route("/skills", get(skills::page))
        .route("/skills/frameworks", get(competency_browser::browse))
        .route(
            "/skills/competencies/{id}",
            get(competency_browser::competency),
        )
        .route("/skills/self-assessment", post(skills::self_assessment))
        .route("/skills/sharing", post(skills::sharing))
        .route("/skills/goals", post(skills::create_goal))
        .route("/skills/goals/{id}/delete", post(skills::delete_goal))
        .route("/team", get(team::page))
        .route("/team/people/{id}/skills", get(team::person))
        .route("/team/people/{id}/assessments", post(team::confirm))
        .route("/team/enrolments/{id}/decision", post(classroom::decide))
        .route("/training", get(areas::training))
        .route("/training/sessions/{id}", get(classroom::participants))
        .route(
            "/training/sessions/{id}/attendance",
            post(classroom::attendance),
        )
        .route(
            "/training/sessions/{id}/enrol",
            post(classroom::enrol_person),
        )
        .route("/admin", get(admin::page))
        .route("/admin/statements", get(statements::browse))
        .route("/admin/tenants", post(admin::create_tenant))
        .route("/admin/org-units", post(admin::create_org_unit))
        .route("/admin/people", post(admin::create_person))
        .route(
            "/admin/frameworks",
            get(frameworks::page).post(frameworks::upload),
        )
        .route("/admin/roles", post(admin::create_role))
        .route("/admin/credentials", post(admin::create_credential))
        .route(
            "/admin/roles/{id}/profile",
            get(role_profiles::page).post(role_profiles::save),
        )
        .route(
            "/admin/roles/{id}/profile/from-occupation",
            post(role_profiles::from_occupation),
        )
        .route(
            "/admin/credentials/{id}/revoke",
            post(admin::revoke_credential),
        )
        .route("/learn/opportunities/{id}/scorm", get(scorm_player::player))
        .route(
            "/learn/scorm/attempts/{attempt}/content/{*path}",
            get(scorm_player::content),
        )
        .route(
            "/learn/scorm/attempts/{attempt}/scos/{sco}/commit",
            post(scorm_player::commit),
        )
        .route(
            concat!(
                "/static/scorm-again/",
                env!("SCORM_AGAIN_VERSION"),
                "/scorm12.min.js"
            ),
            get(scorm_player::scorm12_js),
        )
        .route(
            concat!(
                "/static/scorm-again/",
                env!("SCORM_AGAIN_VERSION"),
                "/scorm2004.min.js"
            ),
            get(scorm_player::scorm2004_js),
        )
        .route("/static/scorm-player.js", get(scorm_player::player_js))
        .route(
            "/admin/strategic-goals",
            get(strategic_goals::page).post(strategic_goals::create),
        )
        .route("/admin/strategic-goals/{id}", post(strategic_goals::change))
        .route(
            "/admin/path-objective",
            post(strategic_goals::set_objective),
        )
        .route("/static/mycel.css", get(stylesheet))
        .route(
            "/learn/recommendations/feedback",
            get(recommendations::feedback_page),
        )
        .route(
            "/learn/recommendations/{id}/feedback",
            post(recommendations::give_feedback),
        )
        .route(
            "/learn/recommendations/{id}/feedback/delete",
            post(recommendations::take_back),
        )
        .route(
            "/catalog/opportunities/{id}/rating",
            post(recommendations::rate),
        )
        .route(
            "/learn/path/sessions/{id}/book",
            post(learning_path::book_session),
        )
        .route(
            "/learn/path/programs/{id}/electives",
            post(learning_path::switch_elective),
        )
        .fallback(not_found)
}

/// A form field's value, trimmed; empty when the form has none.
pub(crate) fn form_field(pairs: &[(String, String)], name: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default()
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/mycel.css"),
    )
}

/// The areas of the navigation, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Learn,
    Catalog,
    Skills,
    Team,
    Training,
    Admin,
}

impl Area {
    const ALL: [Area; 6] = [
        Area::Learn,
        Area::Catalog,
        Area::Skills,
        Area::Team,
        Area::Training,
        Area::Admin,
    ];

    fn href(self) -> &'static str {
        match self {
            Area::Learn => "/learn",
            Area::Catalog => "/catalog",
            Area::Skills => "/skills",
            Area::Team => "/team",
            Area::Training => "/training",
            Area::Admin => "/admin",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Area::Learn => "nav-learn",
            Area::Catalog => "nav-catalog",
            Area::Skills => "nav-skills",
            Area::Team => "nav-team",
            Area::Training => "nav-training",
            Area::Admin => "nav-admin",
        }
    }

    /// Whether the caller sees this area at all.
    pub fn open_to(self, caller: &Caller) -> bool {
        let p = &caller.principal;
        match self {
            Area::Learn | Area::Catalog | Area::Skills => true,
            // L&D admins see the aggregated gaps of the org units they administer.
            Area::Team => {
                p.has_role(AccessRole::Manager)
                    || p.has_role(AccessRole::LndAdmin)
                    || p.permits(Action::ManageAccess)
            }
            // Trainers see their sessions there.
            Area::Training => {
                p.has_role(AccessRole::LndAdmin)
                    || p.has_role(AccessRole::Trainer)
                    || p.permits(Action::ManageAccess)
            }
            Area::Admin => p.permits(Action::ManageCredentials),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

#[derive(Debug, Clone)]
pub struct LangOption {
    pub code: &'static str,
    pub name: &'static str,
    pub selected: bool,
}

#[derive(Debug, Clone)]
pub struct ShellUser {
    pub tenant_name: String,
    pub signed_in_as: String,
    pub nav: Vec<NavItem>,
}

/// What every page's frame needs: texts, the CSRF token, the logged-in person and navigation.
#[derive(Debug, Clone)]
pub struct Shell {
    pub t: I18n,
    pub csrf: String,
    pub path: String,
    pub languages: Vec<LangOption>,
    pub user: Option<ShellUser>,
    csrf_token: CsrfToken,
    secure_cookies: bool,
    pub caller: Option<Caller>,
}

impl Shell {
    fn new(caller: Option<Caller>, jar: &CookieJar, parts: &Parts, secure_cookies: bool) -> Self {
        let lang = caller
            .as_ref()
            .and_then(|c| c.person.as_ref())
            .and_then(|p| p.locale.as_deref())
            .and_then(Lang::parse)
            .unwrap_or_else(|| Lang::from_request(&parts.headers, jar));
        let t = I18n::new(lang);
        let csrf_token = CsrfToken::from_jar(jar);
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        let user = caller.as_ref().map(|c| ShellUser {
            tenant_name: c.tenant.name.clone(),
            signed_in_as: t.with(
                "signed-in-as",
                "name",
                c.person.as_ref().map_or("", |p| p.display_name.as_str()),
            ),
            nav: Area::ALL
                .into_iter()
                .filter(|a| a.open_to(c))
                .map(|a| NavItem {
                    href: a.href(),
                    label: t.get(a.label_key()),
                    current: path.starts_with(a.href()),
                })
                .collect(),
        });
        Self {
            languages: Lang::ALL
                .into_iter()
                .map(|l| LangOption {
                    code: l.code(),
                    name: l.native_name(),
                    selected: l == lang,
                })
                .collect(),
            csrf: csrf_token.value.clone(),
            t,
            path,
            user,
            csrf_token,
            secure_cookies,
            caller,
        }
    }

    /// Renders a page of this shell, setting the CSRF cookie when the token is new.
    pub fn render(&self, status: StatusCode, page: &impl Template) -> Response {
        let html = match page.render() {
            Ok(html) => html,
            Err(error) => return ApiError::internal(error).into_response(),
        };
        let mut response = (status, Html(html)).into_response();
        if self.csrf_token.fresh {
            let cookie = self.csrf_token.cookie(self.secure_cookies);
            if let Ok(value) = cookie.encoded().to_string().parse() {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }

    pub fn error_page(&self, status: StatusCode, message_key: &str) -> Response {
        let page = ErrorPage {
            shell: self,
            message: self.t.get(message_key),
        };
        self.render(status, &page)
    }
}

/// A page anyone may see: the shell, with the caller if logged in.
#[derive(Debug)]
pub struct PublicPage(pub Shell);

impl FromRequestParts<AppState> for PublicPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let jar = CookieJar::from_headers(&parts.headers);
        let caller = match MaybeCaller::from_request_parts(parts, state).await {
            Ok(MaybeCaller(caller)) => caller.filter(|c| c.person.is_some()),
            Err(error) => {
                let shell = Shell::new(None, &jar, parts, state.config.secure_cookies);
                return Err(error_response(&shell, &error));
            }
        };
        Ok(Self(Shell::new(
            caller,
            &jar,
            parts,
            state.config.secure_cookies,
        )))
    }
}

/// A page for logged-in people; others are sent to the login page and come back afterwards.
#[derive(Debug)]
pub struct PersonPage {
    pub shell: Shell,
    pub caller: Caller,
}

impl FromRequestParts<AppState> for PersonPage {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let PublicPage(shell) = PublicPage::from_request_parts(parts, state).await?;
        match shell.caller.clone() {
            Some(caller) => Ok(Self { shell, caller }),
            None => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |p| p.as_str())
                    .to_owned();
                let target = format!(
                    "/login?{}",
                    serde_urlencoded::to_string([("next", next)]).unwrap_or_default()
                );
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    shell: &'a Shell,
    message: String,
}

/// The page for an error of an operation.
pub fn error_response(shell: &Shell, error: &ApiError) -> Response {
    let key = match error.status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::FORBIDDEN => "error-forbidden",
        StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
        _ => "error-internal",
    };
    shell.error_page(error.status, key)
}

async fn not_found(PublicPage(shell): PublicPage) -> Response {
    shell.error_page(StatusCode::NOT_FOUND, "error-not-found")
}

/// Only local paths are followed after login or a language switch (no open redirect).
pub fn local_path(target: &str) -> &str {
    let ok = target.starts_with('/')
        && !target.starts_with("//")
        && !target.starts_with("/\\")
        && !target.chars().any(|c| c.is_control());
    if ok {
        target
    } else {
        "/"
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_redirects() {
        assert_eq!(super::local_path("/admin?tenant=x"), "/admin?tenant=x");
        assert_eq!(super::local_path("//evil.example"), "/");
        assert_eq!(super::local_path("https://evil.example"), "/");
        assert_eq!(super::local_path("/\\evil.example"), "/");
        assert_eq!(super::local_path(""), "/");
    }
}
