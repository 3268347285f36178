// Filters the navigation and the page as you type: an entry stays when the
// query is a substring of its terms (names of operations, paths, schemas,
// fields, rules and formats). Offline; no network.
(function () {
  var box = document.getElementById("search");
  if (!box) { return; }
  var items = document.querySelectorAll("[data-terms]");
  function filter() {
    var q = box.value.trim().toLowerCase();
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      el.hidden = q !== "" && el.getAttribute("data-terms").toLowerCase().indexOf(q) < 0;
    }
  }
  box.addEventListener("input", filter);
  filter();
})();
