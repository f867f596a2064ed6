//! Embeds the browser-side SCORM API (scorm-again, pinned in `assets/package-lock.json`) into the
//! binary. On a fresh checkout `node_modules` is missing: `npm ci --ignore-scripts` installs
//! exactly the locked version first (Node and npm are needed to build then; the built binary needs
//! neither).

use std::path::{Path, PathBuf};
use std::process::Command;

const FILES: [&str; 2] = ["scorm12.min.js", "scorm2004.min.js"];

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let assets = manifest.join("assets");
    println!("cargo:rerun-if-changed=assets/package.json");
    println!("cargo:rerun-if-changed=assets/package-lock.json");
    let dist = assets.join("node_modules/scorm-again/dist");
    if !FILES.iter().all(|f| dist.join(f).is_file()) {
        install(&assets);
    }
    // The version goes into the files' URLs, so that browsers may cache them for good.
    let package = std::fs::read_to_string(dist.join("../package.json")).unwrap_or_default();
    let version = package
        .split("\"version\"")
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or_else(|| panic!("no version in {}", dist.join("../package.json").display()));
    println!("cargo:rustc-env=SCORM_AGAIN_VERSION={version}");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    for file in FILES {
        let from = dist.join(file);
        println!("cargo:rerun-if-changed={}", from.display());
        if let Err(error) = std::fs::copy(&from, out.join(file)) {
            panic!("cannot copy {}: {error}", from.display());
        }
    }
}

fn install(assets: &Path) {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm)
        .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
        .current_dir(assets)
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => panic!(
            "`npm ci --ignore-scripts` in {} failed ({status}); scorm-again is needed to build mycel-http",
            assets.display()
        ),
        Err(error) => panic!(
            "cannot run npm ({error}): Node.js and npm are needed to build mycel-http (they install the pinned scorm-again in {})",
            assets.display()
        ),
    }
}
