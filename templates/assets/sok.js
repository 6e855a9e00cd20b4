/* Search with the Pagefind index built with the site. The form works as a plain GET form too:
   the query and filters live in the address, so a search can be linked and bookmarked. */
(function () {
  "use strict";
  var form = document.getElementById("sok");
  if (!form) {
    return;
  }
  var status = document.getElementById("status");
  var list = document.getElementById("traffar");
  var root = new URL(form.getAttribute("data-root"), document.baseURI);
  var selects = { organ: "organ", ar: "år", typ: "typ" };
  var loading = null; /* one import of the index, shared by every search */
  var latest = 0; /* the newest search; an older one that answers late is dropped */

  function text(tag, value, cls) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (cls) { el.className = cls; }
    return el;
  }

  function link(url, label) {
    var a = document.createElement("a");
    a.href = new URL(url.replace(/^\//, ""), root).href;
    a.textContent = label;
    return a;
  }

  function excerpt(html) {
    var p = document.createElement("p");
    p.className = "excerpt";
    p.innerHTML = html; /* Pagefind escapes the text and marks the hits with <mark> */
    return p;
  }

  function load() {
    if (!loading) {
      loading = start();
    }
    return loading;
  }

  async function start() {
    var pagefind = await import(new URL(form.getAttribute("data-index"), document.baseURI).href);
    await pagefind.options({ baseUrl: "/", excerptLength: 24 });
    var filters = await pagefind.filters();
    Object.keys(selects).forEach(function (id) {
      var select = document.getElementById(id);
      var values = Object.keys(filters[selects[id]] || {}).sort().reverse();
      if (id !== "ar") { values.reverse(); }
      values.forEach(function (value) {
        var option = text("option", value);
        option.value = value;
        select.appendChild(option);
      });
    });
    return pagefind;
  }

  async function run() {
    var mine = ++latest;
    var params = new URLSearchParams(window.location.search);
    var query = (params.get("q") || "").trim();
    document.getElementById("q").value = query;
    var engine = await load();
    if (mine !== latest) { return; }
    var filters = {};
    Object.keys(selects).forEach(function (id) {
      var value = params.get(id) || "";
      document.getElementById(id).value = value;
      if (value) { filters[selects[id]] = value; }
    });
    list.textContent = "";
    if (!query && !Object.keys(filters).length) {
      status.textContent = "";
      return;
    }
    status.textContent = "Söker …";
    var search = await engine.search(query || null, { filters: filters, sort: { datum: "desc" } });
    var results = await Promise.all(search.results.slice(0, 20).map(function (r) { return r.data(); }));
    if (mine !== latest) { return; }
    status.textContent = search.results.length === 0
      ? "Inga träffar" + (query ? " för ”" + query + "”." : ".")
      : search.results.length + (search.results.length === 1 ? " träff" : " träffar") +
        (query ? " för ”" + query + "”" : "") + (search.results.length > 20 ? ", de 20 första visas." : ".");
    results.forEach(function (result) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      heading.appendChild(link(result.url, result.meta.title));
      item.appendChild(heading);
      var meta = [result.filters.typ, result.filters.organ, result.filters["år"]]
        .filter(Boolean).map(function (v) { return v.join(", "); }).join(" · ");
      item.appendChild(text("p", meta, "meta"));
      var parts = (result.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0; });
      if (parts.length) {
        var sub = document.createElement("ul");
        parts.slice(0, 5).forEach(function (part) {
          var li = document.createElement("li");
          li.appendChild(link(part.url, part.title));
          li.appendChild(excerpt(part.excerpt));
          sub.appendChild(li);
        });
        item.appendChild(sub);
      } else {
        item.appendChild(excerpt(result.excerpt));
      }
      list.appendChild(item);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    Array.from(params.keys()).forEach(function (key) {
      if (!params.get(key)) { params.delete(key); }
    });
    window.history.pushState(null, "", "?" + params.toString());
    answer();
  });
  window.addEventListener("popstate", answer);
  answer();

  function answer() {
    run().catch(function () {
      status.textContent = "Sökningen kunde inte laddas.";
    });
  }
}());
