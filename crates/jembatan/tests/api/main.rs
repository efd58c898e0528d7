//! Black-box HTTP tests: each test starts the application on a random port
//! with a fresh database and talks to it over real HTTP, on SQLite and on
//! PostgreSQL alike.

mod helpers;

mod accounts;
mod admin;
mod admin_support;
mod authorization;
mod cache;
mod demo;
mod health;
mod kims;
mod openapi;
mod organisations;
mod password_reset;
mod regions;
mod schedule;
mod shell;
