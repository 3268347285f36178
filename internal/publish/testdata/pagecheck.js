// pagecheck.js is appended to a copy of a reference page by
// TestPagesInChromium; Chromium runs it and --dump-dom prints its result
// (JSON in <pre id="pagecheck">). CASES is set by the test: search queries
// with the anchors that must stay visible and those that must be hidden.
(function () {
  var r = { links: 0, navLinks: 0, schemaLinks: 0, broken: [], markdown: [], search: [] };
  var anchors = document.querySelectorAll('a[href^="#"]');
  for (var i = 0; i < anchors.length; i++) {
    var href = anchors[i].getAttribute("href");
    r.links++;
    if (anchors[i].closest("nav")) { r.navLinks++; }
    if (href.indexOf("#schema-") === 0) { r.schemaLinks++; }
    if (!document.getElementById(decodeURIComponent(href.slice(1)))) { r.broken.push(href); }
  }
  // Markdown markers left as text, outside code, pre and the patterns.
  var markers = /`|\*\*|\]\(|(^|\n)\s*([*+-]|#{1,6}|\d+\.) \S/;
  var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.parentElement.closest("code, pre, script, style")) { continue; }
    if (markers.test(n.textContent)) { r.markdown.push(n.textContent.trim().slice(0, 120)); }
  }
  function shown(id) {
    var el = document.getElementById(id);
    return el !== null && el.getClientRects().length > 0;
  }
  function navShown(id) {
    var a = document.querySelector('nav a[href="#' + id + '"]');
    return a !== null && a.getClientRects().length > 0;
  }
  var box = document.getElementById("search");
  for (var c = 0; c < CASES.length; c++) {
    var k = CASES[c];
    box.value = k.query;
    box.dispatchEvent(new Event("input"));
    var res = { query: k.query, wrong: [] };
    k.visible.forEach(function (id) {
      if (!shown(id)) { res.wrong.push(id + " is hidden"); }
      if (id.indexOf(".") < 0 && document.querySelector('nav a[href="#' + id + '"]') && !navShown(id)) { res.wrong.push("nav " + id + " is hidden"); }
    });
    k.hidden.forEach(function (id) {
      if (shown(id)) { res.wrong.push(id + " is shown"); }
      if (navShown(id)) { res.wrong.push("nav " + id + " is shown"); }
    });
    r.search.push(res);
  }
  box.value = "";
  box.dispatchEvent(new Event("input"));
  r.hiddenAfterClear = document.querySelectorAll("[data-terms][hidden]").length;
  var out = document.createElement("pre");
  out.id = "pagecheck";
  out.textContent = JSON.stringify(r);
  document.body.appendChild(out);
})();
