//! Commands other than serving: each a small entry point called by `main`.

pub mod demo;
pub mod user;
