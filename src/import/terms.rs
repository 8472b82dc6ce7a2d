//! Tags and categories -> countries, actors and topics, by rule and by the
//! editor's `import-map.yaml`, never by guessing: a country is a term the
//! gazetteer knows (`USA`, `Côte d'Ivoire`), an actor one the registry
//! knows (name or alias); the rest are counted as unmapped for the report.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use crate::content::countries::{Gazetteer, lookup_key};
use crate::content::validate::ActorRegistry;

/// What `import-map.yaml` says about one term.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub(crate) enum MapEntry {
    /// `drop` (leave it out) or `topic` (keep it as a topic under its own name).
    Word(String),
    /// `{country: X}`, `{actor: X}` or `{topic: X}`.
    Named(BTreeMap<String, String>),
}

/// Where a term went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mapped {
    Country(String),
    Actor(String),
    Topic(String),
    /// Kept in `extra.tags` (an unmapped tag).
    Tag(String),
    Dropped,
}

/// The term rules of one import.
pub(crate) struct Terms<'a> {
    gazetteer: &'a Gazetteer,
    actors: &'a ActorRegistry,
    map: HashMap<String, MapEntry>,
    /// Terms mapped by rule or map, by kind.
    pub(crate) mapped: BTreeMap<&'static str, usize>,
    /// Terms no rule or map entry names, with their counts.
    pub(crate) unmapped: BTreeMap<String, usize>,
}

/// WordPress's default category means nothing.
const MEANINGLESS: &[&str] = &["uncategorized", "uncategorised", "general", "misc"];

impl<'a> Terms<'a> {
    pub(crate) fn new(
        gazetteer: &'a Gazetteer,
        actors: &'a ActorRegistry,
        map: BTreeMap<String, MapEntry>,
    ) -> Self {
        Terms {
            gazetteer,
            actors,
            map: map.into_iter().map(|(k, v)| (lookup_key(&k), v)).collect(),
            mapped: BTreeMap::new(),
            unmapped: BTreeMap::new(),
        }
    }

    /// Maps one term; `category` decides where an unmapped one goes.
    pub(crate) fn map(&mut self, term: &str, category: bool) -> Mapped {
        let key = lookup_key(term);
        let result = match self.map.get(&key) {
            Some(entry) => self.by_map(term, entry),
            None => self.by_rule(term, category),
        };
        let kind = match &result {
            Mapped::Country(_) => "countries",
            Mapped::Actor(_) => "actors",
            Mapped::Topic(_) if self.map.contains_key(&key) => "topics",
            Mapped::Dropped => "dropped",
            Mapped::Topic(_) | Mapped::Tag(_) => {
                *self.unmapped.entry(term.to_string()).or_default() += 1;
                return result;
            }
        };
        *self.mapped.entry(kind).or_default() += 1;
        result
    }

    fn by_map(&self, term: &str, entry: &MapEntry) -> Mapped {
        match entry {
            MapEntry::Word(w) if w == "drop" => Mapped::Dropped,
            MapEntry::Word(w) if w == "country" => Mapped::Country(term.to_string()),
            MapEntry::Word(w) if w == "actor" => Mapped::Actor(term.to_string()),
            MapEntry::Word(_) => Mapped::Topic(term.to_string()),
            MapEntry::Named(named) => {
                let pick = |k: &str| named.get(k).cloned();
                if let Some(c) = pick("country") {
                    Mapped::Country(c)
                } else if let Some(a) = pick("actor") {
                    Mapped::Actor(a)
                } else {
                    Mapped::Topic(pick("topic").unwrap_or_else(|| term.to_string()))
                }
            }
        }
    }

    fn by_rule(&self, term: &str, category: bool) -> Mapped {
        if let Some(place) = self.gazetteer.resolve(term) {
            return Mapped::Country(place.name.clone());
        }
        let key = self.actors.key_for(term);
        if let Some(entry) = self.actors.entries.get(&key) {
            return Mapped::Actor(entry.name.clone());
        }
        if MEANINGLESS.contains(&lookup_key(term).as_str()) {
            return Mapped::Dropped;
        }
        if category {
            Mapped::Topic(term.to_string())
        } else {
            Mapped::Tag(term.to_string())
        }
    }

    /// Checks that the map's countries exist, so a typo is reported once, up front.
    pub(crate) fn map_errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        for (term, entry) in &self.map {
            match entry {
                MapEntry::Named(named) => {
                    if let Some(c) = named.get("country")
                        && self.gazetteer.resolve(c).is_none()
                    {
                        errors.push(format!("`{term}`: unknown country `{c}`"));
                    }
                    if named
                        .keys()
                        .any(|k| !["country", "actor", "topic"].contains(&k.as_str()))
                    {
                        errors.push(format!(
                            "`{term}`: write one of `country: X`, `actor: X`, `topic: X`"
                        ));
                    }
                }
                MapEntry::Word(w)
                    if !["drop", "topic", "country", "actor"].contains(&w.as_str()) =>
                {
                    errors.push(format!(
                        "`{term}: {w}` is not a choice: write `drop`, `topic`, or `{{actor: Name}}`"
                    ));
                }
                MapEntry::Word(_) => {}
            }
        }
        errors.sort();
        errors
    }
}

/// A post's terms after mapping, without repeats.
#[derive(Debug, Default)]
pub(crate) struct PostTerms {
    pub(crate) countries: Vec<String>,
    pub(crate) actors: Vec<String>,
    pub(crate) topics: Vec<String>,
    pub(crate) tags: Vec<String>,
}

impl PostTerms {
    /// Maps a post's categories (topics by default) and tags (kept by default).
    pub(crate) fn of(terms: &mut Terms<'_>, categories: &[String], tags: &[String]) -> Self {
        let mut out = PostTerms::default();
        let all = categories
            .iter()
            .map(|c| (c, true))
            .chain(tags.iter().map(|t| (t, false)));
        for (term, category) in all {
            let (list, name) = match terms.map(term, category) {
                Mapped::Country(n) => (&mut out.countries, n),
                Mapped::Actor(n) => (&mut out.actors, n),
                Mapped::Topic(n) => (&mut out.topics, n),
                Mapped::Tag(n) => (&mut out.tags, n),
                Mapped::Dropped => continue,
            };
            if !list.iter().any(|x| lookup_key(x) == lookup_key(&name)) {
                list.push(name);
            }
        }
        out
    }
}
