//! Hugo shortcodes and Jekyll Liquid tags -> Markdown. Known ones are
//! converted (`figure`, `ref`/`relref`, `youtube`, `vimeo`, `tweet`,
//! `gist`, `highlight`, `post_url`, `link`, `include image.html`,
//! `site.baseurl`, `raw`, `comment`); unknown ones are kept verbatim and
//! reported at their line, never dropped. Code blocks are left alone.

use std::collections::HashMap;

/// A body after conversion.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    pub(crate) body: String,
    pub(crate) converted: usize,
    /// Kept verbatim: (line within the body, from 0; the tag's text).
    pub(crate) kept: Vec<(usize, String)>,
}

/// Which generator's syntax a body is written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// Already Markdown (WordPress bodies are converted from HTML).
    #[default]
    Plain,
    Hugo,
    Jekyll,
}

/// Old page references (`posts/x.md`, `2019-01-02-x`) -> `@/briefs/...` links.
pub(crate) type Links = HashMap<String, String>;

/// The key of [`Links`] that holds the old site's base URL, for references
/// to pages that were not imported (no reference starts with a space).
pub(crate) const OLD_SITE: &str = " old site";

/// Converts a body; `links` resolves references to other imported posts.
pub(crate) fn convert(body: &str, dialect: Dialect, links: &Links) -> Converted {
    let mut out = Converted::default();
    if dialect == Dialect::Plain {
        out.body = body.to_string();
        return out;
    }
    let mut rest = body;
    let mut in_fence: Option<String> = None;
    let mut line = 0;
    while !rest.is_empty() {
        let end = rest.find('\n').map_or(rest.len(), |i| i + 1);
        let this = &rest[..end];
        let trimmed = this.trim_start();
        let fence: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        if fence.len() >= 3 {
            match &in_fence {
                Some(open) if fence.starts_with(open.as_str()) => in_fence = None,
                None => in_fence = Some(fence.clone()),
                Some(_) => {}
            }
        }
        if in_fence.is_some() || fence.len() >= 3 || !has_tag(this) {
            out.body.push_str(this);
            rest = &rest[end..];
            line += 1;
            continue;
        }
        // A tag may span lines (paired shortcodes): convert from here on.
        let consumed = convert_at(rest, dialect, links, line, &mut out);
        line += rest[..consumed].matches('\n').count();
        rest = &rest[consumed..];
    }
    out
}

fn has_tag(line: &str) -> bool {
    line.contains("{{") || line.contains("{%")
}

/// Converts the tags of the line starting `text` (and of the lines a paired
/// tag spans); returns the bytes consumed, always whole lines.
fn convert_at(
    text: &str,
    dialect: Dialect,
    links: &Links,
    line: usize,
    out: &mut Converted,
) -> usize {
    let mut i = 0;
    loop {
        let line_end = text[i..].find('\n').map_or(text.len(), |n| i + n + 1);
        let Some(start) = next_tag(&text[i..line_end]).map(|s| i + s) else {
            out.body.push_str(&text[i..line_end]);
            return line_end;
        };
        out.body.push_str(&text[i..start]);
        let at_line = line + text[..start].matches('\n').count();
        let Some(tag) = Tag::read(&text[start..]) else {
            out.body.push_str(&text[start..start + 2]);
            i = start + 2;
            continue;
        };
        let converted = match dialect {
            Dialect::Hugo => hugo(&tag, &text[start + tag.len..], links),
            _ => jekyll(&tag, &text[start + tag.len..], links),
        };
        match converted {
            Some((markdown, extra)) => {
                out.body.push_str(&markdown);
                out.converted += 1;
                i = start + tag.len + extra;
            }
            None => {
                out.body.push_str(tag.whole);
                out.kept.push((at_line, tag.whole.to_string()));
                i = start + tag.len;
            }
        }
        if i >= text.len() {
            return text.len();
        }
    }
}

fn next_tag(s: &str) -> Option<usize> {
    [s.find("{{<"), s.find("{{%"), s.find("{%"), s.find("{{")]
        .into_iter()
        .flatten()
        .min()
}

/// One tag as written: `{{< name args >}}`, `{% name args %}`, `{{ expr }}`.
struct Tag<'a> {
    whole: &'a str,
    len: usize,
    /// `name` without a leading `/` or `end`.
    name: String,
    closing: bool,
    args: Vec<(Option<String>, String)>,
    /// `{{ ... }}` (a Liquid output, not a tag).
    output: bool,
    inner: &'a str,
}

