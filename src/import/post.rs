//! What every importer produces: one [`Post`] per old page, read from the
//! other generator's files but not yet mapped to briefly's terms, slugs or
//! files; and the front matter reading the Hugo and Jekyll readers share.

use std::path::PathBuf;

use serde_json::{Map, Value};

/// One post of the old site.
#[derive(Debug, Clone, Default)]
pub(crate) struct Post {
    /// Where it was read, relative to the source (for messages).
    pub(crate) origin: PathBuf,
    /// Its line in `origin` (1 for a whole file).
    pub(crate) line: usize,
    pub(crate) title: String,
    /// The date as the old site wrote it (checked before writing).
    pub(crate) date: String,
    /// The line of the date in `origin`, when known (for a bad date).
    pub(crate) date_line: Option<usize>,
    pub(crate) updated: Option<String>,
    /// The slug the old site used (not yet made unique).
    pub(crate) slug: String,
    /// Old URL paths, the first being the post's own URL.
    pub(crate) aliases: Vec<String>,
    /// The post named its own URL (`url:`, `permalink:`), which `--permalink` does not replace.
    pub(crate) url_written: bool,
    pub(crate) summary: Option<String>,
    pub(crate) authors: Vec<String>,
    /// Categories and custom taxonomies: topics unless mapped otherwise.
    pub(crate) categories: Vec<String>,
    /// Tags: kept in `extra.tags` unless mapped.
    pub(crate) tags: Vec<String>,
    pub(crate) draft: bool,
    /// Markdown body, shortcodes already converted.
    pub(crate) body: String,
    /// Files of a page bundle: (absolute source, path inside the brief folder).
    pub(crate) files: Vec<(PathBuf, PathBuf)>,
    /// Keys with no briefly equivalent (`expiryDate`, ...), kept under `extra`.
    pub(crate) extra: Map<String, Value>,
    /// Images the post uses that stay on the old host (WordPress media).
    pub(crate) media: Vec<String>,
    /// Images fetched from the old host (`--fetch-media`): (name in the brief's folder, bytes).
    pub(crate) fetched: Vec<(PathBuf, Vec<u8>)>,
    /// The syntax its body's shortcodes or tags are in.
    pub(crate) dialect: super::shortcodes::Dialect,
    /// Names other posts use to link to this one (`posts/x.md`, `2019-01-02-x`).
    pub(crate) refs: Vec<String>,
    /// Shortcodes the reader converted itself (WordPress's, before HTML -> Markdown).
    pub(crate) read_converted: usize,
    /// Shortcodes the reader kept as written: (line in `origin`, text).
    pub(crate) read_kept: Vec<(usize, String)>,
}

impl Post {
    /// Whether the brief is a folder (`<slug>/index.md`) with files beside it.
    pub(crate) fn is_folder(&self) -> bool {
        !self.files.is_empty() || !self.fetched.is_empty()
    }
}

