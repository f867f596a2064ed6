//! The `mycel` binary as an operator uses it: admin commands, configuration errors, serve and a
//! graceful stop on SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output, Stdio};

fn mycel(data_dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_mycel"));
    command.arg("--data-dir").arg(data_dir);
    // The developer's own settings must not leak into the test.
    for (key, _) in std::env::vars() {
        if key.starts_with("MYCEL_") {
            command.env_remove(key);
        }
    }
    command.env_remove("RUST_LOG");
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("run mycel")
}

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&output.stdout)))
}

#[test]
fn admin_commands_set_up_a_network() {
    let dir = tempfile::tempdir().unwrap();
    let tenant = json(&run(mycel(dir.path()).args([
        "admin",
        "create-tenant",
        "--slug",
        "nord",
        "--name",
        "Handel Nord eG",
        "--json",
    ])));
    assert_eq!(tenant["slug"], "nord");
    assert_eq!(tenant["name"], "Handel Nord eG");

    let unit = json(&run(mycel(dir.path()).args([
        "admin",
        "--json",
        "create-org-unit",
        "--tenant",
        "nord",
        "--name",
        "Zentrale",
    ])));
    let unit_id = unit["id"].as_str().unwrap().to_owned();
    let child = json(&run(mycel(dir.path()).args([
        "admin",
        "create-org-unit",
        "--tenant",
        "nord",
        "--name",
        "Einkauf",
        "--parent",
        &unit_id,
        "--json",
    ])));
    assert_eq!(child["parent_id"].as_str(), Some(unit_id.as_str()));

    let mut create_user = mycel(dir.path())
        .args([
            "admin",
            "create-user",
            "--tenant",
            "nord",
            "--email",
            "Admin@Nord.de",
            "--role",
            "tenant-admin",
            "--password-stdin",
            "--json",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    create_user
        .stdin
        .take()
        .unwrap()
        .write_all(b"ein langes Passwort\n")
        .unwrap();
    let user = json(&create_user.wait_with_output().unwrap());
    assert_eq!(user["person"]["email"], "admin@nord.de");
    assert_eq!(user["role"], "tenant-admin");
    assert!(
        user.get("initial_password").is_none(),
        "no password is printed when one was given"
    );

    let generated = json(&run(mycel(dir.path()).args([
        "admin",
        "create-user",
        "--tenant",
        "nord",
        "--email",
        "anna@nord.de",
        "--role",
        "learner",
        "--json",
    ])));
    assert_eq!(generated["initial_password"].as_str().unwrap().len(), 20);

    let credential = json(&run(mycel(dir.path()).args([
        "admin",
        "create-credential",
        "--tenant",
        "nord",
        "--scopes",
        "statements/write,state",
        "--json",
    ])));
    assert_eq!(
        credential["credential"]["scopes"],
        serde_json::json!(["statements/write", "state"])
    );
    assert_eq!(credential["secret"].as_str().unwrap().len(), 43);
    let id = credential["credential"]["id"].as_str().unwrap().to_owned();
    let revoked = json(&run(mycel(dir.path()).args([
        "admin",
        "revoke-credential",
        "--tenant",
        "nord",
        "--id",
        &id,
        "--json",
    ])));
    assert!(revoked["revoked_at"].is_string());

    let listed = json(&run(mycel(dir.path()).args([
        "admin",
        "list-tenants",
        "--json",
    ])));
    assert_eq!(listed.as_array().unwrap().len(), 1);
}

#[test]
fn admin_commands_explain_what_is_wrong_and_exit_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    run(mycel(dir.path()).args(["admin", "create-tenant", "--slug", "nord", "--name", "Nord"]));
    for (args, expected) in [
        (
            vec![
                "admin",
                "create-tenant",
                "--slug",
                "nord",
                "--name",
                "Again",
            ],
            "already exists",
        ),
        (
            vec!["admin", "create-tenant", "--slug", "Nord!", "--name", "X"],
            "slug:",
        ),
        (
            vec![
                "admin",
                "create-org-unit",
                "--tenant",
                "sued",
                "--name",
                "X",
            ],
            "tenant not found",
        ),
        (
            vec![
                "admin",
                "create-user",
                "--tenant",
                "nord",
                "--email",
                "x",
                "--role",
                "learner",
            ],
            "email:",
        ),
        (
            vec![
                "admin",
                "create-user",
                "--tenant",
                "nord",
                "--email",
                "a@b.de",
                "--role",
                "boss",
            ],
            "role: must be one of",
        ),
        (
            vec![
                "admin",
                "create-credential",
                "--tenant",
                "nord",
                "--scopes",
                "statements/wrte",
            ],
            "unknown scope \"statements/wrte\"",
        ),
    ] {
        let output = run(mycel(dir.path()).args(&args));
        assert!(!output.status.success(), "{args:?} succeeded");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn configuration_errors_name_the_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("mycel.toml");
    std::fs::write(&config, "lisen = \"127.0.0.1:9999\"\n").unwrap();
    let output = run(mycel(dir.path())
        .arg("--config")
        .arg(&config)
        .args(["admin", "list-tenants"]));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("configuration error") && stderr.contains("lisen"),
        "{stderr}"
    );

    let output = run(mycel(dir.path())
        .env("MYCEL_LISTEN", "not-an-address")
        .args(["admin", "list-tenants"]));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("LISTEN") && stderr.contains("environment variable"),
        "{stderr}"
    );

    let output = run(mycel(dir.path())
        .arg("--config")
        .arg(dir.path().join("missing.toml"))
        .args(["admin", "list-tenants"]));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn serve_answers_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = mycel(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address = line
        .trim()
        .strip_prefix("Mycel is listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let health = http_get(&address, "/readyz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(health.contains("\"backend\":\"sqlite\""), "{health}");
    assert!(
        dir.path().join("mycel.db").exists(),
        "the database lives in the data directory"
    );
    let login = http_get(&address, "/login");
    assert!(login.contains("<h1>Log in</h1>"));

    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let status = server.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a graceful stop exits 0");
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(
        log.contains("shutting down") && log.contains("stopped"),
        "{log}"
    );
}

fn http_request(address: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn start_server(command: &mut Command) -> (std::process::Child, String) {
    let mut server = command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("Mycel is listening on http://")
        .unwrap()
        .to_owned();
    (server, address)
}

/// A statement acknowledged with 200 is on disk: the server is killed (SIGKILL, no shutdown) right
/// after the answer, and a new server returns the statement.
fn acknowledged_statements_survive_a_kill(mycel: &dyn Fn() -> Command) {
    let tenant = json(&run(mycel().args([
        "admin",
        "create-tenant",
        "--slug",
        "nord",
        "--name",
        "Nord",
        "--json",
    ])));
    assert_eq!(tenant["slug"], "nord");
    let credential = json(&run(mycel().args([
        "admin",
        "create-credential",
        "--tenant",
        "nord",
        "--scopes",
        "all",
        "--json",
    ])));
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        credential["credential"]["key"].as_str().unwrap(),
        credential["secret"].as_str().unwrap()
    ));
    let id = "2c4a4b8e-27b3-4d1c-9f3a-7e6f0d5b1a99";
    let body = format!(
        r#"{{"id":"{id}","actor":{{"mbox":"mailto:anna@nord.de"}},"verb":{{"id":"http://adlnet.gov/expapi/verbs/completed"}},"object":{{"id":"http://nord.de/kurse/kasse"}}}}"#
    );
    let (mut server, address) = start_server(&mut mycel());
    let response = http_request(
        &address,
        &format!(
            "POST /xapi/statements HTTP/1.1\r\nHost: {address}\r\nAuthorization: Basic {basic}\r\nX-Experience-API-Version: 1.0.3\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    server.kill().unwrap(); // SIGKILL: no graceful shutdown, no flushing
    server.wait().unwrap();

    let (mut server, address) = start_server(&mut mycel());
    let response = http_request(
        &address,
        &format!(
            "GET /xapi/statements?statementId={id} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Basic {basic}\r\nX-Experience-API-Version: 1.0.3\r\nConnection: close\r\n\r\n"
        ),
    );
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(
        response.contains(id) && response.contains("http://nord.de/kurse/kasse"),
        "{response}"
    );
}

#[test]
fn acknowledged_statements_survive_a_kill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    acknowledged_statements_survive_a_kill(&|| mycel(dir.path()));
}

#[test]
fn acknowledged_statements_survive_a_kill_on_postgres() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime.block_on(mycel_store_sql::test_database::TestDatabase::create());
    let dir = tempfile::tempdir().unwrap();
    let url = db.url().to_owned();
    acknowledged_statements_survive_a_kill(&|| {
        let mut command = mycel(dir.path());
        command.arg("--database-url").arg(&url);
        command
    });
    runtime.block_on(db.drop_database());
}

const PACKAGES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/packages");

#[test]
fn packages_are_imported_with_their_structure_or_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    json(&run(mycel(dir.path()).args([
        "admin",
        "create-tenant",
        "--slug",
        "nord",
        "--name",
        "Handel Nord eG",
        "--json",
    ])));
    let imported = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "nord",
        &format!("{PACKAGES}/scorm/RuntimeBasicCalls_SCORM20043rdEdition.zip"),
    ]));
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(stdout.contains("SCORM 2004"), "{stdout}");
    assert!(stdout.contains("scorm-2004-3rd"), "{stdout}");
    assert!(stdout.contains("draft e-learning opportunity"), "{stdout}");
    let stored: Vec<_> = std::fs::read_dir(dir.path().join("content"))
        .unwrap()
        .collect();
    assert_eq!(stored.len(), 1, "one company's content folder");

    // The real lts-001 example names a launch file the zip does not hold: refused, non-zero.
    let refused = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "nord",
        &format!("{PACKAGES}/cmi5/lts-001-essentials.zip"),
    ]));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("refused"), "{stderr}");
    assert!(stderr.contains("index.html"), "{stderr}");
    assert!(stderr.contains("nothing was stored"), "{stderr}");
    let company = std::fs::read_dir(dir.path().join("content"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        std::fs::read_dir(company).unwrap().count(),
        1,
        "only the first package's files"
    );
    let unknown = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "sued",
        &format!("{PACKAGES}/scorm/singlescobasic.zip"),
    ]));
    assert!(!unknown.status.success());
}

