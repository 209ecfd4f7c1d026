/**
 * Splits scenario files into Kubernetes objects, from their cached documents or parsed by the
 * caller's parser (parseYaml.ts; this module imports no YAML parser).
 * A `kind: List` (what `kubectl get ... -o yaml` prints) contributes its items, each placed at
 * ['items', i] so errors still point into the list. Empty documents (a trailing `---`) are skipped.
 */
import type { Result } from '../model/source';
import type { ScenarioFile } from './types';
import type { ObjectPlace, Problems } from './problems';
import { quote } from './messages';

export interface RawObject {
  place: ObjectPlace;
  value: Record<string, unknown>;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** How files without cached documents are parsed (scenario/parseYaml.ts's parseYamlFile). */
export type ParseYaml = (file: ScenarioFile) => Result<unknown[]>;

/** The documents of a file without a cache, or undefined after reporting why there are none. */
function parsed(file: ScenarioFile, problems: Problems, parse: ParseYaml | undefined): unknown[] | undefined {
  // A caller that passes no parser promised documents for every file (loadParsedCluster).
  if (!parse) throw new Error(`${file.name}: no parsed documents (ScenarioFile.docs) and no YAML parser to read its text`);
  const r = parse(file);
  if (r.ok) return r.value;
  for (const e of r.errors) problems.atPosition(e.file, e.line ?? 1, e.column ?? 1, e.message);
  return undefined;
}

/**
 * Documents → objects. A file's cached `docs` are used as they are; any other file is read
 * with `parse` (which is passed in, so that loading cached documents never imports js-yaml).
 */
export function parseFiles(files: ScenarioFile[], problems: Problems, parse?: ParseYaml): RawObject[] {
  const out: RawObject[] = [];
  for (const file of files) {
    const docs = file.docs ?? parsed(file, problems, parse);
    if (!docs) continue;
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
