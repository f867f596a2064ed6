//! `mycel demo` as a newcomer runs it (without serving): it generates the demo network and prints
//! the logins, a second run reuses it, `--reset` generates it again, the same seed gives the same
//! network and another seed another one; on PostgreSQL too (where `--reset` refuses).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use mycel_store::{PeopleQuery, TenantScope};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn shared_data() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    assert!(
        path.join("esco").exists(),
        "test data missing: {} (the project's shared data folder beside the checkout)",
        path.display()
    );
    path
}

fn demo(data_dir: &Path, database_url: Option<&str>, extra: &[&str]) -> Output {
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
        .args(["demo", "--no-serve", "--shared-data"])
        .arg(shared_data())
        .args(extra)
        .output()
        .expect("run mycel demo")
}

fn ok(output: &Output) -> String {
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// What identifies a generated network: every company's people (name and e-mail) and every
/// opportunity's title.
async fn contents(url: &str) -> BTreeSet<String> {
    let store = mycel_store_sql::open(url).await.unwrap();
    let mut seen = BTreeSet::new();
    for tenant in store.list_tenants().await.unwrap() {
        let scope = TenantScope::system(tenant.id);
        let mut after = None;
        loop {
            let page = store
                .list_people(
                    scope,
                    PeopleQuery {
                        org_unit: None,
                        after,
                        limit: 500,
                    },
                )
                .await
                .unwrap();
            let Some(last) = page.last().map(|p| p.id) else {
                break;
            };
            for person in &page {
                seen.insert(format!(
                    "{} {} {:?}",
                    tenant.slug, person.display_name, person.email
                ));
            }
            after = Some(last);
        }
    }
    let mut after = None;
    loop {
        let page = store.catalogue_page(after, 500).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some((last.tenant_id, last.id));
        for record in &page {
            seen.insert(format!("opportunity {}", record.draft.title.en));
        }
    }
    store.close().await;
    seen
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("mycel.db").display())
}

#[tokio::test]
async fn the_demo_is_generated_once_reused_reset_and_the_same_for_a_seed() {
    let first = tempfile::tempdir().unwrap();
    let printed = ok(&demo(first.path(), None, &["--seed", "7"]));
    assert!(printed.contains("Generated in"), "{printed}");
    assert!(printed.contains("3 member companies"), "{printed}");
    for login in [
        "lea.hansen@frischmarkt-nord.example",
        "malte.petersen@frischmarkt-nord.example",
        "svenja.krueger@frischmarkt-nord.example",
        "nils.brandt@frischmarkt-nord.example",
        "mycel-demo-2026",
    ] {
        assert!(printed.contains(login), "{login} in {printed}");
    }
    let generated = contents(&sqlite_url(first.path())).await;
    assert!(generated.len() > 800, "{} items", generated.len());

    // A second run finds it and changes nothing.
    let again = ok(&demo(first.path(), None, &["--seed", "7"]));
    assert!(again.contains("reusing"), "{again}");
    assert!(!again.contains("Generated in"), "{again}");
    assert_eq!(contents(&sqlite_url(first.path())).await, generated);

    // The same seed elsewhere gives the same network; another seed another one.
    let twin = tempfile::tempdir().unwrap();
    ok(&demo(twin.path(), None, &["--seed", "7"]));
    assert_eq!(contents(&sqlite_url(twin.path())).await, generated);
    let reset = ok(&demo(twin.path(), None, &["--seed", "8", "--reset"]));
    assert!(reset.contains("Deleted the demo network"), "{reset}");
    assert!(reset.contains("Generated in"), "{reset}");
    let other = contents(&sqlite_url(twin.path())).await;
    assert_ne!(other, generated, "another seed draws other people");
    assert_eq!(
        other
            .iter()
            .filter(|i| i.starts_with("opportunity"))
            .count(),
        generated
            .iter()
            .filter(|i| i.starts_with("opportunity"))
            .count(),
        "the catalogue's shape does not depend on the seed"
    );
}

#[tokio::test]
async fn reset_leaves_a_database_without_the_demo_alone() {
    let dir = tempfile::tempdir().unwrap();
    let created = Command::new(env!("CARGO_BIN_EXE_mycel"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["admin", "create-tenant", "--slug", "nord", "--name", "Nord"])
        .output()
        .unwrap();
    ok(&created);
    let refused = demo(dir.path(), None, &["--reset"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("does not hold the demo network"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(dir.path().join("mycel.db").exists(), "nothing was deleted");
}

#[tokio::test]
async fn the_demo_runs_on_postgres() {
    let db = mycel_store_sql::test_database::TestDatabase::create().await;
    let dir = tempfile::tempdir().unwrap();
    let printed = ok(&demo(dir.path(), Some(db.url()), &[]));
    assert!(printed.contains("Generated in"), "{printed}");
    let generated = contents(db.url()).await;
    assert!(generated.len() > 800, "{} items", generated.len());
    let again = ok(&demo(dir.path(), Some(db.url()), &[]));
    assert!(again.contains("reusing"), "{again}");
    let refused = demo(dir.path(), Some(db.url()), &["--reset"]);
    assert!(!refused.status.success(), "--reset refuses on PostgreSQL");
    assert_eq!(contents(db.url()).await, generated);
    db.drop_database().await;
}
