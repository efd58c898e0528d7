//! `/api/v1/kims`: the KIMs of a region (cursor-paginated, filtered by
//! status) and one KIM's public profile. The same data as the public pages,
//! each item with its page `url`; an officer's phone only with consent.

use axum::Json;
use axum::extract::{Path, Query};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jembatan_domain::RegionCode;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::kim::format_date;
use jembatan_domain::organisation::{KimPosition, KimStatus, SkValidity};
use jembatan_store::kims::{self, KimFilter, KimListItem};
use jembatan_store::regions;
use serde::{Deserialize, Serialize};

use super::ListPage;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::kims::{kim_path, parse_org_id, parse_status_filter, today, whatsapp_url};
use crate::html::regions::region_path;
use crate::layout::Ctx;

/// Items per page unless `limit` says otherwise.
pub const DEFAULT_LIMIT: i64 = 20;
/// The most items one page may hold.
pub const MAX_LIMIT: i64 = 100;
/// The furthest offset a cursor may point at; beyond it a cursor is forged.
const MAX_OFFSET: i64 = 10_000_000;
const CURSOR_PREFIX: &str = "o:";

/// The opaque cursor for the item at `offset`.
pub fn encode_cursor(offset: i64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{offset}"))
}

/// The offset a cursor stands for; absent or empty is the start, anything
/// not made by [`encode_cursor`] is 400 `invalid_cursor`.
pub fn decode_cursor(raw: Option<&str>) -> Result<i64, AppError> {
    let Some(raw) = raw.filter(|r| !r.is_empty()) else {
        return Ok(0);
    };
    let invalid = || AppError::BadRequest { code: "invalid_cursor", field: Some("cursor".into()) };
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let digits = text.strip_prefix(CURSOR_PREFIX).ok_or_else(invalid)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    match digits.parse::<i64>() {
        Ok(offset) if offset <= MAX_OFFSET => Ok(offset),
        _ => Err(invalid()),
    }
}

/// `limit` from a query: absent means [`DEFAULT_LIMIT`], else 1 to [`MAX_LIMIT`].
pub fn parse_limit(raw: Option<&str>) -> Result<i64, AppError> {
    let invalid = || AppError::BadRequest { code: "invalid_limit", field: Some("limit".into()) };
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(DEFAULT_LIMIT),
        Some(raw) => raw.parse::<i64>().ok().filter(|l| (1..=MAX_LIMIT).contains(l)).ok_or_else(invalid),
    }
}

/// The `region` a list is within: the deployment's province when absent;
/// malformed is 400 `malformed_region_code`, unknown 400 `unknown_region`.
pub async fn parse_region(ctx: &Ctx, raw: Option<&str>) -> Result<RegionCode, AppError> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(ctx.state.config.default_province.clone());
    };
    let code = RegionCode::parse(raw).map_err(|e| AppError::field(e.for_field("region")))?;
    regions::require(&ctx.state.db, "region", &code).await?;
    Ok(code)
}

/// A region a resource refers to.
#[derive(Debug, Serialize)]
pub struct RegionRefJson {
    pub code: String,
    pub name: String,
    /// The region's public page.
    pub url: String,
}

impl RegionRefJson {
    pub fn new(ctx: &Ctx, code: &str, name: String) -> RegionRefJson {
        RegionRefJson { code: code.to_owned(), name, url: ctx.state.config.absolute(&region_path(code)) }
    }
}

/// A KIM in lists.
#[derive(Debug, Serialize)]
pub struct KimSummaryJson {
    pub id: String,
    pub name: String,
    pub status: KimStatus,
    pub verified: bool,
    pub sk_validity: SkValidity,
    /// `YYYY-MM-DD`, the last day the SK is in force.
    pub sk_expires: Option<String>,
    pub member_count: i64,
    pub village: RegionRefJson,
    /// The KIM's public page.
    pub url: String,
}

impl KimSummaryJson {
    fn new(ctx: &Ctx, item: KimListItem) -> KimSummaryJson {
        KimSummaryJson {
            id: item.id.to_string(),
            url: ctx.state.config.absolute(&kim_path(item.id)),
            village: RegionRefJson::new(ctx, item.village.as_str(), item.village_name),
            name: item.name,
            status: item.status,
            verified: item.verified,
            sk_validity: item.sk_validity,
            sk_expires: item.sk_expires,
            member_count: item.member_count,
        }
    }
}

