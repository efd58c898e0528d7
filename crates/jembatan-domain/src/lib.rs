//! Jembatan's domain: identifiers, validated values, roles and scopes, and
//! the authorization rules. Pure: no I/O, no database, no web types.

pub mod account;
pub mod aspiration;
pub mod authz;
pub mod calendar;
pub mod contact;
pub mod content;
pub mod error;
pub mod ids;
pub mod kim;
pub mod markdown;
pub mod organisation;
pub mod password;
pub mod quality;
pub mod region;
pub mod role;
pub mod time;

pub use error::{FieldError, ValidationCode};
pub use ids::*;
pub use region::{Region, RegionCode, RegionLevel};
pub use time::Timestamp;
