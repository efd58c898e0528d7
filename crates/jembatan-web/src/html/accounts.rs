//! Account pages: register, log in and out, the account page, change and
//! reset the password, API tokens, and the UU 27/2022 rights (export,
//! deletion). Every personal page is `private, no-store`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jembatan_domain::account::{RegistrationForm, check_new_password};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::contact::{Email, LoginIdentifier};
use jembatan_domain::role::Scope;
use jembatan_domain::{FieldError, Timestamp, TokenId, ValidationCode, password};
use jembatan_store::accounts::{self, TokenScope};
use jembatan_store::{StoreError, kims, notifications, organisations, regions};
use serde::Deserialize;

use crate::auth::{ClientIp, CsrfForm, Viewer, expired_session_cookie, session_cookie};
use crate::error::AppError;
use crate::forms::{FormErrors, safe_next};
use crate::html::common::{format_time, private_page, redirect, render_private};
use crate::layout::{Ctx, Page};

/// The version of the privacy notice people consent to at registration.
pub const PRIVACY_NOTICE_VERSION: &str = "2026-11";

// ------------------------------------------------------------ registration

/// The registration form as typed (kept when refused).
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
    pub consent: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    page: Page,
    form: RegisterForm,
    errors: FormErrors,
}

/// `GET /daftar`.
pub async fn show_register(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page = ctx.page(ctx.t.get("register-title"));
    render_private(RegisterPage { page, form: RegisterForm::default(), errors: FormErrors::default() }, StatusCode::OK)
}

/// `POST /daftar`: creates the account, records consent, logs in.
pub async fn register(ctx: Ctx, viewer: Viewer, Form(form): Form<RegisterForm>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let registration = RegistrationForm {
        name: form.name.clone(),
        email: form.email.clone(),
        phone: form.phone.clone(),
        password: form.password.clone(),
        password_confirm: form.password_confirm.clone(),
        consent: form.consent.is_some(),
    };
    let refuse = |errors: FormErrors, form: RegisterForm| {
        let page = ctx.page(ctx.t.get("register-title"));
        render_private(RegisterPage { page, form, errors }, StatusCode::BAD_REQUEST)
    };
    let account = match registration.validate() {
        Ok(account) => account,
        Err(errors) => return refuse(FormErrors::from_fields(&ctx.t, &errors), form),
    };
    let user = match accounts::create_user(&ctx.state.db, &account, PRIVACY_NOTICE_VERSION).await {
        Ok(user) => user,
        Err(StoreError::Conflict(field)) => {
            let mut errors = FormErrors::default();
            let key = if field == "phone" { "register-phone-taken" } else { "register-email-taken" };
            errors.add(field, ctx.t.get(key));
            return refuse(errors, form);
        }
        Err(e) => return Err(e.into()),
    };
    log_in(&ctx, user.id, "/akun").await
}

/// Starts a session and redirects to `next`.
async fn log_in(ctx: &Ctx, user: jembatan_domain::UserId, next: &str) -> Result<Response, AppError> {
    let ttl = ctx.state.config.session_ttl_secs;
    let session = accounts::create_session(&ctx.state.db, user, ttl).await?;
    let mut response = redirect(ctx, next);
    response.headers_mut().append(header::SET_COOKIE, session_cookie(&ctx.state, &session.token, ttl));
    Ok(response)
}

// ------------------------------------------------------------ login, logout

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    pub next: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub identifier: String,
    #[serde(default)]
    pub password: String,
    pub next: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    page: Page,
    identifier: String,
    next: String,
    errors: FormErrors,
}

/// `GET /masuk`.
pub async fn show_login(ctx: Ctx, viewer: Viewer, Query(query): Query<LoginQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let next = safe_next(query.next.as_deref()).unwrap_or_default();
    let page = ctx.page(ctx.t.get("login-title"));
    render_private(LoginPage { page, identifier: String::new(), next, errors: FormErrors::default() }, StatusCode::OK)
}

