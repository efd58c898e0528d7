//! JSON Lines: one item a line, in the shape `/api/v1/content` gives items
//! (`id`, `kind`, `title`, `summary`, `body` (Markdown) or `body_html`,
//! `topics`, `regions`, `published_at`, `language`, `provenance`,
//! `source`, `agenda`, `product`; lists of strings or of objects with a
//! `slug`/`code`). Read line by line with a bounded buffer: a line longer
//! than [`MAX_LINE_BYTES`] is reported and skipped without being held.

use std::io::BufRead;

use jembatan_domain::Timestamp;
use jembatan_domain::content::{ContentForm, parse_datetime};
use serde_json::{Map, Value};

use super::import::{Category, CountingReader, Notice, Parsed, Position, RawItem, html_to_body};

/// Longest line read (an item's body is at most 100,000 characters).
pub const MAX_LINE_BYTES: usize = 4 * 1024 * 1024;

/// Field names when the body came as Markdown.
const FIELDS_MARKDOWN: &[(&str, &str)] = &[];
/// Field names when the body came as HTML.
const FIELDS_HTML: &[(&str, &str)] = &[("body", "body_html")];

/// What reading one line gave.
enum Line {
    Read,
    TooLong,
    End,
}

/// Reads up to the next new line into `line` (without it); past `max`
/// bytes the rest of the line is consumed and dropped.
fn read_line<R: BufRead>(reader: &mut R, line: &mut Vec<u8>, max: usize) -> std::io::Result<Line> {
    line.clear();
    let mut any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong,
                (true, false) => Line::Read,
            });
        }
        any = true;
        let (piece, found) = match available.iter().position(|b| *b == b'\n') {
            Some(at) => (&available[..at], Some(at)),
            None => (available, None),
        };
        if !too_long {
            if line.len() + piece.len() > max {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(piece);
            }
        }
        match found {
            Some(at) => {
                reader.consume(at + 1);
                return Ok(if too_long { Line::TooLong } else { Line::Read });
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

/// Reads JSON Lines and hands over one item per non-blank line; `send`
/// returns false to stop.
pub fn parse<R: BufRead>(mut reader: CountingReader<R>, send: &mut dyn FnMut(Parsed) -> bool) {
    let mut line = Vec::with_capacity(16 * 1024);
    let mut number = 0u64;
    loop {
        number += 1;
        let position = Position::Line(number);
        let parsed = match read_line(&mut reader, &mut line, MAX_LINE_BYTES) {
            Err(e) => {
                send(Parsed::Fatal(Notice::error(&position, None, format!("cannot read further: {e}"))));
                return;
            }
            Ok(Line::End) => return,
            Ok(Line::TooLong) => Parsed::Invalid(vec![Notice::error(
                &position,
                None,
                format!("longer than {} MiB", MAX_LINE_BYTES / (1024 * 1024)),
            )]),
            Ok(Line::Read) => {
                let text = line.strip_suffix(b"\r").unwrap_or(&line);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                item(&position, text)
            }
        };
        if !send(parsed) {
            return;
        }
    }
}

/// One line as an item.
fn item(position: &Position, line: &[u8]) -> Parsed {
    let value: Value = match serde_json::from_slice(line) {
        Ok(value) => value,
        Err(e) => return Parsed::Invalid(vec![Notice::error(position, None, format!("invalid JSON: {e}"))]),
    };
    let Value::Object(object) = value else {
        return Parsed::Invalid(vec![Notice::error(position, None, "not a JSON object")]);
    };
    match read_item(&object) {
        Ok(raw) => Parsed::Item(position.clone(), Box::new(raw)),
        Err(errors) => Parsed::Invalid(
            errors.into_iter().map(|(field, reason)| Notice::error(position, Some(&field), reason)).collect(),
        ),
    }
}

type Problems = Vec<(String, String)>;

/// A text field: a string, a number written as text, or absent/null.
fn text(object: &Map<String, Value>, key: &str, problems: &mut Problems) -> String {
    match object.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => {
            problems.push((key.to_owned(), "expected text".to_owned()));
            String::new()
        }
    }
}

/// A list of strings, or of objects naming the value under `inner`
/// (`{"slug": ...}`), or one comma-separated string.
fn list(object: &Map<String, Value>, key: &str, inner: &[&str], problems: &mut Problems) -> Vec<String> {
    let entry = |value: &Value| -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => inner.iter().find_map(|k| o.get(*k).and_then(Value::as_str)).map(str::to_owned),
            _ => None,
        }
    };
    match object.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => s.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for value in items {
                match entry(value) {
                    Some(v) => out.push(v),
                    None => {
                        problems
                            .push((key.to_owned(), format!("expected strings or objects with {}", inner.join("/"))));
                        return Vec::new();
                    }
                }
            }
            out
        }
        Some(_) => {
            problems.push((key.to_owned(), "expected a list".to_owned()));
            Vec::new()
        }
    }
}

