// briefly default theme: interface strings for the theme's scripts
// (filter.js, search.js), loaded before them. One copy of the lookup, so the
// plural and digit rules cannot drift between the two scripts.
(function () {
  "use strict";
  // Interface strings in the page's language, from the JSON island
  // (#briefly-i18n) the template writes from the theme's i18n files:
  // tr("search_found", {count: 3}) picks the plural form with the
  // browser's CLDR rules and writes numbers in the language's digits.
  window.brieflyTr = (function () {
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
    // Numbers outside sentences (facet counts) in the same digits.
    window.brieflyNum = num;
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
})();
