//! Front matter as real files write it (issue 11): archive date forms and
//! `timezone:`, every unknown key at once, `keep_keys:`, one-item lists, a
//! BOM or blank lines before `---`, trimmed source URLs, and the catalogue
//! of common YAML mistakes, each reported at `file:line:col` in plain words.

use crate::common::{TestSite, repo, stderr};

const FILE: &str = "content/briefs/x.md";

/// Builds the fixture with one extra brief; the build must fail.
fn fails_with(text: &str) -> String {
    let site = TestSite::fixture();
    site.write(FILE, text);
    stderr(&site.build(&[]).failure().code(1))
}

/// Builds the fixture with one extra brief; the build must succeed.
fn builds_with(text: &str) -> TestSite {
    let site = TestSite::fixture();
    site.write(FILE, text);
    let assert = site.build(&[]);
    let err = stderr(&assert);
    assert
        .try_success()
        .unwrap_or_else(|_| panic!("build failed:\n{err}"));
    site
}

/// The diagnostic starting with `location` (`file:line:col`), with its hint.
fn diagnostic<'a>(err: &'a str, location: &str) -> &'a str {
    let start = err
        .find(&format!("{location}: error: "))
        .unwrap_or_else(|| panic!("no error at {location} in:\n{err}"));
    let rest = &err[start..];
    let end = rest[1..]
        .find("\ncontent/")
        .or_else(|| rest[1..].find("\nerror:"))
        .map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

fn assert_reports(err: &str, location: &str, words: &[&str]) {
    let d = diagnostic(err, location);
    for w in words {
        assert!(d.contains(w), "expected `{w}` in:\n{d}\n\nall:\n{err}");
    }
    assert!(d.contains("\n  hint: "), "no hint:\n{d}");
}

// ---- dates ---------------------------------------------------------------

#[test]
fn archive_date_forms_build_and_zone_less_times_use_site_timezone() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        &format!("{config}timezone: America/New_York\n"),
    );
    let brief = |slug: &str, date: &str| {
        site.write(
            &format!("content/briefs/{slug}.md"),
            &format!("---\ntitle: {slug}\ndate: {date}\n---\nBody.\n"),
        );
    };
    brief("zulu", "2019-05-20T13:00:00Z");
    brief("wordpress", "2019-05-20 13:00:00");
    brief("jekyll", "2021-04-07 20:33:00 -0500");
    brief("colon", "2021-04-07 20:33:00 -04:00");
    site.build(&[]).success();
    let time = |slug: &str| {
        let html = site.out(&format!("briefs/{slug}/index.html"));
        let start = html.find("<time datetime=\"").expect("a <time>") + 16;
        html[start..start + html[start..].find('"').expect("end")].to_string()
    };
    assert_eq!(time("zulu"), "2019-05-20T13:00:00Z");
    // No zone written: read in America/New_York (summer time).
    assert_eq!(time("wordpress"), "2019-05-20T13:00:00-04:00");
    assert_eq!(time("jekyll"), "2021-04-07T20:33:00-05:00");
    assert_eq!(time("colon"), "2021-04-07T20:33:00-04:00");
}

#[test]
fn a_bad_date_lists_the_accepted_forms_in_plain_words() {
    let err = fails_with("---\ntitle: x\ndate: 20 May 2019\nupdated: 2019-02-30\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:3:7",
        &[
            "not a date form briefly reads",
            "2019-05-20T13:00:00Z",
            "timezone",
        ],
    );
    assert_reports(
        &err,
        "content/briefs/x.md:4:10",
        &["no such day", "YYYY-MM-DD"],
    );
    // Nothing from the date library's own wording.
    assert!(!err.contains("failed to parse"), "{err}");
}

#[test]
fn unknown_timezone_is_located_in_site_yaml() {
    let site = TestSite::fixture();
    site.write("site.yaml", "title: T\ntimezone: America/Springfield\n");
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("site.yaml:2:11: error: unknown time zone `America/Springfield`"),
        "{err}"
    );
    assert!(err.contains("America/New_York"), "{err}");
}

// ---- keys ----------------------------------------------------------------

