//! Configuration: documented defaults, overridden by a TOML file
//! (`--config FILE` or `JEMBATAN_CONFIG`), overridden by `JEMBATAN_*`
//! environment variables. Every key is listed in [`SETTINGS`]; a bad value
//! stops start-up with a message naming the key and what is allowed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;

use jembatan_domain::{RegionCode, RegionLevel};
use jembatan_store::DatabaseUrl;

/// One configuration key.
pub struct Setting {
    /// The TOML key; the environment variable is `JEMBATAN_` + its upper case.
    pub key: &'static str,
    /// The default, or `None` when unset by default.
    pub default: Option<&'static str>,
    /// What is allowed, for error messages and `config/jembatan.example.toml`.
    pub allowed: &'static str,
    /// Whether the value may hold a secret and must not be echoed.
    pub secret: bool,
}

/// Every configuration key.
pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "database_url",
        default: Some("sqlite://jembatan-data/jembatan.db"),
        allowed: "sqlite://PATH or postgres://USER@HOST/DB",
        secret: true,
    },
    Setting {
        key: "bind",
        default: Some("127.0.0.1:8080"),
        allowed: "an address and port, e.g. 127.0.0.1:8080 or 0.0.0.0:80",
        secret: false,
    },
    Setting {
        key: "public_url",
        default: None,
        allowed: "an http:// or https:// URL people reach the site at (default: http://BIND)",
        secret: false,
    },
    Setting {
        key: "smtp_url",
        default: None,
        allowed: "smtp://HOST:PORT, smtps://USER:PASSWORD@HOST or smtp://HOST?tls=required",
        secret: true,
    },
    Setting {
        key: "mail_from",
        default: Some("Jembatan <noreply@localhost>"),
        allowed: "a mailbox, e.g. Jembatan <noreply@kim.jatimprov.go.id>",
        secret: false,
    },
    Setting {
        key: "timezone",
        default: Some("Asia/Jakarta"),
        allowed: "an IANA time zone, e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura",
        secret: false,
    },
    Setting {
        key: "trusted_proxies",
        default: Some(""),
        allowed: "comma-separated IP addresses or CIDR ranges of reverse proxies",
        secret: false,
    },
    Setting {
        key: "default_province",
        default: Some("35"),
        allowed: "a two-digit province code, e.g. 35",
        secret: false,
    },
    Setting {
        key: "province_office",
        default: Some("Diskominfo Provinsi Jawa Timur"),
        allowed: "the province communication office's name, 1-150 characters",
        secret: false,
    },
    Setting {
        key: "regency_office",
        default: Some("Diskominfo"),
        allowed: "the short name of a regency's communication office, 1-60 characters",
        secret: false,
    },
    Setting {
        key: "privacy_contact",
        default: Some("Pejabat Pelindungan Data Pribadi, Diskominfo Provinsi Jawa Timur"),
        allowed: "who to contact about personal data, 1-300 characters",
        secret: false,
    },
    Setting {
        key: "login_max_failures",
        default: Some("5"),
        allowed: "failed logins before an account is locked, 1-100",
        secret: false,
    },
    Setting {
        key: "login_lock_seconds",
        default: Some("900"),
        allowed: "how long a locked account stays locked, 1-86400 seconds",
        secret: false,
    },
    Setting {
        key: "login_attempts_per_ip_per_minute",
        default: Some("120"),
        allowed: "login attempts per minute from one IP address, 1-100000 (carriers share addresses: keep it generous)",
        secret: false,
    },
    Setting {
        key: "reports_per_ip_per_minute",
        default: Some("60"),
        allowed: "reports filed per minute from one IP address, 1-1000000 (carriers share addresses: keep it generous; raise it for benchmarks)",
        secret: false,
    },
    Setting {
        key: "reports_per_contact_per_hour",
        default: Some("10"),
        allowed: "reports filed per hour with one phone number or e-mail address, 1-1000000",
        secret: false,
    },
    Setting {
        key: "session_days",
        default: Some("30"),
        allowed: "days a login lasts without use, 1-365",
        secret: false,
    },
    Setting {
        key: "db_max_connections",
        default: Some("8"),
        allowed: "database connections per process, 1-200",
        secret: false,
    },
    Setting { key: "log_format", default: Some("text"), allowed: "text or json", secret: false },
    Setting {
        key: "max_body_kib",
        default: Some("1024"),
        allowed: "largest request body in KiB, 16-1048576",
        secret: false,
    },
    Setting {
        key: "max_upload_kib",
        default: Some("8192"),
        allowed: "largest uploaded image in KiB, 64-102400",
        secret: false,
    },
    Setting {
        key: "search_dir",
        default: Some("jembatan-data/search"),
        allowed: "a folder for this process's search index (created; rebuilt from the database when lost)",
        secret: false,
    },
];

