//! WordPress eXtended RSS (WXR), as WordPress's Tools → Export writes it,
//! read as a stream of XML events (quick-xml over a `BufRead`): one
//! `<item>` in memory at a time.
//!
//! Posts become items; pages, attachments, menus and trashed or automatic
//! drafts are skipped. Featured images are named by a post's
//! `_thumbnail_id` meta, the id of an attachment item that may come before
//! or after the post, so a first pass ([`Attachments::scan`]) collects the
//! attachments' addresses (one short entry per attachment) and the second
//! pass reads the posts.

use std::collections::HashMap;
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use chrono::{DateTime, NaiveDateTime, TimeZone};
use jembatan_domain::Timestamp;
use jembatan_domain::content::{ContentForm, WIB_OFFSET_SECONDS};
use quick_xml::events::Event;

use super::import::{
    Category, CountingReader, CoverRef, Notice, Parsed, Position, RawItem, decode_entities, html_to_body, html_to_text,
};

/// Longest text kept of one element (a post's content is at most 100,000
/// characters once imported; anything longer is refused anyway).
const MAX_FIELD_BYTES: usize = 2 * 1024 * 1024;

/// How reports name the form's fields for a WordPress export.
pub const FIELD_NAMES: &[(&str, &str)] = &[
    ("title", "title"),
    ("body", "content:encoded"),
    ("summary", "excerpt:encoded"),
    ("topics", "category"),
    ("published_at", "wp:post_date_gmt"),
    ("id", "wp:post_id"),
    ("regions", "--region"),
];

/// An attachment's address and caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub url: String,
    pub caption: Option<String>,
}

/// The attachments of an export, by post id.
#[derive(Debug, Clone, Default)]
pub struct Attachments {
    by_id: HashMap<String, Attachment>,
}

impl Attachments {
    /// Reads every attachment of an export (a first pass over the file).
    pub fn scan<R: BufRead>(reader: R) -> anyhow::Result<Self> {
        let mut by_id = HashMap::new();
        let counting = CountingReader::new(reader, Arc::new(AtomicU64::new(0)));
        walk(counting, &mut |item| {
            if item.post_type == "attachment" && !item.attachment_url.is_empty() {
                let caption = Some(html_to_text(&item.excerpt))
                    .filter(|c| !c.is_empty())
                    .or_else(|| item.alt.clone().filter(|a| !a.trim().is_empty()));
                by_id.insert(
                    item.post_id.trim().to_owned(),
                    Attachment { url: item.attachment_url.trim().to_owned(), caption },
                );
            }
            true
        })
        .map_err(|(line, e)| anyhow::anyhow!("line {line}: {e}"))?;
        Ok(Attachments { by_id })
    }

