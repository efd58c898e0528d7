//! Commands other than serving: each a small entry point called by `main`.

pub mod demo;
pub mod import;
pub mod jsonl;
pub mod seed;
pub mod seed_reports;
pub mod user;
pub mod wxr;
