//! Markdown events -> Typst markup, with every piece of the author's text
//! escaped so that nothing in a brief can run as Typst code.
//!
//! Elements are written as function calls (`#emph[...]`, `#link("u")[...]`)
//! rather than Typst's own shorthand (`_x_`, `*x*`), whose word-boundary
//! rules differ from Markdown's; each call ends in `;` so that text after
//! it (`(`, `.`) cannot continue the expression. The helpers the calls use
//! (`briefly-cite`, `briefly-image`) are defined in the document prelude
//! (`document.rs`).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, Tag, TagEnd};

use crate::content::markdown::{self, CitationLookup};

/// What a link or image of the body becomes; the caller knows the site.
pub(super) trait Resolve {
    /// The absolute URL of a link, or `None` to keep only its text.
    fn link(&self, dest: &str) -> Option<String>;
    /// What an image becomes.
    fn image(&mut self, dest: &str) -> ImageTarget;
}

/// An image of the body, as the PDF can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ImageTarget {
    /// A local file, given to Typst under this virtual path.
    Embedded(String),
    /// Never fetched during a build: the PDF shows the alt text, linked.
    Remote(String),
    /// Not available (unknown format): the alt text alone.
    Missing,
}

/// A body converted to Typst markup.
#[derive(Debug, Default)]
pub(super) struct Markup {
    /// The markup.
    pub(super) text: String,
    /// (offset in `text`, offset in the Markdown) at the start of each
    /// block and inline element, ascending: errors in the markup are
    /// reported at the brief's line.
    pub(super) map: Vec<(usize, usize)>,
    /// The Markdown offset of each embedded image, in order.
    pub(super) image_offsets: Vec<usize>,
}

impl Markup {
    /// The Markdown offset of the element around markup offset `at`.
    pub(super) fn source_offset(&self, at: usize) -> usize {
        let i = self.map.partition_point(|&(typst, _)| typst <= at);
        i.checked_sub(1).map_or(0, |i| self.map[i].1)
    }
}

/// Converts a brief body (or a disclaimer: any Markdown) to markup.
pub(super) fn body(text: &str, cite: CitationLookup<'_>, resolve: &mut dyn Resolve) -> Markup {
    let events = markdown::events(text, cite);
    let (main, notes) = split_footnotes(events);
    let mut writer = Writer {
        out: Markup::default(),
        resolve,
        notes: notes.into_iter().collect(),
        notes_written: HashMap::new(),
        code: None,
        alt: None,
        skip_depth: 0,
        heading_level: 1,
    };
    writer.events(&main);
    writer.out
}

/// Typst markup for plain text: every character that means something in
/// markup is escaped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    // The parser splits text at escapes (`1\.`): look at what came before.
    let mut after_digit = out.ends_with(|c: char| c.is_ascii_digit());
    for c in text.chars() {
        match c {
            '\\' | '#' | '*' | '_' | '`' | '$' | '<' | '>' | '@' | '[' | ']' | '=' | '-' | '+'
            | '/' | '~' | '\'' | '"' => {
                out.push('\\');
                out.push(c);
            }
            // `1.` at the start of a line would be a numbered list.
            '.' if after_digit => out.push_str("\\."),
            // Lines are ours to break: a newline in text is a space.
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
        after_digit = c.is_ascii_digit();
    }
}

