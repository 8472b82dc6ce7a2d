//! The rewriting step of the body pass: links and images get the
//! destinations a [`Rewrite`] gives them, images their size and lazy
//! loading, raw HTML what the raw HTML policy makes of it, and text is
//! scanned for other generators' template syntax.
//!
//! Only briefs are rewritten (bios, profiles and disclaimers are not), so
//! none of this runs for them.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{BodyEvents, Image, Rewrite};
use crate::escape::push_escaped;

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> BodyEvents<'a, '_, '_, I> {
    /// `event` after the [`Rewrite`] had its say.
    pub(super) fn rewritten(&mut self, event: Event<'a>, at: Range<usize>) -> Event<'a> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match self.rewriter().and_then(|r| r.link(&dest_url, at)) {
                    Some(new) => new.into(),
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => self.image(&dest_url, &title, at),
            Event::Start(Tag::HtmlBlock) => self.html_block(at),
            Event::InlineHtml(html) => match self.rewriter().and_then(|r| r.raw_html(&html, at)) {
                Some(clean) => Event::InlineHtml(clean.into()),
                None => Event::InlineHtml(html),
            },
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code_depth += 1;
                Event::Start(Tag::CodeBlock(kind))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.code_depth = self.code_depth.saturating_sub(1);
                Event::End(TagEnd::CodeBlock)
            }
            Event::Text(text) => {
                if self.code_depth == 0 {
                    self.note_foreign_syntax(at);
                }
                Event::Text(text)
            }
            other => other,
        }
    }

    fn rewriter(&mut self) -> Option<&mut dyn Rewrite> {
        match &mut self.rewrite {
            Some(r) => Some(&mut **r),
            None => None,
        }
    }

    /// An image as one `<img>` tag of our own: the alt text is read up to
    /// the image's end (its words still count), then `src`, size and lazy
    /// loading (all but the first image of a body: the first is usually
    /// on screen when the page opens).
    fn image(&mut self, dest: &str, title: &str, at: Range<usize>) -> Event<'a> {
        let mut alt = String::new();
        let mut depth = 0usize;
        for (event, _) in self.inner.by_ref() {
            match &event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            self.stats.see(&event);
        }
        let Image { src, size } = match self.rewriter() {
            Some(r) => r.image(dest, at),
            None => Image::default(),
        };
        self.images += 1;
        Event::InlineHtml(
            img_tag(
                src.as_deref().unwrap_or(dest),
                &alt,
                title,
                size,
                self.images > 1,
            )
            .into(),
        )
    }

    /// A whole HTML block as one fragment, so the policy sees `<table>` ...
    /// `</table>` together rather than line by line.
    fn html_block(&mut self, at: Range<usize>) -> Event<'a> {
        let mut html = String::new();
        for (event, _) in self.inner.by_ref() {
            match event {
                Event::End(TagEnd::HtmlBlock) => break,
                Event::Html(t) | Event::Text(t) => html.push_str(&t),
                _ => {}
            }
        }
        let clean = self.rewriter().and_then(|r| r.raw_html(&html, at));
        Event::Html(CowStr::from(clean.unwrap_or(html)))
    }

    /// Counts `{{` and `{%` in the source of a text event and remembers
    /// where the first one is.
    fn note_foreign_syntax(&mut self, at: Range<usize>) {
        let Some(source) = self.text.get(at.clone()) else {
            return;
        };
        if !source.contains('{') {
            return;
        }
        for (i, _) in source.match_indices('{') {
            let next = source.as_bytes().get(i + 1);
            // `{{` counts once, not as two overlapping openings.
            let doubled = i > 0 && source.as_bytes()[i - 1] == b'{';
            if matches!(next, Some(b'{') | Some(b'%')) && !doubled {
                let seen = self.out.foreign_syntax.get_or_insert((at.start + i, 0));
                seen.1 += 1;
            }
        }
    }
}

/// `<img>` with escaped attributes, in pulldown-cmark's own style.
fn img_tag(src: &str, alt: &str, title: &str, size: Option<(u32, u32)>, lazy: bool) -> String {
    let mut html = String::with_capacity(src.len() + alt.len() + 64);
    html.push_str("<img src=\"");
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut html, src);
    html.push_str("\" alt=\"");
    push_escaped(&mut html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_escaped(&mut html, title);
        html.push('"');
    }
    if let Some((w, h)) = size {
        html.push_str(&format!(" width=\"{w}\" height=\"{h}\""));
    }
    if lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" />");
    html
}
