//! What several native test files share: the example scenarios in `www/scenarios/`.

use std::path::PathBuf;

/// Every example scenario, `(file name, text)`, sorted by name; at least the four lessons.
pub fn example_scenarios() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/scenarios");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("www/scenarios exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    assert!(files.len() >= 4, "the four lessons at least: {files:?}");
    files
}