/// A time: RFC 3339 (or `YYYY-MM-DDTHH:MM` in WIB), or Unix milliseconds.
fn time(value: Option<&Value>, key: &str, problems: &mut Problems) -> Option<Timestamp> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match parse_datetime(key, s) {
            Ok(t) => Some(t),
            Err(_) => {
                problems.push((key.to_owned(), "invalid date".to_owned()));
                None
            }
        },
        Some(Value::Number(n)) => match n.as_i64() {
            Some(millis) => Some(Timestamp(millis)),
            None => {
                problems.push((key.to_owned(), "invalid date".to_owned()));
                None
            }
        },
        Some(_) => {
            problems.push((key.to_owned(), "invalid date".to_owned()));
            None
        }
    }
}

/// A time as the form takes it (RFC 3339).
fn time_text(value: Option<&Value>, key: &str, problems: &mut Problems) -> String {
    match value {
        Some(Value::Number(_)) => time(value, key, problems).map(Timestamp::to_rfc3339).unwrap_or_default(),
        Some(Value::String(s)) => s.clone(),
        None | Some(Value::Null) => String::new(),
        Some(_) => {
            problems.push((key.to_owned(), "invalid date".to_owned()));
            String::new()
        }
    }
}

/// `object[group][key]`, else `object[key]`.
fn nested<'a>(object: &'a Map<String, Value>, group: &str, key: &str) -> Option<&'a Value> {
    object.get(group).and_then(Value::as_object).and_then(|g| g.get(key)).or_else(|| object.get(key))
}

fn nested_text(object: &Map<String, Value>, group: &str, key: &str, problems: &mut Problems) -> String {
    match nested(object, group, key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        // A product contact as the API writes it: {"kind": "phone", "value": "+62..."}.
        Some(Value::Object(o)) if o.get("value").is_some_and(Value::is_string) => {
            o["value"].as_str().unwrap_or_default().to_owned()
        }
        Some(_) => {
            problems.push((format!("{group}.{key}"), "expected text".to_owned()));
            String::new()
        }
    }
}

