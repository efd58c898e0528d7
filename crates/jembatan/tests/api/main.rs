//! Black-box HTTP tests: each test starts the application on a random port
//! with a fresh database and talks to it over real HTTP, on SQLite and on
//! PostgreSQL alike.

mod helpers;

mod accounts;
mod health;
mod password_reset;
mod regions;
mod shell;
