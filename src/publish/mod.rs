//! Publish: producers of the bytes that are not theme pages (feeds, the
//! sitemap, the search bundle, citations, the world map). Pure functions
//! from views to bytes; none of them writes a file.

pub mod cite;
mod dates;
pub mod feeds;
pub mod jsonld;
pub mod search;
pub mod sitemap;
pub mod worldmap;
