//! Helpers shared by the LRS suites (`xapi_statements.rs`, `xapi_documents.rs`, `xapi_protocol.rs`):
//! requests to `/xapi/` with the version header, statement fixtures, query strings, multipart
//! bodies and digests. Each suite declares `mod common;` before `mod xapi_support;`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use crate::common::{Auth, TestApp, TestResponse};
use axum::body::Body;
use axum::http::{header, Method, StatusCode};
use mycel_organisation::{Scope, Tenant};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const V1: &str = "1.0.3";
pub const V2: &str = "2.0.0";
pub const VOIDED: &str = "http://adlnet.gov/expapi/verbs/voided";
pub const VERSION: &str = "x-experience-api-version";
pub const CONSISTENT: &str = "x-experience-api-consistent-through";

/// A fresh app with one tenant and a credential holding every scope.
pub struct Lrs {
    pub app: TestApp,
    pub tenant: Tenant,
    pub auth: Auth,
}

impl Lrs {
    pub async fn new() -> Self {
        let app = TestApp::new().await;
        let tenant = app.tenant("lernwerk").await;
        let auth = app.credential(&tenant, &[Scope::All]).await;
        Self { app, tenant, auth }
    }

    pub async fn finish(self) {
        self.app.finish().await;
    }

    /// Any request, with the version header if `version` is given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        version: Option<&str>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> TestResponse {
        let mut builder = TestApp::request(method, path, auth);
        if let Some(v) = version {
            builder = builder.header(VERSION, v);
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        self.app.send(builder.body(body).unwrap()).await
    }

    /// GET under xAPI 2.0 with the default credential.
    pub async fn get(&self, path: &str) -> TestResponse {
        self.get_as(path, &self.auth, V2).await
    }

    pub async fn get_as(&self, path: &str, auth: &Auth, version: &str) -> TestResponse {
        self.call(Method::GET, path, auth, Some(version), &[], Body::empty())
            .await
    }

    /// A JSON body sent with `method`, under `version`, with the default credential.
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        version: &str,
        body: &Value,
    ) -> TestResponse {
        self.json_as(method, path, &self.auth, version, body).await
    }

    pub async fn json_as(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        version: &str,
        body: &Value,
    ) -> TestResponse {
        self.call(
            method,
            path,
            auth,
            Some(version),
            &[("content-type", "application/json")],
            Body::from(body.to_string()),
        )
        .await
    }

    /// POSTs statements under 2.0; asserts success and returns their ids.
    pub async fn post_statements(&self, body: &Value) -> Vec<String> {
        self.post_statements_as(&self.auth, V2, body).await
    }

    pub async fn post_statements_as(
        &self,
        auth: &Auth,
        version: &str,
        body: &Value,
    ) -> Vec<String> {
        let response = self
            .json_as(Method::POST, "/xapi/statements", auth, version, body)
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response
            .json()
            .as_array()
            .expect("POST statements answers an array of ids")
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect()
    }

    /// GETs one statement by id (200 expected) under 2.0.
    pub async fn statement(&self, id: &str) -> Value {
        let response = self
            .get(&format!("/xapi/statements?statementId={id}"))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        response.json()
    }

    /// The ids of the statements a query returns (one page), in order.
    pub async fn query_ids(&self, query: &str) -> Vec<String> {
        self.query_ids_as(&self.auth, query).await
    }

    pub async fn query_ids_as(&self, auth: &Auth, query: &str) -> Vec<String> {
        let response = self
            .get_as(&format!("/xapi/statements?{query}"), auth, V2)
            .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{query}: {}",
            response.text()
        );
        ids_of(&response.json())
    }
}

/// The ids in a StatementResult.
pub fn ids_of(result: &Value) -> Vec<String> {
    result["statements"]
        .as_array()
        .expect("a StatementResult")
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The key of a Basic credential (the `name` of its authority account).
pub fn key_of(auth: &Auth) -> String {
    match auth {
        Auth::Basic { key, .. } => key.clone(),
        other => panic!("not a credential: {other:?}"),
    }
}

/// `name=value&…`, URL-encoded.
pub fn query(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap()
}

pub fn agent(mbox: &str) -> Value {
    json!({"objectType": "Agent", "mbox": format!("mailto:{mbox}")})
}

pub fn activity_iri(name: &str) -> String {
    format!("https://lernwerk.example/activities/{name}")
}

pub fn verb_iri(name: &str) -> String {
    format!("https://lernwerk.example/verbs/{name}")
}

/// A minimal valid statement: `mbox` did `verb` on `activity`.
pub fn statement(mbox: &str, verb: &str, activity: &str) -> Value {
    json!({
        "actor": agent(mbox),
        "verb": {"id": verb_iri(verb), "display": {"en-US": verb}},
        "object": {"objectType": "Activity", "id": activity_iri(activity)},
    })
}

/// A statement voiding `target`.
pub fn voiding(target: &str) -> Value {
    json!({
        "actor": agent("admin@lernwerk.example"),
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    })
}

pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn sha256_hex(content: &[u8]) -> String {
    Sha256::digest(content)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A multipart/mixed body: the statements part, then each `(hash header, content type, content)`.
pub fn multipart(statements: &Value, parts: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "xapi-test-boundary-7f3a";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Type: application/json\r\n\r\n{statements}\r\n")
            .as_bytes(),
    );
    for (hash, content_type, content) in parts {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {hash}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/mixed; boundary={boundary}"), body)
}

/// Asserts an error status and that the message mentions every one of `needles`.
pub fn assert_error(response: &TestResponse, status: StatusCode, needles: &[&str]) {
    assert_eq!(response.status, status, "{}", response.text());
    let message = response.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    for needle in needles {
        assert!(
            message.contains(needle),
            "the message {message:?} should mention {needle:?}"
        );
    }
}

pub fn header<'a>(response: &'a TestResponse, name: &str) -> Option<&'a str> {
    response.headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn content_type(response: &TestResponse) -> &str {
    header(response, header::CONTENT_TYPE.as_str()).unwrap_or_default()
}

/// SHA-1 in hex (FIPS 180-4), for checking entity tags; the test crate has no SHA-1 dependency.
pub fn sha1_hex(content: &[u8]) -> String {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let mut message = content.to_vec();
    let bit_len = (content.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (slot, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(v);
        }
    }
    h.iter().map(|v| format!("{v:08x}")).collect()
}

/// The entity tag xAPI documents carry: the quoted SHA-1 of the content.
pub fn etag_of(content: &[u8]) -> String {
    format!("\"{}\"", sha1_hex(content))
}

#[test]
fn sha1_matches_known_digests() {
    assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    assert_eq!(
        sha1_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    );
}
