/**
 * Which code `bin/podpath.mjs` runs. Plain JavaScript, so choosing costs no compiler.
 *
 * `npm ci` (and `npm install`) run the `prepare` script, src/cli/bundle.mjs, which bundles the
 * CLI with esbuild into BUNDLE_DIR and lists there the files the bundle was built from (esbuild's
 * metafile inputs: the TypeScript sources and the packages they import). The launcher runs the
 * bundle when it is there and not older than any of those files; otherwise (never bundled, a
 * source edited or pulled since, a source gone) it runs the TypeScript sources through tsx,
 * which compiles them at every start (~0.4–1 s) but is always current.
 *
 * The bundle lives under src/ at the depth of src/cli/ so that the paths the CLI reads relative
 * to its own module (`../scenarios/demo.yaml`) resolve the same from the bundle.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where the bundle is written, relative to the package root (git-ignored). */
export const BUNDLE_DIR = 'src/.cli-bundle';
/** The bundle's entry module. */
export const BUNDLE_ENTRY = 'podpath.mjs';
/** JSON array of the files (relative to the root) the bundle was built from. */
export const BUNDLE_INPUTS = 'inputs.json';
/** The TypeScript entry, run through tsx when the bundle cannot be used. */
export const SOURCE_ENTRY = 'src/cli/main.ts';

/** A file's modification time in ms, or undefined when it does not exist. */
export function fileMtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function readInputs(path) {
  try {
    const list = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(list) && list.every((f) => typeof f === 'string') ? list : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The entry to run from package root `root`: `{ kind: 'bundle', path }` when the bundle exists
 * and none of its inputs is newer than it (or missing), else `{ kind: 'sources', path, reason }`.
 * `mtime` and `inputsOf` are the file system by default (tests pass their own).
 */
export function chooseEntry(root, mtime = fileMtime, inputsOf = readInputs) {
  const sources = (reason) => ({ kind: 'sources', path: join(root, SOURCE_ENTRY), reason });
  const bundle = join(root, BUNDLE_DIR, BUNDLE_ENTRY);
  const built = mtime(bundle);
  if (built === undefined) return sources('no bundle');
  const inputs = inputsOf(join(root, BUNDLE_DIR, BUNDLE_INPUTS));
  if (!inputs || inputs.length === 0) return sources('the bundle lists no inputs');
  for (const input of inputs) {
    const t = mtime(join(root, input));
    if (t === undefined) return sources(`${input} is gone`);
    if (t > built) return sources(`${input} is newer than the bundle`);
  }
  return { kind: 'bundle', path: bundle };
}
