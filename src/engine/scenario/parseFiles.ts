/**
 * Splits scenario files into Kubernetes objects with js-yaml (the fast parser, no positions).
 * A `kind: List` (what `kubectl get ... -o yaml` prints) contributes its items, each placed at
 * ['items', i] so errors still point into the list. Empty documents (a trailing `---`) are skipped.
 * Malformed YAML is reported with js-yaml's reason at its line, in kubectl's wording.
 */
import jsyaml from 'js-yaml';
import type { ScenarioFile } from './types';
import type { ObjectPlace, Problems } from './problems';
import { quote } from './messages';

/**
 * YAML 1.2 core schema plus merge keys (`<<`), without js-yaml's timestamp type: Kubernetes
 * converts YAML to JSON, where an unquoted `creationTimestamp: 2024-01-01T00:00:00Z` stays a string.
 */
// @types/js-yaml does not declare the `types` export js-yaml 4 has.
const { merge } = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types;
const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });

export interface RawObject {
  place: ObjectPlace;
  value: Record<string, unknown>;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function parseFiles(files: ScenarioFile[], problems: Problems): RawObject[] {
  const out: RawObject[] = [];
  for (const file of files) {
    let docs: unknown[];
    try {
      docs = jsyaml.loadAll(file.text, undefined, { filename: file.name, schema: SCHEMA });
    } catch (e) {
      const err = e as { reason?: string; mark?: { line: number; column: number }; message: string };
      const line = (err.mark?.line ?? 0) + 1;
      // kubectl: `error converting YAML to JSON: yaml: line 5: <reason>` (the reason is js-yaml's).
      problems.atPosition(file.name, line, (err.mark?.column ?? 0) + 1, `error converting YAML to JSON: yaml: line ${line}: ${err.reason ?? err.message}`);
      continue;
    }
    for (let doc = 0; doc < docs.length; doc++) {
      const value = docs[doc];
      if (value === null || value === undefined) continue;
      const place: ObjectPlace = { file: file.name, doc, base: [], object: '' };
      if (!isPlainObject(value)) {
        problems.at(place, [], `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type map[string]interface {}`);
        continue;
      }
      if (value.kind === 'List' && (value.apiVersion === 'v1' || value.apiVersion === undefined)) {
        const items = value.items;
        if (items === undefined || items === null) continue;
        if (!Array.isArray(items)) {
          problems.at(place, ['items'], `Invalid value: ${quote(typeof items)}: must be a list`);
          continue;
        }
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          const itemPlace: ObjectPlace = { file: file.name, doc, base: ['items', i], object: '' };
          if (!isPlainObject(item)) {
            problems.at(itemPlace, [], 'Invalid value: must be an object');
            continue;
          }
          out.push({ place: itemPlace, value: item });
        }
        continue;
      }
      out.push({ place, value });
    }
  }
  return out;
}
