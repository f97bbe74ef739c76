// The client suite's codegen: clients/codegen.ts, as a front end would use it.
import { lohubCodegen } from "../../clients/codegen.ts";

export default lohubCodegen({
  schema: "../../schema.graphql",
  documents: "operations/*.graphql",
  output: "generated/",
});
