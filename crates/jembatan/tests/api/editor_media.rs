//! Images through the editor: a phone photo's EXIF/GPS never comes back
//! from `/media`, resized copies are served for `srcset`, a file that is
//! not an image (a "PDF" that is an executable) and a 10 MB photo are
//! refused with clear messages, and a body over the whole limit gets 413.

use jembatan_domain::content::MediaId;
use jembatan_store::media as media_store;

use crate::admin_support::{kim, location, sign_up_as};
use crate::editor_support::{
    GPS_MARKER, holds, item_id, items_by, jpeg, news_fields, png, post_item, post_item_text, stored, with_gps,
};
use crate::{http_tests, http_tests_with};

http_tests! {
    async fn a_photos_gps_position_never_comes_back(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Foto").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Fotografer Desa", "kim_contributor", &kim_text).await;
        let photo = with_gps(&jpeg());
        assert!(holds(&photo, GPS_MARKER) && holds(&photo, b"Exif\0\0"));
        let mut fields = news_fields(&kim_text, "Foto Panen dari Ponsel Warga Jlodro", "35.23.01.2001");
        fields.push(("cover_caption", "Panen di Dusun Krajan."));
        let gallery_photo = png(700, 420, [200, 160, 40]);
        let response = post_item(
            &writer,
            "/tulis",
            &fields,
            vec![
                ("cover_file", "IMG_20250310.jpg", "image/jpeg", photo),
                ("gallery_file_0", "galeri.png", "image/png", gallery_photo),
            ],
            true,
        )
        .await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, item_id(&location(&response))).await;
        let cover = item.cover.expect("a cover").media;
        assert_eq!(item.gallery.len(), 1);

        let response = app.get(&format!("/media/{cover}")).await;
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "image/jpeg");
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let original = response.bytes().await.unwrap();
        assert!(original.starts_with(&[0xFF, 0xD8]));
        assert!(!holds(&original, GPS_MARKER) && !holds(&original, b"Exif\0\0"), "EXIF and GPS removed");

        let response = app.get(&format!("/media/{cover}/w320")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
        let small = response.bytes().await.unwrap();
        assert!(small.starts_with(&[0xFF, 0xD8]) && !holds(&small, GPS_MARKER));
        let stored_media = media_store::get(&app.db, cover).await.unwrap().unwrap();
        assert_eq!((stored_media.width, stored_media.height), (400, 240));
        assert_eq!(stored_media.variants.iter().map(|v| v.width).collect::<Vec<_>>(), vec![320]);

        // Wider than the photo: the original serves, so a srcset never breaks.
        let response = app.get(&format!("/media/{cover}/w1024")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.bytes().await.unwrap(), original);
        let gallery = item.gallery[0].media;
        let response = app.get(&format!("/media/{gallery}/w640")).await;
        assert_eq!((response.status().as_u16(), response.headers()["content-type"].to_str().unwrap()), (200, "image/jpeg"));

        for path in [
            format!("/media/{}", MediaId::generate()),
            format!("/media/{}/w320", MediaId::generate()),
            "/media/bukan-id".to_owned(),
            format!("/media/{cover}/w500"),
            format!("/media/{cover}/320"),
            format!("/media/{cover}/wxyz"),
        ] {
            assert_eq!(app.get(&path).await.status(), 404, "{path}");
        }
    }

    async fn files_that_are_not_photos_are_refused_by_their_content(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Berkas").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Pengirim Berkas", "kim_contributor", &kim_text).await;
        let fields = news_fields(&kim_text, "Laporan Kegiatan Posyandu Bulan Maret", "35.23.01.2001");
        // A "PDF" that is a Windows executable.
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
        exe.extend(b"This program cannot be run in DOS mode.\r\n$".repeat(20));
        let (status, html) =
            post_item_text(&writer, "/tulis", &fields, vec![("cover_file", "laporan.pdf", "application/pdf", exe)]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Foto laporan.pdf ditolak: berkas ini bukan foto"), "{html}");
        assert!(html.contains("value=\"Laporan Kegiatan Posyandu Bulan Maret\""), "the title typed is kept");
        // An executable named like a photo, in a gallery slot.
        let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x3e\x00".repeat(10);
        let (status, html) =
            post_item_text(&writer, "/tulis", &fields, vec![("gallery_file_1", "foto.jpg", "image/jpeg", elf)]).await;
        assert_eq!(status, 400);
        assert!(html.contains("id=\"gallery_file_1-error\"") && html.contains("bukan foto"));
        assert_eq!(items_by(&app, writer.id).await, 0, "nothing stored");
    }

    async fn a_ten_megabyte_photo_is_refused_with_a_clear_message(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Besar").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Pengirim Foto Besar", "kim_contributor", &kim_text).await;
        let fields = news_fields(&kim_text, "Dokumentasi Lomba Desa Tingkat Kecamatan", "35.23.01.2001");
        let mut big = jpeg();
        big.resize(10 * 1024 * 1024, 0);
        let (status, html) =
            post_item_text(&writer, "/tulis", &fields, vec![("cover_file", "lomba.jpg", "image/jpeg", big)]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Foto lomba.jpg terlalu besar (10 MB). Ukuran paling besar 8 MB"), "{html}");
        assert!(html.contains("value=\"Dokumentasi Lomba Desa Tingkat Kecamatan\""));
        assert_eq!(items_by(&app, writer.id).await, 0);
    }
}

mod small_limits {
    use super::*;

    http_tests_with! {
        [("JEMBATAN_MAX_UPLOAD_KIB", "64"), ("JEMBATAN_MAX_BODY_KIB", "64")]

        async fn a_body_over_the_whole_limit_gets_413_with_a_page(app) {
            let kim_id = kim(&app, "35.23.01.2001", "KIM Kecil").await;
            let kim_text = kim_id.to_string();
            let writer = sign_up_as(&app, "Pengirim Banyak Foto", "kim_contributor", &kim_text).await;
            let fields = news_fields(&kim_text, "Terlalu Banyak Foto Sekaligus Dikirim", "35.23.01.2001");
            // Five times 100 KiB: over 4 × 64 KiB + 64 KiB.
            let files: Vec<_> = (0..5).map(|i| ("gallery_file_0", if i == 0 { "a.jpg" } else { "b.jpg" }, "image/jpeg", vec![0u8; 100 * 1024])).collect();
            let response = post_item(&writer, "/tulis", &fields, files, true).await;
            assert_eq!(response.status(), 413);
            assert!(response.text().await.unwrap().contains("Kiriman terlalu besar"));
            // One photo over the per-file limit: the form says so and keeps the text.
            let (status, html) = post_item_text(&writer, "/tulis", &fields, vec![("cover_file", "besar.jpg", "image/jpeg", vec![0u8; 100 * 1024])]).await;
            assert_eq!(status, 400);
            assert!(html.contains("Foto besar.jpg terlalu besar"), "{html}");
            // Other routes keep the general limit.
            let response = writer.post("/akun/pemberitahuan/dibaca", &[("x", &"y".repeat(80 * 1024))]).await;
            assert_eq!(response.status(), 413);
            assert_eq!(items_by(&app, writer.id).await, 0);
        }
    }
}
