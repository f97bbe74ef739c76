// Fails when a generated operation type holds `any` or `unknown` (an unmapped scalar would).
// The client preset's own helpers (Exact<…>, `as unknown as DocumentNode`) are not operation
// types and are left out.
import { readFileSync } from "node:fs";

const generated = readFileSync(new URL("generated/graphql.ts", import.meta.url), "utf8");
const offending = generated
  .split("\n")
  .filter((line) => line.startsWith("export type "))
  .filter((line) => /\b(any|unknown)\b/.test(line));
if (offending.length) {
  console.error("Generated types with any/unknown:\n" + offending.join("\n"));
  process.exit(1);
}
const count = generated.split("\n").filter((line) => /^export type \w+(Query|Mutation|Subscription)\b/.test(line)).length;
console.log(`${count} operation types, no any/unknown`);
