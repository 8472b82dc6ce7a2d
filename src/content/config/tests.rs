//! Unit tests of `site.yaml` parsing.

use super::*;

#[test]
fn base_url_keeps_sub_path() {
    assert_eq!(
        normalize_base_url("https://org.github.io/briefs").unwrap(),
        ("https://org.github.io/briefs/".into(), "/briefs/".into())
    );
    assert_eq!(normalize_base_url("https://example.org").unwrap().1, "/");
    assert!(normalize_base_url("ftp://x").is_err());
}

#[test]
fn unknown_default_disclaimer_is_located() {
    let text = "title: T\ndisclaimers:\n  standard: x\ndefault_disclaimer: standrd\n";
    let errs = Config::parse(Path::new("site.yaml"), text).unwrap_err();
    assert_eq!(errs[0].line, 4);
    assert!(errs[0].hint.as_deref().unwrap().contains("standard"));
}

#[test]
fn timezone_and_keep_keys_are_checked() {
    let ok = Config::parse(
        Path::new("site.yaml"),
        "title: T\ntimezone: America/New_York\nkeep_keys: [weight, deck]\n",
    )
    .unwrap();
    assert_eq!(ok.timezone.iana_name(), Some("America/New_York"));
    assert_eq!(ok.keep_keys, ["weight", "deck"]);
    let text = "title: T\ntimezone: Mars/Olympus\nkeep_keys: [weight, title]\n";
    let errs = Config::parse(Path::new("site.yaml"), text).unwrap_err();
    assert_eq!((errs[0].line, errs[0].column), (2, 11));
    assert!(errs[0].message.contains("unknown time zone"));
    assert_eq!((errs[1].line, errs[1].column), (3, 21));
}

#[test]
fn every_unknown_key_of_site_yaml_is_reported() {
    let errs =
        Config::parse(Path::new("site.yaml"), "title: T\ntitel: x\nbase_ulr: /\n").unwrap_err();
    assert_eq!(errs.len(), 2);
    assert!(errs[1].hint.as_deref().unwrap().contains("base_url"));
}

#[test]
fn archive_per_page_defaults_to_100_and_rejects_zero_at_its_line() {
    let ok = Config::parse(Path::new("site.yaml"), "title: T\n").unwrap();
    assert_eq!(ok.archive_per_page, 100);
    let set = Config::parse(Path::new("site.yaml"), "title: T\narchive_per_page: 7\n").unwrap();
    assert_eq!(set.archive_per_page, 7);
    let errs =
        Config::parse(Path::new("site.yaml"), "title: T\narchive_per_page: 0\n").unwrap_err();
    assert_eq!((errs[0].line, errs[0].column), (2, 19));
    assert!(errs[0].message.contains("archive_per_page"));
}
