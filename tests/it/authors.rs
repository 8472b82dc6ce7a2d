//! Author records (`content/authors/<slug>.md`): author pages, JSON-LD
//! `Person` with `sameAs`, `citation_author_orcid`, their mistakes, and
//! `check`'s warning for a record nobody uses. Also the JSON-LD types of
//! actors by their registry `kind`.

use crate::common::TestSite;

const DANA: &str = "---
name: \"Dana Analyst\"
role: \"Senior Fellow\"
affiliation: \"Fixture Institute\"
photo: /img/dana.svg
orcid: \"https://orcid.org/0000-0002-1825-0097\"
links: [\"https://scholar.google.com/citations?user=dana\"]
---
Dana studies **sanctions** and the Gulf.
";

fn jsonld(page: &str) -> serde_json::Value {
    let open = "<script type=\"application/ld+json\">";
    let start = page.find(open).expect("JSON-LD") + open.len();
    let end = start + page[start..].find("</script>").expect("end");
    serde_json::from_str(&page[start..end]).expect("JSON")
}

fn site_with_record() -> TestSite {
    let site = TestSite::fixture();
    site.write("content/authors/dana-analyst.md", DANA);
    site.write(
        "static/img/dana.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"/>",
    );
    site
}

#[test]
fn an_author_record_shows_on_the_author_page() {
    let site = site_with_record();
    site.build(&[]).success();
    let page = site.out("authors/dana-analyst/index.html");
    assert!(page.contains("Senior Fellow, Fixture Institute"), "{page}");
    assert!(
        page.contains("<strong>sanctions</strong>"),
        "the bio is Markdown"
    );
    assert!(
        page.contains(r#"src="/briefs/img/dana.svg""#),
        "photo under the base path"
    );
    assert!(page.contains(r#"href="https://orcid.org/0000-0002-1825-0097""#));
    assert!(
        page.contains(">scholar.google.com</a>"),
        "profile link labelled by host"
    );
    // An author without a record keeps the plain page.
    let sam = site.out("authors/sam-writer/index.html");
    assert!(!sam.contains("author-profile"));
}

#[test]
fn json_ld_and_scholar_tags_carry_the_record() {
    let site = site_with_record();
    site.build(&[]).success();
    let page = site.out("briefs/beta/index.html");
    assert!(page.contains(
        r#"<meta name="citation_author_orcid" content="https://orcid.org/0000-0002-1825-0097">"#
    ));
    assert_eq!(
        page.matches("citation_author_orcid").count(),
        1,
        "Sam has none"
    );
    let data = jsonld(&page);
    let dana = &data["author"][0];
    assert_eq!(dana["@type"], "Person");
    assert_eq!(dana["name"], "Dana Analyst");
    assert_eq!(dana["jobTitle"], "Senior Fellow");
    assert_eq!(dana["affiliation"]["name"], "Fixture Institute");
    assert_eq!(dana["image"], "https://example.org/briefs/img/dana.svg");
    assert_eq!(
        dana["sameAs"],
        serde_json::json!([
            "https://orcid.org/0000-0002-1825-0097",
            "https://scholar.google.com/citations?user=dana"
        ])
    );
    let sam = &data["author"][1];
    assert_eq!(sam["@type"], "Person");
    assert!(sam.get("sameAs").is_none());
    // Actors: a registered person is a Person, a state body an
    // Organization, an unregistered name a Thing.
    let types: Vec<(String, String)> = data["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .map(|m| (m["name"].to_string(), m["@type"].to_string()))
        .collect();
    assert_eq!(
        types,
        [
            ("\"Hassan Rouhani\"".into(), "\"Person\"".into()),
            ("\"Some Unregistered Person\"".into(), "\"Thing\"".into()),
        ]
    );
    let alpha = jsonld(&site.out("briefs/alpha/index.html"));
    assert_eq!(
        alpha["mentions"][1]["@type"], "Organization",
        "IRGC is a state body"
    );
}

#[test]
fn an_organization_record_is_an_organization() {
    let site = TestSite::fixture();
    site.write(
        "content/authors/sam-writer.md",
        "---\nname: Sam Writer\nkind: organization\n---\n",
    );
    site.build(&[]).success();
    let data = jsonld(&site.out("briefs/delta/index.html"));
    assert_eq!(data["author"][0]["@type"], "Organization");
}

#[test]
fn mistakes_in_a_record_are_reported_at_their_lines() {
    let site = TestSite::fixture();
    site.build(&[]).success();
    site.write(
        "content/authors/dana-analyst.md",
        "---\nname: Dana Analyst\norcid: 0000-0002-1825-0098\nkind: robot\nlinks: [\"scholar.google.com/x\"]\nphoto: dana.jpg\n---\n",
    );
    site.write("content/authors/nameless.md", "---\nrole: Fellow\n---\n");
    let out = site.build(&[]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    for expected in [
        "content/authors/dana-analyst.md:3:8: error: `0000-0002-1825-0098` is not an ORCID iD",
        "content/authors/dana-analyst.md:4:7: error: `kind: robot` is not a choice",
        "content/authors/dana-analyst.md:5:9: error: `scholar.google.com/x` is not a web address",
        "content/authors/dana-analyst.md:6:8: error: photo `dana.jpg`",
        "content/authors/nameless.md:1:1: error: missing required field `name`",
    ] {
        assert!(stderr.contains(expected), "missing {expected}:\n{stderr}");
    }
    assert!(stderr.contains("hint:"));
    // Nothing was written over the last good build.
    assert!(site.out_exists("briefs/alpha/index.html"));
}

#[test]
fn check_warns_about_a_record_no_brief_names() {
    let site = TestSite::fixture();
    site.write(
        "content/authors/dana-analist.md",
        "---\nname: Dana Analist\n---\n",
    );
    let out = site.cmd().arg("check").assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "content/authors/dana-analist.md:1:1: warning: no brief names the author `Dana Analist`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("briefs write `Dana Analyst`"), "{stderr}");
}

#[test]
fn check_warns_about_a_brief_author_one_letter_from_a_record() {
    let site = TestSite::fixture();
    site.write(
        "content/authors/sam-writer.md",
        "---\nname: Sam Writer\n---\n",
    );
    site.write(
        "content/briefs/typo.md",
        "---\ntitle: Typo\ndate: 2018-04-01\nauthors: [Sam Writter]\ncountries: [Iran]\n---\nBody.\n",
    );
    let out = site.cmd().arg("check").assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "content/briefs/typo.md:1:1: warning: author `Sam Writter` has no record, but `Sam Writer` has one"
        ),
        "{stderr}"
    );
    // Authors without any near record are not flagged.
    assert!(!stderr.contains("`Dana Analyst` has no record"), "{stderr}");
}
