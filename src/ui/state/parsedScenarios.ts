/**
 * The app's scenario loader, with the YAML parse cached by text.
 *
 * Neither the engine's YAML parser (js-yaml) nor its loader is part of the first paint: the demo
 * comes with its cluster built at build time (vite.config.ts; `rememberBuiltIn`), a big scenario
 * is loaded in the engine worker (offThread.ts; `rememberLoaded`), and autosave keeps the
 * documents of the saved text, which the loader for parsed documents (loadParsed.ts, a chunk
 * the page fetches before it restores such a save; `attachLoader`) draws from. The parser and the
 * full loader (which also puts line numbers on errors) arrive with the editing chunk
 * (editingChunk.ts calls attachParser); from then on every text can be loaded, and each parse is
 * remembered for autosave.
 */
import type { Cluster } from '../../engine/model/cluster';
import { fail, type Result } from '../../engine/model/source';
import type { ScenarioFile } from '../../engine/scenario/types';

export interface Parser {
  /** The engine's YAML parser (scenario/parseYaml.ts): the documents, or the text's error. */
  parseYamlFile(file: ScenarioFile): Result<unknown[]>;
  /** The engine's loader (load.ts): uses `docs` when a file has them, positions every error. */
  loadCluster(files: ScenarioFile[]): Result<Cluster>;
}

/** A text and its documents, as the build embeds the demo and autosave keeps the saved text. */
export interface ParsedText {
  text: string;
  docs: unknown[];
}

/** Parses remembered: the texts the page starts from, and the last few loaded. */
const KEEP = 4;
const known = new Map<string, unknown[]>();
let parser: Parser | undefined;
/** The engine's loader for files that carry their documents (loadParsed.ts loadParsedCluster). */
export type DocsLoader = (files: ScenarioFile[]) => Result<Cluster>;
let docsLoader: DocsLoader | undefined;

export function attachParser(p: Parser): void {
  parser = p;
}

export function attachLoader(load: DocsLoader): void {
  docsLoader = load;
}

/** Clusters built before the page ran (the demo's, at build time), by text: every load of that text gives that cluster. */
const builtIn = new Map<string, Cluster>();

export function rememberBuiltIn(text: string, cluster: Cluster): void {
  builtIn.set(text, cluster);
}

export function rememberParsed({ text, docs }: ParsedText): void {
  known.delete(text);
  known.set(text, docs);
  while (known.size > KEEP) known.delete(known.keys().next().value!);
}

/** The documents of a text: remembered, else parsed once the parser is here; undefined for a text that does not parse (or before the parser came). */
export function docsOf(text: string, name = 'scenario.yaml'): unknown[] | undefined {
  const hit = known.get(text);
  if (hit || !parser) return hit;
  const parsed = parser.parseYamlFile({ name, text });
  if (!parsed.ok) return undefined;
  rememberParsed({ text, docs: parsed.value });
  return parsed.value;
}

/**
 * Documents that survive JSON unchanged (finite numbers, strings, booleans, null, arrays, plain
 * objects, no shared or cyclic parts), so autosave may store them; otherwise undefined and the
 * text alone is saved. Aliased YAML gives shared parts: JSON would copy them, so those are not kept.
 */
export function jsonSafeDocs(docs: unknown[]): unknown[] | undefined {
  let safe = checked.get(docs);
  if (safe === undefined) checked.set(docs, (safe = walkJsonSafe(docs)));
  return safe ? docs : undefined;
}
// Autosave asks on every save; the answer for a documents array never changes.
const checked = new WeakMap<unknown[], boolean>();

function walkJsonSafe(docs: unknown[]): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = docs.slice();
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || Object.is(v, -0)) return false;
      continue;
    }
    if (typeof v !== 'object' || seen.has(v)) return false;
    seen.add(v);
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const k in v) stack.push((v as Record<string, unknown>)[k]);
    else return false;
  }
  return true;
}

/**
 * A load done elsewhere (the engine worker, offThread.ts), waiting for the store to ask for its
 * text: taken once by the next loadScenarioFiles of that one file (the store keeps the cluster).
 */
let loaded: { text: string; result: Result<Cluster> } | undefined;

export function rememberLoaded(text: string, result: Result<Cluster>): void {
  loaded = { text, result };
}

/** Load scenario files: a load done off the main thread for this text, else from cached documents when every file has them, else with the engine's full loader. */
export function loadScenarioFiles(files: ScenarioFile[]): Result<Cluster> {
  if (loaded && files.length === 1 && files[0].text === loaded.text) {
    const { result } = loaded;
    loaded = undefined;
    return result;
  }
  const built = files.length === 1 ? builtIn.get(files[0].text) : undefined;
  if (built) return { ok: true, value: built };
  const parsed = files.map((f) => (f.docs ? f : { ...f, docs: docsOf(f.text, f.name) }));
  // Before the parser, the loader for parsed documents; after, the full loader (it uses the documents too, and positions errors).
  if (!parser && docsLoader && parsed.every((f) => f.docs)) return docsLoader(parsed);
  if (parser) return parser.loadCluster(parsed.map((f) => (f.docs ? f : { name: f.name, text: f.text })));
  return fail([{ file: files[0]?.name ?? 'scenario.yaml', message: 'the YAML parser is still loading; try again in a moment' }]);
}

/** For tests: forget every parse and the parser. */
export function resetParsedScenarios(): void {
  known.clear();
  builtIn.clear();
  loaded = undefined;
  parser = undefined;
  docsLoader = undefined;
}
