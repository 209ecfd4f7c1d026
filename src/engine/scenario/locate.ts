/**
 * Resolves a SourceRef (file, document index, JSON path) to a 1-based line and column by
 * re-parsing that one file with positions (eemeli/yaml). Only called when an error is shown;
 * the last file parsed is cached, since one bad file usually yields several errors.
 *
 * A path that ends at a mapping entry points at the entry's key (the line the field is on);
 * a sequence item points at the item. When the path goes deeper than the document (a missing
 * field), the deepest node that exists is used.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { SourceRef } from '../model/source';
import type { ScenarioFile } from './types';

let cache: { text: string; docs: Document.Parsed[]; lines: LineCounter } | undefined;

function parsed(text: string) {
  if (cache?.text !== text) {
    const lines = new LineCounter();
    const all = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
    cache = { text, docs: Array.isArray(all) ? all : [], lines };
  }
  return cache;
}

function offsetOf(node: unknown): number | undefined {
  const range = (node as Node | null)?.range;
  return range ? range[0] : undefined;
}

export function locate(files: ScenarioFile[], ref: SourceRef): { line: number; column: number } | undefined {
  const file = files.find((f) => f.name === ref.file);
  if (!file) return undefined;
  const { docs, lines } = parsed(file.text);
  const doc = docs[ref.doc];
  if (!doc) return undefined;
  let node: unknown = doc.contents;
  let offset = offsetOf(node);
  for (const step of ref.path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && String(isScalar(p.key) ? p.key.value : p.key) === String(step));
      if (!pair) break;
      offset = offsetOf(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) break;
      offset = offsetOf(item) ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