impl<'a> Tag<'a> {
    fn read(s: &'a str) -> Option<Tag<'a>> {
        let (close, output) = if s.starts_with("{{<") {
            (">}}", false)
        } else if s.starts_with("{{%") {
            ("%}}", false)
        } else if s.starts_with("{%") {
            ("%}", false)
        } else {
            ("}}", true)
        };
        let open = if output || close == "%}" { 2 } else { 3 };
        let end = s[open..].find(close)? + open;
        let inner = s[open..end].trim_matches(|c: char| c.is_whitespace() || c == '-');
        let whole = &s[..end + close.len()];
        if inner.starts_with("/*") {
            return None; // `{{</* x */>}}`: Hugo's way of writing a literal shortcode.
        }
        let mut words = split_args(inner);
        let first = if words.is_empty() {
            String::new()
        } else {
            words.remove(0).1
        };
        let closing = first.starts_with('/') || (close == "%}" && first.starts_with("end"));
        let name = first.trim_start_matches('/').to_string();
        Some(Tag {
            whole,
            len: whole.len(),
            name,
            closing,
            args: words,
            output,
            inner,
        })
    }

    fn arg(&self, keys: &[&str], position: usize) -> Option<&str> {
        self.args
            .iter()
            .find(|(k, _)| k.as_deref().is_some_and(|k| keys.contains(&k)))
            .or_else(|| self.args.iter().filter(|(k, _)| k.is_none()).nth(position))
            .map(|(_, v)| v.as_str())
    }
}

/// `a "b c" key=val key2="v w"` -> (key, value) pairs.
fn split_args(s: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return out;
        }
        let mut key = None;
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                break;
            }
            chars.next();
            if c == '"' || c == '\'' || c == '`' {
                for q in chars.by_ref() {
                    if q == c {
                        break;
                    }
                    word.push(q);
                }
            } else if c == '=' && key.is_none() {
                key = Some(std::mem::take(&mut word));
            } else {
                word.push(c);
            }
        }
        // Nunjucks separates arguments with commas: `{% image "a.png", "alt" %}`.
        let word = word.strip_suffix(',').map(String::from).unwrap_or(word);
        out.push((key, word));
    }
}

/// A paired tag's content up to its closing tag: (content, bytes to skip past the closing tag).
fn paired<'t>(after: &'t str, closing: &[&str]) -> Option<(&'t str, usize)> {
    closing
        .iter()
        .filter_map(|c| after.find(c).map(|at| (at, c)))
        .min_by_key(|(at, _)| *at)
        .map(|(at, c)| {
            let close_end = after[at..].find(['}']).map_or(at + c.len(), |n| {
                let rest = &after[at + n..];
                at + n + rest.chars().take_while(|&ch| ch == '}').count()
            });
            (&after[..at], close_end)
        })
}

fn image(src: &str, alt: &str, title: Option<&str>, caption: Option<&str>) -> String {
    let title = title
        .map(|t| format!(" \"{}\"", t.replace('"', "'")))
        .unwrap_or_default();
    let mut md = format!(
        "![{}]({}{title})",
        alt.replace(['[', ']'], ""),
        src.replace(' ', "%20")
    );
    if let Some(c) = caption.filter(|c| !c.is_empty()) {
        md.push_str(&format!("\n\n*{}*", c.trim()));
    }
    md
}

fn fenced(lang: &str, code: &str) -> String {
    let code = code.trim_matches('\n');
    format!("```{lang}\n{code}\n```")
}

fn iframe(src: &str) -> String {
    format!("<iframe src=\"{src}\" width=\"560\" height=\"315\" allowfullscreen></iframe>")
}

fn resolve(links: &Links, target: &str) -> Option<String> {
    if target.starts_with('#') {
        return Some(target.to_string()); // An anchor on the same page.
    }
    let t = target.trim_start_matches('/');
    let bare = t.trim_end_matches('/');
    let (path, anchor) = bare.split_once('#').map_or((bare, ""), |(p, a)| (p, a));
    let no_ext = path
        .strip_suffix(".md")
        .or_else(|| path.strip_suffix(".markdown"))
        .unwrap_or(path);
    let found = links
        .get(path)
        .or_else(|| links.get(no_ext))
        .or_else(|| links.get(no_ext.rsplit('/').next().unwrap_or(no_ext)))?;
    Some(if anchor.is_empty() {
        found.clone()
    } else {
        format!("{found}#{anchor}")
    })
}

/// A reference to a topic or author page (`/topics/mobile`): briefly has
/// those pages too, at `/topics/<slug>/`.
fn taxonomy_page(target: &str) -> Option<String> {
    let path = target.trim_start_matches('/').trim_end_matches('/');
    let (taxonomy, term) = path.split_once('/')?;
    let plain = !term.is_empty() && !term.contains(['/', '.', ' ']);
    (plain && matches!(taxonomy, "topics" | "authors")).then(|| format!("/{taxonomy}/{term}/"))
}

