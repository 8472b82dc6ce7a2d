//! `--fetch-media`: images a WordPress post uses on the old host are
//! downloaded into the brief's folder and the body points at the copies.
//! The only code of the importer that uses the network; without the flag
//! the images stay where they are and the report lists them.

use std::time::Duration;

use super::post::Post;

/// One image, fetched: its name in the brief's folder and its bytes.
pub(crate) struct Fetched {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// Images may be large, and old hosts slow.
const TIMEOUT: Duration = Duration::from_secs(60);

/// Fetches every image of `post.media`; rewrites `post.body` to use the
/// fetched copies and empties `post.media` of them. Returns the images and
/// a message for each one that could not be fetched (it stays external).
pub(crate) fn fetch(post: &mut Post) -> (Vec<Fetched>, Vec<String>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .user_agent("briefly-import")
        .build()
        .into();
    let mut fetched: Vec<Fetched> = Vec::new();
    let mut failed = Vec::new();
    let mut left = Vec::new();
    for url in std::mem::take(&mut post.media) {
        let got = agent
            .get(&url)
            .call()
            .and_then(|mut r| r.body_mut().with_config().limit(64 << 20).read_to_vec());
        match got {
            Ok(bytes) => {
                let name = file_name(&url, &fetched);
                post.body = post.body.replace(&url, &name);
                fetched.push(Fetched { name, bytes });
            }
            Err(e) => {
                failed.push(format!("{url}: {e}"));
                left.push(url);
            }
        }
    }
    post.media = left;
    (fetched, failed)
}

/// The URL's last segment, made a plain file name and unique in the folder.
fn file_name(url: &str, taken: &[Fetched]) -> String {
    let last = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .rsplit('/')
        .next()
        .unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(last).decode_utf8_lossy();
    let (stem, ext) = decoded.rsplit_once('.').unwrap_or((&decoded, "img"));
    let stem = match slug::slugify(stem) {
        s if s.is_empty() => "image".to_string(),
        s => s,
    };
    let ext: String = ext
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while taken.iter().any(|f| f.name == name) {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_plain_and_unique() {
        let taken = vec![Fetched {
            name: "port.jpg".into(),
            bytes: Vec::new(),
        }];
        assert_eq!(
            file_name(
                "https://x.org/wp-content/uploads/2019/05/Port%20View.JPG?w=300",
                &[]
            ),
            "port-view.jpg"
        );
        assert_eq!(file_name("https://x.org/a/port.jpg", &taken), "port-2.jpg");
    }
}
