import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCluster } from '../../engine/load';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { parseYamlFile } from '../../engine/scenario/parseYaml';
import { loadParsedCluster } from '../../engine/loadParsed';
import { attachLoader, attachParser, docsOf, jsonSafeDocs, loadScenarioFiles, rememberBuiltIn, rememberParsed, resetParsedScenarios } from './parsedScenarios';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
const demoDocs = () => {
  const r = parseYamlFile({ name: 'demo.yaml', text: demo });
  if (!r.ok) throw new Error('the demo does not parse');
  return r.value;
};
const parser = { parseYamlFile, loadCluster };

afterEach(() => resetParsedScenarios());

describe('the app loader before the YAML parser has loaded', () => {
  it('gives the built-in cluster for its text, every time', () => {
    const full = loadCluster([{ name: 'scenario.yaml', text: demo }]);
    if (!full.ok) throw new Error('the demo does not load');
    rememberBuiltIn(demo, full.value);
    const a = loadScenarioFiles([{ name: 'scenario.yaml', text: demo }]);
    const b = loadScenarioFiles([{ name: 'scenario.yaml', text: demo }]);
    expect(a.ok && b.ok && a.value === full.value && b.value === full.value).toBe(true);
  });

  it('draws a text whose documents it was given, once the loader of documents is here, the same cluster the full loader makes', () => {
    rememberParsed({ text: demo, docs: JSON.parse(JSON.stringify(demoDocs())) });
    expect(loadScenarioFiles([{ name: 'scenario.yaml', text: demo }]).ok).toBe(false);
    attachLoader(loadParsedCluster);
    const r = loadScenarioFiles([{ name: 'scenario.yaml', text: demo }]);
    const full = loadCluster([{ name: 'scenario.yaml', text: demo }]);
    expect(r.ok && full.ok && scenarioYaml(r.value) === scenarioYaml(full.value)).toBe(true);
  });

  it('says a text it has not seen must wait for the parser, and changes nothing', () => {
    const r = loadScenarioFiles([{ name: 'scenario.yaml', text: 'kind: Pod\n' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toMatch(/YAML parser is still loading/);
  });
});

describe('the app loader with the parser', () => {
  it('parses new texts once and remembers them for autosave', () => {
    attachParser(parser);
    const text = `${demo}\n# edited\n`;
    expect(loadScenarioFiles([{ name: 'scenario.yaml', text }]).ok).toBe(true);
    const docs = docsOf(text);
    expect(docs).toBeDefined();
    expect(docsOf(text)).toBe(docs);
  });

  it('puts line numbers on errors, as the engine loader does', () => {
    attachParser(parser);
    const bad = demo.replace('replicas: 3', 'replicas: three');
    expect(bad).not.toBe(demo);
    const r = loadScenarioFiles([{ name: 'scenario.yaml', text: bad }]);
    const full = loadCluster([{ name: 'scenario.yaml', text: bad }]);
    expect(r).toEqual(full);
    expect(!r.ok && r.errors[0].line).toBeGreaterThan(0);
  });

  it('reports malformed YAML at its line', () => {
    attachParser(parser);
    const r = loadScenarioFiles([{ name: 'scenario.yaml', text: 'kind: Pod\nmetadata: [\n' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0].message).toMatch(/^error converting YAML to JSON: yaml: line \d+:/);
    expect(docsOf('kind: Pod\nmetadata: [\n')).toBeUndefined();
  });

  it('remembers only the last few parses', () => {
    attachParser(parser);
    const texts = Array.from({ length: 6 }, (_, i) => `kind: ConfigMap\nmetadata: {name: c${i}}\n`);
    const first = texts.map((t) => docsOf(t));
    expect(docsOf(texts[5])).toBe(first[5]);
    expect(docsOf(texts[0])).not.toBe(first[0]); // forgotten, parsed again
    expect(docsOf(texts[0])).toEqual(first[0]);
  });
});

describe('jsonSafeDocs: what autosave may store', () => {
  it('keeps plain documents', () => {
    const docs = demoDocs();
    expect(jsonSafeDocs(docs)).toBe(docs);
    expect(JSON.parse(JSON.stringify(docs))).toEqual(docs);
  });

  it.each([
    ['an alias (a shared part JSON would copy)', 'a: &x {k: 1}\nb: *x\n'],
    ['.inf', 'a: .inf\n'],
    ['.nan', 'a: .nan\n'],
    ['-0.0', 'a: -0.0\n'],
  ])('refuses documents with %s', (_what, text) => {
    const r = parseYamlFile({ name: 'x.yaml', text });
    expect(r.ok).toBe(true);
    if (r.ok) expect(jsonSafeDocs(r.value)).toBeUndefined();
  });
});