/// `POST /masuk`: throttled per IP (in this process) and per account (in
/// the database); the message never tells which of identifier or password
/// was wrong.
pub async fn log_in_with_password(
    ctx: Ctx,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let next = safe_next(form.next.as_deref()).unwrap_or_else(|| "/akun".to_owned());
    let refuse = |status: StatusCode, errors: FormErrors| {
        let page = ctx.page(ctx.t.get("login-title"));
        let template = LoginPage { page, identifier: form.identifier.clone(), next: next.clone(), errors };
        render_private(template, status)
    };
    if let Err(wait) = ctx.state.login_limiter.check(ip) {
        let seconds = wait.as_secs().max(1).to_string();
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            FormErrors::general(ctx.t.arg("login-throttled-ip", "seconds", &seconds)),
        );
    }
    let wrong = || FormErrors::general(ctx.t.get("login-wrong"));
    let identifier = match LoginIdentifier::parse("identifier", &form.identifier) {
        Ok(identifier) => identifier,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, FormErrors::from_fields(&ctx.t, &[e])),
    };
    let Some(account) = accounts::find_for_login(&ctx.state.db, &identifier).await? else {
        let attempt = form.password.clone();
        // Same work as a real check, so timing does not reveal which accounts exist.
        tokio::task::spawn_blocking(move || password::verify_against_dummy(&attempt)).await.ok();
        return refuse(StatusCode::UNAUTHORIZED, wrong());
    };
    let now = Timestamp::now();
    if let Some(until) = account.locked_until.filter(|_| account.is_locked(now)) {
        return refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(&ctx, now, until));
    }
    let (attempt, hash) = (form.password.clone(), account.password_hash.clone());
    let valid = tokio::task::spawn_blocking(move || password::verify_password(&attempt, &hash))
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))?;
    if !valid {
        let policy = &ctx.state.config.login;
        let locked = accounts::record_login_failure(
            &ctx.state.db,
            account.user.id,
            policy.max_failures_per_account,
            policy.account_lock_seconds,
        )
        .await?;
        return match locked {
            Some(until) => refuse(StatusCode::TOO_MANY_REQUESTS, locked_message(&ctx, now, until)),
            None => refuse(StatusCode::UNAUTHORIZED, wrong()),
        };
    }
    accounts::record_login_success(&ctx.state.db, account.user.id).await?;
    // Someone reset this password in person: show it before anything else.
    let next = if account.user.reset_in_person_by.is_some() { "/akun".to_owned() } else { next };
    log_in(&ctx, account.user.id, &next).await
}

fn locked_message(ctx: &Ctx, now: Timestamp, until: Timestamp) -> FormErrors {
    let minutes = ((until.millis() - now.millis()) as f64 / 60_000.0).ceil().max(1.0) as i64;
    FormErrors::general(ctx.t.num("login-locked", "minutes", minutes))
}

/// `POST /keluar`: ends the session.
pub async fn log_out(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    CsrfForm { viewer, .. }: CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    if let Some(token) = crate::auth::session_token(&headers) {
        accounts::delete_session(&ctx.state.db, &token).await?;
    }
    let mut response = redirect(&ctx, "/");
    response.headers_mut().append(header::SET_COOKIE, expired_session_cookie(&ctx.state));
    Ok(response)
}

// ------------------------------------------------------------ account page

