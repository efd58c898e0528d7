//! KIMs in the administration area: the list within the viewer's scope,
//! registration by the regency (verified at once when the regency's
//! officer or a province admin registers), details with optimistic
//! versions, verification, lifecycle status, and the roster of members
//! with the consent to show a member's phone number publicly.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{self, Action, AdminSection, Resource};
use jembatan_domain::contact::LoginIdentifier;
use jembatan_domain::kim::{KimForm, MemberForm, format_date};
use jembatan_domain::organisation::{KIM_MIN_MEMBERS, KimPosition, KimStatus, OrgKind};
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{FieldError, MemberId, OrgId, RegionCode, ValidationCode};
use jembatan_store::kims::{self as kim_store, Kim, KimFilter, KimListItem};
use jembatan_store::{StoreError, accounts, regions};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::passwords::user_target;
use super::{
    Choice, NavLink, admin_nav, admin_page, administered, choices, csrf_of, granted_orgs, home_region, parse_path_id,
    parse_version, region_label, sk_label, status_label, today,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::{AppError, message_key};
use crate::forms::FormErrors;
use crate::html::common::{format_time, redirect, render_private};
use crate::layout::{Ctx, Page};

/// The admin page of a KIM.
pub fn kim_admin_path(id: OrgId) -> String {
    format!("/admin/kim/{id}")
}

/// A KIM by the id in the path; 404 for a malformed id or no such KIM.
async fn load_kim(ctx: &Ctx, raw: &str) -> Result<Kim, AppError> {
    let id: OrgId = parse_path_id(raw)?;
    kim_store::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)
}

/// A confirmation after a redirect, by a fixed name (never text from the URL).
fn flash(ctx: &Ctx, done: Option<&str>) -> Option<String> {
    let key = match done? {
        "didaftarkan" => "admin-done-registered",
        "disimpan" => "admin-done-saved",
        "diverifikasi" => "admin-done-verified",
        "status" => "admin-done-status",
        "ditambahkan" => "admin-done-member-added",
        "dihapus" => "admin-done-member-removed",
        "persetujuan" => "admin-done-consent",
        _ => return None,
    };
    Some(ctx.t.get(key))
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub selesai: Option<String>,
}

// ------------------------------------------------------------ list

/// A KIM as the admin list shows it.
pub struct KimRowView {
    pub name: String,
    pub href: String,
    pub village: String,
    pub status: String,
    pub verified: bool,
    pub sk: String,
    pub sk_class: &'static str,
    pub members: i64,
}

impl KimRowView {
    fn from_item(ctx: &Ctx, item: &KimListItem) -> KimRowView {
        let (sk, sk_class) = sk_label(ctx, item.sk_validity);
        KimRowView {
            name: item.name.clone(),
            href: ctx.t.href(&kim_admin_path(item.id)),
            village: format!("{} ({})", item.village_name, item.village),
            status: status_label(ctx, item.status),
            verified: item.verified,
            sk,
            sk_class,
            members: item.member_count,
        }
    }
}

/// The KIMs of one administered region, or the viewer's own KIMs.
pub struct KimGroup {
    pub heading: String,
    pub total: i64,
    pub kims: Vec<KimRowView>,
}

#[derive(Template)]
#[template(path = "admin/kims.html")]
struct KimListPage {
    page: Page,
    nav: Vec<NavLink>,
    groups: Vec<KimGroup>,
    can_register: bool,
    newer: Option<String>,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub halaman: Option<String>,
}

/// KIMs per page of the admin list, per region.
const PER_PAGE: i64 = 100;

