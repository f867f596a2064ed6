//! Access through the JSON API: what each kind of caller may and may not do, inside its own member
//! company and across member companies.
//!
//! The rules under test (see `mycel_organisation::access` and `mycel_app::organisation`):
//! another tenant's slug in the path is 404 (unless the caller is a network admin); another tenant's
//! id under one's own tenant's path is 404; an action the caller may not take is 403; a person the
//! caller may not see is 404. Each refusal is paired with a permitted call, so that the suite fails
//! if everything were simply refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::*;
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_organisation::{AccessRole, OrgUnit, Person, Role, Scope, Tenant};
use mycel_store::{PeopleQuery, TenantScope};
use serde_json::{json, Value};
use uuid::Uuid;

// ---- the world every test starts from ----

/// Two member companies. In `nord`:
///
/// ```text
/// Nord (root)
/// ├── Region A          lnd@ administers this subtree
/// │   └── Filiale 12    other@ (learner)
/// └── Region B          boss@ (manager), report@ (reports to boss@)
/// ```
/// plus admin@ (tenant admin), privacy@ (privacy officer), network@ (network admin), a role
/// "Verkäufer/in". In `sued`: admin@sued.de, anna@sued.de in unit "Sued", role "Fahrer/in" and an API
/// credential.
struct World {
    app: TestApp,
    nord: Tenant,
    sued: Tenant,
    root: OrgUnit,
    region_a: OrgUnit,
    filiale: OrgUnit,
    region_b: OrgUnit,
    admin: Person,
    lnd: Person,
    boss: Person,
    report: Person,
    other: Person,
    privacy: Person,
    network: Person,
    nord_role: Role,
    sued_unit: OrgUnit,
    sued_person: Person,
    sued_role: Role,
    sued_credential: Uuid,
    sued_credential_auth: Auth,
}

async fn role(app: &TestApp, tenant: &Tenant, name: &str) -> Role {
    ops::create_role(
        &*app.store,
        Acting::Operator,
        TenantScope::system(tenant.id),
        name,
        None,
    )
    .await
    .unwrap()
}

/// A credential of `tenant` with `scopes`: its id and how to authenticate with it.
async fn credential(app: &TestApp, tenant: &Tenant, scopes: &[Scope]) -> (Uuid, Auth) {
    let issued = ops::create_credential(
        &*app.store,
        Acting::Operator,
        TenantScope::system(tenant.id),
        "fixture client",
        scopes,
    )
    .await
    .unwrap();
    (
        issued.credential.id.as_uuid(),
        Auth::Basic {
            key: issued.key,
            secret: issued.secret,
        },
    )
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        let nord = app.tenant("nord").await;
        let sued = app.tenant("sued").await;
        let root = app.org_unit(&nord, "Nord", None).await;
        let region_a = app.org_unit(&nord, "Region A", Some(root.id)).await;
        let filiale = app.org_unit(&nord, "Filiale 12", Some(region_a.id)).await;
        let region_b = app.org_unit(&nord, "Region B", Some(root.id)).await;
        let admin = app
            .person(
                &nord,
                "admin@nord.de",
                AccessRole::TenantAdmin,
                Some(root.id),
            )
            .await;
        let lnd = app
            .person(
                &nord,
                "lnd@nord.de",
                AccessRole::LndAdmin,
                Some(region_a.id),
            )
            .await;
        let boss = app
            .person(
                &nord,
                "boss@nord.de",
                AccessRole::Manager,
                Some(region_b.id),
            )
            .await;
        let report = app
            .person_with(
                &nord,
                "report@nord.de",
                AccessRole::Learner,
                Some(region_b.id),
                Some(boss.id),
            )
            .await;
        let other = app
            .person(
                &nord,
                "other@nord.de",
                AccessRole::Learner,
                Some(filiale.id),
            )
            .await;
        let privacy = app
            .person(&nord, "privacy@nord.de", AccessRole::PrivacyOfficer, None)
            .await;
        let network = app
            .person(&nord, "network@nord.de", AccessRole::NetworkAdmin, None)
            .await;
        let nord_role = role(&app, &nord, "Verkäufer/in").await;
        let sued_unit = app.org_unit(&sued, "Sued", None).await;
        app.person(&sued, "admin@sued.de", AccessRole::TenantAdmin, None)
            .await;
        let sued_person = app
            .person(
                &sued,
                "anna@sued.de",
                AccessRole::Learner,
                Some(sued_unit.id),
            )
            .await;
        let sued_role = role(&app, &sued, "Fahrer/in").await;
        let (sued_credential, sued_credential_auth) = credential(&app, &sued, &[Scope::All]).await;
        Self {
            app,
            nord,
            sued,
            root,
            region_a,
            filiale,
            region_b,
            admin,
            lnd,
            boss,
            report,
            other,
            privacy,
            network,
            nord_role,
            sued_unit,
            sued_person,
            sued_role,
            sued_credential,
            sued_credential_auth,
        }
    }

    async fn login(&self, tenant: &Tenant, email: &str) -> Auth {
        self.app.login(tenant, email).await
    }

    async fn get(&self, path: &str, auth: &Auth) -> TestResponse {
        self.app.get(path, auth).await
    }

    async fn post(&self, path: &str, auth: &Auth, body: Value) -> TestResponse {
        self.app.post_json(path, auth, &body).await
    }

    async fn get_with_purpose(&self, path: &str, auth: &Auth, purpose: &str) -> TestResponse {
        let request = TestApp::request(Method::GET, path, auth)
            .header("x-mycel-purpose", purpose)
            .body(Body::empty())
            .unwrap();
        self.app.send(request).await
    }

    /// The ids of everyone in a tenant, read behind the API's back.
    async fn people_ids(&self, tenant: &Tenant) -> Vec<Uuid> {
        self.app
            .store
            .list_people(
                TenantScope::system(tenant.id),
                PeopleQuery {
                    limit: 1000,
                    ..PeopleQuery::default()
                },
            )
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.id.as_uuid())
            .collect()
    }

    async fn finish(self) {
        self.app.finish().await;
    }
}

// ---- assertions ----

/// An error response with this status and code, and a message.
#[track_caller]
fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(
        response.status.as_u16(),
        status,
        "expected {status} {code}, got: {}",
        response.text()
    );
    let body = response.json();
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "error without a message: {body}"
    );
}

#[track_caller]
fn assert_ok(response: &TestResponse, status: u16) -> Value {
    assert_eq!(
        response.status.as_u16(),
        status,
        "expected {status}, got: {}",
        response.text()
    );
    response.json()
}

