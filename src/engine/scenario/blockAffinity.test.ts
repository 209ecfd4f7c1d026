/**
 * Calico's block affinities in a scenario: BlockAffinity objects (crd.projectcalico.org/v1) give
 * nodes their blocks back at load (the serializer writes them), refused as Calico's IPAM would.
 */
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../load';
describe('Calico block affinities (BlockAffinity, crd.projectcalico.org/v1)', () => {
  const cluster = 'apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec:\n  cni: calico\n  podCIDR: 10.244.0.0/16\n  nodes: [{name: a}, {name: b}]\n';
  const affinity = (node: string, cidr: string) => `---\napiVersion: crd.projectcalico.org/v1\nkind: BlockAffinity\nmetadata: {name: ${node}-${cidr.replace(/[./]/g, '-')}}\nspec: {cidr: "${cidr}", deleted: "false", node: ${node}, state: confirmed}\n`;
  const loadText = (text: string) => loadCluster([{ name: 'c.yaml', text }]);

  it('gives a node its recorded blocks, empty ones included, and the first pod an address from them', () => {
    const r = loadText(cluster + affinity('a', '10.244.7.0/26') + affinity('a', '10.244.9.64/26'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const a = r.value.nodes.find((n) => n.meta.name === 'a')!;
    expect(a.blocks.map(String).slice(0, 2)).toEqual(['10.244.7.0/26', '10.244.9.64/26']);
    expect([...r.value.objects.keys()].some((k) => k.startsWith('BlockAffinity'))).toBe(false);
  });

  it('refuses a CIDR that is not a block of the pool and a block affine to two nodes', () => {
    const bad = loadText(cluster + affinity('a', '10.244.7.0/24'));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]).toMatchObject({ field: 'spec.cidr', message: 'Invalid value: "10.244.7.0/24": not a block of the IP pool 10.244.0.0/16' });
    const twice = loadText(cluster + affinity('a', '10.244.7.0/26') + affinity('b', '10.244.7.0/26'));
    expect(twice.ok).toBe(false);
    if (!twice.ok) expect(twice.errors[0].message).toBe('Invalid value: "10.244.7.0/26": block is affine to node a');
  });
});