/// A notification as listed.
pub struct NotificationView {
    pub text: String,
    pub when: String,
    pub unread: bool,
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    page: Page,
    csrf: String,
    name: String,
    email: String,
    phone: String,
    roles: Vec<String>,
    notifications: Vec<NotificationView>,
    in_person_reset: Option<String>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AccountQuery {
    /// A short confirmation to show, by key suffix (e.g. `password`).
    pub done: Option<String>,
}

/// `GET /akun`.
pub async fn show_account(ctx: Ctx, viewer: Viewer, Query(query): Query<AccountQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let session = viewer.require_user()?;
    let user = accounts::get_user(&ctx.state.db, session.id).await?.ok_or(AppError::Unauthorized)?;
    let dash = || "—".to_owned();
    let mut roles = Vec::new();
    for grant in &viewer.actor.grants {
        roles.push(ctx.t.args(
            "account-role-in",
            &[("role", &ctx.t.get(&format!("role-{}", grant.role))), ("scope", &scope_name(&ctx, &grant.scope).await?)],
        ));
    }
    let notes = notifications::list_for_user(&ctx.state.db, session.id, 20).await?;
    let notifications = notes
        .into_iter()
        .map(|n| NotificationView {
            text: notification_text(&ctx, &n.kind, &n.params),
            when: format_time(&ctx, n.created_at),
            unread: n.read_at.is_none(),
            link: n.link.map(|l| ctx.t.href(&l)),
        })
        .collect();
    let in_person_reset =
        user.reset_in_person_at.map(|at| ctx.t.arg("account-reset-in-person", "when", &format_time(&ctx, at)));
    let flash = query.done.as_deref().and_then(|d| match d {
        "password" => Some(ctx.t.get("password-changed")),
        _ => None,
    });
    let template = AccountPage {
        page: private_page(&ctx, &viewer, ctx.t.get("account-title")),
        csrf: session.csrf.clone(),
        name: user.name.clone(),
        email: user.email.as_ref().map(|e| e.to_string()).unwrap_or_else(dash),
        phone: user.phone.as_ref().map(|p| p.to_string()).unwrap_or_else(dash),
        roles,
        notifications,
        in_person_reset,
        flash,
    };
    render_private(template, StatusCode::OK)
}

/// The name of a role's scope: a region's or an organisation's.
pub async fn scope_name(ctx: &Ctx, scope: &Scope) -> Result<String, AppError> {
    Ok(match scope {
        Scope::Region(code) => {
            regions::get(&ctx.state.db, code).await?.map(|r| r.name).unwrap_or_else(|| code.to_string())
        }
        Scope::Organisation(org) => organisations::get(&ctx.state.db, org.id)
            .await?
            .map(|o| o.profile.name)
            .unwrap_or_else(|| org.id.to_string()),
    })
}

/// A notification's text: `notification-<kind>` with its stored parameters.
pub fn notification_text(ctx: &Ctx, kind: &str, params: &serde_json::Value) -> String {
    let owned: Vec<(String, String)> = params
        .as_object()
        .map(|m| {
            m.iter().map(|(k, v)| (k.clone(), v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string()))).collect()
        })
        .unwrap_or_default();
    let args: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ctx.t.args(&format!("notification-{}", kind.replace(['_', '.'], "-")), &args)
}

/// `POST /akun/atur-ulang-diketahui`: the person saw the in-person reset notice.
pub async fn acknowledge_reset(
    ctx: Ctx,
    CsrfForm { viewer, .. }: CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    accounts::acknowledge_in_person_reset(&ctx.state.db, viewer.require_user()?.id).await?;
    Ok(redirect(&ctx, "/akun"))
}

/// `POST /akun/pemberitahuan/dibaca`.
pub async fn mark_notifications_read(
    ctx: Ctx,
    CsrfForm { viewer, .. }: CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    notifications::mark_all_read(&ctx.state.db, viewer.require_user()?.id).await?;
    Ok(redirect(&ctx, "/akun"))
}

// ------------------------------------------------------------ password

#[derive(Debug, Default, Deserialize)]
pub struct PasswordChangeForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/password_change.html")]
struct PasswordChangePage {
    page: Page,
    csrf: String,
    errors: FormErrors,
}

/// `GET /akun/sandi`.
pub async fn show_password_change(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let csrf = viewer.require_user()?.csrf.clone();
    let page = private_page(&ctx, &viewer, ctx.t.get("password-change-title"));
    render_private(PasswordChangePage { page, csrf, errors: FormErrors::default() }, StatusCode::OK)
}

/// New password and its confirmation, checked alike everywhere.
fn check_new_password_pair(password: &str, confirm: &str) -> Vec<FieldError> {
    match check_new_password("password", password) {
        Err(e) => vec![e],
        Ok(()) if password != confirm => vec![FieldError::new("password_confirm", ValidationCode::PasswordMismatch)],
        Ok(()) => vec![],
    }
}

