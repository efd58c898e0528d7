//! The administration area under `/admin`: the dashboard, KIMs and their
//! rosters, organisations, role grants, the audit log, in-person password
//! resets. Every page is private (`private, no-store`), every form carries
//! the session's CSRF token ([`crate::auth::CsrfForm`]), and every handler
//! asks [`crate::auth::Viewer::authorize`] before it reads or writes
//! anything; lists are narrowed to the viewer's own scope with
//! [`authz::administered_regions`] and the organisations of the viewer's
//! grants, never by looking at role names here.

use std::collections::HashMap;
use std::str::FromStr;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use jembatan_domain::RegionCode;
use jembatan_domain::authz::{self, Action, AdminSection, Resource};
use jembatan_domain::organisation::{KimStatus, OrgKind, OrgRef, SkValidity};
use jembatan_store::kims as kim_store;
use jembatan_store::{notifications, organisations as org_store, regions};

use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::common::{private_page, render_private};
use crate::layout::{Ctx, Page};
use crate::state::AppState;

pub mod aspirations;
pub mod audit;
pub mod holidays;
pub mod kims;
pub mod organisations;
pub mod passwords;
pub mod roles;

/// Routes of the administration area (each also served under `/en`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(show_dashboard))
        .route("/admin/kim", get(kims::list_kims))
        .route("/admin/kim/baru", get(kims::show_register).post(kims::register))
        .route("/admin/kim/{id}", get(kims::show_edit).post(kims::edit))
        .route("/admin/kim/{id}/verifikasi", post(kims::verify))
        .route("/admin/kim/{id}/status", post(kims::set_status))
        .route("/admin/kim/{id}/anggota", get(kims::show_roster).post(kims::add_member))
        .route("/admin/kim/{id}/anggota/{member}/hapus", post(kims::remove_member))
        .route("/admin/kim/{id}/anggota/{member}/persetujuan-hp", post(kims::set_phone_consent))
        .route("/admin/organisasi", get(organisations::list_organisations))
        .route("/admin/organisasi/baru", get(organisations::show_create).post(organisations::create))
        .route("/admin/organisasi/{id}", get(organisations::show_edit).post(organisations::edit))
        .route("/admin/peran", get(roles::show_grants).post(roles::grant))
        .route("/admin/peran/{grant}/cabut", post(roles::revoke))
        .route("/admin/audit", get(audit::show_audit))
        .route(holidays::PATH, get(holidays::show).post(holidays::add))
        .route("/admin/hari-libur/{date}/hapus", post(holidays::remove))
        .route(aspirations::QUEUE_PATH, get(aspirations::show_queue))
        .route("/admin/aspirasi/ekspor.csv", get(aspirations::export_csv))
        .route("/admin/aspirasi/{id}", get(aspirations::show_case))
        .route("/admin/aspirasi/{id}/identitas", post(aspirations::reveal_identity))
        .route("/admin/aspirasi/{id}/wilayah", post(aspirations::set_region))
        .route("/admin/aspirasi/{id}/moderasi", post(aspirations::clear_moderation))
        .route("/admin/aspirasi/{id}/perpanjang", post(aspirations::extend))
        .route("/admin/aspirasi/{id}/surat", get(aspirations::show_letter))
        .route("/admin/aspirasi/{id}/serah-terima", post(aspirations::record_handover))
        .route("/admin/aspirasi/{id}/lapor", get(aspirations::show_lapor).post(aspirations::record_lapor))
        .route("/admin/aspirasi/{id}/lampiran/{attachment}", get(aspirations::serve_attachment))
        .route("/admin/aspirasi/{id}/{step}", post(aspirations::take_step))
        .route("/admin/pengguna/{id}/sandi", get(passwords::show_reset).post(passwords::reset))
}

// ------------------------------------------------------------ shared

/// A link of the administration area's own navigation.
pub struct NavLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