/// The ids (as strings) of the JSON objects in an array.
fn ids(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// A refusal must not carry any of these (another tenant's names and ids).
#[track_caller]
fn assert_leaks_nothing(response: &TestResponse, secrets: &[&str]) {
    let text = response.text();
    for secret in secrets {
        assert!(!text.contains(secret), "response leaks {secret:?}: {text}");
    }
}

// ---- authentication ----

#[tokio::test]
async fn no_auth_gets_401_with_www_authenticate() {
    let w = World::new().await;
    let person = format!("/api/v1/tenants/nord/people/{}", w.other.id);
    for path in [
        "/api/v1/me",
        "/api/v1/tenants",
        "/api/v1/tenants/nord",
        "/api/v1/tenants/nord/people",
        person.as_str(),
        "/api/v1/tenants/nord/audit-log",
    ] {
        let response = w.get(path, &Auth::None).await;
        assert_error(&response, 401, "unauthenticated");
        let challenge = response
            .headers
            .get(header::WWW_AUTHENTICATE)
            .unwrap_or_else(|| panic!("{path}: 401 without WWW-Authenticate"))
            .to_str()
            .unwrap();
        assert!(challenge.starts_with("Basic "), "{path}: {challenge}");
        assert!(challenge.contains("realm="), "{path}: {challenge}");
        assert_leaks_nothing(&response, &["other@nord.de", &w.other.id.to_string()]);
    }
    let create = w
        .post(
            "/api/v1/tenants/nord/people",
            &Auth::None,
            json!({"display_name": "Eve"}),
        )
        .await;
    assert_error(&create, 401, "unauthenticated");
    assert!(create.headers.contains_key(header::WWW_AUTHENTICATE));
    assert_eq!(w.people_ids(&w.nord).await.len(), 7, "nobody was created");
    w.finish().await;
}

#[tokio::test]
async fn wrong_secret_or_forged_key_gets_401() {
    let w = World::new().await;
    let (_, good) = credential(&w.app, &w.nord, &[Scope::OrgRead]).await;
    let Auth::Basic { key, secret } = &good else {
        unreachable!()
    };
    assert_ok(&w.get("/api/v1/me", &good).await, 200);

    let mut wrong = secret.clone();
    wrong.replace_range(0..1, if wrong.starts_with('A') { "B" } else { "A" });
    let wrong_secret = Auth::Basic {
        key: key.clone(),
        secret: wrong,
    };
    let empty_secret = Auth::Basic {
        key: key.clone(),
        secret: String::new(),
    };
    // The key names the tenant; nord's credential id under sued's tenant id is no credential.
    let (_, credential_part) = key.split_once('.').unwrap();
    let forged = Auth::Basic {
        key: format!("{}.{credential_part}", w.sued.id.as_uuid().simple()),
        secret: secret.clone(),
    };
    // And sued's valid secret with nord's key is no credential either.
    let Auth::Basic {
        secret: sued_secret,
        ..
    } = &w.sued_credential_auth
    else {
        unreachable!()
    };
    let swapped = Auth::Basic {
        key: key.clone(),
        secret: sued_secret.clone(),
    };
    for auth in [wrong_secret, empty_secret, forged, swapped] {
        let response = w.get("/api/v1/tenants/nord/people", &auth).await;
        assert_error(&response, 401, "unauthenticated");
        assert!(response.headers.contains_key(header::WWW_AUTHENTICATE));
        assert_leaks_nothing(&response, &["admin@nord.de", "nord eG"]);
    }
    w.finish().await;
}

#[tokio::test]
async fn session_cookie_moved_to_another_tenant_gets_401() {
    let w = World::new().await;
    let session = w.login(&w.nord, "admin@nord.de").await;
    let me = assert_ok(&w.get("/api/v1/me", &session).await, 200);
    assert_eq!(me["person"]["id"], w.admin.id.to_string());
    assert_eq!(me["tenant"]["slug"], "nord");

    // The cookie is `<tenant>.<secret>`; the same secret claimed for sued is no session.
    let cookie = cookies(&session);
    let nord_prefix = format!("mycel_session={}.", w.nord.id.as_uuid().simple());
    assert!(cookie.contains(&nord_prefix), "{cookie}");
    let moved = Auth::Session(cookie.replace(
        &nord_prefix,
        &format!("mycel_session={}.", w.sued.id.as_uuid().simple()),
    ));
    let response = w.get("/api/v1/tenants/sued/people", &moved).await;
    assert_error(&response, 401, "unauthenticated");
    let response = w.get("/api/v1/me", &moved).await;
    assert_error(&response, 401, "unauthenticated");
    w.finish().await;
}

#[tokio::test]
async fn revoked_credential_gets_401() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let created = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/credentials",
            &admin,
            json!({"label": "HR sync", "scopes": ["org/read"]}),
        )
        .await,
        201,
    );
    let id = created["credential"]["id"].as_str().unwrap().to_owned();
    let client = Auth::Basic {
        key: created["credential"]["key"].as_str().unwrap().to_owned(),
        secret: created["secret"].as_str().unwrap().to_owned(),
    };
    let page = assert_ok(&w.get("/api/v1/tenants/nord/people", &client).await, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 7);

    let revoked = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/credentials/{id}/revoke"),
            &admin,
            json!({}),
        )
        .await,
        200,
    );
    assert_eq!(revoked["id"], id);
    assert_eq!(revoked["label"], "HR sync");
    let revoked_at = revoked["revoked_at"].as_str().expect("revoked_at is set");

    for path in ["/api/v1/me", "/api/v1/tenants/nord/people"] {
        let response = w.get(path, &client).await;
        assert_error(&response, 401, "unauthenticated");
        assert!(response.headers.contains_key(header::WWW_AUTHENTICATE));
    }

    // Revoking again keeps the first revocation; the listing shows it revoked, without secrets.
    let again = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/credentials/{id}/revoke"),
            &admin,
            json!({}),
        )
        .await,
        200,
    );
    assert_eq!(again["revoked_at"], revoked_at);
    let list = assert_ok(
        &w.get("/api/v1/tenants/nord/credentials", &admin).await,
        200,
    );
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("the revoked credential is listed");
    assert_eq!(listed["revoked_at"], revoked_at);
    assert!(!list
        .to_string()
        .contains(created["secret"].as_str().unwrap()));
    w.finish().await;
}

// ---- member companies ----

#[tokio::test]
async fn tenant_listing_shows_only_ones_own_tenant() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let list = assert_ok(&w.get("/api/v1/tenants", &admin).await, 200);
    assert_eq!(ids(&list), vec![w.nord.id.to_string()]);
    assert_eq!(list[0]["slug"], "nord");
    assert_eq!(list[0]["name"], "nord eG");

    let list = assert_ok(
        &w.get("/api/v1/tenants", &w.sued_credential_auth).await,
        200,
    );
    assert_eq!(ids(&list), vec![w.sued.id.to_string()]);

    let learner = w.login(&w.nord, "other@nord.de").await;
    let list = assert_ok(&w.get("/api/v1/tenants", &learner).await, 200);
    assert_eq!(ids(&list), vec![w.nord.id.to_string()]);

    let own = assert_ok(&w.get("/api/v1/tenants/nord", &learner).await, 200);
    assert_eq!(own["id"], w.nord.id.to_string());
    assert_eq!(own["min_group_size"], 5);
    w.finish().await;
}

#[tokio::test]
async fn only_network_admins_create_tenants() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let (_, all) = credential(&w.app, &w.nord, &[Scope::All]).await;
    for auth in [&admin, &all] {
        let response = w
            .post(
                "/api/v1/tenants",
                auth,
                json!({"slug": "west", "name": "West eG"}),
            )
            .await;
        assert_error(&response, 403, "forbidden");
    }
    let network = w.login(&w.nord, "network@nord.de").await;
    let list = assert_ok(&w.get("/api/v1/tenants", &network).await, 200);
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "no tenant was created: {list}"
    );

    let created = assert_ok(
        &w.post(
            "/api/v1/tenants",
            &network,
            json!({"slug": "west", "name": "West eG"}),
        )
        .await,
        201,
    );
    assert_eq!(created["slug"], "west");
    assert_eq!(created["name"], "West eG");
    let list = assert_ok(&w.get("/api/v1/tenants", &network).await, 200);
    let slugs: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["nord", "sued", "west"]);
    w.finish().await;
}

#[tokio::test]
async fn another_tenants_slug_is_not_found() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let (_, nord_all) = credential(&w.app, &w.nord, &[Scope::All]).await;
    let person = w.sued_person.id;
    let unit = w.sued_unit.id;
    let role = w.sued_role.id;
    let cred = w.sued_credential;
    let reads = [
        "/api/v1/tenants/{t}".to_owned(),
        "/api/v1/tenants/{t}/org-units".to_owned(),
        format!("/api/v1/tenants/{{t}}/org-units/{unit}"),
        "/api/v1/tenants/{t}/people".to_owned(),
        format!("/api/v1/tenants/{{t}}/people/{person}"),
        format!("/api/v1/tenants/{{t}}/people/{person}/roles"),
        format!("/api/v1/tenants/{{t}}/people/{person}/access"),
        "/api/v1/tenants/{t}/roles".to_owned(),
        format!("/api/v1/tenants/{{t}}/roles/{role}"),
        "/api/v1/tenants/{t}/credentials".to_owned(),
        "/api/v1/tenants/{t}/audit-log".to_owned(),
    ];
    let writes = [
        (
            "/api/v1/tenants/{t}/org-units".to_owned(),
            json!({"name": "Fremd"}),
        ),
        (
            "/api/v1/tenants/{t}/people".to_owned(),
            json!({"display_name": "Eve"}),
        ),
        (
            format!("/api/v1/tenants/{{t}}/people/{person}/roles"),
            json!({"role_id": role, "kind": "current"}),
        ),
        (
            format!("/api/v1/tenants/{{t}}/people/{person}/access"),
            json!({"role": "tenant-admin"}),
        ),
        (
            "/api/v1/tenants/{t}/roles".to_owned(),
            json!({"name": "Fremd"}),
        ),
        (
            "/api/v1/tenants/{t}/credentials".to_owned(),
            json!({"label": "Fremd", "scopes": ["all"]}),
        ),
        (
            format!("/api/v1/tenants/{{t}}/credentials/{cred}/revoke"),
            json!({}),
        ),
    ];
    let secrets = [
        "sued eG",
        "anna@sued.de",
        "Fahrer/in",
        &w.sued.id.to_string(),
    ];
    for auth in [&admin, &nord_all] {
        for path in &reads {
            let other = w.get(&path.replace("{t}", "sued"), auth).await;
            assert_error(&other, 404, "not_found");
            assert_leaks_nothing(&other, &secrets);
            // Indistinguishable from a tenant that does not exist.
            let missing = w.get(&path.replace("{t}", "gibt-es-nicht"), auth).await;
            assert_error(&missing, 404, "not_found");
            assert_eq!(other.json(), missing.json(), "{path}");
        }
        for (path, body) in &writes {
            let other = w
                .post(&path.replace("{t}", "sued"), auth, body.clone())
                .await;
            assert_error(&other, 404, "not_found");
            assert_leaks_nothing(&other, &secrets);
        }
    }
    // Nothing was written in sued: the same people, grants, and the credential still works.
    assert_eq!(w.people_ids(&w.sued).await.len(), 2);
    let access = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/sued/people/{person}/access"),
            &w.sued_credential_auth,
        )
        .await,
        200,
    );
    assert_eq!(access, json!([]));
    let units = assert_ok(
        &w.get("/api/v1/tenants/sued/org-units", &w.sued_credential_auth)
            .await,
        200,
    );
    assert_eq!(ids(&units), vec![w.sued_unit.id.to_string()]);
    let roles = assert_ok(
        &w.get("/api/v1/tenants/sued/roles", &w.sued_credential_auth)
            .await,
        200,
    );
    assert_eq!(ids(&roles), vec![w.sued_role.id.to_string()]);
    let grants = w
        .app
        .store
        .access_grants(TenantScope::system(w.sued.id), w.sued_person.id)
        .await
        .unwrap();
    assert!(grants.is_empty(), "{grants:?}");
    w.finish().await;
}

