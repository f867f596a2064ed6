#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The catalogue API: opportunities from draft to published and found by search (stemming,
//! typos, facets, audience), providers, package uploads (real SCORM, hostile zips), competency
//! suggestions, and the search index catching up with the store.

mod common;
#[path = "common/competency_fixture.rs"]
mod competency_fixture;

use axum::body::Body;
use axum::http::{header, Method};
use common::*;
use mycel_organisation::{AccessRole, Scope};
use mycel_store::TenantScope;
use serde_json::{json, Value};
use std::io::Write;

const PACKAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/packages");

async fn post_zip(app: &TestApp, path: &str, auth: &Auth, zip: Vec<u8>) -> TestResponse {
    let request = TestApp::request(Method::POST, path, auth)
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(zip))
        .unwrap();
    app.send(request).await
}

fn till_course(till: &str) -> Value {
    json!({
        "modality": "classroom",
        "title": {"de": "Kassenschulung für neue Mitarbeitende", "en": "Checkout training for new staff"},
        "description": {"de": "Wie man die Registrierkasse bedient und Kunden freundlich abkassiert.",
                        "en": "Operating the cash register and serving customers at the checkout."},
        "content_language": "de",
        "duration_minutes": 240,
        "alignments": [{"competency_id": till, "level": 2.0}],
        "recertify_after_months": 24,
    })
}

