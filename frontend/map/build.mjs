// Build the map bundle into the Python package: `npm ci && node build.mjs` (or `make webmap`).
// Writes onatool/viz/assets/webmap/webmap.js and a hash of every source file it was built
// from (webmap.sources.json), so a test can tell when the source changed without a rebuild.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const here = new URL(".", import.meta.url).pathname;
const out = join(here, "..", "..", "onatool", "viz", "assets", "webmap");
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(here, "src", "index.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome100", "firefox100", "safari15"],
  legalComments: "eof",
  outfile: join(out, "webmap.js"),
});

// The recorded hash covers the source, the pinned versions and this script.
const files = [
  ...readdirSync(join(here, "src")).sort().map((f) => join("src", f)),
  "package.json", "package-lock.json", "build.mjs",
];
const hash = createHash("sha256");
for (const f of files) {
  hash.update(f + "\0");
  hash.update(readFileSync(join(here, f)));
  hash.update("\0");
}
const bundle = readFileSync(join(out, "webmap.js"));
writeFileSync(join(out, "webmap.sources.json"), JSON.stringify({
  files, sources_sha256: hash.digest("hex"),
  bundle_sha256: createHash("sha256").update(bundle).digest("hex"),
}, null, 2) + "\n");
console.log(`webmap.js: ${bundle.length} bytes`);
