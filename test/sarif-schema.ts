/**
 * The SARIF 2.1.0 JSON schema as Microsoft's SARIF multitool package ships it (JSON Schema
 * 2020-12), compiled with ajv and its formats (uri, uri-reference, date-time, uuid).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const require = createRequire(import.meta.url);
const schemaFile = path.join(
  path.dirname(require.resolve('@microsoft/sarif-multitool-ts')),
  '..',
  'assets',
  'sarif-2.1.0.schema.json',
);
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

export const validateSarif = addFormats(new Ajv2020({ allErrors: true, strict: false })).compile(
  JSON.parse(readFileSync(schemaFile, 'utf8')) as Record<string, unknown>,
);
