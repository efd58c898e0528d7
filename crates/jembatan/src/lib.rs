//! The `jembatan` binary's library half: command line, configuration,
//! telemetry, start-up and the search index's source, shared by `main.rs`
//! and the black-box tests.

pub mod cli;
pub mod cli_content;
pub mod commands;
pub mod config;
pub mod schedule;
pub mod search_source;
pub mod startup;
pub mod telemetry;