/// `GET /admin/kim`: the KIMs of the regions the viewer administers, and
/// the KIMs the viewer manages.
pub async fn list_kims(ctx: Ctx, viewer: Viewer, Query(query): Query<ListQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdminSection(AdminSection::Kims), &Resource::Platform)?;
    let db = &ctx.state.db;
    let page_number = query.halaman.as_deref().and_then(|p| p.parse::<i64>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    let today = today(&ctx);
    let regions = administered(&viewer);
    let mut groups = Vec::new();
    let mut more = false;
    for region in &regions {
        let filter = KimFilter { within: region.clone(), status: None };
        let total = kim_store::count(db, &filter).await?;
        let items = kim_store::list(db, &filter, today, PER_PAGE, (page_number - 1) * PER_PAGE).await?;
        more |= total > page_number * PER_PAGE;
        groups.push(KimGroup {
            heading: region_label(&ctx, region).await?,
            total,
            kims: items.iter().map(|item| KimRowView::from_item(&ctx, item)).collect(),
        });
    }
    let own: Vec<_> = granted_orgs(&viewer, OrgKind::Kim, Action::EditOrganisation)
        .into_iter()
        .filter(|org| !regions.iter().any(|r| r.contains(&org.region)))
        .collect();
    if !own.is_empty() && page_number == 1 {
        let mut kims = Vec::new();
        for org in own {
            let Some(kim) = kim_store::get(db, org.id).await? else { continue };
            let (sk, sk_class) = sk_label(&ctx, kim.sk_validity(today));
            kims.push(KimRowView {
                name: kim.org.profile.name.clone(),
                href: ctx.t.href(&kim_admin_path(kim.id())),
                village: region_label(&ctx, kim.village()).await?,
                status: status_label(&ctx, kim.status),
                verified: kim.is_verified(),
                sk,
                sk_class,
                members: kim_store::members(db, kim.id()).await?.len() as i64,
            });
        }
        groups.push(KimGroup { heading: ctx.t.get("admin-kims-own"), total: kims.len() as i64, kims });
    }
    let home = home_region(&ctx, &viewer);
    let page_href = |n: i64| ctx.t.href(&format!("/admin/kim?halaman={n}"));
    let template = KimListPage {
        page: admin_page(&ctx, &viewer, ctx.t.get("admin-kims-title")),
        nav: admin_nav(&ctx, &viewer),
        groups,
        can_register: viewer.can(Action::RegisterKim, &Resource::Region(&home)),
        newer: (page_number > 1).then(|| page_href(page_number - 1)),
        older: more.then(|| page_href(page_number + 1)),
    };
    render_private(template, StatusCode::OK)
}

// ------------------------------------------------------------ the KIM form

/// The KIM form as typed (kept when refused). `version` is the version the
/// edit form was opened at.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct KimFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sk_number: String,
    #[serde(default)]
    pub sk_issuer: String,
    #[serde(default)]
    pub sk_date: String,
    #[serde(default)]
    pub sk_expires: String,
    #[serde(default)]
    pub kim_id_url: String,
    #[serde(default)]
    pub whatsapp: String,
    #[serde(default)]
    pub instagram: String,
    #[serde(default)]
    pub facebook: String,
    #[serde(default)]
    pub youtube: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub version: String,
}

impl KimFields {
    fn to_form(&self) -> KimForm {
        KimForm {
            name: self.name.clone(),
            village: self.village.clone(),
            status: self.status.clone(),
            sk_number: self.sk_number.clone(),
            sk_issuer: self.sk_issuer.clone(),
            sk_date: self.sk_date.clone(),
            sk_expires: self.sk_expires.clone(),
            kim_id_url: self.kim_id_url.clone(),
            whatsapp: self.whatsapp.clone(),
            instagram: self.instagram.clone(),
            facebook: self.facebook.clone(),
            youtube: self.youtube.clone(),
            description: self.description.clone(),
            address: self.address.clone(),
            email: self.email.clone(),
        }
    }

    /// The stored KIM, to pre-fill the edit form.
    fn from_kim(kim: &Kim) -> KimFields {
        let details = kim.details();
        let sk = details.sk.as_ref();
        KimFields {
            name: details.name.clone(),
            village: kim.village().to_string(),
            status: kim.status.as_str().to_owned(),
            sk_number: sk.map(|sk| sk.number.clone()).unwrap_or_default(),
            sk_issuer: sk.map(|sk| sk.issuer.clone()).unwrap_or_default(),
            sk_date: sk.map(|sk| format_date(sk.date)).unwrap_or_default(),
            sk_expires: sk.and_then(|sk| sk.expires).map(format_date).unwrap_or_default(),
            kim_id_url: details.kim_id_url.clone().unwrap_or_default(),
            whatsapp: details.channels.whatsapp.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            instagram: details.channels.instagram.clone().unwrap_or_default(),
            facebook: details.channels.facebook.clone().unwrap_or_default(),
            youtube: details.channels.youtube.clone().unwrap_or_default(),
            description: details.description.clone(),
            address: details.address.clone().unwrap_or_default(),
            email: details.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
            version: kim.org.version.to_string(),
        }
    }
}

fn status_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    choices(ctx, KimStatus::ALL.iter().map(|s| s.as_str()), "admin-status-", &[selected])
}

