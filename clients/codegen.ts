/**
 * GraphQL Code Generator set-up for LO Hub's front ends (client preset): typed operations with
 * every custom scalar mapped to what travels on the wire, so nothing is `any` or `unknown`.
 *
 * Use it as is (`npx graphql-codegen --config codegen.ts` with this file's default export,
 * after adjusting the paths) or import `lohubCodegen` / `scalars` into your own config.
 * tests/js/codegen.ts is a working example: LO Hub's own client suite runs through it.
 */

/** How each custom scalar travels (see its description and @specifiedBy in schema.graphql). */
export const scalars = {
  ID: { input: "string", output: "string" },
  /** ISO 8601 date, "2022-10-01". */
  Date: { input: "string", output: "string" },
  /** RFC 3339 with offset, "2022-10-01T09:30:00+00:00" (UTC in answers). */
  DateTime: { input: "string", output: "string" },
  /** Exact decimal with two places, "1250000.00": keep it a string; do sums with a decimal
   * library, never with floats. */
  Decimal: { input: "string", output: "string" },
  /** A JSON object (form answers, audit snapshots). */
  JSON: {
    input: "Record<string, string | number | boolean | null | object>",
    output: "Record<string, string | number | boolean | null | object>",
  },
  /** A file of a multipart request; never returned. */
  Upload: { input: "File | Blob", output: "never" },
} as const;

export interface LohubCodegenPaths {
  /** schema.graphql of the LO Hub release you build against (or its /graphql URL). */
  schema: string;
  /** Your operations: .graphql files, or .ts/.tsx using the generated `graphql()`. */
  documents: string | string[];
  /** Folder for the generated code, ending in "/". */
  output: string;
}

/** A codegen config (CodegenConfig of @graphql-codegen/cli) for these paths. */
export function lohubCodegen({ schema, documents, output }: LohubCodegenPaths) {
  return {
    schema,
    documents,
    // A document that does not validate against the schema fails the run.
    ignoreNoDocuments: false,
    generates: {
      [output]: {
        preset: "client",
        config: {
          scalars,
          // A new custom scalar without a mapping is an error, not a silent `any`.
          strictScalars: true,
          enumsAsTypes: true,
          useTypeImports: true,
          avoidOptionals: { field: true, inputValue: false, object: true },
        },
      },
    },
  };
}

export default lohubCodegen({
  schema: "schema.graphql",
  documents: ["src/**/*.{ts,tsx,graphql}"],
  output: "src/gql/",
});
