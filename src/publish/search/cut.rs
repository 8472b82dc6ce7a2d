//! The part of a brief page that Pagefind reads, cut out of the rendered
//! page so that the indexer parses a third less HTML; the whole page is
//! kept whenever the cut could change what Pagefind records. Pure text in,
//! text out; `super` decides when to use it.

/// The part of a page Pagefind reads, as a page of its own: the page's
/// `<html …>` tag, its `<title>` and the one element marked
/// `data-pagefind-body` (with everything in it), without the head, scripts,
/// navigation and footer around it, which Pagefind parses but ignores once a
/// page has a `data-pagefind-body`. About a third less HTML to parse for a
/// brief page of the default theme.
///
/// `None` (index the whole page) whenever the cut might change what
/// Pagefind records: no `data-pagefind-body`, or more than one; any
/// `data-pagefind-*` attribute outside the element (filters, meta and sort
/// are read anywhere on the page); an `<h1>` outside it (a title fallback);
/// an `<img>` after it (an image fallback); or anything in it that a plain
/// scan for its end tag could misread (comments, `<script>`, `<style>`,
/// raw-text and foreign elements, a `<![CDATA[`).
pub(super) fn indexed_part(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let attr = lower.find("data-pagefind-body")?;
    if lower[attr + 1..].contains("data-pagefind-body") {
        return None;
    }
    let open = lower[..attr].rfind('<')?;
    if lower[open..attr].contains('>') {
        return None;
    }
    let name_end = open
        + 1
        + lower[open + 1..].find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')?;
    let name = &lower[open + 1..name_end];
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let end = element_end(&lower, open, name)?;
    let (before, inside, after) = (&lower[..open], &lower[open..end], &lower[end..]);
    if before.contains("data-pagefind")
        || after.contains("data-pagefind")
        || before.contains("<h1")
        || after.contains("<h1")
        || after.contains("<img")
    {
        return None;
    }
    const RISKY: [&str; 14] = [
        "<!--",
        "<![cdata[",
        "<script",
        "<style",
        "<textarea",
        "<title",
        "<template",
        "<xmp",
        "<iframe",
        "<noembed",
        "<noframes",
        "<noscript",
        "<plaintext",
        "<svg",
    ];
    if RISKY.iter().any(|r| inside.contains(r)) || inside.contains("<math") {
        return None;
    }
    let mut page = String::with_capacity(end - open + 256);
    match before.find("<html") {
        Some(at) => {
            let tag_end = at + before[at..].find('>')? + 1;
            page.push_str(&html[at..tag_end]);
        }
        None => page.push_str("<html>"),
    }
    if let Some(at) = before.find("<title") {
        let close = at + before[at..].find("</title")?;
        let close_end = close + before[close..].find('>')? + 1;
        page.push_str("<head>");
        page.push_str(&html[at..close_end]);
        page.push_str("</head>");
    }
    page.push_str("<body>");
    page.push_str(&html[open..end]);
    page.push_str("</body></html>");
    Some(page)
}

/// The byte just after the end tag of the `name` element opening at `open`
/// in `lower` (a lowercased page), counting nested elements of the same
/// name; `None` if it is not closed.
fn element_end(lower: &str, open: usize, name: &str) -> Option<usize> {
    let is_boundary = |at: usize| {
        lower[at..]
            .bytes()
            .next()
            .is_none_or(|b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
    };
    let mut depth = 0usize;
    let mut at = open;
    while let Some(lt) = lower[at..].find('<') {
        let tag = at + lt;
        let rest = &lower[tag + 1..];
        if let Some(r) = rest.strip_prefix('/') {
            if r.starts_with(name) && is_boundary(tag + 2 + name.len()) {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(tag + lower[tag..].find('>')? + 1);
                }
            }
        } else if rest.starts_with(name) && is_boundary(tag + 1 + name.len()) {
            depth += 1;
        }
        at = tag + 1;
    }
    None
}
