//! Rebuilds of a multilingual site (the fixture in English and French) in a
//! running session write exactly what a full build writes, and the common
//! edits of a brief (its text, countries, actors) stay incremental.

use crate::incremental::Live;

/// A translation of the fixture's `alpha`.
const FRENCH: &str = "content/briefs/alpha-fr.md";
/// A French brief of its own.
const OTHER: &str = "content/briefs/beta-fr.md";
const TRANSLATION: &str = "translation_of: alpha\n";
const TERMS: &str = "countries: [Iran, France]\nactors: [Rouhani]\n";
/// The `hreflang` link a page has to its French version.
const TO_FRENCH: &str = r#"<link rel="alternate" hreflang="fr""#;

fn french(front: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"Alpha : Rohani appelle Macron\"\ndate: 2018-01-04\nlang: fr\n{front}---\n{body}\n"
    )
}

fn other(lang: &str) -> String {
    format!(
        "---\ntitle: \"Bêta : les manifestations s'étendent\"\ndate: 2018-01-06\nlang: {lang}\ncountries: [Iran]\nactors: [Rouhani, IRGC]\n---\nCorps.\n"
    )
}

/// The fixture with French added: a translation of `alpha` and another brief.
fn multilingual() -> Live {
    let mut live = Live::start();
    let yaml = std::fs::read_to_string(live.site.root().join("site.yaml")).expect("read");
    live.site.write(
        "site.yaml",
        &yaml.replace("language: en\n", "language: en\nlanguages:\n  - code: fr\n"),
    );
    live.site
        .write(FRENCH, &french(&[TRANSLATION, TERMS].concat(), "Texte."));
    live.site.write(OTHER, &other("fr"));
    let r = live.changed(&["site.yaml", FRENCH, OTHER]);
    assert_eq!(r.mode, "full");
    live.assert_same_as_full_build("French added");
    live
}

/// Saves `text` as `rel`, and checks the rebuild is incremental and equals
/// a full build.
fn save(live: &mut Live, rel: &str, text: &str, step: &str) {
    live.site.write(rel, text);
    let r = live.changed(&[rel]);
    assert_eq!(r.mode, "incremental", "{step}");
    live.assert_same_as_full_build(step);
}

#[test]
fn editing_a_french_briefs_text_countries_and_actors_is_incremental() {
    let mut live = multilingual();
    live.site.write(
        FRENCH,
        &french(&[TRANSLATION, TERMS].concat(), "Texte modifié."),
    );
    let r = live.changed(&[FRENCH]);
    assert_eq!(r.mode, "incremental");
    assert!(
        r.rendered < 20,
        "a body edit renders its page and feeds, got {}",
        r.rendered
    );
    live.assert_same_as_full_build("body edit");
    assert!(
        live.site
            .out("fr/briefs/alpha-fr/index.html")
            .contains("Texte modifié.")
    );

    // France leaves the French site and Iraq joins it: the English pages
    // of both countries change their links to French versions.
    let countries = "countries: [Iran, Iraq]\nactors: [Rouhani]\n";
    let text = french(&[TRANSLATION, countries].concat(), "Texte modifié.");
    save(&mut live, FRENCH, &text, "countries edit");
    assert!(live.site.out_exists("fr/countries/iraq/index.html"));
    assert!(!live.site.out_exists("fr/countries/france/index.html"));
    assert!(
        live.site
            .out("countries/iraq/index.html")
            .contains(TO_FRENCH)
    );
    assert!(
        !live
            .site
            .out("countries/france/index.html")
            .contains(TO_FRENCH)
    );

    let actors = "countries: [Iran, Iraq]\nactors: [Rouhani, IRGC]\n";
    let text = french(&[TRANSLATION, actors].concat(), "Texte modifié.");
    save(&mut live, FRENCH, &text, "actors edit");
    assert!(
        live.site
            .out("fr/actors/irgc/index.html")
            .contains("alpha-fr")
    );
}

#[test]
fn translations_languages_and_deletions_while_serving_equal_full_builds() {
    let mut live = multilingual();
    // Both French briefs name the same terms, so none of them leaves French
    // below (a term coming to or leaving a language renders everything).
    let terms = "countries: [Iran, France]\nactors: [Rouhani, IRGC]\n";
    let linked = french(&[TRANSLATION, terms].concat(), "Texte.");
    save(&mut live, FRENCH, &linked, "actor added");
    assert!(live.site.out("briefs/alpha/index.html").contains(TO_FRENCH));
    save(
        &mut live,
        FRENCH,
        &french(TERMS, "Texte."),
        "translation removed",
    );
    assert!(!live.site.out("briefs/alpha/index.html").contains(TO_FRENCH));
    save(&mut live, FRENCH, &linked, "translation added");
    assert!(live.site.out("briefs/alpha/index.html").contains(TO_FRENCH));

    save(&mut live, OTHER, &other("en"), "language changed");
    assert!(live.site.out_exists("briefs/beta-fr/index.html"));
    assert!(!live.site.out_exists("fr/briefs/beta-fr/index.html"));
    save(&mut live, OTHER, &other("fr"), "language changed back");
    assert!(live.site.out_exists("fr/briefs/beta-fr/index.html"));

    // A new slug changes the URL its original's switcher links to.
    let renamed = "content/briefs/alpha-traduit.md";
    live.site.remove(FRENCH);
    live.site.write(renamed, &linked);
    let r = live.changed(&[FRENCH, renamed]);
    assert_eq!(r.mode, "incremental");
    live.assert_same_as_full_build("translation renamed");
    assert!(
        live.site
            .out("briefs/alpha/index.html")
            .contains("fr/briefs/alpha-traduit/")
    );

    live.site.remove(renamed);
    let r = live.changed(&[renamed]);
    assert_eq!(r.mode, "incremental");
    live.assert_same_as_full_build("translation deleted");
    assert!(!live.site.out_exists("fr/briefs/alpha-traduit/index.html"));
    assert!(!live.site.out("briefs/alpha/index.html").contains(TO_FRENCH));
}
