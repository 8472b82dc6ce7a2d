//! The PDF edition of every brief, typeset in-process with the Typst
//! compiler: `markup` (Markdown events -> escaped Typst markup),
//! `document` (one brief -> `main.typ` for the theme's `pdf/brief.typ`),
//! `world` (what Typst sees: those two files, the images, the embedded
//! fonts), `compile` (compile, export, errors -> diagnostics) and `cache`
//! (`.briefly-cache/pdf/`, by a hash of all inputs).
//!
//! Making a PDF has two steps: [`PdfSite::prepare`] (read the brief, write
//! its markup, hash the inputs: fast) and [`Prepared::make`] (the cache, or
//! Typst: slow). PDFs are bytes handed to the caller, like pages; nothing
//! here writes under the output folder.

mod cache;
mod compile;
mod document;
mod markup;
mod world;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::frontmatter;
use crate::content::model::Brief;
use crate::content::source::{self, TextFile};
use crate::diagnostic::Diagnostic;
use crate::render::{OutputFile, Site};

pub(crate) use cache::PdfCache;

/// Where a brief's PDF goes, relative to the output root: beside its page,
/// named by its slug so that a download keeps a telling name.
pub(crate) fn output_path(slug: &str) -> PathBuf {
    Path::new("briefs").join(slug).join(format!("{slug}.pdf"))
}

/// Everything a brief's PDF is made from besides the brief, owned (the
/// preview server makes PDFs on a thread of their own).
pub(crate) struct PdfSite {
    /// The site folder (briefs are re-read from it: validated briefs keep
    /// their HTML, not their Markdown).
    root: PathBuf,
    /// The theme's `pdf/brief.typ`.
    template: TextFile,
    parts: document::SiteParts,
}

/// One brief's PDF, ready to be made: its document and the key of its
/// inputs.
pub(crate) struct Prepared {
    slug: String,
    date: (i32, u8, u8),
    brief_path: PathBuf,
    brief_text: String,
    body_offset: usize,
    doc: document::Document,
    images: Vec<Vec<u8>>,
    key: cache::Key,
}

impl PdfSite {
    /// The PDF inputs of a loaded site, or an error when the theme has no
    /// PDF template.
    pub(crate) fn new(loaded: &crate::Loaded, site: &Site<'_>) -> Result<PdfSite, Diagnostic> {
        let Some(template) = &loaded.pdf_template else {
            let message = "`pdf: true`, but the theme has no PDF template `pdf/brief.typ`";
            let hint = "add `themes/<theme>/pdf/brief.typ` (`briefly copy-theme` copies the built-in one) or set `pdf: false`";
            return Err(Diagnostic::file_error(source::CONFIG_FILE, message).with_hint(hint));
        };
        Ok(PdfSite {
            root: loaded.site_files.root.clone(),
            template: template.clone(),
            parts: document::SiteParts::new(site, &loaded.published_files()),
        })
    }

    /// Reads `brief` again and writes its document.
    pub(crate) fn prepare(&self, brief: &Brief) -> Result<Prepared, Vec<Diagnostic>> {
        let file = source::read_text(&self.root, &brief.path).map_err(|d| vec![d])?;
        let split = frontmatter::split(&file.path, &file.text).map_err(|d| vec![d])?;
        let (body, body_offset) = (split.body, split.body_offset);
        let doc = document::document(&self.parts, brief, body);
        let mut images = Vec::with_capacity(doc.images.len());
        for (_, image) in &doc.images {
            let bytes = image.read().map_err(|e| {
                let message = format!("cannot read the image: {e}");
                vec![Diagnostic::file_error(&image.source, message)]
            })?;
            images.push(bytes.into_owned());
        }
        let key = cache::Key::of(&doc.main, &self.template.text, &images);
        let date = brief.date.date;
        Ok(Prepared {
            slug: brief.slug.clone(),
            date: (i32::from(date.year()), date.month() as u8, date.day() as u8),
            brief_path: brief.path.clone(),
            brief_text: file.text,
            body_offset,
            doc,
            images,
            key,
        })
    }
}

impl Prepared {
    /// The hash of the PDF's inputs: equal hashes, equal PDFs.
    pub(crate) fn inputs_hash(&self) -> u128 {
        self.key.0
    }

    /// The PDF, from the cache when it has it (then `true`), else typeset
    /// (and cached).
    pub(crate) fn make(
        &self,
        site: &PdfSite,
        cache: Option<&PdfCache>,
    ) -> Result<(OutputFile, bool), Vec<Diagnostic>> {
        let path = output_path(&self.slug);
        if let Some(bytes) = cache.and_then(|c| c.get(self.key)) {
            return Ok((OutputFile { path, bytes }, true));
        }
        self.check_images()?;
        let virtual_paths = self.doc.images.iter().map(|(p, _)| p.clone());
        let world = world::BriefWorld::new(
            self.doc.main.clone(),
            site.template.text.clone(),
            virtual_paths.zip(self.images.iter().cloned()).collect(),
            self.date,
        )
        .ok_or_else(|| {
            vec![Diagnostic::file_error(
                &self.brief_path,
                "PDF: bad internal path",
            )]
        })?;
        let origins = compile::Origins {
            brief: (&self.brief_path, &self.brief_text),
            body_offset: self.body_offset,
            template: &site.template.path,
            document: &self.doc,
        };
        let bytes = compile::pdf(&world, &self.slug, &origins)?;
        if let Some(cache) = cache {
            cache.put(self.key, &bytes);
        }
        Ok((OutputFile { path, bytes }, false))
    }
}