    pub fn get(&self, id: &str) -> Option<&Attachment> {
        self.by_id.get(id.trim())
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

/// The raw fields of one `<item>`.
#[derive(Debug, Default)]
struct WxrItem {
    line: u64,
    title: String,
    pub_date: String,
    creator: String,
    content: String,
    excerpt: String,
    post_id: String,
    post_date: String,
    post_date_gmt: String,
    status: String,
    post_type: String,
    attachment_url: String,
    /// (domain, nicename, name).
    categories: Vec<(String, String, String)>,
    thumbnail_id: Option<String>,
    alt: Option<String>,
    meta_key: String,
    meta_value: String,
    category_attrs: (String, String),
    /// The author's e-mail, from the channel's `<wp:author>` list.
    creator_email: Option<String>,
    /// Elements longer than [`MAX_FIELD_BYTES`].
    overlong: Vec<String>,
    /// The site's address, with the first item only.
    site: Option<String>,
}

/// Walks an export: `on_item` gets each item, the first with the site's
/// address (return false to stop). An error is the line and what is wrong.
fn walk<R: BufRead>(reader: CountingReader<R>, on_item: &mut dyn FnMut(WxrItem) -> bool) -> Result<(), (u64, String)> {
    let mut xml = quick_xml::Reader::from_reader(reader);
    xml.config_mut().trim_text(false);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut path: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut overflow = false;
    let mut item: Option<WxrItem> = None;
    let mut site = (String::new(), String::new(), String::new()); // link, base_site_url, base_blog_url
    let mut site_sent = false;
    let mut authors: HashMap<String, String> = HashMap::new();
    let mut author = (String::new(), String::new()); // login, email
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| (xml.get_ref().line(), e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = start.name().as_ref().to_owned();
                text.clear();
                overflow = false;
                let in_channel = path.len() == 2 && path[1] == "channel";
                if name == "item" && in_channel {
                    let mut opened = WxrItem { line: xml.get_ref().line(), ..WxrItem::default() };
                    if !site_sent {
                        site_sent = true;
                        let address = [&site.0, &site.1, &site.2].into_iter().find(|s| !s.trim().is_empty());
                        opened.site = address.map(|a| site_name(a));
                    }
                    item = Some(opened);
                } else if name == "category"
                    && let Some(item) = item.as_mut()
                {
                    let attr = |key: &str| {
                        start
                            .try_get_attribute(key)
                            .ok()
                            .flatten()
                            .and_then(|a| {
                                a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
                            })
                            .unwrap_or_default()
                    };
                    item.category_attrs = (attr("domain"), attr("nicename"));
                } else if name == "wp:postmeta"
                    && let Some(item) = item.as_mut()
                {
                    item.meta_key.clear();
                    item.meta_value.clear();
                } else if name == "wp:author" && in_channel {
                    author = (String::new(), String::new());
                }
                path.push(name);
            }
            Event::End(end) => {
                let name = end.name().as_ref().to_owned();
                path.pop();
                let parent = path.last().map(String::as_str).unwrap_or_default();
                let value = std::mem::take(&mut text);
                if let Some(current) = item.as_mut() {
                    if overflow {
                        current.overlong.push(name.clone());
                    }
                    match (parent, name.as_str()) {
                        ("channel", "item") => {
                            let mut done = item.take().expect("an item is open");
                            if !done.creator.is_empty() {
                                done.creator_email = authors.get(done.creator.trim()).cloned();
                            }
                            if !on_item(done) {
                                return Ok(());
                            }
                        }
                        ("item", "title") => current.title = value,
                        ("item", "pubDate") => current.pub_date = value,
                        ("item", "dc:creator") => current.creator = value,
                        ("item", "content:encoded") => current.content = value,
                        ("item", "excerpt:encoded") => current.excerpt = value,
                        ("item", "wp:post_id") => current.post_id = value,
                        ("item", "wp:post_date") => current.post_date = value,
                        ("item", "wp:post_date_gmt") => current.post_date_gmt = value,
                        ("item", "wp:status") => current.status = value,
                        ("item", "wp:post_type") => current.post_type = value,
                        ("item", "wp:attachment_url") => current.attachment_url = value,
                        ("item", "category") => {
                            let (domain, nicename) = std::mem::take(&mut current.category_attrs);
                            current.categories.push((domain, nicename, value));
                        }
                        ("wp:postmeta", "wp:meta_key") => current.meta_key = value,
                        ("wp:postmeta", "wp:meta_value") => current.meta_value = value,
                        ("item", "wp:postmeta") => match current.meta_key.trim() {
                            "_thumbnail_id" => current.thumbnail_id = Some(current.meta_value.trim().to_owned()),
                            "_wp_attachment_image_alt" => current.alt = Some(current.meta_value.clone()),
                            _ => {}
                        },
                        _ => {}
                    }
                } else {
                    match (parent, name.as_str()) {
                        ("channel", "link") => site.0 = value,
                        ("channel", "wp:base_site_url") => site.1 = value,
                        ("channel", "wp:base_blog_url") => site.2 = value,
                        ("wp:author", "wp:author_login") => author.0 = value,
                        ("wp:author", "wp:author_email") => author.1 = value,
                        ("channel", "wp:author") => {
                            let (login, email) = std::mem::take(&mut author);
                            if !login.trim().is_empty() && !email.trim().is_empty() {
                                authors.insert(login.trim().to_owned(), email.trim().to_owned());
                            }
                        }
                        _ => {}
                    }
                }
            }
            Event::Text(t) => push_text(&mut text, &mut overflow, &t.xml10_content()),
            Event::CData(t) => push_text(&mut text, &mut overflow, &t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match quick_xml::escape::resolve_predefined_entity(&r) {
                        Some(s) => s.to_owned(),
                        // HTML entities some exports leave unescaped.
                        None => decode_entities(&format!("&{};", &*r)),
                    },
                };
                push_text(&mut text, &mut overflow, &resolved);
            }
            Event::Eof => {
                if !path.is_empty() {
                    return Err((xml.get_ref().line(), format!("the file ends inside <{}>", path.join("><"))));
                }
                return Ok(());
            }
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
}

fn push_text(text: &mut String, overflow: &mut bool, piece: &str) {
    if text.len() + piece.len() > MAX_FIELD_BYTES {
        *overflow = true;
    } else {
        text.push_str(piece);
    }
}

/// The source name of a site: `wordpress:` and its address without scheme
/// and trailing slash (`wordpress:kimmaju.kim.id`).
pub fn site_name(address: &str) -> String {
    let address = address.trim();
    let bare = address.split_once("://").map(|(_, rest)| rest).unwrap_or(address);
    let bare = bare.trim_end_matches('/');
    let name = format!("wordpress:{bare}");
    name.chars().take(200).collect()
}

/// A WordPress GMT time (`2024-03-05 02:30:00`); `None` for the zero date drafts carry.
fn parse_gmt(raw: &str) -> Result<Option<Timestamp>, ()> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with("0000-00-00") {
        return Ok(None);
    }
    let at = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").map_err(|_| ())?;
    plausible(at.and_utc().timestamp_millis())
}

