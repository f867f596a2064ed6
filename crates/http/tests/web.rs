#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The web interface driven in-process: login, CSRF, throttling, language, logout, areas and the
//! administration forms.

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use mycel_http::HttpConfig;
use mycel_organisation::AccessRole;
use std::time::Duration;

fn set_cookie_header<'a>(response: &'a TestResponse, name: &str) -> &'a str {
    response
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no Set-Cookie for {name}"))
}

async fn login_form(app: &TestApp, fields: &[(&str, &str)]) -> TestResponse {
    let page = app.get("/login", &Auth::None).await;
    let csrf = page.cookie("mycel_csrf").unwrap();
    app.post_form("/login", &format!("mycel_csrf={csrf}"), fields)
        .await
}

#[tokio::test]
async fn login_page_speaks_the_browsers_language_and_sets_a_strict_csrf_cookie() {
    let app = TestApp::new().await;
    let english = app.get("/login", &Auth::None).await;
    assert_eq!(english.status, StatusCode::OK);
    assert!(
        english.text().contains("<h1>Log in</h1>"),
        "{}",
        english.text()
    );
    assert!(english.text().contains("lang=\"en\""));
    let cookie = set_cookie_header(&english, "mycel_csrf");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );

    let request = Request::get("/login")
        .header(header::ACCEPT_LANGUAGE, "de-DE,de;q=0.9,en;q=0.5")
        .body(Body::empty())
        .unwrap();
    let german = app.send(request).await;
    assert!(
        german.text().contains("<h1>Anmelden</h1>"),
        "{}",
        german.text()
    );
    assert!(german.text().contains("lang=\"de\""));
    app.finish().await;
}