impl Prepared {
    /// Every image decodes; an error names the image's line in the brief.
    fn check_images(&self) -> Result<(), Vec<Diagnostic>> {
        let offsets = &self.doc.body.image_offsets;
        let errors: Vec<Diagnostic> = (self.images.iter().zip(&self.doc.images).enumerate())
            .filter_map(|(i, (bytes, (_, file)))| {
                let problem = world::check_image(bytes).err()?;
                let at = self.body_offset + offsets.get(i).copied().unwrap_or(0);
                let (line, column) = crate::diagnostic::line_col(&self.brief_text, at);
                let name = file.name.rsplit('/').next().unwrap_or(&file.name);
                let message = format!("PDF: the image `{name}` cannot be read: {problem}");
                let hint = "replace the file with a PNG, JPEG, GIF, WebP or SVG image; `pdf: false` in site.yaml builds the site without PDFs";
                Some(Diagnostic::error(&self.brief_path, line, column, message).with_hint(hint))
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Briefs per batch: Typst's memoization cache is trimmed between batches,
/// so memory stays flat on a large archive.
const BATCH: usize = 64;

/// Makes the PDF of each of `briefs` in parallel and hands it to `sink`
/// with the brief's position in `briefs`; returns every error (of every
/// brief) at once. Stops at the first error of `sink`.
pub(crate) fn make_each<E: Send>(
    site: &PdfSite,
    briefs: &[&Brief],
    cache: Option<&PdfCache>,
    sink: impl Fn(usize, OutputFile) -> Result<(), E> + Sync,
) -> Result<Result<(), Vec<Diagnostic>>, E> {
    let mut errors = Vec::new();
    let positions: Vec<usize> = (0..briefs.len()).collect();
    for batch in positions.chunks(BATCH) {
        let results: Vec<(usize, Result<OutputFile, Vec<Diagnostic>>)> = batch
            .par_iter()
            .map(|&i| {
                let made = site.prepare(briefs[i]).and_then(|p| p.make(site, cache));
                (i, made.map(|(file, _)| file))
            })
            .collect();
        for (i, result) in results {
            match result {
                Ok(file) if errors.is_empty() => sink(i, file)?,
                Ok(_) => {}
                Err(e) => errors.extend(e),
            }
        }
        typst::comemo::evict(2);
    }
    Ok(if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    })
}

/// The PDFs of every brief of a build, handed to `sink`, and each brief's
/// PDF size (for the "Download PDF" link). The cache is the site's own.
pub(crate) fn for_build<E: Send>(
    loaded: &crate::Loaded,
    site: &Site<'_>,
    sink: impl Fn(OutputFile) -> Result<(), E> + Sync,
) -> Result<Result<Vec<Option<u64>>, Vec<Diagnostic>>, E> {
    let pdf_site = match PdfSite::new(loaded, site) {
        Ok(s) => s,
        Err(d) => return Ok(Err(vec![d])),
    };
    let clashes = clashes(loaded, site);
    if !clashes.is_empty() {
        return Ok(Err(clashes));
    }
    let cache = PdfCache::new(&pdf_site.root);
    let sizes: Vec<std::sync::atomic::AtomicU64> = (0..site.briefs.len())
        .map(|_| std::sync::atomic::AtomicU64::new(0))
        .collect();
    let briefs: Vec<&Brief> = site.briefs.iter().collect();
    let made = make_each(&pdf_site, &briefs, Some(&cache), |i, file| {
        let size = file.bytes.len() as u64;
        sizes[i].store(size, std::sync::atomic::Ordering::Relaxed);
        sink(file)
    })?;
    Ok(made.map(|()| {
        cache.prune();
        sizes
            .into_iter()
            .map(|s| Some(s.into_inner()).filter(|&n| n > 0))
            .collect()
    }))
}

/// Brief folders holding a file where their PDF edition goes.
fn clashes(loaded: &crate::Loaded, site: &Site<'_>) -> Vec<Diagnostic> {
    let taken: std::collections::HashSet<&Path> = (loaded.bundle_files.iter())
        .map(|f| f.output_path.as_path())
        .collect();
    (site.briefs.iter())
        .filter(|b| taken.contains(output_path(&b.slug).as_path()))
        .map(|b| {
            let message = format!(
                "the brief's folder has a file `{}.pdf`, where its PDF edition goes",
                b.slug
            );
            Diagnostic::file_error(&b.path, message).with_hint(
                "rename that file, or set `pdf: false` in site.yaml to publish it as it is",
            )
        })
        .collect()
}