/// Query of `GET /api/v1/kims`.
#[derive(Debug, Deserialize)]
pub struct KimListQuery {
    /// A region code at any level; the deployment's province when absent.
    pub region: Option<String>,
    pub status: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// `GET /api/v1/kims?region=35.23&status=aktif`: KIMs by name.
pub async fn list_kims(
    ctx: Ctx,
    viewer: Viewer,
    Query(query): Query<KimListQuery>,
) -> Result<Json<ListPage<KimSummaryJson>>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let limit = parse_limit(query.limit.as_deref())?;
    let offset = decode_cursor(query.cursor.as_deref())?;
    let status = parse_status_filter(query.status.as_deref())?;
    let region = parse_region(&ctx, query.region.as_deref()).await?;
    viewer.authorize(Action::ViewPublic, &Resource::Region(&region))?;
    let filter = KimFilter { within: region, status };
    // One more than asked tells whether another page follows.
    let mut items = kims::list(&ctx.state.db, &filter, today(&ctx), limit + 1, offset).await?;
    let next_cursor = (items.len() as i64 > limit).then(|| encode_cursor(offset + limit));
    items.truncate(limit as usize);
    let items = items.into_iter().map(|k| KimSummaryJson::new(&ctx, k)).collect();
    Ok(Json(ListPage { items, next_cursor }))
}

/// The SK a KIM is registered with.
#[derive(Debug, Serialize)]
pub struct SkJson {
    pub number: String,
    pub issuer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `YYYY-MM-DD`, the last day in force; `null` for an SK without a term.
    pub expires: Option<String>,
}

/// Where people reach a KIM.
#[derive(Debug, Serialize)]
pub struct ChannelsJson {
    /// E.164, e.g. `+6281234567890`.
    pub whatsapp: Option<String>,
    /// `https://wa.me/...`, opening a chat.
    pub whatsapp_url: Option<String>,
    pub instagram: Option<String>,
    pub facebook: Option<String>,
    pub youtube: Option<String>,
}

/// An officer on the public profile.
#[derive(Debug, Serialize)]
pub struct OfficerJson {
    pub name: String,
    pub position: KimPosition,
    /// E.164; present only when the officer consented to it being public.
    pub phone: Option<String>,
}

/// A KIM's public profile.
#[derive(Debug, Serialize)]
pub struct KimJson {
    pub id: String,
    pub name: String,
    pub status: KimStatus,
    pub verified: bool,
    pub description: String,
    pub address: Option<String>,
    pub email: Option<String>,
    pub kim_id_url: Option<String>,
    pub channels: ChannelsJson,
    pub sk: Option<SkJson>,
    pub sk_validity: SkValidity,
    /// Ketua, sekretaris, bendahara, then seksi.
    pub officers: Vec<OfficerJson>,
    pub member_count: i64,
    pub village: RegionRefJson,
    /// The KIM's public page.
    pub url: String,
}

/// `GET /api/v1/kims/{id}`: an unknown or malformed id is 404.
pub async fn get_kim(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Json<KimJson>, AppError> {
    let id = parse_org_id(&id)?;
    let profile = kims::profile(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::ViewPublic, &Resource::Organisation(&profile.kim.org.org_ref()))?;
    let sk_validity = profile.kim.sk_validity(today(&ctx));
    let kim = profile.kim;
    let channels = ChannelsJson {
        whatsapp: kim.channels.whatsapp.as_ref().map(|p| p.to_string()),
        whatsapp_url: kim.channels.whatsapp.as_ref().map(whatsapp_url),
        instagram: kim.channels.instagram.clone(),
        facebook: kim.channels.facebook.clone(),
        youtube: kim.channels.youtube.clone(),
    };
    Ok(Json(KimJson {
        id: kim.id().to_string(),
        url: ctx.state.config.absolute(&kim_path(kim.id())),
        village: RegionRefJson::new(&ctx, kim.village().as_str(), profile.village_name),
        verified: kim.is_verified(),
        status: kim.status,
        sk: kim.sk.as_ref().map(|sk| SkJson {
            number: sk.number.clone(),
            issuer: sk.issuer.clone(),
            date: format_date(sk.date),
            expires: sk.expires.map(format_date),
        }),
        sk_validity,
        officers: profile
            .officers
            .into_iter()
            .map(|o| OfficerJson { name: o.name, position: o.position, phone: o.phone.map(|p| p.to_string()) })
            .collect(),
        member_count: profile.member_count,
        email: kim.org.profile.email.as_ref().map(|e| e.to_string()),
        kim_id_url: kim.kim_id_url,
        channels,
        name: kim.org.profile.name,
        description: kim.org.profile.description,
        address: kim.org.profile.address,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_forgeries_are_refused() {
        for offset in [0, 20, 12345] {
            assert_eq!(decode_cursor(Some(&encode_cursor(offset))).unwrap(), offset);
        }
        assert_eq!(decode_cursor(None).unwrap(), 0);
        let forged = [
            "20".to_owned(),
            "!!".to_owned(),
            URL_SAFE_NO_PAD.encode("o:-1"),
            URL_SAFE_NO_PAD.encode("o:"),
            URL_SAFE_NO_PAD.encode("x:20"),
            URL_SAFE_NO_PAD.encode("o:99999999999999999999"),
        ];
        for raw in forged {
            assert!(decode_cursor(Some(&raw)).is_err(), "{raw}");
        }
        assert_eq!(parse_limit(None).unwrap(), DEFAULT_LIMIT);
        assert!(parse_limit(Some("0")).is_err());
        assert!(parse_limit(Some("101")).is_err());
        assert!(parse_limit(Some("x")).is_err());
    }
}
