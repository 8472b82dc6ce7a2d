//! A WordPress post's HTML -> Markdown: Gutenberg block comments removed,
//! WordPress shortcodes converted (`caption`, `embed`, `video`, `audio`) or
//! kept and reported, classic-editor line breaks made into paragraphs (as
//! WordPress's `wpautop` does), then htmd.

/// The converted body and what conversion found.
pub(super) struct Body {
    pub(super) markdown: String,
    /// Images on the old host (`/wp-content/uploads/`).
    pub(super) media: Vec<String>,
    pub(super) converted: usize,
    /// Shortcodes kept as written: (line in the export, text).
    pub(super) kept: Vec<(usize, String)>,
}

/// Converts a post's `content:encoded`, which starts on `line` of the export.
pub(super) fn to_markdown(html: &str, line: usize) -> Body {
    let mut body = Body {
        markdown: String::new(),
        media: Vec::new(),
        converted: 0,
        kept: Vec::new(),
    };
    let cleaned = without_block_comments(html);
    let shortcoded = shortcodes(&cleaned, html, line, &mut body);
    let paragraphs = autop(&shortcoded);
    body.media = uploads(&paragraphs);
    let converter = htmd::HtmlToMarkdown::builder()
        .skip_tags(vec!["script", "style"])
        .build();
    body.markdown = converter.convert(&paragraphs).unwrap_or(paragraphs);
    body
}

/// Removes `<!-- wp:paragraph {...} -->` and `<!-- /wp:paragraph -->`.
fn without_block_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        let after = &rest[start + 4..];
        let is_block =
            after.trim_start().starts_with("wp:") || after.trim_start().starts_with("/wp:");
        match after.find("-->") {
            Some(end) if is_block => {
                out.push_str(&rest[..start]);
                rest = &after[end + 3..];
            }
            _ => {
                out.push_str(&rest[..start + 4]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

const KNOWN: &[&str] = &["caption", "wp_caption", "embed", "video", "audio"];

/// Converts known shortcodes and records the others; `original` is the
/// content as exported, for line numbers.
fn shortcodes(html: &str, original: &str, line: usize, body: &mut Body) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let Some(close) = after.find(']') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let tag = &after[..close];
        let closing = format!("[/{name}]");
        let paired = after[close..].find(&closing);
        let looks_like = !name.is_empty()
            && tag[name.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == '/')
            && (KNOWN.contains(&name.as_str()) || paired.is_some() || tag.contains('='));
        if !looks_like {
            out.push('[');
            rest = after;
            continue;
        }
        let (inner, consumed) = match paired {
            Some(p) => (&after[close + 1..close + p], close + p + closing.len()),
            None => ("", close + 1),
        };
        match convert(&name, tag, inner) {
            Some(html) => {
                body.converted += 1;
                out.push_str(&html);
            }
            None => {
                let text = &rest[open..open + 1 + consumed];
                let first_line = text.lines().next().unwrap_or(text);
                let at = original
                    .find(first_line)
                    .map_or(0, |p| original[..p].matches('\n').count());
                body.kept
                    .push((line + at, first_line.chars().take(80).collect()));
                out.push_str(text);
            }
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

fn attribute<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{key}="))? + key.len() + 1;
    let value = &tag[at..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        value[1..].split(quote).next()
    } else {
        value.split_whitespace().next()
    }
}

fn convert(name: &str, tag: &str, inner: &str) -> Option<String> {
    match name {
        // `[caption]<img ...> The caption[/caption]`: the image, then its caption.
        "caption" | "wp_caption" => {
            let img_end = inner.rfind('>').map_or(0, |i| i + 1);
            let (image, caption) = inner.split_at(img_end);
            let caption = caption.trim();
            let caption = if caption.is_empty() {
                attribute(tag, "caption").unwrap_or("")
            } else {
                caption
            };
            Some(format!("<p>{image}</p><p><em>{caption}</em></p>"))
        }
        "embed" => {
            let url = inner.trim();
            url.starts_with("http")
                .then(|| format!("<p><a href=\"{url}\">{url}</a></p>"))
        }
        "video" | "audio" => {
            let src = ["src", "mp4", "mp3", "webm", "ogg", "m4a"]
                .iter()
                .find_map(|k| attribute(tag, k))?;
            Some(format!("<p><a href=\"{src}\">{name}: {src}</a></p>"))
        }
        _ => None,
    }
}

/// Classic-editor content has no `<p>`: blank lines end paragraphs and
/// single line breaks are `<br>`.
fn autop(html: &str) -> String {
    let blocks = [
        "<p",
        "<div",
        "<h1",
        "<h2",
        "<h3",
        "<h4",
        "<ul",
        "<ol",
        "<table",
        "<blockquote",
        "<figure",
        "<pre",
    ];
    if html.contains("<p>") || html.contains("<p ") || !html.contains('\n') {
        return html.to_string();
    }
    html.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            if blocks.iter().any(|b| p.starts_with(b)) {
                p.to_string()
            } else {
                format!("<p>{}</p>", p.replace('\n', "<br />"))
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `src` of images on the old host's uploads folder.
fn uploads(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in html.split("src=").skip(1) {
        let quote = part.chars().next().unwrap_or(' ');
        let url = part
            .get(1..)
            .and_then(|p| p.split(quote).next())
            .unwrap_or("");
        if url.contains("/wp-content/uploads/") && !out.iter().any(|u| u == url) {
            out.push(url.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gutenberg_comments_go_and_shortcodes_are_converted_or_kept() {
        let html = "<!-- wp:paragraph -->\n<p>One &amp; two</p>\n<!-- /wp:paragraph -->\n\
                    [caption id=\"a\"]<img src=\"https://old.org/wp-content/uploads/a.jpg\" alt=\"A\"> A map[/caption]\n\
                    [gallery ids=\"1,2\"]\n[sic]";
        let b = to_markdown(html, 10);
        assert!(!b.markdown.contains("wp:"), "{}", b.markdown);
        assert!(b.markdown.contains("One & two"));
        assert!(
            b.markdown
                .contains("![A](https://old.org/wp-content/uploads/a.jpg)"),
            "{}",
            b.markdown
        );
        assert!(b.markdown.contains("*A map*"));
        assert_eq!(b.converted, 1);
        assert_eq!(b.kept, vec![(14, "[gallery ids=\"1,2\"]".to_string())]);
        assert_eq!(b.media, ["https://old.org/wp-content/uploads/a.jpg"]);
    }

    #[test]
    fn classic_content_gets_paragraphs() {
        let b = to_markdown("First line\nsame para\n\nSecond", 1);
        assert!(b.markdown.starts_with("First line"), "{}", b.markdown);
        assert!(b.markdown.contains("\n\nSecond"), "{}", b.markdown);
    }

    proptest::proptest! {
        /// Any content, however broken, converts without a panic.
        #[test]
        fn any_content_converts_without_panicking(html in "([\\[\\]<>/=\" \n]|caption|embed|gallery|wp:|<!--|-->|é|س|img src=){0,60}") {
            let _ = to_markdown(&html, 1);
        }
    }
}
