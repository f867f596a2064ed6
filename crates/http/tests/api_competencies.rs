#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The competency engine through the JSON API: browsing frameworks, role profiles, evidence and the
//! explained estimate, profile sharing and its audit, learning goals, and aggregated gaps with the
//! minimum group size. Each test asserts on the JSON bodies; refusals are paired with a permitted
//! call, so that a suite refusing everything would fail.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::Method;
use common::*;
use competency_fixture::{FORKLIFT, GROUP, SHELVES, SHOP_ASSISTANT, TILL};
use mycel_app::organisation as ops;
use mycel_app::Acting;
use mycel_organisation::{
    AccessRole, CompetencyId, OrgUnit, Person, Role, RoleAssignmentKind, Scope, Tenant,
};
use mycel_store::TenantScope;
use serde_json::{json, Value};

// ---- the world ----

/// `nord` with units Nord > Filiale; admin@ (tenant admin), lnd@ (L&D admin of the whole tenant),
/// boss@ (manager), report@ (reports to boss@), colleague@ (learner), privacy@ (privacy officer),
/// the role "Verkäufer/in", a reader (`org/read`) and a writer (`org/write`) credential; the
/// fixture framework imported for the network. `sued` with a learner and an `all` credential.
struct World {
    app: TestApp,
    nord: Tenant,
    root: OrgUnit,
    boss: Person,
    report: Person,
    role: Role,
    reader: Auth,
    writer: Auth,
    sued_credential: Auth,
    group: CompetencyId,
    shelves: CompetencyId,
    till: CompetencyId,
    forklift: CompetencyId,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::new().await;
        competency_fixture::import(&*app.store).await;
        let nord = app.tenant("nord").await;
        let sued = app.tenant("sued").await;
        let root = app.org_unit(&nord, "Nord", None).await;
        let filiale = app.org_unit(&nord, "Filiale", Some(root.id)).await;
        app.person(
            &nord,
            "admin@nord.de",
            AccessRole::TenantAdmin,
            Some(root.id),
        )
        .await;
        app.person(&nord, "lnd@nord.de", AccessRole::LndAdmin, None)
            .await;
        let boss = app
            .person(&nord, "boss@nord.de", AccessRole::Manager, Some(filiale.id))
            .await;
        let report = app
            .person_with(
                &nord,
                "report@nord.de",
                AccessRole::Learner,
                Some(filiale.id),
                Some(boss.id),
            )
            .await;
        app.person(
            &nord,
            "colleague@nord.de",
            AccessRole::Learner,
            Some(filiale.id),
        )
        .await;
        app.person(&nord, "privacy@nord.de", AccessRole::PrivacyOfficer, None)
            .await;
        let role = ops::create_role(
            &*app.store,
            Acting::Operator,
            TenantScope::system(nord.id),
            "Verkäufer/in",
            None,
        )
        .await
        .unwrap();
        let reader = app.credential(&nord, &[Scope::OrgRead]).await;
        let writer = app.credential(&nord, &[Scope::OrgWrite]).await;
        app.person(&sued, "anna@sued.de", AccessRole::Learner, None)
            .await;
        let sued_credential = app.credential(&sued, &[Scope::All]).await;
        let scope = TenantScope::system(nord.id);
        let id = |uri| competency_fixture::competency_id(&*app.store, scope, uri);
        let (group, shelves, till, forklift) = (
            id(GROUP).await,
            id(SHELVES).await,
            id(TILL).await,
            id(FORKLIFT).await,
        );
        Self {
            app,
            nord,
            root,
            boss,
            report,
            role,
            reader,
            writer,
            sued_credential,
            group,
            shelves,
            till,
            forklift,
        }
    }

    async fn login(&self, email: &str) -> Auth {
        self.app.login(&self.nord, email).await
    }

    async fn get(&self, path: &str, auth: &Auth) -> TestResponse {
        self.app.get(path, auth).await
    }

    async fn post(&self, path: &str, auth: &Auth, body: Value) -> TestResponse {
        self.app.post_json(path, auth, &body).await
    }

    async fn put(&self, path: &str, auth: &Auth, body: Value) -> TestResponse {
        let request = TestApp::request(Method::PUT, path, auth)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.app.send(request).await
    }

    async fn delete(&self, path: &str, auth: &Auth) -> TestResponse {
        let request = TestApp::request(Method::DELETE, path, auth)
            .body(Body::empty())
            .unwrap();
        self.app.send(request).await
    }

    fn role_profile(&self) -> String {
        format!("/api/v1/tenants/nord/roles/{}/profile", self.role.id)
    }

    fn evidence_of(&self, person: &Person) -> String {
        format!("/api/v1/tenants/nord/people/{}/evidence", person.id)
    }

    fn profile_of(&self, person: &Person) -> String {
        format!(
            "/api/v1/tenants/nord/people/{}/competency-profile",
            person.id
        )
    }

    /// Gives `person` the role, as HR would.
    async fn assign(&self, person: &Person) {
        ops::assign_role(
            &*self.app.store,
            Acting::Operator,
            TenantScope::system(self.nord.id),
            person.id,
            self.role.id,
            RoleAssignmentKind::Current,
        )
        .await
        .unwrap();
    }

    /// Sets the role's profile to the till (required, 3) and the shelves (desired, 2).
    async fn shop_profile(&self, admin: &Auth) {
        let body = assert_ok(
            &self
                .put(
                    &self.role_profile(),
                    admin,
                    json!([
                        {"competency_id": self.till, "kind": "required", "target_level": 3},
                        {"competency_id": self.shelves, "kind": "desired", "target_level": 2},
                    ]),
                )
                .await,
            200,
        );
        assert_eq!(body["requirements"].as_array().unwrap().len(), 2, "{body}");
    }

    async fn finish(self) {
        self.app.finish().await;
    }
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

