//! The `jembatan` binary's library half: command line, configuration,
//! telemetry and start-up, shared by `main.rs` and the black-box tests.

pub mod cli;
pub mod commands;
pub mod config;
pub mod schedule;
pub mod startup;
pub mod telemetry;
