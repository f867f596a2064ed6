//! Mycel's configuration: a typed struct read from defaults, then a TOML file (`--config FILE`, or
//! `./mycel.toml` if it exists), then `MYCEL_*` environment variables, then command-line flags.
//! A bad value is reported with its key and the reason, and the process exits non-zero.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use mycel_http::HttpConfig;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting, with its default. The README lists them.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// Where the embedded SQLite database lives (used when `database_url` is not set).
    pub data_dir: PathBuf,
    /// `postgres://…` for PostgreSQL, or `sqlite://…`; default: SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// The address people use, e.g. `https://lernen.example.de`; https turns on Secure cookies.
    pub public_url: Option<String>,
    /// Believe X-Forwarded-For / X-Forwarded-Proto (only behind a reverse proxy you run).
    pub trust_proxy_headers: bool,
    /// How long a login session lasts.
    pub session_ttl_minutes: u64,
    /// The largest request body accepted.
    pub max_body_bytes: usize,
    /// The largest e-learning package (zip) accepted for upload.
    pub max_package_bytes: usize,
    /// Failed logins per address or account before logins are refused for the window.
    pub login_max_failures: u32,
    pub login_window_minutes: u64,
    /// Log filter (`info`, `mycel_http=debug,info`, …); `RUST_LOG` wins if set.
    pub log: String,
    /// `text` or `json`.
    pub log_format: LogFormat,
    /// How long in-flight requests may take to finish after SIGTERM.
    pub shutdown_grace_seconds: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        let http = HttpConfig::default();
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("mycel-data"),
            database_url: None,
            public_url: None,
            trust_proxy_headers: false,
            session_ttl_minutes: http.session_ttl.as_secs() / 60,
            max_body_bytes: http.max_body_bytes,
            max_package_bytes: http.max_package_bytes,
            login_max_failures: http.login_max_failures,
            login_window_minutes: http.login_window.as_secs() / 60,
            log: "info".into(),
            log_format: LogFormat::Text,
            shutdown_grace_seconds: 30,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self
                    .database_url
                    .as_deref()
                    .map(mycel_store_sql::redact_url),
            )
            .field("public_url", &self.public_url)
            .field("trust_proxy_headers", &self.trust_proxy_headers)
            .field("session_ttl_minutes", &self.session_ttl_minutes)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_package_bytes", &self.max_package_bytes)
            .field("log", &self.log)
            .finish_non_exhaustive()
    }
}

/// The keys `MYCEL_*` variables may set (other `MYCEL_` variables, such as the test suite's, are
/// not configuration).
const ENV_KEYS: [&str; 13] = [
    "listen",
    "data_dir",
    "database_url",
    "public_url",
    "trust_proxy_headers",
    "session_ttl_minutes",
    "max_body_bytes",
    "max_package_bytes",
    "login_max_failures",
    "login_window_minutes",
    "log",
    "log_format",
    "shutdown_grace_seconds",
];

/// Settings given as command-line flags, which win over everything else.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("{0}")]
    Invalid(Box<figment::Error>),
    #[error("{key}: {reason}")]
    Value { key: &'static str, reason: String },
}

impl Config {
    pub fn load(file: Option<&Path>, overrides: Overrides) -> Result<Config, ConfigError> {
        Self::load_from(file, overrides, Env::prefixed("MYCEL_").only(&ENV_KEYS))
    }