#[derive(Template)]
#[template(path = "admin/kim_new.html")]
struct KimNewPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    form: KimFields,
    errors: FormErrors,
    statuses: Vec<Choice>,
    regions_href: String,
}

fn new_page(
    ctx: &Ctx,
    viewer: &Viewer,
    form: KimFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let home = home_region(ctx, viewer);
    let template = KimNewPage {
        page: admin_page(ctx, viewer, ctx.t.get("admin-kim-new-title")),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        statuses: status_choices(ctx, if form.status.is_empty() { "dibentuk" } else { &form.status }),
        form,
        errors,
        regions_href: ctx.t.href(&format!("/wilayah/{home}")),
    };
    render_private(template, status)
}

/// `GET /admin/kim/baru`: the registration form.
pub async fn show_register(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    viewer.authorize(Action::RegisterKim, &Resource::Region(&home_region(&ctx, &viewer)))?;
    new_page(&ctx, &viewer, KimFields::default(), FormErrors::default(), StatusCode::OK)
}

/// `POST /admin/kim/baru`: registers a KIM in a village of the viewer's
/// scope; verified in the same transaction when the viewer may verify it.
pub async fn register(ctx: Ctx, CsrfForm { viewer, form }: CsrfForm<KimFields>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    // A village out of scope is refused whatever else was typed.
    if let Ok(village) = RegionCode::parse(&form.village) {
        viewer.authorize(Action::RegisterKim, &Resource::Region(&village))?;
    }
    let new = match form.to_form().validate() {
        Ok(new) => new,
        Err(errors) => {
            return new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &errors), StatusCode::BAD_REQUEST);
        }
    };
    viewer.authorize(Action::RegisterKim, &Resource::Region(&new.village))?;
    if let Err(StoreError::Invalid(e)) = regions::require(&ctx.state.db, "village", &new.village).await {
        return new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &[e]), StatusCode::BAD_REQUEST);
    }
    let user = viewer.require_user()?.id;
    let actor = viewer.actor.clone();
    let written = ctx
        .state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let kim = kim_store::register(tx, &new, Some(user)).await?;
                // "A KIM counts as verified when registered by its regency officer."
                if authz::can(&actor, Action::VerifyKim, &Resource::Organisation(&kim.org.org_ref())) {
                    kim_store::verify(tx, kim.id(), user).await?;
                }
                Ok(kim.id())
            })
        })
        .await;
    match written {
        Ok(id) => Ok(redirect(&ctx, &format!("{}?selesai=didaftarkan", kim_admin_path(id)))),
        Err(StoreError::Invalid(e)) => {
            new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &[e]), StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ one KIM

/// What the KIM's admin page states about it.
pub struct KimFacts {
    pub id: String,
    pub village: String,
    pub status: String,
    pub verified: Option<String>,
    pub sk: String,
    pub sk_class: &'static str,
    pub members: usize,
    pub registered_at: String,
}

#[derive(Template)]
#[template(path = "admin/kim_edit.html")]
struct KimEditPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    facts: KimFacts,
    form: KimFields,
    errors: FormErrors,
    flash: Option<String>,
    public_href: String,
    edit_action: String,
    roster_href: Option<String>,
    roles_href: Option<String>,
    verify_action: Option<String>,
    status_action: Option<String>,
    statuses: Vec<Choice>,
    status_errors: FormErrors,
}

/// What the edit page shows besides the form.
struct EditState {
    errors: FormErrors,
    status_error: Option<String>,
    flash: Option<String>,
}

