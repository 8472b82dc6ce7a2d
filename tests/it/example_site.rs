//! The repository root is itself an example site and must build.

use crate::common::{TestSite, copy_tree, repo};

#[test]
fn example_site_builds_with_the_default_theme() {
    let site = TestSite::empty();
    for part in ["content", "themes"] {
        copy_tree(&repo().join(part), &site.root().join(part));
    }
    std::fs::copy(repo().join("site.yaml"), site.root().join("site.yaml")).expect("copy site.yaml");
    site.build(&[]).success();
    let brief = site.out("briefs/2018-01-02-rouhani-macron-call/index.html");
    assert!(brief.contains("Rouhani Talks to Macron"));
    assert!(brief.contains("Fars News Agency"));
    assert!(
        brief.contains("Middle East Institute"),
        "MEI disclaimer shown"
    );
    // The example site shows the PDF edition (`pdf: true` in its site.yaml).
    assert!(brief.contains("Download PDF"), "PDF link on the brief page");
    assert!(
        site.out_exists("briefs/2018-01-02-rouhani-macron-call/2018-01-02-rouhani-macron-call.pdf")
    );
    let iran = site.out("countries/iran/index.html");
    assert!(iran.matches("/briefs/briefs/").count() == 0);
    assert!(
        site.out("index.html").to_lowercase().contains("sample"),
        "tagline labels samples"
    );
}
