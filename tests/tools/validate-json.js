#!/usr/bin/env node
// Validates JSON documents against a JSON Schema (draft-04, as the SARIF
// 2.1.0 schema is written, or draft-07 and later).
//   usage: node validate-json.js SCHEMA FILE...
// Prints one line per error and exits 1 when any document is invalid,
// 2 when the schema itself cannot be used.
'use strict';
const fs = require('fs');
const Ajv04 = require('ajv-draft-04');
const Ajv07 = require('ajv');
const addFormats = require('ajv-formats');

function compile(path) {
	const schema = JSON.parse(fs.readFileSync(path, 'utf8'));
	const draft04 = /draft-04/.test(schema.$schema || '');
	const ajv = draft04 ? new Ajv04({ allErrors: true, strict: false })
		: new Ajv07({ allErrors: true, strict: false });
	addFormats(ajv);
	return ajv.compile(schema);
}

function main(argv) {
	if (argv.length < 2) {
		console.error('usage: validate-json.js SCHEMA FILE...');
		return 2;
	}
	let validate;
	try {
		validate = compile(argv[0]);
	} catch (e) {
		console.error(`${argv[0]}: unusable schema: ${e.message}`);
		return 2;
	}
	let bad = 0;
	for (const file of argv.slice(1)) {
		const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
		if (validate(doc)) {
			console.log(`${file}: valid`);
			continue;
		}
		bad++;
		for (const e of validate.errors)
			console.log(`${file}: ${e.instancePath || '/'} ${e.message}`);
	}
	return bad ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
