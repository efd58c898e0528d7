//! Uploaded images: checked by their content (never by the name or the
//! declared type), decoded within limits, stripped of EXIF, GPS and other
//! metadata, and resized to the widths pages offer in `srcset`.
//!
//! CPU-bound: call [`process`] inside `spawn_blocking`.

use std::io::Cursor;

use axum::body::Bytes;
use image::codecs::jpeg::JpegEncoder;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use img_parts::ImageEXIF;
use jembatan_store::media::{NewMedia, NewVariant};
use sha2::{Digest, Sha256};

/// Widths of the resized copies, for `srcset` (never wider than the original).
pub const VARIANT_WIDTHS: [u32; 3] = [320, 640, 1024];
/// JPEG quality of resized copies: small on slow mobile data, still clear.
const VARIANT_QUALITY: u8 = 78;
/// JPEG quality when an original must be re-encoded (to apply its rotation).
const ORIGINAL_QUALITY: u8 = 90;

/// What an upload may be.
#[derive(Debug, Clone, Copy)]
pub struct UploadLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Largest width or height, in pixels.
    pub max_dimension: u32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits { max_bytes: 8 * 1024 * 1024, max_dimension: 8000 }
    }
}

/// Why an upload was refused; `code()` is the stable error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    #[error("the file is larger than allowed")]
    TooLarge,
    #[error("the file is not an image")]
    NotAnImage,
    #[error("the image format is not accepted")]
    Unsupported,
    #[error("the image is wider or taller than allowed")]
    TooManyPixels,
    #[error("the image cannot be read")]
    Corrupt,
    #[error("the file is neither a photo nor a PDF")]
    NotPhotoOrPdf,
    #[error("the PDF cannot be read")]
    CorruptPdf,
}

impl MediaError {
    /// The stable code, also the translation key suffix (`error-<code>`).
    pub fn code(self) -> &'static str {
        match self {
            MediaError::TooLarge => "image_too_large",
            MediaError::NotAnImage => "not_an_image",
            MediaError::Unsupported => "image_unsupported",
            MediaError::TooManyPixels => "image_too_big",
            MediaError::Corrupt => "image_corrupt",
            MediaError::NotPhotoOrPdf => "attachment_not_accepted",
            MediaError::CorruptPdf => "pdf_corrupt",
        }
    }

    pub const ALL: [MediaError; 7] = [
        MediaError::TooLarge,
        MediaError::NotAnImage,
        MediaError::Unsupported,
        MediaError::TooManyPixels,
        MediaError::Corrupt,
        MediaError::NotPhotoOrPdf,
        MediaError::CorruptPdf,
    ];
}

/// A resized copy.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// An accepted image: the original without metadata, and its resized copies.
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    pub original: Vec<u8>,
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
    /// Hex SHA-256 of `original`, to store each image once.
    pub sha256: String,
    pub variants: Vec<Variant>,
}

impl From<ProcessedImage> for NewMedia {
    /// What the store keeps of an accepted image.
    fn from(image: ProcessedImage) -> Self {
        NewMedia {
            mime: image.mime.to_owned(),
            width: i64::from(image.width),
            height: i64::from(image.height),
            bytes: image.original,
            variants: image
                .variants
                .into_iter()
                .map(|v| NewVariant {
                    width: i64::from(v.width),
                    height: i64::from(v.height),
                    mime: v.mime.to_owned(),
                    bytes: v.bytes,
                })
                .collect(),
        }
    }
}

fn mime_of(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Png => "image/png",
        _ => "image/webp",
    }
}

/// Checks, cleans and resizes an uploaded image.
pub fn process(bytes: &[u8], limits: UploadLimits) -> Result<ProcessedImage, MediaError> {
    let (image, original, mime) = decode_and_clean(bytes, limits)?;
    let variants = VARIANT_WIDTHS
        .iter()
        .filter(|&&w| w < image.width())
        .map(|&width| resize(&image, width))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ProcessedImage {
        sha256: hex::encode(Sha256::digest(&original)),
        original,
        mime,
        width: image.width(),
        height: image.height(),
        variants,
    })
}

/// A report's attachment, checked by its content: a photo (decoded, its
/// metadata removed as in [`process`], no resized copies) or a PDF (its
/// header and end marker present). Returns the type and the bytes to keep.
pub fn attachment(bytes: &[u8], limits: UploadLimits) -> Result<(&'static str, Vec<u8>), MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge);
    }
    if bytes.starts_with(b"%PDF-") {
        // A PDF ends with %%EOF (followed at most by a line break or some
        // padding); a truncated or disguised file does not.
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        let ends = tail.windows(5).any(|w| w == b"%%EOF");
        return if ends { Ok(("application/pdf", bytes.to_vec())) } else { Err(MediaError::CorruptPdf) };
    }
    match decode_and_clean(bytes, limits) {
        Ok((_, original, mime)) => Ok((mime, original)),
        Err(MediaError::NotAnImage | MediaError::Unsupported) => Err(MediaError::NotPhotoOrPdf),
        Err(other) => Err(other),
    }
}

