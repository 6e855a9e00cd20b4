// The engine's normalisation for the parity test: reads {"texts": [...], "queries": [...]} as
// JSON on stdin and writes {"normalise": [...], "words": [[...]], "parse": [{prefixes, whole,
// phrases}]} (one entry per text, per query) as JSON on stdout.
import { JusteratSearch, readStdin, write } from "./engine.mjs";

const input = await readStdin();
await write({
  normalise: (input.texts || []).map((text) => JusteratSearch.normalise(text)),
  words: (input.texts || []).map((text) => JusteratSearch.words(text)),
  parse: (input.queries || []).map((text) => JusteratSearch.parse(text)),
});