/// A Typst string literal holding `text`.
pub(super) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// The body's events without footnote definitions, and each definition's
/// events by name (Typst puts a footnote's text where it is referenced).
fn split_footnotes(events: Events<'_>) -> (Events<'_>, Vec<(String, Events<'_>)>) {
    let mut main = Vec::with_capacity(events.len());
    let mut notes: Vec<(String, Events<'_>)> = Vec::new();
    let mut depth = 0usize;
    for (event, at) in events {
        match &event {
            Event::Start(Tag::FootnoteDefinition(name)) => {
                if depth == 0 {
                    notes.push((name.to_string(), Vec::new()));
                }
                depth += 1;
            }
            Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            _ if depth > 0 => {
                if let Some((_, inside)) = notes.last_mut() {
                    inside.push((event, at));
                }
            }
            _ => main.push((event, at)),
        }
    }
    (main, notes)
}

struct Writer<'r, 'a> {
    out: Markup,
    resolve: &'r mut dyn Resolve,
    notes: HashMap<String, Events<'a>>,
    /// Footnotes already written, with their label number (a second
    /// reference points at the first).
    notes_written: HashMap<String, usize>,
    /// The text of the code block being read, with its language.
    code: Option<(String, String)>,
    /// The alt text of the image being read, with what the image is.
    alt: Option<(String, ImageTarget)>,
    /// Inside raw HTML blocks or a citation's placeholder text: skipped.
    skip_depth: usize,
    /// The level of the last heading (the title's, 1, at first).
    heading_level: usize,
}

impl Writer<'_, '_> {
    fn push(&mut self, markup: &str) {
        self.out.text.push_str(markup);
    }

    fn events(&mut self, events: &[(Event<'_>, Range<usize>)]) {
        for (event, at) in events {
            self.out.map.push((self.out.text.len(), at.start));
            self.event(event);
        }
    }

    fn event(&mut self, event: &Event<'_>) {
        if self.skip_depth > 0 {
            match event {
                Event::Start(Tag::Link { .. }) => self.skip_depth += 1,
                Event::End(TagEnd::Link) => self.skip_depth -= 1,
                _ => {}
            }
            return;
        }
        if let Some((code, _)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(t),
                Event::End(TagEnd::CodeBlock) => self.end_code_block(),
                _ => {}
            }
            return;
        }
        if let Some((alt, _)) = &mut self.alt {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                Event::End(TagEnd::Image) => self.end_image(),
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(*tag),
            Event::Text(t) => push_escaped(&mut self.out.text, t),
            Event::Code(t) => {
                let call = format!("#raw({});", string(t));
                self.push(&call);
            }
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push("#linebreak();"),
            Event::Rule => self.push("#line(length: 100%)\n\n"),
            Event::FootnoteReference(name) => self.footnote(name),
            // Raw HTML cannot be typeset; what matters in it is rare in
            // briefs (the web page has it).
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::TaskListMarker(done) => self.push(if *done { "☑ " } else { "☐ " }),
            Event::InlineMath(t) | Event::DisplayMath(t) => push_escaped(&mut self.out.text, t),
        }
    }

    fn start(&mut self, tag: &Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::TableRow | Tag::HtmlBlock | Tag::MetadataBlock(_) => {}
            Tag::Heading { level, .. } => {
                // The title is the document's level-1 heading; body headings
                // start at level 2 and never skip a level (PDF/UA asks both).
                let level = (*level as usize).max(2).min(self.heading_level + 1);
                self.heading_level = level;
                let call = format!("#heading(level: {level})[");
                self.push(&call);
            }
            Tag::BlockQuote(_) => self.push("#quote(block: true)[\n"),
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or(""),
                    CodeBlockKind::Indented => "",
                };
                self.code = Some((String::new(), lang.to_string()));
            }
            Tag::List(Some(first)) => {
                let call = format!("#enum(start: {first},\n");
                self.push(&call);
            }
            Tag::List(None) => self.push("#list(\n"),
            Tag::Item => self.push("["),
            Tag::Table(aligns) => self.start_table(aligns),
            Tag::TableHead => self.push("table.header("),
            Tag::TableCell => self.push("["),
            Tag::Emphasis => self.push("#emph["),
            Tag::Strong => self.push("#strong["),
            Tag::Strikethrough => self.push("#strike["),
            Tag::Superscript => self.push("#super["),
            Tag::Subscript => self.push("#sub["),
            Tag::Link { dest_url, .. } => self.start_link(dest_url),
            Tag::Image { dest_url, .. } => {
                let target = self.resolve.image(dest_url);
                if let (ImageTarget::Embedded(_), Some(&(_, at))) = (&target, self.out.map.last()) {
                    self.out.image_offsets.push(at);
                }
                self.alt = Some((String::new(), target));
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.push("\n\n"),
            TagEnd::Heading(_) => self.push("]\n\n"),
            TagEnd::BlockQuote(_) => self.push("]\n\n"),
            TagEnd::List(_) => self.push(")\n\n"),
            TagEnd::Item => self.push("],\n"),
            TagEnd::Table => self.push(")\n\n"),
            TagEnd::TableHead => self.push("),\n"),
            TagEnd::TableRow => self.push("\n"),
            TagEnd::TableCell => self.push("], "),
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link => self.push("];"),
            TagEnd::CodeBlock
            | TagEnd::Image
            | TagEnd::HtmlBlock
            | TagEnd::MetadataBlock(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition => {}
        }
    }

    fn start_table(&mut self, aligns: &[Alignment]) {
        let aligns: Vec<&str> = aligns
            .iter()
            .map(|a| match a {
                Alignment::None | Alignment::Left => "start",
                Alignment::Center => "center",
                Alignment::Right => "end",
            })
            .collect();
        let call = format!(
            "#table(columns: {}, align: ({},),\n",
            aligns.len().max(1),
            aligns.join(", ")
        );
        self.push(&call);
    }

    fn start_link(&mut self, dest: &str) {
        if let Some(numbers) = markdown::citation_numbers(dest) {
            let list: Vec<String> = numbers.iter().map(usize::to_string).collect();
            let call = format!("#briefly-cite({});", list.join(", "));
            self.push(&call);
            // The placeholder's own text is dropped up to its end.
            self.skip_depth = 1;
            return;
        }
        match self.resolve.link(dest) {
            Some(url) => {
                let call = format!("#link({})[", string(&url));
                self.push(&call);
            }
            None => self.push("#["),
        }
    }

    fn end_code_block(&mut self) {
        let Some((code, lang)) = self.code.take() else {
            return;
        };
        let code = code.strip_suffix('\n').unwrap_or(&code);
        let lang = if lang.is_empty() {
            "none".to_string()
        } else {
            string(&lang)
        };
        let call = format!("#raw(block: true, lang: {lang}, {})\n\n", string(code));
        self.push(&call);
    }

    fn end_image(&mut self) {
        let Some((alt, target)) = self.alt.take() else {
            return;
        };
        let alt = alt.trim();
        let call = match target {
            ImageTarget::Embedded(path) => {
                // PDF/UA wants a text for every image: the file name at least.
                let name = path.rsplit('/').next().unwrap_or("image");
                let alt = if alt.is_empty() { name } else { alt };
                format!("#briefly-image({}, {});", string(&path), string(alt))
            }
            ImageTarget::Remote(url) => {
                let text = if alt.is_empty() { url.as_str() } else { alt };
                format!("#link({})[{}];", string(&url), escape(text))
            }
            ImageTarget::Missing => format!("#[{}];", escape(alt)),
        };
        self.push(&call);
    }

    fn footnote(&mut self, name: &str) {
        if let Some(n) = self.notes_written.get(name) {
            let call = format!("#footnote(<briefly-fn-{n}>);");
            self.push(&call);
            return;
        }
        let Some(events) = self.notes.remove(name) else {
            // A reference without a definition stays as it was written.
            let text = format!("[^{name}]");
            push_escaped(&mut self.out.text, &text);
            return;
        };
        let n = self.notes_written.len() + 1;
        self.notes_written.insert(name.to_string(), n);
        self.push("#footnote[");
        self.events(&events);
        let text = self.out.text.trim_end().len();
        self.out.text.truncate(text);
        let close = format!("] <briefly-fn-{n}>");
        self.push(&close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;

    impl Resolve for Links {
        fn link(&self, dest: &str) -> Option<String> {
            dest.starts_with("https://").then(|| dest.to_string())
        }
        fn image(&mut self, dest: &str) -> ImageTarget {
            if dest.starts_with("https://") {
                ImageTarget::Remote(dest.to_string())
            } else {
                ImageTarget::Embedded(format!("/images/0-{dest}"))
            }
        }
    }

    fn convert(text: &str) -> String {
        let cite = |id: &str| (id == "fars").then_some(1);
        body(text, &cite, &mut Links).text
    }

    #[test]
    fn markup_characters_are_escaped() {
        let text = "A #set text(red) $x$ @ref = - + / ~ * _ \\ ` ] [ < > ' \"";
        let t = escape(text);
        // Every markup character comes with a backslash before it.
        let chars: Vec<char> = t.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if "#$@=-+/~*_`[]<>'\"".contains(*c) {
                assert_eq!(
                    chars.get(i.wrapping_sub(1)),
                    Some(&'\\'),
                    "{c} unescaped in {t}"
                );
            }
        }
        assert!(t.contains("\\#set text(red) \\$x\\$"), "{t}");
    }

    #[test]
    fn a_numbered_line_is_not_a_list() {
        let t = convert("1\\. not a list");
        assert!(t.contains("1\\. not"), "{t}");
    }

    #[test]
    fn elements_become_calls_that_end() {
        let t = convert("*em* **strong** `co\"de` [a](https://e.org/x)(b)");
        assert!(t.contains("#emph[em];"), "{t}");
        assert!(t.contains("#strong[strong];"), "{t}");
        assert!(t.contains("#raw(\"co\\\"de\");"), "{t}");
        assert!(t.contains("#link(\"https://e.org/x\")[a];(b)"), "{t}");
    }

    #[test]
    fn citations_footnotes_and_images() {
        let t = convert(
            "Said [@fars] twice[^n] and again[^n].\n\n![Chart](c.png) ![](https://x.org/r.png)\n\n[^n]: The note.",
        );
        assert!(t.contains("#briefly-cite(1);"), "{t}");
        assert!(!t.contains("fars"), "{t}");
        assert!(t.contains("#footnote[The note.] <briefly-fn-1>"), "{t}");
        assert!(t.contains("#footnote(<briefly-fn-1>);"), "{t}");
        assert!(
            t.contains("#briefly-image(\"/images/0-c.png\", \"Chart\");"),
            "{t}"
        );
        assert!(
            t.contains("#link(\"https://x.org/r.png\")[https:\\/\\/x.org\\/r.png];"),
            "{t}"
        );
    }

    #[test]
    fn blocks_lists_tables_and_code() {
        let t = convert(
            "## Head\n\n> quoted\n\n1. one\n2. two\n\n- a\n\n| x | y |\n|:-|-:|\n| 1 | 2 |\n\n```rust\nfn x() {}\n```\n",
        );
        assert!(t.contains("#heading(level: 2)[Head]"), "{t}");
        let levels = convert("# One\n\n#### Four\n\n## Two");
        assert!(levels.contains("#heading(level: 2)[One]"), "{levels}");
        assert!(levels.contains("#heading(level: 3)[Four]"), "{levels}");
        assert!(levels.contains("#heading(level: 2)[Two]"), "{levels}");
        assert!(t.contains("#quote(block: true)["), "{t}");
        assert!(t.contains("#enum(start: 1,\n[one],\n[two],\n)"), "{t}");
        assert!(t.contains("#list(\n[a],\n)"), "{t}");
        assert!(
            t.contains("#table(columns: 2, align: (start, end,),"),
            "{t}"
        );
        assert!(t.contains("table.header([x], [y], ),"), "{t}");
        assert!(
            t.contains("#raw(block: true, lang: \"rust\", \"fn x() {}\")"),
            "{t}"
        );
    }

    #[test]
    fn offsets_map_back_to_the_markdown() {
        let text = "First.\n\nSecond *x*.";
        let m = body(text, &|_| None, &mut Links);
        let at = m.text.find("#emph").unwrap_or(0);
        assert_eq!(m.source_offset(at), text.find('*').unwrap_or(0));
    }
}
