//! Reads links and anchors out of HTML with a real tokenizer (lol_html, the
//! streaming parser Pagefind already brings in), so that only attributes of
//! real tags count: never text that looks like a tag (`{{< figure src="x" >}}`
//! in a paragraph, `<a href>` shown in a code block), comments, or the
//! contents of `<script>` and `<style>`.
//!
//! Pure: HTML in, values with their byte offsets out.

use lol_html::{HtmlRewriter, Settings, element};

/// What one HTML text links to and which anchors it defines.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    /// `href` and `src` values (entities decoded) with the byte offset of the value.
    pub(super) links: Vec<(usize, String)>,
    /// `id` values, and `name` values of `<a>`: what `#fragment` may target.
    pub(super) anchors: Vec<String>,
}

/// Scans `html`. Malformed HTML is read the way a browser would; nothing fails.
pub(super) fn scan(html: &str) -> Scanned {
    let found = std::cell::RefCell::new(Scanned::default());
    let handler = element!("*", |el| {
        let is_a = el.tag_name() == "a";
        let mut found = found.borrow_mut();
        for attr in el.attributes() {
            let name = attr.name();
            let value = decode_entities(&attr.value());
            match name.as_str() {
                "href" | "src" => {
                    let at = attr
                        .value_source_location()
                        .map_or(el.source_location().bytes().start, |l| l.bytes().start);
                    found.links.push((at, value));
                }
                "id" => found.anchors.push(value),
                "name" if is_a => found.anchors.push(value),
                _ => {}
            }
        }
        Ok(())
    });
    let settings = Settings::new().append_element_content_handler(handler);
    let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
    // Errors only come from handlers (ours never fail) or memory limits;
    // whatever was read before one is kept.
    let _ = rewriter.write(html.as_bytes());
    let _ = rewriter.end();
    found.into_inner()
}

/// Decodes the character references that can appear in a URL or id:
/// the named ones our writers use and numeric ones. Anything else stays.
pub(super) fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| entity(&rest[1..end]).map(|c| (c, end + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(html: &str) -> Vec<String> {
        scan(html).links.into_iter().map(|(_, v)| v).collect()
    }

    #[test]
    fn only_real_tags_count() {
        let html = "<p>{{&lt; figure src=\"x\" &gt;}} and {{< figure src=\"y\" >}}</p>\
            <pre><code>&lt;a href=\"/code/\"&gt;</code></pre>\
            <!-- <a href=\"/comment/\"> -->\
            <script>let s = '<a href=\"/script/\">';</script>\
            <style>a[href=\"/style/\"] {}</style>\
            <p data-x=' href=\"/attr/\"'>see <a href=\"/real/?a=1&amp;b=2\">this</a></p>";
        assert_eq!(hrefs(html), ["/real/?a=1&b=2"]);
    }

    #[test]
    fn offsets_point_at_each_value() {
        let html = "<a href=\"/x/\">1</a>\n<a href='/x/'>2</a>\n<img src=/y.png>";
        let links = scan(html).links;
        let at: Vec<usize> = links.iter().map(|(i, _)| *i).collect();
        assert_eq!(at, [9, 29, 49]);
        assert_eq!(&html[49..55], "/y.png");
    }

    #[test]
    fn ids_and_named_anchors_are_anchors() {
        let s =
            scan("<h2 id=\"intro\">x</h2><a name=\"old\"></a><input name=\"q\"><p>id=\"text\"</p>");
        assert_eq!(s.anchors, ["intro", "old"]);
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#39;c&#x41;&bogus;&"),
            "a&b'cA&bogus;&"
        );
    }
}
