import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CNI_MODES, type Cluster } from '../../engine/model/cluster';
import { loadCluster } from '../../engine/load';
import { decodeCluster, encodeCluster, reviveCluster } from './clusterCopy';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
const examples = (JSON.parse(readFileSync(new URL('../../../public/examples/index.json', import.meta.url), 'utf8')) as { file: string }[]).map((e) => e.file);

function loaded(text: string): Cluster {
  const r = loadCluster([{ name: 'scenario.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

const clusters: [string, () => Cluster][] = [
  ...CNI_MODES.map((cni): [string, () => Cluster] => [`the demo under ${cni}`, () => loaded(demo.replace('cni: flannel', `cni: ${cni}`).replace('kubeProxy: iptables', `kubeProxy: ${cni === 'gke-dataplane-v2' ? 'none' : 'iptables'}`))]),
  ...examples.map((file): [string, () => Cluster] => [`the example ${file}`, () => loaded(readFileSync(new URL(`../../../public/examples/${file}`, import.meta.url), 'utf8'))]),
];

// toStrictEqual compares classes and missing-versus-undefined keys: a class instance a copy turned
// into a plain object, or a field JSON dropped, fails here.
describe('copies of a Cluster', () => {
  it.each(clusters)('a structured clone of %s gets its classes back', (_name, make) => {
    const c = make();
    expect(reviveCluster(structuredClone(c))).toStrictEqual(c);
  });

  it.each(clusters)('%s read back from JSON (the built-in demo) is the same cluster', (_name, make) => {
    const c = make();
    expect(decodeCluster(JSON.parse(JSON.stringify(encodeCluster(c))))).toStrictEqual(c);
  });
});
