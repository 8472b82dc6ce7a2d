// briefly default theme: filters a list of terms on the page (actors.html, countries.html).
// Markup: <div class="filter" data-filter="ID" hidden> with an <input> and a
// role="status" element; ID is the element holding `.term-list > li` items,
// optionally in [data-filter-group] sections (hidden when none match) and a
// .jump-nav (hidden while filtering). Without JavaScript the filter stays
// hidden and the full list is shown.
(function () {
  "use strict";
  // Interface strings in the page's language, from the JSON island
  // (#briefly-i18n) the template writes from the theme's i18n files:
  // tr("search_found", {count: 3}) picks the plural form with the
  // browser's CLDR rules and writes numbers in the language's digits.
  var tr = (function () {
    var el = document.getElementById("briefly-i18n");
    var s = {};
    try {
      s = el ? JSON.parse(el.textContent) : {};
    } catch (e) {
      s = {};
    }
    var digits = s.digits || "0123456789";
    var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(s.lang || document.documentElement.lang || "en") : null;
    var num = function (n) {
      return String(n).replace(/[0-9]/g, function (d) { return digits.charAt(+d); });
    };
    return function (key, vars) {
      vars = vars || {};
      var m = s[key];
      if (m && typeof m === "object") m = m[rules && "count" in vars ? rules.select(vars.count) : "other"] || m.other;
      if (typeof m !== "string") return key;
      return m.replace(/\{\{|\}\}|\{(\w+)\}/g, function (all, name) {
        if (!name) return all.charAt(0);
        var v = vars[name];
        return v === undefined ? all : typeof v === "number" ? num(v) : String(v);
      });
    };
  })();
  var fold = function (s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  };
  document.querySelectorAll(".filter[data-filter]").forEach(function (box) {
    var scope = document.getElementById(box.getAttribute("data-filter"));
    var input = box.querySelector("input");
    var status = box.querySelector("[role=status]");
    if (!scope || !input) return;
    var items = Array.prototype.map.call(scope.querySelectorAll(".term-list > li"), function (li) {
      return { li: li, text: fold(li.textContent) };
    });
    var groups = scope.querySelectorAll("[data-filter-group]");
    var navs = scope.querySelectorAll(".jump-nav");
    var noun = box.getAttribute("data-filter-noun") || "";
    var timer = 0;
    var apply = function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = 0;
      items.forEach(function (it) {
        var hit = words.every(function (w) { return it.text.indexOf(w) !== -1; });
        it.li.hidden = !hit;
        if (hit) shown++;
      });
      groups.forEach(function (g) {
        g.hidden = !g.querySelector("li:not([hidden])");
      });
      navs.forEach(function (n) {
        n.hidden = words.length > 0;
      });
      status.textContent = words.length
        ? tr("filter_status", { shown: shown, total: items.length, noun: noun })
        : "";
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, 80);
    });
    box.hidden = false;
    if (input.value) apply();
  });
})();