// ---- org units ----

#[tokio::test]
async fn another_tenants_org_unit_is_not_found_under_ones_own_path() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let response = w
        .get(
            &format!("/api/v1/tenants/nord/org-units/{}", w.sued_unit.id),
            &admin,
        )
        .await;
    assert_error(&response, 404, "not_found");
    assert_leaks_nothing(&response, &["Sued"]);

    let own = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/org-units/{}", w.filiale.id),
            &admin,
        )
        .await,
        200,
    );
    assert_eq!(own["name"], "Filiale 12");
    assert_eq!(own["parent_id"], w.region_a.id.to_string());

    let list = assert_ok(&w.get("/api/v1/tenants/nord/org-units", &admin).await, 200);
    let mut listed = ids(&list);
    listed.sort();
    let mut expected: Vec<_> = [&w.root, &w.region_a, &w.filiale, &w.region_b]
        .iter()
        .map(|u| u.id.to_string())
        .collect();
    expected.sort();
    assert_eq!(listed, expected);

    // Another tenant's unit as the parent of a new one is not a unit of this company.
    let response = w
        .post(
            "/api/v1/tenants/nord/org-units",
            &admin,
            json!({"name": "Unterwandert", "parent_id": w.sued_unit.id}),
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "parent_id");
    let list = assert_ok(&w.get("/api/v1/tenants/nord/org-units", &admin).await, 200);
    assert_eq!(list.as_array().unwrap().len(), 4);
    let sued_units = w
        .app
        .store
        .list_org_units(TenantScope::system(w.sued.id))
        .await
        .unwrap();
    assert_eq!(sued_units.len(), 1);
    w.finish().await;
}

#[tokio::test]
async fn lnd_admin_creates_org_units_inside_their_subtree_only() {
    let w = World::new().await;
    let lnd = w.login(&w.nord, "lnd@nord.de").await;
    for (parent, name) in [(&w.region_a, "Filiale 13"), (&w.filiale, "Backshop")] {
        let created = assert_ok(
            &w.post(
                "/api/v1/tenants/nord/org-units",
                &lnd,
                json!({"name": name, "parent_id": parent.id}),
            )
            .await,
            201,
        );
        assert_eq!(created["name"], name);
        assert_eq!(created["parent_id"], parent.id.to_string());
    }
    for body in [
        json!({"name": "Filiale 20", "parent_id": w.region_b.id}),
        json!({"name": "Region C", "parent_id": w.root.id}),
        json!({"name": "Neue Wurzel"}),
    ] {
        let response = w.post("/api/v1/tenants/nord/org-units", &lnd, body).await;
        assert_error(&response, 403, "forbidden");
    }
    let units = assert_ok(&w.get("/api/v1/tenants/nord/org-units", &lnd).await, 200);
    let names: Vec<_> = units
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Backshop",
            "Filiale 12",
            "Filiale 13",
            "Nord",
            "Region A",
            "Region B"
        ]
    );
    w.finish().await;
}

#[tokio::test]
async fn learners_and_managers_see_the_structure_but_cannot_change_it() {
    let w = World::new().await;
    for email in ["other@nord.de", "boss@nord.de", "privacy@nord.de"] {
        let auth = w.login(&w.nord, email).await;
        let units = assert_ok(&w.get("/api/v1/tenants/nord/org-units", &auth).await, 200);
        assert_eq!(units.as_array().unwrap().len(), 4, "{email}");
        let unit = assert_ok(
            &w.get(
                &format!("/api/v1/tenants/nord/org-units/{}", w.region_b.id),
                &auth,
            )
            .await,
            200,
        );
        assert_eq!(unit["name"], "Region B");
        let roles = assert_ok(&w.get("/api/v1/tenants/nord/roles", &auth).await, 200);
        assert_eq!(ids(&roles), vec![w.nord_role.id.to_string()], "{email}");
        for parent in [Some(w.region_b.id), None] {
            let response = w
                .post(
                    "/api/v1/tenants/nord/org-units",
                    &auth,
                    json!({"name": "Schattenabteilung", "parent_id": parent}),
                )
                .await;
            assert_error(&response, 403, "forbidden");
        }
        let response = w
            .post(
                "/api/v1/tenants/nord/roles",
                &auth,
                json!({"name": "Chef/in"}),
            )
            .await;
        assert_error(&response, 403, "forbidden");
    }
    let units = w
        .app
        .store
        .list_org_units(TenantScope::system(w.nord.id))
        .await
        .unwrap();
    assert_eq!(units.len(), 4);
    w.finish().await;
}

// ---- people ----

#[tokio::test]
async fn tenant_admin_creates_and_lists_in_own_tenant() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let unit = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/org-units",
            &admin,
            json!({"name": "Filiale 30", "parent_id": w.region_b.id}),
        )
        .await,
        201,
    );
    let unit_id = unit["id"].as_str().unwrap();
    let person = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/people",
            &admin,
            json!({
                "display_name": "Berta Brandt",
                "email": "Berta@Nord.de",
                "org_unit_id": unit_id,
                "manager_id": w.boss.id,
                "locale": "de"
            }),
        )
        .await,
        201,
    );
    assert_eq!(person["display_name"], "Berta Brandt");
    assert_eq!(person["email"], "berta@nord.de");
    assert_eq!(person["org_unit_id"], unit_id);
    assert_eq!(person["manager_id"], w.boss.id.to_string());
    let person_id = person["id"].as_str().unwrap().to_owned();

    let role = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/roles",
            &admin,
            json!({"name": "Filialleiter/in", "description": "Leitet eine Filiale"}),
        )
        .await,
        201,
    );
    let role_id = role["id"].as_str().unwrap().to_owned();
    let assignment = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/people/{person_id}/roles"),
            &admin,
            json!({"role_id": role_id, "kind": "aspired"}),
        )
        .await,
        200,
    );
    assert_eq!(assignment["role_id"], role_id);
    assert_eq!(assignment["kind"], "aspired");
    let grants = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/people/{person_id}/access"),
            &admin,
            json!({"role": "lnd-admin", "org_unit_id": unit_id}),
        )
        .await,
        200,
    );
    assert_eq!(
        grants,
        json!([{"role": "lnd-admin", "org_unit_id": unit_id}])
    );

    let page = assert_ok(&w.get("/api/v1/tenants/nord/people", &admin).await, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 8);
    assert!(ids(&page["items"]).contains(&person_id));
    assert!(!ids(&page["items"]).contains(&w.sued_person.id.to_string()));
    assert_eq!(page["next_after"], Value::Null);
    let in_unit = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people?org_unit={}", w.region_b.id),
            &admin,
        )
        .await,
        200,
    );
    let mut in_b = ids(&in_unit["items"]);
    in_b.sort();
    let mut expected = vec![
        w.boss.id.to_string(),
        w.report.id.to_string(),
        person_id.clone(),
    ];
    expected.sort();
    assert_eq!(in_b, expected);
    let roles = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{person_id}/roles"),
            &admin,
        )
        .await,
        200,
    );
    assert_eq!(roles[0]["role_id"], role_id);
    let creds = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/credentials",
            &admin,
            json!({"label": "LMS", "scopes": ["statements/write"]}),
        )
        .await,
        201,
    );
    assert_eq!(creds["credential"]["scopes"], json!(["statements/write"]));
    let list = assert_ok(
        &w.get("/api/v1/tenants/nord/credentials", &admin).await,
        200,
    );
    assert_eq!(
        ids(&list),
        vec![creds["credential"]["id"].as_str().unwrap()]
    );
    w.finish().await;
}

#[tokio::test]
async fn another_tenants_person_is_not_found_under_ones_own_path() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let anna = w.sued_person.id;
    for path in [
        format!("/api/v1/tenants/nord/people/{anna}"),
        format!("/api/v1/tenants/nord/people/{anna}/roles"),
        format!("/api/v1/tenants/nord/people/{anna}/access"),
    ] {
        let response = w.get(&path, &admin).await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &["anna@sued.de", "anna"]);
    }
    let page = assert_ok(&w.get("/api/v1/tenants/nord/people", &admin).await, 200);
    assert!(!ids(&page["items"]).contains(&anna.to_string()));
    assert!(!page.to_string().contains("sued.de"));
    // Listing by another tenant's unit: no such unit here.
    let response = w
        .get(
            &format!("/api/v1/tenants/nord/people?org_unit={}", w.sued_unit.id),
            &admin,
        )
        .await;
    assert_error(&response, 404, "not_found");
    // Paging after another tenant's person still only pages through nord.
    let page = assert_ok(
        &w.get(&format!("/api/v1/tenants/nord/people?after={anna}"), &admin)
            .await,
        200,
    );
    assert!(!page.to_string().contains("sued.de"));
    // Another tenant's person as manager of a new person: not a person of this company.
    let response = w
        .post(
            "/api/v1/tenants/nord/people",
            &admin,
            json!({"display_name": "Eve", "manager_id": anna}),
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "manager_id");
    let response = w
        .post(
            "/api/v1/tenants/nord/people",
            &admin,
            json!({"display_name": "Eve", "org_unit_id": w.sued_unit.id}),
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "org_unit_id");
    assert_eq!(w.people_ids(&w.nord).await.len(), 7);

    // The owner does see her.
    let sued_admin = w.login(&w.sued, "admin@sued.de").await;
    let anna_json = assert_ok(
        &w.get(&format!("/api/v1/tenants/sued/people/{anna}"), &sued_admin)
            .await,
        200,
    );
    assert_eq!(anna_json["email"], "anna@sued.de");
    w.finish().await;
}

