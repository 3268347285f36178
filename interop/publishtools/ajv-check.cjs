// ajv-check.cjs: compiles JSON Schemas with ajv (draft 2020-12, strict mode)
// and validates JSON values against them, for the interop tests.
//
//   node ajv-check.cjs < cases.json
//
// cases.json: {"schemas": {"<name>": <schema>}, "cases": [{"schema": "<name>", "body": <value>}]}
// Prints {"compiled": [<name>...], "results": [{"valid": bool, "errors": [...]}]}.
// Formats are not asserted (validateFormats: false): our named formats are
// documented names that editors ignore, as JSON Schema allows.
"use strict";
const Ajv2020 = require("ajv/dist/2020").default;

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { schemas, cases } = JSON.parse(input);
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
  const compiled = {};
  for (const name of Object.keys(schemas).sort()) {
    compiled[name] = ajv.compile(schemas[name]);
  }
  const results = cases.map((c) => {
    const validate = compiled[c.schema];
    const valid = validate(c.body);
    return { valid, errors: (validate.errors || []).map((e) => ({ path: e.instancePath, keyword: e.keyword, message: e.message })) };
  });
  process.stdout.write(JSON.stringify({ compiled: Object.keys(compiled).sort(), results }) + "\n");
});
