import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE_DIR, BUNDLE_ENTRY, BUNDLE_INPUTS, SOURCE_ENTRY, chooseEntry } from './launcher.mjs';

const ROOT = '/pkg';
const bundle = join(ROOT, BUNDLE_DIR, BUNDLE_ENTRY);
const sources = join(ROOT, SOURCE_ENTRY);

/** chooseEntry over a fake file system: path → mtime, and the bundle's input list. */
function choose(mtimes: Record<string, number>, inputs: string[] | null = ['src/cli/main.ts', 'src/engine/load.ts']) {
  return chooseEntry(ROOT, (p) => mtimes[p], (p) => (p === join(ROOT, BUNDLE_DIR, BUNDLE_INPUTS) ? (inputs ?? undefined) : undefined));
}

describe('chooseEntry (which code bin/podpath.mjs runs)', () => {
  const main = join(ROOT, 'src/cli/main.ts');
  const load = join(ROOT, 'src/engine/load.ts');

  it('runs the bundle when no input is newer than it (equal times count as current)', () => {
    expect(choose({ [bundle]: 200, [main]: 100, [load]: 200 })).toEqual({ kind: 'bundle', path: bundle });
  });

  it('falls back to the TypeScript sources when there is no bundle', () => {
    expect(choose({ [main]: 100, [load]: 100 })).toEqual({ kind: 'sources', path: sources, reason: 'no bundle' });
  });

  it('falls back when a source was edited after the bundle was built', () => {
    expect(choose({ [bundle]: 200, [main]: 100, [load]: 201 })).toEqual({ kind: 'sources', path: sources, reason: 'src/engine/load.ts is newer than the bundle' });
  });

  it('falls back when an input is gone or the input list is missing or empty', () => {
    expect(choose({ [bundle]: 200, [main]: 100 })).toMatchObject({ kind: 'sources', reason: 'src/engine/load.ts is gone' });
    expect(choose({ [bundle]: 200, [main]: 100 }, null)).toMatchObject({ kind: 'sources', reason: 'the bundle lists no inputs' });
    expect(choose({ [bundle]: 200 }, [])).toMatchObject({ kind: 'sources' });
  });

  it('reads the real file system: a fresh bundle is chosen, touching a source makes it stale', () => {
    const root = mkdtempSync(join(tmpdir(), 'podpath-launch-'));
    mkdirSync(join(root, BUNDLE_DIR), { recursive: true });
    mkdirSync(join(root, 'src/cli'), { recursive: true });
    writeFileSync(join(root, SOURCE_ENTRY), '');
    writeFileSync(join(root, BUNDLE_DIR, BUNDLE_ENTRY), '');
    writeFileSync(join(root, BUNDLE_DIR, BUNDLE_INPUTS), JSON.stringify([SOURCE_ENTRY]));
    utimesSync(join(root, SOURCE_ENTRY), 1000, 1000);
    utimesSync(join(root, BUNDLE_DIR, BUNDLE_ENTRY), 2000, 2000);
    expect(chooseEntry(root).kind).toBe('bundle');
    utimesSync(join(root, SOURCE_ENTRY), 3000, 3000);
    expect(chooseEntry(root)).toMatchObject({ kind: 'sources', path: join(root, SOURCE_ENTRY) });
    writeFileSync(join(root, BUNDLE_DIR, BUNDLE_INPUTS), '{not json');
    utimesSync(join(root, SOURCE_ENTRY), 1000, 1000);
    expect(chooseEntry(root)).toMatchObject({ kind: 'sources', reason: 'the bundle lists no inputs' });
  });
});
