//! A build killed at any moment (while rendering, while moving changed
//! files into an output it updates in place, while writing its record)
//! never leaves an output the next build trusts wrongly: the next build
//! writes exactly what a clean build writes.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use std::time::{Duration, Instant};

use crate::common::TestSite;

/// A site of `n` briefs sharing countries and actors, so that a change of
/// the site's title reaches every page and gives the final moves of an
/// in-place build thousands of files.
fn archive(n: usize) -> TestSite {
    let site = TestSite::empty();
    site.write(
        "site.yaml",
        "title: Killed Institute\nbase_url: \"https://example.org/\"\nlanguage: en\nsearch_shard_briefs: 20\n",
    );
    let countries = ["Iran", "Iraq", "France", "Chile", "Japan"];
    for i in 0..n {
        let (a, b) = (countries[i % 5], countries[(i / 5) % 5]);
        site.write(
            &format!("content/briefs/brief-{i:03}.md"),
            &format!(
                "---\ntitle: \"Sample brief {i} on {a} and {b}\"\ndate: 20{:02}-{:02}-{:02}\ncountries: [{a}, {b}]\nactors: [\"Actor {}\"]\n---\nSample text {i} for the test of killed builds.\n",
                10 + i % 12,
                1 + i % 12,
                1 + i % 28,
                i % 7
            ),
        );
    }
    site
}

/// `briefly build` as a std `Command`, which can be spawned and killed
/// (`TestSite::cmd`'s assert_cmd one only runs to the end).
fn briefly(site: &TestSite) -> Command {
    let mut cmd = Command::cargo_bin("briefly").expect("binary");
    cmd.current_dir(site.root()).arg("build");
    cmd
}

/// How many of the output's HTML pages name the site title `title`.
fn pages_titled(site: &TestSite, title: &str) -> usize {
    let needle = format!("{title}<");
    crate::common::snapshot_tree(&site.root().join("output"))
        .values()
        .filter(|bytes| String::from_utf8_lossy(bytes).contains(&needle))
        .count()
}

#[test]
fn a_build_killed_while_moving_files_in_is_repaired_by_the_next() {
    let site = archive(150);
    assert!(briefly(&site).status().expect("runs").success());
    let home = site.root().join("output/index.html");
    let mut mixes = 0;
    for round in 1..=12u32 {
        let (old, new) = (
            format!("Killed Institute{}", " 0".repeat(round as usize - 1)),
            format!("Killed Institute{}", " 0".repeat(round as usize)),
        );
        site.edit(
            "site.yaml",
            &format!("title: {old}\n"),
            &format!("title: {new}\n"),
        );
        let mut build = briefly(&site).spawn().expect("spawns");
        // Every page names the title, so every page is moved in at the
        // end: kill the build as soon as the first moved page shows.
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let moved =
                std::fs::read_to_string(&home).is_ok_and(|h| h.contains(&format!("{new}<")));
            if moved || build.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::yield_now();
        }
        let _ = build.kill();
        let _ = build.wait();
        if pages_titled(&site, &old) > 0 && pages_titled(&site, &new) > 0 {
            mixes += 1;
        }
        // The next build does not trust the mix: it writes a clean build's bytes.
        assert!(briefly(&site).status().expect("runs").success());
        site.assert_output_as_clean_build(&[]);
        if mixes == 2 {
            break;
        }
    }
    assert!(mixes > 0, "no kill landed while files were being moved in");
}

#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let site = archive(150);
    briefly(&site).status().expect("runs");
    // How long a build that changes every page takes, to spread the kills over it.
    site.edit("site.yaml", "Killed Institute", "Killed Institute 0");
    let started = Instant::now();
    assert!(briefly(&site).status().expect("runs").success());
    let whole = started.elapsed();
    for round in 1..=6u32 {
        site.edit(
            "site.yaml",
            &format!("Killed Institute {}", round - 1),
            &format!("Killed Institute {round}"),
        );
        let mut build = briefly(&site).spawn().expect("spawns");
        // From early in the render to the very end, where the moves are.
        std::thread::sleep(whole.mul_f64(0.3 + 0.15 * f64::from(round)).min(whole * 2));
        let _ = build.kill();
        let _ = build.wait();
        // The next build, whatever the kill left, writes a clean build's bytes.
        assert!(briefly(&site).status().expect("runs").success());
        site.assert_output_as_clean_build(&[]);
        let leftovers: Vec<_> = std::fs::read_dir(site.root())
            .expect("root")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("briefly-new") || n.contains("briefly-old"))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
    // Kills right away and near the end again, a few milliseconds apart.
    for delay in [0, 5, 20] {
        site.write("content/briefs/brief-000.md", &format!(
            "---\ntitle: \"Sample brief zero, take {delay}\"\ndate: 2010-01-01\ncountries: [Iran]\n---\nText.\n"
        ));
        let mut build = briefly(&site).spawn().expect("spawns");
        std::thread::sleep(Duration::from_millis(delay));
        let _ = build.kill();
        let _ = build.wait();
        assert!(briefly(&site).status().expect("runs").success());
        site.assert_output_as_clean_build(&[]);
    }
}
