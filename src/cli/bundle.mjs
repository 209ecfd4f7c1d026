/**
 * `npm run build:cli`, and the `prepare` script `npm ci` runs: bundles the CLI (src/cli/main.ts
 * and everything it imports, packages included) into BUNDLE_DIR with esbuild (tsx's compiler,
 * already installed), so `podpath` starts in ~0.1 s instead of compiling TypeScript at every
 * start. Commands load the engine lazily (runCli.ts), so the bundle is split at those dynamic
 * imports and `--help` loads none of it. Writes inputs.json, the files the bundle came from,
 * for launcher.mjs's freshness check. Built into a temporary directory and moved into place,
 * so an interrupted build never leaves a half bundle.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_DIR, BUNDLE_ENTRY, BUNDLE_INPUTS, SOURCE_ENTRY } from './launcher.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = join(root, BUNDLE_DIR);
const tmp = `${out}.tmp`;
rmSync(tmp, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { [BUNDLE_ENTRY.replace(/\.mjs$/, '')]: SOURCE_ENTRY },
  outdir: tmp,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs).map((f) => relative(root, join(root, f)).split('\\').join('/')).sort();
writeFileSync(join(tmp, BUNDLE_INPUTS), `${JSON.stringify(inputs, null, 1)}\n`);
rmSync(out, { recursive: true, force: true });
renameSync(tmp, out);
console.log(`podpath: CLI bundled into ${BUNDLE_DIR}/ (${inputs.length} inputs)`);