#[tokio::test]
async fn lnd_admin_manages_people_inside_their_subtree_only() {
    let w = World::new().await;
    let lnd = w.login(&w.nord, "lnd@nord.de").await;
    let created = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/people",
            &lnd,
            json!({"display_name": "Carla Neu", "org_unit_id": w.filiale.id}),
        )
        .await,
        201,
    );
    assert_eq!(created["display_name"], "Carla Neu");
    assert_eq!(created["org_unit_id"], w.filiale.id.to_string());
    let carla = created["id"].as_str().unwrap().to_owned();

    for body in [
        json!({"display_name": "Dora Draussen", "org_unit_id": w.region_b.id}),
        json!({"display_name": "Dora Draussen", "org_unit_id": w.root.id}),
        json!({"display_name": "Dora Draussen"}),
    ] {
        let response = w.post("/api/v1/tenants/nord/people", &lnd, body).await;
        assert_error(&response, 403, "forbidden");
    }
    assert_eq!(
        w.people_ids(&w.nord).await.len(),
        8,
        "only Carla was created"
    );

    // Reading: inside yes, outside no (as if the person did not exist).
    let seen = assert_ok(
        &w.get(&format!("/api/v1/tenants/nord/people/{}", w.other.id), &lnd)
            .await,
        200,
    );
    assert_eq!(seen["email"], "other@nord.de");
    for outside in [w.report.id, w.boss.id, w.admin.id] {
        let response = w
            .get(&format!("/api/v1/tenants/nord/people/{outside}"), &lnd)
            .await;
        assert_error(&response, 404, "not_found");
    }
    // Listing: their subtree yes; the whole tenant or another subtree no.
    let page = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people?org_unit={}", w.region_a.id),
            &lnd,
        )
        .await,
        200,
    );
    let mut listed = ids(&page["items"]);
    listed.sort();
    let mut expected = vec![w.lnd.id.to_string(), w.other.id.to_string(), carla.clone()];
    expected.sort();
    assert_eq!(listed, expected);
    for path in [
        "/api/v1/tenants/nord/people".to_owned(),
        format!("/api/v1/tenants/nord/people?org_unit={}", w.region_b.id),
        format!("/api/v1/tenants/nord/people?org_unit={}", w.root.id),
    ] {
        assert_error(&w.get(&path, &lnd).await, 403, "forbidden");
    }
    // Role assignments: inside yes, outside not found.
    let assigned = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/people/{carla}/roles"),
            &lnd,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await,
        200,
    );
    assert_eq!(assigned["role_id"], w.nord_role.id.to_string());
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.report.id),
            &lnd,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 404, "not_found");
    let report_roles = w
        .app
        .store
        .role_assignments(TenantScope::system(w.nord.id), w.report.id)
        .await
        .unwrap();
    assert!(report_roles.is_empty());
    w.finish().await;
}

#[tokio::test]
async fn manager_reads_their_direct_report_but_no_one_else() {
    let w = World::new().await;
    let boss = w.login(&w.nord, "boss@nord.de").await;
    let report = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.report.id),
            &boss,
        )
        .await,
        200,
    );
    assert_eq!(report["id"], w.report.id.to_string());
    assert_eq!(report["email"], "report@nord.de");
    assert_eq!(report["manager_id"], w.boss.id.to_string());
    let roles = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.report.id),
            &boss,
        )
        .await,
        200,
    );
    assert_eq!(roles, json!([]));
    let me = assert_ok(
        &w.get(&format!("/api/v1/tenants/nord/people/{}", w.boss.id), &boss)
            .await,
        200,
    );
    assert_eq!(me["email"], "boss@nord.de");

    for stranger in [w.other.id, w.admin.id, w.lnd.id] {
        for suffix in ["", "/roles", "/access"] {
            let response = w
                .get(
                    &format!("/api/v1/tenants/nord/people/{stranger}{suffix}"),
                    &boss,
                )
                .await;
            assert_error(&response, 404, "not_found");
            assert_eq!(response.json()["error"]["message"], "person not found");
        }
    }
    assert_error(
        &w.get("/api/v1/tenants/nord/people", &boss).await,
        403,
        "forbidden",
    );
    assert_error(
        &w.get(
            &format!("/api/v1/tenants/nord/people?org_unit={}", w.region_b.id),
            &boss,
        )
        .await,
        403,
        "forbidden",
    );
    // Seeing is not managing.
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.report.id),
            &boss,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    w.finish().await;
}

#[tokio::test]
async fn learner_reads_only_themself() {
    let w = World::new().await;
    let learner = w.login(&w.nord, "other@nord.de").await;
    let me = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.other.id),
            &learner,
        )
        .await,
        200,
    );
    assert_eq!(me["email"], "other@nord.de");
    assert_eq!(me["org_unit_id"], w.filiale.id.to_string());
    let access = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}/access", w.other.id),
            &learner,
        )
        .await,
        200,
    );
    assert_eq!(access, json!([]));
    for someone in [w.report.id, w.boss.id, w.admin.id, w.sued_person.id] {
        let response = w
            .get(&format!("/api/v1/tenants/nord/people/{someone}"), &learner)
            .await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &["@nord.de", "@sued.de"]);
    }
    assert_error(
        &w.get("/api/v1/tenants/nord/people", &learner).await,
        403,
        "forbidden",
    );
    let response = w
        .post(
            "/api/v1/tenants/nord/people",
            &learner,
            json!({"display_name": "Erfunden", "org_unit_id": w.filiale.id}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    // Not even their own role assignments.
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.other.id),
            &learner,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    assert_eq!(w.people_ids(&w.nord).await.len(), 7);
    w.finish().await;
}

#[tokio::test]
async fn changing_people_follows_the_same_rules() {
    let w = World::new().await;
    let patch = |path: String, auth: Auth, body: Value| {
        let request = TestApp::request(Method::PATCH, &path, &auth)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        w.app.send(request)
    };
    let person = |id: mycel_organisation::PersonId| format!("/api/v1/tenants/nord/people/{id}");
    let admin = w.login(&w.nord, "admin@nord.de").await;
    // Another tenant's person, by either path.
    for path in [
        person(w.sued_person.id),
        format!("/api/v1/tenants/sued/people/{}", w.sued_person.id),
    ] {
        let response = patch(path, admin.clone(), json!({"display_name": "Gekapert"})).await;
        assert_error(&response, 404, "not_found");
    }
    let anna = w
        .app
        .store
        .person(TenantScope::system(w.sued.id), w.sued_person.id)
        .await
        .unwrap();
    assert_eq!(anna.display_name, "anna");
    // Another tenant's person as manager.
    let response = patch(
        person(w.other.id),
        admin.clone(),
        json!({"manager_id": w.sued_person.id}),
    )
    .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "manager_id");

    // Learners and managers may see, not change.
    let learner = w.login(&w.nord, "other@nord.de").await;
    let response = patch(person(w.other.id), learner, json!({"locale": "en"})).await;
    assert_error(&response, 403, "forbidden");
    let boss = w.login(&w.nord, "boss@nord.de").await;
    let response = patch(
        person(w.report.id),
        boss.clone(),
        json!({"display_name": "X"}),
    )
    .await;
    assert_error(&response, 403, "forbidden");
    let response = patch(person(w.other.id), boss, json!({"display_name": "X"})).await;
    assert_error(&response, 404, "not_found");

    // The subtree's L&D admin: inside yes, not out of it, and nobody outside.
    let lnd = w.login(&w.nord, "lnd@nord.de").await;
    let moved = patch(
        person(w.other.id),
        lnd.clone(),
        json!({"org_unit_id": w.region_a.id, "display_name": "Olga Other"}),
    )
    .await;
    let moved = assert_ok(&moved, 200);
    assert_eq!(moved["display_name"], "Olga Other");
    assert_eq!(moved["org_unit_id"], w.region_a.id.to_string());
    for body in [
        json!({"org_unit_id": w.region_b.id}),
        json!({"org_unit_id": null}),
    ] {
        let response = patch(person(w.other.id), lnd.clone(), body).await;
        assert_error(&response, 403, "forbidden");
    }
    let response = patch(
        person(w.report.id),
        lnd.clone(),
        json!({"display_name": "X"}),
    )
    .await;
    assert_error(&response, 404, "not_found");

    // Credentials: org/read no, org/write yes.
    let (_, reader) = credential(&w.app, &w.nord, &[Scope::OrgRead]).await;
    let response = patch(person(w.report.id), reader, json!({"locale": "de"})).await;
    assert_error(&response, 403, "forbidden");
    let (_, writer) = credential(&w.app, &w.nord, &[Scope::OrgWrite]).await;
    let changed = assert_ok(
        &patch(person(w.report.id), writer, json!({"locale": "de"})).await,
        200,
    );
    assert_eq!(changed["locale"], "de");
    assert_eq!(changed["manager_id"], w.boss.id.to_string());

    let scope = TenantScope::system(w.nord.id);
    let other = w.app.store.person(scope, w.other.id).await.unwrap();
    assert_eq!(other.org_unit_id, Some(w.region_a.id));
    assert_eq!(other.manager_id, None);
    assert_eq!(other.locale, None);
    let report = w.app.store.person(scope, w.report.id).await.unwrap();
    assert_eq!(report.display_name, "report");
    w.finish().await;
}