#[track_caller]
fn assert_error(response: &TestResponse, status: u16, code: &str) {
    assert_eq!(
        response.status.as_u16(),
        status,
        "expected {status} {code}, got: {}",
        response.text()
    );
    assert_eq!(response.error_code(), code, "{}", response.text());
}

/// The URIs of the competencies (or of the `competency` of each item) in a JSON array.
fn uris(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .map(|item| {
            item.get("competency")
                .unwrap_or(item)
                .get("uri")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("no uri: {item}"))
                .to_owned()
        })
        .collect()
}

/// The one item of an array whose `key` (a string) is `value`.
#[track_caller]
fn find<'a>(items: &'a Value, pointer: &str, value: &str) -> &'a Value {
    let found: Vec<_> = items
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {items}"))
        .iter()
        .filter(|item| item.pointer(pointer).and_then(Value::as_str) == Some(value))
        .collect();
    assert_eq!(found.len(), 1, "{pointer} = {value} in {items}");
    found[0]
}

#[track_caller]
fn approx(value: &Value, expected: f64) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"));
    assert!(
        (actual - expected).abs() < 1e-6,
        "expected {expected}, got {actual}"
    );
}

// ---- browsing ----

#[tokio::test]
async fn search_finds_competencies_by_german_and_english_label() {
    let w = World::new().await;
    let learner = w.login("colleague@nord.de").await;
    let search = |q: &str| format!("/api/v1/tenants/nord/competencies?q={q}");

    let german = assert_ok(&w.get(&search("Registrierkasse"), &learner).await, 200);
    assert_eq!(uris(&german), [TILL]);
    let till = &german[0];
    assert_eq!(till["id"], w.till.to_string());
    assert_eq!(till["kind"], "skill");
    assert_eq!(till["category"], "sector-specific");
    assert_eq!(till["obsolete"], false);
    assert_eq!(
        till["labels"]["de"],
        json!({"preferred": "Registrierkasse bedienen", "alternatives": [],
               "description": "Beschreibung: Registrierkasse bedienen."})
    );
    assert_eq!(till["labels"]["en"]["preferred"], "operate cash register");

    // The same competency in English, case-insensitively; all words must occur.
    let english = assert_ok(&w.get(&search("Cash%20register"), &learner).await, 200);
    assert_eq!(english, german);
    let both = assert_ok(&w.get(&search("operate"), &learner).await, 200);
    let mut found = uris(&both);
    found.sort();
    assert_eq!(found, [FORKLIFT, TILL]);
    let one = assert_ok(
        &w.get(&format!("{}&limit=1", search("operate")), &learner)
            .await,
        200,
    );
    assert_eq!(one.as_array().unwrap().len(), 1);
    // Only English: no German label is made up.
    let forklift = assert_ok(&w.get(&search("forklift"), &learner).await, 200);
    assert_eq!(uris(&forklift), [FORKLIFT]);
    assert!(forklift[0]["labels"].get("de").is_none(), "{forklift}");
    assert_eq!(
        assert_ok(&w.get(&search("Gabelstapler"), &learner).await, 200),
        json!([])
    );

    // Browsing: the group's children, and the framework they belong to.
    let children = assert_ok(
        &w.get(
            &format!("/api/v1/tenants/nord/competencies?broader={}", w.group),
            &learner,
        )
        .await,
        200,
    );
    let mut children = uris(&children);
    children.sort();
    let mut expected = [FORKLIFT, SHELVES, TILL];
    expected.sort();
    assert_eq!(children, expected);
    let frameworks = assert_ok(
        &w.get("/api/v1/tenants/nord/frameworks", &learner).await,
        200,
    );
    assert_eq!(frameworks.as_array().unwrap().len(), 1, "{frameworks}");
    assert_eq!(frameworks[0]["kind"], "esco");
    assert_eq!(frameworks[0]["network"], true);
    assert_eq!(frameworks[0]["uri"], "http://data.europa.eu/esco");
    assert_eq!(frameworks[0]["id"], till["framework_id"]);

    // Occupations by either language.
    for q in ["Verk%C3%A4ufer", "shop%20assistant"] {
        let occupations = assert_ok(
            &w.get(&format!("/api/v1/tenants/nord/occupations?q={q}"), &learner)
                .await,
            200,
        );
        assert_eq!(occupations.as_array().unwrap().len(), 1, "{occupations}");
        assert_eq!(occupations[0]["uri"], SHOP_ASSISTANT);
        assert_eq!(occupations[0]["isco_group"], "5223");
        assert_eq!(
            occupations[0]["labels"]["de"]["preferred"],
            "Verkäufer/Verkäuferin"
        );
    }
    // A machine client browses with a scope that reads the organisation.
    assert_eq!(
        assert_ok(&w.get(&search("Registrierkasse"), &w.reader).await, 200),
        german
    );
    w.finish().await;
}