#[tokio::test]
async fn login_sets_a_protected_session_cookie_and_lands_on_my_learning() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let response = login_form(
        &app,
        &[
            ("organisation", "NORD "),
            ("email", "Anna@Nord.de"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(
        response.status,
        StatusCode::SEE_OTHER,
        "{}",
        response.text()
    );
    assert_eq!(response.location(), Some("/learn"));
    let session = set_cookie_header(&response, "mycel_session");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(
        !session.contains("Secure"),
        "plain http by default: {session}"
    );
    let auth = app.login(&t, "anna@nord.de").await;
    let learn = app.get("/learn", &auth).await;
    assert_eq!(learn.status, StatusCode::OK);
    assert!(learn.text().contains("Hello, anna"), "{}", learn.text());
    app.finish().await;
}

#[tokio::test]
async fn cookies_are_secure_behind_tls() {
    let app = TestApp::with_config(HttpConfig {
        secure_cookies: true,
        ..HttpConfig::default()
    })
    .await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let response = login_form(
        &app,
        &[
            ("organisation", "nord"),
            ("email", "anna@nord.de"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert!(set_cookie_header(&response, "mycel_session").contains("Secure"));
    assert!(set_cookie_header(&response, "mycel_csrf").contains("Secure"));
    app.finish().await;
}

#[tokio::test]
async fn wrong_password_unknown_person_and_unknown_company_read_the_same() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let mut bodies = Vec::new();
    for (org, email, password) in [
        ("nord", "anna@nord.de", "wrong password!"),
        ("nord", "nobody@nord.de", PASSWORD),
        ("sued", "anna@nord.de", PASSWORD),
    ] {
        let r = login_form(
            &app,
            &[
                ("organisation", org),
                ("email", email),
                ("password", password),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.cookie("mycel_session").is_none());
        let text = r.text();
        assert!(
            text.contains("The organisation, e-mail address or password is not correct."),
            "{text}"
        );
        let csrf = text
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        bodies.push(
            text.replace(&csrf, "CSRF")
                .replace(&format!("value=\"{email}\""), "EMAIL")
                .replace(&format!("value=\"{org}\""), "ORG"),
        );
    }
    assert_eq!(
        bodies[0], bodies[1],
        "an unknown person is indistinguishable"
    );
    assert_eq!(
        bodies[0], bodies[2],
        "an unknown company is indistinguishable"
    );
    app.finish().await;
}

#[tokio::test]
async fn forms_without_the_csrf_token_or_from_another_origin_are_refused() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let fields = [
        ("organisation", "nord"),
        ("email", "anna@nord.de"),
        ("password", PASSWORD),
    ];
    // no cookie at all
    let r = app.post_form("/login", "", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // a cookie, but the form carries another token
    let body = serde_urlencoded::to_string([
        ("csrf", "x".repeat(43)),
        ("organisation", "nord".into()),
        ("email", "anna@nord.de".into()),
        ("password", PASSWORD.into()),
    ])
    .unwrap();
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("mycel_csrf={}", "y".repeat(43)))
        .body(Body::from(body))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    // right token, foreign origin
    let page = app.get("/login", &Auth::None).await;
    let csrf = page.cookie("mycel_csrf").unwrap();
    let body = serde_urlencoded::to_string([
        ("csrf", csrf.as_str()),
        ("organisation", "nord"),
        ("email", "anna@nord.de"),
        ("password", PASSWORD),
    ])
    .unwrap();
    let request = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("mycel_csrf={csrf}"))
        .header(header::HOST, "mycel.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(body))
        .unwrap();
    let refused = app.send(request).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.cookie("mycel_session").is_none());
    app.finish().await;
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = TestApp::with_config(HttpConfig {
        login_max_failures: 3,
        login_window: Duration::from_secs(900),
        ..HttpConfig::default()
    })
    .await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    for _ in 0..3 {
        let r = login_form(
            &app,
            &[
                ("organisation", "nord"),
                ("email", "anna@nord.de"),
                ("password", "not the password"),
            ],
        )
        .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_form(
        &app,
        &[
            ("organisation", "nord"),
            ("email", "anna@nord.de"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        r.text().contains("Too many failed attempts"),
        "{}",
        r.text()
    );
    assert!(r.cookie("mycel_session").is_none());
    app.finish().await;
}

#[tokio::test]
async fn pages_need_a_login_and_come_back_after_it() {
    let app = TestApp::new().await;
    let r = app.get("/learn", &Auth::None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login?next=%2Flearn"));
    assert_eq!(app.get("/", &Auth::None).await.location(), Some("/login"));

    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let r = login_form(
        &app,
        &[
            ("organisation", "nord"),
            ("email", "anna@nord.de"),
            ("password", PASSWORD),
            ("next", "/skills"),
        ],
    )
    .await;
    assert_eq!(r.location(), Some("/skills"));
    let r = login_form(
        &app,
        &[
            ("organisation", "nord"),
            ("email", "anna@nord.de"),
            ("password", PASSWORD),
            ("next", "//evil.example/"),
        ],
    )
    .await;
    assert_eq!(r.location(), Some("/"), "no open redirect");
    app.finish().await;
}

#[tokio::test]
async fn the_language_switch_is_remembered_for_the_person() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    let anna = app
        .person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let auth = app.login(&t, "anna@nord.de").await;
    let r = app
        .post_form(
            "/language",
            cookies(&auth),
            &[("lang", "de"), ("back", "/catalog")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/catalog"));
    assert_eq!(r.cookie("mycel_lang").as_deref(), Some("de"));
    // The session alone (no language cookie) now shows German: the choice is the person's.
    let session_only = cookies(&auth)
        .split("; ")
        .find(|c| c.starts_with("mycel_session="))
        .unwrap()
        .to_owned();
    let page = app.get("/catalog", &Auth::Session(session_only)).await;
    assert!(page.text().contains("<h1>Katalog</h1>"), "{}", page.text());
    assert_eq!(
        app.store
            .person(mycel_store::TenantScope::system(t.id), anna.id)
            .await
            .unwrap()
            .locale
            .as_deref(),
        Some("de")
    );
    let r = app
        .post_form(
            "/language",
            cookies(&auth),
            &[("lang", "fr"), ("back", "/")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    app.finish().await;
}

#[tokio::test]
async fn logout_ends_the_session_for_good() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let auth = app.login(&t, "anna@nord.de").await;
    assert_eq!(app.get("/api/v1/me", &auth).await.status, StatusCode::OK);
    let r = app.post_form("/logout", cookies(&auth), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), Some("/login?bye=1"));
    let cleared = set_cookie_header(&r, "mycel_session");
    assert!(
        cleared.contains("Max-Age=0") || cleared.contains("Expires"),
        "{cleared}"
    );
    // the old cookie, replayed, no longer works
    assert_eq!(
        app.get("/api/v1/me", &auth).await.status,
        StatusCode::UNAUTHORIZED
    );
    let bye = app.get("/login?bye=1", &Auth::None).await;
    assert!(bye.text().contains("You have logged out."));
    app.finish().await;
}

#[tokio::test]
async fn navigation_and_areas_follow_access_roles() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "learner@nord.de", AccessRole::Learner, None)
        .await;
    app.person(&t, "boss@nord.de", AccessRole::Manager, None)
        .await;
    app.person(&t, "admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    let learner = app.login(&t, "learner@nord.de").await;
    let page = app.get("/learn", &learner).await.text();
    for area in ["My learning", "Catalog", "My skills"] {
        assert!(page.contains(&format!(">{area}</a>")), "{area} missing");
    }
    for area in ["Team", "Training management", "Administration"] {
        assert!(
            !page.contains(&format!(">{area}</a>")),
            "{area} shown to a learner"
        );
    }
    assert_eq!(
        app.get("/admin", &learner).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/team", &learner).await.status,
        StatusCode::FORBIDDEN
    );
    let boss = app.login(&t, "boss@nord.de").await;
    assert_eq!(app.get("/team", &boss).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/training", &boss).await.status,
        StatusCode::FORBIDDEN
    );
    let admin = app.login(&t, "admin@nord.de").await;
    let page = app.get("/learn", &admin).await.text();
    assert!(page.contains(">Administration</a>"));
    assert!(
        page.contains("Company admin"),
        "access shown on the profile"
    );
    assert_eq!(
        app.get("/no/such/page", &admin).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn admins_set_up_their_company_with_the_forms() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    app.person(&t, "admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    let admin = app.login(&t, "admin@nord.de").await;
    let c = cookies(&admin);

    let r = app
        .post_form(
            "/admin/org-units",
            c,
            &[
                ("tenant", "nord"),
                ("name", "Filiale Altona"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), Some("/admin?tenant=nord&saved=1"));
    let units = app
        .store
        .list_org_units(mycel_store::TenantScope::system(t.id))
        .await
        .unwrap();
    assert_eq!(units.len(), 1);
    let unit_id = units[0].id.to_string();

    let r = app
        .post_form(
            "/admin/people",
            c,
            &[
                ("tenant", "nord"),
                ("display_name", "Ben Berg"),
                ("email", "ben@nord.de"),
                ("org_unit_id", &unit_id),
                ("access", "manager"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get("/admin?tenant=nord&saved=1", &admin).await.text();
    assert!(page.contains("Saved."));
    assert!(
        page.contains("Ben Berg")
            && page.contains("ben@nord.de")
            && page.contains("Filiale Altona")
    );
    let ben = app.login(&t, "ben@nord.de").await;
    assert_eq!(
        app.get("/team", &ben).await.status,
        StatusCode::OK,
        "granted manager"
    );

    let r = app
        .post_form(
            "/admin/people",
            c,
            &[
                ("tenant", "nord"),
                ("display_name", "Cem"),
                ("email", "not-an-address"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text().contains("Please check your input: email"),
        "{}",
        r.text()
    );

    let r = app
        .post_form(
            "/admin/roles",
            c,
            &[
                ("tenant", "nord"),
                ("name", "Verkäufer/in"),
                ("description", "Shop assistant"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get("/admin?tenant=nord", &admin).await.text();
    assert!(
        page.contains("<strong>Verkäufer/in</strong> – Shop assistant"),
        "{page}"
    );
    let r = app
        .post_form(
            "/admin/roles",
            c,
            &[("tenant", "nord"), ("name", "Verkäufer/in")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    let r = app
        .post_form(
            "/admin/credentials",
            c,
            &[
                ("tenant", "nord"),
                ("label", "LMS"),
                ("scope", "statements/write"),
                ("scope", "org/read"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let text = r.text();
    let key = text
        .split("<code id=\"issued-key\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let secret = text
        .split("<code id=\"issued-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    let machine = Auth::Basic {
        key,
        secret: secret.clone(),
    };
    let me = app.get("/api/v1/me", &machine).await;
    assert_eq!(
        me.json()["scopes"],
        serde_json::json!(["statements/write", "org/read"])
    );
    let page = app.get("/admin?tenant=nord", &admin).await.text();
    assert!(!page.contains(&secret), "the secret is shown only once");

    let credential = app
        .store
        .list_api_credentials(mycel_store::TenantScope::system(t.id))
        .await
        .unwrap()
        .remove(0);
    let r = app
        .post_form(
            &format!("/admin/credentials/{}/revoke", credential.id),
            c,
            &[("tenant", "nord")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/me", &machine).await.status,
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
}

#[tokio::test]
async fn network_admins_add_member_companies_and_administer_them() {
    let app = TestApp::new().await;
    let t = app.tenant("verbund").await;
    app.person(&t, "net@verbund.de", AccessRole::NetworkAdmin, None)
        .await;
    let net = app.login(&t, "net@verbund.de").await;
    let r = app
        .post_form(
            "/admin/tenants",
            cookies(&net),
            &[("slug", "sued"), ("name", "Handel Süd eG")],
        )
        .await;
    assert_eq!(r.location(), Some("/admin?tenant=sued&saved=1"));
    let page = app.get("/admin?tenant=sued", &net).await.text();
    assert!(page.contains("Administering Handel Süd eG"), "{page}");
    let r = app
        .post_form(
            "/admin/tenants",
            cookies(&net),
            &[("slug", "sued"), ("name", "Again")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    app.person(&t, "admin@verbund.de", AccessRole::TenantAdmin, None)
        .await;
    let admin = app.login(&t, "admin@verbund.de").await;
    let r = app
        .post_form(
            "/admin/tenants",
            cookies(&admin),
            &[("slug", "west"), ("name", "West")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/admin?tenant=sued", &admin).await.status,
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::new().await;
    let r = app.get("/healthz", &Auth::None).await;
    assert_eq!(r.json()["status"], "ok");
    let r = app.get("/readyz", &Auth::None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(["sqlite", "postgres"].contains(&r.json()["backend"].as_str().unwrap()));
    app.store.close().await;
    let r = app.get("/readyz", &Auth::None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.json()["status"], "unavailable");
    let request = Request::builder()
        .method(Method::GET)
        .uri("/healthz")
        .body(Body::empty())
        .unwrap();
    assert!(app.send(request).await.headers.contains_key("x-request-id"));
    app.finish().await;
}

#[tokio::test]
async fn people_are_moved_and_get_managers_through_the_api_without_cycles() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    let unit = app.org_unit(&t, "Filiale", None).await;
    app.person(&t, "admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    let boss = app
        .person(&t, "boss@nord.de", AccessRole::Manager, None)
        .await;
    let anna = app
        .person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let admin = app.login(&t, "admin@nord.de").await;
    let path = format!("/api/v1/tenants/nord/people/{}", anna.id);
    let patch = |body: serde_json::Value| {
        TestApp::request(Method::PATCH, &path, &admin)
            .header(header::CONTENT_TYPE, "application/merge-patch+json")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = app
        .send(patch(serde_json::json!({"display_name": "Anna Schmidt", "org_unit_id": unit.id, "manager_id": boss.id})))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let body = r.json();
    assert_eq!(body["display_name"], "Anna Schmidt");
    assert_eq!(body["email"], "anna@nord.de", "absent fields stay");
    assert_eq!(body["manager_id"], serde_json::json!(boss.id));
    // the boss can now see Anna
    let boss_auth = app.login(&t, "boss@nord.de").await;
    assert_eq!(app.get(&path, &boss_auth).await.status, StatusCode::OK);
    // making Anna her boss's manager would be a cycle
    let boss_path = format!("/api/v1/tenants/nord/people/{}", boss.id);
    let request = TestApp::request(Method::PATCH, &boss_path, &admin)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"manager_id": anna.id}).to_string(),
        ))
        .unwrap();
    let r = app.send(request).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["field"], "manager_id");
    // null clears
    let r = app
        .send(patch(
            serde_json::json!({"manager_id": null, "org_unit_id": null}),
        ))
        .await;
    assert_eq!(r.json()["manager_id"], serde_json::Value::Null);
    assert_eq!(r.json()["org_unit_id"], serde_json::Value::Null);
    assert_eq!(
        app.get(&path, &boss_auth).await.status,
        StatusCode::NOT_FOUND,
        "no longer her report"
    );
    // a learner may not change anyone, not even themself through this endpoint
    let anna_auth = app.login(&t, "anna@nord.de").await;
    let request = TestApp::request(Method::PATCH, &path, &anna_auth)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            serde_json::json!({"display_name": "Boss"}).to_string(),
        ))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::FORBIDDEN);
    app.finish().await;
}

#[tokio::test]
async fn admins_browse_and_filter_learning_records_and_each_look_is_audited() {
    let app = TestApp::new().await;
    let t = app.tenant("nord").await;
    let admin_person = app
        .person(&t, "admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    app.person(&t, "anna@nord.de", AccessRole::Learner, None)
        .await;
    let lms = app
        .credential(&t, &[mycel_organisation::Scope::StatementsWrite])
        .await;
    let statements = serde_json::json!([
        {"actor": {"name": "Anna", "mbox": "mailto:anna@nord.de"},
         "verb": {"id": "http://adlnet.gov/expapi/verbs/passed", "display": {"de-DE": "bestanden", "en-US": "passed"}},
         "object": {"id": "http://nord.de/kurse/kasse", "definition": {"name": {"de-DE": "Kassenschulung", "en-US": "Till training"}}},
         "result": {"success": true, "score": {"scaled": 0.9}}},
        {"actor": {"name": "Ben", "mbox": "mailto:ben@nord.de"},
         "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"},
         "object": {"id": "http://nord.de/kurse/hygiene"}}
    ]);
    let request = TestApp::request(Method::POST, "/xapi/statements", &lms)
        .header(header::CONTENT_TYPE, "application/json")
        .header("X-Experience-API-Version", "1.0.3")
        .body(Body::from(statements.to_string()))
        .unwrap();
    assert_eq!(app.send(request).await.status, StatusCode::OK);

    let admin = app.login(&t, "admin@nord.de").await;
    let page = app.get("/admin?tenant=nord", &admin).await.text();
    assert!(
        page.contains("/admin/statements?tenant=nord"),
        "linked from the admin page"
    );
    let all = app.get("/admin/statements?tenant=nord", &admin).await;
    assert_eq!(all.status, StatusCode::OK);
    let text = all.text();
    assert!(
        text.contains("<td>Anna</td>") && text.contains("<td>Ben</td>"),
        "{text}"
    );
    assert!(
        text.contains("Till training") && text.contains("✓ 90 %"),
        "{text}"
    );
    let anna_only = app
        .get("/admin/statements?tenant=nord&agent=anna%40nord.de", &admin)
        .await
        .text();
    assert!(
        anna_only.contains("<td>Anna</td>") && !anna_only.contains("<td>Ben</td>"),
        "{anna_only}"
    );
    let by_verb = app
        .get(
            "/admin/statements?tenant=nord&verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Ffailed",
            &admin,
        )
        .await
        .text();
    assert!(by_verb.contains("<td>Ben</td>") && !by_verb.contains("<td>Anna</td>"));
    let bad = app
        .get("/admin/statements?tenant=nord&registration=nope", &admin)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("This filter cannot be used"));

    let audit = app
        .store
        .list_audit(
            mycel_store::TenantScope::system(t.id),
            mycel_store::AuditQuery::default(),
        )
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "statements.browse"
        && e.actor == mycel_store::Actor::Person(admin_person.id)));

    let learner = app.login(&t, "anna@nord.de").await;
    assert_eq!(
        app.get("/admin/statements?tenant=nord", &learner)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    app.finish().await;
}
