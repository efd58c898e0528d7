//! Markdown bodies: rendered to HTML with pulldown-cmark and sanitised with
//! ammonia ([`to_html`]), and reduced to plain text for search, feeds and
//! snippets ([`plain_text`], [`excerpt`]).
//!
//! The stored Markdown keeps exactly what the author typed (a `<script>`
//! stays in the stored text); only the output is sanitised: scripts,
//! styles, event handlers, `javascript:` and other non-web URLs, iframes
//! and embeds are removed, links get `rel="nofollow noopener"`, images load
//! lazily and only from this site's `/media/`, and headings are shifted one
//! level down so a body never holds an `h1` (the page's title is the `h1`).

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Where images in a body may come from: uploads served by this site. An
/// outside image would make the page depend on (and leak readers to)
/// another server.
pub const MEDIA_PREFIX: &str = "/media/";

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

fn shifted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        HeadingLevel::H5 | HeadingLevel::H6 => HeadingLevel::H6,
    }
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .rm_tags(["h1"])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
        .link_rel(Some("nofollow noopener"))
        .clean_content_tags(HashSet::from(["script", "style", "iframe", "object", "embed", "noscript", "template"]))
        .set_tag_attribute_value("img", "loading", "lazy")
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && !value.starts_with(MEDIA_PREFIX) {
                None
            } else {
                Some(value.into())
            }
        });
    builder
});

/// Renders Markdown to sanitised HTML, safe to put in a page as it is.
pub fn to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: shifted(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shifted(level))),
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut raw, events);
    SANITISER.clean(&raw).to_string()
}

/// Reads the text out of raw HTML that Markdown passes through: tags are
/// dropped, and so is everything inside `<script>` and `<style>`. State
/// carries over between the pieces pulldown-cmark hands out.
#[derive(Default)]
struct HtmlText {
    in_tag: bool,
    tag: String,
    skipping: Option<&'static str>,
}

impl HtmlText {
    fn feed(&mut self, html: &str, out: &mut String) {
        for c in html.chars() {
            if self.in_tag {
                if c == '>' {
                    self.in_tag = false;
                    let name: String = self
                        .tag
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
                        .collect::<String>()
                        .to_ascii_lowercase();
                    match (self.skipping, name.as_str()) {
                        (None, "script") => self.skipping = Some("/script"),
                        (None, "style") => self.skipping = Some("/style"),
                        (Some(end), n) if n == end => self.skipping = None,
                        (None, n) if is_block(n) => out.push('\n'),
                        _ => {}
                    }
                } else {
                    self.tag.push(c);
                }
            } else if c == '<' {
                self.in_tag = true;
                self.tag.clear();
            } else if self.skipping.is_none() {
                out.push(c);
            }
        }
    }
}

/// The text of an HTML fragment: tags dropped, and everything inside
/// `<script>` and `<style>`; a block tag (`p`, `div`, `br`, `li`, ...)
/// starts a new line. Entities are left as they are.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    HtmlText::default().feed(html, &mut out);
    out
}

/// HTML's block-level tags (those of CommonMark's HTML block kind 6 that
/// hold text): their start or end breaks the text.
pub const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// `tag` as read between `<` and `>`, its name and any `/` around it
/// (`/p`, `br/`): whether it breaks the text (a block, or a line break).
fn is_block(tag: &str) -> bool {
    let name = tag.trim_matches('/');
    name == "br" || BLOCK_TAGS.contains(&name)
}

/// The text of a Markdown body without markup, paragraphs separated by a
/// blank line: what search indexes, feeds summarise and snippets quote.
/// Raw HTML contributes its text but never its tags or scripts.
pub fn plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut html = HtmlText::default();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            // Inline `<script>x</script>` arrives as HTML, text, HTML.
            Event::Text(t) | Event::Code(t) if html.skipping.is_none() => out.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => html.feed(&h, &mut out),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table,
            ) => out.push_str("\n\n"),
            Event::End(TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            Event::Rule => out.push_str("\n\n"),
            _ => {}
        }
    }
    tidy(&out)
}

/// Trims each line, keeps at most one blank line between paragraphs.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")) {
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(&line);
    }
    out
}