// ---- role assignments ----

#[tokio::test]
async fn role_assignments_stay_inside_the_tenant() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    // Another tenant's role for one of ours: not a role of this company.
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.other.id),
            &admin,
            json!({"role_id": w.sued_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "role_id");
    // Our role for another tenant's person: no such person here.
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.sued_person.id),
            &admin,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 404, "not_found");
    let response = w
        .get(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.sued_person.id),
            &admin,
        )
        .await;
    assert_error(&response, 404, "not_found");
    for person in [&w.other, &w.sued_person] {
        let tenant = if person.id == w.other.id {
            &w.nord
        } else {
            &w.sued
        };
        let held = w
            .app
            .store
            .role_assignments(TenantScope::system(tenant.id), person.id)
            .await
            .unwrap();
        assert!(held.is_empty(), "{held:?}");
    }
    // The permitted assignment works and is read back.
    let assigned = assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.other.id),
            &admin,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await,
        200,
    );
    assert_eq!(assigned["kind"], "current");
    let roles = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.other.id),
            &admin,
        )
        .await,
        200,
    );
    assert_eq!(roles.as_array().unwrap().len(), 1);
    assert_eq!(roles[0]["role_id"], w.nord_role.id.to_string());
    w.finish().await;
}

// ---- access grants ----

#[tokio::test]
async fn only_tenant_admins_grant_access_and_never_network_admin() {
    let w = World::new().await;
    let path = format!("/api/v1/tenants/nord/people/{}/access", w.other.id);
    // A learner granting themself more, an L&D admin and a manager granting: refused.
    for email in [
        "other@nord.de",
        "lnd@nord.de",
        "boss@nord.de",
        "privacy@nord.de",
    ] {
        let auth = w.login(&w.nord, email).await;
        for role in ["tenant-admin", "lnd-admin", "privacy-officer"] {
            let response = w.post(&path, &auth, json!({"role": role})).await;
            assert_error(&response, 403, "forbidden");
        }
    }
    let (_, writer) = credential(&w.app, &w.nord, &[Scope::All, Scope::OrgWrite]).await;
    let response = w
        .post(&path, &writer, json!({"role": "tenant-admin"}))
        .await;
    assert_error(&response, 403, "forbidden");
    let learner = w.login(&w.nord, "other@nord.de").await;
    let me = assert_ok(&w.get("/api/v1/me", &learner).await, 200);
    assert_eq!(
        me["access"],
        json!([{"role": "learner", "org_unit_id": null}])
    );

    let admin = w.login(&w.nord, "admin@nord.de").await;
    let response = w
        .post(&path, &admin, json!({"role": "network-admin"}))
        .await;
    assert_error(&response, 403, "forbidden");
    // Another tenant's unit as the grant's subtree, another tenant's person: refused.
    let response = w
        .post(
            &path,
            &admin,
            json!({"role": "lnd-admin", "org_unit_id": w.sued_unit.id}),
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(response.json()["error"]["field"], "org_unit_id");
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/access", w.sued_person.id),
            &admin,
            json!({"role": "lnd-admin"}),
        )
        .await;
    assert_error(&response, 404, "not_found");
    let grants = w
        .app
        .store
        .access_grants(TenantScope::system(w.nord.id), w.other.id)
        .await
        .unwrap();
    assert!(grants.is_empty(), "{grants:?}");

    // The permitted grant takes effect on the grantee's next request.
    let granted = assert_ok(
        &w.post(
            &path,
            &admin,
            json!({"role": "lnd-admin", "org_unit_id": w.filiale.id}),
        )
        .await,
        200,
    );
    assert_eq!(
        granted,
        json!([{"role": "lnd-admin", "org_unit_id": w.filiale.id.to_string()}])
    );
    let me = assert_ok(&w.get("/api/v1/me", &learner).await, 200);
    assert!(me["access"]
        .as_array()
        .unwrap()
        .contains(&json!({"role": "lnd-admin", "org_unit_id": w.filiale.id.to_string()})));
    let page = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people?org_unit={}", w.filiale.id),
            &learner,
        )
        .await,
        200,
    );
    assert_eq!(ids(&page["items"]), vec![w.other.id.to_string()]);
    // And reading someone's grants: the admin yes, a stranger no.
    let read = assert_ok(&w.get(&path, &admin).await, 200);
    assert_eq!(read, granted);
    let boss = w.login(&w.nord, "boss@nord.de").await;
    assert_error(&w.get(&path, &boss).await, 404, "not_found");
    w.finish().await;
}

// ---- roles ----

#[tokio::test]
async fn roles_cross_tenant_and_role() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let response = w
        .get(
            &format!("/api/v1/tenants/nord/roles/{}", w.sued_role.id),
            &admin,
        )
        .await;
    assert_error(&response, 404, "not_found");
    assert_leaks_nothing(&response, &["Fahrer/in"]);
    let own = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/roles/{}", w.nord_role.id),
            &admin,
        )
        .await,
        200,
    );
    assert_eq!(own["name"], "Verkäufer/in");

    // Any L&D admin manages job profiles, even one of a subtree.
    let lnd = w.login(&w.nord, "lnd@nord.de").await;
    let created = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/roles",
            &lnd,
            json!({"name": "Fleischer/in"}),
        )
        .await,
        201,
    );
    assert_eq!(created["name"], "Fleischer/in");
    let (_, reader) = credential(&w.app, &w.nord, &[Scope::OrgRead]).await;
    let response = w
        .post(
            "/api/v1/tenants/nord/roles",
            &reader,
            json!({"name": "Bäcker/in"}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    let list = assert_ok(&w.get("/api/v1/tenants/nord/roles", &reader).await, 200);
    let names: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Fleischer/in", "Verkäufer/in"]);
    let sued_roles = w
        .app
        .store
        .list_roles(TenantScope::system(w.sued.id))
        .await
        .unwrap();
    assert_eq!(sued_roles.len(), 1);
    w.finish().await;
}

// ---- API credentials ----

#[tokio::test]
async fn credentials_are_managed_by_tenant_admins_only() {
    let w = World::new().await;
    let (nord_cred, nord_client) = credential(&w.app, &w.nord, &[Scope::All]).await;
    let revoke_own = format!("/api/v1/tenants/nord/credentials/{nord_cred}/revoke");
    let mut refused = vec![nord_client.clone()];
    for email in [
        "other@nord.de",
        "lnd@nord.de",
        "boss@nord.de",
        "privacy@nord.de",
    ] {
        refused.push(w.login(&w.nord, email).await);
    }
    for auth in &refused {
        assert_error(
            &w.get("/api/v1/tenants/nord/credentials", auth).await,
            403,
            "forbidden",
        );
        let response = w
            .post(
                "/api/v1/tenants/nord/credentials",
                auth,
                json!({"label": "Hintertür", "scopes": ["all"]}),
            )
            .await;
        assert_error(&response, 403, "forbidden");
        assert_leaks_nothing(&response, &["secret"]);
        assert_error(
            &w.post(&revoke_own, auth, json!({})).await,
            403,
            "forbidden",
        );
    }
    // The credential survived all of it.
    assert_ok(&w.get("/api/v1/me", &nord_client).await, 200);

    let admin = w.login(&w.nord, "admin@nord.de").await;
    let list = assert_ok(
        &w.get("/api/v1/tenants/nord/credentials", &admin).await,
        200,
    );
    assert_eq!(ids(&list), vec![nord_cred.to_string()]);
    assert!(list[0].get("secret").is_none() && list[0].get("secret_hash").is_none());
    assert_eq!(list[0]["scopes"], json!(["all"]));

    // Another tenant's credential under our path: not found, and it keeps working.
    let response = w
        .post(
            &format!(
                "/api/v1/tenants/nord/credentials/{}/revoke",
                w.sued_credential
            ),
            &admin,
            json!({}),
        )
        .await;
    assert_error(&response, 404, "not_found");
    let me = assert_ok(&w.get("/api/v1/me", &w.sued_credential_auth).await, 200);
    assert_eq!(me["tenant"]["slug"], "sued");
    let sued_creds = w
        .app
        .store
        .list_api_credentials(TenantScope::system(w.sued.id))
        .await
        .unwrap();
    assert!(sued_creds[0].revoked_at.is_none());

    let revoked = assert_ok(&w.post(&revoke_own, &admin, json!({})).await, 200);
    assert_eq!(revoked["id"], nord_cred.to_string());
    assert_error(
        &w.get("/api/v1/me", &nord_client).await,
        401,
        "unauthenticated",
    );
    w.finish().await;
}

// ---- the audit log ----

#[tokio::test]
async fn privacy_officer_sees_who_read_whose_data_and_why() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let read = w
        .get_with_purpose(
            &format!("/api/v1/tenants/nord/people/{}", w.report.id),
            &admin,
            "Jahresgespraech vorbereiten",
        )
        .await;
    assert_eq!(assert_ok(&read, 200)["email"], "report@nord.de");
    assert_ok(&w.get("/api/v1/tenants/nord/people", &admin).await, 200);
    let (client_id, client) = credential(&w.app, &w.nord, &[Scope::OrgRead]).await;
    assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.other.id),
            &client,
        )
        .await,
        200,
    );
    // A learner reading their own data is not access to someone else's.
    let learner = w.login(&w.nord, "other@nord.de").await;
    assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.other.id),
            &learner,
        )
        .await,
        200,
    );
    // A refused read is not an access either.
    let boss = w.login(&w.nord, "boss@nord.de").await;
    assert_error(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.other.id),
            &boss,
        )
        .await,
        404,
        "not_found",
    );

    let privacy = w.login(&w.nord, "privacy@nord.de").await;
    let log = assert_ok(
        &w.get("/api/v1/tenants/nord/audit-log", &privacy).await,
        200,
    );
    let entries = log.as_array().unwrap();
    let summary: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e["actor_kind"].as_str().unwrap(),
                e["actor_id"].as_str().unwrap(),
                e["subject_id"].as_str(),
                e["action"].as_str().unwrap(),
                e["purpose"].as_str().unwrap(),
            )
        })
        .collect();
    let (admin_id, report_id, other_id) = (
        w.admin.id.to_string(),
        w.report.id.to_string(),
        w.other.id.to_string(),
    );
    let client_id = client_id.to_string();
    // Newest first.
    assert_eq!(
        summary,
        vec![
            (
                "credential",
                client_id.as_str(),
                Some(other_id.as_str()),
                "person.read",
                "system integration"
            ),
            (
                "person",
                admin_id.as_str(),
                None,
                "people.list",
                "administration"
            ),
            (
                "person",
                admin_id.as_str(),
                Some(report_id.as_str()),
                "person.read",
                "Jahresgespraech vorbereiten"
            ),
        ]
    );
    // The privacy officer's own reads are recorded too.
    let own_read = w
        .get_with_purpose(
            &format!("/api/v1/tenants/nord/people/{}", w.boss.id),
            &privacy,
            "Auskunftsersuchen",
        )
        .await;
    assert_eq!(assert_ok(&own_read, 200)["email"], "boss@nord.de");
    let log = assert_ok(
        &w.get("/api/v1/tenants/nord/audit-log?limit=1", &privacy)
            .await,
        200,
    );
    assert_eq!(log[0]["actor_id"], w.privacy.id.to_string());
    assert_eq!(log[0]["subject_id"], w.boss.id.to_string());
    assert_eq!(log[0]["purpose"], "Auskunftsersuchen");
    // Filtered by subject.
    let about_report = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/audit-log?subject={report_id}"),
            &privacy,
        )
        .await,
        200,
    );
    assert_eq!(about_report.as_array().unwrap().len(), 1);
    assert_eq!(about_report[0]["purpose"], "Jahresgespraech vorbereiten");
    // Paged.
    let first = assert_ok(
        &w.get("/api/v1/tenants/nord/audit-log?limit=1", &privacy)
            .await,
        200,
    );
    assert_eq!(first.as_array().unwrap().len(), 1);
    assert_eq!(first[0]["purpose"], "Auskunftsersuchen");
    let next = assert_ok(
        &w.get(
            &format!(
                "/api/v1/tenants/nord/audit-log?before={}",
                first[0]["id"].as_str().unwrap()
            ),
            &privacy,
        )
        .await,
        200,
    );
    assert_eq!(next.as_array().unwrap().len(), 3);
    assert_eq!(next[0]["actor_kind"], "credential");
    assert_eq!(next[1]["action"], "people.list");
    w.finish().await;
}

