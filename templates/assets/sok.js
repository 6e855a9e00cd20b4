/* The search page, on Justerat's own index (sok-index.js, docs/search.md). The query and the
   filters live in the address (?q=…&organ=…&ar=…&typ=…&ordning=nyast), so a search can be
   linked, bookmarked and gone back to; the form is a plain GET form too. The index is opened
   once and shared by every search, and only the newest search may answer. */
(function () {
  "use strict";
  var form = document.getElementById("sok");
  if (!form) {
    return;
  }
  var PAGE = 10; /* documents per "Visa fler" */
  var FILTERS = ["organ", "ar", "typ"];
  var MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december"];
  var status = document.getElementById("status");
  var suggestions = document.getElementById("forslag");
  var list = document.getElementById("traffar");
  var shown = document.getElementById("visar");
  var more = document.getElementById("fler");
  var input = document.getElementById("q");
  var order = document.getElementById("ordning");
  var root = new URL(form.getAttribute("data-root"), document.baseURI);
  var base = new URL(form.getAttribute("data-index"), document.baseURI).href;
  var title = document.title;
  var opening = null; /* the index, opened once and shared by every search */
  var latest = 0; /* the newest search; an older one that answers late is dropped */
  var current = null; /* the search whose results are on the page */

  /* "2023-09-13" as "13 september 2023"; "" for no date. */
  function swedishDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    if (!m) {
      return "";
    }
    return Number(m[3]) + " " + MONTHS[Number(m[2]) - 1] + " " + m[1];
  }

  function count(n, one, many) {
    return n + " " + (n === 1 ? one : many);
  }

  function element(tag, value, cls) {
    var el = document.createElement(tag);
    if (value) { el.textContent = value; }
    if (cls) { el.className = cls; }
    return el;
  }

  function link(address, label) {
    var a = document.createElement("a");
    a.href = new URL(address, root).href;
    a.textContent = label;
    return a;
  }

  /* An excerpt's pieces into ``into``, the matched ones in <mark>: text only, never markup. */
  function marked(into, pieces) {
    pieces.forEach(function (piece) {
      if (piece.mark) {
        into.appendChild(element("mark", piece.text));
      } else {
        into.appendChild(document.createTextNode(piece.text));
      }
    });
    return into;
  }

  function plain(pieces) {
    return pieces.map(function (piece) { return piece.text; }).join("").trim();
  }

  function fill(filters) {
    FILTERS.forEach(function (name) {
      var select = document.getElementById(name);
      var values = (filters[name] || []).slice();
      /* The bodies in site.yaml's order (the select's data-order), others after them. */
      var known = (select.getAttribute("data-order") || "").split("|").filter(Boolean);
      if (name === "ar") {
        values.sort(function (a, b) { return Number(b) - Number(a); });
      } else if (known.length) {
        values.sort(function (a, b) {
          var left = known.indexOf(a), right = known.indexOf(b);
          left = left < 0 ? known.length : left;
          right = right < 0 ? known.length : right;
          return left - right || a.localeCompare(b, "sv");
        });
      } else {
        values.sort(function (a, b) { return a.localeCompare(b, "sv"); });
      }
      values.forEach(function (value) {
        var option = element("option", value);
        option.value = value;
        select.appendChild(option);
      });
    });
  }

  function open() {
    if (!opening) {
      opening = Promise.resolve().then(function () {
        if (!window.JusteratSearch) {
          throw new Error("sok-index.js is missing");
        }
        return window.JusteratSearch.open(base);
      }).then(function (index) {
        fill(index.filters || {});
        return index;
      });
      opening.catch(function () {
        opening = null; /* the next search tries again */
      });
    }
    return opening;
  }

  /* The search the address asks for. */
  function asked() {
    var params = new URLSearchParams(window.location.search);
    var wanted = { q: (params.get("q") || "").trim(), ordning: params.get("ordning") === "nyast" ? "nyast" : "" };
    FILTERS.forEach(function (name) { wanted[name] = params.get(name) || ""; });
    return wanted;
  }

  /* The form shows the search; a filter value the index does not know is dropped. */
  function show(wanted, known) {
    input.value = wanted.q;
    order.value = wanted.ordning;
    FILTERS.forEach(function (name) {
      var select = document.getElementById(name);
      select.value = wanted[name];
      if (known && select.value !== wanted[name]) {
        select.value = "";
        wanted[name] = "";
      }
    });
  }

  function clear() {
    list.textContent = "";
    suggestions.textContent = "";
    suggestions.hidden = true;
    shown.hidden = true;
    more.hidden = true;
    current = null;
  }

  async function run() {
    var mine = ++latest;
    var wanted = asked();
    show(wanted, false);
    document.title = wanted.q ? "”" + wanted.q + "” – " + title : title;
    if (!wanted.q) {
      clear();
      status.textContent = "";
      return;
    }
    status.textContent = "Söker …";
    var index = await open();
    if (mine !== latest) { return; }
    show(wanted, true);
    var filters = {};
    FILTERS.forEach(function (name) {
      if (wanted[name]) { filters[name] = wanted[name]; }
    });
    /* typographic quotes, as a phone's keyboard writes them, quote as " does */
    var text = wanted.q.replace(/[\u201c\u201d\u201e\u201f]/g, "\"");
    var result = await index.search(text, filters, wanted.ordning || "relevans");
    if (mine !== latest) { return; }
    var first = await index.documents(result.documents.slice(0, PAGE), result.query);
    if (mine !== latest) { return; }
    clear();
    var search = { index: index, result: result, next: 0, busy: false };
    current = search;
    if (!result.documents.length) {
      status.textContent = "Inga träffar för ”" + wanted.q + "”.";
      offer(search).catch(function () { /* no words to offer: the status has said it */ });
      return;
    }
    status.textContent = count(result.units, "träff", "träffar") + " i " +
      count(result.documents.length, "dokument", "dokument");
    append(search, first);
  }

  /* "Menade du …?" under the status, apart from the results. */
  async function offer(search) {
    var words = await search.index.suggestions(search.result.query);
    if (search !== current || !words || !words.length) { return; }
    suggestions.appendChild(document.createTextNode("Menade du: "));
    words.forEach(function (word, i) {
      if (i) { suggestions.appendChild(document.createTextNode(i === words.length - 1 ? " eller " : ", ")); }
      var a = link("sok/?" + new URLSearchParams({ q: word }).toString(), word);
      a.setAttribute("data-q", word);
      suggestions.appendChild(a);
    });
    suggestions.appendChild(document.createTextNode("?"));
    suggestions.hidden = false;
  }

  /* The documents of one page of results at the end of the list; the first new link. */
  function append(search, documents) {
    var firstLink = null;
    documents.forEach(function (doc) {
      var item = element("li", "", "result");
      var heading = element("h2");
      var a = link(doc.url, doc.title);
      heading.appendChild(a);
      firstLink = firstLink || a;
      item.appendChild(heading);
      var meta = [doc.typ, (doc.organs || []).join(", "), swedishDate(doc.date)].filter(Boolean);
      if (meta.length) {
        item.appendChild(element("p", meta.join(" · "), "meta"));
      }
      if (doc.units && doc.units.length) {
        var units = element("ul", "", "units");
        doc.units.forEach(function (unit) {
          var li = element("li", "", "unit");
          var label = unit.title || doc.title;
          var pieces = unit.excerpt || [];
          var to = link(doc.url + (unit.anchor ? "#" + unit.anchor : ""), label);
          li.appendChild(to);
          if (pieces.length && plain(pieces) === label.trim()) {
            to.textContent = ""; /* the excerpt is the title: marked in the link, not twice */
            marked(to, pieces);
          } else if (pieces.length) {
            li.appendChild(marked(element("p", "", "excerpt"), pieces));
          }
          units.appendChild(li);
        });
        item.appendChild(units);
      }
      list.appendChild(item);
    });
    search.next += documents.length;
    var total = search.result.documents.length;
    shown.textContent = "Visar " + search.next + " av " + count(total, "dokument", "dokument") + ".";
    shown.hidden = total <= PAGE;
    more.hidden = search.next >= total;
    return firstLink;
  }

  async function showMore() {
    var search = current;
    if (!search || search.busy) { return; }
    search.busy = true;
    try {
      var page = search.result.documents.slice(search.next, search.next + PAGE);
      var documents = await search.index.documents(page, search.result.query);
      if (search !== current) { return; }
      var firstLink = append(search, documents);
      if (firstLink) { firstLink.focus(); }
    } finally {
      search.busy = false;
    }
  }

  function failed() {
    status.textContent = "Sökningen kunde inte laddas. Försök igen om en stund.";
  }

  function answer() {
    var mine = latest + 1;
    run().catch(function (error) {
      if (mine === latest) {
        clear();
        failed();
      }
      if (window.console) { window.console.error(error); }
    });
  }

  function go(params) {
    var search = params.toString() ? "?" + params.toString() : "";
    var address = search || window.location.pathname;
    if (search === window.location.search) {
      window.history.replaceState(null, "", address);
    } else {
      window.history.pushState(null, "", address);
    }
    answer();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      value = String(value).trim();
      if (value) { params.append(key, value); }
    });
    go(params);
  });
  suggestions.addEventListener("click", function (event) {
    var a = event.target.closest("a[data-q]");
    if (!a || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey || event.button) {
      return;
    }
    event.preventDefault();
    go(new URLSearchParams({ q: a.getAttribute("data-q") }));
    input.focus();
  });
  more.addEventListener("click", function () {
    showMore().catch(function (error) {
      failed();
      if (window.console) { window.console.error(error); }
    });
  });
  window.addEventListener("popstate", answer);
  answer();
  /* the filters are listed before the first search, so that one can be chosen for it */
  open().catch(function () { /* a search says so, and tries again */ });
}());
