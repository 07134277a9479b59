// Query a Pagefind bundle on disk with Pagefind's own JavaScript, as a browser would.
// usage: node pagefind_query.mjs BUNDLE_DIR QUERY   -> prints JSON [{url, title, excerpt}]
// fetch() is replaced by a reader of files under BUNDLE_DIR; any other URL is refused.
import { readFile } from "node:fs/promises";
import { pathToFileURL, fileURLToPath } from "node:url";
import path from "node:path";

const [bundleDir, query] = process.argv.slice(2);
const root = path.resolve(bundleDir) + path.sep;
globalThis.fetch = async (input) => {
  const url = new URL(typeof input === "string" ? input : input.url);
  const file = url.protocol === "file:" ? fileURLToPath(url) : "";
  if (!file.startsWith(root)) throw new Error(`refusing to fetch ${url}`);
  return new Response(await readFile(file), { status: 200 });
};
const base = pathToFileURL(root).href;
const pagefind = await import(base + "pagefind.js");
await pagefind.options({ basePath: base, baseUrl: "/" });
const search = await pagefind.search(query);
const results = [];
for (const r of search.results) {
  const d = await r.data();
  results.push({ url: d.url, title: d.meta.title, excerpt: d.excerpt });
}
console.log(JSON.stringify(results));
