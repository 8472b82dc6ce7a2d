//! Property tests: no input makes the parsers panic.

use std::path::Path;

use proptest::prelude::*;

proptest! {
    #[test]
    fn front_matter_split_and_parse_never_panic(text in "(---\n)?[ -~\n\u{e9}\u{feff}]{0,200}(\n---\n)?[ -~\n]{0,50}") {
        if let Ok(split) = briefly::internals::frontmatter::split(Path::new("x.md"), &text) {
            let _ = briefly::internals::frontmatter::parse::<serde_json::Value>(Path::new("x.md"), &split);
        }
    }

    #[test]
    fn markdown_render_never_panics(text in "[ -~\n]{0,300}") {
        let r = briefly::internals::markdown::render(&text, &|id| (id == "a").then_some(1));
        prop_assert!(r.html.len() <= text.len() * 20 + 100);
    }

    #[test]
    fn dates_parse_or_fail_cleanly(text in "[0-9T:+\\-Z ]{0,30}") {
        let _ = briefly::internals::validate::parse_date(&text, &jiff::tz::TimeZone::UTC);
    }
}
