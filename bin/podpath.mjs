#!/usr/bin/env node
// Launcher for `npx podpath`: runs the bundle `npm ci` builds (src/cli/bundle.mjs) when it is
// current, else the TypeScript sources through tsx (src/cli/launcher.mjs decides), so no build
// step is ever needed.
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chooseEntry } from '../src/cli/launcher.mjs';

const entry = chooseEntry(fileURLToPath(new URL('..', import.meta.url)));
if (entry.kind === 'sources') {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(pathToFileURL(entry.path).href);