/// Checks `attempt` against the stored password of the viewer.
async fn verify_own_password(ctx: &Ctx, viewer: &Viewer, attempt: &str) -> Result<bool, AppError> {
    let user = accounts::get_user(&ctx.state.db, viewer.require_user()?.id).await?.ok_or(AppError::Unauthorized)?;
    let identifier = match (&user.email, &user.phone) {
        (Some(email), _) => LoginIdentifier::Email(email.clone()),
        (None, Some(phone)) => LoginIdentifier::Phone(phone.clone()),
        (None, None) => return Ok(false),
    };
    let Some(account) = accounts::find_for_login(&ctx.state.db, &identifier).await? else { return Ok(false) };
    let (attempt, hash) = (attempt.to_owned(), account.password_hash);
    tokio::task::spawn_blocking(move || password::verify_password(&attempt, &hash))
        .await
        .map_err(|e| AppError::Internal(format!("password check: {e}")))
}

/// `POST /akun/sandi`: changes the password; other sessions end.
pub async fn change_password(
    ctx: Ctx,
    headers: axum::http::HeaderMap,
    CsrfForm { viewer, form }: CsrfForm<PasswordChangeForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let user = viewer.require_user()?.clone();
    let refuse = |errors: FormErrors| {
        let page = private_page(&ctx, &viewer, ctx.t.get("password-change-title"));
        render_private(PasswordChangePage { page, csrf: user.csrf.clone(), errors }, StatusCode::BAD_REQUEST)
    };
    let mut errors = FormErrors::from_fields(&ctx.t, &check_new_password_pair(&form.password, &form.password_confirm));
    if !verify_own_password(&ctx, &viewer, &form.current_password).await? {
        errors.add("current_password", ctx.t.get("password-current-wrong"));
    }
    if !errors.is_empty() {
        return refuse(errors);
    }
    let keep = crate::auth::session_token(&headers);
    accounts::change_password(&ctx.state.db, user.id, &form.password, keep.as_deref()).await?;
    Ok(redirect(&ctx, "/akun?done=password"))
}

#[derive(Debug, Default, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    page: Page,
    email: String,
    sent: bool,
    errors: FormErrors,
}

/// `GET /lupa-sandi`.
pub async fn show_forgot(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page = ctx.page(ctx.t.get("forgot-title"));
    render_private(
        ForgotPage { page, email: String::new(), sent: false, errors: FormErrors::default() },
        StatusCode::OK,
    )
}