    fn load_from(
        file: Option<&Path>,
        overrides: Overrides,
        env: Env,
    ) -> Result<Config, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Config::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.to_owned())),
            Some(path) => figment = figment.merge(Toml::file_exact(path)),
            None if Path::new("mycel.toml").exists() => {
                figment = figment.merge(Toml::file_exact("mycel.toml"))
            }
            None => {}
        }
        let config: Config = figment
            .merge(env)
            .merge(Serialized::defaults(overrides))
            .extract()
            .map_err(|e| ConfigError::Invalid(Box::new(e)))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let fail = |key, reason: &str| {
            Err(ConfigError::Value {
                key,
                reason: reason.to_owned(),
            })
        };
        if self.session_ttl_minutes == 0 {
            return fail("session_ttl_minutes", "must be at least 1");
        }
        if self.max_body_bytes < 1024 {
            return fail("max_body_bytes", "must be at least 1024");
        }
        if self.max_package_bytes < 1024 {
            return fail("max_package_bytes", "must be at least 1024");
        }
        if self.login_max_failures == 0 {
            return fail("login_max_failures", "must be at least 1");
        }
        if self.login_window_minutes == 0 {
            return fail("login_window_minutes", "must be at least 1");
        }
        if let Some(url) = &self.public_url {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return fail("public_url", "must start with http:// or https://");
            }
        }
        if let Some(url) = &self.database_url {
            let scheme = url.split_once(':').map(|(s, _)| s);
            if !matches!(scheme, Some("sqlite" | "postgres" | "postgresql")) {
                return fail("database_url", "must start with sqlite: or postgres:");
            }
        }
        Ok(())
    }

    /// The database to use: `database_url`, or SQLite in `data_dir`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("mycel.db").display()),
        }
    }

    pub fn http(&self) -> HttpConfig {
        HttpConfig {
            secure_cookies: self
                .public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://")),
            public_url: self.public_url.clone(),
            trust_proxy_headers: self.trust_proxy_headers,
            session_ttl: Duration::from_secs(self.session_ttl_minutes * 60),
            max_body_bytes: self.max_body_bytes,
            login_max_failures: self.login_max_failures,
            login_window: Duration::from_secs(self.login_window_minutes * 60),
            max_package_bytes: self.max_package_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn no_env() -> Env {
        Env::prefixed("MYCEL_NO_SUCH_PREFIX_")
    }

    fn file(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn defaults() {
        let c = Config::load_from(None, Overrides::default(), no_env()).unwrap();
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url(), "sqlite://mycel-data/mycel.db");
        assert!(!c.http().secure_cookies);
    }

    #[test]
    fn file_then_flags() {
        let f = file("listen = \"0.0.0.0:9000\"\npublic_url = \"https://lernen.example.de\"\n");
        let c = Config::load_from(
            Some(f.path()),
            Overrides {
                data_dir: Some("/srv/mycel".into()),
                ..Overrides::default()
            },
            no_env(),
        )
        .unwrap();
        assert_eq!(c.listen.to_string(), "0.0.0.0:9000");
        assert_eq!(c.data_dir, PathBuf::from("/srv/mycel"));
        assert!(c.http().secure_cookies);
    }

    #[test]
    fn a_typo_names_the_key() {
        let f = file("lisen = \"127.0.0.1:1\"\n");
        let e = Config::load_from(Some(f.path()), Overrides::default(), no_env())
            .unwrap_err()
            .to_string();
        assert!(e.contains("lisen"), "{e}");
    }

    #[test]
    fn a_bad_value_names_the_key_and_reason() {
        let f = file("listen = \"here\"\n");
        let e = Config::load_from(Some(f.path()), Overrides::default(), no_env())
            .unwrap_err()
            .to_string();
        assert!(e.contains("listen"), "{e}");
        let f = file("max_body_bytes = 10\n");
        let e = Config::load_from(Some(f.path()), Overrides::default(), no_env())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "max_body_bytes: must be at least 1024");
        let f = file("database_url = \"mysql://x\"\n");
        let e = Config::load_from(Some(f.path()), Overrides::default(), no_env())
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("database_url:"), "{e}");
    }

    #[test]
    fn a_missing_file_is_an_error() {
        let e = Config::load_from(
            Some(Path::new("/no/such/mycel.toml")),
            Overrides::default(),
            no_env(),
        )
        .unwrap_err();
        assert!(matches!(e, ConfigError::MissingFile(_)));
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let c = Config {
            database_url: Some("postgres://mycel:geheim@db/mycel".into()),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("geheim"));
    }
}
