//! Static assets, embedded and served under fingerprinted names
//! (`/static/app.3f2a9c1b.css`) so browsers may cache them for a year.

use std::collections::HashMap;

use sha2::{Digest, Sha256};

/// One embedded asset.
pub struct Asset {
    pub bytes: &'static [u8],
    pub content_type: &'static str,
}

/// The embedded assets by fingerprinted name, and the URL of each by its plain name.
pub struct Assets {
    by_served_name: HashMap<String, Asset>,
    urls: HashMap<&'static str, String>,
}

const FILES: &[(&str, &[u8], &str)] = &[
    ("app.css", include_bytes!("../static/app.css"), "text/css; charset=utf-8"),
    ("favicon.svg", include_bytes!("../static/favicon.svg"), "image/svg+xml"),
    ("report-draft.js", include_bytes!("../static/report-draft.js"), "text/javascript; charset=utf-8"),
];

impl Assets {
    pub fn load() -> Assets {
        let mut by_served_name = HashMap::new();
        let mut urls = HashMap::new();
        for (name, bytes, content_type) in FILES {
            let digest = Sha256::digest(bytes);
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            let served = format!("{stem}.{}.{ext}", hex::encode(&digest[..4]));
            urls.insert(*name, format!("/static/{served}"));
            by_served_name.insert(served, Asset { bytes, content_type });
        }
        Assets { by_served_name, urls }
    }

    /// The asset served under `name`, if any.
    pub fn get(&self, served_name: &str) -> Option<&Asset> {
        self.by_served_name.get(served_name)
    }

    /// The fingerprinted URL of `name` (e.g. `app.css`).
    pub fn url(&self, name: &str) -> &str {
        self.urls.get(name).map(String::as_str).unwrap_or("/static/missing")
    }
}