#[test]
fn every_unknown_key_is_reported_at_once_at_its_line() {
    let err = fails_with(
        "---\ntitle: x\ndate: 2018-01-02\ncontries: [Iran]\nweight: 3\nauthor: Jane\ncountries: [Narnia]\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:4:1",
        &["unknown field `contries`", "did you mean `countries`"],
    );
    assert_reports(
        &err,
        "content/briefs/x.md:5:1",
        &["unknown field `weight`", "keep_keys"],
    );
    assert_reports(
        &err,
        "content/briefs/x.md:6:1",
        &["unknown field `author`", "did you mean `authors`"],
    );
    // ...and with the file's other mistakes.
    assert_reports(
        &err,
        "content/briefs/x.md:7:13",
        &["unknown country `Narnia`"],
    );
    assert!(err.contains("build failed with 4 error(s)"), "{err}");
}

/// `templates/brief.html` from the default theme, showing `extra.deck`.
fn brief_template_with_deck() -> String {
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/brief.html"))
        .expect("theme brief.html");
    theme.replacen(
        "{% block content %}",
        "{% block content %}<p class=\"deck\">{{ brief.extra.deck }} / {{ brief.extra.weight }}</p>",
        1,
    )
}

#[test]
fn keep_keys_land_in_extra() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write(
        "site.yaml",
        &format!("{config}keep_keys: [weight, deck, series]\n"),
    );
    site.write("templates/brief.html", &brief_template_with_deck());
    for name in ["alpha", "beta", "delta", "gamma"] {
        site.remove(&format!("content/briefs/{name}.md"));
    }
    site.write(
        FILE,
        "---\ntitle: x\ndate: 2018-01-02\nweight: 3\ndeck: \"The short version\"\nseries: [a, b]\n---\nBody.\n",
    );
    site.build(&[]).success();
    assert!(
        site.out("briefs/x/index.html")
            .contains("<p class=\"deck\">The short version / 3</p>")
    );
}

#[test]
fn a_missing_extra_field_names_the_brief_whose_page_failed() {
    let site = TestSite::fixture();
    site.write("templates/brief.html", &brief_template_with_deck());
    let err = stderr(&site.build(&[]).failure());
    assert!(err.contains("templates/brief.html:"), "{err}");
    // Once for the template position, naming the first brief by path.
    assert_eq!(err.matches("templates/brief.html:").count(), 1, "{err}");
    assert!(
        err.contains("(rendering the page of `content/briefs/alpha.md` and 2 other briefs)"),
        "{err}"
    );
}

#[test]
fn keep_keys_may_not_name_brief_fields() {
    let site = TestSite::fixture();
    site.write("site.yaml", "title: T\nkeep_keys: [deck, title]\n");
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("site.yaml:2:19: error: `title` cannot be a kept key"),
        "{err}"
    );
}

// ---- lenient shapes ------------------------------------------------------

#[test]
fn bom_and_blank_lines_before_the_fence_are_accepted() {
    let site = builds_with("\u{feff}\n\n---\ntitle: Spaced\ndate: 2018-01-02\n---\nBody.\n");
    assert!(site.out("briefs/x/index.html").contains("Spaced"));
    // Lines are still counted from the top of the file.
    let err = fails_with("\n\n---\ntitle: x\ndate: 2018-01-02\ncountries: [Narnia]\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:6:13",
        &["unknown country `Narnia`"],
    );
}

#[test]
fn one_value_where_a_list_is_expected_is_a_one_item_list() {
    let site = builds_with(
        "---\ntitle: x\ndate: 2018-01-02\nauthors: \"Jane Doe\"\ncountries: Iran\nactors: IRGC\n---\nBody.\n",
    );
    let html = site.out("briefs/x/index.html");
    assert!(html.contains("Jane Doe"), "author");
    assert!(site.out_exists("authors/jane-doe/index.html"));
    assert!(html.contains("/countries/"), "country link");
    assert!(html.contains("/actors/irgc/"), "actor link");
    // The one value keeps its position for errors.
    let err = fails_with("---\ntitle: x\ndate: 2018-01-02\ncountries: Narnia\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:4:12",
        &["unknown country `Narnia`"],
    );
}

