/**
 * Scenario text → YAML documents with js-yaml (the fast parser, no positions). The one place
 * loading imports js-yaml (locate.ts re-parses with positions, serialize.ts writes YAML), so
 * whoever caches parsed documents — the app's autosave, the demo built in at build time — gets
 * them from this very function and loadParsedCluster can skip it (and js-yaml) entirely.
 * Malformed YAML is reported with js-yaml's reason at its line, in kubectl's wording.
 */
import jsyaml from 'js-yaml';
import { fail, ok, type Result } from '../model/source';
import type { ScenarioFile } from './types';

/**
 * YAML 1.2 core schema plus merge keys (`<<`), without js-yaml's timestamp type: Kubernetes
 * converts YAML to JSON, where an unquoted `creationTimestamp: 2024-01-01T00:00:00Z` stays a string.
 */
// @types/js-yaml does not declare the `types` export js-yaml 4 has.
const { merge } = (jsyaml as unknown as { types: { merge: jsyaml.Type } }).types;
export const SCHEMA = jsyaml.CORE_SCHEMA.extend({ implicit: [merge] });

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

/**
 * The documents of `file.text` (what `ScenarioFile.docs` caches), or its one error: malformed
 * YAML at js-yaml's line and column, or an alias bomb at 1:1.
 */
export function parseYamlFile(file: ScenarioFile): Result<unknown[]> {
  let docs: unknown[];
  try {
    docs = jsyaml.loadAll(file.text, undefined, { filename: file.name, schema: SCHEMA });
  } catch (e) {
    const err = e as { reason?: string; mark?: { line: number; column: number }; message: string };
    const line = (err.mark?.line ?? 0) + 1;
    // kubectl: `error converting YAML to JSON: yaml: line 5: <reason>` (the reason is js-yaml's).
    const message = `error converting YAML to JSON: yaml: line ${line}: ${err.reason ?? err.message}`;
    return fail([{ file: file.name, line, column: (err.mark?.column ?? 0) + 1, message }]);
  }
  // Only a file with anchors can hold aliases.
  if (file.text.includes('&')) {
    const budget = VALUE_BUDGET_FLOOR + VALUES_PER_CHARACTER * file.text.length;
    if (expandedSize(docs, budget) === Infinity) {
      const message = `refused: ${file.name} expands through YAML aliases to more than ${budget} values (an alias bomb?); write the objects out instead of aliasing them`;
      return fail([{ file: file.name, line: 1, column: 1, message }]);
    }
  }
  return ok(docs);
}