/// The sections the viewer may open, for the navigation at the top of
/// every admin page and the dashboard's links.
pub fn admin_nav(ctx: &Ctx, viewer: &Viewer) -> Vec<NavLink> {
    let sections = [
        (None, "/admin", "admin-nav-dashboard"),
        (Some(AdminSection::Kims), "/admin/kim", "admin-nav-kims"),
        (Some(AdminSection::Organisations), "/admin/organisasi", "admin-nav-organisations"),
        (Some(AdminSection::Roles), "/admin/peran", "admin-nav-roles"),
        (Some(AdminSection::Reports), aspirations::QUEUE_PATH, "admin-nav-reports"),
        (Some(AdminSection::Holidays), holidays::PATH, "admin-nav-holidays"),
        (Some(AdminSection::Audit), "/admin/audit", "admin-nav-audit"),
    ];
    sections
        .into_iter()
        .filter(|(section, _, _)| section.is_none_or(|s| viewer.can(Action::OpenAdminSection(s), &Resource::Platform)))
        .map(|(_, path, key)| NavLink {
            label: ctx.t.get(key),
            href: ctx.t.href(path),
            current: ctx.path == path || (path != "/admin" && ctx.path.starts_with(&format!("{path}/"))),
        })
        .collect()
}

/// The page of an admin screen: private header, title in the catalog.
pub fn admin_page(ctx: &Ctx, viewer: &Viewer, title: String) -> Page {
    private_page(ctx, viewer, title)
}

/// The session's CSRF token, for the forms of a page.
pub fn csrf_of(viewer: &Viewer) -> Result<String, AppError> {
    Ok(viewer.require_user()?.csrf.clone())
}

/// Today's date in the deployment's time zone.
pub fn today(ctx: &Ctx) -> NaiveDate {
    chrono::Utc::now().with_timezone(&ctx.state.config.timezone).date_naive()
}

/// The regions the viewer administers, widest first; a region lying inside
/// another one listed is left out (its KIMs are already in the wider one).
pub fn administered(viewer: &Viewer) -> Vec<RegionCode> {
    let mut regions = authz::administered_regions(&viewer.actor);
    regions.sort_by_key(|r| (r.level(), r.as_str().to_owned()));
    let mut widest: Vec<RegionCode> = Vec::new();
    for region in regions {
        if !widest.iter().any(|w| w.contains(&region)) {
            widest.push(region);
        }
    }
    widest
}

/// The region to check a region-wide action against: the viewer's widest
/// administered region, or the deployment's province when there is none
/// (then the check refuses everyone without a grant there).
pub fn home_region(ctx: &Ctx, viewer: &Viewer) -> RegionCode {
    administered(viewer).into_iter().next().unwrap_or_else(|| ctx.state.config.default_province.clone())
}

/// The organisations of `kind` named in the viewer's own grants on which
/// `action` is allowed (the KIM a manager manages, the agency an officer
/// serves), each once.
pub fn granted_orgs(viewer: &Viewer, kind: OrgKind, action: Action) -> Vec<OrgRef> {
    let mut orgs: Vec<OrgRef> = Vec::new();
    for grant in &viewer.actor.grants {
        if let Some(org) = grant.scope.organisation()
            && org.kind == kind
            && viewer.can(action, &Resource::Organisation(org))
            && !orgs.iter().any(|o| o.id == org.id)
        {
            orgs.push(org.clone());
        }
    }
    orgs
}

/// Parses an id from the path; a malformed one is a page that does not exist.
pub fn parse_path_id<T: FromStr>(raw: &str) -> Result<T, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// The display name of a region, falling back to its code.
pub async fn region_name(ctx: &Ctx, code: &RegionCode) -> Result<String, AppError> {
    Ok(regions::get(&ctx.state.db, code).await?.map(|r| r.name).unwrap_or_else(|| code.to_string()))
}

/// `Name (code)`, how admin pages name a region.
pub async fn region_label(ctx: &Ctx, code: &RegionCode) -> Result<String, AppError> {
    Ok(format!("{} ({code})", region_name(ctx, code).await?))
}

/// `Name (code)` of the regions of a list page, read at once.
pub struct RegionLabels(HashMap<String, String>);

impl RegionLabels {
    pub async fn load(ctx: &Ctx, codes: &[&RegionCode]) -> Result<RegionLabels, AppError> {
        Ok(RegionLabels(regions::names(&ctx.state.db, codes).await?))
    }

    /// As [`region_label`] names it.
    pub fn label(&self, code: &RegionCode) -> String {
        format!("{} ({code})", self.0.get(code.as_str()).map(String::as_str).unwrap_or(code.as_str()))
    }
}

/// One option of a `<select>` or one checkbox.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options from stable names, labelled by `key_prefix` + name (dashes for
/// underscores), with `selected` chosen.
pub fn choices<'a>(
    ctx: &Ctx,
    values: impl IntoIterator<Item = &'a str>,
    key_prefix: &str,
    selected: &[&str],
) -> Vec<Choice> {
    values
        .into_iter()
        .map(|value| Choice {
            value: value.to_owned(),
            label: ctx.t.get(&format!("{key_prefix}{}", value.replace('_', "-"))),
            selected: selected.contains(&value),
        })
        .collect()
}

