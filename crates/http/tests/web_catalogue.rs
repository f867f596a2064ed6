#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The catalogue's web pages: an L&D admin creates and publishes an opportunity through the
//! forms, learners find it (stemmed and with a typo) with facet counts and read it in German and
//! English, other companies and drafts stay hidden, the editor keeps what was typed when a value
//! is wrong and proposes competencies, a real SCORM package is uploaded and its files served, a
//! hostile zip is refused, and learners cannot reach the management pages.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::*;
use mycel_organisation::{AccessRole, Tenant};
use mycel_store::catalogue::OpportunityListQuery;
use mycel_store::TenantScope;

const BOUNDARY: &str = "mycel-catalogue-boundary";

/// Posts a package upload (multipart) with the session's CSRF token.
async fn upload(app: &TestApp, auth: &Auth, file_name: &str, zip: &[u8]) -> TestResponse {
    let cookies = cookies(auth);
    let csrf = cookies
        .split("; ")
        .find_map(|c| c.strip_prefix("mycel_csrf="))
        .unwrap_or_default();
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(zip);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    let request = Request::builder()
        .method(Method::POST)
        .uri("/catalog/packages")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::COOKIE, cookies)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

/// The session with the page language set by cookie.
fn in_language(auth: &Auth, lang: &str) -> Auth {
    Auth::Session(format!("{}; mycel_lang={lang}", cookies(auth)))
}

/// The opportunity id of a redirect to its page (or its editor).
fn opportunity_of(location: &str) -> String {
    location
        .strip_prefix("/catalog/opportunities/")
        .expect("a redirect to an opportunity")
        .split(['?', '/'])
        .next()
        .unwrap()
        .to_owned()
}

/// The count shown beside a facet's checkbox.
fn facet_count(page: &str, facet: &str, value: &str) -> Option<u64> {
    let marker = format!("data-facet=\"{facet}\" data-value=\"{value}\"");
    let start = page.find(&marker)?;
    let rest = &page[start..];
    let end = rest.find("</label>")?;
    let option = &rest[..end];
    let count_at = option.find("class=\"facet-count\">")? + "class=\"facet-count\">".len();
    option[count_at..].split('<').next()?.trim().parse().ok()
}

struct Company {
    tenant: Tenant,
    editor: Auth,
    learner: Auth,
}

async fn company(app: &TestApp, slug: &str) -> Company {
    let tenant = app.tenant(slug).await;
    let editor_mail = format!("lnd@{slug}.example");
    let learner_mail = format!("anna@{slug}.example");
    app.person(&tenant, &editor_mail, AccessRole::LndAdmin, None)
        .await;
    app.person(&tenant, &learner_mail, AccessRole::Learner, None)
        .await;
    let editor = app.login(&tenant, &editor_mail).await;
    let learner = app.login(&tenant, &learner_mail).await;
    Company {
        tenant,
        editor,
        learner,
    }
}

