//! What every handler can reach: the database, the settings, the catalog,
//! assets, metrics and the search index. Nothing here is shared state
//! between processes except through the database (the search index is this
//! process's own, derived from the database).

use std::net::IpAddr;
use std::sync::Arc;

use jembatan_domain::RegionCode;
use jembatan_search::SearchIndex;
use jembatan_store::Db;
use tokio::sync::Notify;

use crate::assets::Assets;
use crate::cache::PageCache;
use crate::i18n::Catalog;
use crate::metrics::Metrics;
use crate::rate_limit::RateLimiter;

/// Names shown for government offices; configurable because offices get
/// renamed (Diskominfo has been reorganised before).
#[derive(Debug, Clone)]
pub struct OfficeNames {
    /// The province's communication office, e.g. "Diskominfo Provinsi Jawa Timur".
    pub province_office: String,
    /// The short name of a regency's communication office, e.g. "Diskominfo".
    pub regency_office: String,
}

/// Login throttling limits.
#[derive(Debug, Clone)]
pub struct LoginPolicy {
    /// Failed attempts on one account before it is locked for a while.
    pub max_failures_per_account: i64,
    /// How long an account stays locked, in seconds.
    pub account_lock_seconds: i64,
    /// Login attempts one IP address may make per minute. Generous: mobile
    /// carriers put many people behind one address.
    pub attempts_per_ip_per_minute: u32,
}

/// Web settings, derived from the application's configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people reach the site at; links in e-mails and feeds use it.
    pub public_url: url::Url,
    /// The province whose portal this deployment is.
    pub default_province: RegionCode,
    pub offices: OfficeNames,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub login: LoginPolicy,
    /// Lifetime of a login session, in seconds (sliding).
    pub session_ttl_secs: i64,
    /// Lifetime of an e-mailed password reset link, in seconds.
    pub reset_ttl_secs: i64,
    /// The data protection contact shown in the privacy notice.
    pub privacy_contact: String,
    /// Time zone for dates shown to people.
    pub timezone: chrono_tz::Tz,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest uploaded file accepted, in bytes (images in the editor,
    /// photos and PDFs on reports).
    pub max_upload_bytes: usize,
    pub reports: ReportLimits,
}

/// Anti-spam limits of report filing.
#[derive(Debug, Clone, Copy)]
pub struct ReportLimits {
    /// Reports per minute from one IP address (in this process).
    pub per_ip_per_minute: u32,
    /// Reports per hour with one phone number or e-mail (in the database).
    pub per_contact_per_hour: u32,
}

impl WebConfig {
    /// Cookies get `Secure` whenever the site is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The public URL's origin, e.g. `https://kim.example.id`, for Origin checks.
    pub fn origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// An absolute URL for a site path.
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }

    /// Whether `peer` is a proxy allowed to tell us the client's address.
    pub fn trusts_proxy(&self, peer: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&peer))
    }
}

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: WebConfig,
    pub catalog: Arc<Catalog>,
    pub assets: Assets,
    pub metrics: Metrics,
    pub login_limiter: RateLimiter,
    pub report_limiter: RateLimiter,
    /// Wakes the job worker when a request enqueued work.
    pub jobs_waiting: Arc<Notify>,
    /// Public pages as rendered bytes, following the change log.
    pub page_cache: PageCache,
    /// This process's full-text index of published content; the binary
    /// opens it and runs its follower (`jembatan_search::follow`).
    pub search: SearchIndex,
    /// Files reports in groups (one transaction, one fsync for all that
    /// arrive together).
    pub filer: jembatan_store::aspirations::Filer,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(
        db: Db,
        config: WebConfig,
        catalog: Arc<Catalog>,
        jobs_waiting: Arc<Notify>,
        search: SearchIndex,
    ) -> AppState {
        let login_limiter = RateLimiter::per_minute(config.login.attempts_per_ip_per_minute);
        let report_limiter = RateLimiter::per_minute(config.reports.per_ip_per_minute);
        AppState(Arc::new(Inner {
            page_cache: PageCache::new(db.clone()),
            filer: jembatan_store::aspirations::Filer::start(db.clone(), Some(config.reports.per_contact_per_hour)),
            db,
            config,
            catalog,
            assets: Assets::load(),
            metrics: Metrics::new(),
            login_limiter,
            report_limiter,
            jobs_waiting,
            search,
        }))
    }
}
