//! World map: shades and links the theme's `world.svg` by briefs per country.
//!
//! The theme ships `themes/<theme>/world.svg` (Natural Earth 1:110m, see
//! `themes/default/world.svg`), one shape per line, each keyed by an upper-case
//! ISO 3166-1 alpha-2 code in a `data-iso` attribute:
//!
//! ```text
//! <path data-iso="FR" d="…"/>
//! <circle data-iso="BH" cx="…" cy="…" r="3"/>
//! ```
//!
//! [`annotate`] gives every such element a count-bucket class `map-n0` …
//! `map-n5` and wraps the elements of countries that have a page in a link
//! whose `<title>` is its accessible name. Everything else passes through
//! unchanged. Pure text in, text out: no I/O, same input, same bytes.

use crate::escape::push_escaped;
use std::collections::HashMap;

/// One country (or place) with a page on the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MapCountry<'a> {
    /// ISO 3166-1 alpha-2 code as used in the SVG's `data-iso` (case-insensitive).
    pub code: &'a str,
    /// Display name, used in the link's `<title>`.
    pub name: &'a str,
    /// URL of the country's page (normally root-relative, under the base path).
    pub url: &'a str,
    /// Number of briefs about it.
    pub count: usize,
}

/// Number of shading buckets for countries with briefs (`map-n1` … `map-n5`).
pub(crate) const BUCKETS: usize = 5;

/// The shading bucket of `count` briefs when the most covered country has
/// `max`: 0 for no briefs, otherwise 1 ..= [`BUCKETS`] on a log scale,
/// `ceil(BUCKETS · ln(1 + count) / ln(1 + max))`, so the most covered
/// country is always 5 and a single brief is light next to hundreds.
/// Computed in integers (up to 48 million briefs per country), so it is
/// the same on every platform.
pub(crate) fn bucket(count: usize, max: usize) -> usize {
    if count == 0 {
        return 0;
    }
    let max = max.max(count);
    // smallest k with (1 + count)^BUCKETS <= (1 + max)^k; a power past u128
    // is larger than any that fits
    match (count as u128 + 1).checked_pow(BUCKETS as u32) {
        Some(lhs) => (1..=BUCKETS)
            .find(|&k| {
                (max as u128 + 1)
                    .checked_pow(k as u32)
                    .is_none_or(|rhs| lhs <= rhs)
            })
            .unwrap_or(BUCKETS),
        // over 48 million briefs about one country: floats are exact enough
        None => {
            let r = (count as f64 + 1.0).ln() / (max as f64 + 1.0).ln();
            ((BUCKETS as f64 * r).ceil() as usize).clamp(1, BUCKETS)
        }
    }
}

