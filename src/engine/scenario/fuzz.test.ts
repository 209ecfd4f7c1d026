/**
 * Fuzzing the loader with mutated scenarios (fast-check, fixed seed): the example scenarios and
 * the fixtures (every kind podpath reads; a kubectl dump) get type swaps, huge and fractional numbers, odd strings (HTML, ESC,
 * NUL, 10,000 characters, bidi overrides), removed fields, deep nesting, duplicated list items,
 * and text-level damage (truncation, duplicated lines → duplicated keys, stray characters).
 * Properties of every load:
 *   - no exception escapes (a refusal is a value);
 *   - every refusal names its file and a line, and a field or object when it is about one;
 *   - no error text carries a raw control character (they reach terminals and pages);
 *   - the work is bounded: what a load builds is bounded by what the file says (objects and pods
 *     counted, not time), and the whole property runs a fixed number of cases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import jsyaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster } from '../load';
import { applyManifests } from '../controllers/commands';
import type { ScenarioError } from '../model/source';

const SOURCES = ['../../scenarios/demo.yaml', '../../scenarios/services.yaml', '../../scenarios/ingress.yaml', '__fixtures__/every-kind.yaml', '__fixtures__/kubectl-dump.yaml'].map((p) => ({
  name: p.split('/').pop()!,
  text: readFileSync(join(__dirname, p), 'utf8'),
}));
const PARSED = SOURCES.map((s) => jsyaml.loadAll(s.text) as unknown[]);

type Json = unknown;
type Step = string | number;

/** Every path into the documents (containers and leaves), in a stable order. */
function paths(docs: Json[]): Step[][] {
  const out: Step[][] = [];
  const walk = (v: Json, p: Step[]) => {
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (v && typeof v === 'object') for (const k of Object.keys(v)) walk((v as Record<string, Json>)[k], [...p, k]);
  };
  docs.forEach((d, i) => walk(d, [i]));
  return out;
}

function parentOf(root: Json[], p: Step[]): { parent: Record<string | number, Json>; key: Step } | undefined {
  if (p.length < 2) return undefined;
  let cur: Json = root;
  for (const s of p.slice(0, -1)) cur = (cur as Record<string | number, Json>)[s];
  return cur && typeof cur === 'object' ? { parent: cur as Record<string | number, Json>, key: p[p.length - 1] } : undefined;
}

const ODD_STRINGS = ['<script>alert(1)</script>', '\x1b[2J\x1b]0;pwned\x07', 'a\x00b', 'x'.repeat(10000), '\u202egnp.exe', '', ' ', '-', 'a\nb', '../../etc/passwd', '😀', 'None', '0x10', '1e3', '10.0.0.0/8', '255.255.255.255', '::1'];
const HUGE = [2147483648, -1, 3.5, 1e308, -1e308, 2 ** 53, 65536, 0, 1e21, Number.MIN_VALUE];

const valueArb: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, [], {}, [null], { a: 1 }),
  fc.constantFrom(...HUGE),
  fc.constantFrom(...ODD_STRINGS),
  fc.integer({ min: -70000, max: 70000 }),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 2, max: 60 }).map((depth) => {
    let v: Json = 'deep';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
    return v;
  }),
);

/** Fields the engine reads: a mutation aims at one of them half the time. */
const READ_FIELDS = new Set([
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'replicas', 'selector', 'matchLabels', 'template', 'containers',
  'image', 'ports', 'port', 'targetPort', 'nodePort', 'containerPort', 'protocol', 'type', 'clusterIP', 'nodeName', 'hostNetwork', 'podCIDR', 'status',
  'podIP', 'addresses', 'address', 'subsets', 'ip', 'endpoints', 'items', 'cni', 'clusterDomain', 'serviceCIDR', 'nodeNetwork', 'nodes', 'rules', 'ingress',
]);

type TreeMutation = { kind: 'set'; at: number; value: Json; aim: boolean } | { kind: 'delete'; at: number } | { kind: 'dup'; at: number };
const treeMutationArb: fc.Arbitrary<TreeMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: valueArb, aim: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
);

type TextMutation = { kind: 'truncate'; at: number } | { kind: 'dupLine'; at: number } | { kind: 'insert'; at: number; text: string };
const textMutationArb: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(':', '- ', '{', ']', '&a ', '*a', '\t', '"', "'", '\n  x: 1\n', '!!binary ', '? ', '|') }),
);

