//! CSL citation styles through hayagriva (placeholder, filled in below).

/// The style used when `site.yaml` names none.
pub(crate) const DEFAULT_STYLE: &str = "chicago-author-date";

/// Whether hayagriva's archive has a style of this name.
pub(crate) fn is_known_style(name: &str) -> bool {
    hayagriva::archive::ArchivedStyle::by_name(name).is_some()
}

/// Every style name of the archive, for "did you mean" hints.
pub(crate) fn style_names() -> Vec<&'static str> {
    hayagriva::archive::ArchivedStyle::all()
        .iter()
        .flat_map(|s| s.names().iter().copied())
        .collect()
}