/// The environment variable of a key.
pub fn env_var(key: &str) -> String {
    format!("JEMBATAN_{}", key.to_uppercase())
}

/// A configuration that could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {reason}")]
    File { path: String, reason: String },
    #[error("unknown configuration key `{key}` in {path}; known keys: {known}")]
    UnknownKey { key: String, path: String, known: String },
    #[error("configuration `{key}` ({env}) = {shown} is not allowed: expected {allowed}")]
    Invalid { key: &'static str, env: String, shown: String, allowed: &'static str },
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The typed, validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind: SocketAddr,
    pub public_url: url::Url,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub timezone: chrono_tz::Tz,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub default_province: RegionCode,
    pub province_office: String,
    pub regency_office: String,
    pub privacy_contact: String,
    pub login_max_failures: i64,
    pub login_lock_seconds: i64,
    pub login_attempts_per_ip_per_minute: u32,
    pub reports_per_ip_per_minute: u32,
    pub reports_per_contact_per_hour: u32,
    pub session_days: i64,
    pub db_max_connections: u32,
    pub log_format: LogFormat,
    pub max_body_bytes: usize,
    pub max_upload_bytes: usize,
    pub search_dir: std::path::PathBuf,
}

/// Raw values by key, before typing.
type Raw = BTreeMap<&'static str, String>;

