/**
 * Resolves a SourceRef (file, document index, JSON path) to a 1-based line and column by
 * re-parsing that one file with js-yaml's `listener` hook, which reports where each node opens
 * and what it parsed to. Only called when an error is shown; the last file parsed is cached,
 * since one bad file usually yields several errors.
 *
 * A path that ends at a mapping entry points at the entry's key (the line the field is on);
 * a sequence item points at the item. When the path goes deeper than the document (a missing
 * field), the deepest node that exists is used. Aliases and merged (`<<`) fields are not
 * followed: the path stops at the field that holds the alias or at the mapping. A file that
 * does not parse yields undefined.
 *
 * How js-yaml's loader reports nodes (lib/loader.js, composeNode): 'open' fires before the
 * node's leading whitespace and properties (&anchor, !tag), 'close' after its content with
 * `state.kind` and `state.result` set. Nested opens are the node's children: a mapping's
 * come as key, value, key, value (a key without ':' has no value, e.g. `{a, b: 1}`), a
 * sequence's are its items (a `[k: v]` item is a key and a value). Two quirks: a block node
 * first tried as a mapping key that turns out to be a whole node (`key:\n  [a, b]`) is a
 * wrapper whose only child holds the same result, and scalars may carry children from
 * abandoned attempts, which are ignored.
 */
import jsyaml from 'js-yaml';
import type { SourceRef } from '../model/source';
import type { ScenarioFile } from './types';
// The schema the files were read with, so keys turn into the same strings the paths were built from.
import { SCHEMA } from './parseYaml';

interface YamlNode {
  /** Offset where the loader opened the node (may sit before whitespace and properties). */
  open: number;
  /** Offset just past the node's content (or past trailing space for block collections). */
  end: number;
  kind: string | null;
  result: unknown;
  children: YamlNode[];
  /** `open` is the position itself (an empty item has no content to skip to). */
  exact?: true;
  /** A `[k: v]` item: a flow mapping without braces. */
  flowPair?: true;
}

interface ParsedFile {
  /** The text js-yaml reads: BOM dropped, a final line break added, '\0' appended. */
  input: string;
  hadBom: boolean;
  docs: YamlNode[];
  lineStarts?: number[];
}

interface ListenerState {
  input: string;
  position: number;
  kind: string | null;
  result: unknown;
}

let cache: { text: string; file: ParsedFile | undefined } | undefined;

function parsed(text: string): ParsedFile | undefined {
  if (cache?.text !== text) cache = { text, file: parse(text) };
  return cache.file;
}

function parse(text: string): ParsedFile | undefined {
  const docs: YamlNode[] = [];
  const stack: YamlNode[] = [];
  let input = '';
  const listener = (event: 'open' | 'close', state: ListenerState) => {
    if (event === 'open') {
      input = state.input;
      stack.push({ open: state.position, end: state.position, kind: null, result: undefined, children: [] });
      return;
    }
    let node = stack.pop()!;
    node.end = state.position;
    node.kind = state.kind;
    node.result = state.result;
    node = unwrap(node);
    (stack.length ? stack[stack.length - 1].children : docs).push(node);
  };
  try {
    jsyaml.loadAll(text, undefined, { schema: SCHEMA, listener } as jsyaml.LoadOptions);
  } catch {
    return undefined;
  }
  return { input, hadBom: text.charCodeAt(0) === 0xfeff, docs };
}

const isCollection = (n: YamlNode) => n.kind === 'mapping' || n.kind === 'sequence';

/** A node that only kept the result of a child (see the header) is that child. */
function unwrap(node: YamlNode): YamlNode {
  while (isCollection(node) && node.children.length === 1 && node.children[0].kind === node.kind && node.children[0].result === node.result) {
    node = node.children[0];
  }
  return node;
}

const isSpace = (c: string) => c === ' ' || c === '\t';
const isBreak = (c: string) => c === '\n' || c === '\r';
const isWsOrEnd = (c: string | undefined) => c === undefined || c === '\0' || isSpace(c) || isBreak(c);

function isFlow(input: string, node: YamlNode): boolean {
  if (node.flowPair) return true;
  const last = input[node.end - 1];
  return isCollection(node) && (last === '}' || last === ']');
}

/** Whether a ':' follows the node, i.e. it is the key of a pair. */
function isKey(input: string, node: YamlNode, inFlow: boolean): boolean {
  let p = node.end;
  while (isSpace(input[p])) p++;
  if (input[p] === ':') return inFlow || isWsOrEnd(input[p + 1]);
  if (inFlow) return false;
  // An explicit key (`? key`) may have its ':' on a later line.
  while (isSpace(input[p]) || isBreak(input[p])) p++;
  return input[p] === ':' && isWsOrEnd(input[p + 1]);
}