/// Annotates the theme's world map: every element line carrying
/// `data-iso="XX"` gets `class="map-nK"` (K from [`bucket`]; 0 when `XX` is
/// not in `countries` or has no briefs), and when `XX` is in `countries` the
/// element is wrapped in
/// `<a href="URL"><title>Name: N briefs</title>…</a>` (name and URL
/// XML-escaped). A code may occur on several lines (a shape and a dot): each
/// is annotated. When `countries` names a code twice, the first entry wins.
pub(crate) fn annotate(svg: &str, countries: &[MapCountry]) -> String {
    let mut by_code: HashMap<String, &MapCountry> = HashMap::new();
    for c in countries {
        by_code.entry(c.code.to_ascii_uppercase()).or_insert(c);
    }
    let max = countries.iter().map(|c| c.count).max().unwrap_or(0);
    let mut out = String::with_capacity(svg.len() + countries.len() * 120);
    for line in svg.split_inclusive('\n') {
        match iso_code(line) {
            Some((code, start)) => {
                let country = by_code.get(&code.to_ascii_uppercase()).copied();
                let k = country.map_or(0, |c| bucket(c.count, max));
                let (body, newline) = match line.strip_suffix('\n') {
                    Some(body) => (body, "\n"),
                    None => (line, ""),
                };
                let indent_len = body.len() - body.trim_start().len();
                let (indent, element) = body.split_at(indent_len);
                let element = add_class(element, start - indent_len, &format!("map-n{k}"));
                out.push_str(indent);
                match country {
                    Some(c) => {
                        out.push_str("<a href=\"");
                        push_escaped(&mut out, c.url);
                        out.push_str("\"><title>");
                        push_escaped(&mut out, c.name);
                        out.push_str(&format!(
                            ": {} brief{}</title>",
                            c.count,
                            if c.count == 1 { "" } else { "s" }
                        ));
                        out.push_str(&element);
                        out.push_str("</a>");
                    }
                    None => out.push_str(&element),
                }
                out.push_str(newline);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The code in a line's `data-iso="XX"` and the byte offset of ` data-iso`.
fn iso_code(line: &str) -> Option<(&str, usize)> {
    const ATTR: &str = " data-iso=\"";
    let start = line.find(ATTR)?;
    let rest = &line[start + ATTR.len()..];
    let code = &rest[..rest.find('"')?];
    (!code.is_empty()).then_some((code, start))
}

/// Adds `class` to the element: appended to an existing `class="…"`, or
/// inserted as an attribute just before ` data-iso` (at byte `at`).
fn add_class(element: &str, at: usize, class: &str) -> String {
    const ATTR: &str = " class=\"";
    match element.find(ATTR) {
        Some(i) => {
            let value = i + ATTR.len();
            format!("{}{class} {}", &element[..value], &element[value..])
        }
        None => format!("{} class=\"{class}\"{}", &element[..at], &element[at..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 442" class="world-map">
<!-- Natural Earth -->
<g class="countries">
<path data-iso="FR" d="m1 2 3 4z"/>
<path data-iso="IR" d="m5 6 7 8z"/>
<path data-iso="NO" d="m9 9 1 1z"/>
</g>
<g class="dots">
<circle data-iso="BH" cx="1" cy="2" r="3"/>
<circle data-iso="FR" cx="4" cy="5" r="3"/>
</g>
</svg>
"#;

    fn country<'a>(code: &'a str, name: &'a str, url: &'a str, count: usize) -> MapCountry<'a> {
        MapCountry {
            code,
            name,
            url,
            count,
        }
    }

    #[test]
    fn shades_links_and_leaves_the_rest_alone() {
        let countries = [
            country("IR", "Iran", "/countries/iran/", 12),
            country("FR", "France", "/countries/france/", 1),
            country("BH", "Bahrain", "/countries/bahrain/", 0),
        ];
        let out = annotate(SVG, &countries);
        let expected = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000 442" class="world-map">
<!-- Natural Earth -->
<g class="countries">
<a href="/countries/france/"><title>France: 1 brief</title><path class="map-n2" data-iso="FR" d="m1 2 3 4z"/></a>
<a href="/countries/iran/"><title>Iran: 12 briefs</title><path class="map-n5" data-iso="IR" d="m5 6 7 8z"/></a>
<path class="map-n0" data-iso="NO" d="m9 9 1 1z"/>
</g>
<g class="dots">
<a href="/countries/bahrain/"><title>Bahrain: 0 briefs</title><circle class="map-n0" data-iso="BH" cx="1" cy="2" r="3"/></a>
<a href="/countries/france/"><title>France: 1 brief</title><circle class="map-n2" data-iso="FR" cx="4" cy="5" r="3"/></a>
</g>
</svg>
"#;
        assert_eq!(out, expected);
    }

    #[test]
    fn no_countries_means_every_shape_is_n0_and_unlinked() {
        let out = annotate(SVG, &[]);
        assert!(!out.contains("<a "));
        assert_eq!(out.matches("class=\"map-n0\"").count(), 5);
        assert_eq!(out.replace(" class=\"map-n0\"", ""), SVG);
    }

    #[test]
    fn names_and_urls_are_escaped_for_xml() {
        let countries = [country("fr", "<France> & \"Co\" 'x'", "/c/?a=1&b=\"2\"", 3)];
        let out = annotate(SVG, &countries);
        assert!(out.contains(
            "<a href=\"/c/?a=1&amp;b=&quot;2&quot;\"><title>&lt;France&gt; &amp; &quot;Co&quot; &apos;x&apos;: 3 briefs</title><path class=\"map-n5\" data-iso=\"FR\""
        ));
        assert!(!out.contains("<France>"));
    }

    #[test]
    fn existing_class_indent_and_missing_final_newline_are_kept() {
        let svg = "  <path class=\"x\" data-iso=\"IR\" d=\"z\"/>";
        let out = annotate(svg, &[country("IR", "Iran", "/ir/", 2)]);
        assert_eq!(
            out,
            "  <a href=\"/ir/\"><title>Iran: 2 briefs</title><path class=\"map-n5 x\" data-iso=\"IR\" d=\"z\"/></a>"
        );
    }

    #[test]
    fn crlf_lines_keep_their_endings() {
        let svg = "<g>\r\n<path data-iso=\"IR\" d=\"z\"/>\r\n</g>\r\n";
        let out = annotate(svg, &[]);
        assert_eq!(
            out,
            "<g>\r\n<path class=\"map-n0\" data-iso=\"IR\" d=\"z\"/>\r\n</g>\r\n"
        );
    }

    #[test]
    fn first_duplicate_code_wins() {
        let countries = [
            country("IR", "Iran", "/a/", 1),
            country("IR", "Persia", "/b/", 1),
        ];
        let out = annotate(SVG, &countries);
        assert!(out.contains("<a href=\"/a/\"><title>Iran: 1 brief</title>"));
        assert!(!out.contains("Persia"));
    }

    #[test]
    fn buckets_follow_a_log_scale() {
        assert_eq!(bucket(0, 0), 0);
        assert_eq!(bucket(0, 100), 0);
        assert_eq!(bucket(1, 1), 5);
        assert_eq!(bucket(5, 5), 5);
        // max 1000: 1 -> ceil(5·ln2/ln1001) = ceil(0.50) = 1
        assert_eq!(bucket(1, 1000), 1);
        assert_eq!(bucket(10, 1000), 2); // 1.74
        assert_eq!(bucket(30, 1000), 3); // 2.49
        assert_eq!(bucket(100, 1000), 4); // 3.34
        assert_eq!(bucket(300, 1000), 5); // 4.13
        assert_eq!(bucket(1000, 1000), 5);
        // a count above the given max is clamped, not a panic
        assert_eq!(bucket(7, 3), 5);
        // huge counts do not overflow
        assert_eq!(bucket(usize::MAX, usize::MAX), 5);
        assert_eq!(bucket(1, usize::MAX), 1);
        assert_eq!(bucket(1 << 40, usize::MAX), 4); // ceil(5 · 40/64) = 4
    }

    #[test]
    fn buckets_are_monotonic_and_match_the_float_formula() {
        for max in [1usize, 2, 3, 7, 12, 50, 333, 1000] {
            let mut last = 0;
            for count in 0..=max {
                let k = bucket(count, max);
                assert!(k >= last, "bucket({count}, {max}) went down");
                assert!((count == 0) == (k == 0));
                assert!(k <= BUCKETS);
                last = k;
                if count > 0 {
                    let r = (count as f64 + 1.0).ln() / (max as f64 + 1.0).ln();
                    let float_k = (BUCKETS as f64 * r - 1e-9).ceil() as usize;
                    assert_eq!(k, float_k.clamp(1, BUCKETS), "count {count} max {max}");
                }
            }
            assert_eq!(last, BUCKETS);
        }
    }

    #[test]
    fn the_theme_map_annotates_every_element() {
        let svg = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/world.svg"),
        )
        .unwrap();
        let elements = svg.matches(" data-iso=\"").count();
        assert!(elements > 200, "{elements} elements");
        for code in ["IR", "IQ", "SY", "FR", "US", "BH", "PS", "XK", "EH", "CY"] {
            assert!(
                svg.contains(&format!("data-iso=\"{code}\"")),
                "no {code} in the map"
            );
        }
        let countries = [
            country("IR", "Iran", "/countries/iran/", 9),
            country("BH", "Bahrain", "/countries/bahrain/", 1),
            country("XKR", "Kurdistan Region", "/countries/kurdistan-region/", 2),
        ];
        let out = annotate(&svg, &countries);
        assert_eq!(out.matches(" class=\"map-n").count(), elements);
        // Iran is one shape; Bahrain one dot; XKR is not on the map
        assert_eq!(out.matches("<a href=").count(), 2);
        assert_eq!(out.matches("</a>").count(), 2);
        assert!(out.contains("<title>Bahrain: 1 brief</title><circle class=\"map-n"));
        assert!(!out.contains("Kurdistan"));
        assert!(out.starts_with("<svg ") && out.trim_end().ends_with("</svg>"));
    }
}