impl Config {
    /// Loads defaults, then `file` (if any), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Config, ConfigError> {
        Config::load_from(file, |name| std::env::var(name).ok())
    }

    /// Loads with `env` standing in for the process environment (tests).
    pub fn load_from(file: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let mut raw: Raw = SETTINGS.iter().filter_map(|s| s.default.map(|d| (s.key, d.to_owned()))).collect();
        if let Some(path) = file {
            for (key, value) in read_file(path)? {
                raw.insert(key, value);
            }
        }
        for setting in SETTINGS {
            if let Some(value) = env(&env_var(setting.key)) {
                raw.insert(setting.key, value);
            }
        }
        Config::from_raw(&raw)
    }

    fn from_raw(raw: &Raw) -> Result<Config, ConfigError> {
        let bind: SocketAddr = parse(raw, "bind", |v| v.parse().ok())?;
        let public_url = match raw.get("public_url").filter(|v| !v.trim().is_empty()) {
            Some(_) => parse(raw, "public_url", |v| {
                url::Url::parse(v).ok().filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            })?,
            None => url::Url::parse(&format!("http://{bind}")).expect("bind address forms a URL"),
        };
        Ok(Config {
            database_url: parse(raw, "database_url", |v| DatabaseUrl::parse(v).ok())?,
            bind,
            public_url,
            smtp_url: optional(raw, "smtp_url", |v| {
                (v.starts_with("smtp://") || v.starts_with("smtps://")).then(|| v.to_owned())
            })?,
            mail_from: parse(raw, "mail_from", |v| (v.contains('@') && v.len() <= 200).then(|| v.to_owned()))?,
            timezone: parse(raw, "timezone", |v| v.parse().ok())?,
            trusted_proxies: parse(raw, "trusted_proxies", parse_proxies)?,
            default_province: parse(raw, "default_province", |v| {
                RegionCode::parse(v).ok().filter(|c| c.level() == RegionLevel::Province)
            })?,
            province_office: parse(raw, "province_office", |v| text(v, 150))?,
            regency_office: parse(raw, "regency_office", |v| text(v, 60))?,
            privacy_contact: parse(raw, "privacy_contact", |v| text(v, 300))?,
            login_max_failures: parse(raw, "login_max_failures", |v| ranged(v, 1, 100))?,
            login_lock_seconds: parse(raw, "login_lock_seconds", |v| ranged(v, 1, 86_400))?,
            login_attempts_per_ip_per_minute: parse(raw, "login_attempts_per_ip_per_minute", |v| {
                ranged(v, 1, 100_000).map(|n| n as u32)
            })?,
            reports_per_ip_per_minute: parse(raw, "reports_per_ip_per_minute", |v| {
                ranged(v, 1, 1_000_000).map(|n| n as u32)
            })?,
            reports_per_contact_per_hour: parse(raw, "reports_per_contact_per_hour", |v| {
                ranged(v, 1, 1_000_000).map(|n| n as u32)
            })?,
            session_days: parse(raw, "session_days", |v| ranged(v, 1, 365))?,
            db_max_connections: parse(raw, "db_max_connections", |v| ranged(v, 1, 200).map(|n| n as u32))?,
            log_format: parse(raw, "log_format", |v| match v {
                "text" => Some(LogFormat::Text),
                "json" => Some(LogFormat::Json),
                _ => None,
            })?,
            max_body_bytes: parse(raw, "max_body_kib", |v| ranged(v, 16, 1_048_576).map(|k| k as usize * 1024))?,
            max_upload_bytes: parse(raw, "max_upload_kib", |v| ranged(v, 64, 102_400).map(|k| k as usize * 1024))?,
            search_dir: parse(raw, "search_dir", |v| (!v.is_empty()).then(|| std::path::PathBuf::from(v)))?,
        })
    }
}

fn setting(key: &str) -> &'static Setting {
    SETTINGS.iter().find(|s| s.key == key).expect("known setting")
}

fn invalid(key: &'static str, value: &str) -> ConfigError {
    let s = setting(key);
    let shown = if s.secret { "(hidden)".to_owned() } else { format!("{value:?}") };
    ConfigError::Invalid { key: s.key, env: env_var(key), shown, allowed: s.allowed }
}

fn parse<T>(raw: &Raw, key: &'static str, f: impl Fn(&str) -> Option<T>) -> Result<T, ConfigError> {
    let value = raw.get(key).map(String::as_str).unwrap_or_default();
    f(value.trim()).ok_or_else(|| invalid(key, value))
}

fn optional<T>(raw: &Raw, key: &'static str, f: impl Fn(&str) -> Option<T>) -> Result<Option<T>, ConfigError> {
    match raw.get(key).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => f(v).map(Some).ok_or_else(|| invalid(key, v)),
    }
}

fn ranged(v: &str, min: i64, max: i64) -> Option<i64> {
    v.parse::<i64>().ok().filter(|n| (min..=max).contains(n))
}

fn text(v: &str, max: usize) -> Option<String> {
    (!v.is_empty() && v.chars().count() <= max).then(|| v.to_owned())
}

fn parse_proxies(v: &str) -> Option<Vec<ipnet::IpNet>> {
    v.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| p.parse::<ipnet::IpNet>().ok().or_else(|| p.parse::<std::net::IpAddr>().ok().map(ipnet::IpNet::from)))
        .collect()
}

