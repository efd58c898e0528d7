//! The holiday calendar (`/admin/hari-libur`): the national holidays and
//! joint leave days that working-day deadlines skip, by year, seeded from
//! the decreed calendar and corrected by the province admin (each change
//! audited). A year without entries is warned about, here and in the
//! aspirations queue.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::calendar::{HolidayKind, new_holiday};
use jembatan_store::{StoreError, holidays};
use serde::Deserialize;

use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::html::admin::{Choice, NavLink, admin_nav, admin_page, csrf_of, today};
use crate::html::common::{redirect, render_private};
use crate::layout::{Ctx, Page};

/// The page's path.
pub const PATH: &str = "/admin/hari-libur";

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub tahun: Option<String>,
    /// Set after a change, for the confirmation.
    pub selesai: Option<String>,
}

/// A holiday as listed.
pub struct HolidayRow {
    pub date: String,
    pub weekday: String,
    pub kind: String,
    pub name: String,
    pub remove_action: String,
}

/// The add form as typed (kept when refused).
#[derive(Debug, Default, Deserialize)]
pub struct HolidayForm {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Template)]
#[template(path = "admin/holidays.html")]
struct HolidaysPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    year: i32,
    years: Vec<(i32, String, bool)>,
    rows: Vec<HolidayRow>,
    warning: Option<String>,
    kinds: Vec<Choice>,
    form: HolidayForm,
    errors: FormErrors,
    done: Option<String>,
}

fn authorize(ctx: &Ctx, viewer: &Viewer) -> Result<(), AppError> {
    viewer.authorize(Action::ManageHolidays, &Resource::Region(&ctx.state.config.default_province))
}

async fn render(
    ctx: &Ctx,
    viewer: &Viewer,
    year: i32,
    form: HolidayForm,
    errors: FormErrors,
    done: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = &ctx.state.db;
    let known = holidays::years(db).await?;
    let this_year = today(ctx).year();
    let mut years: Vec<i32> = known.clone();
    for y in [this_year, this_year + 1, year] {
        if !years.contains(&y) {
            years.push(y);
        }
    }
    years.sort_unstable();
    let warning = crate::html::admin::aspirations::missing_years_warning(ctx, known);
    let rows = holidays::list_year(db, year)
        .await?
        .into_iter()
        .map(|h| HolidayRow {
            date: h.date.format("%d-%m-%Y").to_string(),
            weekday: ctx.t.get(&format!("weekday-{}", h.date.weekday().num_days_from_monday())),
            kind: ctx.t.get(&format!("holiday-kind-{}", h.kind.as_str().replace('_', "-"))),
            name: h.name,
            remove_action: ctx.t.href(&format!("{PATH}/{}/hapus", h.date.format("%Y-%m-%d"))),
        })
        .collect();
    let selected_kind = if form.kind.is_empty() { "libur_nasional".to_owned() } else { form.kind.clone() };
    let template = HolidaysPage {
        page: admin_page(ctx, viewer, ctx.t.get("holidays-title")),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        year,
        years: years.into_iter().map(|y| (y, ctx.t.href(&format!("{PATH}?tahun={y}")), y == year)).collect(),
        rows,
        warning,
        kinds: HolidayKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: ctx.t.get(&format!("holiday-kind-{}", k.as_str().replace('_', "-"))),
                selected: k.as_str() == selected_kind,
            })
            .collect(),
        form,
        errors,
        done,
    };
    render_private(template, status)
}

fn parse_year(ctx: &Ctx, raw: Option<&str>) -> Result<i32, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today(ctx).year()),
        Some(raw) => raw
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .ok_or_else(|| AppError::BadRequest { code: "invalid_number", field: Some("tahun".into()) }),
    }
}

/// `GET /admin/hari-libur[?tahun=2027]`.
pub async fn show(ctx: Ctx, viewer: Viewer, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    authorize(&ctx, &viewer)?;
    let year = parse_year(&ctx, query.tahun.as_deref())?;
    let done = query.selesai.as_deref().map(|what| ctx.t.get(&format!("holidays-done-{what}")));
    render(&ctx, &viewer, year, HolidayForm::default(), FormErrors::default(), done, StatusCode::OK).await
}

/// `POST /admin/hari-libur`: adds (or corrects) a holiday.
pub async fn add(ctx: Ctx, CsrfForm { viewer, form }: CsrfForm<HolidayForm>) -> Result<Response, AppError> {
    authorize(&ctx, &viewer)?;
    let user = viewer.require_user()?.id;
    let holiday = match new_holiday(&form.date, &form.kind, &form.name) {
        Ok(holiday) => holiday,
        Err(errors) => {
            let year =
                NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").map(|d| d.year()).unwrap_or(today(&ctx).year());
            let mut errors = FormErrors::from_fields(&ctx.t, &errors);
            errors.general = Some(ctx.t.get("form-has-errors"));
            return render(&ctx, &viewer, year, form, errors, None, StatusCode::BAD_REQUEST).await;
        }
    };
    let province = ctx.state.config.default_province.clone();
    let year = holiday.date.year();
    let stored = holiday.clone();
    ctx.state.db.write(move |tx| Box::pin(async move { holidays::put(tx, &stored, user, &province).await })).await?;
    Ok(redirect(&ctx, &format!("{PATH}?tahun={year}&selesai=added")))
}

#[derive(Debug, Default, Deserialize)]
pub struct Empty {}

/// `POST /admin/hari-libur/{date}/hapus`: removes a holiday.
pub async fn remove(
    ctx: Ctx,
    Path(date): Path<String>,
    CsrfForm { viewer, form: Empty {} }: CsrfForm<Empty>,
) -> Result<Response, AppError> {
    authorize(&ctx, &viewer)?;
    let user = viewer.require_user()?.id;
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let province = ctx.state.config.default_province.clone();
    let result =
        ctx.state.db.write(move |tx| Box::pin(async move { holidays::remove(tx, date, user, &province).await })).await;
    match result {
        Ok(()) => Ok(redirect(&ctx, &format!("{PATH}?tahun={}&selesai=removed", date.year()))),
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        Err(e) => Err(e.into()),
    }
}
