//! Contract tests of stored images, on SQLite and PostgreSQL alike: the
//! stripped original and its variants live in the database, identical
//! uploads are stored once, and what is not an allowed image is refused.

use jembatan_domain::content::{ContentForm, MediaId};
use jembatan_domain::kim::KimForm;
use jembatan_domain::{UserId, ValidationCode};
use jembatan_store::media::{self, NewMedia, NewVariant};
use jembatan_store::{Db, StoreError, content, contract_tests, exec, kims};

fn jpeg(seed: u8, len: usize) -> Vec<u8> {
    // Bytes shaped like a JPEG; the store does not decode, the web layer does.
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xDB];
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    bytes.extend([0xFF, 0xD9]);
    bytes
}

fn photo(seed: u8) -> NewMedia {
    NewMedia {
        mime: "image/jpeg".into(),
        width: 1600,
        height: 1200,
        bytes: jpeg(seed, 50_000),
        variants: vec![
            NewVariant { width: 480, height: 360, mime: "image/webp".into(), bytes: jpeg(seed.wrapping_add(1), 4_000) },
            NewVariant { width: 480, height: 360, mime: "image/jpeg".into(), bytes: jpeg(seed.wrapping_add(2), 6_000) },
            NewVariant {
                width: 960,
                height: 720,
                mime: "image/webp".into(),
                bytes: jpeg(seed.wrapping_add(3), 12_000),
            },
        ],
    }
}

async fn store(db: &Db, new: NewMedia, by: Option<UserId>) -> Result<media::Stored, StoreError> {
    db.write(move |tx| Box::pin(async move { media::store(tx, &new, by).await })).await
}

async fn user(db: &Db) -> UserId {
    let id = UserId::generate();
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query("INSERT INTO users (id, name, created_at, updated_at) VALUES ($1, 'Siti', 0, 0)")
                    .bind(id.to_string())
            )?;
            Ok(())
        })
    })
    .await
    .unwrap();
    id
}

