/* Justerat's search engine: reads the static index in sok/index/ (docs/search.md, section 5) and
   answers a query exactly as the oracle does (justerat/web/matching.py; sections 2-4). No DOM,
   no framework, no dependencies: a classic <script> sets globalThis.JusteratSearch, and Node
   (20 or later) gets it from require() too.

     var index = await JusteratSearch.open("/sok/index/", {fetchBytes: optional});
     var result = await index.search(text, {organ: "", ar: "", typ: ""}, "relevans" | "nyast");
     var shown = await index.documents(result.documents.slice(0, 10), result.query);
     var words = await index.suggestions(result.query);  // "Menade du ...?"
*/
(function (root) {
  "use strict";

  /* ---- Normalisation (section 2), the same as matching.normalise, words and parse ---- */

  /* Python's str.casefold where it differs from toLowerCase: each character that toLowerCase
     leaves as it is (so every character toLowerCase can give) but casefold changes, and what
     casefold gives for it. Generated from Python's unicodedata; tests/test_search_oracle.py
     holds the two sides together on every code point. The final sigma that toLowerCase writes
     (U+03C2) is folded to U+03C3 here, as casefold does. */
  var FOLD_FROM = "\u00b5\u00df\u0149\u017f\u01f0\u0345\u0390\u03b0\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u0587\u13f8\u13f9\u13fa\u13fb\u13fc\u13fd\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e96\u1e97\u1e98\u1e99\u1e9a\u1e9b\u1f50\u1f52\u1f54\u1f56\u1f80\u1f81\u1f82\u1f83\u1f84\u1f85\u1f86\u1f87\u1f90\u1f91\u1f92\u1f93\u1f94\u1f95\u1f96\u1f97\u1fa0\u1fa1\u1fa2\u1fa3\u1fa4\u1fa5\u1fa6\u1fa7\u1fb2\u1fb3\u1fb4\u1fb6\u1fb7\u1fbe\u1fc2\u1fc3\u1fc4\u1fc6\u1fc7\u1fd2\u1fd3\u1fd6\u1fd7\u1fe2\u1fe3\u1fe4\u1fe6\u1fe7\u1ff2\u1ff3\u1ff4\u1ff6\u1ff7\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06\ufb13\ufb14\ufb15\ufb16\ufb17";
  var FOLD_TO = "\u03bc|ss|\u02bcn|s|j\u030c|\u03b9|\u03b9\u0308\u0301|\u03c5\u0308\u0301|\u03c3|\u03b2|\u03b8|\u03c6|\u03c0|\u03ba|\u03c1|\u03b5|\u0565\u0582|\u13f0|\u13f1|\u13f2|\u13f3|\u13f4|\u13f5|\u0432|\u0434|\u043e|\u0441|\u0442|\u0442|\u044a|\u0463|\ua64b|h\u0331|t\u0308|w\u030a|y\u030a|a\u02be|\u1e61|\u03c5\u0313|\u03c5\u0313\u0300|\u03c5\u0313\u0301|\u03c5\u0313\u0342|\u1f00\u03b9|\u1f01\u03b9|\u1f02\u03b9|\u1f03\u03b9|\u1f04\u03b9|\u1f05\u03b9|\u1f06\u03b9|\u1f07\u03b9|\u1f20\u03b9|\u1f21\u03b9|\u1f22\u03b9|\u1f23\u03b9|\u1f24\u03b9|\u1f25\u03b9|\u1f26\u03b9|\u1f27\u03b9|\u1f60\u03b9|\u1f61\u03b9|\u1f62\u03b9|\u1f63\u03b9|\u1f64\u03b9|\u1f65\u03b9|\u1f66\u03b9|\u1f67\u03b9|\u1f70\u03b9|\u03b1\u03b9|\u03ac\u03b9|\u03b1\u0342|\u03b1\u0342\u03b9|\u03b9|\u1f74\u03b9|\u03b7\u03b9|\u03ae\u03b9|\u03b7\u0342|\u03b7\u0342\u03b9|\u03b9\u0308\u0300|\u03b9\u0308\u0301|\u03b9\u0342|\u03b9\u0308\u0342|\u03c5\u0308\u0300|\u03c5\u0308\u0301|\u03c1\u0313|\u03c5\u0342|\u03c5\u0308\u0342|\u1f7c\u03b9|\u03c9\u03b9|\u03ce\u03b9|\u03c9\u0342|\u03c9\u0342\u03b9|ff|fi|fl|ffi|ffl|st|st|\u0574\u0576|\u0574\u0565|\u0574\u056b|\u057e\u0576|\u0574\u056d";
  var FOLD = {};
  var FOLD_KEYS = "";
  (function () {
    var to = FOLD_TO.split("|");
    var from = Array.from(FOLD_FROM);
    for (var i = 0; i < from.length; i += 1) {
      FOLD[from[i]] = to[i];
    }
    /* the Cherokee small letters fold to the capitals (U+AB70-ABBF to U+13A0-13EF) */
    for (var c = 0xab70; c <= 0xabbf; c += 1) {
      FOLD[String.fromCharCode(c)] = String.fromCharCode(c - 0xab70 + 0x13a0);
    }
    FOLD_KEYS = FOLD_FROM + "\uab70-\uabbf";
  })();
  var FOLD_RE = new RegExp("[" + FOLD_KEYS + "]", "g");

  /* matching.py's [^\W_]+(?:[\u0300-\u036f][^\W_]*)*: a letter or digit (Python's isalnum,
     which is exactly the categories L* and N*), then letters, digits and the combining marks
     U+0300-U+036F */
  var WORD = /[\p{L}\p{N}][\p{L}\p{N}\u0300-\u036f]*/gu;
  var QUOTED = /"([^"]*)"?/g;

  function foldOne(c) {
    return FOLD[c];
  }

  function normalise(text) {
    return String(text).normalize("NFC").toLowerCase().replace(FOLD_RE, foldOne);
  }

  function words(text) {
    return normalise(text).match(WORD) || [];
  }

  function unique(items, key) {
    var seen = new Set();
    var out = [];
    items.forEach(function (item) {
      var k = key ? key(item) : item;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(item);
      }
    });
    return out;
  }

  /* The query in text: each quoted part a whole word (one word) or a phrase (several), an
     unclosed quote running to the end; every other word a prefix term; repeats count once. */
  function parse(text) {
    text = String(text);
    var prefixes = [];
    var whole = [];
    var phrases = [];
    var position = 0;
    var quoted;
    QUOTED.lastIndex = 0;
    while ((quoted = QUOTED.exec(text)) !== null) {
      prefixes = prefixes.concat(words(text.slice(position, quoted.index)));
      var inside = words(quoted[1]);
      if (inside.length === 1) {
        whole.push(inside[0]);
      } else if (inside.length) {
        phrases.push(inside);
      }
      position = quoted.index + quoted[0].length;
      if (quoted[0].length === 0) {
        QUOTED.lastIndex += 1; /* never: the pattern always takes the quote */
      }
    }
    prefixes = prefixes.concat(words(text.slice(position)));
    return {
      prefixes: unique(prefixes),
      whole: unique(whole),
      phrases: unique(phrases, function (p) { return JSON.stringify(p); }),
    };
  }

  function isEmpty(query) {
    return !(query.prefixes.length || query.whole.length || query.phrases.length);
  }

  /* ---- Small helpers ---- */

  function startsWith(word, prefix) {
    return word.length >= prefix.length && word.slice(0, prefix.length) === prefix;
  }

  /* Python's string order (by code point), which UTF-16's differs from only for a surrogate
     against U+E000-U+FFFF. */
  function compareCodePoints(a, b) {
    if (a === b) {
      return 0;
    }
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i += 1) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          /* surrogates (D800-DFFF) come after E000-FFFF in code point order */
          x = x < 0xe000 ? x + 0x2000 : x;
          y = y < 0xe000 ? y + 0x2000 : y;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
  }

  function firstChar(text) {
    var c = text.codePointAt(0);
    return c === undefined ? "" : String.fromCodePoint(c);
  }

  function codePoints(text) {
    var n = 0;
    for (var i = 0; i < text.length; i += 1) {
      var c = text.charCodeAt(i);
      if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && text.charCodeAt(i - 1) >= 0xd800 && text.charCodeAt(i - 1) <= 0xdbff)) {
        n += 1;
      }
    }
    return n;
  }

  var utf8 = new TextDecoder("utf-8");

  async function gunzip(bytes) {
    if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
      return bytes; /* a server that sent it with Content-Encoding: gzip; the browser unpacked it */
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function defaultFetchBytes(url) {
    var response = await fetch(url, /manifest\.json$/.test(url) ? { cache: "no-cache" } : {});
    if (!response.ok) {
      throw new Error("sok-index: " + url + ": " + response.status);
    }
    return new Uint8Array(await response.arrayBuffer());
  }

  /* A word or prefix shard (section 5): the number of entries, then each entry front-coded
     in UTF-8 (bytes shared with the one before, bytes that follow, those bytes) and its
     postings (how many, then unit id gap, tf and the unit's length for each). The first gap
     of an entry counts from the segment's first unit. */
  function decodeShard(bytes, first) {
    var pos = 0;
    function varint() {
      var value = 0;
      var scale = 1;
      for (;;) {
        if (pos >= bytes.length) {
          throw new Error("sok-index: a shard ends inside a number");
        }
        var b = bytes[pos];
        pos += 1;
        value += (b & 0x7f) * scale;
        if (b < 0x80) {
          return value;
        }
        scale *= 128;
      }
    }
    var count = varint();
    var entries = new Array(count);
    var postings = new Array(count);
    var buffer = new Uint8Array(64);
    var size = 0;
    for (var i = 0; i < count; i += 1) {
      var shared = varint();
      var more = varint();
      if (shared > size || pos + more > bytes.length) {
        throw new Error("sok-index: a shard's word is cut");
      }
      if (shared + more > buffer.length) {
        var bigger = new Uint8Array(Math.max(buffer.length * 2, shared + more));
        bigger.set(buffer.subarray(0, shared));
        buffer = bigger;
      }
      buffer.set(bytes.subarray(pos, pos + more), shared);
      pos += more;
      size = shared + more;
      entries[i] = utf8.decode(buffer.subarray(0, size));
      var n = varint();
      var list = new Float64Array(n * 3);
      var unit = first;
      for (var j = 0; j < n; j += 1) {
        unit += varint();
        list[j * 3] = unit;
        list[j * 3 + 1] = varint();
        list[j * 3 + 2] = varint();
      }
      postings[i] = list;
    }
    return { words: entries, postings: postings };
  }

  /* the first position in the sorted words not before word (UTF-16 order) */
  function lowerBound(sorted, word) {
    var lo = 0;
    var hi = sorted.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (sorted[mid] < word) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /* Damerau-Levenshtein distance (optimal string alignment: a swap of two neighbours is one
     edit), over code points; anything above limit is limit + 1. */
  function distance(a, b, limit) {
    a = Array.from(a);
    b = Array.from(b);
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var previous2 = null;
    var previous = new Array(b.length + 1);
    for (var j = 0; j <= b.length; j += 1) {
      previous[j] = j;
    }
    for (var i = 1; i <= a.length; i += 1) {
      var row = new Array(b.length + 1);
      row[0] = i;
      var best = row[0];
      for (j = 1; j <= b.length; j += 1) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var value = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          value = Math.min(value, previous2[j - 2] + 1);
        }
        row[j] = value;
        best = Math.min(best, value);
      }
      if (best > limit) {
        return limit + 1;
      }
      previous2 = previous;
      previous = row;
    }
    return Math.min(previous[b.length], limit + 1);
  }

  /* ---- The index ---- */

  function Index(base, manifest, fetchBytes) {
    this.base = base;
    this.manifest = manifest;
    this.filters = manifest.filters || { organ: [], ar: [], typ: [] };
    this.fetched = { files: 0, bytes: 0 };
    this.k1 = manifest.k1;
    this.b = manifest.b;
    this.N = manifest.units;
    this.avgdl = manifest.units ? manifest.length / manifest.units : 0;
    this.segments = manifest.segments || [];
    this.removed = new Set();
    var self = this;
    this.segments.forEach(function (segment) {
      (segment.removed || []).forEach(function (id) { self.removed.add(id); });
    });
    this._fetchBytes = fetchBytes;
    this._files = new Map();
  }

  /* each file fetched once per index; every fetch counted */
  Index.prototype._file = function (path, read) {
    var cached = this._files.get(path);
    if (!cached) {
      var self = this;
      cached = Promise.resolve(this._fetchBytes(this.base + path)).then(function (bytes) {
        bytes = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
        self.fetched.files += 1;
        self.fetched.bytes += bytes.length;
        return /\.gz$/.test(path) ? gunzip(bytes) : bytes;
      }).then(read);
      cached.catch(function () {
        self._files.delete(path); /* a failed fetch is tried again next time */
      });
      this._files.set(path, cached);
    }
    return cached;
  };

  Index.prototype._json = function (path) {
    return this._file(path, function (bytes) { return JSON.parse(utf8.decode(bytes)); });
  };

  Index.prototype._shard = function (segment, name) {
    return this._file(segment.id + "/" + name + ".bin.gz", function (bytes) {
      return decodeShard(bytes, segment.first);
    });
  };

  /* a segment's documents: the columns, and where each document's units start */
  Index.prototype._docs = function (segment) {
    var self = this;
    return this._json(segment.id + "/docs.json.gz").then(function (docs) {
      if (docs._starts) {
        return docs;
      }
      var count = docs.units.length;
      var starts = new Float64Array(count + 1);
      var unit = segment.first;
      var chunkFirst = new Map();
      for (var i = 0; i < count; i += 1) {
        starts[i] = unit;
        unit += docs.units[i];
        if (!chunkFirst.has(docs.text[i])) {
          chunkFirst.set(docs.text[i], i);
        }
      }
      starts[count] = unit;
      docs._starts = starts;
      docs._chunkFirst = chunkFirst;
      docs._segment = segment;
      docs._organs = docs.organ.map(function (list) {
        return list.map(function (k) { return self.filters.organ[k]; });
      });
      return docs;
    });
  };

  Index.prototype._allDocs = function () {
    var self = this;
    if (!this._docsAll) {
      this._docsAll = Promise.all(this.segments.map(function (s) { return self._docs(s); }));
      this._docsAll.catch(function () { self._docsAll = null; });
    }
    return this._docsAll;
  };

  /* the segment a unit id belongs to */
  Index.prototype._segmentOf = function (unit) {
    for (var s = 0; s < this.segments.length; s += 1) {
      if (unit >= this.segments[s].first && unit < this.segments[s].first + this.segments[s].units) {
        return s;
      }
    }
    throw new Error("sok-index: unit " + unit + " is in no segment");
  };

  /* Postings as sorted columns: unit ids (ascending), tf and the unit's length. */
  function Postings(units, tf, length) {
    this.units = units;
    this.tf = tf;
    this.length = length;
    this.size = units.length;
  }

  var NO_POSTINGS = new Postings(new Float64Array(0), new Uint32Array(0), new Uint32Array(0));

  /* the position of unit in a postings list, or -1 */
  Postings.prototype.find = function (unit, from) {
    var units = this.units;
    var lo = from || 0;
    var hi = units.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (units[mid] < unit) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < units.length && units[lo] === unit ? lo : -1;
  };

  /* one list of encoded triples (unit, tf, length), as read from a shard */
  function fromTriples(list) {
    var n = list.length / 3;
    var units = new Float64Array(n);
    var tf = new Uint32Array(n);
    var length = new Uint32Array(n);
    for (var j = 0; j < n; j += 1) {
      units[j] = list[j * 3];
      tf[j] = list[j * 3 + 1];
      length[j] = list[j * 3 + 2];
    }
    return new Postings(units, tf, length);
  }

  /* several words' lists in one segment, tf summed per unit */
  function merge(lists, segment) {
    if (!lists.length) {
      return NO_POSTINGS;
    }
    if (lists.length === 1) {
      return fromTriples(lists[0]);
    }
    var first = segment.first;
    var tf = new Uint32Array(segment.units);
    var length = new Uint32Array(segment.units);
    lists.forEach(function (list) {
      for (var j = 0; j < list.length; j += 3) {
        var at = list[j] - first;
        tf[at] += list[j + 1];
        length[at] = list[j + 2];
      }
    });
    var count = 0;
    for (var k = 0; k < tf.length; k += 1) {
      if (tf[k]) {
        count += 1;
      }
    }
    var out = new Postings(new Float64Array(count), new Uint32Array(count), new Uint32Array(count));
    var i = 0;
    for (k = 0; k < tf.length; k += 1) {
      if (tf[k]) {
        out.units[i] = first + k;
        out.tf[i] = tf[k];
        out.length[i] = length[k];
        i += 1;
      }
    }
    return out;
  }

  /* The postings of a term in one segment: a prefix term sums the postings of every word that
     begins with it (or reads its prefix entry: the same sums), a whole word only its own. */
  Index.prototype._segmentPostings = async function (segment, term, prefix) {
    var self = this;
    if (prefix && codePoints(term) <= 3) {
      var ranges = segment.prefixes || [];
      for (var p = 0; p < ranges.length; p += 1) {
        if (ranges[p][0] <= term && term <= ranges[p][1]) {
          var shard = await this._shard(segment, "p" + p);
          var at = lowerBound(shard.words, term);
          if (at < shard.words.length && shard.words[at] === term) {
            return fromTriples(shard.postings[at]);
          }
          break; /* no entry: the word shards answer */
        }
      }
    }
    var wanted = [];
    (segment.words || []).forEach(function (range, i) {
      var first = range[0];
      var last = range[1];
      var holds = prefix
        ? last >= term && (first <= term || startsWith(first, term))
        : first <= term && term <= last;
      if (holds) {
        wanted.push(i);
      }
    });
    var shards = await Promise.all(wanted.map(function (i) { return self._shard(segment, "w" + i); }));
    var lists = [];
    shards.forEach(function (shard) {
      var at = lowerBound(shard.words, term);
      if (prefix) {
        for (; at < shard.words.length && startsWith(shard.words[at], term); at += 1) {
          lists.push(shard.postings[at]);
        }
      } else if (at < shard.words.length && shard.words[at] === term) {
        lists.push(shard.postings[at]);
      }
    });
    return merge(lists, segment);
  };

  /* which of a segment's units belong to a document a later segment removed */
  Index.prototype._dead = function (all, s) {
    var docs = all[s];
    if (docs._dead === undefined) {
      var segment = this.segments[s];
      var dead = null;
      for (var local = 0; local < docs.units.length; local += 1) {
        if (this.removed.has(segment.firstdoc + local)) {
          dead = dead || new Uint8Array(segment.units);
          dead.fill(1, docs._starts[local] - segment.first, docs._starts[local + 1] - segment.first);
        }
      }
      docs._dead = dead;
    }
    return docs._dead;
  };

  /* a term's postings over the whole index, live units only (a removed document's units are
     never counted, so df is over live units): the segments' lists one after the other, in
     the order of their unit ids */
  Index.prototype._postings = function (term, prefix, all) {
    var self = this;
    var key = (prefix ? "p:" : "w:") + term;
    this._terms = this._terms || new Map();
    var cached = this._terms.get(key);
    if (!cached) {
      cached = Promise.all([
        all,
        Promise.all(this.segments.map(function (s) { return self._segmentPostings(s, term, prefix); })),
      ]).then(function (got) {
        var parts = got[1].map(function (list, s) {
          var dead = self._dead(got[0], s);
          if (!dead || !list.size) {
            return list;
          }
          var first = self.segments[s].first;
          var keep = [];
          for (var j = 0; j < list.size; j += 1) {
            if (!dead[list.units[j] - first]) {
              keep.push(j);
            }
          }
          var out = new Postings(new Float64Array(keep.length), new Uint32Array(keep.length), new Uint32Array(keep.length));
          keep.forEach(function (j, i) {
            out.units[i] = list.units[j];
            out.tf[i] = list.tf[j];
            out.length[i] = list.length[j];
          });
          return out;
        }).filter(function (list) { return list.size; });
        if (parts.length <= 1) {
          return parts[0] || NO_POSTINGS;
        }
        var size = parts.reduce(function (n, list) { return n + list.size; }, 0);
        var out = new Postings(new Float64Array(size), new Uint32Array(size), new Uint32Array(size));
        var at = 0;
        parts.sort(function (a, b) { return a.units[0] - b.units[0]; });
        parts.forEach(function (list) {
          out.units.set(list.units, at);
          out.tf.set(list.tf, at);
          out.length.set(list.length, at);
          at += list.size;
        });
        return out;
      });
      cached.catch(function () { self._terms.delete(key); });
      this._terms.set(key, cached);
    }
    return cached;
  };

  Index.prototype._score = function (df, tf, length) {
    var idf = Math.log(1 + (this.N - df + 0.5) / (df + 0.5));
    return idf * tf * (this.k1 + 1) / (tf + this.k1 * (1 - this.b + this.b * length / this.avgdl));
  };

  /* a document's text (url, title, date, units with anchor, title and fields) */
  Index.prototype._text = function (all, s, local) {
    var docs = all[s];
    var segment = this.segments[s];
    var chunk = docs.text[local];
    return this._json(segment.id + "/t" + chunk + ".json.gz").then(function (texts) {
      var list = Array.isArray(texts) ? texts : texts.documents;
      var at = local - docs._chunkFirst.get(chunk);
      var text = list[at];
      if (!text) {
        throw new Error("sok-index: document " + (segment.firstdoc + local) + " is not in its text chunk");
      }
      return text;
    });
  };

  /* Search (sections 3 and 4): every matching unit, grouped by document, ranked. */
  Index.prototype.search = async function (text, filters, order) {
    var self = this;
    var query = typeof text === "string" ? parse(text) : text;
    filters = filters || {};
    var result = { query: query, units: 0, documents: [] };
    if (isEmpty(query)) {
      return result;
    }
    /* the filters, as indexes into the manifest's lists (a value it does not know: nothing) */
    var wanted = {};
    var none = false;
    ["organ", "ar", "typ"].forEach(function (name) {
      var value = filters[name] === undefined || filters[name] === null ? "" : String(filters[name]);
      if (value !== "") {
        wanted[name] = (self.filters[name] || []).indexOf(value);
        if (wanted[name] < 0) {
          none = true;
        }
      }
    });
    if (none) {
      return result;
    }
    var all = this._allDocs();
    var terms = [];
    query.prefixes.forEach(function (t) { terms.push([t, true]); });
    query.whole.forEach(function (t) { terms.push([t, false]); });
    query.phrases.forEach(function (phrase) {
      phrase.forEach(function (t) { terms.push([t, false]); });
    });
    var lists = await Promise.all(terms.map(function (t) { return self._postings(t[0], t[1], all); }));
    var docs = await all;

    function passes(s, local) {
      var columns = docs[s];
      if (wanted.typ !== undefined && columns.typ[local] !== wanted.typ) {
        return false;
      }
      if (wanted.ar !== undefined && columns.ar[local] !== wanted.ar) {
        return false;
      }
      if (wanted.organ !== undefined && columns.organ[local].indexOf(wanted.organ) < 0) {
        return false;
      }
      return true;
    }

    /* the units in every term's postings (the shortest list walked, the others searched), in
       order, each with its document (walked along with them) and the filters applied */
    var smallest = 0;
    lists.forEach(function (list, k) {
      if (list.size < lists[smallest].size) {
        smallest = k;
      }
    });
    var base = lists[smallest];
    var located = []; /* [unit, segment, local document, positions in each list] */
    var s = 0;
    var local = 0;
    for (var i = 0; i < base.size; i += 1) {
      var unit = base.units[i];
      var positions = new Array(lists.length);
      var every = true;
      for (var k = 0; k < lists.length && every; k += 1) {
        positions[k] = k === smallest ? i : lists[k].find(unit);
        every = positions[k] >= 0;
      }
      if (!every) {
        continue;
      }
      if (!(unit >= this.segments[s].first && unit < this.segments[s].first + this.segments[s].units)) {
        s = this._segmentOf(unit);
        local = 0;
      }
      var starts = docs[s]._starts;
      while (starts[local + 1] <= unit) {
        local += 1;
      }
      if (passes(s, local)) {
        located.push({ unit: unit, s: s, local: local, at: positions });
      }
    }

    /* phrases: the unit's words hold every phrase word; now one field must hold the run */
    if (query.phrases.length && located.length) {
      var texts = await Promise.all(located.map(function (d) { return self._text(docs, d.s, d.local); }));
      located = located.filter(function (d, n) {
        var unitText = texts[n].units[d.unit - docs[d.s]._starts[d.local]];
        var fields = (unitText.fields || []).map(words);
        return query.phrases.every(function (phrase) {
          return fields.some(function (field) { return hasRun(field, phrase); });
        });
      });
    }

    /* scores: the terms in order (prefixes, whole words, phrase words), then rounded */
    var dfs = lists.map(function (list) { return list.size; });
    var byDoc = new Map();
    var documents = [];
    located.forEach(function (d) {
      var score = 0;
      for (var k = 0; k < lists.length; k += 1) {
        score += self._score(dfs[k], lists[k].tf[d.at[k]], lists[k].length[d.at[k]]);
      }
      score = Math.floor(score * 1e6 + 0.5);
      var id = self.segments[d.s].firstdoc + d.local;
      var doc = byDoc.get(id);
      if (!doc) {
        doc = { id: id, score: score, date: docs[d.s].date[d.local] || "", units: [], _s: d.s, _local: d.local };
        byDoc.set(id, doc);
        documents.push(doc);
      }
      doc.score = Math.max(doc.score, score);
      doc.units.push(d.unit);
    });
    result.units = located.length;

    var newest = order === "nyast";
    function byDate(a, b) {
      if (a.date === b.date) {
        return 0;
      }
      if (!a.date) {
        return 1;
      }
      if (!b.date) {
        return -1;
      }
      return a.date < b.date ? 1 : -1;
    }
    function byScore(a, b) {
      return b.score - a.score;
    }
    function primary(a, b) {
      return newest ? byDate(a, b) || byScore(a, b) : byScore(a, b) || byDate(a, b);
    }
    documents.sort(function (a, b) {
      return primary(a, b) || a.id - b.id;
    });
    /* then by address. A segment's documents are numbered in the order of their addresses
       (the builder sorts them), so documents that tie within one segment are in order by id
       already; documents that tie across segments are ordered by their urls, from a docs
       column when the index has one, else from their texts (fetched for those only). */
    var tied = [];
    for (i = 0; i < documents.length; ) {
      var j = i + 1;
      var mixed = false;
      while (j < documents.length && primary(documents[i], documents[j]) === 0) {
        mixed = mixed || documents[j]._s !== documents[i]._s;
        j += 1;
      }
      if (mixed) {
        tied.push([i, j]);
      }
      i = j;
    }
    if (tied.length) {
      var needed = [];
      tied.forEach(function (range) {
        for (var n = range[0]; n < range[1]; n += 1) {
          needed.push(documents[n]);
        }
      });
      await Promise.all(needed.map(function (doc) {
        var column = docs[doc._s].url;
        if (column) {
          doc._url = column[doc._local];
          return null;
        }
        return self._text(docs, doc._s, doc._local).then(function (t) { doc._url = t.url; });
      }));
      tied.forEach(function (range) {
        var part = documents.slice(range[0], range[1]);
        part.sort(function (a, b) { return compareCodePoints(a._url, b._url); });
        for (var n = 0; n < part.length; n += 1) {
          documents[range[0] + n] = part[n];
        }
      });
    }
    result.documents = documents.map(function (doc) {
      return { id: doc.id, score: doc.score, date: doc.date, units: doc.units };
    });
    return result;
  };

  function hasRun(field, phrase) {
    var size = phrase.length;
    for (var i = 0; i + size <= field.length; i += 1) {
      var k = 0;
      while (k < size && field[i + k] === phrase[k]) {
        k += 1;
      }
      if (k === size) {
        return true;
      }
    }
    return false;
  }

  /* whether a (normalised) word is one the query matched */
  function matcher(query) {
    var exact = new Set(query.whole);
    query.phrases.forEach(function (phrase) { phrase.forEach(function (w) { exact.add(w); }); });
    return function (word) {
      if (exact.has(word)) {
        return true;
      }
      for (var i = 0; i < query.prefixes.length; i += 1) {
        if (startsWith(word, query.prefixes[i])) {
          return true;
        }
      }
      return false;
    };
  }

  var EXCERPT_WORDS = 30;
  var EXCERPT_BEFORE = 10;
  var RUN = /[\p{L}\p{N}][\p{L}\p{N}\u0300-\u036f]*/gu;

  /* the words of a run of letters as written (remembered: a page shows the same words often) */
  var RUN_WORDS = new Map();
  function runWords(run) {
    var found = RUN_WORDS.get(run);
    if (!found) {
      if (RUN_WORDS.size > 50000) {
        RUN_WORDS.clear();
      }
      found = words(run);
      RUN_WORDS.set(run, found);
    }
    return found;
  }

  /* ~30 words of a field around its first matched word, as pieces of the text as written:
     [{text, mark}], the matched words marked. */
  function excerpt(fields, query) {
    var hit = matcher(query);
    var chosen = null;
    var fallback = null;
    for (var f = 0; f < fields.length && !chosen; f += 1) {
      var text = String(fields[f]);
      var runs = [];
      var m;
      RUN.lastIndex = 0;
      while ((m = RUN.exec(text)) !== null) {
        runs.push({ start: m.index, end: m.index + m[0].length, mark: runWords(m[0]).some(hit) });
      }
      var first = -1;
      for (var r = 0; r < runs.length; r += 1) {
        if (runs[r].mark) {
          first = r;
          break;
        }
      }
      if (first >= 0) {
        chosen = { text: text, runs: runs, first: first };
      } else if (!fallback && runs.length) {
        fallback = { text: text, runs: runs, first: 0 };
      }
    }
    chosen = chosen || fallback;
    if (!chosen) {
      return fields.length ? [{ text: String(fields[0]), mark: false }] : [];
    }
    var runs_ = chosen.runs;
    var start = Math.max(0, chosen.first - EXCERPT_BEFORE);
    var end = Math.min(runs_.length, start + EXCERPT_WORDS);
    start = Math.max(0, end - EXCERPT_WORDS);
    var from = start === 0 ? 0 : runs_[start].start;
    var to = end === runs_.length ? chosen.text.length : runs_[end - 1].end;
    var pieces = [];
    function push(value, mark) {
      if (!value) {
        return;
      }
      var last = pieces[pieces.length - 1];
      if (last && last.mark === mark) {
        last.text += value;
      } else {
        pieces.push({ text: value, mark: mark });
      }
    }
    if (start > 0) {
      push("\u2026 ", false);
    }
    var at = from;
    for (var k = start; k < end; k += 1) {
      push(chosen.text.slice(at, runs_[k].start), false);
      push(chosen.text.slice(runs_[k].start, runs_[k].end), runs_[k].mark);
      at = runs_[k].end;
    }
    push(chosen.text.slice(at, to), false);
    if (end < runs_.length) {
      push(" \u2026", false);
    }
    return pieces;
  }

  /* The documents to show, with their matching units: texts fetched for these only. */
  Index.prototype.documents = async function (list, query) {
    var self = this;
    query = query || { prefixes: [], whole: [], phrases: [] };
    var docs = await this._allDocs();
    return Promise.all(list.map(async function (doc) {
      var d = null;
      for (var s = 0; s < self.segments.length; s += 1) {
        var segment = self.segments[s];
        if (doc.id >= segment.firstdoc && doc.id < segment.firstdoc + segment.docs) {
          d = { s: s, local: doc.id - segment.firstdoc };
          break;
        }
      }
      if (!d) {
        throw new Error("sok-index: document " + doc.id + " is in no segment");
      }
      var columns = docs[d.s];
      var text = await self._text(docs, d.s, d.local);
      var start = columns._starts[d.local];
      return {
        url: text.url,
        title: text.title,
        date: columns.date[d.local] || "",
        typ: self.filters.typ[columns.typ[d.local]],
        organs: columns._organs[d.local],
        units: (doc.units || []).map(function (unit) {
          var u = text.units[unit - start];
          return { anchor: u.anchor, title: u.title, fields: u.fields, excerpt: excerpt(u.fields || [], query) };
        }),
      };
    }));
  };

  /* "Menade du ...?": whole words of the vocabulary at Damerau-Levenshtein (optimal string
     alignment) distance 1-2 from a term of the query, from the vocabulary files whose range
     holds words beginning with the term's first character; best first by distance, then by
     how many live units hold the word, then alphabetically; at most five. */
  Index.prototype.suggestions = async function (query, limit) {
    var self = this;
    limit = limit || 5;
    if (typeof query === "string") {
      query = parse(query);
    }
    var terms = unique([].concat(query.prefixes, query.whole, [].concat.apply([], query.phrases)));
    if (!terms.length) {
      return [];
    }
    var loads = [];
    this.segments.forEach(function (segment) {
      (segment.vocabulary || []).forEach(function (range, i) {
        var lo = firstChar(range[0]);
        var hi = firstChar(range[1]);
        if (terms.some(function (t) { var c = firstChar(t); return lo <= c && c <= hi; })) {
          loads.push(self._json(segment.id + "/v" + i + ".json.gz"));
        }
      });
    });
    var vocabularies = await Promise.all(loads);
    var best = new Map();
    vocabularies.forEach(function (list) {
      list.forEach(function (word) {
        if (terms.indexOf(word) >= 0) {
          return;
        }
        for (var k = 0; k < terms.length; k += 1) {
          var dist = distance(terms[k], word, 2);
          if (dist <= 2 && (!best.has(word) || best.get(word) > dist)) {
            best.set(word, dist);
          }
        }
      });
    });
    var candidates = Array.from(best.keys());
    candidates.sort(function (a, b) { return best.get(a) - best.get(b) || (a < b ? -1 : a > b ? 1 : 0); });
    candidates = candidates.slice(0, limit * 2);
    var all = this._allDocs();
    var counts = await Promise.all(candidates.map(function (word) {
      return self._postings(word, false, all).then(function (list) { return list.size; });
    }));
    var scored = candidates.map(function (word, i) {
      return { word: word, distance: best.get(word), units: counts[i] };
    }).filter(function (c) { return c.units > 0; }); /* only in removed documents: not a word */
    scored.sort(function (a, b) {
      return a.distance - b.distance || b.units - a.units || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
    });
    return scored.slice(0, limit).map(function (c) { return c.word; });
  };

  async function open(base, options) {
    options = options || {};
    base = String(base);
    if (base && base.charAt(base.length - 1) !== "/") {
      base += "/";
    }
    var fetchBytes = options.fetchBytes || defaultFetchBytes;
    var index = new Index(base, { segments: [] }, fetchBytes);
    var manifest = await index._json("manifest.json");
    if (manifest.format !== 1) {
      throw new Error("sok-index: an index of format " + manifest.format + ", not 1");
    }
    var ready = new Index(base, manifest, fetchBytes);
    ready.fetched = index.fetched;
    ready._files = index._files;
    return ready;
  }

  var JusteratSearch = {
    open: open,
    normalise: normalise,
    words: words,
    parse: parse,
    excerpt: excerpt,
    distance: distance,
    _decodeShard: decodeShard,
  };

  root.JusteratSearch = JusteratSearch;
  if (typeof module === "object" && module && module.exports) {
    module.exports = JusteratSearch;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