#[test]
fn whitespace_around_source_urls_is_trimmed() {
    let site = builds_with(
        "---\ntitle: x\ndate: 2018-01-02\nsources:\n  - title: T\n    url: \"  https://example.org/report  \"\n---\nBody.\n",
    );
    assert!(
        site.out("briefs/x/index.html")
            .contains("href=\"https://example.org/report\"")
    );
}

// ---- the YAML mistakes catalogue -----------------------------------------

#[test]
fn mistake_unquoted_colon_in_title() {
    let err = fails_with("---\ntitle: Iran: the next step\ndate: 2018-01-02\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:2:12",
        &[
            "`title` contains `: `",
            "put the whole value in quotes: `title: \"Iran: the next step\"`",
        ],
    );
}

#[test]
fn mistake_curly_quotes() {
    // In a title they are text, kept as written.
    let site = builds_with("---\ntitle: “Iran”\ndate: 2018-01-02\n---\nBody.\n");
    assert!(site.out("briefs/x/index.html").contains("“Iran”"));
    // Around a name in a list they are an error.
    let err = fails_with(
        "---\ntitle: x\ndate: 2018-01-02\ncountries: [“Iran”]\nauthors: [‘Jane Doe’]\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:4:13",
        &["`“Iran”` is in curly quotes", "write `Iran` or `\"Iran\"`"],
    );
    assert_reports(&err, "content/briefs/x.md:5:11", &["curly quotes"]);
    // Around a title with a colon, the hint says why quoting did not work.
    let err = fails_with("---\ntitle: “Iran: next”\ndate: 2018-01-02\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:2:13",
        &["typographic quotes", "`title: \"Iran: next\"`"],
    );
}

#[test]
fn mistake_tab_indentation() {
    let err = fails_with("---\ntitle: x\ndate: 2018-01-02\ncountries:\n\t- Iran\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:5:1",
        &["a tab is used for indentation", "spaces only"],
    );
}

#[test]
fn mistake_missing_closing_bracket_is_on_its_own_line() {
    let err = fails_with("---\ntitle: x\ncountries: [Iran, Iraq\ndate: 2018-01-02\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:3:23",
        &[
            "`[` opened on this line is never closed",
            "add `]` at the end of the list",
        ],
    );
}

#[test]
fn mistake_bad_indent_under_sources() {
    let err = fails_with(
        "---\ntitle: x\ndate: 2018-01-02\nsources:\n  - title: A\n   url: https://example.org/\n---\n",
    );
    assert_reports(
        &err,
        "content/briefs/x.md:6:4",
        &[
            "not indented like the lines above",
            "each source starts with `  - `",
        ],
    );
}

#[test]
fn mistake_missing_closing_fence() {
    let err = fails_with("---\ntitle: x\ndate: 2018-01-02\n\nThe body starts here.\n");
    assert_reports(
        &err,
        "content/briefs/x.md:1:1",
        &["never closed", "line 5 looks like the start of the text"],
    );
}

#[test]
fn mistake_duplicate_key() {
    let err = fails_with("---\ntitle: x\ndate: 2018-01-02\ntitle: y\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:4:1",
        &["`title` is given twice", "the first is on line 1"],
    );
}

#[test]
fn mistake_key_without_value() {
    let err = fails_with("---\ntitle:\ndate:\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:2:1",
        &["`title` has no value", "after the colon"],
    );
    assert_reports(&err, "content/briefs/x.md:3:1", &["`date` has no value"]);
}

#[test]
fn mistake_hash_in_unquoted_title() {
    let err = fails_with("---\ntitle: Iran #1 priority\ndate: 2018-01-02\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:2:8",
        &[
            "the title stops before `#`",
            "`title: \"Iran #1 priority\"`",
        ],
    );
    let err = fails_with("---\ntitle: #1 priority\ndate: 2018-01-02\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:2:1",
        &["`title` has no value", "`#` starts a comment"],
    );
}