/// A WordPress local time, read in WIB (the site's zone is not exported).
fn parse_local(raw: &str) -> Result<Option<Timestamp>, ()> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with("0000-00-00") {
        return Ok(None);
    }
    let at = NaiveDateTime::parse_from_str(raw, "%Y-%m-%d %H:%M:%S").map_err(|_| ())?;
    let wib = chrono::FixedOffset::east_opt(WIB_OFFSET_SECONDS).ok_or(())?;
    let at = wib.from_local_datetime(&at).single().ok_or(())?;
    plausible(at.timestamp_millis())
}

/// An RSS date (`Tue, 05 Mar 2024 02:30:00 +0000`).
fn parse_rfc2822(raw: &str) -> Result<Option<Timestamp>, ()> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let at = DateTime::parse_from_rfc2822(raw).map_err(|_| ())?;
    plausible(at.timestamp_millis())
}

fn plausible(millis: i64) -> Result<Option<Timestamp>, ()> {
    // 1990-01-01 .. 2100-01-01, as typed dates are checked.
    if (631_152_000_000..4_102_444_800_000).contains(&millis) { Ok(Some(Timestamp(millis))) } else { Err(()) }
}

/// Reads an export and hands over its posts as items (`kind`: the type
/// they become); `send` returns false to stop.
pub fn parse<R: BufRead>(
    reader: CountingReader<R>,
    attachments: Option<&Attachments>,
    kind: &str,
    send: &mut dyn FnMut(Parsed) -> bool,
) {
    let outcome = walk(reader, &mut |mut item| {
        // The site's address comes with the first item, and is sent before it.
        if let Some(site) = item.site.take()
            && !send(Parsed::Source(site))
        {
            return false;
        }
        send(convert(item, attachments, kind))
    });
    if let Err((line, reason)) = outcome {
        send(Parsed::Fatal(Notice::error(
            &Position::Post { id: None, line },
            None,
            format!("the XML cannot be read further: {reason}"),
        )));
    }
}