fn read_item(object: &Map<String, Value>) -> Result<RawItem, Problems> {
    let mut problems = Problems::new();
    let id = match object.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => {
            problems.push(("id".to_owned(), "required (a string or a number)".to_owned()));
            String::new()
        }
    };
    let kind = match text(object, "kind", &mut problems) {
        k if k.is_empty() => match text(object, "type", &mut problems) {
            t if t.is_empty() => "berita".to_owned(),
            t => t,
        },
        k => k,
    };
    let markdown = text(object, "body", &mut problems);
    let html = text(object, "body_html", &mut problems);
    let mut warnings = Vec::new();
    let (body, field_names) = if !markdown.trim().is_empty() || html.trim().is_empty() {
        (markdown, FIELDS_MARKDOWN)
    } else {
        let (body, images) = html_to_body(&html);
        if images > 0 {
            warnings
                .push(("body".to_owned(), format!("{images} inline image(s) left out (their files are not imported)")));
        }
        (body, FIELDS_HTML)
    };
    let topics = list(object, "topics", &["slug", "name"], &mut problems);
    let regions = list(object, "regions", &["code"], &mut problems);
    let published_at = time(object.get("published_at"), "published_at", &mut problems);
    let status = text(object, "status", &mut problems);
    let source = object.get("source").and_then(Value::as_object);
    let source_text = |key: &str| source.and_then(|s| s.get(key)).and_then(Value::as_str).map(str::to_owned);
    let mut form = ContentForm {
        kind,
        title: text(object, "title", &mut problems),
        summary: text(object, "summary", &mut problems),
        body,
        language: text(object, "language", &mut problems),
        provenance: text(object, "provenance", &mut problems),
        regions,
        source_name: source_text("name").unwrap_or_else(|| text(object, "source_name", &mut problems)),
        source_url: source_text("url").unwrap_or_else(|| text(object, "source_url", &mut problems)),
        ..ContentForm::default()
    };
    if form.kind == "agenda" {
        form.starts_at = time_text(nested(object, "agenda", "starts_at"), "agenda.starts_at", &mut problems);
        form.ends_at = time_text(nested(object, "agenda", "ends_at"), "agenda.ends_at", &mut problems);
        form.place = nested_text(object, "agenda", "place", &mut problems);
    }
    if form.kind == "produk" {
        form.price_min = nested_text(object, "product", "price_min", &mut problems);
        form.price_max = nested_text(object, "product", "price_max", &mut problems);
        form.contact = nested_text(object, "product", "contact", &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(RawItem {
        id,
        form,
        categories: topics.into_iter().map(|t| Category { name: t.clone(), slug: Some(t) }).collect(),
        tags: Vec::new(),
        published_at,
        published: status.is_empty() || status == "published",
        author_email: None,
        cover: None,
        warnings,
        date_error: None,
        field_names,
    })
}

#[cfg(test)]
mod tests {
    use std::io::BufReader;

    use super::*;

    #[test]
    fn lines_are_read_within_a_bound() {
        let text = format!("satu\n{}\ntiga\r\n\nempat", "x".repeat(100));
        let mut reader = BufReader::with_capacity(8, text.as_bytes());
        let mut line = Vec::new();
        let mut seen = Vec::new();
        loop {
            match read_line(&mut reader, &mut line, 50).unwrap() {
                Line::End => break,
                Line::TooLong => seen.push("<too long>".to_owned()),
                Line::Read => seen.push(String::from_utf8(line.clone()).unwrap()),
            }
        }
        assert_eq!(seen, ["satu", "<too long>", "tiga\r", "", "empat"]);
    }

    #[test]
    fn the_api_shape_is_read() {
        let line = br#"{"id": 7, "kind": "agenda", "title": "Posyandu", "body_html": "<p>Hadir <b>ya</b></p>",
            "topics": [{"slug": "kesehatan", "name": "Kesehatan"}], "regions": [{"code": "35.23"}],
            "published_at": "2025-03-10T08:00:00+07:00", "agenda": {"starts_at": "2025-03-12T08:00", "place": "Balai Desa"},
            "source": {"name": "Puskesmas"}}"#;
        let Parsed::Item(_, raw) = item(&Position::Line(1), line) else { panic!("an item") };
        assert_eq!(raw.id, "7");
        assert_eq!(raw.form.body, "<p>Hadir <b>ya</b></p>");
        assert_eq!(raw.form.regions, ["35.23"]);
        assert_eq!(raw.categories[0].name, "kesehatan");
        assert_eq!(raw.form.place, "Balai Desa");
        assert_eq!(raw.form.source_name, "Puskesmas");
        assert_eq!(raw.published_at.unwrap().to_rfc3339(), "2025-03-10T01:00:00Z");
        assert!(raw.published);
        let Parsed::Invalid(errors) = item(&Position::Line(2), br#"{"title": 5, "regions": 3}"#) else { panic!() };
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone().unwrap()).collect();
        assert_eq!(fields, ["id", "regions"]);
    }
}
