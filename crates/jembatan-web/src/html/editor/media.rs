//! Images: an upload from the item form is checked by its content, cleaned
//! of EXIF/GPS and resized ([`crate::media::process`], off the async
//! threads) and stored ([`jembatan_store::media::store`]); stored images are
//! served at `/media/{id}` (the original without its metadata) and
//! `/media/{id}/w{width}` (a resized copy), cacheable for a year: an
//! image's bytes never change under its id.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use jembatan_domain::UserId;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::content::MediaId;
use jembatan_store::media::{self as media_store, MediaBytes, NewMedia};

use super::Upload;
use crate::auth::Viewer;
use crate::error::{AppError, message_key};
use crate::i18n::{Locale, Tr};
use crate::layout::Ctx;
use crate::media::{MediaError, UploadLimits, VARIANT_WIDTHS, process};

/// How long browsers and proxies may keep an image: its bytes never change.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn image_response(image: MediaBytes) -> Response {
    let mut response = image.bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&image.mime).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    response
}

fn media_id(raw: &str) -> Result<MediaId, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// `GET /media/{id}`: the stored original (its metadata removed at upload).
pub async fn serve_original(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let id = media_id(&id)?;
    let image = media_store::original(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    Ok(image_response(image))
}

/// `GET /media/{id}/w{width}`: the copy resized to one of
/// [`VARIANT_WIDTHS`]. An image narrower than the width has no such copy:
/// its original is served instead, so a `srcset` never breaks.
pub async fn serve_variant(
    ctx: Ctx,
    viewer: Viewer,
    Path((id, variant)): Path<(String, String)>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let id = media_id(&id)?;
    let width = variant
        .strip_prefix('w')
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|w| VARIANT_WIDTHS.contains(w))
        .ok_or(AppError::NotFound)?;
    let db = &ctx.state.db;
    let image = match media_store::variant(db, id, i64::from(width), None).await? {
        Some(image) => image,
        None => media_store::original(db, id).await?.ok_or(AppError::NotFound)?,
    };
    Ok(image_response(image))
}

/// The path of the smallest copy of an image at least `width` wide that
/// exists, for thumbnails in the editor; the original when none is.
pub async fn thumbnail(ctx: &Ctx, id: MediaId, width: i64) -> Result<Option<Thumbnail>, AppError> {
    let Some(media) = media_store::get(&ctx.state.db, id).await? else { return Ok(None) };
    let path = match media.variants.iter().find(|v| v.width >= width) {
        Some(v) => format!("/media/{id}/w{}", v.width),
        None => format!("/media/{id}"),
    };
    let shown = media.width.min(width).max(1);
    let height = (media.height * shown / media.width.max(1)).max(1);
    Ok(Some(Thumbnail { src: path, width: shown, height }))
}

/// An image as the editor shows it.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub src: String,
    pub width: i64,
    pub height: i64,
}

/// Checks, cleans, resizes and stores an upload; the refusal is a message
/// for the person, naming the file.
pub async fn store_upload(ctx: &Ctx, user: UserId, upload: &Upload) -> Result<Result<MediaId, String>, AppError> {
    let t = &ctx.t;
    let max_bytes = ctx.state.config.max_upload_bytes;
    if upload.too_large {
        let message = t.args(
            "editor-upload-too-large",
            &[("name", &upload.file_name), ("size", &megabytes(t, upload.size)), ("max", &megabytes(t, max_bytes))],
        );
        return Ok(Err(message));
    }
    let bytes = upload.bytes.clone();
    let limits = UploadLimits { max_bytes, ..UploadLimits::default() };
    let processed = tokio::task::spawn_blocking(move || process(&bytes, limits))
        .await
        .map_err(|e| AppError::Internal(format!("image processing: {e}")))?;
    let image = match processed {
        Ok(image) => image,
        Err(e) => return Ok(Err(refusal(ctx, upload, e))),
    };
    let new = NewMedia::from(image);
    let stored =
        ctx.state.db.write(move |tx| Box::pin(async move { media_store::store(tx, &new, Some(user)).await })).await?;
    Ok(Ok(stored.media.id))
}

fn refusal(ctx: &Ctx, upload: &Upload, error: MediaError) -> String {
    let reason = match error {
        MediaError::TooLarge => {
            ctx.t.arg("editor-upload-too-large-short", "max", &megabytes(&ctx.t, ctx.state.config.max_upload_bytes))
        }
        other => ctx.t.get(&message_key(other.code())),
    };
    ctx.t.args("editor-upload-refused", &[("name", &upload.file_name), ("reason", &reason)])
}

/// A size for people: `64 KB`, `8 MB`, `10,5 MB` (`10.5 MB` in English).
pub fn megabytes(t: &Tr, bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else if (mb - mb.round()).abs() < 0.05 {
        format!("{} MB", mb.round() as u64)
    } else if t.locale == Locale::Id {
        format!("{mb:.1} MB").replace('.', ",")
    } else {
        format!("{mb:.1} MB")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::i18n::{Catalog, Locale, Tr};

    #[test]
    fn sizes_read_in_megabytes() {
        let catalog = Arc::new(Catalog::load().unwrap());
        let id = Tr::new(catalog.clone(), Locale::Id);
        let en = Tr::new(catalog, Locale::English);
        assert_eq!(super::megabytes(&id, 8 * 1024 * 1024), "8 MB");
        assert_eq!(super::megabytes(&id, 10 * 1024 * 1024 + 512 * 1024), "10,5 MB");
        assert_eq!(super::megabytes(&en, 10 * 1024 * 1024 + 512 * 1024), "10.5 MB");
        assert_eq!(super::megabytes(&id, 64 * 1024), "64 KB");
    }
}