async fn edit_page(
    ctx: &Ctx,
    viewer: &Viewer,
    kim: &Kim,
    form: KimFields,
    state: EditState,
    status: StatusCode,
) -> Result<Response, AppError> {
    let resource = Resource::Organisation(&kim.org.org_ref());
    let path = kim_admin_path(kim.id());
    let (sk, sk_class) = sk_label(ctx, kim.sk_validity(today(ctx)));
    let facts = KimFacts {
        id: kim.id().to_string(),
        village: region_label(ctx, kim.village()).await?,
        status: status_label(ctx, kim.status),
        verified: kim.verified_at.map(|at| format_time(ctx, at)),
        sk,
        sk_class,
        members: kim_store::members(&ctx.state.db, kim.id()).await?.len(),
        registered_at: format_time(ctx, kim.org.created_at),
    };
    let template = KimEditPage {
        page: admin_page(ctx, viewer, kim.org.profile.name.clone()),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        facts,
        form,
        errors: state.errors,
        flash: state.flash,
        public_href: ctx.t.href(&format!("/kim/{}", kim.id())),
        edit_action: ctx.t.href(&path),
        roster_href: viewer.can(Action::ManageKimMembers, &resource).then(|| ctx.t.href(&format!("{path}/anggota"))),
        roles_href: viewer
            .can(Action::GrantRole(Role::KimContributor), &Resource::Scope(&Scope::Organisation(kim.org.org_ref())))
            .then(|| ctx.t.href(&format!("/admin/peran?lingkup={}", kim.id()))),
        verify_action: (!kim.is_verified() && viewer.can(Action::VerifyKim, &resource))
            .then(|| ctx.t.href(&format!("{path}/verifikasi"))),
        status_action: viewer.can(Action::SetKimStatus, &resource).then(|| ctx.t.href(&format!("{path}/status"))),
        statuses: status_choices(ctx, kim.status.as_str()),
        status_errors: {
            let mut errors = FormErrors::default();
            if let Some(message) = state.status_error {
                errors.add("status", message);
            }
            errors
        },
    };
    render_private(template, status)
}

/// `GET /admin/kim/{id}`: the KIM's details form and what may be done to it.
pub async fn show_edit(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::EditOrganisation, &Resource::Organisation(&kim.org.org_ref()))?;
    let state =
        EditState { errors: FormErrors::default(), status_error: None, flash: flash(&ctx, query.selesai.as_deref()) };
    edit_page(&ctx, &viewer, &kim, KimFields::from_kim(&kim), state, StatusCode::OK).await
}