/// A reference by path to a page that was not imported (`/communities`,
/// `guides/dap/_index.md`) -> that page on the old site, where it still is.
/// A bare file name could be in any section, so it is not guessed.
fn old_site_page(links: &Links, target: &str) -> Option<String> {
    let base = links.get(OLD_SITE)?;
    let (path, anchor) = target.split_once('#').unwrap_or((target, ""));
    let path = path.trim_start_matches('/');
    let path = ["/_index.md", "/index.md", "_index.md", ".md"]
        .iter()
        .fold(path.to_string(), |p, suffix| {
            p.strip_suffix(suffix).map_or(p.clone(), String::from)
        });
    let rooted = target.starts_with('/') || path.contains('/');
    if !rooted || path.contains(['"', ' ', '(', ')']) {
        return None;
    }
    let anchor = if anchor.is_empty() {
        String::new()
    } else {
        format!("#{anchor}")
    };
    Some(
        format!(
            "{}/{}/{anchor}",
            base.trim_end_matches('/'),
            path.trim_end_matches('/').to_lowercase()
        )
        .replace("//#", "/#"),
    )
}

/// A Hugo shortcode -> (Markdown, bytes of a paired tag's content and closing tag).
fn hugo(tag: &Tag<'_>, after: &str, links: &Links) -> Option<(String, usize)> {
    if tag.closing || tag.output {
        return None;
    }
    let id = |keys: &[&str]| tag.arg(keys, 0).map(str::to_string);
    let md = match tag.name.as_str() {
        "figure" => {
            let src = tag.arg(&["src", "link"], 0)?;
            let caption = tag.arg(&["caption"], 99);
            let alt = tag
                .arg(&["alt"], 99)
                .or(caption)
                .or(tag.arg(&["title"], 99))
                .unwrap_or("");
            image(src, alt, tag.arg(&["title"], 99), caption)
        }
        "ref" | "relref" => {
            let target = tag.arg(&["path", "page"], 0)?;
            resolve(links, target)
                .or_else(|| taxonomy_page(target))
                .or_else(|| old_site_page(links, target))?
        }
        "youtube" => iframe(&format!(
            "https://www.youtube-nocookie.com/embed/{}",
            id(&["id"])?
        )),
        "vimeo" => iframe(&format!("https://player.vimeo.com/video/{}", id(&["id"])?)),
        "tweet" | "x" => {
            let status = tag.arg(&["id"], if tag.args.len() > 1 { 1 } else { 0 })?;
            let user = tag
                .arg(&["user"], 0)
                .filter(|u| *u != status)
                .unwrap_or("i");
            format!("[Post on X](https://x.com/{user}/status/{status})")
        }
        "gist" => {
            let (user, gist) = (tag.arg(&["user"], 0)?, tag.arg(&["id"], 1)?);
            format!("[Gist {gist}](https://gist.github.com/{user}/{gist})")
        }
        "instagram" => format!(
            "[Instagram post](https://www.instagram.com/p/{}/)",
            id(&["id"])?
        ),
        "highlight" => {
            let (code, skip) = paired(
                after,
                &["{{< /highlight", "{{</highlight", "{{% /highlight"],
            )?;
            return Some((fenced(tag.arg(&["lang"], 0).unwrap_or(""), code), skip));
        }
        _ => return None,
    };
    Some((md, 0))
}

