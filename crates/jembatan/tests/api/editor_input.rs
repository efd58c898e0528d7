//! Bad input to the editor: every refusal is named in Indonesian beside its
//! field, what was typed (and the photos already uploaded) comes back, and
//! nothing stored changes. Also scripts in Markdown (stripped on the page,
//! kept in the stored text), a concurrent edit by two reviewers (the second
//! gets a conflict, nothing is overwritten), and forms without their CSRF
//! token.

use jembatan_domain::content::ContentStatus;

use crate::admin_support::{kim, location, sign_up_as};
use crate::editor_support::{item_id, items_by, jpeg, news_fields, png, post_item, post_item_text, stored, submitted};
use crate::helpers::hidden_value;
use crate::http_tests;

http_tests! {
    async fn refused_items_keep_what_was_typed_and_store_nothing(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Jlodro").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Penulis Teliti", "kim_contributor", &kim_text).await;
        let body = "Warga Dusun Krajan bergotong royong memperbaiki jembatan bambu.";
        let with = |changes: &[(&'static str, &'static str)]| {
            let mut fields = news_fields(&kim_text, "Gotong Royong Memperbaiki Jembatan", "35.23.01.2001");
            for &(name, value) in changes {
                fields.retain(|(n, _)| *n != name);
                fields.push((name, value));
            }
            fields.retain(|(n, _)| *n != "body");
            fields.push(("body", body));
            fields
        };

        // A title of 10,000 characters.
        let long_title = "Panjang ".repeat(1250);
        let mut fields = with(&[]);
        fields.retain(|(n, _)| *n != "title");
        fields.push(("title", &long_title));
        let (status, html) = post_item_text(&writer, "/tulis", &fields, vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Ada isian yang perlu diperbaiki"));
        assert!(html.contains("Judul terlalu panjang: paling banyak 200 karakter."), "{html}");
        assert!(html.contains("id=\"title-error\""));
        assert!(html.contains(body), "the body typed is kept");

        // Unknown, malformed and out-of-reach regions; an unknown topic.
        let (status, html) = post_item_text(&writer, "/tulis", &with(&[("regions", "35.23.99.9999")]), vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah 35.23.99.9999 tidak dikenal."), "{html}");
        assert!(html.contains("35.23.99.9999</textarea>"), "the codes typed are kept");
        let (status, html) = post_item_text(&writer, "/tulis", &with(&[("regions", "35.2, 35.23.01")]), vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah tidak valid."));
        let (status, html) = post_item_text(&writer, "/tulis", &with(&[("regions", "35.23.02.2001")]), vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("di luar jangkauan"), "a KIM reaches its own district only");
        let (status, html) = post_item_text(&writer, "/tulis", &with(&[("topics", "gosip")]), vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Topik tidak dikenal."), "{html}");

        // A broken photo: refused by its content, with the file named.
        let mut broken = jpeg();
        broken.truncate(300);
        let (status, html) = post_item_text(&writer, "/tulis", &with(&[]), vec![("cover_file", "rusak.jpg", "image/jpeg", broken)]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Foto rusak.jpg ditolak") && html.contains("rusak atau tidak lengkap"), "{html}");
        assert!(html.contains("id=\"cover_file-error\""));
        assert_eq!(items_by(&app, writer.id).await, 0, "nothing was stored");

        // A good photo with a refused form: the photo is kept by its id and
        // need not be sent again.
        let mut fields = with(&[]);
        fields.retain(|(n, _)| *n != "title");
        fields.push(("title", ""));
        fields.push(("cover_caption", "Jembatan bambu Dusun Krajan."));
        let photo = png(640, 400, [120, 90, 40]);
        let (status, html) = post_item_text(&writer, "/tulis", &fields, vec![("cover_file", "jembatan.png", "image/png", photo)]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Wajib diisi."));
        let media = hidden_value(&html, "cover_media").expect("the uploaded photo is kept in a hidden field");
        assert!(html.contains("Jembatan bambu Dusun Krajan."));
        assert_eq!(items_by(&app, writer.id).await, 0);
        let mut fields = with(&[]);
        fields.push(("cover_media", &media));
        fields.push(("cover_caption", "Jembatan bambu Dusun Krajan."));
        let response = post_item(&writer, "/tulis", &fields, vec![], true).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, item_id(&location(&response))).await;
        assert_eq!(item.cover.map(|c| c.media.to_string()), Some(media));
        assert_eq!(items_by(&app, writer.id).await, 1);

        // A refused edit changes nothing stored.
        let mut fields = with(&[("regions", "99.99")]);
        fields.push(("version", "1"));
        let (status, html) = post_item_text(&writer, &format!("/tulis/{}", item.id), &fields, vec![]).await;
        assert_eq!(status, 400);
        assert!(html.contains("Kode wilayah 99.99 tidak dikenal."), "{html}");
        let again = stored(&app, item.id).await;
        assert_eq!((again.version, again.regions.len()), (1, 1));
    }

    async fn scripts_in_markdown_are_stripped_on_the_page_and_kept_in_the_text(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Aman").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Penulis Iseng", "kim_contributor", &kim_text).await;
        let body = "Halo **warga** <script>alert('x')</script> <img src=x onerror=\"alert(1)\"> [klik](javascript:alert(2))";
        let mut fields = news_fields(&kim_text, "Uji Tulisan dengan Skrip Berbahaya", "35.23.01.2001");
        fields.retain(|(n, _)| *n != "body");
        fields.push(("body", body));
        let response = post_item(&writer, "/tulis", &fields, vec![], true).await;
        assert_eq!(response.status(), 303);
        let item = stored(&app, item_id(&location(&response))).await;
        assert_eq!(item.body, body, "the stored text is what was typed");
        assert!(!item.body_html.contains("<script") && !item.body_html.contains("onerror"));
        let (status, html) = writer.get_text(&format!("/tulis/{}", item.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains("<strong>warga</strong>"), "the preview renders Markdown");
        for banned in ["<script>alert", "onerror=\"alert", "href=\"javascript:"] {
            assert!(!html.contains(banned), "{banned} reached the page");
        }
        assert!(html.contains("&#60;script&#62;alert"), "the textarea shows the text as typed, escaped: {html}");
    }

    async fn a_second_reviewer_saving_a_stale_form_gets_a_conflict(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Bentrok").await;
        let kim_text = kim_id.to_string();
        let manager = sign_up_as(&app, "Ketua Pertama", "kim_manager", &kim_text).await;
        let admin = sign_up_as(&app, "Admin Provinsi", "province_admin", "35").await;
        let id = submitted(&app, kim_id, None, "Rencana Perbaikan Jalan Desa", "35.23.01.2001").await;
        let path = format!("/tulis/{id}");

        // Both open the page at version 1.
        let (_, first_page) = manager.get_text(&path).await;
        let (_, second_page) = admin.get_text(&path).await;
        assert_eq!(hidden_value(&first_page, "version").as_deref(), Some("1"));
        assert_eq!(hidden_value(&second_page, "version").as_deref(), Some("1"));

        let mut first = news_fields(&kim_text, "Rencana Perbaikan Jalan Desa Jlodro 2025", "35.23.01.2001");
        first.push(("version", "1"));
        let response = post_item(&manager, &path, &first, vec![], true).await;
        assert_eq!(response.status(), 303);

        let mut second = news_fields(&kim_text, "Judul Versi Admin Provinsi", "35.23.01.2001");
        second.retain(|(n, _)| *n != "body");
        second.push(("body", "Teks yang diketik admin provinsi."));
        second.push(("version", "1"));
        let (status, html) = post_item_text(&admin, &path, &second, vec![]).await;
        assert_eq!(status, 409);
        assert!(html.contains("sudah diubah orang lain sejak Anda membukanya"), "{html}");
        assert!(html.contains("value=\"Judul Versi Admin Provinsi\"") && html.contains("Teks yang diketik admin provinsi."), "typed text kept");
        let item = stored(&app, id).await;
        assert_eq!((item.title.as_str(), item.version), ("Rencana Perbaikan Jalan Desa Jlodro 2025", 2), "nothing overwritten");

        // A workflow step on a stale page: the item moved on meanwhile.
        let response = manager.post(&format!("{path}/terbitkan"), &[("version", "2")]).await;
        assert_eq!(response.status(), 303);
        let (status, html) = admin.post_text(&format!("{path}/kembalikan"), &[("version", "1"), ("comment", "Perbaiki judul.")]).await;
        assert_eq!(status, 409);
        assert!(html.contains("sudah diubah orang lain sejak halaman ini dibuka"), "{html}");
        assert!(html.contains("Perbaiki judul."), "the comment typed is kept");
        let (status, html) = admin.post_text(&format!("{path}/kembalikan"), &[("version", "2"), ("comment", "Perbaiki judul.")]).await;
        assert_eq!(status, 400, "a published item is not returned");
        assert!(html.contains("tidak dapat dilakukan pada status tulisan saat ini"), "{html}");
        assert_eq!(stored(&app, id).await.status, ContentStatus::Published);
    }

    async fn forms_without_their_csrf_token_are_refused(app) {
        let kim_id = kim(&app, "35.23.01.2001", "KIM Token").await;
        let kim_text = kim_id.to_string();
        let writer = sign_up_as(&app, "Penulis Token", "kim_contributor", &kim_text).await;
        let fields = news_fields(&kim_text, "Tulisan Tanpa Token Keamanan", "35.23.01.2001");
        let response = post_item(&writer, "/tulis", &fields, vec![("cover_file", "a.png", "image/png", png(10, 10, [0, 0, 0]))], false).await;
        assert_eq!(response.status(), 403);
        let mut forged = fields.clone();
        forged.push(("csrf", "bukan-token-sesi"));
        let response = post_item(&writer, "/tulis", &forged, vec![], false).await;
        assert_eq!(response.status(), 403);
        assert_eq!(items_by(&app, writer.id).await, 0);

        let id = crate::editor_support::draft(&app, kim_id, Some(writer.id), "Draf Bertoken", "35.23.01.2001").await;
        let response = writer.post_raw(&format!("/tulis/{id}/ajukan"), &[("version", "1")]).await;
        assert_eq!(response.status(), 403);
        let response = writer.post_raw(&format!("/tulis/{id}/komentar"), &[("comment", "Halo")]).await;
        assert_eq!(response.status(), 403);
        let mut edit = news_fields(&kim_text, "Judul Baru Tanpa Token", "35.23.01.2001");
        edit.push(("version", "1"));
        assert_eq!(post_item(&writer, &format!("/tulis/{id}"), &edit, vec![], false).await.status(), 403);
        let item = stored(&app, id).await;
        assert_eq!((item.status, item.version, item.title.as_str()), (ContentStatus::Draft, 1, "Draf Bertoken"));
    }
}