/// `POST /admin/kim/{id}`: saves the details if nobody changed them since
/// the form was opened; a stale form gets 409, its typed values and the
/// conflict message, and nothing is overwritten.
pub async fn edit(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<KimFields>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::EditOrganisation, &Resource::Organisation(&kim.org.org_ref()))?;
    let version = parse_version(&form.version)?;
    // The village and the status do not change here.
    let form = KimFields { village: kim.village().to_string(), status: kim.status.as_str().to_owned(), ..form };
    let refuse = |errors: FormErrors| EditState { errors, status_error: None, flash: None };
    let details = match form.to_form().validate_details() {
        Ok(details) => details,
        Err(errors) => {
            let state = refuse(FormErrors::from_fields(&ctx.t, &errors));
            return edit_page(&ctx, &viewer, &kim, form, state, StatusCode::BAD_REQUEST).await;
        }
    };
    let user = viewer.require_user()?.id;
    let kim_id = kim.id();
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { kim_store::update(tx, kim_id, version, &details, Some(user)).await }))
        .await;
    match written {
        Ok(_) => Ok(redirect(&ctx, &format!("{}?selesai=disimpan", kim_admin_path(kim_id)))),
        Err(StoreError::Stale) => {
            let current = load_kim(&ctx, &id).await?;
            let state = refuse(FormErrors::general(ctx.t.get("error-stale")));
            edit_page(&ctx, &viewer, &current, form, state, StatusCode::CONFLICT).await
        }
        Err(StoreError::Invalid(e)) => {
            let state = refuse(FormErrors::from_fields(&ctx.t, &[e]));
            edit_page(&ctx, &viewer, &kim, form, state, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/kim/{id}/verifikasi`: the regency confirms the KIM.
pub async fn verify(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, .. }: CsrfForm<IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::VerifyKim, &Resource::Organisation(&kim.org.org_ref()))?;
    let (user, kim_id) = (viewer.require_user()?.id, kim.id());
    ctx.state.db.write(move |tx| Box::pin(async move { kim_store::verify(tx, kim_id, user).await })).await?;
    Ok(redirect(&ctx, &format!("{}?selesai=diverifikasi", kim_admin_path(kim_id))))
}

#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    pub status: String,
}

/// `POST /admin/kim/{id}/status`: the regency sets the lifecycle status.
pub async fn set_status(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<StatusForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::SetKimStatus, &Resource::Organisation(&kim.org.org_ref()))?;
    let refuse =
        |message: String| EditState { errors: FormErrors::default(), status_error: Some(message), flash: None };
    let Some(status) = KimStatus::parse(form.status.trim()) else {
        let state = refuse(ctx.t.get("error-invalid_choice"));
        return edit_page(&ctx, &viewer, &kim, KimFields::from_kim(&kim), state, StatusCode::BAD_REQUEST).await;
    };
    let (user, kim_id) = (viewer.require_user()?.id, kim.id());
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { kim_store::set_status(tx, kim_id, status, Some(user)).await }))
        .await;
    match written {
        Ok(()) => Ok(redirect(&ctx, &format!("{}?selesai=status", kim_admin_path(kim_id)))),
        Err(StoreError::Invalid(e)) => {
            let message = if e.field == "sk_number" {
                ctx.t.get("admin-kim-status-needs-sk")
            } else {
                ctx.t.get(&message_key(e.code.as_str()))
            };
            edit_page(&ctx, &viewer, &kim, KimFields::from_kim(&kim), refuse(message), StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------ roster

/// A member as the roster shows them.
pub struct MemberView {
    pub name: String,
    pub position: String,
    pub phone: Option<String>,
    pub consented: Option<String>,
    pub has_account: bool,
    pub reset_href: Option<String>,
    pub remove_action: String,
    pub consent_action: String,
}

/// The roster form as typed (kept when refused). `account` is the e-mail
/// or phone of the member's own account, if they have one.
#[derive(Debug, Default, Deserialize)]
pub struct MemberFields {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub position: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub account: String,
}

#[derive(Template)]
#[template(path = "admin/roster.html")]
struct RosterPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    kim_href: String,
    members: Vec<MemberView>,
    count_note: String,
    below_minimum: bool,
    form: MemberFields,
    errors: FormErrors,
    positions: Vec<Choice>,
    add_action: String,
    flash: Option<String>,
}

async fn roster_page(
    ctx: &Ctx,
    viewer: &Viewer,
    kim: &Kim,
    form: MemberFields,
    errors: FormErrors,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = &ctx.state.db;
    let base = format!("{}/anggota", kim_admin_path(kim.id()));
    let mut members = Vec::new();
    for member in kim_store::members(db, kim.id()).await? {
        let reset_href = match member.user {
            Some(user) => {
                let target = user_target(ctx, user).await?;
                viewer
                    .can(Action::ResetMemberPassword, &Resource::User(&target))
                    .then(|| ctx.t.href(&format!("/admin/pengguna/{user}/sandi")))
            }
            None => None,
        };
        members.push(MemberView {
            name: member.name.clone(),
            position: ctx.t.get(&format!("admin-position-{}", member.position.as_str())),
            phone: member.phone.as_ref().map(|p| p.to_string()),
            consented: member.phone_public_consent_at.map(|at| format_time(ctx, at)),
            has_account: member.user.is_some(),
            reset_href,
            remove_action: ctx.t.href(&format!("{base}/{}/hapus", member.id)),
            consent_action: ctx.t.href(&format!("{base}/{}/persetujuan-hp", member.id)),
        });
    }
    let count = members.len();
    let position = if form.position.is_empty() { "anggota".to_owned() } else { form.position.clone() };
    let template = RosterPage {
        page: admin_page(ctx, viewer, ctx.t.arg("admin-roster-title", "kim", &kim.org.profile.name)),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        kim_href: ctx.t.href(&kim_admin_path(kim.id())),
        count_note: ctx
            .t
            .args("admin-roster-count", &[("count", &count.to_string()), ("minimum", &KIM_MIN_MEMBERS.to_string())]),
        below_minimum: count < KIM_MIN_MEMBERS,
        members,
        positions: choices(ctx, KimPosition::ALL.iter().map(|p| p.as_str()), "admin-position-", &[&position]),
        form,
        errors,
        add_action: ctx.t.href(&base),
        flash,
    };
    render_private(template, status)
}

/// `GET /admin/kim/{id}/anggota`: the roster with positions and contacts.
pub async fn show_roster(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::ManageKimMembers, &Resource::Organisation(&kim.org.org_ref()))?;
    let flash = flash(&ctx, query.selesai.as_deref());
    roster_page(&ctx, &viewer, &kim, MemberFields::default(), FormErrors::default(), flash, StatusCode::OK).await
}

/// The message for a roster failure the store reported.
fn roster_error(ctx: &Ctx, e: &FieldError) -> (String, String) {
    match (e.field.as_str(), e.code) {
        ("position", ValidationCode::Duplicate) => ("position".into(), ctx.t.get("admin-member-position-taken")),
        ("user_id", ValidationCode::Duplicate) => ("account".into(), ctx.t.get("admin-member-account-listed")),
        ("user_id", _) => ("account".into(), ctx.t.get("admin-account-unknown")),
        (field, code) => (field.to_owned(), ctx.t.get(&message_key(code.as_str()))),
    }
}

/// `POST /admin/kim/{id}/anggota`: adds a person to the roster.
pub async fn add_member(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<MemberFields>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::ManageKimMembers, &Resource::Organisation(&kim.org.org_ref()))?;
    let mut errors = FormErrors::default();
    let mut user_id = String::new();
    if !form.account.trim().is_empty() {
        match LoginIdentifier::parse("account", &form.account) {
            Err(e) => errors.add("account", ctx.t.get(&message_key(e.code.as_str()))),
            Ok(identifier) => match accounts::find_for_login(&ctx.state.db, &identifier).await? {
                Some(account) => user_id = account.user.id.to_string(),
                None => errors.add("account", ctx.t.get("admin-account-unknown")),
            },
        }
    }
    let member =
        MemberForm { name: form.name.clone(), position: form.position.clone(), phone: form.phone.clone(), user_id };
    let new = match member.validate() {
        Ok(new) if errors.is_empty() => Some(new),
        Ok(_) => None,
        Err(problems) => {
            for e in &problems {
                let (field, message) = roster_error(&ctx, e);
                errors.add(&field, message);
            }
            None
        }
    };
    let Some(new) = new else {
        return roster_page(&ctx, &viewer, &kim, form, errors, None, StatusCode::BAD_REQUEST).await;
    };
    let (user, kim_id) = (viewer.require_user()?.id, kim.id());
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { kim_store::add_member(tx, kim_id, &new, Some(user)).await }))
        .await;
    match written {
        Ok(_) => Ok(redirect(&ctx, &format!("{}/anggota?selesai=ditambahkan", kim_admin_path(kim_id)))),
        Err(StoreError::Invalid(e)) => {
            let (field, message) = roster_error(&ctx, &e);
            errors.add(&field, message);
            roster_page(&ctx, &viewer, &kim, form, errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One current member of the KIM's roster; 404 when the member is not (or
/// no longer) on this KIM's roster.
async fn load_member(ctx: &Ctx, kim: &Kim, member_raw: &str) -> Result<kim_store::Member, AppError> {
    let member_id: MemberId = parse_path_id(member_raw)?;
    kim_store::member(&ctx.state.db, member_id).await?.filter(|m| m.kim == kim.id()).ok_or(AppError::NotFound)
}

/// `POST /admin/kim/{id}/anggota/{member}/hapus`: takes a member off the roster.
pub async fn remove_member(
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    CsrfForm { viewer, .. }: CsrfForm<IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::ManageKimMembers, &Resource::Organisation(&kim.org.org_ref()))?;
    let member = load_member(&ctx, &kim, &member).await?;
    let (user, member_id) = (viewer.require_user()?.id, member.id);
    ctx.state
        .db
        .write(move |tx| Box::pin(async move { kim_store::remove_member(tx, member_id, Some(user)).await }))
        .await?;
    Ok(redirect(&ctx, &format!("{}/anggota?selesai=dihapus", kim_admin_path(kim.id()))))
}

#[derive(Debug, Default, Deserialize)]
pub struct ConsentForm {
    /// `yes` records the consent, anything else withdraws it.
    #[serde(default)]
    pub consent: String,
}

/// `POST /admin/kim/{id}/anggota/{member}/persetujuan-hp`: records (or
/// withdraws) the member's consent to have their phone number shown on the
/// KIM's public profile. Only a member with a phone number can consent.
pub async fn set_phone_consent(
    ctx: Ctx,
    Path((id, member)): Path<(String, String)>,
    CsrfForm { viewer, form }: CsrfForm<ConsentForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let kim = load_kim(&ctx, &id).await?;
    viewer.authorize(Action::ManageKimMembers, &Resource::Organisation(&kim.org.org_ref()))?;
    let member = load_member(&ctx, &kim, &member).await?;
    let consented = form.consent == "yes";
    if consented && member.phone.is_none() {
        return Err(AppError::BadRequest { code: "required", field: Some("phone".into()) });
    }
    let (user, member_id) = (viewer.require_user()?.id, member.id);
    ctx.state
        .db
        .write(move |tx| {
            Box::pin(async move { kim_store::set_phone_public_consent(tx, member_id, consented, Some(user)).await })
        })
        .await?;
    Ok(redirect(&ctx, &format!("{}/anggota?selesai=persetujuan", kim_admin_path(kim.id()))))
}
