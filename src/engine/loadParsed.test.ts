import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importChain, importGraph, staticSpecifiers } from '../../tests/unit/importGraph';
import { loadCluster, positionErrors } from './load';
import { loadParsedCluster } from './loadParsed';
import { parseYamlFile } from './scenario/parseYaml';
import { scenarioYaml } from './scenario/serialize';
import type { ScenarioFile } from './scenario/types';

const ROOT = join(__dirname, '../..');

/** Every scenario the app ships: the examples under public/ and the built-in ones. */
function shippedScenarios(): string[] {
  const dirs = [join(ROOT, 'public/examples'), join(ROOT, 'src/scenarios'), join(__dirname, 'scenario/__fixtures__')];
  return dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(d, f)) : []));
}

/** The file with the cache the app keeps: docs from parseYamlFile, optionally through JSON (autosave). */
function withDocs(file: ScenarioFile, viaJson = false): ScenarioFile {
  const r = parseYamlFile(file);
  if (!r.ok) throw new Error(r.errors[0].message);
  return { ...file, docs: viaJson ? JSON.parse(JSON.stringify(r.value)) : r.value };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

describe('loadParsedCluster', () => {
  const paths = shippedScenarios();
  it('finds the shipped scenarios', () => {
    expect(paths.some((p) => p.endsWith('src/scenarios/demo.yaml'))).toBe(true);
    expect(paths.filter((p) => p.includes('public/')).length).toBeGreaterThan(0);
  });

  for (const path of paths) {
    it(`gives the cluster loadCluster gives for ${relative(ROOT, path)}`, () => {
      const file: ScenarioFile = { name: relative(ROOT, path), text: readFileSync(path, 'utf8') };
      const expected = loadCluster([file]);
      expect(expected.ok).toBe(true);
      if (!expected.ok) return;
      for (const cached of [withDocs(file), withDocs(file, true)]) {
        const got = loadParsedCluster([deepFreeze(cached)]);
        expect(got.ok).toBe(true);
        if (!got.ok) return;
        expect(got.value).toEqual(expected.value);
        expect(scenarioYaml(got.value)).toBe(scenarioYaml(expected.value));
      }
    });
  }

  it('honours the seed option as loadCluster does', () => {
    const file: ScenarioFile = { name: 'demo.yaml', text: readFileSync(join(ROOT, 'src/scenarios/demo.yaml'), 'utf8') };
    const got = loadParsedCluster([withDocs(file)], { seed: 7 });
    const expected = loadCluster([file], { seed: 7 });
    expect(got.ok && expected.ok && scenarioYaml(got.value) === scenarioYaml(expected.value)).toBe(true);
  });

  it('returns errors with their source, which positionErrors turns into what loadCluster reports', () => {
    const text = `apiVersion: v1
kind: Namespace
metadata:
  name: Shop
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: nowhere}
spec:
  containers: [{name: c, image: nginx}]
`;
    const file: ScenarioFile = { name: 'bad.yaml', text };
    const got = loadParsedCluster([withDocs(file)]);
    const expected = loadCluster([file]);
    expect(got.ok || expected.ok).toBe(false);
    if (got.ok || expected.ok) return;
    expect(got.errors.length).toBeGreaterThan(0);
    for (const e of got.errors) expect(e.line === undefined && e.source !== undefined).toBe(true);
    expect(positionErrors([file], got.errors)).toEqual(expected.errors);
    expect(expected.errors[0]).toMatchObject({ line: 4, column: 3, field: 'metadata.name' });
  });

  it('positions errors the cluster build finds (a recorded podIP twice)', () => {
    const pod = (name: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: worker-1
  containers: [{name: c, image: nginx}]
status: {podIP: 10.244.1.9}
`;
    const file: ScenarioFile = { name: 'dup.yaml', text: pod('a') + pod('b') };
    const got = loadParsedCluster([withDocs(file)]);
    const expected = loadCluster([file]);
    expect(got.ok || expected.ok).toBe(false);
    if (got.ok || expected.ok) return;
    expect(got.errors).toMatchObject([{ object: 'Pod/default/b', field: 'status.podIP', source: { file: 'dup.yaml', doc: 1 } }]);
    expect(got.errors[0].line).toBeUndefined();
    expect(positionErrors([file], got.errors)).toEqual(expected.errors);
    expect(expected.errors.every((e) => e.line !== undefined && e.source === undefined)).toBe(true);
  });

  it('refuses a file without docs loudly (a caller bug, not a scenario error)', () => {
    expect(() => loadParsedCluster([{ name: 'x.yaml', text: 'kind: Pod' }])).toThrow(/x\.yaml: no parsed documents/);
  });
});

describe('parseYamlFile', () => {
  it('reports malformed YAML as kubectl does, at its line and column', () => {
    const r = parseYamlFile({ name: 'm.yaml', text: 'a: 1\nb: [1, 2\n' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ file: 'm.yaml', line: 3, message: expect.stringMatching(/^error converting YAML to JSON: yaml: line 3: /) });
  });
});

/**
 * The property the app's first chunk relies on: nothing loadParsed.ts statically imports
 * (following relative imports, not `import type`) imports js-yaml.
 */
describe('loadParsed import graph', () => {
  const graph = importGraph;
  const importsJsYaml = (file: string) => staticSpecifiers(file).includes('js-yaml');
  const chain = (g: Map<string, string | undefined>, file: string) => importChain(g, file, __dirname);

  it('holds the load and build modules (the walk sees the graph)', () => {
    const g = graph(join(__dirname, 'loadParsed.ts'));
    expect(g.has(join(__dirname, 'scenario/loadScenario.ts'))).toBe(true);
    expect(g.has(join(__dirname, 'scenario/parseFiles.ts'))).toBe(true);
    expect(g.has(join(__dirname, 'model/build.ts'))).toBe(true);
  });

  it('reaches no module that imports js-yaml', () => {
    const g = graph(join(__dirname, 'loadParsed.ts'));
    expect([...g.keys()].filter(importsJsYaml).map((f) => chain(g, f))).toEqual([]);
  });

  it('would see js-yaml from load.ts (the check is not vacuous)', () => {
    const g = graph(join(__dirname, 'load.ts'));
    expect([...g.keys()].filter(importsJsYaml).length).toBeGreaterThan(0);
  });
});
