#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The backend-neutral contract suite, run on SQLite and on PostgreSQL. Each test gets a database of
//! its own: a fresh SQLite file, or a fresh PostgreSQL database on the server named by
//! `MYCEL_TEST_DATABASE_URL` (default: the local server of this project's machines).

mod sqlite {
    use mycel_store::Store;
    use std::sync::Arc;

    async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", dir.path().join("mycel.db").display());
        let store = mycel_store_sql::open(&url)
            .await
            .expect("open SQLite store");
        (store, dir)
    }

    async fn cleanup(dir: tempfile::TempDir) {
        drop(dir);
    }

    mycel_store::store_contract_tests!(fresh, cleanup);
}

mod postgres {
    use mycel_store::Store;
    use mycel_store_sql::test_database::TestDatabase;
    use std::sync::Arc;

    async fn fresh() -> (Arc<dyn Store>, TestDatabase) {
        let db = TestDatabase::create().await;
        let store = mycel_store_sql::open(db.url())
            .await
            .expect("open PostgreSQL store");
        (store, db)
    }

    async fn cleanup(db: TestDatabase) {
        db.drop_database().await;
    }

    mycel_store::store_contract_tests!(fresh, cleanup);
}
