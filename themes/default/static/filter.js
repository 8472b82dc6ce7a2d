// briefly default theme: filters a list of terms on the page (actors.html, countries.html).
// Markup: <div class="filter" data-filter="ID" hidden> with an <input> and a
// role="status" element; ID is the element holding `.term-list > li` items,
// optionally in [data-filter-group] sections (hidden when none match) and a
// .jump-nav (hidden while filtering). Without JavaScript the filter stays
// hidden and the full list is shown.
(function () {
  "use strict";
  // Interface strings in the page's language (i18n.js, loaded first).
  var tr = window.brieflyTr || function (key) {
    return key;
  };
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