contract_tests! {
    async fn an_image_and_its_variants_are_stored_once_in_the_database(db) {
        let uploader = user(&db).await;
        let stored = store(&db, photo(7), Some(uploader)).await.unwrap();
        assert!(stored.created);
        let m = &stored.media;
        assert_eq!((m.mime.as_str(), m.width, m.height, m.byte_size), ("image/jpeg", 1600, 1200, 50_006));
        assert_eq!(m.sha256, media::sha256_hex(&photo(7).bytes));
        assert_eq!(m.uploaded_by, Some(uploader));
        assert_eq!(
            m.variants.iter().map(|v| (v.width, v.mime.as_str())).collect::<Vec<_>>(),
            [(480, "image/jpeg"), (480, "image/webp"), (960, "image/webp")]
        );
        assert_eq!(media::get(&db, m.id).await.unwrap().as_ref(), Some(m));

        let original = media::original(&db, m.id).await.unwrap().unwrap();
        assert_eq!((original.mime.as_str(), original.bytes), ("image/jpeg", photo(7).bytes));
        let webp = media::variant(&db, m.id, 480, Some("image/webp")).await.unwrap().unwrap();
        assert_eq!(webp.bytes, photo(7).variants[0].bytes);
        let any = media::variant(&db, m.id, 960, None).await.unwrap().unwrap();
        assert_eq!(any.mime, "image/webp");
        assert!(media::variant(&db, m.id, 320, None).await.unwrap().is_none());
        assert!(media::get(&db, MediaId::generate()).await.unwrap().is_none());

        let again = store(&db, photo(7), None).await.unwrap();
        assert!(!again.created);
        assert_eq!(again.media.id, m.id, "the same bytes are stored once");
        assert_eq!(media::find_by_sha256(&db, &m.sha256.to_uppercase()).await.unwrap(), Some(m.id));
        let other = store(&db, photo(8), None).await.unwrap();
        assert!(other.created && other.media.id != m.id);

        // The change log as caches follow it (read directly: on PostgreSQL `since`
        // waits for every older transaction of the cluster to end).
        let logged: i64 = db
            .write(|tx| {
                Box::pin(async move {
                    Ok(jembatan_store::on_tx!(tx, conn => sqlx::query_scalar("SELECT COUNT(*) FROM changes WHERE entity = 'media'")
                        .fetch_one(conn)
                        .await)?)
                })
            })
            .await
            .unwrap();
        assert_eq!(logged, 2);
    }

    async fn what_is_not_an_allowed_image_is_refused(db) {
        let refusals = [
            NewMedia { mime: "image/svg+xml".into(), ..photo(1) },
            NewMedia { mime: "text/html".into(), ..photo(1) },
            NewMedia { width: 0, ..photo(1) },
            NewMedia { bytes: Vec::new(), ..photo(1) },
            NewMedia {
                variants: vec![NewVariant { width: 480, height: 360, mime: "image/gif".into(), bytes: vec![1] }],
                ..photo(1)
            },
        ];
        for new in refusals {
            match store(&db, new, None).await {
                Err(StoreError::Invalid(e)) => assert_eq!((e.field.as_str(), e.code), ("file", ValidationCode::InvalidChoice)),
                other => panic!("expected Invalid, got {other:?}"),
            }
        }
        // Location metadata never reaches storage, whoever calls.
        let mut with_gps = vec![0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x10];
        with_gps.extend(b"Exif\0\0MM\0*GPS\0");
        with_gps.extend([0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9]);
        match store(&db, NewMedia { bytes: with_gps, ..photo(1) }, None).await {
            Err(StoreError::Invalid(e)) => assert_eq!((e.field.as_str(), e.code), ("file", ValidationCode::InvalidChoice)),
            other => panic!("expected Invalid, got {other:?}"),
        }
        let huge = NewMedia { bytes: vec![0; media::MAX_BYTES + 1], ..photo(1) };
        match store(&db, huge, None).await {
            Err(StoreError::Invalid(e)) => assert_eq!(e.code, ValidationCode::TooLong),
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert!(media::find_by_sha256(&db, &media::sha256_hex(&photo(1).bytes)).await.unwrap().is_none());
    }

    async fn an_item_shows_stored_photos_with_captions(db) {
        let author = user(&db).await;
        let new_kim = KimForm {
            name: "KIM Jlodro Maju".into(),
            village: "35.23.01.2001".into(),
            ..KimForm::default()
        }
        .validate()
        .unwrap();
        let kim = db.write(move |tx| Box::pin(async move { kims::register(tx, &new_kim, None).await })).await.unwrap().id();
        let cover = store(&db, photo(3), Some(author)).await.unwrap().media.id;
        let second = store(&db, photo(4), Some(author)).await.unwrap().media.id;
        let draft = ContentForm {
            kind: "berita".into(),
            title: "Panen Raya Jagung di Desa Jlodro".into(),
            body: "Petani memanen jagung.".into(),
            regions: vec!["35.23.01.2001".into()],
            topics: vec!["pertanian".into()],
            cover_media: cover.to_string(),
            cover_caption: "Petani memanen jagung di sawah Dusun Krajan.".into(),
            gallery: vec![
                jembatan_domain::content::ImageForm { media: second.to_string(), caption: "Jagung pipil dijemur.".into() },
                jembatan_domain::content::ImageForm { media: cover.to_string(), caption: String::new() },
            ],
            ..ContentForm::default()
        }
        .validate()
        .unwrap();
        let c = db.write(move |tx| Box::pin(async move { content::create(tx, kim, Some(author), &draft).await })).await.unwrap();
        let cover_image = c.cover.clone().unwrap();
        assert_eq!((cover_image.media, cover_image.caption.as_deref()), (cover, Some("Petani memanen jagung di sawah Dusun Krajan.")));
        assert_eq!(c.gallery.iter().map(|g| (g.media, g.caption.clone())).collect::<Vec<_>>(), [(second, Some("Jagung pipil dijemur.".into())), (cover, None)]);
        let unknown = ContentForm {
            kind: "berita".into(),
            title: "Judul".into(),
            body: "Isi.".into(),
            regions: vec!["35.23.01.2001".into()],
            topics: vec!["pertanian".into()],
            gallery: vec![jembatan_domain::content::ImageForm { media: MediaId::generate().to_string(), caption: String::new() }],
            ..ContentForm::default()
        }
        .validate()
        .unwrap();
        let refused = db.write(move |tx| Box::pin(async move { content::create(tx, kim, Some(author), &unknown).await })).await;
        assert!(matches!(refused, Err(StoreError::Invalid(ref e)) if e.field == "gallery"), "{refused:?}");
    }
}