fn convert(item: WxrItem, attachments: Option<&Attachments>, kind: &str) -> Parsed {
    let id = Some(item.post_id.trim().to_owned()).filter(|id| !id.is_empty());
    let position = Position::Post { id: id.clone(), line: item.line };
    let post_type = match item.post_type.trim() {
        "" => "post",
        other => other,
    };
    let status = item.status.trim();
    if post_type != "post" || matches!(status, "trash" | "auto-draft" | "inherit") {
        return Parsed::Skipped(position);
    }
    let mut errors = Vec::new();
    let Some(id) = id else {
        errors.push(Notice::error(&position, Some("wp:post_id"), "required"));
        return Parsed::Invalid(errors);
    };
    for element in &item.overlong {
        errors.push(Notice::error(&position, Some(element), format!("longer than {MAX_FIELD_BYTES} bytes")));
    }
    let published = status == "publish";
    let mut warnings = Vec::new();
    // The date: GMT, else the RSS date, else the local date (read in WIB).
    let mut published_at = None;
    let mut bad = Vec::new();
    for (field, parsed) in [
        ("wp:post_date_gmt", parse_gmt(&item.post_date_gmt)),
        ("pubDate", parse_rfc2822(&item.pub_date)),
        ("wp:post_date", parse_local(&item.post_date)),
    ] {
        match parsed {
            Ok(Some(at)) => {
                published_at = Some(at);
                break;
            }
            Ok(None) => {}
            Err(()) => bad.push(field),
        }
    }
    let mut date_error = None;
    match (published_at, bad.first()) {
        (None, Some(field)) => date_error = Some(((*field).to_owned(), "invalid date".to_owned())),
        (Some(_), Some(field)) if published => {
            warnings.push(("published_at".to_owned(), format!("{field} is not a date; a later date field is used")))
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Parsed::Invalid(errors);
    }
    let (body, images) = html_to_body(&item.content);
    if images > 0 {
        warnings.push(("body".to_owned(), format!("{images} inline image(s) left out (their files are not imported)")));
    }
    let mut categories = Vec::new();
    let mut tags = Vec::new();
    for (domain, nicename, name) in item.categories {
        let entry =
            Category { name: html_to_text(&name), slug: Some(nicename.trim().to_owned()).filter(|s| !s.is_empty()) };
        match domain.as_str() {
            "category" => categories.push(entry),
            "post_tag" => tags.push(entry),
            _ => {}
        }
    }
    let cover = item.thumbnail_id.filter(|t| !t.is_empty() && t != "0").map(|thumbnail| match attachments {
        None => CoverRef::NoMediaDir,
        Some(index) => match index.get(&thumbnail) {
            Some(found) => CoverRef::Url { url: found.url.clone(), caption: found.caption.clone() },
            None => CoverRef::MissingAttachment(thumbnail),
        },
    });
    let form = ContentForm {
        kind: kind.to_owned(),
        title: html_to_text(&item.title),
        summary: html_to_text(&item.excerpt),
        body,
        ..ContentForm::default()
    };
    Parsed::Item(
        position,
        Box::new(RawItem {
            id,
            form,
            categories,
            tags,
            published_at,
            published,
            author_email: item.creator_email,
            cover,
            warnings,
            date_error,
            field_names: FIELD_NAMES,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_in_their_zones() {
        assert_eq!(parse_gmt("2024-03-05 02:30:00").unwrap().unwrap().to_rfc3339(), "2024-03-05T02:30:00Z");
        assert_eq!(parse_gmt("0000-00-00 00:00:00"), Ok(None));
        assert!(parse_gmt("2024-13-45 99:00:00").is_err());
        assert_eq!(parse_local("2024-03-05 09:30:00").unwrap().unwrap().to_rfc3339(), "2024-03-05T02:30:00Z");
        assert_eq!(
            parse_rfc2822("Tue, 05 Mar 2024 02:30:00 +0000").unwrap().unwrap().to_rfc3339(),
            "2024-03-05T02:30:00Z"
        );
        assert!(parse_gmt("1970-01-01 00:00:00").is_err(), "implausible");
    }

    #[test]
    fn a_site_address_names_the_source() {
        assert_eq!(site_name("https://kimmaju.kim.id/"), "wordpress:kimmaju.kim.id");
        assert_eq!(site_name("http://desa.id/kim"), "wordpress:desa.id/kim");
    }
}