/// A problem with one post or file: it is listed, the others go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) origin: PathBuf,
    pub(crate) line: usize,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Problem {
    pub(crate) fn new(origin: impl Into<PathBuf>, line: usize, message: impl Into<String>) -> Self {
        Problem {
            origin: origin.into(),
            line,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// A file's front matter as a map, and its body with the line it starts on.
pub(crate) struct Parsed<'a> {
    pub(crate) fields: Map<String, Value>,
    pub(crate) body: &'a str,
    pub(crate) body_line: usize,
}

/// Splits and parses YAML (`---`), TOML (`+++`) or JSON (`{`) front
/// matter; a file without any is all body. Errors name the file's line.
pub(crate) fn front_matter(text: &str) -> Result<Parsed<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fence = match text.lines().next().map(str::trim_end) {
        Some("---") => "---",
        Some("+++") => "+++",
        _ => {
            return Ok(Parsed {
                fields: Map::new(),
                body: text,
                body_line: 1,
            });
        }
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = after_open;
    for (line, l) in (2..).zip(text[after_open..].split_inclusive('\n')) {
        if l.trim_end() == fence {
            let raw = &text[after_open..offset];
            let body = &text[offset + l.len()..];
            let fields = parse_block(raw, fence).map_err(|(at, why)| (at + 1, why))?;
            return Ok(Parsed {
                fields,
                body,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err((
        1,
        format!("the front matter opened with `{fence}` is never closed"),
    ))
}

/// One front matter block -> a map; the error line counts from the block's first line.
fn parse_block(raw: &str, fence: &str) -> Result<Map<String, Value>, (usize, String)> {
    if raw.trim().is_empty() {
        return Ok(Map::new());
    }
    let value: Value = if fence == "+++" {
        let table: toml::Table = raw.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map_or(1, |s| {
                raw[..s.start.min(raw.len())].matches('\n').count() + 1
            });
            (
                line,
                format!("TOML front matter does not parse: {}", e.message()),
            )
        })?;
        toml_to_json(toml::Value::Table(table))
    } else {
        // Hugo and Jekyll accept a key given twice (the last wins); so does the import.
        let options = serde_saphyr::options! {
            duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::LastWins,
        };
        serde_saphyr::from_str_with_options(raw, options).map_err(|e| {
            let message = e.to_string();
            let line = yaml_error_line(&message);
            // The position is counted from the block; the caller names the file's line.
            let why = first_line(&message);
            let why = why
                .split_once(": ")
                .filter(|(h, _)| h.contains("line "))
                .map_or(why, |(_, w)| w);
            let why = why.strip_prefix("error: ").unwrap_or(why);
            let why = why
                .split_once(": ")
                .filter(|(h, _)| h.contains("line "))
                .map_or(why, |(_, w)| w);
            (line, format!("YAML front matter does not parse: {why}"))
        })?
    };
    match value {
        Value::Object(map) => Ok(map),
        Value::Null => Ok(Map::new()),
        _ => Err((
            1,
            "the front matter is not a map of `key: value` lines".into(),
        )),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// The line serde-saphyr names in its message ("line 3 column 5"), else 1.
fn yaml_error_line(message: &str) -> usize {
    message
        .split("line ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// TOML values as JSON; dates become their text, as YAML front matter writes them.
pub(crate) fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The line of the first of `keys` in a file's front matter (`date:`,
/// `date =`), ignoring case as Hugo does.
pub(crate) fn key_line(text: &str, keys: &[&str]) -> Option<usize> {
    text.lines().enumerate().skip(1).find_map(|(i, line)| {
        let lower = line.to_lowercase();
        let key = lower.split([':', '=']).next()?.trim();
        (keys.contains(&key) && lower.len() > key.len()).then_some(i + 1)
    })
}

/// A text field (numbers and dates as their text).
pub(crate) fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list field: a list, or one value (Jekyll also allows `tags: a b c`).
pub(crate) fn list(fields: &Map<String, Value>, key: &str, split_spaces: bool) -> Vec<String> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    match fields.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(one)
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::String(s)) if split_spaces => s.split_whitespace().map(String::from).collect(),
        Some(v) => one(v).filter(|s| !s.is_empty()).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A boolean field (`draft: true`, also written as a string).
pub(crate) fn flag(fields: &Map<String, Value>, key: &str) -> bool {
    match fields.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// The path part of an old URL, always starting with `/`.
pub(crate) fn url_path(url: &str) -> String {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => url,
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    collapse_slashes(&format!("/{path}"))
}

/// Dates as Ruby and Go read them but briefly does not: an offset with a
/// one-digit hour (`2015-03-17 14:00:00 -4`) gets its zeros (`-04:00`).
pub(crate) fn normalize_date(date: &str) -> String {
    let Some((head, zone)) = date.trim().rsplit_once(' ') else {
        return date.trim().to_string();
    };
    let (sign, digits) = zone.split_at(zone.len().min(1));
    let short = matches!(sign, "+" | "-")
        && (1..=2).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit());
    if short && head.contains(':') {
        format!("{head} {sign}{digits:0>2}:00")
    } else {
        date.trim().to_string()
    }
}

/// `/a//b/` -> `/a/b/`: web servers read both as one path, and an empty
/// segment is no file name.
pub(crate) fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// A site configuration file (`hugo.toml`, `_config.yml`) as a map; `None`
/// when it is absent or does not parse (its settings are then the defaults).
pub(crate) fn config_file(dir: &std::path::Path, names: &[&str]) -> Option<Map<String, Value>> {
    names.iter().find_map(|name| {
        let text = std::fs::read_to_string(dir.join(name)).ok()?;
        let value: Value = if name.ends_with(".toml") {
            toml_to_json(toml::Value::Table(text.parse().ok()?))
        } else if name.ends_with(".json") {
            serde_json::from_str(&text).ok()?
        } else {
            serde_saphyr::from_str(&text).ok()?
        };
        match value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    })
}

/// Fills a permalink pattern's tokens (`/:year/:month/:slug/`, Hugo's and
/// Jekyll's shared ones); unknown tokens are left as written.
pub(crate) fn permalink(pattern: &str, date: &str, tokens: &[(&str, &str)]) -> String {
    let year = date.get(..4).unwrap_or("");
    let month = date.get(5..7).unwrap_or("");
    let day = date.get(8..10).unwrap_or("");
    let mut out = pattern.to_string();
    let mut all: Vec<(&str, &str)> = tokens.to_vec();
    all.extend([
        (":year", year),
        (":month", month),
        (":day", day),
        (":i_month", month.trim_start_matches('0')),
        (":i_day", day.trim_start_matches('0')),
    ]);
    // Longest first, so `:slugorfilename` is not read as `:slug`.
    all.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    for (token, value) in all {
        out = out.replace(token, value);
    }
    collapse_slashes(&format!("/{out}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_yaml_and_no_front_matter_are_read() {
        let toml = "+++\ntitle = \"T\"\ndate = 2019-05-20T10:00:00Z\ntags = [\"a\"]\n+++\nBody\n";
        let p = front_matter(toml).expect("toml");
        assert_eq!(text(&p.fields, "title").as_deref(), Some("T"));
        assert_eq!(
            text(&p.fields, "date").as_deref(),
            Some("2019-05-20T10:00:00Z")
        );
        assert_eq!(p.body, "Body\n");
        assert_eq!(p.body_line, 6);
        let yaml = front_matter("---\ntags: a b\n---\nx").expect("yaml");
        assert_eq!(list(&yaml.fields, "tags", true), ["a", "b"]);
        assert!(
            front_matter("no front matter")
                .expect("plain")
                .fields
                .is_empty()
        );
    }

    #[test]
    fn the_date_line_is_found_in_either_syntax() {
        assert_eq!(
            key_line("---\ntitle: x\ndate: 2019\n---\n", &["date"]),
            Some(3)
        );
        assert_eq!(key_line("+++\nDate = 2019\n+++\n", &["date"]), Some(2));
    }

    #[test]
    fn one_digit_offsets_are_padded() {
        assert_eq!(
            normalize_date("2015-03-17 14:00:00 -4"),
            "2015-03-17 14:00:00 -04:00"
        );
        assert_eq!(
            normalize_date("2015-03-17 14:00:00 +10"),
            "2015-03-17 14:00:00 +10:00"
        );
        assert_eq!(
            normalize_date("2015-03-17 14:00:00 -0400"),
            "2015-03-17 14:00:00 -0400"
        );
        assert_eq!(normalize_date("2015-03-17"), "2015-03-17");
    }

    #[test]
    fn bad_front_matter_names_its_line() {
        let (line, why) = front_matter("+++\ntitle = \"T\"\ndate = = 2\n+++\n")
            .err()
            .expect("bad");
        assert_eq!(line, 3, "{why}");
        assert!(front_matter("---\ntitle: T\n").is_err());
    }
}