/// Decodes an image within limits and returns it with the bytes to keep
/// (the upload without metadata, or re-encoded upright) and their type.
fn decode_and_clean(bytes: &[u8], limits: UploadLimits) -> Result<(DynamicImage, Vec<u8>, &'static str), MediaError> {
    if bytes.len() > limits.max_bytes {
        return Err(MediaError::TooLarge);
    }
    // The content decides what the file is.
    let format = image::guess_format(bytes).map_err(|_| MediaError::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(MediaError::Unsupported);
    }
    let mut decoder_limits = Limits::default();
    decoder_limits.max_image_width = Some(limits.max_dimension);
    decoder_limits.max_image_height = Some(limits.max_dimension);
    decoder_limits.max_alloc = Some(512 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(decoder_limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    image.apply_orientation(orientation);

    // Phones record the camera's rotation in EXIF; without EXIF the pixels
    // must carry it, so a rotated original is re-encoded, else kept as sent.
    let (original, mime) = if orientation == Orientation::NoTransforms {
        (strip_metadata(bytes, format)?, mime_of(format))
    } else {
        (encode_jpeg(&image, ORIGINAL_QUALITY)?, "image/jpeg")
    };
    Ok((image, original, mime))
}

fn decode_error(e: image::ImageError) -> MediaError {
    match e {
        image::ImageError::Limits(_) => MediaError::TooManyPixels,
        image::ImageError::Unsupported(_) => MediaError::Unsupported,
        _ => MediaError::Corrupt,
    }
}

/// Removes every metadata block that can carry a location or a person:
/// EXIF and XMP (JPEG APP1, PNG eXIf/iTXt, WebP EXIF/XMP), IPTC (JPEG
/// APP13) and PNG text chunks. Pixels are untouched.
fn strip_metadata(bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, MediaError> {
    let input = Bytes::copy_from_slice(bytes);
    let output = match format {
        ImageFormat::Jpeg => {
            let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(input).map_err(|_| MediaError::Corrupt)?;
            for marker in [img_parts::jpeg::markers::APP1, img_parts::jpeg::markers::APP13] {
                jpeg.remove_segments_by_marker(marker);
            }
            jpeg.encoder().bytes()
        }
        ImageFormat::Png => {
            let mut png = img_parts::png::Png::from_bytes(input).map_err(|_| MediaError::Corrupt)?;
            for chunk in [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
                png.remove_chunks_by_type(chunk);
            }
            png.encoder().bytes()
        }
        _ => {
            let mut webp = img_parts::webp::WebP::from_bytes(input).map_err(|_| MediaError::Corrupt)?;
            webp.remove_chunks_by_id(img_parts::webp::CHUNK_XMP);
            // Also recomputes the VP8X flags for the chunks left.
            webp.set_exif(None);
            webp.encoder().bytes()
        }
    };
    Ok(output.to_vec())
}

fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::new();
    let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, quality)).map_err(|_| MediaError::Corrupt)?;
    Ok(out)
}

