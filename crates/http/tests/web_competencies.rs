#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The competency pages driven in-process: the framework browser and competency page, "My skills"
//! (levels with their explanation, gaps, self-assessment, goals, sharing), the team pages
//! (aggregates with the minimum group size, shared profiles, a manager's confirmation) and the role
//! profile editor — in German and English, with the refusals of foreign tenants, other people and
//! bad input.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use common::*;
use competency_fixture::{FORKLIFT, GROUP, SHELVES, SHOP_ASSISTANT, TILL};
use mycel_app::competencies as comp;
use mycel_app::organisation as org;
use mycel_app::Acting;
use mycel_competency::framework::{Label, Labels};
use mycel_competency::scale::Level;
use mycel_competency::{
    CompetencyKind, FrameworkImport, FrameworkKind, ImportedCompetency, RequirementKind,
};
use mycel_organisation::{
    AccessRole, CompetencyId, Person, PersonId, Role, RoleAssignmentKind, Tenant,
};
use mycel_store::competencies::RoleRequirement;
use mycel_store::{AuditQuery, TenantScope};

struct World {
    app: TestApp,
    tenant: Tenant,
    scope: TenantScope,
}

impl World {
    /// A company "nord" in a network that imported the ESCO-like fixture.
    async fn new() -> Self {
        let app = TestApp::new().await;
        let tenant = app.tenant("nord").await;
        competency_fixture::import(&*app.store).await;
        let scope = TenantScope::system(tenant.id);
        Self { app, tenant, scope }
    }

    async fn id(&self, uri: &str) -> CompetencyId {
        competency_fixture::competency_id(&*self.app.store, self.scope, uri).await
    }

    async fn person(&self, email: &str, role: AccessRole, manager: Option<PersonId>) -> Person {
        self.app
            .person_with(&self.tenant, email, role, None, manager)
            .await
    }

    async fn role(&self, name: &str, lines: &[(CompetencyId, RequirementKind, f64)]) -> Role {
        let store = &*self.app.store;
        let role = org::create_role(store, Acting::Operator, self.scope, name, None)
            .await
            .unwrap();
        let requirements: Vec<RoleRequirement> = lines
            .iter()
            .map(|(competency_id, kind, target)| RoleRequirement {
                competency_id: *competency_id,
                kind: *kind,
                target: Level::new(*target).unwrap(),
            })
            .collect();
        comp::set_role_profile(store, Acting::Operator, self.scope, role.id, &requirements)
            .await
            .unwrap();
        role
    }

    async fn holds(&self, person: &Person, role: &Role, kind: RoleAssignmentKind) {
        org::assign_role(
            &*self.app.store,
            Acting::Operator,
            self.scope,
            person.id,
            role.id,
            kind,
        )
        .await
        .unwrap();
    }

    async fn login(&self, email: &str) -> Auth {
        self.app.login(&self.tenant, email).await
    }

    async fn rate(&self, auth: &Auth, competency: CompetencyId, level: &str) -> TestResponse {
        self.app
            .post_form(
                "/skills/self-assessment",
                cookies(auth),
                &[
                    ("competency_id", &competency.to_string()),
                    ("level", level),
                    ("note", ""),
                ],
            )
            .await
    }

    async fn page(&self, path: &str, auth: &Auth) -> String {
        let response = self.app.get(path, auth).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{path}: {}",
            response.text()
        );
        response.text()
    }
}

/// The same session, with the language cookie set to German.
fn german(auth: &Auth) -> Auth {
    Auth::Session(format!("{}; mycel_lang=de", cookies(auth)))
}

/// The HTML from `start` (which must occur) to the next `end` after it.
fn part<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not in the page: {html}"));
    let rest = &html[from..];
    let to = rest.find(end).map_or(rest.len(), |i| i + end.len());
    &rest[..to]
}

/// A table cell's text by its class, within `row`.
fn cell<'a>(row: &'a str, class: &str) -> &'a str {
    let marker = format!("class=\"{class}\">");
    let from = row
        .find(&marker)
        .unwrap_or_else(|| panic!("no cell {class} in {row}"))
        + marker.len();
    let rest = &row[from..];
    &rest[..rest.find('<').unwrap_or(rest.len())]
}

const ESCO_EN: &str = "This service uses the ESCO classification of the European Commission.";
const ESCO_DE: &str =
    "Dieser Dienst verwendet die ESCO-Klassifikation der Europäischen Kommission.";

