import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering rule for the forwarder (STYLE.md §1: lower folders never import higher ones):
 * no module in dataplane/ imports from kubeproxy/, policy/ or external/ — not even a type.
 * The providers that run at the netfilter seam and the policy wrapped around Cilium's programs
 * are composed above, in trace/datapath.ts.
 */
const ENGINE = join(__dirname, '..');
const HIGHER = ['kubeproxy', 'policy', 'external'];
// Every import/export ... from '...' and dynamic import('...'), `import type` included.
const SPEC = /(?:^\s*(?:import|export)\s[^'";]*?\sfrom\s+|^\s*import\s+|\bimport\()['"]([^'"]+)['"]/gm;

/** Engine folders a module imports from, e.g. `dataplane/forward.ts → kubeproxy/provider`. */
function importsOf(file: string): { spec: string; folder: string }[] {
  return [...readFileSync(file, 'utf8').matchAll(SPEC)]
    .map(([, spec]) => spec)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => ({ spec, folder: relative(ENGINE, resolve(dirname(file), spec)).split(/[\\/]/)[0] }));
}

const higherImports = (file: string) => importsOf(file).filter((i) => HIGHER.includes(i.folder)).map((i) => `${relative(ENGINE, file)} → ${i.spec}`);

describe('dataplane/ layering', () => {
  const dir = join(ENGINE, 'dataplane');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));

  it('sees the dataplane modules and their imports', () => {
    expect(files.map((f) => relative(dir, f))).toEqual(expect.arrayContaining(['forward.ts', 'netfilter.ts', 'bpfPrograms.ts']));
    expect(importsOf(join(dir, 'forward.ts')).map((i) => i.folder)).toEqual(expect.arrayContaining(['dataplane', 'model', 'addressing']));
  });

  it('imports nothing from kubeproxy/, policy/ or external/', () => {
    expect(files.flatMap(higherImports)).toEqual([]);
  });

  it('would see such an import (trace/datapath.ts, where the providers are composed, has them)', () => {
    const found = higherImports(join(ENGINE, 'trace/datapath.ts'));
    expect(found.map((f) => f.split(' → ')[1].split('/')[1])).toEqual(expect.arrayContaining(HIGHER));
  });
});