#[tokio::test]
async fn detail_shows_relations_and_the_roles_needing_it_after_a_profile_put() {
    let w = World::new().await;
    let admin = w.login("admin@nord.de").await;
    let detail_path = |id: CompetencyId| format!("/api/v1/tenants/nord/competencies/{id}");

    let before = assert_ok(&w.get(&detail_path(w.till), &admin).await, 200);
    assert_eq!(before["roles"], json!([]));
    assert_eq!(before["competency"]["uri"], TILL);
    assert_eq!(before["framework"]["kind"], "esco");
    let relations = &before["relations"];
    assert_eq!(relations.as_array().unwrap().len(), 2, "{relations}");
    let broader = find(relations, "/competency/uri", GROUP);
    assert_eq!(broader["kind"], "broader");
    assert_eq!(broader["outgoing"], true);
    assert_eq!(
        broader["competency"]["labels"]["de"]["preferred"],
        "Fähigkeiten im Einzelhandel"
    );
    let essential = find(relations, "/competency/uri", SHELVES);
    assert_eq!(essential["kind"], "essential");
    assert_eq!(essential["outgoing"], true);
    assert_eq!(before["occupations"].as_array().unwrap().len(), 1);
    assert_eq!(
        before["occupations"][0]["occupation"]["uri"],
        SHOP_ASSISTANT
    );
    assert_eq!(before["occupations"][0]["kind"], "required");

    // The same relation seen from the other end.
    let shelves = assert_ok(&w.get(&detail_path(w.shelves), &admin).await, 200);
    let incoming = find(&shelves["relations"], "/competency/uri", TILL);
    assert_eq!(incoming["kind"], "essential");
    assert_eq!(incoming["outgoing"], false);
    assert_eq!(shelves["occupations"][0]["kind"], "desired");
    // The group knows its children.
    let group = assert_ok(&w.get(&detail_path(w.group), &admin).await, 200);
    let narrower: Vec<_> = group["relations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "broader" && r["outgoing"] == false)
        .collect();
    assert_eq!(narrower.len(), 3, "{group}");

    w.shop_profile(&admin).await;
    let profile = assert_ok(&w.get(&w.role_profile(), &admin).await, 200);
    assert_eq!(profile["role"]["name"], "Verkäufer/in");
    let till_line = find(&profile["requirements"], "/competency/uri", TILL);
    assert_eq!(till_line["kind"], "required");
    approx(&till_line["target_level"], 3.0);
    let shelves_line = find(&profile["requirements"], "/competency/uri", SHELVES);
    assert_eq!(shelves_line["kind"], "desired");
    approx(&shelves_line["target_level"], 2.0);

    let after = assert_ok(&w.get(&detail_path(w.till), &admin).await, 200);
    assert_eq!(after["roles"].as_array().unwrap().len(), 1, "{after}");
    assert_eq!(after["roles"][0]["role"]["id"], w.role.id.to_string());
    assert_eq!(after["roles"][0]["role"]["name"], "Verkäufer/in");
    assert_eq!(after["roles"][0]["kind"], "required");
    approx(&after["roles"][0]["target_level"], 3.0);
    assert_eq!(after["relations"], before["relations"]);

    // A PUT replaces the whole profile.
    let replaced = assert_ok(
        &w.put(
            &w.role_profile(),
            &admin,
            json!([{"competency_id": w.forklift, "kind": "desired", "target_level": 1.5}]),
        )
        .await,
        200,
    );
    assert_eq!(uris(&replaced["requirements"]), [FORKLIFT]);
    approx(&replaced["requirements"][0]["target_level"], 1.5);
    let till_after = assert_ok(&w.get(&detail_path(w.till), &admin).await, 200);
    assert_eq!(till_after["roles"], json!([]));
    let forklift = assert_ok(&w.get(&detail_path(w.forklift), &admin).await, 200);
    assert_eq!(forklift["roles"][0]["kind"], "desired");
    assert_eq!(
        assert_ok(&w.get(&w.role_profile(), &admin).await, 200),
        replaced
    );
    // An empty profile is a profile too.
    let emptied = assert_ok(&w.put(&w.role_profile(), &admin, json!([])).await, 200);
    assert_eq!(emptied["requirements"], json!([]));
    w.finish().await;
}

#[tokio::test]
async fn profile_from_occupation_yields_one_required_and_one_desired_line() {
    let w = World::new().await;
    let lnd = w.login("lnd@nord.de").await;
    let occupations = assert_ok(
        &w.get("/api/v1/tenants/nord/occupations?q=shop", &lnd).await,
        200,
    );
    let occupation = occupations[0]["id"].as_str().unwrap().to_owned();
    let from = format!("{}/from-occupation", w.role_profile());

    let profile = assert_ok(
        &w.post(
            &from,
            &lnd,
            json!({"occupation_id": occupation, "required_level": 3, "desired_level": 2}),
        )
        .await,
        200,
    );
    let lines = &profile["requirements"];
    assert_eq!(lines.as_array().unwrap().len(), 2, "{profile}");
    let required = find(lines, "/competency/uri", TILL);
    assert_eq!(required["kind"], "required");
    approx(&required["target_level"], 3.0);
    let desired = find(lines, "/competency/uri", SHELVES);
    assert_eq!(desired["kind"], "desired");
    approx(&desired["target_level"], 2.0);
    assert_eq!(
        assert_ok(&w.get(&w.role_profile(), &lnd).await, 200),
        profile
    );

    // Without a desired level, only the essential competency.
    let profile = assert_ok(
        &w.post(
            &from,
            &lnd,
            json!({"occupation_id": occupation, "required_level": 2.5}),
        )
        .await,
        200,
    );
    assert_eq!(uris(&profile["requirements"]), [TILL]);
    approx(&profile["requirements"][0]["target_level"], 2.5);

    // A learner may not; an unknown occupation is not found and leaves the profile as it was.
    let learner = w.login("colleague@nord.de").await;
    assert_error(
        &w.post(
            &from,
            &learner,
            json!({"occupation_id": occupation, "required_level": 3}),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &w.post(
            &from,
            &lnd,
            json!({"occupation_id": w.till, "required_level": 3}),
        )
        .await,
        404,
        "not_found",
    );
    assert_eq!(
        uris(&assert_ok(&w.get(&w.role_profile(), &lnd).await, 200)["requirements"]),
        [TILL]
    );
    w.finish().await;
}

// ---- evidence and the explained profile ----

#[tokio::test]
async fn self_and_manager_assessments_combine_into_one_explained_estimate() {
    let w = World::new().await;
    let admin = w.login("admin@nord.de").await;
    let me = w.login("report@nord.de").await;
    let boss = w.login("boss@nord.de").await;
    let colleague = w.login("colleague@nord.de").await;
    w.shop_profile(&admin).await;
    w.assign(&w.report).await;

    let own = assert_ok(
        &w.post(
            &w.evidence_of(&w.report),
            &me,
            json!({"competency_id": w.till, "kind": "self_assessment", "level": 3,
                   "note": "Ich kassiere seit einem Jahr."}),
        )
        .await,
        201,
    );
    assert_eq!(own["person_id"], w.report.id.to_string());
    assert_eq!(own["competency_id"], w.till.to_string());
    assert_eq!(own["kind"], "self_assessment");
    approx(&own["level"], 3.0);
    assert_eq!(own["author_id"], w.report.id.to_string());
    assert_eq!(own["source"], "self_assessment");
    assert_eq!(own["note"], "Ich kassiere seit einem Jahr.");
    assert_eq!(own["link"], Value::Null);

    // The boss rates as manager without the profile being shared, but rates nothing else.
    let rated = assert_ok(
        &w.post(
            &w.evidence_of(&w.report),
            &boss,
            json!({"competency_id": w.till, "kind": "manager_assessment", "level": 1,
                   "source": "Jahresgespräch"}),
        )
        .await,
        201,
    );
    assert_eq!(rated["author_id"], w.boss.id.to_string());
    assert_eq!(rated["source"], "Jahresgespräch");
    assert_error(
        &w.post(
            &w.evidence_of(&w.report),
            &boss,
            json!({"competency_id": w.till, "kind": "self_assessment", "level": 4}),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &w.post(
            &w.evidence_of(&w.report),
            &colleague,
            json!({"competency_id": w.till, "kind": "manager_assessment", "level": 4}),
        )
        .await,
        403,
        "forbidden",
    );
    // Nor may the report rate themself as their manager.
    assert_error(
        &w.post(
            &w.evidence_of(&w.report),
            &me,
            json!({"competency_id": w.till, "kind": "manager_assessment", "level": 4}),
        )
        .await,
        403,
        "forbidden",
    );

    // Reading the profile: not shared, so not for the boss; always for the person.
    assert_error(
        &w.get(&w.profile_of(&w.report), &boss).await,
        404,
        "not_found",
    );
    let mine = assert_ok(&w.get(&w.profile_of(&w.report), &me).await, 200);
    assert_eq!(mine["shared"], false);
    let shared = assert_ok(
        &w.put(
            "/api/v1/tenants/nord/me/profile-sharing",
            &me,
            json!({"shared": true}),
        )
        .await,
        200,
    );
    assert_eq!(shared, json!({"shared": true}));
    let profile = assert_ok(&w.get(&w.profile_of(&w.report), &boss).await, 200);
    assert_eq!(profile["shared"], true);
    assert_eq!(profile["person"]["id"], w.report.id.to_string());
    assert_eq!(profile["roles"][0]["role"]["name"], "Verkäufer/in");
    assert_eq!(profile["roles"][0]["kind"], "current");

    let till = find(&profile["competencies"], "/competency/uri", TILL);
    let estimate = &till["estimate"];
    let level = estimate["level"].as_f64().unwrap();
    assert!(
        level > 1.0 && level < 3.0,
        "between the two ratings: {estimate}"
    );
    assert!(
        level < 2.0,
        "closer to the manager's, which weighs more: {estimate}"
    );
    approx(&estimate["level"], 1.6);
    assert_eq!(estimate["evidence_count"], 2);
    let confidence = estimate["confidence"].as_f64().unwrap();
    assert!(confidence > 0.0 && confidence < 1.0, "{estimate}");
    let contributions = estimate["contributions"].as_array().unwrap();
    assert_eq!(contributions.len(), 2, "{estimate}");
    let shares: f64 = contributions
        .iter()
        .map(|c| c["share"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9, "shares add up to {shares}");
    let by_boss = find(&estimate["contributions"], "/kind", "manager_assessment");
    assert_eq!(by_boss["evidence_id"], rated["id"]);
    assert_eq!(by_boss["author_id"], w.boss.id.to_string());
    assert_eq!(by_boss["superseded"], false);
    approx(&by_boss["share"], 0.7);
    let by_self = find(&estimate["contributions"], "/kind", "self_assessment");
    assert_eq!(by_self["evidence_id"], own["id"]);
    approx(&by_self["share"], 0.3);
    let evidence_ids: Vec<_> = till["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect();
    assert_eq!(evidence_ids.len(), 2);
    assert!(evidence_ids.contains(&own["id"]) && evidence_ids.contains(&rated["id"]));

    // Gaps against the role: the till is required at 3, the shelves desired at 2 without evidence.
    let gaps = &profile["gaps"];
    let till_gap = find(gaps, "/competency_id", &w.till.to_string());
    approx(&till_gap["target"], 3.0);
    approx(&till_gap["estimate"], 1.6);
    approx(&till_gap["size"], 1.4);
    assert_eq!(till_gap["required"], true);
    assert_eq!(till_gap["met"], false);
    assert_eq!(
        till_gap["sources"],
        json!([{"type": "role", "role_id": w.role.id, "kind": "required", "aspired": false}])
    );
    let shelves_gap = find(gaps, "/competency_id", &w.shelves.to_string());
    assert_eq!(shelves_gap["estimate"], Value::Null);
    approx(&shelves_gap["size"], 2.0);
    assert_eq!(shelves_gap["required"], false);
    // The shelves are in the profile for their target, without an estimate.
    let shelves = find(&profile["competencies"], "/competency/uri", SHELVES);
    assert_eq!(shelves["estimate"], Value::Null);
    assert_eq!(shelves["evidence"], json!([]));

    // A goal of one's own adds a required target; required gaps first, larger first.
    let goal = assert_ok(
        &w.post(
            "/api/v1/tenants/nord/me/learning-goals",
            &me,
            json!({"competency_id": w.forklift, "target_level": 2.5}),
        )
        .await,
        201,
    );
    let profile = assert_ok(&w.get(&w.profile_of(&w.report), &me).await, 200);
    let order: Vec<_> = profile["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["competency_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        order,
        [
            w.forklift.to_string(),
            w.till.to_string(),
            w.shelves.to_string()
        ]
    );
    assert_eq!(
        profile["gaps"][0]["sources"],
        json!([{"type": "goal", "goal_id": goal["id"]}])
    );
    assert_eq!(profile["goals"], json!([goal]));

    // Unsharing takes the boss's view away again.
    w.put(
        "/api/v1/tenants/nord/me/profile-sharing",
        &me,
        json!({"shared": false}),
    )
    .await;
    assert_error(
        &w.get(&w.profile_of(&w.report), &boss).await,
        404,
        "not_found",
    );
    w.finish().await;
}

#[tokio::test]
async fn org_write_credential_records_test_results_but_not_ratings() {
    let w = World::new().await;
    let test = assert_ok(
        &w.post(
            &w.evidence_of(&w.report),
            &w.writer,
            json!({"competency_id": w.till, "kind": "test_result", "level": 3.5,
                   "source": "Kassentest", "link": "https://lms.example/tests/kasse",
                   "observed_at": "2024-05-01T10:00:00Z"}),
        )
        .await,
        201,
    );
    assert_eq!(test["kind"], "test_result");
    approx(&test["level"], 3.5);
    assert_eq!(test["author_id"], Value::Null, "a machine is no author");
    assert_eq!(test["source"], "Kassentest");
    assert_eq!(test["link"], "https://lms.example/tests/kasse");
    assert_eq!(test["observed_at"], "2024-05-01T10:00:00Z");
    let credential = assert_ok(
        &w.post(
            &w.evidence_of(&w.report),
            &w.writer,
            json!({"competency_id": w.shelves, "kind": "credential", "level": 2}),
        )
        .await,
        201,
    );
    assert_eq!(credential["source"], "credential");
    for kind in [
        "self_assessment",
        "manager_assessment",
        "peer_assessment",
        "trainer_assessment",
        "journal",
    ] {
        assert_error(
            &w.post(
                &w.evidence_of(&w.report),
                &w.writer,
                json!({"competency_id": w.till, "kind": kind, "level": 4}),
            )
            .await,
            403,
            "forbidden",
        );
    }
    // Reading the organisation is not writing evidence.
    assert_error(
        &w.post(
            &w.evidence_of(&w.report),
            &w.reader,
            json!({"competency_id": w.till, "kind": "test_result", "level": 4}),
        )
        .await,
        403,
        "forbidden",
    );

    // What was recorded is what the person sees: two pieces, the test result explaining the till.
    let me = w.login("report@nord.de").await;
    let profile = assert_ok(&w.get(&w.profile_of(&w.report), &me).await, 200);
    let till = find(&profile["competencies"], "/competency/uri", TILL);
    assert_eq!(till["evidence"], json!([test]));
    assert_eq!(till["estimate"]["evidence_count"], 1);
    approx(&till["estimate"]["level"], 3.5);
    approx(&till["estimate"]["contributions"][0]["share"], 1.0);
    assert_eq!(
        till["estimate"]["contributions"][0]["evidence_id"],
        test["id"]
    );
    // A credential sees a profile only when it is shared.
    assert_error(
        &w.get(&w.profile_of(&w.report), &w.reader).await,
        404,
        "not_found",
    );
    w.put(
        "/api/v1/tenants/nord/me/profile-sharing",
        &me,
        json!({"shared": true}),
    )
    .await;
    let seen = assert_ok(&w.get(&w.profile_of(&w.report), &w.reader).await, 200);
    // (The estimates' weights decay by the second, so compare what they are made of.)
    let evidence = |profile: &Value| -> Vec<Value> {
        profile["competencies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["evidence"].clone())
            .collect()
    };
    assert_eq!(evidence(&seen), evidence(&profile));
    assert_eq!(seen["competencies"].as_array().unwrap().len(), 2);
    // A credential has no profile of its own to share.
    assert_error(
        &w.put(
            "/api/v1/tenants/nord/me/profile-sharing",
            &w.writer,
            json!({"shared": true}),
        )
        .await,
        403,
        "forbidden",
    );
    w.finish().await;
}

#[tokio::test]
async fn only_l_and_d_and_org_writers_set_role_profiles() {
    let w = World::new().await;
    let line = json!([{"competency_id": w.till, "kind": "required", "target_level": 3}]);
    for email in ["colleague@nord.de", "boss@nord.de", "report@nord.de"] {
        let auth = w.login(email).await;
        assert_error(
            &w.put(&w.role_profile(), &auth, line.clone()).await,
            403,
            "forbidden",
        );
        // They may read it, though.
        let profile = assert_ok(&w.get(&w.role_profile(), &auth).await, 200);
        assert_eq!(profile["requirements"], json!([]), "{email}");
    }
    assert_error(
        &w.put(&w.role_profile(), &w.reader, line.clone()).await,
        403,
        "forbidden",
    );
    assert_eq!(
        assert_ok(&w.get(&w.role_profile(), &w.reader).await, 200)["requirements"],
        json!([])
    );

    let lnd = w.login("lnd@nord.de").await;
    let set = assert_ok(&w.put(&w.role_profile(), &lnd, line.clone()).await, 200);
    assert_eq!(uris(&set["requirements"]), [TILL]);
    let set = assert_ok(
        &w.put(
            &w.role_profile(),
            &w.writer,
            json!([{"competency_id": w.shelves, "kind": "desired", "target_level": 1}]),
        )
        .await,
        200,
    );
    assert_eq!(uris(&set["requirements"]), [SHELVES]);
    // A role that does not exist has no profile.
    let nowhere = format!("/api/v1/tenants/nord/roles/{}/profile", w.root.id);
    assert_error(&w.get(&nowhere, &lnd).await, 404, "not_found");
    assert_error(&w.put(&nowhere, &lnd, line).await, 404, "not_found");
    w.finish().await;
}

// ---- privacy: the audit log and the minimum group size ----

#[tokio::test]
async fn audit_log_records_the_managers_read_of_a_profile_with_its_purpose() {
    let w = World::new().await;
    let me = w.login("report@nord.de").await;
    let boss = w.login("boss@nord.de").await;
    let privacy = w.login("privacy@nord.de").await;
    let log = "/api/v1/tenants/nord/audit-log";

    // A refused read and one's own read are no access to someone else's data.
    assert_error(
        &w.get(
            &format!("{}?purpose=Neugier", w.profile_of(&w.report)),
            &boss,
        )
        .await,
        404,
        "not_found",
    );
    assert_ok(&w.get(&w.profile_of(&w.report), &me).await, 200);
    assert_eq!(assert_ok(&w.get(log, &privacy).await, 200), json!([]));

    w.put(
        "/api/v1/tenants/nord/me/profile-sharing",
        &me,
        json!({"shared": true}),
    )
    .await;
    assert_ok(
        &w.get(
            &format!(
                "{}?purpose=Mitarbeitergespr%C3%A4ch%20vorbereiten",
                w.profile_of(&w.report)
            ),
            &boss,
        )
        .await,
        200,
    );
    // The header names the purpose as for every other read.
    let request = TestApp::request(Method::GET, &w.profile_of(&w.report), &w.reader)
        .header("x-mycel-purpose", "Qualifizierungsplanung")
        .body(Body::empty())
        .unwrap();
    assert_ok(&w.app.send(request).await, 200);

    let entries = assert_ok(&w.get(log, &privacy).await, 200);
    let summary: Vec<_> = entries
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["actor_kind"].as_str().unwrap().to_owned(),
                e["subject_id"].as_str().unwrap().to_owned(),
                e["action"].as_str().unwrap().to_owned(),
                e["purpose"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let report = w.report.id.to_string();
    let entry = |kind: &str, purpose: &str| {
        (
            kind.to_owned(),
            report.clone(),
            "competency-profile.read".to_owned(),
            purpose.to_owned(),
        )
    };
    assert_eq!(
        summary,
        [
            entry("credential", "Qualifizierungsplanung"),
            entry("person", "Mitarbeitergespräch vorbereiten"),
        ]
    );
    assert_eq!(entries[1]["actor_id"], w.boss.id.to_string());
    w.finish().await;
}

#[tokio::test]
async fn aggregate_is_suppressed_below_the_minimum_group_size_and_reported_at_it() {
    let w = World::new().await;
    let admin = w.login("admin@nord.de").await;
    let lnd = w.login("lnd@nord.de").await;
    w.shop_profile(&admin).await;
    let team = w.app.org_unit(&w.nord, "Team Kasse", Some(w.root.id)).await;
    let mut members = Vec::new();
    for n in 1..=4 {
        let member = w
            .app
            .person(
                &w.nord,
                &format!("kasse{n}@nord.de"),
                AccessRole::Learner,
                Some(team.id),
            )
            .await;
        w.assign(&member).await;
        members.push(member);
    }
    let gaps = format!("/api/v1/tenants/nord/competency-gaps?org_unit={}", team.id);
    assert_eq!(
        assert_ok(&w.get(&gaps, &lnd).await, 200),
        json!({"status": "suppressed", "people": 4, "min_group_size": 5})
    );

    let fifth = w
        .app
        .person(
            &w.nord,
            "kasse5@nord.de",
            AccessRole::Learner,
            Some(team.id),
        )
        .await;
    w.assign(&fifth).await;
    members.push(fifth);
    let world = &w;
    let record = |member: &mycel_organisation::Person, level: i32| {
        let w = world;
        let path = w.evidence_of(member);
        let body = json!({"competency_id": w.till, "kind": "test_result", "level": level});
        async move { assert_ok(&w.post(&path, &w.writer, body).await, 201) }
    };
    for (member, level) in [(&members[0], 3), (&members[1], 3), (&members[2], 1)] {
        record(member, level).await;
    }
    // Three of five have an estimate in the till skill: its mean and histogram would show their
    // levels, so the row is withheld.
    let report = assert_ok(&w.get(&gaps, &lnd).await, 200);
    assert_eq!(report["status"], "report", "{report}");
    assert_eq!(report["withheld_competencies"], 1);
    assert_eq!(uris(&report["competencies"]), [SHELVES]);
    for (member, level) in [(&members[3], 2), (&members[4], 4)] {
        record(member, level).await;
    }
    let report = assert_ok(&w.get(&gaps, &lnd).await, 200);
    assert_eq!(report["status"], "report", "{report}");
    assert_eq!(report["people"], 5);
    assert_eq!(report["withheld_competencies"], 0);
    let rows = report["competencies"].as_array().unwrap();
    assert_eq!(
        uris(&report["competencies"]),
        [SHELVES, TILL],
        "most below target first"
    );
    let shelves = &rows[0];
    assert_eq!(
        shelves["competency"]["labels"]["de"]["preferred"],
        "Regale auffüllen"
    );
    assert_eq!(shelves["people_with_target"], 5);
    assert_eq!(shelves["people_below_target"], 5);
    assert_eq!(shelves["people_without_estimate"], 5);
    approx(&shelves["mean_target"], 2.0);
    approx(&shelves["mean_gap"], 2.0);
    assert_eq!(shelves["mean_estimate"], Value::Null);
    assert_eq!(shelves["estimate_histogram"], json!([0, 0, 0, 0, 0]));
    let till = &rows[1];
    assert_eq!(
        till["competency"]["labels"]["en"]["preferred"],
        "operate cash register"
    );
    assert_eq!(till["people_with_target"], 5);
    assert_eq!(till["people_below_target"], 2);
    assert_eq!(till["people_without_estimate"], 0);
    approx(&till["mean_target"], 3.0);
    approx(&till["mean_gap"], (2.0 + 1.0) / 5.0);
    approx(&till["mean_estimate"], 13.0 / 5.0);
    assert_eq!(till["estimate_histogram"], json!([0, 1, 1, 2, 1]));

    // The whole tenant: everyone counts towards the size, only the team has targets.
    let tenant = assert_ok(
        &w.get("/api/v1/tenants/nord/competency-gaps", &lnd).await,
        200,
    );
    assert_eq!(tenant["status"], "report");
    assert_eq!(tenant["people"], 11, "{tenant}");
    assert_eq!(tenant["competencies"], report["competencies"]);
    // A reader credential sees aggregates too.
    assert_eq!(assert_ok(&w.get(&gaps, &w.reader).await, 200), report);

    // A manager sees their own team, here too small; not other groups, and learners see none.
    let boss = w.login("boss@nord.de").await;
    let own_team = format!(
        "/api/v1/tenants/nord/competency-gaps?reports_of={}",
        w.boss.id
    );
    assert_eq!(
        assert_ok(&w.get(&own_team, &boss).await, 200),
        json!({"status": "suppressed", "people": 1, "min_group_size": 5})
    );
    assert_error(&w.get(&gaps, &boss).await, 403, "forbidden");
    let learner = w.login("colleague@nord.de").await;
    for path in [
        gaps.as_str(),
        own_team.as_str(),
        "/api/v1/tenants/nord/competency-gaps",
    ] {
        assert_error(&w.get(path, &learner).await, 403, "forbidden");
    }
    w.finish().await;
}

// ---- one's own learning goals ----

#[tokio::test]
async fn learning_goals_are_ones_own() {
    let w = World::new().await;
    let me = w.login("report@nord.de").await;
    let colleague = w.login("colleague@nord.de").await;
    let goals = "/api/v1/tenants/nord/me/learning-goals";

    let goal = assert_ok(
        &w.post(
            goals,
            &me,
            json!({"competency_id": w.till, "target_level": 3, "due": "2030-01-31"}),
        )
        .await,
        201,
    );
    assert_eq!(goal["competency_id"], w.till.to_string());
    approx(&goal["target_level"], 3.0);
    assert_eq!(goal["due"], "2030-01-31");
    let id = goal["id"].as_str().unwrap().to_owned();
    assert_eq!(assert_ok(&w.get(goals, &me).await, 200), json!([goal]));
    assert_eq!(assert_ok(&w.get(goals, &colleague).await, 200), json!([]));

    // Someone else's goal is not found, and stays.
    assert_error(
        &w.delete(&format!("{goals}/{id}"), &colleague).await,
        404,
        "not_found",
    );
    assert_eq!(assert_ok(&w.get(goals, &me).await, 200), json!([goal]));
    let deleted = w.delete(&format!("{goals}/{id}"), &me).await;
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert!(deleted.body.is_empty());
    assert_eq!(assert_ok(&w.get(goals, &me).await, 200), json!([]));
    assert_error(
        &w.delete(&format!("{goals}/{id}"), &me).await,
        404,
        "not_found",
    );

    // A machine client has no goals; another tenant's client does not get in.
    assert_error(
        &w.post(
            goals,
            &w.writer,
            json!({"competency_id": w.till, "target_level": 3}),
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(&w.get(goals, &w.writer).await, 403, "forbidden");
    assert_error(&w.get(goals, &w.sued_credential).await, 404, "not_found");
    w.finish().await;
}
