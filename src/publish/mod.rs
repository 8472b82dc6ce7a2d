//! Publish: producers of the bytes that are not theme pages (feeds, the
//! sitemap, the search bundle, citations, the world map). Pure functions
//! from views to bytes; none of them writes a file.

pub(crate) mod cite;
mod dates;
pub(crate) mod feeds;
pub(crate) mod jsonld;
#[cfg(feature = "pdf")]
pub(crate) mod pdf;
pub(crate) mod redirects;
pub(crate) mod search;
pub(crate) mod sitemap;
pub(crate) mod worldmap;