#[tokio::test]
async fn browse_and_search_in_german_and_english_mark_fallback_labels_and_credit_esco() {
    let w = World::new().await;
    w.person("anna@nord.de", AccessRole::Learner, None).await;
    let anna = w.login("anna@nord.de").await;

    let overview = w.page("/skills/frameworks", &anna).await;
    assert!(
        overview.contains("<h1>Competency frameworks</h1>"),
        "{overview}"
    );
    assert!(
        overview.contains("retail skills"),
        "the top level is listed"
    );
    assert!(
        !overview.contains("stock shelves"),
        "only the top level is listed"
    );
    assert!(overview.contains(ESCO_EN));

    let english = w.page("/skills/frameworks?q=operate", &anna).await;
    let results = part(&english, "id=\"search-results\"", "</section>");
    assert!(results.contains("operate cash register"), "{results}");
    assert!(results.contains("operate forklift"));
    assert!(!results.contains("stock shelves"));
    assert!(
        !results.contains("fallback-marker"),
        "English exists for all"
    );
    assert!(english.contains(ESCO_EN));

    let deutsch = w.page("/skills/frameworks?q=operate", &german(&anna)).await;
    let results = part(&deutsch, "id=\"search-results\"", "</section>");
    assert!(deutsch.contains("<h1>Kompetenzmodelle</h1>"), "{deutsch}");
    assert!(results.contains("Registrierkasse bedienen"), "{results}");
    assert!(!results.contains("operate cash register"));
    assert!(
        results.contains(
            "<span lang=\"en\">operate forklift</span> <small class=\"fallback-marker\">(Englisch, noch keine deutsche Bezeichnung)</small>"
        ),
        "{results}"
    );
    assert!(deutsch.contains(ESCO_DE));
    assert!(!deutsch.contains(ESCO_EN));

    // A German search word finds the German label; words match any language.
    let found = w.page("/skills/frameworks?q=Regale", &german(&anna)).await;
    assert!(found.contains("Regale auffüllen"), "{found}");

    // Browsing the hierarchy: the group's narrower items, with a way up.
    let framework = w.app.store.frameworks(w.scope).await.unwrap()[0].id;
    let group = w.id(GROUP).await;
    let level = w
        .page(
            &format!("/skills/frameworks?framework={framework}&broader={group}"),
            &german(&anna),
        )
        .await;
    let hierarchy = part(&level, "id=\"hierarchy\"", "</section>");
    assert!(
        hierarchy.contains("Fähigkeiten im Einzelhandel"),
        "{hierarchy}"
    );
    for label in [
        "Regale auffüllen",
        "Registrierkasse bedienen",
        "operate forklift",
    ] {
        assert!(hierarchy.contains(label), "{label} missing: {hierarchy}");
    }
    assert!(hierarchy.contains("Eine Ebene höher"));

    // Accept-Language alone makes the competency page German, with the marker.
    let forklift = w.id(FORKLIFT).await;
    let request = TestApp::request(
        Method::GET,
        &format!("/skills/competencies/{forklift}"),
        &anna,
    )
    .header(header::ACCEPT_LANGUAGE, "de-DE,de;q=0.9")
    .body(Body::empty())
    .unwrap();
    let page = w.app.send(request).await.text();
    assert!(
        page.contains("(Englisch, noch keine deutsche Bezeichnung)"),
        "{page}"
    );
    assert!(page.contains("Beschreibung") || page.contains("Description of operate forklift"));
    assert!(page.contains(ESCO_DE));

    for bad in [
        "/skills/competencies/not-an-id".to_owned(),
        format!("/skills/competencies/{}", uuid_like()),
        "/skills/frameworks?framework=nonsense".to_owned(),
        format!("/skills/frameworks?framework={}", uuid_like()),
    ] {
        let r = w.app.get(&bad, &anna).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{bad}");
        assert!(r.text().contains("This page does not exist"), "{bad}");
    }
    let long = format!("/skills/frameworks?q={}", "x".repeat(300));
    let r = w.app.get(&long, &anna).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Please check your input"));
    w.app.finish().await;
}

fn uuid_like() -> String {
    "0190f0f0-0000-7000-8000-000000000001".to_owned()
}

#[tokio::test]
async fn the_competency_page_shows_hierarchy_relations_roles_and_occupations() {
    let w = World::new().await;
    w.person("anna@nord.de", AccessRole::Learner, None).await;
    let (till, shelves) = (w.id(TILL).await, w.id(SHELVES).await);
    w.role(
        "Verkäufer/in",
        &[
            (till, RequirementKind::Required, 3.0),
            (shelves, RequirementKind::Desired, 1.0),
        ],
    )
    .await;
    w.role("Kassierer/in", &[(till, RequirementKind::Desired, 2.0)])
        .await;
    let anna = w.login("anna@nord.de").await;

    let page = w.page(&format!("/skills/competencies/{till}"), &anna).await;
    assert!(page.contains("operate cash register"));
    assert!(page.contains("Description of operate cash register."));
    assert!(
        page.contains("<dd id=\"competency-kind\">Skill</dd>"),
        "{page}"
    );
    let hierarchy = part(&page, "id=\"hierarchy\"", "</section>");
    assert!(
        hierarchy.contains("retail skills"),
        "broader item: {hierarchy}"
    );
    let relations = part(&page, "id=\"relations\"", "</section>");
    assert!(
        relations.contains("<h3>Essential skills and knowledge</h3>"),
        "{relations}"
    );
    assert!(relations.contains(&format!("/skills/competencies/{shelves}\">stock shelves")));
    let roles = part(&page, "id=\"roles-needing\"", "</section>");
    assert!(
        roles.contains("<td>Verkäufer/in</td><td>required</td><td>Advanced (3.0)</td>"),
        "{roles}"
    );
    assert!(
        roles.contains(
            "<td>Kassierer/in</td><td>desired</td><td>Intermediate (independent) (2.0)</td>"
        ),
        "{roles}"
    );
    let occupations = part(&page, "id=\"occupations-needing\"", "</section>");
    assert!(occupations.contains("shop assistant"), "{occupations}");
    assert!(occupations.contains("– essential"));
    assert!(
        page.contains("action=\"/skills/goals\""),
        "a goal can be set"
    );
    assert!(page.contains(ESCO_EN));

    let german_page = w
        .page(&format!("/skills/competencies/{shelves}"), &german(&anna))
        .await;
    assert!(german_page.contains("Regale auffüllen"));
    let relations = part(&german_page, "id=\"relations\"", "</section>");
    assert!(relations.contains("<h3>Wesentlich für</h3>"), "{relations}");
    assert!(relations.contains("Registrierkasse bedienen"));
    let roles = part(&german_page, "id=\"roles-needing\"", "</section>");
    assert!(
        roles.contains("<td>Verkäufer/in</td><td>wünschenswert</td><td>Grundkenntnisse (1,0)</td>"),
        "{roles}"
    );
    let occupations = part(&german_page, "id=\"occupations-needing\"", "</section>");
    assert!(
        occupations.contains("Verkäufer/Verkäuferin") && occupations.contains("– optional"),
        "{occupations}"
    );

    // Another member company sees the network's ESCO, but not this company's roles.
    let sued = w.app.tenant("sued").await;
    w.app
        .person(&sued, "sven@sued.de", AccessRole::Learner, None)
        .await;
    let sven = w.app.login(&sued, "sven@sued.de").await;
    let theirs = w
        .app
        .get(&format!("/skills/competencies/{till}"), &sven)
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.text().contains("Verkäufer/in"), "{}", theirs.text());
    assert!(theirs.text().contains("No role profile of your company"));
    w.app.finish().await;
}

