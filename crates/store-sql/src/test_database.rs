//! A PostgreSQL database of its own for each test: created on the server named by
//! `MYCEL_TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`, the server of
//! this project's machines) and dropped when the test passed.
#![allow(clippy::expect_used)]

use sqlx::Connection;

pub const DEFAULT_SERVER_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug)]
pub struct TestDatabase {
    server_url: String,
    name: String,
    url: String,
}

fn server_url() -> String {
    std::env::var("MYCEL_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_SERVER_URL.to_owned())
}

/// `url` with its database (the path) replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .and_then(|start| base[start + 3..].find('/').map(|i| start + 3 + i))
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..authority_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDatabase {
    /// Creates an empty database. Panics with the server URL when the server cannot be reached:
    /// the PostgreSQL half of the suite must not pass by doing nothing.
    pub async fn create() -> Self {
        let server_url = server_url();
        let name = format!("mycel_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&server_url).await.unwrap_or_else(|e| {
            panic!(
                "cannot reach the PostgreSQL test server at {} ({e}); start it or set MYCEL_TEST_DATABASE_URL",
                crate::redact_url(&server_url)
            )
        });
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .expect("create test database");
        conn.close().await.ok();
        let url = with_database(&server_url, &name);
        Self {
            server_url,
            name,
            url,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn drop_database(self) {
        if let Ok(mut conn) = sqlx::PgConnection::connect(&self.server_url).await {
            sqlx::query(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut conn)
            .await
            .ok();
            conn.close().await.ok();
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            super::with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::with_database("postgres://u:p@h/db?sslmode=disable", "t1"),
            "postgres://u:p@h/t1?sslmode=disable"
        );
        assert_eq!(
            super::with_database("postgres://h:5432", "t1"),
            "postgres://h:5432/t1"
        );
    }
}
