//! `t()` in templates.
//!
//! `{{ t(key="briefs_count", count=n) }}`: the page's language is read
//! from the render context (`page.lang`, or `card.lang` in the card
//! partial, which has no `page`), unless the call passes `lang=`; with
//! neither, the site's language. Tera functions are shared by every page,
//! so the language cannot be fixed per render. Other arguments fill the
//! text's `{name}` placeholders (numbers in the language's digits). The
//! result is plain text: Tera escapes it like any other value.
//!
//! `{{ i18n_json(prefixes=["search_"]) }}` writes the page language's
//! strings whose keys start with those prefixes as JSON, for a
//! `<script type="application/json" id="briefly-i18n">` island that the
//! theme's scripts read (safe inside `<script>`: `<` is written `\u003c`).

use tera::{Kwargs, State, Tera, Value};

use super::I18n;

/// The language a call is in: `lang=`, else `page.lang`, else
/// `card.lang`, else the site's.
fn language_of<'i>(
    i18n: &'i I18n,
    kwargs: &Kwargs,
    state: &State,
    site_language: &str,
) -> tera::TeraResult<&'i super::Language> {
    if let Some(explicit) = kwargs.get::<&str>("lang")? {
        return Ok(i18n.language(explicit));
    }
    let from_context = ["page", "card"].into_iter().find_map(|name| {
        let value: Value = state.get(name).ok().flatten()?;
        let lang = value.as_map()?.get(&tera::value::Key::Str("lang"))?;
        lang.as_str().map(|tag| i18n.language(tag))
    });
    Ok(from_context.unwrap_or_else(|| i18n.language(site_language)))
}

/// Registers `t()` and `i18n_json()` on `tera`.
pub(crate) fn register(tera: &mut Tera, i18n: &I18n, site_language: &str) {
    let (for_json, json_language) = (i18n.clone(), site_language.to_string());
    tera.register_function(
        "i18n_json",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<Value> {
            let prefixes: Vec<String> = kwargs.must_get::<Vec<String>>("prefixes")?;
            let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            let lang = language_of(&for_json, &kwargs, state, &json_language)?;
            let json = lang.script_strings(&prefixes).to_string();
            Ok(Value::safe_string(&json.replace('<', "\\u003c")))
        },
    );
    let i18n = i18n.clone();
    let site_language = site_language.to_string();
    tera.register_function(
        "t",
        move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
            let key: &str = kwargs.must_get("key")?;
            let lang = language_of(&i18n, &kwargs, state, &site_language)?;
            let message = lang.message(key).ok_or_else(|| {
                tera::Error::message(format!("t(): no interface string `{key}` in any i18n file"))
            })?;
            let count = match kwargs.get::<Value>("count")? {
                Some(v) if !v.is_none() => Some(
                    v.as_u64()
                        .or_else(|| v.as_i64().map(i64::unsigned_abs))
                        .ok_or_else(|| {
                            tera::Error::message(format!(
                                "t(key=\"{key}\"): `count` must be a whole number"
                            ))
                        })?,
                ),
                _ => None,
            };
            let mut args: Vec<(&str, String)> = Vec::new();
            for (name, value) in kwargs.iter() {
                let Some(name) = name.as_str() else { continue };
                if matches!(name, "key" | "lang" | "count") {
                    continue;
                }
                let text = if value.is_number() {
                    lang.number(value)
                } else {
                    value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_string)
                };
                args.push((name, text));
            }
            lang.format(message, count, &args)
                .map_err(|e| tera::Error::message(format!("t(key=\"{key}\"): {e}")))
        },
    );
}