#[tokio::test]
async fn a_learner_rates_themselves_and_sees_the_level_with_its_explanation() {
    let w = World::new().await;
    w.person("anna@nord.de", AccessRole::Learner, None).await;
    let anna = w.login("anna@nord.de").await;
    let till = w.id(TILL).await;

    let empty = w.page("/skills", &anna).await;
    assert!(empty.contains("There is no evidence of any competency yet."));
    assert!(empty.contains("Your profile is private"), "{empty}");

    let r = w
        .app
        .post_form(
            "/skills/self-assessment",
            cookies(&anna),
            &[
                ("competency_id", &till.to_string()),
                ("level", "3"),
                ("note", "Seit zwei Jahren an der Kasse"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.location(), Some("/skills?saved=assessment"));

    let page = w.page("/skills?saved=assessment", &anna).await;
    assert!(page.contains("Your rating was saved."));
    let level = part(&page, &format!("id=\"level-{till}\""), "</article>");
    assert!(level.contains("operate cash register"), "{level}");
    assert!(
        level.contains("<span class=\"level\">Advanced (3.0)</span>"),
        "{level}"
    );
    // One self-assessment: little weight, so little confidence.
    assert!(
        level.contains("<span class=\"confidence\">low ("),
        "{level}"
    );
    assert!(level.contains("<details>"));
    assert_eq!(cell(level, "evidence-kind"), "Self-assessment");
    assert_eq!(cell(level, "evidence-level"), "Advanced (3.0)");
    assert_eq!(cell(level, "evidence-author"), "anna");
    assert_eq!(cell(level, "evidence-share"), "100 %");
    assert!(level.contains("Seit zwei Jahren an der Kasse"));
    assert!(level.contains("Mycel"), "the source");

    // A second rating replaces the first: the first is listed as replaced.
    assert_eq!(w.rate(&anna, till, "2").await.status, StatusCode::SEE_OTHER);
    let page = w.page("/skills", &anna).await;
    let level = part(&page, &format!("id=\"level-{till}\""), "</article>");
    assert!(level.contains("<span class=\"level\">Intermediate (independent) (2.0)</span>"));
    assert_eq!(
        level.matches("<tr").count(),
        3,
        "header and two pieces of evidence"
    );
    assert!(level.contains("replaced by a later rating"), "{level}");
    assert!(level.contains("100 %"));

    let seite = w.page("/skills", &german(&anna)).await;
    assert!(seite.contains("<h1>Meine Kompetenzen</h1>"));
    let level = part(&seite, &format!("id=\"level-{till}\""), "</article>");
    assert!(level.contains("Registrierkasse bedienen"));
    assert!(
        level.contains("<span class=\"level\">Fortgeschritten (selbstständig) (2,0)</span>"),
        "{level}"
    );
    assert!(level.contains("<span class=\"confidence\">gering ("));
    assert!(level.contains("Wie diese Stufe geschätzt wurde"));
    assert!(level.contains("Selbsteinschätzung"));
    assert!(level.contains("durch eine spätere Einschätzung ersetzt"));
    assert!(seite.contains(ESCO_DE));

    // The self-assessment form offers the scale's descriptors, and a preselected competency
    // reached from the search page.
    let forklift = w.id(FORKLIFT).await;
    let form = w
        .page(&format!("/skills?competency={forklift}"), &anna)
        .await;
    let form = part(&form, "id=\"self-assessment\"", "</section>");
    assert!(
        form.contains(&format!(
            "<option value=\"{forklift}\" selected>operate forklift"
        )),
        "{form}"
    );
    assert!(form.contains("Handles the usual tasks independently and reliably"));
    w.app.finish().await;
}

#[tokio::test]
async fn the_gap_against_a_role_appears_and_closes_after_enough_evidence() {
    let w = World::new().await;
    let anna = w.person("anna@nord.de", AccessRole::Learner, None).await;
    let (till, shelves, forklift) = (w.id(TILL).await, w.id(SHELVES).await, w.id(FORKLIFT).await);
    let seller = w
        .role(
            "Verkäufer/in",
            &[
                (shelves, RequirementKind::Desired, 1.0),
                (till, RequirementKind::Required, 2.0),
            ],
        )
        .await;
    let warehouse = w
        .role("Lager", &[(forklift, RequirementKind::Required, 3.0)])
        .await;
    w.holds(&anna, &seller, RoleAssignmentKind::Current).await;
    w.holds(&anna, &warehouse, RoleAssignmentKind::Aspired)
        .await;
    let auth = w.login("anna@nord.de").await;

    let page = w.page("/skills", &auth).await;
    assert!(page.contains("Verkäufer/in (current role)"), "{page}");
    let gaps = part(&page, "id=\"gaps\"", "</section>");
    let row = part(gaps, &format!("id=\"gap-{till}\""), "</tr>");
    assert!(row.contains("class=\"open\""), "{row}");
    assert_eq!(cell(row, "gap-estimate"), "no evidence yet");
    assert!(row.contains("gap: 2.0"), "{row}");
    assert!(row.contains("Verkäufer/in (required)"));
    let aspired = part(gaps, &format!("id=\"gap-{forklift}\""), "</tr>");
    assert!(aspired.contains("Lager (required, aspired)"), "{aspired}");
    // Required targets come first, the desired one last.
    let position = |id: CompetencyId| gaps.find(&format!("id=\"gap-{id}\"")).unwrap();
    assert!(position(forklift) < position(shelves));
    assert!(position(till) < position(shelves));

    assert_eq!(w.rate(&auth, till, "1").await.status, StatusCode::SEE_OTHER);
    let page = w.page("/skills", &auth).await;
    let row = part(&page, &format!("id=\"gap-{till}\""), "</tr>");
    assert_eq!(cell(row, "gap-estimate"), "Basic (1.0)");
    assert!(
        row.contains("gap: 1.0") && row.contains("class=\"open\""),
        "{row}"
    );

    assert_eq!(w.rate(&auth, till, "2").await.status, StatusCode::SEE_OTHER);
    let page = w.page("/skills", &auth).await;
    let row = part(&page, &format!("id=\"gap-{till}\""), "</tr>");
    assert!(row.contains("class=\"met\""), "{row}");
    assert!(row.contains("✓ met"), "{row}");

    let seite = w.page("/skills", &german(&auth)).await;
    let row = part(&seite, &format!("id=\"gap-{till}\""), "</tr>");
    assert!(row.contains("✓ erreicht"), "{row}");
    let row = part(&seite, &format!("id=\"gap-{forklift}\""), "</tr>");
    assert!(row.contains("Lücke: 3,0"), "{row}");
    assert!(row.contains("Lager (erforderlich, angestrebt)"), "{row}");

    // A personal goal adds a target; deleting it removes it again.
    let r = w
        .app
        .post_form(
            "/skills/goals",
            cookies(&auth),
            &[
                ("competency_id", &shelves.to_string()),
                ("target", "3"),
                ("due", "2030-06-30"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/skills?saved=goal"), "{}", r.text());
    let page = w.page("/skills?saved=goal", &auth).await;
    let goals = part(&page, "id=\"goals\"", "</ul>");
    assert!(
        goals.contains("stock shelves</a> – Advanced (3.0)"),
        "{goals}"
    );
    assert!(goals.contains("2030-06-30"));
    let row = part(&page, &format!("id=\"gap-{shelves}\""), "</tr>");
    assert!(row.contains("my learning goal"), "{row}");
    assert!(
        row.contains("gap: 3.0"),
        "the goal's higher target counts: {row}"
    );
    let goal = w
        .app
        .store
        .learning_goals(w.scope, anna.id)
        .await
        .unwrap()
        .remove(0);
    let r = w
        .app
        .post_form(
            &format!("/skills/goals/{}/delete", goal.id),
            cookies(&auth),
            &[],
        )
        .await;
    assert_eq!(r.location(), Some("/skills?saved=goal-deleted"));
    let page = w.page("/skills", &auth).await;
    assert!(page.contains("You have not set any learning goals."));
    let r = w
        .app
        .post_form(
            &format!("/skills/goals/{}/delete", goal.id),
            cookies(&auth),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "already gone");
    w.app.finish().await;
}

#[tokio::test]
async fn a_manager_sees_a_profile_only_once_shared_and_confirms_a_level() {
    let w = World::new().await;
    let boss = w.person("boss@nord.de", AccessRole::Manager, None).await;
    let anna = w
        .person("anna@nord.de", AccessRole::Learner, Some(boss.id))
        .await;
    w.person("carl@nord.de", AccessRole::Learner, Some(boss.id))
        .await;
    w.person("dora@nord.de", AccessRole::Manager, None).await;
    let till = w.id(TILL).await;
    let anna_auth = w.login("anna@nord.de").await;
    let boss_auth = w.login("boss@nord.de").await;
    let dora_auth = w.login("dora@nord.de").await;
    assert_eq!(
        w.rate(&anna_auth, till, "2").await.status,
        StatusCode::SEE_OTHER
    );
    let profile_path = format!("/team/people/{}/skills", anna.id);

    let r = w.app.get(&profile_path, &boss_auth).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "not shared yet");
    assert!(!r.text().contains("Advanced"));
    let team = w.page("/team", &boss_auth).await;
    let reports = part(&team, "id=\"reports\"", "</section>");
    assert!(
        reports.contains("anna <small class=\"not-shared\">(has not shared their profile)</small>"),
        "{reports}"
    );
    assert!(!reports.contains(&profile_path));

    let r = w
        .app
        .post_form("/skills/sharing", cookies(&anna_auth), &[("shared", "1")])
        .await;
    assert_eq!(r.location(), Some("/skills?saved=shared"));
    let mine = w.page("/skills", &anna_auth).await;
    assert!(
        mine.contains("You share your profile with your manager and L&#38;D."),
        "{mine}"
    );

    let team = w.page("/team", &boss_auth).await;
    let reports = part(&team, "id=\"reports\"", "</section>");
    assert!(
        reports.contains(&format!("<a href=\"{profile_path}\">anna</a>")),
        "{reports}"
    );
    assert!(reports.contains("carl <small"), "carl still private");

    let profile = w.page(&profile_path, &boss_auth).await;
    assert!(profile.contains("Skills of anna"), "{profile}");
    let level = part(&profile, &format!("id=\"level-{till}\""), "</article>");
    assert!(level.contains("Intermediate (independent) (2.0)"));
    let form = part(&profile, &format!("id=\"confirm-{till}\""), "</form>");
    assert!(
        form.contains("<option value=\"2\" title=\"Handles the usual tasks"),
        "{form}"
    );
    assert!(
        form.contains("\" selected>2 – Intermediate (independent)"),
        "the estimate is preselected: {form}"
    );
    let audit = w
        .app
        .store
        .list_audit(w.scope, AuditQuery::default())
        .await
        .unwrap();
    assert!(
        audit.iter().any(|e| e.subject == Some(anna.id)
            && e.action == "competency-profile.read"
            && e.purpose == "Manager: Kompetenzprofil eines Teammitglieds"),
        "{audit:?}"
    );

    // Another manager may neither see nor rate anna.
    assert_eq!(
        w.app.get(&profile_path, &dora_auth).await.status,
        StatusCode::NOT_FOUND
    );
    let confirm_path = format!("/team/people/{}/assessments", anna.id);
    let r = w
        .app
        .post_form(
            &confirm_path,
            cookies(&dora_auth),
            &[("competency_id", &till.to_string()), ("level", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("You are not allowed to see this page."));

    // A bad level is a form error.
    let r = w
        .app
        .post_form(
            &confirm_path,
            cookies(&boss_auth),
            &[("competency_id", &till.to_string()), ("level", "9")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Please choose a level from 0 to 4."));

    let r = w
        .app
        .post_form(
            &confirm_path,
            cookies(&boss_auth),
            &[
                ("competency_id", &till.to_string()),
                ("level", "3"),
                ("note", "Sicher auch bei Reklamationen"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.location(),
        Some(format!("{profile_path}?saved=1").as_str())
    );
    let profile = w
        .page(&format!("{profile_path}?saved=1"), &german(&boss_auth))
        .await;
    assert!(profile.contains("Ihre Einschätzung wurde gespeichert."));
    assert!(profile.contains("Kompetenzen von anna"));

    let mine = w.page("/skills", &anna_auth).await;
    let level = part(&mine, &format!("id=\"level-{till}\""), "</article>");
    assert!(
        level.contains("<td class=\"evidence-kind\">Manager&#39;s assessment</td>"),
        "{level}"
    );
    let manager_row = part(level, "Manager", "</tr>");
    assert_eq!(cell(manager_row, "evidence-author"), "boss");
    assert!(manager_row.contains("Sicher auch bei Reklamationen"));
    let share: u32 = cell(manager_row, "evidence-share")
        .trim_end_matches(" %")
        .parse()
        .unwrap();
    assert!(share > 50, "the manager's rating weighs more: {share}");

    // Stopping to share hides the profile again.
    w.app
        .post_form("/skills/sharing", cookies(&anna_auth), &[("shared", "0")])
        .await;
    assert_eq!(
        w.app.get(&profile_path, &boss_auth).await.status,
        StatusCode::NOT_FOUND
    );
    w.app.finish().await;
}

#[tokio::test]
async fn team_figures_are_suppressed_for_two_and_shown_for_five() {
    let w = World::new().await;
    let till = w.id(TILL).await;
    let role = w
        .role("Verkäufer/in", &[(till, RequirementKind::Required, 2.0)])
        .await;
    let north = w.app.org_unit(&w.tenant, "Nord", None).await;
    let small = w.person("small@nord.de", AccessRole::Manager, None).await;
    let large = w.person("large@nord.de", AccessRole::Manager, None).await;
    for n in 0..2 {
        let p = w
            .person(
                &format!("s{n}@nord.de"),
                AccessRole::Learner,
                Some(small.id),
            )
            .await;
        w.holds(&p, &role, RoleAssignmentKind::Current).await;
    }
    // Five reports in unit Nord, each with a self-assessment (a row shows levels only when at
    // least five people have one, or all those who have one share their profile).
    for (n, level) in [Some("3"), Some("3"), Some("1"), Some("2"), Some("4")]
        .into_iter()
        .enumerate()
    {
        let email = format!("l{n}@nord.de");
        let p = w
            .app
            .person_with(
                &w.tenant,
                &email,
                AccessRole::Learner,
                Some(north.id),
                Some(large.id),
            )
            .await;
        w.holds(&p, &role, RoleAssignmentKind::Current).await;
        if let Some(level) = level {
            let auth = w.login(&email).await;
            assert_eq!(
                w.rate(&auth, till, level).await.status,
                StatusCode::SEE_OTHER
            );
        }
    }

    let small_auth = w.login("small@nord.de").await;
    let team = w.page("/team", &small_auth).await;
    let gaps = part(&team, "id=\"group-gaps\"", "</section>");
    assert!(gaps.contains("People in the group: 2"), "{gaps}");
    assert!(
        gaps.contains("smaller than the minimum group size of 5 people"),
        "{gaps}"
    );
    assert!(!gaps.contains(&format!("id=\"row-{till}\"")));
    let team = w.page("/team", &german(&small_auth)).await;
    assert!(
        team.contains("kleiner als die Mindestgruppengröße von 5 Personen"),
        "{team}"
    );

    let large_auth = w.login("large@nord.de").await;
    let team = w.page("/team", &large_auth).await;
    let gaps = part(&team, "id=\"group-gaps\"", "</section>");
    assert!(gaps.contains("People in the group: 5"), "{gaps}");
    assert!(!gaps.contains("group-suppressed"));
    let row = part(gaps, &format!("id=\"row-{till}\""), "</tr>");
    assert!(row.contains("operate cash register"));
    assert_eq!(cell(row, "with-target"), "5");
    assert_eq!(cell(row, "below-target"), "1");
    assert_eq!(cell(row, "without-estimate"), "0");
    assert_eq!(cell(row, "mean-target"), "2.0");
    // Gaps 0, 0, 1, 0, 0 over five.
    assert_eq!(cell(row, "mean-gap"), "0.2");
    assert_eq!(cell(row, "mean-estimate"), "2.6");
    let histogram: Vec<&str> = (0..5)
        .map(|level| {
            let marker = format!("data-level=\"{level}\">");
            let from = row.find(&marker).unwrap() + marker.len();
            &row[from..from + row[from..].find('<').unwrap()]
        })
        .collect();
    assert_eq!(histogram, ["0", "1", "1", "2", "1"]);
    assert!(team.contains(ESCO_EN));

    // An L&D admin of unit Nord sees the unit (the same five people), not the whole company.
    w.app
        .person(
            &w.tenant,
            "lnd@nord.de",
            AccessRole::LndAdmin,
            Some(north.id),
        )
        .await;
    let lnd = w.login("lnd@nord.de").await;
    let team = w.page("/team", &lnd).await;
    assert!(team.contains("Org unit Nord with its sub-units"), "{team}");
    let row = part(&team, &format!("id=\"row-{till}\""), "</tr>");
    assert_eq!(cell(row, "with-target"), "5");
    assert!(
        !team.contains("id=\"reports\""),
        "no list of people for L&D"
    );
    assert!(team.contains("Role profiles"), "L&D edits role profiles");
    assert_eq!(
        w.app.get("/team?unit=all", &lnd).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        w.app
            .get(&format!("/team?unit={}", uuid_like()), &lnd)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // A company admin sees the whole company: seven people have the target.
    w.person("admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    let admin = w.login("admin@nord.de").await;
    let team = w.page("/team?unit=all", &admin).await;
    let row = part(&team, &format!("id=\"row-{till}\""), "</tr>");
    assert_eq!(cell(row, "with-target"), "7");
    // One of the five below 2, and the small team's two without evidence.
    assert_eq!(cell(row, "below-target"), "3");
    // Unit Nord: the five reports and the L&D admin, who has no target.
    let team = w.page(&format!("/team?unit={}", north.id), &admin).await;
    assert!(team.contains("People in the group: 6"), "{team}");

    // Learners have no team page.
    let learner = w.login("s0@nord.de").await;
    assert_eq!(
        w.app.get("/team", &learner).await.status,
        StatusCode::FORBIDDEN
    );
    w.app.finish().await;
}

#[tokio::test]
async fn a_role_profile_is_created_from_an_occupation_and_edited() {
    let w = World::new().await;
    w.person("admin@nord.de", AccessRole::TenantAdmin, None)
        .await;
    let admin = w.login("admin@nord.de").await;
    let role = w.role("Verkäufer/in", &[]).await;
    let (till, shelves, forklift) = (w.id(TILL).await, w.id(SHELVES).await, w.id(FORKLIFT).await);
    let editor = format!("/admin/roles/{}/profile", role.id);

    let admin_page = w.page("/admin", &admin).await;
    assert!(
        admin_page.contains(&format!("{editor}?tenant=nord")),
        "linked from the roles list"
    );
    let page = w.page(&editor, &admin).await;
    assert!(page.contains("This role profile has no competencies yet."));

    let page = w.page(&format!("{editor}?occupation=shop"), &admin).await;
    let found = part(&page, "id=\"profile-occupation\"", "</section>");
    assert!(found.contains("shop assistant"), "{found}");
    assert!(page.contains(ESCO_EN));
    let occupation = w
        .app
        .store
        .search_occupations(w.scope, "shop", 10)
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.uri == SHOP_ASSISTANT)
        .unwrap();
    let from_occupation = format!("{editor}/profile-from-nothing");
    assert_eq!(
        w.app
            .post_form(&from_occupation, cookies(&admin), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let from_occupation = format!("{editor}/from-occupation");

    let r = w
        .app
        .post_form(
            &from_occupation,
            cookies(&admin),
            &[
                ("tenant", "nord"),
                ("occupation_id", &occupation.id.to_string()),
                ("required_level", "3"),
                ("desired_level", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.location(),
        Some(format!("{editor}?tenant=nord&created=2").as_str())
    );
    let page = w.page(r.location().unwrap(), &admin).await;
    assert!(page.contains("The profile was created with 2 competencies."));
    let line = part(&page, &format!("id=\"line-{till}\""), "</tr>");
    assert!(line.contains("operate cash register"));
    assert!(
        line.contains("<option value=\"required\" selected>"),
        "{line}"
    );
    assert!(line.contains("<option value=\"3\" selected>"), "{line}");
    let line = part(&page, &format!("id=\"line-{shelves}\""), "</tr>");
    assert!(
        line.contains("<option value=\"desired\" selected>"),
        "{line}"
    );
    assert!(line.contains("<option value=\"1\" selected>"), "{line}");
    let stored = w
        .app
        .store
        .role_requirements(w.scope, role.id)
        .await
        .unwrap();
    let find = |id| stored.iter().find(|r| r.competency_id == id).unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (find(till).kind, find(till).target.value()),
        (RequirementKind::Required, 3.0)
    );
    assert_eq!(
        (find(shelves).kind, find(shelves).target.value()),
        (RequirementKind::Desired, 1.0)
    );

    // Without the desired ones, and with the default levels.
    let r = w
        .app
        .post_form(
            &from_occupation,
            cookies(&admin),
            &[
                ("occupation_id", &occupation.id.to_string()),
                ("required_level", "2"),
                ("desired_level", "none"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stored = w
        .app
        .store
        .role_requirements(w.scope, role.id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].competency_id, till);
    assert_eq!(stored[0].target.value(), 2.0);

    // Add a competency found by search.
    let page = w.page(&format!("{editor}?q=forklift"), &admin).await;
    assert!(page.contains(&format!("id=\"add-{forklift}\"")), "{page}");
    let r = w
        .app
        .post_form(
            &editor,
            cookies(&admin),
            &[
                ("action", "add"),
                ("add", &forklift.to_string()),
                ("add_kind", "desired"),
                ("add_target", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stored = w
        .app
        .store
        .role_requirements(w.scope, role.id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);

    // Change a line and remove another, as the table's form sends them.
    let (t, f) = (till.to_string(), forklift.to_string());
    let kind_t = format!("kind.{t}");
    let target_t = format!("target.{t}");
    let kind_f = format!("kind.{f}");
    let target_f = format!("target.{f}");
    let r = w
        .app
        .post_form(
            &editor,
            cookies(&admin),
            &[
                ("action", "save"),
                ("line", &t),
                (&kind_t, "desired"),
                (&target_t, "4"),
                ("line", &f),
                (&kind_f, "desired"),
                (&target_f, "2"),
                ("remove", &f),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stored = w
        .app
        .store
        .role_requirements(w.scope, role.id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        (
            stored[0].competency_id,
            stored[0].kind,
            stored[0].target.value()
        ),
        (till, RequirementKind::Desired, 4.0)
    );

    // Bad input: form errors, never a 500, and nothing changed.
    for fields in [
        vec![
            ("action", "save"),
            ("line", t.as_str()),
            (kind_t.as_str(), "desired"),
            (target_t.as_str(), "7"),
        ],
        vec![
            ("action", "save"),
            ("line", t.as_str()),
            (kind_t.as_str(), "desired"),
            (target_t.as_str(), "abc"),
        ],
        vec![
            ("action", "add"),
            ("add", f.as_str()),
            ("add_kind", "required"),
            ("add_target", "-1"),
        ],
    ] {
        let r = w.app.post_form(&editor, cookies(&admin), &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert!(
            r.text().contains("Please choose a level from 0 to 4."),
            "{}",
            r.text()
        );
    }
    let r = w
        .app
        .post_form(
            &editor,
            cookies(&admin),
            &[
                ("action", "add"),
                ("add", &uuid_like()),
                ("add_kind", "required"),
                ("add_target", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("Please check your input"), "{}", r.text());
    let r = w
        .app
        .post_form(
            &editor,
            cookies(&admin),
            &[
                ("action", "add"),
                ("add", &f),
                ("add_kind", "mandatory"),
                ("add_target", "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = w
        .app
        .post_form(
            &from_occupation,
            cookies(&admin),
            &[
                ("occupation_id", &uuid_like()),
                ("required_level", "2"),
                ("desired_level", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Please choose an occupation"));
    let stored = w
        .app
        .store
        .role_requirements(w.scope, role.id)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "nothing changed");
    // Without the CSRF token.
    let r = w
        .app
        .post_form(
            &editor,
            &cookies(&admin).replace("mycel_csrf=", "other="),
            &[("action", "save")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        w.app
            .store
            .role_requirements(w.scope, role.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // The editor in German.
    let seite = w.page(&editor, &german(&admin)).await;
    assert!(seite.contains("Soll-Profil: Verkäufer/in"), "{seite}");
    assert!(seite.contains("Aus einem ESCO-Beruf erstellen"));
    w.app.finish().await;
}

#[tokio::test]
async fn only_l_and_d_and_company_admins_open_the_role_profile_editor() {
    let w = World::new().await;
    let role = w.role("Verkäufer/in", &[]).await;
    let editor = format!("/admin/roles/{}/profile", role.id);
    w.person("anna@nord.de", AccessRole::Learner, None).await;
    w.person("boss@nord.de", AccessRole::Manager, None).await;
    w.app
        .person(&w.tenant, "lnd@nord.de", AccessRole::LndAdmin, None)
        .await;
    for email in ["anna@nord.de", "boss@nord.de"] {
        let auth = w.login(email).await;
        let r = w.app.get(&editor, &auth).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
        assert!(r.text().contains("You are not allowed to see this page."));
        let r = w
            .app
            .post_form(&editor, cookies(&auth), &[("action", "save")])
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{email}");
    }
    let lnd = w.login("lnd@nord.de").await;
    let page = w.page(&editor, &lnd).await;
    assert!(page.contains("Role profile: Verkäufer/in"));
    assert!(
        page.contains("href=\"/team\""),
        "L&D goes back to the team page"
    );
    for bad in [
        "/admin/roles/not-an-id/profile".to_owned(),
        format!("/admin/roles/{}/profile", uuid_like()),
    ] {
        assert_eq!(w.app.get(&bad, &lnd).await.status, StatusCode::NOT_FOUND);
    }
    // A role of another company is not found, even for its id.
    let sued = w.app.tenant("sued").await;
    w.app
        .person(&sued, "admin@sued.de", AccessRole::TenantAdmin, None)
        .await;
    let foreign = w.app.login(&sued, "admin@sued.de").await;
    assert_eq!(
        w.app.get(&editor, &foreign).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        w.app
            .get(&format!("{editor}?tenant=nord"), &foreign)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    w.app.finish().await;
}

fn own_framework() -> FrameworkImport {
    let mut labels = Labels::new();
    labels.insert(
        "de".into(),
        Label {
            preferred: "Nord-Kassenstandard".into(),
            alternatives: vec![],
            description: None,
        },
    );
    FrameworkImport {
        kind: FrameworkKind::Own,
        uri: "nord-kompetenzen".into(),
        title: labels.clone(),
        version: "1".into(),
        competencies: vec![ImportedCompetency {
            uri: "nord:kasse".into(),
            code: Some("K1".into()),
            kind: CompetencyKind::Competency,
            category: None,
            labels,
        }],
        relations: vec![],
        occupations: vec![],
    }
}

#[tokio::test]
async fn another_company_cannot_open_this_companys_competencies_or_profiles() {
    let w = World::new().await;
    let anna = w.person("anna@nord.de", AccessRole::Learner, None).await;
    w.app
        .store
        .import_framework(Some(w.scope), &own_framework(), &|_| {})
        .await
        .unwrap();
    let own = w
        .app
        .store
        .search_competencies(
            w.scope,
            &mycel_store::competencies::CompetencySearch {
                text: Some("Nord-Kassenstandard".into()),
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .remove(0)
        .id;
    let anna_auth = w.login("anna@nord.de").await;
    let page = w
        .page(&format!("/skills/competencies/{own}"), &anna_auth)
        .await;
    // Only German: the English page shows it marked, and no ESCO attribution on own content.
    assert!(
        page.contains("<span lang=\"de\">Nord-Kassenstandard</span> <small class=\"fallback-marker\">(no English label yet)</small>"),
        "{page}"
    );
    assert!(!page.contains(ESCO_EN));
    assert_eq!(
        w.rate(&anna_auth, own, "2").await.status,
        StatusCode::SEE_OTHER
    );
    w.app
        .post_form("/skills/sharing", cookies(&anna_auth), &[("shared", "1")])
        .await;
    comp::create_learning_goal(
        &*w.app.store,
        &mycel_organisation::Principal::Person {
            tenant_id: w.tenant.id,
            person_id: anna.id,
            grants: vec![],
        },
        w.scope,
        own,
        3.0,
        None,
    )
    .await
    .unwrap();
    let goal = w
        .app
        .store
        .learning_goals(w.scope, anna.id)
        .await
        .unwrap()
        .remove(0);

    let sued = w.app.tenant("sued").await;
    for (email, role) in [
        ("sven@sued.de", AccessRole::Learner),
        ("boss@sued.de", AccessRole::TenantAdmin),
    ] {
        w.app.person(&sued, email, role, None).await;
        let auth = w.app.login(&sued, email).await;
        let r = w
            .app
            .get(&format!("/skills/competencies/{own}"), &auth)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{email}");
        assert!(!r.text().contains("Nord-Kassenstandard"));
        let search = w.page("/skills/frameworks?q=Kassenstandard", &auth).await;
        assert!(!search.contains("Nord-Kassenstandard"), "{search}");
        let r = w
            .app
            .get(&format!("/team/people/{}/skills", anna.id), &auth)
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{email}");
        // Rating or targeting a competency the company does not see is a form error.
        let r = w.rate(&auth, own, "2").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
        assert!(r.text().contains("Please check your input"), "{}", r.text());
        let r = w
            .app
            .post_form(
                &format!("/skills/goals/{}/delete", goal.id),
                cookies(&auth),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let r = w
            .app
            .post_form(
                &format!("/team/people/{}/assessments", anna.id),
                cookies(&auth),
                &[("competency_id", &own.to_string()), ("level", "3")],
            )
            .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{email}: {}", r.text());
    }
    assert_eq!(
        w.app
            .store
            .learning_goals(w.scope, anna.id)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        w.app
            .store
            .evidence(w.scope, anna.id, None)
            .await
            .unwrap()
            .len(),
        1
    );
    w.app.finish().await;
}

#[tokio::test]
async fn bad_input_on_my_skills_gets_a_form_error_not_a_500() {
    let w = World::new().await;
    let anna = w.person("anna@nord.de", AccessRole::Learner, None).await;
    let auth = w.login("anna@nord.de").await;
    let till = w.id(TILL).await.to_string();
    for (path, fields, expected) in [
        (
            "/skills/self-assessment",
            vec![("competency_id", till.as_str()), ("level", "7")],
            "Please choose a level from 0 to 4.",
        ),
        (
            "/skills/self-assessment",
            vec![("competency_id", till.as_str()), ("level", "abc")],
            "Please choose a level from 0 to 4.",
        ),
        (
            "/skills/self-assessment",
            vec![("competency_id", till.as_str()), ("level", "2.5")],
            "Please choose a level from 0 to 4.",
        ),
        (
            "/skills/self-assessment",
            vec![("competency_id", till.as_str())],
            "Please choose a level from 0 to 4.",
        ),
        (
            "/skills/self-assessment",
            vec![("competency_id", "nonsense"), ("level", "2")],
            "Please choose a competency.",
        ),
        (
            "/skills/self-assessment",
            vec![
                ("competency_id", "0190f0f0-0000-7000-8000-000000000001"),
                ("level", "2"),
            ],
            "Please check your input: competency_id",
        ),
        (
            "/skills/goals",
            vec![
                ("competency_id", till.as_str()),
                ("target", "5"),
                ("due", ""),
            ],
            "Please choose a level from 0 to 4.",
        ),
        (
            "/skills/goals",
            vec![
                ("competency_id", till.as_str()),
                ("target", "2"),
                ("due", "31.12.2030"),
            ],
            "Please enter the date as YYYY-MM-DD.",
        ),
        (
            "/skills/sharing",
            vec![("shared", "maybe")],
            "Please choose whether to share your profile.",
        ),
    ] {
        let r = w.app.post_form(path, cookies(&auth), &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {fields:?}"
        );
        assert!(
            r.text().contains(expected),
            "{path} {fields:?}: {}",
            r.text()
        );
        assert!(r.text().contains("id=\"form-error\""));
    }
    let r = w
        .app
        .post_form(
            "/skills/self-assessment",
            cookies(&german(&auth)),
            &[("competency_id", till.as_str()), ("level", "7")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .contains("Bitte wählen Sie eine Stufe von 0 bis 4."));
    // The form keeps the competency chosen.
    assert!(
        r.text()
            .contains(&format!("<option value=\"{till}\" selected>")),
        "{}",
        r.text()
    );

    // Without the CSRF token nothing is recorded.
    let r = w
        .app
        .post_form(
            "/skills/self-assessment",
            &cookies(&auth).replace("mycel_csrf=", "x="),
            &[("competency_id", till.as_str()), ("level", "2")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for path in [
        "/skills/goals/not-an-id/delete",
        "/team/people/not-an-id/assessments",
    ] {
        let r = w.app.post_form(path, cookies(&auth), &[]).await;
        assert!(
            r.status == StatusCode::NOT_FOUND || r.status == StatusCode::FORBIDDEN,
            "{path}: {}",
            r.status
        );
    }
    assert!(w
        .app
        .store
        .evidence(w.scope, anna.id, None)
        .await
        .unwrap()
        .is_empty());
    assert!(w
        .app
        .store
        .learning_goals(w.scope, anna.id)
        .await
        .unwrap()
        .is_empty());
    w.app.finish().await;
}