/// `POST /lupa-sandi`: e-mails a one-time link (through the job queue). The
/// answer is the same whether or not the address has an account.
pub async fn request_reset(
    ctx: Ctx,
    viewer: Viewer,
    ClientIp(ip): ClientIp,
    Form(form): Form<ForgotForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page = || ctx.page(ctx.t.get("forgot-title"));
    if let Err(wait) = ctx.state.login_limiter.check(ip) {
        let errors =
            FormErrors::general(ctx.t.arg("login-throttled-ip", "seconds", &wait.as_secs().max(1).to_string()));
        return render_private(
            ForgotPage { page: page(), email: form.email, sent: false, errors },
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let email = match Email::parse("email", &form.email) {
        Ok(email) => email,
        Err(e) => {
            let errors = FormErrors::from_fields(&ctx.t, &[e]);
            return render_private(
                ForgotPage { page: page(), email: form.email, sent: false, errors },
                StatusCode::BAD_REQUEST,
            );
        }
    };
    if let Some(account) = accounts::find_for_login(&ctx.state.db, &LoginIdentifier::Email(email)).await? {
        let ttl = ctx.state.config.reset_ttl_secs;
        accounts::create_password_reset(&ctx.state.db, account.user.id, ctx.t.lang(), ttl).await?;
        ctx.state.jobs_waiting.notify_one();
    }
    render_private(
        ForgotPage { page: page(), email: String::new(), sent: true, errors: FormErrors::default() },
        StatusCode::OK,
    )
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetQuery {
    #[serde(default)]
    pub token: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    page: Page,
    token: String,
    token_ok: bool,
    errors: FormErrors,
}

/// Why a reset token cannot be used, as a form-wide message.
fn token_problem(ctx: &Ctx, e: StoreError) -> Result<FormErrors, AppError> {
    match e {
        StoreError::NotFound => Ok(FormErrors::general(ctx.t.get("reset-token-unknown"))),
        StoreError::Invalid(field) => {
            Ok(FormErrors::general(ctx.t.get(&crate::error::message_key(field.code.as_str()))))
        }
        other => Err(other.into()),
    }
}

/// `GET /atur-ulang-sandi?token=...`: the page the e-mailed link opens. The
/// token stays out of logs (spans record the path only) and out of
/// Referer headers (no third-party resources on the page).
pub async fn show_reset(ctx: Ctx, viewer: Viewer, Query(query): Query<ResetQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page = ctx.page(ctx.t.get("reset-title"));
    let (token_ok, errors, status) = match accounts::check_password_reset(&ctx.state.db, &query.token).await {
        Ok(_) => (true, FormErrors::default(), StatusCode::OK),
        Err(e) => (false, token_problem(&ctx, e)?, StatusCode::BAD_REQUEST),
    };
    let mut response = render_private(ResetPage { page, token: query.token, token_ok, errors }, status)?;
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    Ok(response)
}

/// `POST /atur-ulang-sandi`: sets the new password; the token is spent and
/// every session of the account ends.
pub async fn reset_password(ctx: Ctx, viewer: Viewer, Form(form): Form<ResetForm>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let page = || ctx.page(ctx.t.get("reset-title"));
    let problems = check_new_password_pair(&form.password, &form.password_confirm);
    if !problems.is_empty() {
        let errors = FormErrors::from_fields(&ctx.t, &problems);
        return render_private(
            ResetPage { page: page(), token: form.token, token_ok: true, errors },
            StatusCode::BAD_REQUEST,
        );
    }
    match accounts::consume_password_reset(&ctx.state.db, &form.token, &form.password).await {
        Ok(_) => {
            let template = DonePage {
                page: page(),
                message: ctx.t.get("reset-done"),
                link: "/masuk".to_owned(),
                link_label: ctx.t.get("login-title"),
            };
            render_private(template, StatusCode::OK)
        }
        Err(e) => {
            let errors = token_problem(&ctx, e)?;
            render_private(
                ResetPage { page: page(), token: String::new(), token_ok: false, errors },
                StatusCode::BAD_REQUEST,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "accounts/done.html")]
struct DonePage {
    page: Page,
    message: String,
    link: String,
    link_label: String,
}

// ------------------------------------------------------------ API tokens

/// A token as listed on its owner's page.
pub struct TokenView {
    pub name: String,
    pub scope: String,
    pub created: String,
    pub last_used: String,
    pub revoked: bool,
    pub revoke_path: String,
}

#[derive(Template)]
#[template(path = "accounts/tokens.html")]
struct TokensPage {
    page: Page,
    csrf: String,
    tokens: Vec<TokenView>,
    created: Option<String>,
    name: String,
    scope: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub scope: String,
}

async fn tokens_page(
    ctx: &Ctx,
    viewer: &Viewer,
    created: Option<String>,
    form: TokenForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let user = viewer.require_user()?;
    let tokens = accounts::list_api_tokens(&ctx.state.db, user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            name: t.name,
            scope: ctx.t.get(&format!("tokens-scope-{}", t.scope.as_str())),
            created: format_time(ctx, t.created_at),
            last_used: t.last_used_at.map(|at| format_time(ctx, at)).unwrap_or_else(|| "—".into()),
            revoked: t.revoked_at.is_some(),
            revoke_path: format!("/akun/token/{}/cabut", t.id),
        })
        .collect();
    let template = TokensPage {
        page: private_page(ctx, viewer, ctx.t.get("tokens-title")),
        csrf: user.csrf.clone(),
        tokens,
        created,
        name: form.name,
        scope: if form.scope.is_empty() { "read".into() } else { form.scope },
        errors,
    };
    render_private(template, status)
}

/// `GET /akun/token`.
pub async fn show_tokens(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    tokens_page(&ctx, &viewer, None, TokenForm::default(), FormErrors::default(), StatusCode::OK).await
}

/// `POST /akun/token`: creates a token, shown once.
pub async fn create_token(ctx: Ctx, CsrfForm { viewer, form }: CsrfForm<TokenForm>) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let user = viewer.require_user()?.id;
    let Some(scope) = TokenScope::parse(&form.scope) else {
        let mut errors = FormErrors::default();
        errors.add("scope", ctx.t.get("error-invalid_choice"));
        return tokens_page(&ctx, &viewer, None, form, errors, StatusCode::BAD_REQUEST).await;
    };
    match accounts::create_api_token(&ctx.state.db, user, &form.name, scope).await {
        Ok((_, raw)) => {
            tokens_page(&ctx, &viewer, Some(raw), TokenForm::default(), FormErrors::default(), StatusCode::OK).await
        }
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&ctx.t, &[e]);
            tokens_page(&ctx, &viewer, None, form, errors, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /akun/token/{id}/cabut`: revokes one of one's own tokens.
pub async fn revoke_token(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, .. }: CsrfForm<serde::de::IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let id: TokenId = id.parse().map_err(|_| AppError::NotFound)?;
    accounts::revoke_api_token(&ctx.state.db, viewer.require_user()?.id, id).await?;
    Ok(redirect(&ctx, "/akun/token"))
}

// ------------------------------------------------------------ privacy rights

/// `GET /akun/data`: everything stored about the account, as JSON.
pub async fn export_data(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let user = viewer.require_user()?.id;
    let mut data = accounts::export_user_data(&ctx.state.db, user).await?;
    // What other capabilities hold about the account, so the export is whole.
    let mut memberships = Vec::new();
    for kim in kims::kim_memberships_of_user(&ctx.state.db, user).await? {
        let name = organisations::get(&ctx.state.db, kim.id).await?.map(|o| o.profile.name).unwrap_or_default();
        memberships.push(serde_json::json!({ "kim_id": kim.id, "kim_name": name, "village": kim.region }));
    }
    let notes = notifications::list_for_user(&ctx.state.db, user, 1000).await?;
    if let Some(object) = data.as_object_mut() {
        object.insert("roles".into(), serde_json::to_value(&viewer.actor.grants).unwrap_or_default());
        object.insert("kim_memberships".into(), serde_json::Value::Array(memberships));
        object.insert("notifications".into(), serde_json::to_value(&notes).unwrap_or_default());
    }
    let body = serde_json::to_string_pretty(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"jembatan-data-saya.json\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        body,
    )
        .into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    pub password: String,
}

#[derive(Template)]
#[template(path = "accounts/delete.html")]
struct DeletePage {
    page: Page,
    csrf: String,
    errors: FormErrors,
}

/// `GET /akun/hapus`.
pub async fn show_delete(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let csrf = viewer.require_user()?.csrf.clone();
    let page = private_page(&ctx, &viewer, ctx.t.get("delete-title"));
    render_private(DeletePage { page, csrf, errors: FormErrors::default() }, StatusCode::OK)
}

/// `POST /akun/hapus`: erases the account's personal data (confirmed with
/// the password) and logs out.
pub async fn delete_account(ctx: Ctx, CsrfForm { viewer, form }: CsrfForm<DeleteForm>) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let user = viewer.require_user()?.clone();
    if !verify_own_password(&ctx, &viewer, &form.password).await? {
        let mut errors = FormErrors::default();
        errors.add("password", ctx.t.get("password-current-wrong"));
        let page = private_page(&ctx, &viewer, ctx.t.get("delete-title"));
        return render_private(DeletePage { page, csrf: user.csrf, errors }, StatusCode::BAD_REQUEST);
    }
    accounts::delete_account(&ctx.state.db, user.id).await?;
    let template = DonePage {
        page: ctx.page(ctx.t.get("delete-title")),
        message: ctx.t.get("delete-done"),
        link: "/".to_owned(),
        link_label: ctx.t.get("error-home"),
    };
    let mut response = render_private(template, StatusCode::OK)?;
    response.headers_mut().append(header::SET_COOKIE, expired_session_cookie(&ctx.state));
    Ok(response)
}
