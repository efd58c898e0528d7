//! The JSON API under `/api/v1`, described by the OpenAPI document at
//! `/api/v1/openapi.json`.
//!
//! Shapes decided for every resource: lists are `{"items": [...],
//! "next_cursor": ...}`; errors `{"error": {"code", "message", "field"}}`
//! (rendered by [`crate::error::render_errors`]); ids are UUIDv7 strings;
//! every resource a person can open carries its page `url`.

pub mod v1;