#[tokio::test]
async fn audit_log_is_refused_to_everyone_else() {
    let w = World::new().await;
    let sued_admin = w.login(&w.sued, "admin@sued.de").await;
    // An access in sued, which nord's privacy officer must never see.
    assert_ok(
        &w.get_with_purpose(
            &format!("/api/v1/tenants/sued/people/{}", w.sued_person.id),
            &sued_admin,
            "Sued intern",
        )
        .await,
        200,
    );
    let (_, all) = credential(&w.app, &w.nord, &[Scope::All]).await;
    let mut refused = vec![all];
    for email in [
        "admin@nord.de",
        "lnd@nord.de",
        "boss@nord.de",
        "other@nord.de",
    ] {
        refused.push(w.login(&w.nord, email).await);
    }
    for auth in &refused {
        assert_error(
            &w.get("/api/v1/tenants/nord/audit-log", auth).await,
            403,
            "forbidden",
        );
    }
    assert_error(
        &w.get("/api/v1/tenants/sued/audit-log", &sued_admin).await,
        403,
        "forbidden",
    );
    let privacy = w.login(&w.nord, "privacy@nord.de").await;
    let response = w.get("/api/v1/tenants/sued/audit-log", &privacy).await;
    assert_error(&response, 404, "not_found");
    assert_leaks_nothing(&response, &["Sued intern"]);
    let own = assert_ok(
        &w.get("/api/v1/tenants/nord/audit-log", &privacy).await,
        200,
    );
    assert_eq!(own, json!([]), "nord's log has none of sued's entries");
    let response = w
        .get(
            &format!(
                "/api/v1/tenants/nord/audit-log?subject={}",
                w.sued_person.id
            ),
            &privacy,
        )
        .await;
    assert_eq!(assert_ok(&response, 200), json!([]));
    // The entry does exist, in sued's log.
    let sued_log = w
        .app
        .store
        .list_audit(
            TenantScope::system(w.sued.id),
            mycel_store::AuditQuery {
                subject: None,
                before: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert_eq!(sued_log.len(), 1);
    assert_eq!(sued_log[0].purpose, "Sued intern");
    w.finish().await;
}

#[tokio::test]
async fn purpose_with_umlauts_is_recorded_as_given_or_refused() {
    let w = World::new().await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let request = TestApp::request(
        Method::GET,
        &format!("/api/v1/tenants/nord/people/{}", w.report.id),
        &admin,
    )
    .header(
        "x-mycel-purpose",
        axum::http::HeaderValue::from_bytes("Prüfung der Schulungspflicht".as_bytes()).unwrap(),
    )
    .body(Body::empty())
    .unwrap();
    let response = w.app.send(request).await;
    let log = w
        .app
        .store
        .list_audit(
            TenantScope::system(w.nord.id),
            mycel_store::AuditQuery {
                subject: None,
                before: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    if response.status == StatusCode::OK {
        // Read: then the audit log must say why, as the caller said it.
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].purpose, "Prüfung der Schulungspflicht");
    } else {
        // Or refused as a bad request, and then nothing was read.
        assert_error(&response, 400, "bad_request");
        assert!(log.is_empty());
    }
    w.finish().await;
}

// ---- the network admin ----

#[tokio::test]
async fn network_admin_enters_other_tenants() {
    let w = World::new().await;
    let network = w.login(&w.nord, "network@nord.de").await;
    let sued = assert_ok(&w.get("/api/v1/tenants/sued", &network).await, 200);
    assert_eq!(sued["id"], w.sued.id.to_string());
    assert_eq!(sued["name"], "sued eG");
    let page = assert_ok(&w.get("/api/v1/tenants/sued/people", &network).await, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 2);
    assert!(ids(&page["items"]).contains(&w.sued_person.id.to_string()));
    let anna = assert_ok(
        &w.get_with_purpose(
            &format!("/api/v1/tenants/sued/people/{}", w.sued_person.id),
            &network,
            "Netzwerk-Support",
        )
        .await,
        200,
    );
    assert_eq!(anna["email"], "anna@sued.de");
    let unit = assert_ok(
        &w.post(
            "/api/v1/tenants/sued/org-units",
            &network,
            json!({"name": "Sued-West", "parent_id": w.sued_unit.id}),
        )
        .await,
        201,
    );
    assert_eq!(unit["parent_id"], w.sued_unit.id.to_string());
    let log = assert_ok(
        &w.get("/api/v1/tenants/sued/audit-log", &network).await,
        200,
    );
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .any(|e| e["actor_id"] == w.network.id.to_string()
                && e["purpose"] == "Netzwerk-Support"
                && e["subject_id"] == w.sued_person.id.to_string()),
        "{log}"
    );
    // Still, ids of one tenant do not resolve under another's path.
    let response = w
        .get(
            &format!("/api/v1/tenants/nord/people/{}", w.sued_person.id),
            &network,
        )
        .await;
    assert_error(&response, 404, "not_found");
    let units = w
        .app
        .store
        .list_org_units(TenantScope::system(w.sued.id))
        .await
        .unwrap();
    assert_eq!(units.len(), 2);
    w.finish().await;
}

// ---- API credential scopes ----

#[tokio::test]
async fn org_read_credential_lists_but_does_not_write() {
    let w = World::new().await;
    let (_, reader) = credential(&w.app, &w.nord, &[Scope::OrgRead]).await;
    let page = assert_ok(&w.get("/api/v1/tenants/nord/people", &reader).await, 200);
    assert_eq!(page["items"].as_array().unwrap().len(), 7);
    let units = assert_ok(&w.get("/api/v1/tenants/nord/org-units", &reader).await, 200);
    assert_eq!(units.as_array().unwrap().len(), 4);
    let person = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{}", w.boss.id),
            &reader,
        )
        .await,
        200,
    );
    assert_eq!(person["email"], "boss@nord.de");
    for (path, body) in [
        (
            "/api/v1/tenants/nord/people",
            json!({"display_name": "Eve"}),
        ),
        ("/api/v1/tenants/nord/org-units", json!({"name": "X"})),
        ("/api/v1/tenants/nord/roles", json!({"name": "X"})),
    ] {
        assert_error(&w.post(path, &reader, body).await, 403, "forbidden");
    }
    let response = w
        .post(
            &format!("/api/v1/tenants/nord/people/{}/roles", w.boss.id),
            &reader,
            json!({"role_id": w.nord_role.id, "kind": "current"}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    assert_eq!(w.people_ids(&w.nord).await.len(), 7);
    w.finish().await;
}

#[tokio::test]
async fn org_write_credential_writes() {
    let w = World::new().await;
    let (_, writer) = credential(&w.app, &w.nord, &[Scope::OrgWrite]).await;
    let unit = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/org-units",
            &writer,
            json!({"name": "Lager", "parent_id": w.root.id}),
        )
        .await,
        201,
    );
    let person = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/people",
            &writer,
            json!({"display_name": "Hans Hr", "email": "hans@nord.de", "org_unit_id": unit["id"]}),
        )
        .await,
        201,
    );
    assert_eq!(person["email"], "hans@nord.de");
    let role = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/roles",
            &writer,
            json!({"name": "Lagerist/in"}),
        )
        .await,
        201,
    );
    let assigned = assert_ok(
        &w.post(
            &format!(
                "/api/v1/tenants/nord/people/{}/roles",
                person["id"].as_str().unwrap()
            ),
            &writer,
            json!({"role_id": role["id"], "kind": "current"}),
        )
        .await,
        200,
    );
    assert_eq!(assigned["role_id"], role["id"]);
    // Writing the organisation is not administering access.
    let response = w
        .post(
            "/api/v1/tenants/nord/credentials",
            &writer,
            json!({"label": "Mehr", "scopes": ["all"]}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    assert_eq!(w.people_ids(&w.nord).await.len(), 8);
    w.finish().await;
}

#[tokio::test]
async fn statements_write_credential_cannot_read_org_data() {
    let w = World::new().await;
    let (_, lrs) = credential(&w.app, &w.nord, &[Scope::StatementsWrite]).await;
    let me = assert_ok(&w.get("/api/v1/me", &lrs).await, 200);
    assert_eq!(me["scopes"], json!(["statements/write"]));
    for path in [
        "/api/v1/tenants/nord/people",
        "/api/v1/tenants/nord/org-units",
        "/api/v1/tenants/nord/roles",
        "/api/v1/tenants/nord/credentials",
        "/api/v1/tenants/nord/audit-log",
    ] {
        let response = w.get(path, &lrs).await;
        assert_error(&response, 403, "forbidden");
        assert_leaks_nothing(&response, &["@nord.de", "Region", "Verkäufer/in"]);
    }
    for suffix in ["", "/roles", "/access"] {
        let response = w
            .get(
                &format!("/api/v1/tenants/nord/people/{}{suffix}", w.boss.id),
                &lrs,
            )
            .await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &["boss@nord.de"]);
    }
    let response = w
        .post(
            "/api/v1/tenants/nord/people",
            &lrs,
            json!({"display_name": "Eve"}),
        )
        .await;
    assert_error(&response, 403, "forbidden");
    // Nothing was audited, as nothing was read.
    let log = w
        .app
        .store
        .list_audit(
            TenantScope::system(w.nord.id),
            mycel_store::AuditQuery {
                subject: None,
                before: None,
                limit: 10,
            },
        )
        .await
        .unwrap();
    assert!(log.is_empty(), "{log:?}");
    w.finish().await;
}

