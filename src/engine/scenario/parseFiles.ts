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
export const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });

export interface RawObject {
  place: ObjectPlace;
  value: Record<string, unknown>;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/**
 * js-yaml resolves an alias to the same object (no copy at parse time), and limits nesting to
 * 100 levels (its `maxDepth`), but sets no bound on aliases: a "billion laughs" file of a few
 * hundred bytes parses into a graph whose expansion — what every later step walks (validation,
 * JSON, hashing) — has hundreds of millions of values. So the parsed documents are walked as
 * they expand, with a budget proportional to the text: plain YAML needs a few characters per
 * value, so only aliases can exceed it.
 */
export const VALUES_PER_CHARACTER = 10;
const VALUE_BUDGET_FLOOR = 10_000;

/** The number of values `docs` expands to, or Infinity once it passes `budget`. */
export function expandedSize(docs: unknown[], budget: number): number {
  const stack: unknown[] = [...docs];
  let count = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++count > budget) return Infinity;
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
    else if (typeof v === 'object' && v !== null && !(v instanceof Date)) for (const k in v) stack.push((v as Record<string, unknown>)[k]);
  }
  return count;
}

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
    // Only a file with anchors can hold aliases.
    if (file.text.includes('&')) {
      const budget = VALUE_BUDGET_FLOOR + VALUES_PER_CHARACTER * file.text.length;
      if (expandedSize(docs, budget) === Infinity) {
        problems.atPosition(file.name, 1, 1, `refused: ${file.name} expands through YAML aliases to more than ${budget} values (an alias bomb?); write the objects out instead of aliasing them`);
        continue;
      }
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
