/**
 * Test helper (node environment, no DOM): an app store over the real engine, as src/main.tsx
 * builds it with every chunk attached, on the demo scenario or a given text.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCluster, trace } from '../../engine';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { traceName } from '../nameTrace';
import { createAppStore, type AppStore } from '../store';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export const demoText = readFileSync(join(root, 'src/scenarios/demo.yaml'), 'utf8');

export function makeStoreNode(text: string = demoText): AppStore {
  return createAppStore({ loadCluster: (files) => loadCluster(files), trace, traceName, serialize: scenarioYaml }, text);
}
