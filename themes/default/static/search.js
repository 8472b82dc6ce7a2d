// briefly default theme: full-text search over the briefs (search.html).
//
// Uses Pagefind's JavaScript API from the bundle the build writes to
// BASE/pagefind/ (no CDN, no server): the words typed are searched as you
// type; the country, actor, author, source and year facets narrow the results (values
// of one facet are ORed, facets are ANDed); with filters and no words the
// matching briefs are listed newest first. The query and the chosen filters
// live in the address (?q=...&country=Iran&year=2018), so a search can be
// bookmarked, shared and reloaded.
//
// Markup (see search.html): #search[data-pagefind][data-base] (hidden until
// this script runs) holding #search-input, #search-status (role=status),
// fieldsets .facet[data-facet=NAME] with a <ul> and a .facet__more button,
// #search-results (a list) and #search-more, the facets inside
// details#search-facets (open on wide screens, folded on narrow ones).
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root) return;
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var form = root.querySelector("form");
  var facetBox = document.getElementById("search-facets");
  var facetSummary = facetBox ? facetBox.querySelector("summary") : null;
  var facetLabel = facetSummary ? facetSummary.textContent : "";
  var FACETS = ["country", "actor", "topic", "author", "source", "year"];
  var SHOWN = 8; // facet values shown before the "show all" button
  var PAGE = 10; // results loaded at a time
  var selected = {};
  var expanded = {};
  var totals = {}; // facet -> {value: count} over all briefs
  var pagefind = null;
  var results = [];
  var rendered = 0;
  var generation = 0;

  FACETS.forEach(function (f) {
    selected[f] = new Set();
    expanded[f] = false;
  });

  // Start from the address: ?q=words&country=Iran&country=France&year=2018
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  FACETS.forEach(function (f) {
    params.getAll(f).forEach(function (v) {
      if (v) selected[f].add(v);
    });
  });

  root.hidden = false;

  // Facets beside the results on wide screens; folded above them on narrow
  // ones, where they would push the results out of sight.
  if (facetBox && window.matchMedia) {
    var wide = window.matchMedia("(min-width: 50rem)");
    var fit = function () {
      facetBox.open = wide.matches;
    };
    fit();
    if (wide.addEventListener) wide.addEventListener("change", fit);
  }

  var setStatus = function (text) {
    status.textContent = text;
  };

  // Interface strings in the page's language (i18n.js, loaded first).
  var tr = window.brieflyTr || function (key) {
    return key;
  };
  var num = window.brieflyNum || String;

  var filterObject = function () {
    var filters = {};
    FACETS.forEach(function (f) {
      if (selected[f].size) filters[f] = { any: Array.from(selected[f]) };
    });
    return filters;
  };

  var anySelected = function () {
    return FACETS.some(function (f) {
      return selected[f].size > 0;
    });
  };

  var syncAddress = function () {
    var p = new URLSearchParams();
    var q = input.value.trim();
    if (q) p.set("q", q);
    FACETS.forEach(function (f) {
      Array.from(selected[f]).sort().forEach(function (v) {
        p.append(f, v);
      });
    });
    var qs = p.toString();
    window.history.replaceState(null, "", window.location.pathname + (qs ? "?" + qs : ""));
  };

  // Pagefind's excerpt is text with <mark> around the hits: keep only text
  // and <mark>, whatever the indexed text contained.
  var excerptNodes = function (html) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var out = document.createDocumentFragment();
    tpl.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = node.textContent;
        out.appendChild(m);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  };

  var resultItem = function (data, words) {
    var li = document.createElement("li");
    li.className = "card";
    var meta = data.meta || {};
    if (meta.date) {
      var p = document.createElement("p");
      p.className = "card__meta";
      p.textContent = meta.date;
      li.appendChild(p);
    }
    var h = document.createElement("h3");
    h.className = "card__title";
    h.setAttribute("dir", "auto");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = meta.title || data.url;
    h.appendChild(a);
    li.appendChild(h);
    var s = document.createElement("p");
    s.className = "card__summary";
    s.setAttribute("dir", "auto");
    if (words && data.excerpt) {
      s.appendChild(excerptNodes(data.excerpt));
    } else {
      s.textContent = meta.summary || "";
    }
    li.appendChild(s);
    return li;
  };

  var showMore = function (gen, words) {
    var slice = results.slice(rendered, rendered + PAGE);
    rendered += slice.length;
    more.hidden = true;
    return Promise.all(
      slice.map(function (r) {
        return r.data();
      })
    ).then(function (datas) {
      if (gen !== generation) return;
      datas.forEach(function (d) {
        list.appendChild(resultItem(d, words));
      });
      more.hidden = rendered >= results.length;
      if (!more.hidden) {
        more.textContent = tr("search_more_count", { count: results.length - rendered });
      }
    });
  };

  // One facet's checkboxes, in a stable order (most briefs overall first,
  // years newest first) so that nothing jumps under the pointer; values with
  // no result are left out unless chosen. Counts are the current results'.
  var drawFacet = function (f, counts) {
    var box = root.querySelector('.facet[data-facet="' + f + '"]');
    if (!box) return;
    var ul = box.querySelector("ul");
    var btn = box.querySelector(".facet__more");
    var all = totals[f] || {};
    var count = function (v) {
      return counts ? counts[v] || 0 : all[v] || 0;
    };
    var values = Object.keys(all).filter(function (v) {
      return selected[f].has(v) || count(v) > 0;
    });
    values.sort(function (x, y) {
      if (f === "year") return y < x ? -1 : y > x ? 1 : 0;
      return all[y] - all[x] || x.localeCompare(y);
    });
    var shown = values;
    if (!expanded[f] && values.length > SHOWN) {
      shown = values.filter(function (v, i) {
        return i < SHOWN || selected[f].has(v);
      });
    }
    box.hidden = values.length === 0;
    var active = document.activeElement;
    var refocus = active && ul.contains(active) ? active.value : null;
    ul.textContent = "";
    shown.forEach(function (v, i) {
      var li = document.createElement("li");
      var id = "facet-" + f + "-" + i;
      var cb = document.createElement("input");
      cb.type = "checkbox";
      cb.id = id;
      cb.value = v;
      cb.checked = selected[f].has(v);
      cb.addEventListener("change", function () {
        if (cb.checked) selected[f].add(v);
        else selected[f].delete(v);
        run(true);
      });
      var label = document.createElement("label");
      label.htmlFor = id;
      label.textContent = v + " ";
      var n = document.createElement("span");
      n.className = "count";
      n.textContent = num(count(v));
      label.appendChild(n);
      li.appendChild(cb);
      li.appendChild(label);
      ul.appendChild(li);
      if (refocus === v) cb.focus();
    });
    btn.hidden = values.length <= SHOWN;
    btn.setAttribute("aria-expanded", expanded[f] ? "true" : "false");
    btn.textContent = expanded[f]
      ? tr("search_show_fewer")
      : tr("search_show_all_count", { total: values.length, count: values.length - shown.length });
  };

  var drawFacets = function (counts) {
    FACETS.forEach(function (f) {
      drawFacet(f, counts ? counts[f] || {} : null);
    });
    if (facetSummary) {
      var chosen = FACETS.reduce(function (n, f) {
        return n + selected[f].size;
      }, 0);
      facetSummary.textContent = facetLabel + (chosen ? " " + tr("search_chosen", { count: chosen }) : "");
    }
  };

  var lastCounts = null;

  var run = function (immediate) {
    if (!pagefind) return;
    syncAddress();
    var gen = ++generation;
    var q = input.value.trim();
    if (!q && !anySelected()) {
      results = [];
      rendered = 0;
      list.textContent = "";
      more.hidden = true;
      lastCounts = null;
      drawFacets(null);
      setStatus(tr("search_prompt"));
      return;
    }
    var opts = { filters: filterObject() };
    if (!q) opts.sort = { date: "desc" };
    var search = !q
      ? listingEngine().then(function (engine) { return engine.search(null, opts); })
      : immediate
        ? pagefind.search(foldQuery(q), opts)
        : pagefind.debouncedSearch(foldQuery(q), opts, 250);
    search.then(function (res) {
      if (res === null || gen !== generation) return; // superseded
      results = res.results;
      rendered = 0;
      list.textContent = "";
      lastCounts = res.filters;
      drawFacets(res.filters);
      var n = results.length;
      var what = { count: n, query: q };
      setStatus(q ? tr(n ? "search_found_for" : "search_none_for", what) : tr(n ? "search_found" : "search_none", what));
      if (n) return showMore(gen, !!q);
    }).catch(function (e) {
      if (gen !== generation) return;
      setStatus(tr("search_failed", { error: String(e) }));
    });
  };

  root.querySelectorAll(".facet__more").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var f = btn.closest(".facet").getAttribute("data-facet");
      expanded[f] = !expanded[f];
      drawFacet(f, lastCounts ? lastCounts[f] || {} : null);
    });
  });

  input.addEventListener("input", function () {
    run(false);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    run(true);
  });
  more.addEventListener("click", function () {
    showMore(generation, !!input.value.trim());
  });

  // Pagefind merges shards by score, and a search without words sorted by
  // date scores each result by its rank within its own shard: merged, the
  // shards would interleave. Listings (filters only) therefore use a second
  // instance in which every index weighs 0: all scores are 0, and the
  // (stable) merge keeps the shards in order, newest shard first, each
  // newest first. Made on the first listing.
  var listing = null;
  var listingEngine = function () {
    if (!listing) {
      var engine = pagefind.createInstance({ basePath: dir });
      listing = engine
        .options({ baseUrl: base, indexWeight: 0 })
        .then(function () {
          return loadShards(engine, dir, base, { baseUrl: base, indexWeight: 0 });
        })
        .then(function () {
          return engine;
        });
    }
    return listing;
  };

  // Large sites come in shards (pagefind/shards.json lists the extra
  // bundles, relative to pagefind/): merge them into one search.
  var loadShards = function (pf, dir, base, mergeOptions) {
    return fetch(dir + "shards.json")
      .then(function (r) {
        return r.ok ? r.json() : [];
      })
      .catch(function () {
        return [];
      })
      .then(function (shards) {
        // All at once: Pagefind adds each merged index to its list when
        // mergeIndex is called, so the order (newest shard first) holds
        // while their start-up files load in parallel.
        return Promise.all(
          (Array.isArray(shards) ? shards : []).map(function (s) {
            return pf.mergeIndex(dir + s, mergeOptions || { baseUrl: base });
          })
        );
      });
  };

  // One index per language (pagefind/languages.json maps each language
  // to its folder: "" for the site's language, "fa/" for Persian, and the
  // folding its text went through): the page's language chooses, by its
  // whole tag, then its primary subtag, else the site's index.
  var folding = null;
  var chooseIndex = function (top) {
    var lang = (root.getAttribute("data-language") || document.documentElement.lang || "").toLowerCase();
    return fetch(top + "languages.json")
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .catch(function () {
        return {};
      })
      .then(function (map) {
        var entry = map[lang] || map[lang.split("-")[0]] || null;
        if (!entry || typeof entry.path !== "string") return top;
        folding = entry.folding || null;
        return top + entry.path;
      });
  };

  // The words typed, folded as the index's text was (see
  // src/publish/search/languages.rs): in Arabic-script indexes kaf and yeh
  // become the language's own letters, and tashkeel, the superscript alef,
  // tatweel and the ZWNJ are dropped, so ایران finds ايران and the reverse.
  var foldQuery = function (q) {
    if (!folding) return q;
    var kaf = folding === "arabic" ? "\u0643" : "\u06A9";
    var yeh = folding === "arabic" ? "\u064A" : "\u06CC";
    return q
      .replace(/[\u064B-\u065F\u0670\u0640\u200C]/g, "")
      .replace(/[\u0643\u06A9]/g, kaf)
      .replace(/[\u064A\u06CC\u0649]/g, yeh);
  };

  setStatus(tr("search_loading"));
  var script = root.getAttribute("data-pagefind");
  var base = root.getAttribute("data-base") || "/";
  var dir = script.replace(/[^/]*$/, "");
  chooseIndex(dir)
    .then(function (chosen) {
      dir = chosen;
      return import(dir + "pagefind.js");
    })
    .then(function (pf) {
      pagefind = pf;
      return pf
        .options({ baseUrl: base })
        .then(function () {
          return loadShards(pf, dir, base);
        })
        .then(function () {
          return pf.filters();
        });
    })
    .then(function (f) {
      totals = f || {};
      root.setAttribute("data-ready", "");
      run(true);
    })
    .catch(function (e) {
      setStatus(tr("search_load_failed", { error: String(e) }));
    });
})();
