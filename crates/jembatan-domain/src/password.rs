//! Password hashing: Argon2id with the `argon2` crate's default cost
//! (19 MiB, 2 passes, 1 lane, OWASP's recommended minimum), stored as PHC
//! strings so the parameters travel with each hash and can be raised later
//! without breaking old ones.
//!
//! Each call costs tens of milliseconds of CPU on purpose: callers run these
//! functions in `tokio::task::spawn_blocking`, never on the async runtime.

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A hash of a password nobody knows, made with the default parameters.
/// [`verify_against_dummy`] checks against it when a login names an account
/// that does not exist, so that answer takes as long as a wrong password
/// and the response time does not reveal which accounts exist.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ONww8kF4aWMa7VJeDUw7Eg$oqXGgyxBTHqujRVYrTzCsOxDKiuRWTsVeAn5tGllpSI";

/// Hashes `password` with Argon2id, default parameters and a fresh random
/// salt; returns the PHC string (`$argon2id$v=19$m=...`).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        // Only fails for parameters or salts out of range; ours are fixed and valid.
        .expect("argon2 with default parameters hashes any password")
        .to_string()
}

/// Whether `password` matches the PHC string `phc`. A malformed or
/// unsupported hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        // The parameters come from the hash itself, so old hashes made with
        // other costs still verify.
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Spends the time of one verification against [`DUMMY_HASH`]; call it when
/// the account asked for does not exist (and treat the login as failed).
pub fn verify_against_dummy(password: &str) {
    let _ = verify_password(password, DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hash = hash_password("kopi tubruk pagi");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("kopi tubruk pagi", &hash));
        assert!(!verify_password("kopi tubruk sore", &hash));
        assert!(!verify_password("", &hash));
    }

    #[test]
    fn every_hash_has_its_own_salt() {
        assert_ne!(hash_password("sama saja"), hash_password("sama saja"));
    }

    #[test]
    fn malformed_hashes_never_match() {
        for phc in ["", "plain text", "$argon2id$v=19$m=19456,t=2,p=1$", "$bcrypt$whatever"] {
            assert!(!verify_password("anything", phc), "{phc}");
        }
    }

    #[test]
    fn unicode_passwords_work() {
        let hash = hash_password("sandi rahasia ꦗꦮ 🔒");
        assert!(verify_password("sandi rahasia ꦗꦮ 🔒", &hash));
    }

    #[test]
    fn the_dummy_hash_costs_what_a_real_one_does() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real_hash = hash_password("x");
        let real = PasswordHash::new(&real_hash).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        assert_eq!(dummy.hash.map(|h| h.len()), real.hash.map(|h| h.len()));
        verify_against_dummy("anything");
    }
}
