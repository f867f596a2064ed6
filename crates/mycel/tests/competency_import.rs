//! `mycel import`: the real ESCO files into SQLite and PostgreSQL (every concept, occupation and
//! relation, German labels where ESCO has them), re-import, and files with errors that import
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mycel_store::competencies::CompetencySearch;
use mycel_store::TenantScope;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(name);
    assert!(
        path.exists(),
        "test data missing: {} (the project's shared data folder beside the checkout)",
        path.display()
    );
    path
}

fn mycel(data_dir: &Path, database_url: Option<&str>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mycel"));
    command.arg("--data-dir").arg(data_dir);
    if let Some(url) = database_url {
        command.arg("--database-url").arg(url);
    }
    for (key, _) in std::env::vars() {
        if key.starts_with("MYCEL_") {
            command.env_remove(key);
        }
    }
    command
}

fn ok(output: Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn import_esco(dir: &Path, url: Option<&str>) -> String {
    ok(mycel(dir, url)
        .args(["import", "esco"])
        .arg(data("esco/esco-v1.1.1-classification-en-csv.zip"))
        .arg(data("esco/esco-v1.1.1-relations-csv.zip"))
        .arg("--labels")
        .arg(data("esco/esco-v1.2.1-classification-de-partial-csv.zip"))
        .output()
        .unwrap())
}

async fn esco_is_imported_completely(dir: &Path, url: &str) {
    let database_url = url.to_owned();
    let first = import_esco(dir, Some(&database_url));
    // 10,837 skills + 3,059 knowledge concepts = the 13,896 of skills_en.csv.
    assert!(
        first.contains("10837 skills, 3059 knowledge concepts, 640 skill groups, 3007 occupations"),
        "{first}"
    );
    assert!(
        first.contains("competencies: 14536 added, 0 updated, 0 now obsolete; relations: 26547"),
        "{first}"
    );
    // 123,855 rows in occupationSkillRelations.csv: 67 name an occupation that is not in the
    // classification (reported), the other 123,788 are imported.
    assert!(first.contains("occupations: 3007 added, 0 updated, 0 now obsolete; occupation–competency relations: 123788"), "{first}");
    assert!(
        first.contains("67 name URIs not in the classification"),
        "{first}"
    );
    assert!(first.contains("labels in de from"), "{first}");
    assert!(first.contains("This service uses the ESCO classification of the European Commission."));

    // A re-import updates in place: same items, nothing new, nothing obsolete.
    let second = import_esco(dir, Some(&database_url));
    assert!(
        second.contains("competencies: 0 added, 14536 updated, 0 now obsolete"),
        "{second}"
    );

    // What the store holds, seen by a member company.
    ok(mycel(dir, Some(&database_url))
        .args([
            "admin",
            "create-tenant",
            "--slug",
            "nord",
            "--name",
            "Nord eG",
        ])
        .output()
        .unwrap());
    let store = mycel_store_sql::open(url).await.unwrap();
    let tenant = store.tenant_by_slug("nord").await.unwrap();
    let scope = TenantScope::system(tenant.id);
    let search = |text: &str| CompetencySearch {
        text: Some(text.into()),
        limit: 50,
        ..Default::default()
    };
    let found = store
        .search_competencies(scope, &search("initiative zeigen"))
        .await
        .unwrap();
    let initiative = found
        .iter()
        .find(|c| c.uri == "http://data.europa.eu/esco/skill/001115fb-569f-4ee6-8381-c6807ef2527f")
        .expect("show initiative, found by its German label");
    assert_eq!(initiative.labels["en"].preferred, "show initiative");
    assert_eq!(initiative.labels["de"].preferred, "Initiative zeigen");
    // Most skills have no German label in the partial German set: English only.
    let manage_musical_staff = store
        .search_competencies(scope, &search("manage musical staff"))
        .await
        .unwrap();
    assert!(manage_musical_staff
        .iter()
        .any(|c| !c.labels.contains_key("de") && c.labels.contains_key("en")));
    let occupations = store
        .search_occupations(scope, "Verkäufer", 50)
        .await
        .unwrap();
    assert!(
        !occupations.is_empty(),
        "German occupation labels are searchable"
    );
    store.close().await;
}

#[tokio::test]
async fn esco_is_imported_completely_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("esco.db").display());
    esco_is_imported_completely(dir.path(), &url).await;
}

#[tokio::test]
async fn esco_is_imported_completely_on_postgres() {
    let db = mycel_store_sql::test_database::TestDatabase::create().await;
    let dir = tempfile::tempdir().unwrap();
    esco_is_imported_completely(dir.path(), db.url()).await;
    db.drop_database().await;
}

#[test]
fn a_file_with_errors_imports_nothing_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    ok(mycel(dir.path(), None)
        .args([
            "admin",
            "create-tenant",
            "--slug",
            "nord",
            "--name",
            "Nord eG",
        ])
        .output()
        .unwrap());
    let csv = dir.path().join("kasse.csv");
    std::fs::write(
        &csv,
        "code;parent_code;label_de;label_en\nkasse;;Kasse;Checkout\nkasse-01;kasse;Retouren;Returns\nkasse-02;fehlt;Storno;\nkasse-01;kasse;Doppelt;Twice\n",
    )
    .unwrap();
    let output = mycel(dir.path(), None)
        .args(["import", "competencies", "--tenant", "nord"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("kasse.csv:4:"), "{stderr}");
    assert!(stderr.contains("kasse.csv:5:"), "{stderr}");
    assert!(stderr.contains("nothing was imported"), "{stderr}");

    // Fixed, it imports; a CASE package for the same company too.
    std::fs::write(
        &csv,
        "code;parent_code;label_de;label_en\nkasse;;Kasse;Checkout\nkasse-01;kasse;Retouren;Returns\n",
    )
    .unwrap();
    let out = ok(mycel(dir.path(), None)
        .args(["import", "competencies", "--tenant", "nord"])
        .arg(&csv)
        .output()
        .unwrap());
    assert!(out.contains("competencies: 2 added"), "{out}");
    let out = ok(mycel(dir.path(), None)
        .args(["import", "case", "--tenant", "nord"])
        .arg(data("case/SmartLevelFramework.json"))
        .output()
        .unwrap());
    assert!(out.contains("added"), "{out}");
    // An unknown company is refused.
    let output = mycel(dir.path(), None)
        .args(["import", "competencies", "--tenant", "sued"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("sued"));
}