/// A form posted with repeated fields (checkboxes), as name/value pairs.
#[derive(Debug, Default)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or empty.
    pub fn get(&self, name: &str) -> String {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
}

/// The translated label of a KIM status.
pub fn status_label(ctx: &Ctx, status: KimStatus) -> String {
    ctx.t.get(&format!("admin-status-{}", status.as_str()))
}

/// The translated label of where an SK stands, and the badge class showing it.
pub fn sk_label(ctx: &Ctx, validity: SkValidity) -> (String, &'static str) {
    let class = match validity {
        SkValidity::Valid => "ok",
        SkValidity::ExpiringSoon => "warn",
        SkValidity::Expired | SkValidity::Missing => "bad",
    };
    (ctx.t.get(&format!("admin-sk-{}", validity.as_str().replace('_', "-"))), class)
}

/// Parses the version an edit form was opened at.
pub fn parse_version(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::bad_request("bad_request"))
}

// ------------------------------------------------------------ dashboard

/// A count with its label.
pub struct Count {
    pub label: String,
    pub value: i64,
    pub class: &'static str,
}

/// An administered region on the dashboard.
pub struct RegionSummary {
    pub label: String,
    pub kims_href: String,
    pub audit_href: String,
    pub by_status: Vec<Count>,
    pub sk: Vec<Count>,
    pub unverified: i64,
}

/// An organisation (a KIM managed, an agency served) on the dashboard.
pub struct OrgSummary {
    pub name: String,
    pub href: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    page: Page,
    nav: Vec<NavLink>,
    regions: Vec<RegionSummary>,
    kims: Vec<OrgSummary>,
    agencies: Vec<OrgSummary>,
    unread: i64,
    can_register_kim: bool,
    can_create_org: bool,
}