fn ids(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

fn facet(results: &Value, name: &str, value: &str) -> u64 {
    results["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["value"] == value)
        .map(|f| f["count"].as_u64().unwrap())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_opportunity_goes_from_draft_to_found() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let anna = app.login(&nord, "anna@nord.example").await;
    let till = competency_fixture::competency_id(
        &*app.store,
        TenantScope::system(nord.id),
        competency_fixture::TILL,
    )
    .await;
    let path = "/api/v1/tenants/nord/opportunities";

    let body = till_course(&till.to_string());
    assert_eq!(app.post_json(path, &anna, &body).await.status, 403);
    let created = app.post_json(path, &lnd, &body).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let created = created.json();
    assert_eq!(created["lifecycle"], "draft");
    assert_eq!(created["alignments"][0]["level"], 2.0);
    assert_eq!(created["recertify_after_months"], 24);
    let id = created["id"].as_str().unwrap().to_owned();
    let one = format!("{path}/{id}");

    // A draft is the editors' only.
    assert_eq!(app.get(&one, &anna).await.status, 404);
    let search = |q: &str| format!("{path}?q={q}");
    assert_eq!(app.get(&search("Kasse"), &anna).await.json()["total"], 0);
    let drafts = app
        .get(&format!("{path}?q=Kasse&include_unpublished=true"), &lnd)
        .await
        .json();
    assert_eq!(ids(&drafts), vec![id.clone()]);

    let published = app
        .put_json(
            &format!("{one}/lifecycle"),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text());
    assert_eq!(published.json()["lifecycle"], "published");
    assert_eq!(
        app.get(&one, &anna).await.json()["title"]["en"],
        "Checkout training for new staff"
    );

    // Found by German and English word forms, by a typo, by the aligned competency's label.
    for q in [
        "Kasse",
        "Kassenschulung",
        "kassenschulungen",
        "trainings",
        "Kasenschulung",
        "Registrierkasse",
        "cash%20register",
    ] {
        let found = app.get(&search(q), &anna).await;
        assert_eq!(found.status, 200, "{}", found.text());
        assert_eq!(ids(&found.json()), vec![id.clone()], "{q}");
    }
    assert_eq!(
        app.get(&search("Gabelstapler"), &anna).await.json()["total"],
        0
    );
    let browse = app.get(path, &anna).await.json();
    assert_eq!(browse["total"], 1);
    assert_eq!(facet(&browse, "modality", "classroom"), 1);
    assert_eq!(facet(&browse, "language", "de"), 1);
    assert_eq!(facet(&browse, "duration", "from1_to4_hours"), 1);
    assert_eq!(facet(&browse, "provider", "internal"), 1);
    assert_eq!(facet(&browse, "competency", &till.to_string()), 1);
    let highlighted = app.get(&search("Kasse"), &anna).await.json();
    assert!(
        highlighted["hits"][0]["title_html"]
            .as_str()
            .unwrap()
            .contains("<b>"),
        "{highlighted}"
    );
    // Filters.
    assert_eq!(
        app.get(&format!("{path}?modality=e-learning"), &anna)
            .await
            .json()["total"],
        0
    );
    assert_eq!(
        app.get(&format!("{path}?modality=classroom&language=de"), &anna)
            .await
            .json()["total"],
        1
    );
    let bad_filter = app.get(&format!("{path}?modality=hologram"), &anna).await;
    assert_eq!(bad_filter.status, 422, "{}", bad_filter.text());

    // A change is searchable at once; retiring hides it from learners.
    let mut changed = till_course(&till.to_string());
    changed["title"]["en"] = json!("Till basics");
    changed["title"]["de"] = json!("Grundlagen der Kasse");
    let updated = app.put_json(&one, &lnd, &changed).await;
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_eq!(
        ids(&app.get(&search("Grundlagen"), &anna).await.json()),
        vec![id.clone()]
    );
    assert_eq!(
        app.get(&search("Kassenschulung"), &anna).await.json()["total"],
        0
    );
    app.put_json(
        &format!("{one}/lifecycle"),
        &lnd,
        &json!({"lifecycle": "retired"}),
    )
    .await;
    assert_eq!(
        app.get(&search("Grundlagen"), &anna).await.json()["total"],
        0
    );
    let back = app
        .put_json(
            &format!("{one}/lifecycle"),
            &lnd,
            &json!({"lifecycle": "draft"}),
        )
        .await;
    assert_eq!(back.status, 422, "{}", back.text());
    assert!(back.text().contains("retired"), "{}", back.text());
    app.finish().await;
}

#[tokio::test]
async fn bad_opportunities_are_refused_with_the_field() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let path = "/api/v1/tenants/nord/opportunities";
    let valid = json!({"modality": "web-link", "title": {"de": "", "en": "Intranet"},
                       "content_language": "en", "link": "https://intranet.example/kurs"});
    assert_eq!(app.post_json(path, &lnd, &valid).await.status, 201);
    for (change, field) in [
        (json!({"modality": "hologram"}), "modality"),
        (json!({"title": {"de": " ", "en": ""}}), "title"),
        (json!({"link": "javascript:alert(1)"}), "link"),
        (json!({"content_language": "Deutsch"}), "content_language"),
        (json!({"duration_minutes": 0}), "duration_minutes"),
        (
            json!({"cost": {"cents": 100, "currency": "euro"}}),
            "cost.currency",
        ),
        (json!({"audience": [{"kind": "company"}]}), "audience[0].id"),
        (
            json!({"alignments": [{"competency_id": "018f0000-0000-7000-8000-000000000000", "level": 7}]}),
            "alignments[0].level",
        ),
        (
            json!({"package_id": "018f0000-0000-7000-8000-000000000000"}),
            "package_id",
        ),
    ] {
        let mut body = valid.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let refused = app.post_json(path, &lnd, &body).await;
        assert_eq!(refused.status, 422, "{field}: {}", refused.text());
        assert_eq!(
            refused.json()["error"]["field"],
            field,
            "{}",
            refused.text()
        );
    }
    // Unknown fields and references to nothing.
    let mut typo = valid.clone();
    typo["duraton_minutes"] = json!(5);
    let refused = app.post_json(path, &lnd, &typo).await;
    assert!(
        matches!(refused.status.as_u16(), 400 | 422),
        "{}",
        refused.text()
    );
    let mut nowhere = valid.clone();
    nowhere["provider_id"] = json!("018f0000-0000-7000-8000-000000000000");
    let refused = app.post_json(path, &lnd, &nowhere).await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    // An e-learning draft cannot be published without its package.
    let elearning = app
        .post_json(path, &lnd, &json!({"modality": "e-learning", "title": {"de": "Kurs", "en": ""}, "content_language": "de"}))
        .await
        .json();
    let publish = app
        .put_json(
            &format!("{path}/{}/lifecycle", elearning["id"].as_str().unwrap()),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(publish.status, 422, "{}", publish.text());
    assert_eq!(publish.json()["error"]["field"], "package_id");
    let listed = app
        .get(&format!("{path}?include_unpublished=true"), &lnd)
        .await
        .json();
    assert_eq!(listed["total"], 2, "only the two valid ones were stored");

    // A program is published after its parts.
    let part = |title: &str| json!({"modality": "mentoring", "title": {"de": title, "en": ""}, "content_language": "de"});
    let first = app.post_json(path, &lnd, &part("Teil 1")).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = app.post_json(path, &lnd, &part("Teil 2")).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let program = app
        .post_json(
            path,
            &lnd,
            &json!({"modality": "blended", "title": {"de": "Programm", "en": ""}, "content_language": "de",
                    "parts": [first, second]}),
        )
        .await;
    assert_eq!(program.status, 201, "{}", program.text());
    let program = program.json()["id"].as_str().unwrap().to_owned();
    let lifecycle = |id: &str| format!("{path}/{id}/lifecycle");
    let early = app
        .put_json(
            &lifecycle(&program),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(early.status, 422, "{}", early.text());
    assert_eq!(early.json()["error"]["field"], "parts");
    for id in [&first, &second] {
        let done = app
            .put_json(&lifecycle(id), &lnd, &json!({"lifecycle": "published"}))
            .await;
        assert_eq!(done.status, 200, "{}", done.text());
    }
    let published = app
        .put_json(
            &lifecycle(&program),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text());
    app.finish().await;
}

#[tokio::test]
async fn audiences_decide_who_finds_what() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let sued = app.tenant("sued").await;
    let north = app.org_unit(&nord, "Nord-Filialen", None).await;
    let south = app.org_unit(&nord, "Süd-Filialen", None).await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(
        &nord,
        "nina@nord.example",
        AccessRole::Learner,
        Some(north.id),
    )
    .await;
    app.person(
        &nord,
        "sam@nord.example",
        AccessRole::Learner,
        Some(south.id),
    )
    .await;
    app.person(&sued, "sara@sued.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let nina = app.login(&nord, "nina@nord.example").await;
    let sam = app.login(&nord, "sam@nord.example").await;
    let sara = app.login(&sued, "sara@sued.example").await;
    let path = "/api/v1/tenants/nord/opportunities";
    let publish = |body: Value| {
        let app = &app;
        let lnd = &lnd;
        async move {
            let created = app.post_json(path, lnd, &body).await;
            assert_eq!(created.status, 201, "{}", created.text());
            let id = created.json()["id"].as_str().unwrap().to_owned();
            let done = app
                .put_json(
                    &format!("{path}/{id}/lifecycle"),
                    lnd,
                    &json!({"lifecycle": "published"}),
                )
                .await;
            assert_eq!(done.status, 200, "{}", done.text());
            id
        }
    };
    let course = |title: &str, audience: Value| json!({"modality": "mentoring", "title": {"de": title, "en": ""}, "content_language": "de", "audience": audience});
    // Org units and roles of an audience are the company's own.
    let foreign_unit = app.org_unit(&sued, "Süd-Zentrale", None).await;
    let refused = app
        .post_json(
            path,
            &lnd,
            &course(
                "Fremd",
                json!([{"kind": "org-unit", "id": foreign_unit.id}]),
            ),
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.text());
    assert_eq!(refused.json()["error"]["field"], "audience");
    let north_only = publish(course(
        "Filialcoaching Nord",
        json!([{"kind": "org-unit", "id": north.id}]),
    ))
    .await;
    let network = publish(course(
        "Filialcoaching Netzwerk",
        json!([{"kind": "network"}]),
    ))
    .await;
    let company = publish(course("Filialcoaching Firma", json!([]))).await;

    let found = |who: &Auth, tenant: &str| {
        let app = &app;
        let who = who.clone();
        let tenant = tenant.to_owned();
        async move {
            let mut got = ids(&app
                .get(
                    &format!("/api/v1/tenants/{tenant}/opportunities?q=Filialcoaching"),
                    &who,
                )
                .await
                .json());
            got.sort();
            got
        }
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(
        found(&nina, "nord").await,
        sorted(vec![north_only.clone(), network.clone(), company.clone()])
    );
    assert_eq!(
        found(&sam, "nord").await,
        sorted(vec![network.clone(), company.clone()])
    );
    assert_eq!(found(&sara, "sued").await, vec![network.clone()]);
    // Reading one follows the same rule; another company's people read offers in their own tenant.
    assert_eq!(
        app.get(&format!("{path}/{north_only}"), &sam).await.status,
        404
    );
    assert_eq!(
        app.get(&format!("{path}/{north_only}"), &nina).await.status,
        200
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/tenants/sued/opportunities/{network}"),
            &sara
        )
        .await
        .status,
        200
    );
    // Another company reads only the part of the audience that concerns it.
    let mixed = publish(course(
        "Kundengespräche im Netzwerk",
        json!([{"kind": "org-unit", "id": north.id}, {"kind": "network"}]),
    ))
    .await;
    let seen = app
        .get(
            &format!("/api/v1/tenants/sued/opportunities/{mixed}"),
            &sara,
        )
        .await
        .json();
    assert_eq!(seen["audience"], json!([{"kind": "network", "id": null}]));
    let own = app.get(&format!("{path}/{mixed}"), &lnd).await.json();
    assert_eq!(own["audience"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get(
            &format!("/api/v1/tenants/sued/opportunities/{company}"),
            &sara
        )
        .await
        .status,
        404
    );
    assert_eq!(
        app.get(&format!("{path}/{company}"), &sara).await.status,
        404,
        "not their tenant"
    );
    // Machine clients need a catalogue scope.
    let org_reader = app.credential(&nord, &[Scope::OrgRead]).await;
    assert_eq!(app.get(path, &org_reader).await.status, 403);
    let catalogue_reader = app.credential(&nord, &[Scope::CatalogueRead]).await;
    let seen = app
        .get(&format!("{path}?q=Filialcoaching"), &catalogue_reader)
        .await
        .json();
    assert_eq!(
        seen["total"], 2,
        "the company's and the network's, not the unit's: {seen}"
    );
    app.finish().await;
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        for (name, bytes) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

#[tokio::test]
async fn packages_are_uploaded_or_refused_whole() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let anna = app.login(&nord, "anna@nord.example").await;
    let path = "/api/v1/tenants/nord/packages";
    let scorm = std::fs::read(format!("{PACKAGES}/scorm/singlescobasic.zip")).unwrap();
    assert_eq!(post_zip(&app, path, &anna, scorm.clone()).await.status, 403);

    let uploaded = post_zip(&app, path, &lnd, scorm).await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text());
    let uploaded = uploaded.json();
    assert_eq!(uploaded["package"]["kind"], "scorm-1.2");
    assert_eq!(uploaded["package"]["launch_path"], "shared/launchpage.html");
    assert_eq!(uploaded["opportunity"]["modality"], "e-learning");
    assert_eq!(uploaded["opportunity"]["lifecycle"], "draft");
    assert_eq!(
        uploaded["opportunity"]["package_id"],
        uploaded["package"]["id"]
    );
    assert!(
        uploaded["structure_text"]
            .as_str()
            .unwrap()
            .contains("SCORM 1.2"),
        "{uploaded}"
    );
    assert_eq!(
        uploaded["package"]["structure"]["units"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // With its package, the draft can be published.
    let opportunity = uploaded["opportunity"]["id"].as_str().unwrap();
    let published = app
        .put_json(
            &format!("/api/v1/tenants/nord/opportunities/{opportunity}/lifecycle"),
            &lnd,
            &json!({"lifecycle": "published"}),
        )
        .await;
    assert_eq!(published.status, 200, "{}", published.text());

    // The files are there, in the content directory.
    let package_id = uploaded["package"]["id"].as_str().unwrap();
    let dir = app
        .catalogue
        .content_dir()
        .join(nord.id.to_string())
        .join(package_id);
    assert!(dir.join("shared/launchpage.html").is_file());
    let count_dirs = || {
        std::fs::read_dir(app.catalogue.content_dir().join(nord.id.to_string()))
            .unwrap()
            .count()
    };
    assert_eq!(count_dirs(), 1);
    // Served to the company's people, sandboxed: the package's scripts get no session.
    let launch = app
        .get(
            &format!("/content/{package_id}/shared/launchpage.html"),
            &anna,
        )
        .await;
    assert_eq!(launch.status, 200);
    let policy = launch
        .headers
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    assert!(policy.starts_with("sandbox"), "{policy:?}");
    assert!(!policy.contains("allow-same-origin"), "{policy:?}");

    // Hostile or broken packages: refused with the reason, nothing stored.
    for (zip, reason) in [
        (zip_of(&[("imsmanifest.xml", b"<manifest/>"), ("../evil.txt", b"x")]), ".."),
        (zip_of(&[("index.html", b"<html></html>")]), "imsmanifest.xml"),
        (b"not a zip at all".to_vec(), "zip"),
        (
            zip_of(&[(
                "cmi5.xml",
                br#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">&a;</courseStructure>"#,
            )]),
            "entit",
        ),
    ] {
        let refused = post_zip(&app, path, &lnd, zip).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.error_code(), "package_refused");
        assert!(refused.text().to_lowercase().contains(reason), "{reason}: {}", refused.text());
    }
    assert_eq!(count_dirs(), 1, "no files of refused packages");
    let drafts = app
        .get(
            "/api/v1/tenants/nord/opportunities?include_unpublished=true",
            &lnd,
        )
        .await
        .json();
    assert_eq!(drafts["total"], 1, "no opportunities of refused packages");

    // A connected content system uploads with the catalogue/write scope.
    let machine = app.credential(&nord, &[Scope::CatalogueWrite]).await;
    let cmi5 = std::fs::read(format!("{PACKAGES}/cmi5/single_au_basic_framed.zip")).unwrap();
    let uploaded = post_zip(&app, path, &machine, cmi5).await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text());
    assert_eq!(uploaded.json()["package"]["kind"], "cmi5");
    app.finish().await;
}

#[tokio::test]
async fn providers_and_suggestions() {
    let app = TestApp::new().await;
    competency_fixture::import(&*app.store).await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let anna = app.login(&nord, "anna@nord.example").await;

    let path = "/api/v1/tenants/nord/providers";
    let provider = json!({"name": "Staplerschule Nord", "website": "https://stapler.example", "terms": "Storno bis 7 Tage vorher"});
    assert_eq!(app.post_json(path, &anna, &provider).await.status, 403);
    let created = app.post_json(path, &lnd, &provider).await;
    assert_eq!(created.status, 201, "{}", created.text());
    let provider_id = created.json()["id"].as_str().unwrap().to_owned();
    let bad = app
        .post_json(
            path,
            &lnd,
            &json!({"name": "x", "website": "stapler.example"}),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["error"]["field"], "website");
    assert_eq!(
        app.get(path, &anna).await.json()[0]["name"],
        "Staplerschule Nord"
    );

    // An offer of the provider is found by the provider facet; renaming follows into the index.
    let course = json!({"modality": "classroom", "title": {"de": "Staplerschein", "en": "Forklift licence"},
                        "content_language": "de", "provider_id": provider_id,
                        "cost": {"cents": 19900, "currency": "EUR"}});
    let id = app
        .post_json("/api/v1/tenants/nord/opportunities", &lnd, &course)
        .await
        .json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = app
        .get(&format!("/api/v1/tenants/nord/opportunities/{id}"), &lnd)
        .await
        .json();
    assert_eq!(read["provider"]["name"], "Staplerschule Nord");
    assert_eq!(read["cost"]["cents"], 19900);
    let renamed = app
        .put_json(
            &format!("{path}/{provider_id}"),
            &lnd,
            &json!({"name": "Stapler-Akademie"}),
        )
        .await;
    assert_eq!(renamed.status, 200, "{}", renamed.text());
    let facets = app
        .get(
            "/api/v1/tenants/nord/opportunities?include_unpublished=true",
            &lnd,
        )
        .await
        .json();
    assert_eq!(
        facet(&facets, "provider", "Stapler-Akademie"),
        1,
        "{facets}"
    );
    assert_eq!(facet(&facets, "provider", "Staplerschule Nord"), 0);

    // Suggestions: the text is about operating the till.
    let suggestions_path = "/api/v1/tenants/nord/competency-suggestions";
    let text = json!({"title": "Die Registrierkasse bedienen", "description": "Für neue Kassenkräfte im Markt.", "language": "de"});
    assert_eq!(
        app.post_json(suggestions_path, &anna, &text).await.status,
        403
    );
    let suggested = app.post_json(suggestions_path, &lnd, &text).await;
    assert_eq!(suggested.status, 200, "{}", suggested.text());
    let suggested = suggested.json();
    assert_eq!(
        suggested[0]["competency"]["uri"],
        competency_fixture::TILL,
        "{suggested}"
    );
    assert!(!suggested[0]["matched"].as_array().unwrap().is_empty());
    let english = app
        .post_json(
            suggestions_path,
            &lnd,
            &json!({"title": "Forklift operation for warehouse staff"}),
        )
        .await
        .json();
    assert_eq!(
        english[0]["competency"]["uri"],
        competency_fixture::FORKLIFT,
        "{english}"
    );
    let nothing = app
        .post_json(
            suggestions_path,
            &lnd,
            &json!({"title": "Quantenchromodynamik"}),
        )
        .await
        .json();
    assert_eq!(nothing, json!([]));
    let too_many = app
        .post_json(suggestions_path, &lnd, &json!({"title": "x", "limit": 500}))
        .await;
    assert_eq!(too_many.status, 422);
    app.finish().await;
}

#[tokio::test]
async fn the_index_catches_up_with_writes_it_missed() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "anna@nord.example", AccessRole::Learner, None)
        .await;
    let anna = app.login(&nord, "anna@nord.example").await;
    // Written to the store behind the index's back (as if the process died before indexing).
    let draft = mycel_catalogue::OpportunityDraft::new(
        mycel_catalogue::Modality::Community,
        mycel_competency::scale::LocalizedText::new("Frischetheke Austausch", ""),
        "de",
    );
    app.store
        .create_opportunity(
            TenantScope::system(nord.id),
            &draft,
            mycel_catalogue::Lifecycle::Published,
        )
        .await
        .unwrap();
    let path = "/api/v1/tenants/nord/opportunities?q=Frischetheke";
    assert_eq!(app.get(path, &anna).await.json()["total"], 0);
    assert_eq!(app.catalogue.sync_index(&*app.store).await.unwrap(), 1);
    assert_eq!(app.get(path, &anna).await.json()["total"], 1);
    assert_eq!(
        app.catalogue.sync_index(&*app.store).await.unwrap(),
        0,
        "in step now"
    );

    // A change through this server after one it missed does not make the index look in step.
    let missed = mycel_catalogue::OpportunityDraft::new(
        mycel_catalogue::Modality::Community,
        mycel_competency::scale::LocalizedText::new("Obst und Gemüse", ""),
        "de",
    );
    app.store
        .create_opportunity(
            TenantScope::system(nord.id),
            &missed,
            mycel_catalogue::Lifecycle::Published,
        )
        .await
        .unwrap();
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let created = app
        .post_json(
            "/api/v1/tenants/nord/opportunities",
            &lnd,
            &json!({"modality": "community", "title": {"de": "Käsetheke", "en": ""}, "content_language": "de"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(
        app.catalogue.sync_index(&*app.store).await.unwrap(),
        3,
        "the missed change made the next sync rebuild"
    );
    assert_eq!(
        app.get("/api/v1/tenants/nord/opportunities?q=Gem%C3%BCse", &anna)
            .await
            .json()["total"],
        1
    );
    app.finish().await;
}

#[tokio::test]
async fn packages_above_the_limit_are_refused_unread() {
    let app = TestApp::with_config(mycel_http::HttpConfig {
        max_package_bytes: 100_000,
        ..Default::default()
    })
    .await;
    let nord = app.tenant("nord").await;
    app.person(&nord, "lnd@nord.example", AccessRole::LndAdmin, None)
        .await;
    let lnd = app.login(&nord, "lnd@nord.example").await;
    let scorm = std::fs::read(format!("{PACKAGES}/scorm/singlescobasic.zip")).unwrap();
    assert!(scorm.len() > 100_000);
    let refused = post_zip(&app, "/api/v1/tenants/nord/packages", &lnd, scorm).await;
    assert_eq!(refused.status, 413, "{}", refused.text());
    assert!(
        !app.catalogue
            .content_dir()
            .join(nord.id.to_string())
            .exists(),
        "nothing stored"
    );
    app.finish().await;
}

/// A bare cmi5 course structure (cmi5 14.2) whose one AU launches from `url`.
fn bare_course(url: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://pub.example.com/course/ladders"><title><langstring lang="en">Ladder safety</langstring></title><description><langstring lang="en">Hosted by the publisher</langstring></description></course>
  <block id="https://pub.example.com/block/ladders"><title><langstring lang="en">Block</langstring></title><description/>
    <au id="https://pub.example.com/au/ladders-1" moveOn="Completed"><title><langstring lang="en">Three points of contact</langstring></title><description/><url>{url}</url></au>
  </block>
</courseStructure>"#
    )
}

#[tokio::test]
async fn a_bare_cmi5_course_structure_is_uploaded_by_its_bytes() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let machine = app.credential(&nord, &[Scope::CatalogueWrite]).await;
    let path = "/api/v1/tenants/nord/packages";
    let xml = bare_course("https://cdn.example.com/ladders/1/index.html?lang=en");
    // Told by the bytes: a misleading Content-Type changes nothing.
    let request = TestApp::request(Method::POST, path, &machine)
        .header(header::CONTENT_TYPE, "application/zip")
        .body(Body::from(xml.clone()))
        .unwrap();
    let uploaded = app.send(request).await;
    assert_eq!(uploaded.status, 201, "{}", uploaded.text());
    let uploaded = uploaded.json();
    assert_eq!(uploaded["package"]["kind"], "cmi5");
    assert_eq!(uploaded["package"]["title"], "Ladder safety");
    assert_eq!(uploaded["package"]["file_count"], 0);
    assert_eq!(
        uploaded["package"]["launch_path"],
        "https://cdn.example.com/ladders/1/index.html?lang=en"
    );
    assert_eq!(
        uploaded["package"]["structure"]["course"]["aus"][0]["id"],
        "https://pub.example.com/au/ladders-1"
    );
    assert_eq!(uploaded["opportunity"]["lifecycle"], "draft");
    assert_eq!(
        uploaded["opportunity"]["package_id"],
        uploaded["package"]["id"]
    );

    // The course structure is kept as cmi5.xml, byte for byte, and read back for the runtime.
    let package_id: uuid::Uuid = uploaded["package"]["id"].as_str().unwrap().parse().unwrap();
    let dir = app
        .catalogue
        .content_dir()
        .join(nord.id.to_string())
        .join(package_id.to_string());
    assert_eq!(std::fs::read(dir.join("cmi5.xml")).unwrap(), xml.as_bytes());
    let record = app
        .store
        .package(TenantScope::system(nord.id), package_id.into())
        .await
        .unwrap();
    let course = mycel_app::packages::cmi5_course(&app.catalogue, &record)
        .await
        .unwrap();
    assert_eq!(course.id, "https://pub.example.com/course/ladders");
    assert_eq!(course.aus()[0].move_on.as_str(), "Completed");

    // With a UTF-8 byte order mark and leading whitespace it is still XML.
    let request = TestApp::request(Method::POST, path, &machine)
        .header(header::CONTENT_TYPE, "text/xml")
        .body(Body::from(
            [b"\xEF\xBB\xBF\n  ".as_slice(), xml.as_bytes()].concat(),
        ))
        .unwrap();
    assert_eq!(app.send(request).await.status, 201);
    app.finish().await;
}

#[tokio::test]
async fn a_bare_cmi5_course_structure_with_a_relative_url_is_refused() {
    let app = TestApp::new().await;
    let nord = app.tenant("nord").await;
    let machine = app.credential(&nord, &[Scope::CatalogueWrite]).await;
    let path = "/api/v1/tenants/nord/packages";
    for (body, reason) in [
        (
            bare_course("index.html").into_bytes(),
            "not a fully qualified http or https URL",
        ),
        (
            bare_course("https://cdn.example.com/a.html?endpoint=x").into_bytes(),
            "cmi5 8.1",
        ),
        (
            bare_course("https://cdn.example.com/a.html")
                .replace(
                    "https://pub.example.com/course/ladders",
                    "pub.example.com/course/ladders",
                )
                .into_bytes(),
            "not a fully qualified IRI",
        ),
        (
            b"# LMS Test Package\n\nThis is a markdown file".to_vec(),
            "neither a zip package nor a cmi5 course structure (cmi5.xml)",
        ),
    ] {
        let request = TestApp::request(Method::POST, path, &machine)
            .header(header::CONTENT_TYPE, "text/xml")
            .body(Body::from(body))
            .unwrap();
        let refused = app.send(request).await;
        assert_eq!(refused.status, 422, "{}", refused.text());
        assert_eq!(refused.error_code(), "package_refused");
        assert!(
            refused.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(reason),
            "{reason}: {}",
            refused.text()
        );
    }
    // Nothing stored: no files, no packages, no drafts.
    let company = app.catalogue.content_dir().join(nord.id.to_string());
    let stored = std::fs::read_dir(&company).map_or(0, |dir| dir.count());
    assert_eq!(stored, 0, "no files of refused packages");
    let drafts = app
        .get(
            "/api/v1/tenants/nord/opportunities?include_unpublished=true",
            &machine,
        )
        .await;
    assert_eq!(drafts.status, 200, "{}", drafts.text());
    assert_eq!(
        drafts.json()["total"],
        0,
        "no opportunities of refused packages"
    );
    app.finish().await;
}