// ---- the competency engine ----

/// Sends JSON with any method (the World's helpers post only).
async fn send_json(
    w: &World,
    method: Method,
    path: &str,
    auth: &Auth,
    body: Value,
) -> TestResponse {
    let request = TestApp::request(method, path, auth)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    w.app.send(request).await
}

/// The competencies of the fixture framework, as nord sees them: (till, shelves).
async fn competencies(w: &World) -> (String, String) {
    competency_fixture::import(&*w.app.store).await;
    let scope = TenantScope::system(w.nord.id);
    (
        competency_fixture::competency_id(&*w.app.store, scope, competency_fixture::TILL)
            .await
            .to_string(),
        competency_fixture::competency_id(&*w.app.store, scope, competency_fixture::SHELVES)
            .await
            .to_string(),
    )
}

#[tokio::test]
async fn another_tenants_competency_data_is_not_found_and_its_ids_do_not_work() {
    let w = World::new().await;
    let (till, _) = competencies(&w).await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let report_auth = w.login(&w.nord, "report@nord.de").await;
    let role = w.nord_role.id;
    let report = w.report.id;
    // nord's data: a role profile, the report's evidence and goal, and a shared profile (so that
    // only the tenant stands between sued and it).
    assert_ok(
        &send_json(
            &w,
            Method::PUT,
            &format!("/api/v1/tenants/nord/roles/{role}/profile"),
            &admin,
            json!([{"competency_id": till, "kind": "required", "target_level": 3}]),
        )
        .await,
        200,
    );
    assert_ok(
        &w.post(
            &format!("/api/v1/tenants/nord/people/{report}/evidence"),
            &report_auth,
            json!({"competency_id": till, "kind": "self_assessment", "level": 2}),
        )
        .await,
        201,
    );
    let goal = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/me/learning-goals",
            &report_auth,
            json!({"competency_id": till, "target_level": 3}),
        )
        .await,
        201,
    );
    let goal = goal["id"].as_str().unwrap().to_owned();
    assert_ok(
        &send_json(
            &w,
            Method::PUT,
            "/api/v1/tenants/nord/me/profile-sharing",
            &report_auth,
            json!({"shared": true}),
        )
        .await,
        200,
    );
    let occupations = assert_ok(
        &w.get("/api/v1/tenants/nord/occupations?q=shop", &admin)
            .await,
        200,
    );
    let occupation = occupations[0]["id"].as_str().unwrap().to_owned();
    let secrets = ["report@nord.de", "Verkäufer/in", "nord eG"];
    let sued = &w.sued_credential_auth;

    // nord's paths: not found for sued's credential, like a tenant that does not exist.
    let reads = [
        "/api/v1/tenants/{t}/frameworks".to_owned(),
        "/api/v1/tenants/{t}/competencies?q=cash".to_owned(),
        format!("/api/v1/tenants/{{t}}/competencies/{till}"),
        "/api/v1/tenants/{t}/occupations?q=shop".to_owned(),
        format!("/api/v1/tenants/{{t}}/roles/{role}/profile"),
        format!("/api/v1/tenants/{{t}}/people/{report}/competency-profile"),
        "/api/v1/tenants/{t}/competency-gaps".to_owned(),
        "/api/v1/tenants/{t}/me/learning-goals".to_owned(),
    ];
    for path in &reads {
        let other = w.get(&path.replace("{t}", "nord"), sued).await;
        assert_error(&other, 404, "not_found");
        assert_leaks_nothing(&other, &secrets);
        let missing = w.get(&path.replace("{t}", "gibt-es-nicht"), sued).await;
        assert_eq!(other.json(), missing.json(), "{path}");
    }
    let writes = [
        (
            Method::PUT,
            format!("/api/v1/tenants/nord/roles/{role}/profile"),
            json!([]),
        ),
        (
            Method::POST,
            format!("/api/v1/tenants/nord/roles/{role}/profile/from-occupation"),
            json!({"occupation_id": occupation, "required_level": 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/tenants/nord/people/{report}/evidence"),
            json!({"competency_id": till, "kind": "test_result", "level": 0}),
        ),
        (
            Method::PUT,
            "/api/v1/tenants/nord/me/profile-sharing".to_owned(),
            json!({"shared": false}),
        ),
        (
            Method::POST,
            "/api/v1/tenants/nord/me/learning-goals".to_owned(),
            json!({"competency_id": till, "target_level": 1}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/tenants/nord/me/learning-goals/{goal}"),
            json!({}),
        ),
    ];
    for (method, path, body) in &writes {
        let response = send_json(&w, method.clone(), path, sued, body.clone()).await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &secrets);
    }

    // nord's ids under sued's own path are no records of sued's.
    for path in [
        format!("/api/v1/tenants/sued/people/{report}/competency-profile"),
        format!("/api/v1/tenants/sued/roles/{role}/profile"),
    ] {
        let response = w.get(&path, sued).await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &secrets);
    }
    for (method, path, body) in [
        (
            Method::POST,
            format!("/api/v1/tenants/sued/people/{report}/evidence"),
            json!({"competency_id": till, "kind": "test_result", "level": 0}),
        ),
        (
            Method::PUT,
            format!("/api/v1/tenants/sued/roles/{role}/profile"),
            json!([]),
        ),
        (
            Method::POST,
            format!("/api/v1/tenants/sued/roles/{role}/profile/from-occupation"),
            json!({"occupation_id": occupation, "required_level": 1}),
        ),
    ] {
        let response = send_json(&w, method, &path, sued, body).await;
        assert_error(&response, 404, "not_found");
        assert_leaks_nothing(&response, &secrets);
    }
    // A goal id of nord's is no goal of a sued person's.
    let anna = w.login(&w.sued, "anna@sued.de").await;
    let response = send_json(
        &w,
        Method::DELETE,
        &format!("/api/v1/tenants/sued/me/learning-goals/{goal}"),
        &anna,
        json!({}),
    )
    .await;
    assert_error(&response, 404, "not_found");
    // nord's org unit is no unit of sued's; nord's manager has no reports in sued.
    let response = w
        .get(
            &format!(
                "/api/v1/tenants/sued/competency-gaps?org_unit={}",
                w.region_b.id
            ),
            sued,
        )
        .await;
    assert_error(&response, 422, "validation_failed");
    assert_eq!(
        assert_ok(
            &w.get(
                &format!(
                    "/api/v1/tenants/sued/competency-gaps?reports_of={}",
                    w.boss.id
                ),
                sued,
            )
            .await,
            200,
        ),
        json!({"status": "report", "people": 0, "competencies": [], "withheld_competencies": 0})
    );

    // sued browses the network's framework under its own path; nord's role is not among the
    // roles needing a competency there.
    let detail = assert_ok(
        &w.get(&format!("/api/v1/tenants/sued/competencies/{till}"), sued)
            .await,
        200,
    );
    assert_eq!(detail["competency"]["uri"], competency_fixture::TILL);
    assert_eq!(detail["roles"], json!([]));
    let nord_detail = assert_ok(
        &w.get(&format!("/api/v1/tenants/nord/competencies/{till}"), &admin)
            .await,
        200,
    );
    assert_eq!(nord_detail["roles"][0]["role"]["name"], "Verkäufer/in");

    // Nothing of nord's changed.
    let profile = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/people/{report}/competency-profile"),
            &report_auth,
        )
        .await,
        200,
    );
    assert_eq!(profile["shared"], true);
    assert_eq!(
        profile["competencies"][0]["evidence"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(profile["goals"][0]["id"], goal.as_str());
    assert_eq!(
        assert_ok(
            &w.get(
                &format!("/api/v1/tenants/nord/roles/{role}/profile"),
                &admin
            )
            .await,
            200,
        )["requirements"][0]["competency"]["id"],
        till.as_str()
    );
    w.finish().await;
}

#[tokio::test]
async fn competency_profiles_rating_and_aggregates_follow_the_access_rules() {
    let w = World::new().await;
    let (till, shelves) = competencies(&w).await;
    let profile = |p: &Person| format!("/api/v1/tenants/nord/people/{}/competency-profile", p.id);
    let evidence = |p: &Person| format!("/api/v1/tenants/nord/people/{}/evidence", p.id);
    let sharing = "/api/v1/tenants/nord/me/profile-sharing";
    let other = w.login(&w.nord, "other@nord.de").await;
    let report = w.login(&w.nord, "report@nord.de").await;
    let admin = w.login(&w.nord, "admin@nord.de").await;
    let lnd = w.login(&w.nord, "lnd@nord.de").await;
    let boss = w.login(&w.nord, "boss@nord.de").await;

    // Without a login, nothing.
    for path in [
        profile(&w.report),
        "/api/v1/tenants/nord/competencies".to_owned(),
        "/api/v1/tenants/nord/competency-gaps".to_owned(),
    ] {
        assert_error(&w.get(&path, &Auth::None).await, 401, "unauthenticated");
    }

    // Unshared: only the person sees their profile, not even the tenant admin or their manager.
    for auth in [&other, &admin, &lnd, &boss] {
        assert_error(&w.get(&profile(&w.report), auth).await, 404, "not_found");
    }
    assert_ok(&w.get(&profile(&w.report), &report).await, 200);
    // Colleagues rate only a shared profile, and never as manager.
    let peer = json!({"competency_id": till, "kind": "peer_assessment", "level": 2});
    assert_error(
        &w.post(&evidence(&w.report), &other, peer.clone()).await,
        403,
        "forbidden",
    );
    assert_error(
        &w.post(
            &evidence(&w.report),
            &other,
            json!({"competency_id": till, "kind": "manager_assessment", "level": 2}),
        )
        .await,
        403,
        "forbidden",
    );
    assert_ok(
        &send_json(&w, Method::PUT, sharing, &report, json!({"shared": true})).await,
        200,
    );
    let rated = assert_ok(&w.post(&evidence(&w.report), &other, peer).await, 201);
    assert_eq!(rated["author_id"], w.other.id.to_string());
    // Shared: the manager and the tenant admin see it; a colleague still does not, nor an L&D
    // admin of another subtree.
    for auth in [&boss, &admin] {
        let seen = assert_ok(&w.get(&profile(&w.report), auth).await, 200);
        assert_eq!(seen["person"]["id"], w.report.id.to_string());
    }
    for auth in [&other, &lnd] {
        assert_error(&w.get(&profile(&w.report), auth).await, 404, "not_found");
    }
    // The L&D admin of Region A sees a shared profile in their subtree.
    let other_sharing = send_json(&w, Method::PUT, sharing, &other, json!({"shared": true})).await;
    assert_ok(&other_sharing, 200);
    assert_ok(&w.get(&profile(&w.other), &lnd).await, 200);
    assert_error(&w.get(&profile(&w.other), &boss).await, 404, "not_found");
    // Organisation evidence: L&D inside their subtree, the tenant admin anywhere.
    let test = |level: u8| json!({"competency_id": shelves, "kind": "test_result", "level": level});
    assert_ok(&w.post(&evidence(&w.other), &lnd, test(2)).await, 201);
    assert_error(
        &w.post(&evidence(&w.report), &lnd, test(2)).await,
        403,
        "forbidden",
    );
    assert_ok(&w.post(&evidence(&w.report), &admin, test(3)).await, 201);
    assert_error(
        &w.post(&evidence(&w.report), &boss, test(4)).await,
        403,
        "forbidden",
    );
    let report_profile = assert_ok(&w.get(&profile(&w.report), &report).await, 200);
    let kinds: Vec<_> = report_profile["competencies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["evidence"].as_array().unwrap().iter())
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    assert!(
        kinds.contains(&"peer_assessment".to_owned()) && kinds.contains(&"test_result".to_owned())
    );

    // Aggregates: L&D of their subtree, the tenant admin of everything, a manager of their team.
    let gaps = |query: String| format!("/api/v1/tenants/nord/competency-gaps{query}");
    let region_a = gaps(format!("?org_unit={}", w.region_a.id));
    let region_b = gaps(format!("?org_unit={}", w.region_b.id));
    let team = gaps(format!("?reports_of={}", w.boss.id));
    let whole = gaps(String::new());
    assert_eq!(
        assert_ok(&w.get(&region_a, &lnd).await, 200)["status"],
        "suppressed"
    );
    for path in [&region_b, &whole, &team] {
        assert_error(&w.get(path, &lnd).await, 403, "forbidden");
    }
    // (The tenant's seven people make a group large enough; the others are smaller, and shown
    // only where everyone shares their profile: the boss's one report does.)
    for (path, status) in [
        (&region_a, "suppressed"),
        (&region_b, "suppressed"),
        (&whole, "report"),
        (&team, "report"),
    ] {
        assert_eq!(
            assert_ok(&w.get(path, &admin).await, 200)["status"],
            status,
            "{path}"
        );
        assert_error(&w.get(path, &other).await, 403, "forbidden");
    }
    assert_ok(&w.get(&team, &boss).await, 200);
    assert_error(&w.get(&region_b, &boss).await, 403, "forbidden");

    // Role profiles: L&D and tenant admins, not managers or learners.
    let role_profile = format!("/api/v1/tenants/nord/roles/{}/profile", w.nord_role.id);
    let line = json!([{"competency_id": till, "kind": "required", "target_level": 2}]);
    for auth in [&boss, &other] {
        assert_error(
            &send_json(&w, Method::PUT, &role_profile, auth, line.clone()).await,
            403,
            "forbidden",
        );
    }
    assert_ok(
        &send_json(&w, Method::PUT, &role_profile, &lnd, line).await,
        200,
    );

    // A credential that only writes statements sees nothing of the competency engine.
    let (_, lrs) = credential(&w.app, &w.nord, &[Scope::StatementsWrite]).await;
    for path in [
        "/api/v1/tenants/nord/frameworks".to_owned(),
        "/api/v1/tenants/nord/competencies?q=cash".to_owned(),
        format!("/api/v1/tenants/nord/competencies/{till}"),
        "/api/v1/tenants/nord/occupations".to_owned(),
        role_profile.clone(),
        whole.clone(),
    ] {
        let response = w.get(&path, &lrs).await;
        assert_error(&response, 403, "forbidden");
        assert_leaks_nothing(&response, &["Verkäufer/in", "cash register"]);
    }
    assert_error(&w.get(&profile(&w.report), &lrs).await, 404, "not_found");
    assert_error(
        &w.post(&evidence(&w.report), &lrs, test(1)).await,
        403,
        "forbidden",
    );
    w.finish().await;
}
