//! Fixtures the administration and authorization tests share: people
//! logged in on their own clients (each a browser with its own cookie
//! jar), and KIMs, members, agencies and accounts written through the store
//! the way the CLI or an earlier request would have.

use jembatan_domain::account::RegistrationForm;
use jembatan_domain::kim::{KimForm, MemberForm};
use jembatan_domain::organisation::OrganisationForm;
use jembatan_domain::role::Role;
use jembatan_domain::{GrantId, MemberId, OrgId, RegionCode, UserId};
use jembatan_store::{accounts, audit, grants, kims, organisations};

use crate::helpers::{TestApp, Visitor, hidden_value};

/// The password every fixture account is registered with.
pub const PASSWORD: &str = "kopi tubruk pagi hari";

/// A person logged in on their own client.
pub struct Session {
    pub visitor: Visitor,
    pub name: String,
    pub email: String,
    pub id: UserId,
    pub csrf: String,
}

/// A unique suffix for names and e-mail addresses.
pub fn unique() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

/// Registers `name` through the form on a new client, which is then logged in.
pub async fn sign_up(app: &TestApp, name: &str) -> Session {
    let visitor = TestApp::spawn_client(app);
    let email = format!("{}.{}@contoh.id", name.to_lowercase().replace(' ', "."), unique());
    let response = visitor
        .post_form(
            "/daftar",
            &[
                ("name", name),
                ("email", &email),
                ("phone", ""),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303, "registration of {name}");
    let mut session =
        Session { visitor, name: name.to_owned(), id: app.user_id(&email).await, email, csrf: String::new() };
    session.refresh_csrf().await;
    session
}

/// Registers `name` and grants `role` (stable name) in `scope` (a region
/// code or an organisation id).
pub async fn sign_up_as(app: &TestApp, name: &str, role: &str, scope: &str) -> Session {
    let session = sign_up(app, name).await;
    app.grant(&session.email, role, scope).await;
    session
}

impl Session {
    /// Reads the session's CSRF token from the account page.
    pub async fn refresh_csrf(&mut self) {
        let (status, html) = self.get_text("/akun").await;
        assert_eq!(status, 200, "{} is logged in", self.name);
        self.csrf = hidden_value(&html, "csrf").expect("a csrf field on the account page");
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.visitor.get(path).await
    }

    /// GETs a page and returns its status and body.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form with the session's CSRF token.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let mut fields = vec![("csrf", self.csrf.as_str())];
        fields.extend_from_slice(form);
        self.visitor.post_form(path, &fields).await
    }

    /// POSTs a form and returns its status and body.
    pub async fn post_text(&self, path: &str, form: &[(&str, &str)]) -> (u16, String) {
        let response = self.post(path, form).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// POSTs a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.visitor.post_form(path, form).await
    }
}

/// The `Location` header of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned()
}

/// The last path segment before any query, e.g. the id in `/admin/kim/<id>?selesai=...`.
pub fn id_in(location: &str) -> String {
    location.split('?').next().unwrap_or_default().rsplit('/').next().unwrap_or_default().to_owned()
}

/// Creates an account directly in the store; returns its id.
pub async fn account(app: &TestApp, name: &str, email: &str) -> UserId {
    let form = RegistrationForm {
        name: name.to_owned(),
        email: email.to_owned(),
        phone: String::new(),
        password: PASSWORD.to_owned(),
        password_confirm: PASSWORD.to_owned(),
        consent: true,
    };
    let new = form.validate().expect("a valid account");
    accounts::create_user(&app.db, &new, "2026-11").await.expect("account").id
}

/// Registers a KIM (status `dibentuk`, not verified) directly in the store.
pub async fn kim(app: &TestApp, village: &str, name: &str) -> OrgId {
    let new = KimForm { name: name.to_owned(), village: village.to_owned(), ..KimForm::default() }
        .validate()
        .expect("a valid KIM");
    app.db
        .write(move |tx| Box::pin(async move { kims::register(tx, &new, None).await }))
        .await
        .expect("register KIM")
        .id()
}

/// Adds a person to a KIM's roster directly in the store.
pub async fn member(app: &TestApp, kim: OrgId, name: &str, phone: &str, user: Option<UserId>) -> MemberId {
    let new = MemberForm {
        name: name.to_owned(),
        position: String::new(),
        phone: phone.to_owned(),
        user_id: user.map(|u| u.to_string()).unwrap_or_default(),
    }
    .validate()
    .expect("a valid member");
    app.db
        .write(move |tx| Box::pin(async move { kims::add_member(tx, kim, &new, None).await }))
        .await
        .expect("add member")
        .id
}

/// Creates an agency (OPD) directly in the store.
pub async fn agency(app: &TestApp, region: &str, name: &str) -> OrgId {
    let new = OrganisationForm {
        kind: "agency".into(),
        name: name.to_owned(),
        region: region.to_owned(),
        categories: vec!["kesehatan".into()],
        ..OrganisationForm::default()
    }
    .validate()
    .expect("a valid agency");
    app.db
        .write(move |tx| Box::pin(async move { organisations::create(tx, &new, None).await }))
        .await
        .expect("create agency")
        .id
}

/// Grants `role` to `user` in `scope` directly in the store; returns the grant.
pub async fn grant_to(app: &TestApp, user: UserId, role: Role, scope: &str) -> GrantId {
    let scope = grants::parse_scope(&app.db, scope).await.expect("a scope");
    app.db
        .write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, None).await }))
        .await
        .expect("grant")
        .id
}

/// The audit entries of a region (and below), newest first.
pub async fn audit_entries(app: &TestApp, region: &str) -> Vec<audit::AuditRecord> {
    let region = RegionCode::parse(region).unwrap();
    audit::list(&app.db, &region, None, audit::MAX_PAGE).await.expect("audit log").entries
}

/// How many KIMs lie within a region.
pub async fn kim_count(app: &TestApp, region: &str) -> i64 {
    let filter = kims::KimFilter { within: RegionCode::parse(region).unwrap(), status: None };
    kims::count(&app.db, &filter).await.expect("count")
}