/// At most `max_chars` of `text` on one line, cut at a word boundary with
/// an ellipsis when shortened: a listing's or a feed's snippet.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max_chars {
        return flat;
    }
    let cut: String = flat.chars().take(max_chars).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max_chars / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_breaks_at_blocks_cells_captions_and_line_breaks() {
        let text = html_text(
            "<p>Satu</p><p>Dua<br/>Tiga<br />Empat</p><table><tr><td>A</td><td>B</td></tr></table>\
                              <figure><img src=x><figcaption>Foto</figcaption></figure><script>x()</script>Akhir",
        );
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Satu", "Dua", "Tiga", "Empat", "A", "B", "Foto", "Akhir"], "{text:?}");
        assert_eq!(html_text("<b>te</b>bal"), "tebal", "inline tags do not split words");
    }

    #[test]
    fn renders_markdown_with_headings_shifted_below_h1() {
        let html = to_html("# Panen Raya\n\nPetani **Jlodro** memanen _jagung_.\n\n## Hasil\n\n- 5 ton\n- 7 ton");
        assert!(html.contains("<h2>Panen Raya</h2>"), "{html}");
        assert!(html.contains("<h3>Hasil</h3>"), "{html}");
        assert!(html.contains("<strong>Jlodro</strong>") && html.contains("<em>jagung</em>"), "{html}");
        assert!(html.contains("<li>5 ton</li>"), "{html}");
        assert!(!html.contains("<h1"), "{html}");
        assert!(!to_html("<h1>Raw</h1>").contains("<h1"), "raw h1 is removed, its text kept");
        assert!(to_html("<h1>Raw</h1>").contains("Raw"));
    }

    #[test]
    fn strips_scripts_handlers_dangerous_urls_and_frames() {
        let evil = "Halo <script>alert('x')</script> warga\n\n\
                    <img src=\"https://evil.example/x.png\" onerror=\"alert(1)\">\n\n\
                    [klik](javascript:alert(1)) <a href=\"#\" onclick=\"steal()\">a</a>\n\n\
                    <iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>\n\n\
                    <object data=\"x.swf\"></object>";
        let html = to_html(evil);
        for banned in [
            "<script",
            "alert('x')",
            "onerror",
            "javascript:",
            "onclick",
            "<iframe",
            "<style",
            "display:none",
            "<object",
            "evil.example",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(html.contains("Halo") && html.contains("warga"), "{html}");
    }

    #[test]
    fn links_are_nofollow_and_images_only_from_this_site() {
        let html = to_html("[Dinas Kesehatan](https://dinkes.tubankab.go.id) ![Panen](/media/0190/800.webp)");
        assert!(html.contains("href=\"https://dinkes.tubankab.go.id\""), "{html}");
        assert!(html.contains("rel=\"nofollow noopener\""), "{html}");
        assert!(html.contains("src=\"/media/0190/800.webp\"") && html.contains("loading=\"lazy\""), "{html}");
        assert!(html.contains("alt=\"Panen\""), "{html}");
        let outside = to_html("![x](https://tracker.example/pixel.gif)");
        assert!(!outside.contains("tracker.example"), "{outside}");
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let html = to_html("| Dusun | KK |\n|---|---|\n| Krajan | 120 |\n\n~~batal~~");
        assert!(html.contains("<table>") && html.contains("<td>Krajan</td>"), "{html}");
        assert!(html.contains("<del>batal</del>"), "{html}");
    }

    #[test]
    fn plain_text_keeps_words_and_drops_markup_and_scripts() {
        let md = "# Kerja Bakti\n\nWarga **Dusun Krajan** bergotong royong\nmembersihkan [saluran](https://x.id).\n\n\
                  <script>alert('x')</script>\n\n<div>Teks dalam <b>HTML</b></div>\n\n- satu\n- dua\n\n`kode`";
        let text = plain_text(md);
        assert_eq!(
            text,
            "Kerja Bakti\n\nWarga Dusun Krajan bergotong royong membersihkan saluran.\n\nTeks dalam HTML\n\nsatu\ndua\n\nkode"
        );
        assert!(!plain_text("a <style>b{}</style> c").contains("b{}"));
        assert_eq!(plain_text("Harga &lt; Rp 10.000 &amp; murah"), "Harga < Rp 10.000 & murah");
    }

    #[test]
    fn excerpts_cut_at_a_word() {
        let text = "Pemerintah Desa Jlodro menggelar musyawarah perencanaan pembangunan desa di balai desa.";
        assert_eq!(excerpt(text, 200), text);
        assert_eq!(excerpt(text, 40), "Pemerintah Desa Jlodro menggelar…");
        assert_eq!(excerpt("satu\n\ndua", 50), "satu dua");
    }
}
