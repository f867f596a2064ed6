//! Runs the statement cases of ADL's LRS conformance test suite (adlnet/lrs-conformance-test-suite)
//! through the validator, when a copy of the suite is at hand. Nothing of the suite is committed here:
//! at test time its `test/<version>/configs` and `templates` are extracted from the suite's git
//! directory into a temporary directory, and a small Node.js script (ours, below) evaluates the
//! configurations and composes each case's statement the way the suite's templating does
//! (templates deep-merged in order, later ones into earlier ones' properties). A case expecting
//! 200/204 must validate; a case expecting 400 must not.
//!
//! Set `MYCEL_XAPI_CONFORMANCE_SUITE` to the suite's git directory (a bare clone or `.git`) to run
//! it; `git`, `tar` and `node` must be on the PATH. Without the variable the test does nothing.
//! `MYCEL_XAPI_CONFORMANCE_VERBOSE=1` (with `--nocapture`) prints every case with the answer.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mycel_xapi::{validate_statement, XapiVersion};
use serde_json::Value;

/// Evaluates the suite's configuration files and prints every templated case as JSON.
const COMPOSE_CASES_JS: &str = r#"
const fs = require('fs');
const path = require('path');
const Module = require('module');
const root = process.argv[2];
// The configurations only use the suite's helper for generateUUID; everything else is stubbed.
const originalLoad = Module._load;
Module._load = function (request, parent, isMain) {
  if (request.endsWith('helper.js')) {
    return { generateUUID: () => '3b3e7e1c-52a5-4bb4-8f3e-0c4a3b7b2f1d' };
  }
  return originalLoad.apply(this, arguments);
};
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// Deep merge in the manner of jQuery's extend(true, target, source).
function merge(target, source) {
  for (const name of Object.keys(source)) {
    const copy = source[name];
    const src = target[name];
    if (target === copy) continue;
    if (copy && (isPlainObject(copy) || Array.isArray(copy))) {
      const base = Array.isArray(copy)
        ? (Array.isArray(src) ? src : [])
        : (isPlainObject(src) ? src : {});
      target[name] = merge(base, copy);
    } else if (copy !== undefined) {
      target[name] = copy;
    }
  }
  return target;
}
function resolve(value) {
  if (typeof value === 'string' && value.startsWith('{{') && value.endsWith('}}')) {
    const [folder, name] = value.slice(2, -2).split('.');
    const file = path.join(root, 'templates', folder, name + '.json');
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  }
  return JSON.parse(JSON.stringify(value === undefined ? null : value));
}
function compose(templates) {
  const items = templates.map((item) => {
    const key = Object.keys(item)[0];
    return { key, value: resolve(item[key]) };
  });
  for (let i = items.length - 1; i > 0; i--) {
    const target = items[i - 1].value;
    if (target !== null && typeof target === 'object') {
      merge(target, { [items[i].key]: items[i].value });
    }
  }
  return items[0].value;
}
const cases = [];
const configDir = path.join(root, 'configs');
for (const file of fs.readdirSync(configDir).filter((f) => f.endsWith('.js')).sort()) {
  const config = require(path.join(configDir, file)).config();
  for (const suite of config) {
    for (const test of suite.config || []) {
      const data = test.templates ? compose(test.templates) : test.json;
      cases.push({ file, suite: suite.name, name: test.name, expect: test.expect, data });
    }
  }
}
process.stdout.write(JSON.stringify(cases));
"#;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(command: &mut Command, input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = command
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {command:?}: {e}"))?;
    if let (Some(input), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin
            .write_all(input)
            .map_err(|e| format!("cannot write to {command:?}: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{command:?} failed: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.stdout)
}

fn suite_cases(repo: &Path, folder: &str, scratch: &Path) -> Result<Vec<Value>, String> {
    let archive = run(
        Command::new("git").arg("--git-dir").arg(repo).args([
            "archive",
            "--format=tar",
            "HEAD",
            &format!("test/{folder}/configs"),
            &format!("test/{folder}/templates"),
        ]),
        None,
    )?;
    run(
        Command::new("tar").arg("-x").arg("-C").arg(scratch),
        Some(&archive),
    )?;
    let script = scratch.join("compose-cases.js");
    std::fs::write(&script, COMPOSE_CASES_JS).map_err(|e| e.to_string())?;
    let json = run(
        Command::new("node")
            .arg(&script)
            .arg(scratch.join("test").join(folder)),
        None,
    )?;
    match serde_json::from_slice::<Value>(&json).map_err(|e| e.to_string())? {
        Value::Array(cases) => Ok(cases),
        _ => Err("the case list is not an array".into()),
    }
}

#[test]
fn conformance_suite_statement_cases() -> Result<(), String> {
    let Some(repo) = std::env::var_os("MYCEL_XAPI_CONFORMANCE_SUITE") else {
        eprintln!("skipped: set MYCEL_XAPI_CONFORMANCE_SUITE to the git directory of adlnet/lrs-conformance-test-suite");
        return Ok(());
    };
    // With MYCEL_XAPI_CONFORMANCE_VERBOSE set, every case and the validator's answer is printed, to
    // check that rejections happen for the reason the case is about.
    let verbose = std::env::var_os("MYCEL_XAPI_CONFORMANCE_VERBOSE").is_some();
    let mut mismatches = Vec::new();
    let mut total = 0;
    for (folder, version) in [("v1_0_3", XapiVersion::V1_0_3), ("v2_0", XapiVersion::V2_0)] {
        let scratch = TempDir(
            std::env::temp_dir().join(format!("mycel-xapi-suite-{}-{folder}", std::process::id())),
        );
        std::fs::create_dir_all(&scratch.0).map_err(|e| e.to_string())?;
        let cases = suite_cases(Path::new(&repo), folder, &scratch.0)?;
        assert!(!cases.is_empty(), "no cases found for {folder}");
        for case in &cases {
            total += 1;
            let expect = case["expect"].as_array().cloned().unwrap_or_default();
            let should_pass = expect.iter().any(|c| c == 200 || c == 204);
            let outcome = validate_statement(&case["data"], version);
            if verbose {
                eprintln!(
                    "[{folder}] {} / {}: {}",
                    case["file"].as_str().unwrap_or_default(),
                    case["name"].as_str().unwrap_or_default(),
                    match &outcome {
                        Ok(()) => "accepted".to_owned(),
                        Err(e) => e.to_string(),
                    }
                );
            }
            if outcome.is_ok() != should_pass {
                mismatches.push(format!(
                    "[{folder}] {} / {} / {}: expected {}, validator said {}\n{}",
                    case["file"].as_str().unwrap_or_default(),
                    case["suite"].as_str().unwrap_or_default(),
                    case["name"].as_str().unwrap_or_default(),
                    if should_pass { "accept" } else { "reject" },
                    match &outcome {
                        Ok(()) => "ok".to_owned(),
                        Err(e) => e.to_string(),
                    },
                    case["data"]
                ));
            }
        }
    }
    eprintln!("{total} conformance suite cases checked");
    if mismatches.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} of {total} cases disagree:\n{}",
            mismatches.len(),
            mismatches.join("\n\n")
        ))
    }
}
