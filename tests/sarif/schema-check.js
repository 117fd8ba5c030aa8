// SPDX-License-Identifier: Apache-2.0
//
// Validate SARIF files against the official SARIF 2.1.0 JSON schema (a
// draft-04 schema) with ajv: `node schema-check.js SCHEMA FILE...`.
// Prints "ok FILE" or every error as "FILE: /json/pointer: message", and
// exits 1 if any file is invalid.
'use strict';
const fs = require('fs');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');

const [schemaPath, ...files] = process.argv.slice(2);
if (!schemaPath || files.length === 0) {
  console.error('usage: node schema-check.js SCHEMA FILE...');
  process.exit(2);
}
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
// strict: false — the schema uses keywords ajv's strict mode rejects
// (e.g. "id" beside "$schema" in draft-04 style); allErrors to list them all.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = 0;
for (const file of files) {
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: not JSON: ${e.message}`);
    failed++;
    continue;
  }
  if (validate(doc)) {
    console.log(`ok ${file}`);
  } else {
    failed++;
    for (const err of validate.errors)
      console.log(`${file}: ${err.instancePath || '/'}: ${err.message} ${JSON.stringify(err.params)}`);
  }
}
process.exit(failed ? 1 : 0);