/// `GET /admin`: what the viewer administers, with counts and links.
pub async fn show_dashboard(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let user = viewer.require_user()?;
    let db = &ctx.state.db;
    let today = today(&ctx);
    let mut summaries = Vec::new();
    for region in administered(&viewer) {
        let summary = kim_store::summary(db, &region, today).await?;
        let by_status = KimStatus::ALL
            .iter()
            .map(|status| Count {
                label: status_label(&ctx, *status),
                value: summary.by_status.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n),
                class: "",
            })
            .collect();
        let sk = [
            (SkValidity::ExpiringSoon, summary.sk_expiring),
            (SkValidity::Expired, summary.sk_expired),
            (SkValidity::Missing, summary.sk_missing),
        ]
        .into_iter()
        .map(|(validity, value)| {
            let (label, class) = sk_label(&ctx, validity);
            Count { label, value, class }
        })
        .collect();
        summaries.push(RegionSummary {
            label: region_label(&ctx, &region).await?,
            kims_href: ctx.t.href("/admin/kim"),
            audit_href: ctx.t.href(&format!("/admin/audit?wilayah={region}")),
            by_status,
            sk,
            unverified: summary.unverified,
        });
    }
    let mut kim_summaries = Vec::new();
    for org in granted_orgs(&viewer, OrgKind::Kim, Action::EditOrganisation) {
        if let Some(kim) = kim_store::get(db, org.id).await? {
            let (sk, _) = sk_label(&ctx, kim.sk_validity(today));
            kim_summaries.push(OrgSummary {
                name: kim.org.profile.name.clone(),
                href: ctx.t.href(&format!("/admin/kim/{}", kim.id())),
                detail: format!("{} · {sk}", status_label(&ctx, kim.status)),
            });
        }
    }
    let mut agencies = Vec::new();
    for org in granted_orgs(&viewer, OrgKind::Agency, Action::EditOrganisation) {
        if let Some(agency) = org_store::get(db, org.id).await? {
            agencies.push(OrgSummary {
                name: agency.profile.name.clone(),
                href: ctx.t.href(&format!("/admin/organisasi/{}", agency.id)),
                detail: region_label(&ctx, &agency.region).await?,
            });
        }
    }
    let home = home_region(&ctx, &viewer);
    let template = DashboardPage {
        page: admin_page(&ctx, &viewer, ctx.t.get("admin-title")),
        nav: admin_nav(&ctx, &viewer),
        regions: summaries,
        kims: kim_summaries,
        agencies,
        unread: notifications::count_unread(db, user.id).await?,
        can_register_kim: viewer.can(Action::RegisterKim, &Resource::Region(&home)),
        can_create_org: viewer.can(Action::CreateOrganisation(OrgKind::Agency), &Resource::Region(&home)),
    };
    render_private(template, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use jembatan_domain::organisation::{BodyKind, KimPosition, KimStatus, OrgKind, SkValidity, WorkCategory};
    use jembatan_store::audit::action;

    use crate::i18n::{Catalog, Locale};

    /// Keys built at run time from stable names, which the catalog test
    /// cannot see in the source: every one must exist in every locale.
    #[test]
    fn every_key_built_from_a_stable_name_exists() {
        let catalog = Catalog::load().unwrap();
        let dashed = |s: &str| s.replace(['.', '_'], "-");
        let mut keys: Vec<String> = Vec::new();
        keys.extend(KimStatus::ALL.iter().map(|s| format!("admin-status-{}", s.as_str())));
        keys.extend(KimPosition::ALL.iter().map(|p| format!("admin-position-{}", p.as_str())));
        keys.extend(OrgKind::ALL.iter().map(|k| format!("admin-kind-{}", k.as_str())));
        keys.extend(BodyKind::ALL.iter().map(|b| format!("admin-body-kind-{}", dashed(b.as_str()))));
        keys.extend(WorkCategory::ALL.iter().map(|c| format!("admin-category-{}", c.as_str())));
        let validities = [SkValidity::Missing, SkValidity::Valid, SkValidity::ExpiringSoon, SkValidity::Expired];
        keys.extend(validities.iter().map(|v| format!("admin-sk-{}", dashed(v.as_str()))));
        keys.extend(action::ALL.iter().map(|a| format!("audit-action-{}", dashed(a))));
        keys.extend(action::TARGET_KINDS.iter().map(|k| format!("admin-target-{k}")));
        let sections = ["dashboard", "kims", "organisations", "roles", "audit", "reports", "holidays"];
        use jembatan_domain::calendar::HolidayKind;
        keys.extend(HolidayKind::ALL.iter().map(|k| format!("holiday-kind-{}", dashed(k.as_str()))));
        keys.extend((0..7).map(|d| format!("weekday-{d}")));
        keys.extend(["added", "removed"].iter().map(|d| format!("holidays-done-{d}")));
        use jembatan_domain::aspiration::{ReportClass, ReportStatus, ReportStep, ReporterMode};
        keys.extend(ReportStatus::ALL.iter().map(|s| format!("report-status-{}", dashed(s.as_str()))));
        keys.extend(ReportClass::ALL.iter().map(|c| format!("report-class-{}", dashed(c.as_str()))));
        keys.extend(ReporterMode::ALL.iter().map(|m| format!("report-mode-{}", dashed(m.as_str()))));
        keys.extend(ReportStep::ALL.iter().map(|s| format!("report-step-{}", dashed(s.as_str()))));
        keys.extend(
            ["submit", "rate", "close", "set-region", "clear-moderation"].iter().map(|s| format!("report-step-{s}")),
        );
        use jembatan_store::aspirations::{REPORT_ANSWERED_MESSAGE, REPORT_FILED_MESSAGE, REPORT_UPDATED_MESSAGE};
        for template in [REPORT_FILED_MESSAGE, REPORT_UPDATED_MESSAGE, REPORT_ANSWERED_MESSAGE] {
            keys.push(format!("mail-{template}-subject"));
            keys.push(format!("mail-{template}-body"));
        }
        keys.extend(sections.iter().map(|s| format!("admin-nav-{s}")));
        let done = [
            "registered",
            "saved",
            "verified",
            "status",
            "member-added",
            "member-removed",
            "consent",
            "created",
            "granted",
            "revoked",
        ];
        keys.extend(done.iter().map(|d| format!("admin-done-{d}")));
        for locale in Locale::ALL {
            let missing: Vec<_> = keys.iter().filter(|k| !catalog.has(locale, k)).collect();
            assert!(missing.is_empty(), "missing in {}: {missing:?}", locale.code());
        }
    }

    #[test]
    fn pseudonyms_are_stable_and_reveal_nothing() {
        let id = jembatan_domain::UserId::generate();
        let name = super::audit::pseudonym(id);
        assert_eq!(name, super::audit::pseudonym(id));
        assert!(name.starts_with("pengguna-") && name.len() == "pengguna-".len() + 8, "{name}");
        assert!(!name.contains(&id.to_string()[..8]));
    }
}
