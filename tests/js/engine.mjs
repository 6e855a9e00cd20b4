// The search engine (templates/assets/sok-index.js) loaded into Node as the browser loads it: a
// classic script that also sets module.exports.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
export const JusteratSearch = require(path.join(here, "..", "..", "templates", "assets", "sok-index.js"));

export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

export function write(value) {
  return new Promise((resolve, reject) => {
    process.stdout.write(JSON.stringify(value), (error) => (error ? reject(error) : resolve()));
  });
}