function applyTree(docs: Json[], m: TreeMutation): void {
  let all = paths(docs);
  if (m.kind === 'set' && m.aim) {
    const aimed = all.filter((p) => READ_FIELDS.has(String(p[p.length - 1])));
    if (aimed.length) all = aimed;
  }
  const p = all[m.at % all.length];
  const loc = parentOf(docs, p);
  if (!loc) return;
  const { parent, key } = loc;
  // A valid but huge replica count is accepted by the API and is the pod materialization bound's
  // to handle (a test of its own); here it would only make the suite slow.
  if (m.kind === 'set') parent[key] = key === 'replicas' && typeof m.value === 'number' && m.value > 1000 && m.value < 2 ** 31 && Number.isInteger(m.value) ? 1000 : m.value;
  else if (m.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key as number]));
  else parent[key] = structuredClone(parent[key]);
}

function applyText(text: string, m: TextMutation): string {
  const at = m.at % (text.length + 1);
  if (m.kind === 'truncate') return text.slice(0, at);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  const lines = text.split('\n');
  const i = m.at % lines.length;
  lines.splice(i, 0, lines[i]);
  return lines.join('\n');
}

/** The mutated text: tree mutations on a copy of the parsed documents, dumped, then text damage. */
function mutate(source: number, tree: TreeMutation[], text: TextMutation[]): string {
  const docs = structuredClone(PARSED[source]);
  for (const m of tree) applyTree(docs, m);
  let out = tree.length ? docs.map((d) => jsyaml.dump(d, { lineWidth: -1, noRefs: true })).join('---\n') : SOURCES[source].text;
  for (const m of text) out = applyText(out, m);
  return out;
}

/** Work bound: a load builds at most this many pods per value the file holds, plus the replicas it asks for and the cluster's own. */
const PODS_PER_VALUE = 4;
const SYSTEM_PODS = 64;

function replicasAsked(v: Json): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + replicasAsked(x), 0);
  if (!v || typeof v !== 'object') return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) n += k === 'replicas' && typeof x === 'number' && x > 0 ? x : replicasAsked(x);
  return n;
}

export const outcomes = { loaded: 0, refused: 0 };

function checkLoad(text: string, name: string): void {
  const r = loadCluster([{ name, text }]);
  outcomes[r.ok ? 'loaded' : 'refused']++;
  if (r.ok) {
    const docs = jsyaml.loadAll(text) as Json[];
    expect(r.value.pods.size).toBeLessThanOrEqual(SYSTEM_PODS + PODS_PER_VALUE * paths(docs).length + replicasAsked(docs));
    return;
  }
  expect(r.errors.length).toBeGreaterThan(0);
  for (const e of r.errors) checkError(e, name);
}

function checkError(e: ScenarioError, name: string): void {
  const where = JSON.stringify(e);
  expect(e.file, where).toBe(name);
  expect(e.line, where).toBeGreaterThanOrEqual(1);
  expect(typeof e.message === 'string' && e.message.length > 0, where).toBe(true);
  // eslint-disable-next-line no-control-regex
  expect(/[\x00-\x08\x0b-\x1f\x7f]/.test(e.message), where).toBe(false);
}

describe('fuzz: mutated scenarios load or are refused in words, at a line', () => {
  it('tree mutations (type swaps, huge numbers, odd strings, removed fields, nesting, duplicates)', () => {
    fc.assert(
      fc.property(fc.nat(SOURCES.length - 1), fc.array(treeMutationArb, { minLength: 1, maxLength: 4 }), (src, tree) => {
        checkLoad(mutate(src, tree, []), SOURCES[src].name);
      }),
      { seed: 0x5eed, numRuns: 120 },
    );
  });

  it('text damage (truncation, duplicated lines and keys, stray characters)', () => {
    fc.assert(
      fc.property(fc.nat(SOURCES.length - 2), fc.array(textMutationArb, { minLength: 1, maxLength: 3 }), (src, text) => {
        checkLoad(mutate(src, [], text), SOURCES[src].name);
      }),
      { seed: 0x5eed, numRuns: 80 },
    );
  });

  it('kubectl apply -f of mutated manifests onto the demo cluster', () => {
    const base = loadCluster([SOURCES[0]]);
    if (!base.ok) throw new Error('demo does not load');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(treeMutationArb, { minLength: 1, maxLength: 3 }), fc.array(textMutationArb, { maxLength: 1 }), (src, tree, text) => {
        const name = 'apply.yaml';
        const r = applyManifests(base.value, [{ name, text: mutate(src, tree, text) }]);
        outcomes[r.ok ? 'loaded' : 'refused']++;
        if (!r.ok) for (const e of r.errors) checkError(e, name);
      }),
      { seed: 0x5eed, numRuns: 60 },
    );
  });

  it('exercises both outcomes (the mutations are not all harmless, nor all fatal)', () => {
    expect(outcomes.loaded).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(50);
  });
});