/// Reads a TOML file of flat keys; arrays become comma-separated values.
fn read_file(path: &Path) -> Result<Vec<(&'static str, String)>, ConfigError> {
    let shown = path.display().to_string();
    let text =
        std::fs::read_to_string(path).map_err(|e| ConfigError::File { path: shown.clone(), reason: e.to_string() })?;
    let table: toml::Table =
        text.parse().map_err(|e: toml::de::Error| ConfigError::File { path: shown.clone(), reason: e.to_string() })?;
    let mut values = Vec::new();
    for (key, value) in table {
        let Some(setting) = SETTINGS.iter().find(|s| s.key == key) else {
            let known = SETTINGS.iter().map(|s| s.key).collect::<Vec<_>>().join(", ");
            return Err(ConfigError::UnknownKey { key, path: shown, known });
        };
        let value = match value {
            toml::Value::String(s) => s,
            toml::Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_owned).unwrap_or_else(|| i.to_string()))
                .collect::<Vec<_>>()
                .join(","),
            other => other.to_string(),
        };
        values.push((setting.key, value));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(env: &[(&str, &str)], file: Option<&str>) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jembatan.toml");
        if let Some(text) = file {
            std::fs::write(&path, text).unwrap();
        }
        let env: BTreeMap<String, String> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::load_from(file.map(|_| path.as_path()), |name| env.get(name).cloned())
    }

    #[test]
    fn defaults_need_no_file() {
        let config = load(&[], None).unwrap();
        assert_eq!(config.database_url, DatabaseUrl::parse("sqlite://jembatan-data/jembatan.db").unwrap());
        assert_eq!(config.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(config.public_url.as_str(), "http://127.0.0.1:8080/");
        assert_eq!(config.timezone, chrono_tz::Asia::Jakarta);
        assert_eq!(config.default_province.as_str(), "35");
        assert_eq!(config.regency_office, "Diskominfo");
        assert!(config.smtp_url.is_none());
    }

    #[test]
    fn environment_wins_over_the_file() {
        let config = load(
            &[("JEMBATAN_BIND", "0.0.0.0:9000")],
            Some("bind = \"127.0.0.1:7000\"\nregency_office = \"Dinas Kominfo\"\ntrusted_proxies = [\"10.0.0.0/8\", \"192.168.1.1\"]\n"),
        )
        .unwrap();
        assert_eq!(config.bind.to_string(), "0.0.0.0:9000");
        assert_eq!(config.regency_office, "Dinas Kominfo");
        assert_eq!(config.trusted_proxies.len(), 2);
    }

    #[test]
    fn bad_values_name_the_key_and_what_is_allowed() {
        let err = load(&[("JEMBATAN_TIMEZONE", "Mars/Olympus")], None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "configuration `timezone` (JEMBATAN_TIMEZONE) = \"Mars/Olympus\" is not allowed: expected an IANA time zone, e.g. Asia/Jakarta, Asia/Makassar, Asia/Jayapura"
        );
        let err = load(&[("JEMBATAN_DEFAULT_PROVINCE", "35.23")], None).unwrap_err();
        assert!(err.to_string().contains("`default_province`"));
        let err = load(&[("JEMBATAN_DATABASE_URL", "/var/lib/jembatan.db")], None).unwrap_err();
        assert!(err.to_string().contains("(hidden)"), "database URLs may hold passwords: {err}");
        let err = load(&[], Some("bnid = \"x\"")).unwrap_err();
        assert!(matches!(err, ConfigError::UnknownKey { .. }));
        let err = load(&[("JEMBATAN_LOGIN_MAX_FAILURES", "0")], None).unwrap_err();
        assert!(err.to_string().contains("1-100"));
    }
}

#[cfg(test)]
mod example_file_tests {
    use super::*;

    #[test]
    fn the_example_file_documents_every_key_and_loads() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../config/jembatan.example.toml");
        let text = std::fs::read_to_string(path).unwrap();
        for setting in SETTINGS {
            assert!(text.contains(&format!("{} =", setting.key)), "{} missing from the example file", setting.key);
        }
        Config::load_from(Some(Path::new(path)), |_| None).unwrap();
    }
}