#[test]
fn mistake_wrong_type_says_what_was_expected() {
    let err = fails_with("---\ntitle: x\ndate: [2019]\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:3:7",
        &["`date` must be a date such as 2019-05-20, not a list"],
    );
    let err = fails_with("---\ntitle: x\ndate: 2018-01-02\ndraft: maybe\n---\n");
    assert_reports(
        &err,
        "content/briefs/x.md:4:8",
        &["`draft` must be `true` or `false`, not `maybe`"],
    );
    assert!(!err.contains("check the YAML syntax"), "{err}");
}

#[test]
fn titles_and_summaries_with_inline_markdown_and_entities() {
    // Real archives write `CDC&#8217;s` and `*Search.gov*` in titles (issue 11).
    let site = TestSite::fixture();
    site.write(
        "content/briefs/entities.md",
        "---\ntitle: \"CDC&#8217;s move to *Search.gov* &mdash; why it's news\"\ndate: 2020-03-04\nauthors: [\"Dana Analyst\"]\ncountries: [\"Iran\"]\nsummary: \"A `robots.txt` change &amp; what it <em>means</em>\"\n---\nBody text.\n",
    );
    site.build(&[]).success();
    let page = site.out("briefs/entities/index.html");
    let heading = "CDC\u{2019}s move to <em>Search.gov</em> \u{2014} why it\u{2019}s news";
    assert!(page.contains(&format!("{heading}</h1>")), "{page}");
    let plain = "CDC\u{2019}s move to Search.gov \u{2014} why it\u{2019}s news";
    assert!(
        page.contains(&format!("<title>{plain} \u{2014}")),
        "plain <title>"
    );
    assert!(
        page.contains(&format!("\"headline\":\"{plain}\"")),
        "plain JSON-LD"
    );
    assert!(
        page.contains("A <code>robots.txt</code> change &amp; what it <em>means</em></p>"),
        "the dek is inline HTML"
    );
    assert!(!page.contains("&amp;#8217;") && !page.contains("*Search.gov*"));
    let home = site.out("index.html");
    assert!(
        home.contains(&format!(">{heading}</a>")),
        "cards show the HTML title"
    );
    let feed = site.out("feed.xml");
    assert!(
        feed.contains(&format!("<title>{plain}</title>")),
        "plain in feeds"
    );
}

/// A build lets go of a brief's body once its page is rendered and
/// indexed; a template error in a later search shard is still reported as
/// a plain render reports it, and nothing about the bodies already let go.
#[test]
fn a_template_error_in_a_later_search_shard_is_reported_alone() {
    let site = TestSite::fixture();
    let config = std::fs::read_to_string(site.root().join("site.yaml")).expect("site.yaml");
    site.write("site.yaml", &format!("{config}search_shard_briefs: 1\n"));
    let theme = std::fs::read_to_string(repo().join("themes/default/templates/brief.html"))
        .expect("theme brief.html");
    // Only the oldest brief (delta, in the last shard) fails.
    site.write(
        "templates/brief.html",
        &theme.replacen(
            "{% block content %}",
            "{% block content %}{% if brief.slug == \"delta\" %}{{ brief.extra.missing }}{% endif %}",
            1,
        ),
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("templates/brief.html:") && err.contains("content/briefs/delta.md"),
        "{err}"
    );
    assert!(!err.contains("let go"), "{err}");
    assert!(err.contains("build failed with 1 error(s)"), "{err}");
}

/// Cards are made when a page first shows them; an error in the card
/// template is still reported once, at its line, with the output left as
/// the last build wrote it.
#[test]
fn an_error_in_one_briefs_card_fails_the_build_once_and_keeps_the_output() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    let home = site.out("index.html");
    let theme =
        std::fs::read_to_string(repo().join("themes/default/templates/partials/brief_card.html"))
            .expect("theme brief_card.html");
    site.write(
        "templates/partials/brief_card.html",
        &format!(
            "{{% if card.slug == \"delta\" %}}{{{{ card.extra.missing }}}}{{% endif %}}{theme}"
        ),
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("templates/partials/brief_card.html:1:"),
        "{err}"
    );
    assert!(err.contains("build failed with 1 error(s)"), "{err}");
    assert_eq!(site.out("index.html"), home, "the output is left as it was");
}