#[test]
fn a_bare_cmi5_course_structure_is_imported_by_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    json(&run(mycel(dir.path()).args([
        "admin",
        "create-tenant",
        "--slug",
        "nord",
        "--name",
        "Handel Nord eG",
        "--json",
    ])));
    let course = |url: &str| {
        format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://pub.example.com/course/forklift"><title><langstring lang="en">Forklift basics</langstring></title><description/></course>
  <au id="https://pub.example.com/au/forklift-1"><title><langstring lang="en">Before driving</langstring></title><description/><url>{url}</url></au>
</courseStructure>"#
        )
    };
    // The name says nothing: the bytes are XML, so it is read as a course structure.
    let hosted = dir.path().join("course.bin");
    std::fs::write(
        &hosted,
        course("https://cdn.example.com/forklift/1/index.html"),
    )
    .unwrap();
    let imported = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "nord",
        hosted.to_str().unwrap(),
    ]));
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(
        imported.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&imported.stderr)
    );
    assert!(stdout.contains("(cmi5, 0 files, 0 bytes)"), "{stdout}");
    assert!(
        stdout.contains("-> https://cdn.example.com/forklift/1/index.html"),
        "{stdout}"
    );
    // The course structure is kept as cmi5.xml in the package's folder, byte for byte.
    let company = std::fs::read_dir(dir.path().join("content"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let package = std::fs::read_dir(&company)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    assert_eq!(
        std::fs::read(package.join("cmi5.xml")).unwrap(),
        std::fs::read(&hosted).unwrap()
    );

    // A relative AU URL has no zip to point into: refused, nothing stored.
    let relative = dir.path().join("relative.xml");
    std::fs::write(&relative, course("index.html")).unwrap();
    let refused = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "nord",
        relative.to_str().unwrap(),
    ]));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("not a fully qualified http or https URL"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was stored"), "{stderr}");

    // Neither a zip nor XML.
    let notes = dir.path().join("notes.zip");
    std::fs::write(&notes, "# not a package\n").unwrap();
    let refused = run(mycel(dir.path()).args([
        "import",
        "package",
        "--tenant",
        "nord",
        notes.to_str().unwrap(),
    ]));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("neither a zip package nor a cmi5 course structure (cmi5.xml)"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(&company).unwrap().count(),
        1,
        "only the first package's folder"
    );
}