fn resize(image: &DynamicImage, width: u32) -> Result<Variant, MediaError> {
    let height = ((u64::from(image.height()) * u64::from(width)) / u64::from(image.width())).max(1) as u32;
    let small = image.resize_exact(width, height, image::imageops::FilterType::Triangle);
    if small.color().has_alpha() {
        let mut out = Vec::new();
        small.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).map_err(|_| MediaError::Corrupt)?;
        Ok(Variant { width, height, mime: "image/png", bytes: out })
    } else {
        Ok(Variant { width, height, mime: "image/jpeg", bytes: encode_jpeg(&small, VARIANT_QUALITY)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_are_photos_without_metadata_or_whole_pdfs() {
        let limits = UploadLimits::default();
        let photo = jpeg_with_exif(40, 30, 1);
        let (mime, kept) = attachment(&photo, limits).unwrap();
        assert_eq!(mime, "image/jpeg");
        assert!(!kept.windows(12).any(|w| w == b"GPS-LOCATION"), "GPS left in the photo");
        let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
        assert_eq!(attachment(&pdf, limits).unwrap(), ("application/pdf", pdf.clone()));
        assert_eq!(attachment(&pdf[..20], limits).unwrap_err(), MediaError::CorruptPdf);
        let executable = [b"MZ\x90\x00".as_slice(), &[0u8; 200]].concat();
        assert_eq!(attachment(&executable, limits).unwrap_err(), MediaError::NotPhotoOrPdf);
        let elf = [b"\x7fELF".as_slice(), &[0u8; 200]].concat();
        assert_eq!(attachment(&elf, limits).unwrap_err(), MediaError::NotPhotoOrPdf);
        let small = UploadLimits { max_bytes: 10, ..limits };
        assert_eq!(attachment(&pdf, small).unwrap_err(), MediaError::TooLarge);
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        }));
        encode_jpeg(&image, 90).unwrap()
    }

    /// A JPEG with an EXIF block holding a GPS tag marker and a camera
    /// orientation of 6 (rotate 90° clockwise to display).
    fn jpeg_with_exif(width: u32, height: u32, orientation: u16) -> Vec<u8> {
        // Minimal little-endian TIFF: IFD0 with Orientation (0x0112) and a
        // GPSInfo pointer tag (0x8825) to an empty GPS IFD.
        let mut tiff = vec![b'I', b'I', 42, 0, 8, 0, 0, 0];
        tiff.extend_from_slice(&2u16.to_le_bytes());
        tiff.extend_from_slice(&0x0112u16.to_le_bytes());
        tiff.extend_from_slice(&3u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&u32::from(orientation).to_le_bytes());
        tiff.extend_from_slice(&0x8825u16.to_le_bytes());
        tiff.extend_from_slice(&4u16.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
        tiff.extend_from_slice(&38u32.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(&0u16.to_le_bytes());
        tiff.extend_from_slice(&0u32.to_le_bytes());
        tiff.extend_from_slice(b"GPS-LOCATION-OF-THE-REPORTER");
        let mut jpeg = img_parts::jpeg::Jpeg::from_bytes(Bytes::from(super::tests::jpeg(width, height))).unwrap();
        jpeg.set_exif(Some(Bytes::from(tiff)));
        jpeg.encoder().bytes().to_vec()
    }

    #[test]
    fn metadata_is_stripped_and_copies_are_made() {
        let upload = jpeg_with_exif(1200, 800, 1);
        assert!(upload.windows(12).any(|w| w == b"GPS-LOCATION"));
        let processed = process(&upload, UploadLimits::default()).unwrap();
        assert!(!processed.original.windows(12).any(|w| w == b"GPS-LOCATION"), "GPS gone from the original");
        assert!(!processed.original.windows(4).any(|w| w == b"Exif"));
        assert_eq!((processed.width, processed.height, processed.mime), (1200, 800, "image/jpeg"));
        let widths: Vec<u32> = processed.variants.iter().map(|v| v.width).collect();
        assert_eq!(widths, [320, 640, 1024]);
        assert_eq!(processed.variants[0].height, 213);
        assert_eq!(processed.sha256.len(), 64);
    }

    #[test]
    fn a_rotated_photo_is_turned_upright() {
        let upload = jpeg_with_exif(400, 300, 6);
        let processed = process(&upload, UploadLimits::default()).unwrap();
        assert_eq!((processed.width, processed.height), (300, 400));
        assert!(!processed.original.windows(12).any(|w| w == b"GPS-LOCATION"));
        let decoded = image::load_from_memory(&processed.original).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (300, 400));
    }

    #[test]
    fn small_images_get_no_larger_copies() {
        let processed = process(&jpeg(300, 200), UploadLimits::default()).unwrap();
        assert!(processed.variants.is_empty());
    }

    #[test]
    fn bad_uploads_are_refused_by_content() {
        let limits = UploadLimits { max_bytes: 1000, max_dimension: 100 };
        assert_eq!(process(&[0u8; 2000], limits).unwrap_err(), MediaError::TooLarge);
        let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0";
        assert_eq!(process(elf, UploadLimits::default()).unwrap_err(), MediaError::NotAnImage);
        let pdf = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj";
        assert_eq!(process(pdf, UploadLimits::default()).unwrap_err(), MediaError::NotAnImage);
        let gif =
            b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
        assert_eq!(process(gif, UploadLimits::default()).unwrap_err(), MediaError::Unsupported);
        let mut broken = jpeg(200, 200);
        broken.truncate(300);
        assert_eq!(process(&broken, UploadLimits::default()).unwrap_err(), MediaError::Corrupt);
        let big = jpeg(300, 120);
        let strict = UploadLimits { max_bytes: 1 << 20, max_dimension: 200 };
        assert_eq!(process(&big, strict).unwrap_err(), MediaError::TooManyPixels);
    }

    #[test]
    fn png_text_chunks_are_removed() {
        let image = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(700, 10, image::Rgba([1, 2, 3, 128])));
        let mut png_bytes = Vec::new();
        image.write_to(&mut Cursor::new(&mut png_bytes), ImageFormat::Png).unwrap();
        let mut png = img_parts::png::Png::from_bytes(Bytes::from(png_bytes)).unwrap();
        let text = img_parts::png::PngChunk::new(*b"tEXt", Bytes::from_static(b"Location\0-6.89,112.05"));
        png.chunks_mut().insert(1, text);
        let upload = png.encoder().bytes().to_vec();
        let processed = process(&upload, UploadLimits::default()).unwrap();
        assert!(!processed.original.windows(8).any(|w| w == b"Location"));
        assert_eq!(processed.variants[0].mime, "image/png", "transparency kept");
    }
}
