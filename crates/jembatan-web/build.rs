//! Embeds every translation file under `locales/<lang>/*.ftl` so the binary
//! runs from any folder; new files are picked up without editing code.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    for lang in std::fs::read_dir(&root).expect("locales folder") {
        let lang = lang.expect("locale entry").path();
        if !lang.is_dir() {
            continue;
        }
        println!("cargo:rerun-if-changed={}", lang.display());
        for file in std::fs::read_dir(&lang).expect("locale folder") {
            let file = file.expect("ftl entry").path();
            if file.extension().is_some_and(|e| e == "ftl") {
                println!("cargo:rerun-if-changed={}", file.display());
                let code = lang.file_name().unwrap().to_string_lossy().into_owned();
                entries.push((code, file.canonicalize().expect("ftl path")));
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// `(locale, file, contents)` of every embedded translation file.\n");
    out.push_str("pub const CATALOG_FILES: &[(&str, &str, &str)] = &[\n");
    for (code, path) in entries {
        let name = path.file_name().unwrap().to_string_lossy();
        writeln!(out, "    ({code:?}, {name:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("catalog_files.rs");
    std::fs::write(dest, out).expect("write catalog list");
}
