//! A multilingual site: `languages:` in site.yaml, translations of briefs
//! linked to each other, and the pages of each language under `/<code>/`.

use crate::common::{TestSite, stderr};

const SITE: &str = "title: Briefs\nbase_url: \"https://example.org/\"\nsearch: false\nlanguage: en\nlanguages:\n  - code: fr\n  - code: ar\n";

fn multilingual(briefs: &[(&str, &str)]) -> TestSite {
    let site = TestSite::empty();
    site.write("site.yaml", SITE);
    for (name, text) in briefs {
        site.write(&format!("content/briefs/{name}"), text);
    }
    site
}

#[test]
fn a_brief_in_an_undeclared_language_is_an_error_at_its_lang() {
    let brief = "---\ntitle: Örnek\ndate: 2020-01-02\nlang: tr\n---\nMetin.\n";
    let site = multilingual(&[("tr.md", brief)]);
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("tr.md:4:7: error: `tr` is not one of the site's languages (en, fr, ar)"),
        "{err}"
    );
    assert!(err.contains("add `- code: tr` to `languages:`"), "{err}");
    // A regional tag belongs to its language: `fr-CA` is French here.
    site.write(
        "content/briefs/tr.md",
        "---\ntitle: Exemple\ndate: 2020-01-02\nlang: fr-CA\n---\nTexte.\n",
    );
    site.build(&[]).success();
}

#[test]
fn a_bad_language_in_site_yaml_is_located() {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: T\nlanguage: en\nlanguages:\n  - code: xx-nonsense\n",
    );
    let err = stderr(&site.build(&[]).failure());
    assert!(
        err.contains("site.yaml:4:11: error: `xx-nonsense` is not a language tag"),
        "{err}"
    );
}
