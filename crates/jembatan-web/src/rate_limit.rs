//! Per-process rate limits keyed by client address. Counters are not
//! shared between processes; the issue accepts that for rate limits.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

/// A limit of attempts per minute per IP address.
pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

impl RateLimiter {
    /// Allows `per_minute` attempts a minute from one address, in bursts of that size.
    pub fn per_minute(per_minute: u32) -> RateLimiter {
        let n = NonZeroU32::new(per_minute.max(1)).expect("non-zero");
        RateLimiter { limiter: DefaultKeyedRateLimiter::keyed(Quota::per_minute(n)) }
    }

    /// Takes one attempt for `ip`; `Err(wait)` says how long until the next is allowed.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        self.limiter.check_key(&ip).map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }

    /// Forgets idle addresses so the map does not grow without bound.
    pub fn prune(&self) {
        self.limiter.retain_recent();
    }
}
