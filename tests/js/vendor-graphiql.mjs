// GraphiQL's assets, vendored into api/static/graphiql/ from this package's pinned npm packages
// (package-lock.json), so LO Hub serves GraphiQL with no outside network.
//   node vendor-graphiql.mjs          copy them (after changing a version here: npm install)
//   node vendor-graphiql.mjs --check  fail if the committed copies differ (make test runs it)
import { readFileSync, writeFileSync } from "node:fs";

const ASSETS = {
  "react.production.min.js": "react/umd/react.production.min.js",
  "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
  "graphiql.min.js": "graphiql/graphiql.min.js",
  "graphiql.min.css": "graphiql/graphiql.min.css",
};
const modules = new URL("node_modules/", import.meta.url);
const target = new URL("../../api/static/graphiql/", import.meta.url);
const check = process.argv.includes("--check");

const versions = {};
const stale = [];
for (const [name, source] of Object.entries(ASSETS)) {
  const pkg = source.split("/")[0];
  versions[pkg] = JSON.parse(readFileSync(new URL(`${pkg}/package.json`, modules))).version;
  const content = readFileSync(new URL(source, modules));
  if (!check) writeFileSync(new URL(name, target), content);
  else if (!content.equals(readFileSync(new URL(name, target)))) stale.push(name);
}
const manifest = JSON.stringify(versions, null, 2) + "\n";
if (!check) writeFileSync(new URL("versions.json", target), manifest);
else if (manifest !== readFileSync(new URL("versions.json", target), "utf8")) stale.push("versions.json");

if (stale.length) {
  console.error(`api/static/graphiql is not what tests/js pins: ${stale.join(", ")}; run npm run vendor-graphiql`);
  process.exit(1);
}
console.log(check ? `GraphiQL assets match ${JSON.stringify(versions)}` : `vendored ${JSON.stringify(versions)}`);