/// A Jekyll Liquid tag or output -> (Markdown, bytes of a paired tag's content and closing tag).
fn jekyll(tag: &Tag<'_>, after: &str, links: &Links) -> Option<(String, usize)> {
    if tag.output {
        let expr = tag.inner.trim();
        let value = expr.split('|').next().unwrap_or("").trim();
        let is_base = |v: &str| matches!(v, "site.baseurl" | "site.url" | "site.github.url");
        if is_base(value) {
            return Some((String::new(), 0));
        }
        let filters_ok = expr.split('|').skip(1).all(|f| {
            let f = f.trim();
            // `url` is Eleventy's filter for the same thing.
            f == "relative_url"
                || f == "absolute_url"
                || f == "url"
                || f.starts_with("prepend: site.")
        });
        let quoted = value
            .strip_prefix(['"', '\''])
            .and_then(|v| v.strip_suffix(['"', '\'']));
        return match quoted {
            Some(literal) if filters_ok => Some((literal.to_string(), 0)),
            _ => None,
        };
    }
    if tag.closing {
        return None;
    }
    let md = match tag.name.as_str() {
        "post_url" | "link" => resolve(links, tag.arg(&[], 0)?)?,
        "include" => {
            let file = tag.arg(&[], 0)?;
            if !["image.html", "figure.html", "img.html", "picture.html"].contains(&file) {
                return None;
            }
            let src = tag.arg(&["url", "src", "file", "image", "path", "img"], 99)?;
            let caption = tag.arg(&["description", "caption"], 99);
            let alt = tag.arg(&["alt", "title"], 99).or(caption).unwrap_or("");
            image(src, alt, None, caption)
        }
        // Eleventy's image shortcode (eleventy-img): `{% image "src" "alt" %}`.
        "image" => {
            let src = tag.arg(&["src"], 0)?;
            let src = if src.contains("://") || src.starts_with('/') {
                src.to_string()
            } else {
                format!("/{src}")
            };
            image(&src, tag.arg(&["alt"], 1).unwrap_or(""), None, None)
        }
        "highlight" => {
            let (code, skip) = paired(after, &["{% endhighlight"])?;
            return Some((fenced(tag.arg(&[], 0).unwrap_or(""), code), skip));
        }
        "raw" => {
            let (text, skip) = paired(after, &["{% endraw"])?;
            return Some((text.to_string(), skip));
        }
        "comment" => {
            return paired(after, &["{% endcomment"]).map(|(_, skip)| (String::new(), skip));
        }
        _ => return None,
    };
    Some((md, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        Links::from([
            ("posts/other".to_string(), "@/briefs/other.md".to_string()),
            ("other".to_string(), "@/briefs/other.md".to_string()),
            ("2019-01-02-x".to_string(), "@/briefs/x.md".to_string()),
        ])
    }

    #[test]
    fn known_hugo_shortcodes_become_markdown() {
        let body = "A {{< figure src=\"chart.png\" caption=\"Oil, 2019\" >}}\n[o]({{< ref \"posts/other.md\" >}}) \
                    and {{< youtube dQw4w9WgXcQ >}}\n{{< tweet user=\"UN\" id=\"123\" >}}\n\
                    {{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\nend\n";
        let c = convert(body, Dialect::Hugo, &links());
        assert!(
            c.body.contains("![Oil, 2019](chart.png)\n\n*Oil, 2019*"),
            "{}",
            c.body
        );
        assert!(c.body.contains("[o](@/briefs/other.md)"));
        assert!(
            c.body
                .contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        assert!(c.body.contains("https://x.com/UN/status/123"));
        assert!(
            c.body.contains("```go\nfmt.Println()\n```\nend"),
            "{}",
            c.body
        );
        assert_eq!(c.converted, 5);
        assert!(c.kept.is_empty());
    }

    #[test]
    fn unknown_tags_are_kept_at_their_line_and_code_is_left_alone() {
        let body =
            "x\n```\n{{< figure src=a >}}\n```\n{{% notice warning %}}\nHi\n{{% /notice %}}\n";
        let c = convert(body, Dialect::Hugo, &links());
        assert_eq!(c.body, body);
        assert_eq!(c.kept.len(), 2);
        assert_eq!(c.kept[0], (4, "{{% notice warning %}}".to_string()));
    }

    #[test]
    fn jekyll_tags_and_outputs_are_converted() {
        let body = "![m]({{ site.baseurl }}/img/m.png) [p]({% post_url 2019-01-02-x %})\n\
                    {% include image.html url=\"/img/a.jpg\" description=\"A map\" %}\n\
                    {% raw %}{{ kept }}{% endraw %} {{ \"/about/\" | relative_url }} {% unknown %}\n";
        let c = convert(body, Dialect::Jekyll, &links());
        assert!(
            c.body.contains("![m](/img/m.png) [p](@/briefs/x.md)"),
            "{}",
            c.body
        );
        assert!(c.body.contains("![A map](/img/a.jpg)\n\n*A map*"));
        assert!(
            c.body.contains("{{ kept }} /about/ {% unknown %}"),
            "{}",
            c.body
        );
        assert_eq!(c.kept, vec![(2, "{% unknown %}".to_string())]);
    }

    proptest::proptest! {
        /// Bad input never panics (tag fragments, multi-byte text, fences),
        /// and text without tags comes out as it went in.
        #[test]
        fn any_body_converts_without_panicking(body in "([{}<>%/\"= \n`~a-z]|é|س|figure|ref|raw|endraw|highlight){0,80}") {
            for dialect in [Dialect::Hugo, Dialect::Jekyll] {
                let c = convert(&body, dialect, &links());
                if !body.contains("{{") && !body.contains("{%") {
                    proptest::prop_assert_eq!(&c.body, &body);
                }
            }
        }
    }
}
