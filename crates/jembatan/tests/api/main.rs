//! Black-box HTTP tests: each test starts the application on a random port
//! with a fresh database and talks to it over real HTTP, on SQLite and on
//! PostgreSQL alike.

mod helpers;

mod accounts;
mod admin;
mod admin_support;
mod aspiration_cases;
mod aspiration_mail;
mod aspiration_support;
mod aspirations;
mod authorization;
mod cache;
mod content;
mod content_api;
mod content_support;
mod demo;
mod editor;
mod editor_input;
mod editor_media;
mod editor_support;
mod feeds;
mod health;
mod holidays;
mod kims;
mod open311;
mod openapi;
mod organisations;
mod password_reset;
mod regions;
mod schedule;
mod search;
mod search_cli;
mod shell;
