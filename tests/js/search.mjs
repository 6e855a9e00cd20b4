// The engine answering queries on index folders on disk, for the oracle test. Reads JSON on
// stdin: {"runs": [{"index": "<folder holding manifest.json>", "queries": [query, ...]}]}, a query
// being {"q": text, "filters": {organ, ar, typ}, "order": "relevans" | "nyast", "fresh": bool,
// "suggest": bool, "excerpts": bool}. Writes {"runs": [[answer, ...], ...]}, an answer being
// {"documents": [[url, [anchor, ...]], ...], "units": n, "scores": [...], "query": {...},
// "fetched": {"search": {files, bytes}, "texts": {files, bytes}} (for a fresh query: on an index
// opened for it alone), "suggestions": [...], "excerpts": [[[{text, mark}], ...], ...]}.
// The texts of every result document are loaded (index.documents), as the page would page
// through them all.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { JusteratSearch, readStdin, write } from "./engine.mjs";

function opener(folder) {
  const files = [];
  const fetchBytes = async (url) => {
    files.push(url);
    return new Uint8Array(await readFile(url));
  };
  return JusteratSearch.open(folder.endsWith(path.sep) ? folder : folder + path.sep, { fetchBytes }).then(
    (index) => {
      index.paths = files;
      return index;
    },
  );
}

async function answer(index, query) {
  const before = query.fresh ? { files: 0, bytes: 0 } : { ...index.fetched }; // fresh: the manifest too
  const result = await index.search(query.q, query.filters || {}, query.order || "relevans");
  const afterSearch = { ...index.fetched };
  const shown = await index.documents(result.documents, result.query);
  const afterTexts = { ...index.fetched };
  const out = {
    documents: shown.map((doc) => [doc.url, doc.units.map((unit) => unit.anchor)]),
    units: result.units,
    scores: result.documents.map((doc) => doc.score),
    query: result.query,
  };
  const listed = result.documents.reduce((n, doc) => n + doc.units.length, 0);
  if (listed !== result.units) {
    throw new Error(`${query.q}: ${result.units} units counted, ${listed} listed`);
  }
  if (query.fresh) {
    out.fetched = {
      search: { files: afterSearch.files - before.files, bytes: afterSearch.bytes - before.bytes },
      texts: { files: afterTexts.files - afterSearch.files, bytes: afterTexts.bytes - afterSearch.bytes },
      paths: index.paths.slice(),
    };
  }
  if (query.suggest) {
    out.suggestions = await index.suggestions(result.query);
  }
  if (query.excerpts) {
    out.excerpts = shown.map((doc) => doc.units.map((unit) => unit.excerpt));
    out.meta = shown.map((doc) => ({ title: doc.title, date: doc.date, typ: doc.typ, organs: doc.organs }));
  }
  return out;
}

const input = await readStdin();
const runs = [];
for (const run of input.runs) {
  const shared = await opener(run.index);
  const answers = [];
  // the queries of a run share one index (its files fetched once), except fresh ones
  for (const query of run.queries) {
    answers.push(await answer(query.fresh ? await opener(run.index) : shared, query));
  }
  runs.push(answers);
}
await write({ runs });
