//! Who is asking. [`resolve_viewer`] turns the session cookie (or an API
//! Bearer token) into a [`Viewer`]: the account and its grants, as an
//! authorization [`Actor`]. `Viewer::authorize` is how every handler asks
//! the one authorization module whether an action is allowed.
//!
//! Logged-in forms are read through [`CsrfForm`], which refuses a form
//! whose `csrf` field does not match the session's token.

use std::net::{IpAddr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use jembatan_domain::UserId;
use jembatan_domain::authz::{self, Action, Actor, Resource};
use jembatan_store::accounts::{self, TokenScope};
use jembatan_store::grants;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::error::AppError;
use crate::state::AppState;

/// The name of the login cookie.
pub const SESSION_COOKIE: &str = "jembatan_session";

/// A logged-in person, as far as a request needs to know.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    /// The token logged-in forms must echo back (empty for API tokens).
    pub csrf: String,
    /// Set when the request authenticated with an API token.
    pub token_scope: Option<TokenScope>,
}

/// The actor of a request: anonymous or an account with its grants.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub actor: Actor,
    pub user: Option<SessionUser>,
}

impl Viewer {
    /// Asks the authorization module; an anonymous visitor is told to log
    /// in, a logged-in one is refused.
    pub fn authorize(&self, action: Action, resource: &Resource<'_>) -> Result<(), AppError> {
        if authz::can(&self.actor, action, resource) {
            Ok(())
        } else if self.user.is_none() {
            Err(AppError::Unauthorized)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the action is allowed, for showing or hiding links.
    pub fn can(&self, action: Action, resource: &Resource<'_>) -> bool {
        authz::can(&self.actor, action, resource)
    }

    /// The logged-in account, or 401 (pages redirect to the login form).
    pub fn require_user(&self) -> Result<&SessionUser, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned().unwrap_or_default())
    }
}

/// Paths that never need to know who is asking.
fn is_anonymous_path(path: &str) -> bool {
    path.starts_with("/static/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

/// Middleware: resolves the viewer once per request and, when a session's
/// expiry slid forward, renews the cookie on the way out.
pub async fn resolve_viewer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_anonymous_path(request.uri().path()) {
        return next.run(request).await;
    }
    let resolved = match bearer_token(request.headers()) {
        Some(token) => from_api_token(&state, token, request.method()).await.map(|v| (v, None)),
        None => match session_token(request.headers()) {
            Some(token) => from_session(&state, &token).await,
            None => Ok((Viewer::default(), None)),
        },
    };
    let (viewer, renewed_cookie) = match resolved {
        Ok(resolved) => resolved,
        Err(e) => return e.into_response(),
    };
    request.extensions_mut().insert(viewer);
    let mut response = next.run(request).await;
    if let Some(cookie) = renewed_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// The session token from the Cookie header, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE)
        .map(|c| c.value().to_owned())
}

async fn from_session(state: &AppState, token: &str) -> Result<(Viewer, Option<HeaderValue>), AppError> {
    let Some((user, session)) = accounts::session_user(&state.db, token).await? else {
        return Ok((Viewer::default(), None));
    };
    let ttl = state.config.session_ttl_secs;
    let renewed = accounts::touch_session(&state.db, &session, ttl).await?.map(|_| session_cookie(state, token, ttl));
    let grants = grants::grants_of_user(&state.db, user.id).await?;
    let viewer = Viewer {
        actor: Actor::user(user.id, grants),
        user: Some(SessionUser { id: user.id, name: user.name, csrf: session.csrf_token, token_scope: None }),
    };
    Ok((viewer, renewed))
}

async fn from_api_token(state: &AppState, token: &str, method: &Method) -> Result<Viewer, AppError> {
    let auth = accounts::authenticate_api_token(&state.db, token).await?.ok_or(AppError::Unauthorized)?;
    let safe = matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if !safe && auth.scope == TokenScope::Read {
        return Err(AppError::Forbidden);
    }
    let grants = grants::grants_of_user(&state.db, auth.user.id).await?;
    Ok(Viewer {
        actor: Actor::user(auth.user.id, grants),
        user: Some(SessionUser {
            id: auth.user.id,
            name: auth.user.name,
            csrf: String::new(),
            token_scope: Some(auth.scope),
        }),
    })
}

/// The `Set-Cookie` value holding a session token for `ttl_secs`:
/// HttpOnly, SameSite=Lax (links from WhatsApp keep the login), Secure
/// whenever the site is served over https.
pub fn session_cookie(state: &AppState, token: &str, ttl_secs: i64) -> HeaderValue {
    let cookie = Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies())
        .max_age(time::Duration::seconds(ttl_secs))
        .build();
    HeaderValue::from_str(&cookie.to_string()).expect("cookie is a valid header")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn expired_session_cookie(state: &AppState) -> HeaderValue {
    session_cookie(state, "", 0)
}

/// The client's address: the peer, or when the peer is a trusted proxy,
/// the nearest untrusted address in `X-Forwarded-For`.
pub fn client_ip(state: &AppState, parts_headers: &HeaderMap, peer: Option<SocketAddr>) -> IpAddr {
    let peer = peer.map(|p| p.ip()).unwrap_or(IpAddr::from([127, 0, 0, 1]));
    if !state.config.trusts_proxy(peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = parts_headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded.into_iter().rev().find(|ip| !state.config.trusts_proxy(*ip)).unwrap_or(peer)
}

/// The client address of a request (see [`client_ip`]).
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        Ok(ClientIp(client_ip(state, &parts.headers, peer)))
    }
}

#[derive(Deserialize)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// A form posted by a logged-in person, checked against the session's
/// CSRF token before it is parsed into `T`.
pub struct CsrfForm<T> {
    pub viewer: Viewer,
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let viewer = request.extensions().get::<Viewer>().cloned().unwrap_or_default();
        let user = viewer.require_user()?;
        let body = Bytes::from_request(request, state).await.map_err(|_| AppError::bad_request("bad_request"))?;
        let CsrfField { csrf } =
            serde_urlencoded::from_bytes(&body).map_err(|_| AppError::bad_request("bad_request"))?;
        let matches = !user.csrf.is_empty() && bool::from(csrf.as_bytes().ct_eq(user.csrf.as_bytes()));
        if !matches {
            tracing::info!("form refused: CSRF token missing or wrong");
            return Err(AppError::Forbidden);
        }
        let form = serde_urlencoded::from_bytes(&body).map_err(|_| AppError::bad_request("bad_request"))?;
        Ok(CsrfForm { viewer, form })
    }
}