#[tokio::test]
async fn an_opportunity_is_created_published_found_and_read() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = company(&app, "nord").await;
    let sued = company(&app, "sued").await;
    let scope = TenantScope::system(nord.tenant.id);
    let till = competency_fixture::competency_id(&*app.store, scope, competency_fixture::TILL)
        .await
        .to_string();
    let shelves =
        competency_fixture::competency_id(&*app.store, scope, competency_fixture::SHELVES)
            .await
            .to_string();

    // A provider, through the management page.
    let manage = app.get("/catalog/manage", &nord.editor).await;
    assert_eq!(manage.status, StatusCode::OK);
    assert!(manage.text().contains("id=\"package-upload\""));
    let r = app
        .post_form(
            "/catalog/providers",
            cookies(&nord.editor),
            &[
                ("name", "IHK Akademie"),
                ("website", "https://ihk.example"),
                ("contact_email", "kurse@ihk.example"),
                ("terms", "Storno bis 14 Tage vorher kostenfrei."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let providers = app.store.providers(scope).await.unwrap();
    assert_eq!(providers.len(), 1);
    let provider = providers[0].id.to_string();
    let manage = app.get("/catalog/manage", &nord.editor).await;
    assert!(manage.text().contains("IHK Akademie"));
    // A provider with a wrong address comes back with what was typed and the reason.
    let r = app
        .post_form(
            "/catalog/providers",
            cookies(&nord.editor),
            &[("name", "Kammer Süd"), ("website", "kammer.example")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"provider-error\""), "{}", r.text());
    assert!(r.text().contains("value=\"Kammer Süd\""));
    assert_eq!(app.store.providers(scope).await.unwrap().len(), 1);

    // The editor's form, then the classroom course with a competency found in the form's search.
    let form = app
        .get(
            "/catalog/opportunities/new?modality=classroom",
            &nord.editor,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.text().contains("id=\"opportunity-editor\""));
    let found = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("action", "find"),
                ("modality", "classroom"),
                ("title_de", "Kassensysteme sicher bedienen"),
                ("competency_q", "cash register"),
            ],
        )
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(
        found.text().contains("id=\"found-list\""),
        "{}",
        found.text()
    );
    assert!(found.text().contains(&format!("name=\"found_as.{till}\"")));
    assert!(found
        .text()
        .contains("value=\"Kassensysteme sicher bedienen\""));

    let fields: Vec<(String, String)> = [
        ("action", "save"),
        ("modality", "classroom"),
        ("title_de", "Kassensysteme sicher bedienen"),
        ("title_en", "Operating checkout systems safely"),
        (
            "description_de",
            "Sie lernen, die Registrierkasse zu bedienen und Retouren zu buchen.",
        ),
        (
            "description_en",
            "You learn to operate the till and to book returns.",
        ),
        ("content_language", "de"),
        ("duration_minutes", "90"),
        ("provider_id", &provider),
        ("cost_amount", "199,00"),
        ("cost_currency", "EUR"),
        ("recertify_after_months", "24"),
        ("found", &till),
        (&format!("found_as.{till}"), "teaches"),
        (&format!("found_level.{till}"), "3"),
        ("found", &shelves),
        (&format!("found_as.{shelves}"), "requires"),
        (&format!("found_level.{shelves}"), "1"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &borrowed,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = opportunity_of(r.location().unwrap());
    let page_href = format!("/catalog/opportunities/{id}");

    // A second one, a video, published right away.
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("modality", "video"),
                ("title_de", "Regale richtig auffüllen"),
                ("content_language", "de"),
                ("duration_minutes", "10"),
                ("link", "https://video.example/regale"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let video = opportunity_of(r.location().unwrap());
    let r = app
        .post_form(
            &format!("/catalog/opportunities/{video}/lifecycle"),
            cookies(&nord.editor),
            &[("lifecycle", "published")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // A draft is hidden from learners, on its page and in the search; editors see it marked.
    let r = app.get(&page_href, &nord.learner).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get("/catalog?q=kassensysteme", &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.text().contains("id=\"catalogue-no-results\""),
        "{}",
        r.text()
    );
    assert!(!r.text().contains("catalogue-manage-link"));
    let r = app
        .get("/catalog?q=kassensysteme&drafts=1", &nord.editor)
        .await;
    assert!(r.text().contains(&page_href), "{}", r.text());
    assert!(r.text().contains("badge-draft"));
    assert!(r.text().contains("id=\"catalogue-manage-link\""));
    let r = app.get(&page_href, &nord.editor).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("id=\"opportunity-publish\""));

    // Published through the page's button.
    let r = app
        .post_form(
            &format!("{page_href}/lifecycle"),
            cookies(&nord.editor),
            &[("lifecycle", "published")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        Some(format!("{page_href}?saved=published").as_str())
    );
    let r = app.get(&page_href, &nord.editor).await;
    assert!(r.text().contains("id=\"opportunity-retire\""));
    assert!(!r.text().contains("id=\"opportunity-publish\""));
    // The management page lists the company's opportunities by lifecycle.
    let r = app
        .get("/catalog/manage?lifecycle=published", &nord.editor)
        .await;
    assert!(r.text().contains("Operating checkout systems safely"));
    assert!(r.text().contains(&format!("{page_href}/edit")));
    let r = app
        .get("/catalog/manage?lifecycle=draft", &nord.editor)
        .await;
    assert!(!r.text().contains("Operating checkout systems safely"));
    assert!(r.text().contains("id=\"manage-empty\""));

    // The editor shows what is stored; a changed level and a removed prerequisite are saved.
    let r = app.get(&format!("{page_href}/edit"), &nord.editor).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(
        text.contains(&format!("name=\"alignment_level.{till}\"")),
        "{text}"
    );
    assert!(text.contains("<option value=\"3\" selected>"));
    assert!(text.contains(&format!("name=\"prerequisite_level.{shelves}\"")));
    assert!(text.contains("value=\"199.00\""));
    assert!(text.contains(&format!("<option value=\"{provider}\" selected>")));
    let level_field = format!("alignment_level.{till}");
    let prerequisite_level = format!("prerequisite_level.{shelves}");
    let r = app
        .post_form(
            &format!("{page_href}/edit"),
            cookies(&nord.editor),
            &[
                ("action", "save"),
                ("modality", "classroom"),
                ("title_de", "Kassensysteme sicher bedienen"),
                ("title_en", "Operating checkout systems safely"),
                (
                    "description_de",
                    "Sie lernen, die Registrierkasse zu bedienen und Retouren zu buchen.",
                ),
                (
                    "description_en",
                    "You learn to operate the till and to book returns.",
                ),
                ("content_language", "de"),
                ("duration_minutes", "90"),
                ("provider_id", &provider),
                ("cost_amount", "199.00"),
                ("cost_currency", "EUR"),
                ("recertify_after_months", "24"),
                ("alignment", &till),
                (&level_field, "4"),
                ("prerequisite", &shelves),
                (&prerequisite_level, "1"),
                ("prerequisite_remove", &shelves),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(
        r.location(),
        Some(format!("{page_href}?saved=saved").as_str())
    );
    let stored = app
        .store
        .opportunity(scope, id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.draft.alignments[0].level.value(), 4.0);
    assert!(stored.draft.prerequisites.is_empty());
    assert_eq!(stored.draft.cost.as_ref().unwrap().cents, 19_900);
    // Back as it was, for the pages below.
    let r = app
        .post_form(
            &format!("{page_href}/edit"),
            cookies(&nord.editor),
            &borrowed,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());

    // A learner finds it by a stemmed word and by a word with a typo, highlighted.
    for q in ["Kassensystem", "Kasensysteme"] {
        let r = app
            .get(
                &format!("/catalog?q={q}"),
                &in_language(&nord.learner, "de"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let text = r.text();
        assert!(text.contains(&page_href), "{q}: {text}");
        assert!(text.contains("<b>"), "{q}: highlighted");
        assert!(!text.contains("Regale richtig"), "{q}: only the match");
        assert!(text.contains("Treffer 1–1 von 1"), "{q}");
        assert!(text.contains("Präsenzschulung"));
        assert!(text.contains("1 Std. 30 Min."));
        assert_eq!(facet_count(&text, "modality", "classroom"), Some(1));
        assert_eq!(
            facet_count(&text, "provider", "external:IHK Akademie"),
            Some(1)
        );
        assert_eq!(facet_count(&text, "duration", "4h"), Some(1));
        assert_eq!(facet_count(&text, "competency", &till), Some(1));
        assert!(text.contains("id=\"esco-attribution\""));
        assert!(
            text.contains("Registrierkasse bedienen"),
            "the competency's label"
        );
    }
    // Browsing everything counts both; a facet filters.
    let r = app.get("/catalog", &nord.learner).await;
    let text = r.text();
    assert_eq!(facet_count(&text, "modality", "classroom"), Some(1));
    assert_eq!(facet_count(&text, "modality", "video"), Some(1));
    assert_eq!(facet_count(&text, "provider", "internal"), Some(1));
    assert_eq!(facet_count(&text, "language", "de"), Some(2));
    assert!(text.contains("Results 1–2 of 2"), "{text}");
    let r = app.get("/catalog?modality=video", &nord.learner).await;
    let text = r.text();
    assert!(text.contains(&format!("/catalog/opportunities/{video}")));
    assert!(!text.contains(&page_href));
    assert!(text.contains("value=\"video\" checked"));
    assert_eq!(facet_count(&text, "modality", "classroom"), Some(1));

    // Its page in German.
    let r = app.get(&page_href, &in_language(&nord.learner, "de")).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    for expected in [
        "Kassensysteme sicher bedienen",
        "Sie lernen, die Registrierkasse zu bedienen",
        "Präsenzschulung",
        "1 Std. 30 Min.",
        "Deutsch",
        "199,00 €",
        "IHK Akademie",
        "https://ihk.example",
        "Storno bis 14 Tage vorher kostenfrei.",
        "Registrierkasse bedienen",
        "Erfahren (3,0)",
        "Regale auffüllen",
        "alle 24 Monate",
        "Veröffentlicht",
    ] {
        assert!(
            text.contains(expected),
            "German page lacks {expected:?}: {text}"
        );
    }
    assert!(
        !text.contains("id=\"opportunity-edit\""),
        "learners do not edit"
    );
    assert!(text.contains("id=\"esco-attribution\""));
    // And in English.
    let r = app.get(&page_href, &in_language(&nord.learner, "en")).await;
    let text = r.text();
    for expected in [
        "Operating checkout systems safely",
        "You learn to operate the till",
        "Classroom training",
        "1 h 30 min",
        "German",
        "€199.00",
        "operate cash register",
        "Advanced (3.0)",
        "stock shelves",
        "every 24 months",
    ] {
        assert!(
            text.contains(expected),
            "English page lacks {expected:?}: {text}"
        );
    }

    // Another company's learner finds nothing and cannot open it.
    let r = app.get("/catalog?q=Kassensysteme", &sued.learner).await;
    assert!(r.text().contains("id=\"catalogue-no-results\""));
    let r = app.get(&page_href, &sued.learner).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get(&page_href, &sued.editor).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Retired, it is gone from the learners' search but its page stays readable.
    let r = app
        .post_form(
            &format!("{page_href}/lifecycle"),
            cookies(&nord.editor),
            &[("lifecycle", "retired")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app.get("/catalog?q=Kassensysteme", &nord.learner).await;
    assert!(r.text().contains("id=\"catalogue-no-results\""));
    let r = app.get(&page_href, &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Retired"));

    app.finish().await;
}

#[tokio::test]
async fn the_editor_keeps_what_was_typed_and_shows_the_error() {
    let app = TestApp::new().await;
    let nord = company(&app, "nord").await;
    let scope = TenantScope::system(nord.tenant.id);

    let typed = [
        ("modality", "web-link"),
        ("title_de", "Kassen-Handbuch <für> Neue"),
        ("description_en", "A handbook & more"),
        ("content_language", "de"),
        ("duration_minutes", "zwei Stunden"),
        ("cost_amount", "12,50"),
        ("link", "ftp://handbuch.example"),
        ("cost_currency", "EUR"),
    ];
    let r = app
        .post_form("/catalog/opportunities/new", cookies(&nord.editor), &typed)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(text.contains("id=\"error-duration-minutes\""), "{text}");
    assert!(text.contains("Please enter a whole number."));
    assert!(
        text.contains("value=\"Kassen-Handbuch &#60;für&#62; Neue\"")
            || text.contains("value=\"Kassen-Handbuch &lt;für&gt; Neue\""),
        "{text}"
    );
    assert!(text.contains("A handbook &#38; more") || text.contains("A handbook &amp; more"));
    assert!(text.contains("value=\"zwei Stunden\""));
    assert!(text.contains("value=\"12,50\""));
    assert!(text.contains("value=\"ftp://handbuch.example\""));
    assert!(text.contains("value=\"web-link\" selected"));

    // The number corrected, the address is refused by the catalogue's rules, next to its field.
    let mut typed = typed.to_vec();
    typed[4] = ("duration_minutes", "120");
    let r = app
        .post_form("/catalog/opportunities/new", cookies(&nord.editor), &typed)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(text.contains("id=\"error-link\""), "{text}");
    assert!(text.contains("is not an http or https address"));
    assert!(!text.contains("id=\"error-duration-minutes\""));
    assert!(text.contains("value=\"120\""));

    // Nothing was stored.
    let stored = app
        .store
        .list_opportunities(
            scope,
            OpportunityListQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(stored.is_empty());

    // Corrected, it saves.
    typed[6] = ("link", "https://handbuch.example/kasse");
    let r = app
        .post_form("/catalog/opportunities/new", cookies(&nord.editor), &typed)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = opportunity_of(r.location().unwrap());
    let r = app
        .get(&format!("/catalog/opportunities/{id}/edit"), &nord.editor)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .text()
        .contains("value=\"https://handbuch.example/kasse\""));
    assert!(
        r.text().contains("value=\"12.50\""),
        "cost in the page's convention"
    );

    // An e-learning draft without its package cannot be published; the page says why.
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("modality", "e-learning"),
                ("title_en", "Fire safety"),
                ("content_language", "en"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id = opportunity_of(r.location().unwrap());
    let r = app
        .post_form(
            &format!("/catalog/opportunities/{id}/lifecycle"),
            cookies(&nord.editor),
            &[("lifecycle", "published")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"form-error\""));
    assert!(r.text().contains("needs a package"), "{}", r.text());
    assert!(r.text().contains("id=\"opportunity-no-package\""));
    app.finish().await;
}

#[tokio::test]
async fn results_are_paged_by_twenty() {
    let app = TestApp::new().await;
    let nord = company(&app, "nord").await;
    let scope = TenantScope::system(nord.tenant.id);
    let drafts: Vec<_> = (1..=25)
        .map(|i| {
            let mut draft = mycel_catalogue::OpportunityDraft::new(
                mycel_catalogue::Modality::Video,
                mycel_competency::scale::LocalizedText::new(
                    format!("Lernvideo Nummer {i}"),
                    format!("Learning video number {i}"),
                ),
                "de",
            );
            draft.link = Some(format!("https://video.example/{i}"));
            (draft, mycel_catalogue::Lifecycle::Published)
        })
        .collect();
    app.store
        .import_opportunities(scope, &drafts)
        .await
        .unwrap();
    assert_eq!(app.catalogue.sync_index(&*app.store).await.unwrap(), 25);

    let r = app.get("/catalog?q=video", &nord.learner).await;
    let text = r.text();
    assert!(text.contains("Results 1–20 of 25"), "{text}");
    assert_eq!(text.matches("class=\"hit\"").count(), 20);
    assert!(!text.contains("id=\"catalogue-previous\""));
    assert!(
        text.contains("/catalog?q=video&#38;offset=20")
            || text.contains("/catalog?q=video&amp;offset=20"),
        "{text}"
    );
    let r = app.get("/catalog?q=video&offset=20", &nord.learner).await;
    let text = r.text();
    assert!(text.contains("Results 21–25 of 25"), "{text}");
    assert_eq!(text.matches("class=\"hit\"").count(), 5);
    assert!(text.contains("id=\"catalogue-previous\""));
    assert!(!text.contains("id=\"catalogue-next\""));
    app.finish().await;
}

#[tokio::test]
async fn competencies_are_suggested_for_the_text() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = company(&app, "nord").await;
    let scope = TenantScope::system(nord.tenant.id);
    let till = competency_fixture::competency_id(&*app.store, scope, competency_fixture::TILL)
        .await
        .to_string();

    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("action", "suggest"),
                ("modality", "classroom"),
                ("title_en", "Operating the cash register"),
                (
                    "description_en",
                    "How to operate a cash register at the checkout.",
                ),
                ("content_language", "en"),
                ("duration_minutes", "45"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(text.contains("id=\"suggestion-list\""), "{text}");
    assert!(
        text.contains(&format!("id=\"suggestion-{till}\"")),
        "{text}"
    );
    assert!(text.contains("operate cash register"));
    assert!(text.contains("id=\"esco-attribution\""));
    assert!(
        text.contains("class=\"suggestion-matched\">"),
        "matched words shown"
    );
    assert!(
        text.contains("value=\"Operating the cash register\""),
        "typed title kept"
    );
    assert!(text.contains("value=\"45\""));

    // Accepting one makes it an alignment of the saved draft.
    let level_field = format!("suggestion_level.{till}");
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("action", "save"),
                ("modality", "classroom"),
                ("title_en", "Operating the cash register"),
                ("content_language", "en"),
                ("suggestion_accept", &till),
                (&level_field, "2"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let id: mycel_organisation::OpportunityId =
        opportunity_of(r.location().unwrap()).parse().unwrap();
    let record = app.store.opportunity(scope, id).await.unwrap();
    assert_eq!(record.draft.alignments.len(), 1);
    assert_eq!(record.draft.alignments[0].competency_id.to_string(), till);
    assert_eq!(record.draft.alignments[0].level.value(), 2.0);

    // Without any text there is nothing to propose.
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[("action", "suggest"), ("modality", "classroom")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("id=\"suggestion-note\""));
    app.finish().await;
}

#[tokio::test]
async fn a_scorm_package_is_uploaded_and_its_files_served() {
    let app = TestApp::new().await;
    let nord = company(&app, "nord").await;
    let sued = company(&app, "sued").await;
    let scope = TenantScope::system(nord.tenant.id);
    let zip = std::fs::read("/work/shared/data/packages/scorm/singlescobasic.zip")
        .expect("the SCORM sample package");

    let r = upload(&app, &nord.editor, "singlescobasic.zip", &zip).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.location().unwrap().to_owned();
    assert!(location.ends_with("/edit?uploaded=1"), "{location}");
    let id = opportunity_of(&location);
    let packages = app.store.packages(scope, 10).await.unwrap();
    assert_eq!(packages.len(), 1);
    let package = &packages[0];
    assert!(
        package.launch_path.ends_with(".html"),
        "{}",
        package.launch_path
    );

    // The draft's editor shows the structure found.
    let r = app.get(&location, &nord.editor).await;
    assert_eq!(r.status, StatusCode::OK);
    let text = r.text();
    assert!(text.contains("id=\"package-structure\""), "{text}");
    assert!(text.contains("id=\"editor-notice\""));
    assert!(text.contains("scorm-1.2"));
    assert!(text.contains(&package.launch_path));
    assert!(text.contains("Golf Explained"));

    // Its page has a preview link to the launch file for editors.
    let launch = format!("/content/{}/{}", package.id, package.launch_path);
    let r = app
        .get(&format!("/catalog/opportunities/{id}"), &nord.editor)
        .await;
    assert!(
        r.text().contains(&format!("href=\"{launch}\"")),
        "{}",
        r.text()
    );
    assert!(r.text().contains("id=\"opportunity-start\""));

    // A learner of the company loads the files with their types.
    let r = app.get(&launch, &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/html");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(r.text().to_lowercase().contains("<html"));
    let css = format!("/content/{}/shared/style.css", package.id);
    let r = app.get(&css, &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/css");
    let js = format!("/content/{}/shared/scormfunctions.js", package.id);
    let r = app.get(&js, &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "text/javascript");
    assert_eq!(
        r.headers[header::CONTENT_LENGTH].to_str().unwrap(),
        r.body.len().to_string()
    );

    // Missing files, climbing out, other companies: not found. Without login: to the login page.
    for path in [
        format!("/content/{}/shared/nothing.js", package.id),
        format!("/content/{}/shared", package.id),
        format!("/content/{}/shared/..%2F..%2Fetc%2Fpasswd", package.id),
        format!(
            "/content/{}/index.html",
            mycel_organisation::PackageId::generate()
        ),
        "/content/not-an-id/index.html".to_owned(),
    ] {
        let r = app.get(&path, &nord.learner).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
    }
    let r = app.get(&launch, &sued.learner).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get(&launch, &Auth::None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location().unwrap().starts_with("/login?next="));
    app.finish().await;
}

/// A zip of (name, content) pairs.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[tokio::test]
async fn a_zip_slip_package_is_refused_and_leaves_nothing() {
    let app = TestApp::new().await;
    let nord = company(&app, "nord").await;
    let scope = TenantScope::system(nord.tenant.id);
    let cmi5 = r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="urn:test:course"><title><langstring lang="en">Test</langstring></title><description><langstring lang="en">D</langstring></description></course>
  <au id="urn:test:au1" moveOn="Completed"><title><langstring lang="en">AU</langstring></title><description><langstring lang="en">D</langstring></description><url>index.html</url></au>
</courseStructure>"#;
    let zip = zip_of(&[
        ("cmi5.xml", cmi5.as_bytes()),
        ("index.html", b"<html>hello</html>"),
        ("../evil.html", b"pwned"),
    ]);
    let r = upload(&app, &nord.editor, "evil.zip", &zip).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let text = r.text();
    assert!(text.contains("id=\"package-error\""), "{text}");
    assert!(text.contains("zip slip"), "{text}");
    assert!(text.contains("../evil.html"));
    assert!(app.store.packages(scope, 10).await.unwrap().is_empty());
    let stored = app
        .store
        .list_opportunities(
            scope,
            OpportunityListQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(stored.is_empty());
    let content = app.catalogue.content_dir();
    let files = walk(content);
    assert!(files.is_empty(), "files left behind: {files:?}");

    // The upload is not held to the small limit of other forms: a 2 MiB file that is no zip is
    // read and refused for what it is.
    let r = upload(&app, &nord.editor, "big.zip", &vec![0u8; 2 * 1024 * 1024]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert!(r.text().contains("id=\"package-error\""));

    // No file at all is refused as well.
    let r = upload(&app, &nord.editor, "empty.zip", b"").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("id=\"package-error\""));
    app.finish().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                found.extend(walk(&path));
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[tokio::test]
async fn learners_cannot_reach_the_management_pages() {
    let app = TestApp::new().await;
    let nord = company(&app, "nord").await;
    let r = app
        .post_form(
            "/catalog/opportunities/new",
            cookies(&nord.editor),
            &[
                ("modality", "classroom"),
                ("title_de", "Erste Hilfe"),
                ("content_language", "de"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let id = opportunity_of(r.location().unwrap());

    for path in [
        "/catalog/manage".to_owned(),
        "/catalog/opportunities/new".to_owned(),
        format!("/catalog/opportunities/{id}/edit"),
    ] {
        let r = app.get(&path, &nord.learner).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    for (path, fields) in [
        ("/catalog/providers".to_owned(), vec![("name", "X")]),
        (
            "/catalog/opportunities/new".to_owned(),
            vec![("modality", "classroom"), ("title_de", "X")],
        ),
        (
            format!("/catalog/opportunities/{id}/edit"),
            vec![("modality", "classroom"), ("title_de", "X")],
        ),
        (
            format!("/catalog/opportunities/{id}/lifecycle"),
            vec![("lifecycle", "published")],
        ),
    ] {
        let r = app.post_form(&path, cookies(&nord.learner), &fields).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
    }
    let r = upload(&app, &nord.learner, "x.zip", b"PK").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.get("/catalog", &nord.learner).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains("/catalog/manage"));
    assert!(!r.text().contains("name=\"drafts\""));
    // Without login, the catalogue sends people to the login page.
    let r = app.get("/catalog/manage", &Auth::None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    app.finish().await;
}
