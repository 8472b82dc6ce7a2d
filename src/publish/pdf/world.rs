//! The Typst `World` of one brief: its generated document, the theme's
//! template, its images, and the fonts compiled into the binary. Nothing
//! is read from the disk here and nothing is fetched: Typst sees only what
//! the caller put in.

use std::collections::HashMap;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The OFL fonts of `fonts/` (see its README): text, headings, Arabic
/// script, code.
const FONT_FILES: [&[u8]; 9] = [
    include_bytes!("../../../fonts/LibertinusSerif-Regular.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-Italic.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-Bold.otf"),
    include_bytes!("../../../fonts/LibertinusSerif-BoldItalic.otf"),
    include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
    include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
    include_bytes!("../../../fonts/NotoNaskhArabic-Regular.ttf"),
    include_bytes!("../../../fonts/NotoNaskhArabic-Bold.ttf"),
    include_bytes!("../../../fonts/NotoSansMono-Regular.ttf"),
];

/// The main file's path; the template is beside it.
pub(super) const MAIN_PATH: &str = "/main.typ";
/// The theme template's path, as `main.typ` imports it.
pub(super) const TEMPLATE_PATH: &str = "/brief.typ";

/// What every brief shares: parsed once per process.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|data| Font::iter(Bytes::new(*data)))
            .collect();
        Shared {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

/// A file id of the project (`/main.typ`), or `None` for a path Typst
/// would not accept (never the case for the paths we make).
pub(super) fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// One brief's world.
pub(super) struct BriefWorld {
    main: Source,
    template: Source,
    /// Images by virtual path (`/images/0.png`).
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl BriefWorld {
    /// A world of `main` (the brief's markup), `template` (the theme's
    /// `brief.typ`) and `images` (virtual path, bytes); `today` is the
    /// brief's date, so `datetime.today()` is the same on every build.
    pub(super) fn new(
        main: String,
        template: String,
        images: Vec<(String, Vec<u8>)>,
        today: (i32, u8, u8),
    ) -> Option<BriefWorld> {
        let files = images
            .into_iter()
            .filter_map(|(path, bytes)| Some((file_id(&path)?, Bytes::new(bytes))))
            .collect();
        Some(BriefWorld {
            main: Source::new(file_id(MAIN_PATH)?, main),
            template: Source::new(file_id(TEMPLATE_PATH)?, template),
            files,
            today: Datetime::from_ymd(today.0, today.1, today.2),
        })
    }

    /// The template's text.
    pub(super) fn template(&self) -> &Source {
        &self.template
    }
}

impl World for BriefWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else if id == self.template.id() {
            Ok(self.template.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        self.source(id)
            .map(|s| Bytes::from_string(s.text().to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

/// A hash of the fonts' bytes, for the PDF cache key (once per process).
pub(super) fn fonts_hash() -> u128 {
    static HASH: OnceLock<u128> = OnceLock::new();
    *HASH.get_or_init(|| typst::utils::hash128(&FONT_FILES))
}

/// Whether Typst can decode an image: checked before compiling, so that a
/// corrupt image is reported at its line in the brief.
pub(super) fn check_image(bytes: &[u8]) -> Result<(), String> {
    use typst::visualize::{ImageFormat, RasterImage, SvgImage, VectorFormat};
    let data = Bytes::new(bytes.to_vec());
    match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(format)) => RasterImage::plain(data, format)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Some(ImageFormat::Vector(VectorFormat::Svg)) => SvgImage::new(data)
            .map(|_| ())
            .map_err(|e| format!("{e:?}")),
        _ => Err("this is not a PNG, JPEG, GIF, WebP or SVG image".into()),
    }
}
