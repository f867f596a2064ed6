//! The test harness for the HTTP layer: a [`TestApp`] drives the router in-process (no port, no
//! sleeping), on a database of its own. The backend is SQLite unless `MYCEL_TEST_BACKEND=postgres`
//! (then the server named by `MYCEL_TEST_DATABASE_URL`); the project's test script runs the suite on
//! both.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_http::{AppState, HttpConfig};
use mycel_organisation::{
    AccessGrant, AccessRole, OrgUnit, OrgUnitId, Person, PersonId, Scope, Tenant,
};
use mycel_store::{Store, TenantScope};
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub const PASSWORD: &str = "correct horse battery staple";

enum Guard {
    Sqlite(tempfile::TempDir),
    Postgres(Option<mycel_store_sql::test_database::TestDatabase>),
}

pub struct TestApp {
    pub router: Router,
    pub store: Arc<dyn Store>,
    pub catalogue: Arc<mycel_app::catalogue::Catalogue>,
    guard: Guard,
    /// Package files of this app.
    #[allow(dead_code)]
    content: tempfile::TempDir,
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    None,
    Basic {
        key: String,
        secret: String,
    },
    /// The `Cookie` header value carrying a session.
    Session(String),
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The stable error code of an error body.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// `name=value` of each Set-Cookie header.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
            .collect()
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(|c| c[name.len() + 1..].to_owned())
    }

    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    /// A fresh app on the backend the environment names (SQLite by default).
    pub async fn new() -> Self {
        Self::with_config(HttpConfig::default()).await
    }

    pub async fn with_config(config: HttpConfig) -> Self {
        let (store, guard) = match std::env::var("MYCEL_TEST_BACKEND").as_deref() {
            Ok("postgres") => {
                let db = mycel_store_sql::test_database::TestDatabase::create().await;
                let store = mycel_store_sql::open(db.url())
                    .await
                    .expect("open PostgreSQL");
                (store, Guard::Postgres(Some(db)))
            }
            Ok("sqlite") | Err(_) => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("mycel.db").display());
                (
                    mycel_store_sql::open(&url).await.expect("open SQLite"),
                    Guard::Sqlite(dir),
                )
            }
            Ok(other) => panic!("MYCEL_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        };
        let content = tempfile::tempdir().expect("temporary directory");
        let catalogue =
            mycel_app::catalogue::Catalogue::in_memory(&*store, content.path().join("content"))
                .await
                .expect("open the catalogue");
        let catalogue = Arc::new(catalogue);
        let router = mycel_http::router(AppState::new(store.clone(), config, catalogue.clone()));
        Self {
            router,
            store,
            catalogue,
            guard,
            content,
        }
    }

    /// Drops the PostgreSQL database (SQLite's directory goes with the app).
    pub async fn finish(mut self) {
        self.store.close().await;
        if let Guard::Postgres(db) = &mut self.guard {
            if let Some(db) = db.take() {
                db.drop_database().await;
            }
        }
    }

    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("infallible router");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        TestResponse {
            status,
            headers,
            body,
        }
    }

    pub fn request(method: Method, path: &str, auth: &Auth) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path);
        match auth {
            Auth::None => {}
            Auth::Basic { key, secret } => {
                use base64::Engine;
                let token =
                    base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"));
                builder = builder.header(header::AUTHORIZATION, format!("Basic {token}"));
            }
            Auth::Session(cookie) => builder = builder.header(header::COOKIE, cookie),
        }
        builder
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> TestResponse {
        self.send(
            Self::request(Method::GET, path, auth)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post_json(&self, path: &str, auth: &Auth, body: &Value) -> TestResponse {
        let request = Self::request(Method::POST, path, auth)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    pub async fn put_json(&self, path: &str, auth: &Auth, body: &Value) -> TestResponse {
        let request = Self::request(Method::PUT, path, auth)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// Posts a web form with the CSRF token of the given cookie header (which must hold `mycel_csrf`).
    pub async fn post_form(
        &self,
        path: &str,
        cookies: &str,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let csrf = cookies
            .split("; ")
            .find_map(|c| c.strip_prefix("mycel_csrf="))
            .unwrap_or_default()
            .to_owned();
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, HeaderValue::from_str(cookies).unwrap())
            .body(Body::from(serde_urlencoded::to_string(&all).unwrap()))
            .unwrap();
        self.send(request).await
    }

    // ---- fixtures, made through the same operations the command line uses ----

    pub async fn tenant(&self, slug: &str) -> Tenant {
        ops::create_tenant(&*self.store, Acting::Operator, slug, &format!("{slug} eG"))
            .await
            .unwrap()
    }

    pub async fn org_unit(
        &self,
        tenant: &Tenant,
        name: &str,
        parent: Option<OrgUnitId>,
    ) -> OrgUnit {
        ops::create_org_unit(
            &*self.store,
            Acting::Operator,
            TenantScope::system(tenant.id),
            name,
            parent,
        )
        .await
        .unwrap()
    }

    /// A person who logs in with [`PASSWORD`], holding `role` (lnd-admin limited to `unit` if given).
    pub async fn person(
        &self,
        tenant: &Tenant,
        email: &str,
        role: AccessRole,
        unit: Option<OrgUnitId>,
    ) -> Person {
        self.person_with(tenant, email, role, unit, None).await
    }

    pub async fn person_with(
        &self,
        tenant: &Tenant,
        email: &str,
        role: AccessRole,
        unit: Option<OrgUnitId>,
        manager: Option<PersonId>,
    ) -> Person {
        let grant = match role {
            AccessRole::Learner => None,
            AccessRole::LndAdmin => Some(AccessGrant {
                role,
                org_unit_id: unit,
            }),
            other => Some(AccessGrant::tenant_wide(other)),
        };
        let input = ops::PersonInput {
            display_name: email.split('@').next().unwrap().to_owned(),
            email: Some(email.to_owned()),
            org_unit_id: unit,
            manager_id: manager,
            password: Some(PASSWORD.to_owned()),
            access: grant,
            ..ops::PersonInput::default()
        };
        ops::create_person(
            &*self.store,
            Acting::Operator,
            TenantScope::system(tenant.id),
            input,
        )
        .await
        .unwrap()
    }

    pub async fn credential(&self, tenant: &Tenant, scopes: &[Scope]) -> Auth {
        let issued = ops::create_credential(
            &*self.store,
            Acting::Operator,
            TenantScope::system(tenant.id),
            "test client",
            scopes,
        )
        .await
        .unwrap();
        Auth::Basic {
            key: issued.key,
            secret: issued.secret,
        }
    }

    /// Logs in through the login form, as a browser would; returns the cookies to send afterwards.
    pub async fn login(&self, tenant: &Tenant, email: &str) -> Auth {
        let page = self.get("/login", &Auth::None).await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = page
            .cookie("mycel_csrf")
            .expect("login page sets a CSRF cookie");
        let response = self
            .post_form(
                "/login",
                &format!("mycel_csrf={csrf}"),
                &[
                    ("organisation", &tenant.slug),
                    ("email", email),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "login failed: {}",
            response.text()
        );
        let session = response.cookie("mycel_session").expect("session cookie");
        let csrf = response.cookie("mycel_csrf").expect("fresh CSRF cookie");
        Auth::Session(format!("mycel_session={session}; mycel_csrf={csrf}"))
    }
}

/// The cookie header of a session auth.
pub fn cookies(auth: &Auth) -> &str {
    match auth {
        Auth::Session(c) => c,
        _ => panic!("not a session"),
    }
}