/** Where the node's content starts: past whitespace, comments, line breaks and properties. */
function contentStart(input: string, node: YamlNode): number {
  let p = node.open;
  for (;;) {
    const c = input[p];
    if (isSpace(c) || isBreak(c)) p++;
    else if (c === '#') while (p < input.length && !isBreak(input[p])) p++;
    else if (c === '!' && input[p + 1] === '<') p = input.indexOf('>', p) + 1 || input.length;
    else if (c === '!') while (p < input.length && !isWsOrEnd(input[p])) p++;
    else if (c === '&') while (p < input.length && !isWsOrEnd(input[p]) && !',[]{}'.includes(input[p])) p++;
    else return p;
  }
}

/** The value of `key` in a mapping node, with the key node (where the field is). */
function entry(input: string, map: YamlNode, key: string): { key: YamlNode; value?: YamlNode } | undefined {
  const inFlow = isFlow(input, map);
  const kids = map.children;
  for (let i = 0; i < kids.length; ) {
    const k = kids[i];
    const paired = isKey(input, k, inFlow) && i + 1 < kids.length;
    const value = paired ? kids[i + 1] : undefined;
    if (String(k.result) === key) return { key: k, value };
    i += paired ? 2 : 1;
  }
  return undefined;
}

/** The items of a sequence node; a `[k: v]` item becomes a one-pair mapping. */
function items(input: string, seq: YamlNode): YamlNode[] | undefined {
  const kids = seq.children;
  const out: YamlNode[] = [];
  const length = (seq.result as unknown[]).length;
  if (!isFlow(input, seq)) return kids.length === length ? kids : withEmptyItems(input, seq);
  for (let i = 0; i < kids.length; ) {
    const k = kids[i];
    if (isKey(input, k, true) && i + 1 < kids.length) {
      const v = kids[i + 1];
      out.push({ open: k.open, end: v.end, kind: 'mapping', result: undefined, children: [k, v], flowPair: true });
      i += 2;
    } else {
      out.push(k);
      i += 1;
    }
  }
  return out.length === length ? out : undefined;
}

/**
 * The items of a block sequence with empty items (`-` alone on its line), which the loader
 * stores as null without opening a node: each `-` between two items' nodes is one, and
 * points past its dash and spaces (at a comment or the line break), as eemeli/yaml did.
 */
function withEmptyItems(input: string, seq: YamlNode): YamlNode[] {
  const out: YamlNode[] = [];
  const emptyItems = (from: number, to: number, next?: YamlNode) => {
    const dashes: number[] = [];
    for (let p = from; p < to; p++) {
      if (input[p] === '#') while (p < to && !isBreak(input[p])) p++;
      else if (input[p] === '-') dashes.push(p);
    }
    // The last dash before a node is that node's own.
    if (next) dashes.pop();
    for (const d of dashes) {
      let p = d + 1;
      while (isSpace(input[p])) p++;
      out.push({ open: p, end: p, kind: null, result: null, children: [], exact: true });
    }
    if (next) out.push(next);
  };
  let from = contentStart(input, seq);
  for (const kid of seq.children) {
    emptyItems(from, kid.open, kid);
    from = kid.end;
  }
  emptyItems(from, seq.end);
  return out;
}

/** Offsets where lines start, counting line breaks the way js-yaml does (\n, \r\n, \r). */
function lineStarts(input: string): number[] {
  const starts = [0];
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '\n' || (c === '\r' && input[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

function position(file: ParsedFile, offset: number): { line: number; column: number } {
  const starts = (file.lineStarts ??= lineStarts(file.input));
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  // js-yaml dropped the BOM, which sits on the first line of the text.
  return { line: lo + 1, column: offset - starts[lo] + 1 + (lo === 0 && file.hadBom ? 1 : 0) };
}

export function locate(files: ScenarioFile[], ref: SourceRef): { line: number; column: number } | undefined {
  const source = files.find((f) => f.name === ref.file);
  if (!source) return undefined;
  const file = parsed(source.text);
  const root = file?.docs[ref.doc];
  if (!file || !root) return undefined;
  const { input } = file;
  let node: YamlNode | undefined = root;
  let at = root;
  for (const step of ref.path) {
    if (node.kind === 'mapping') {
      const found = entry(input, node, String(step));
      if (!found) break;
      at = found.key;
      if (!found.value) break;
      node = found.value;
    } else if (node.kind === 'sequence' && typeof step === 'number') {
      const item: YamlNode | undefined = items(input, node)?.[step];
      if (!item) break;
      at = node = item;
    } else break;
  }
  return position(file, at.exact ? at.open : contentStart(input, at));
}
