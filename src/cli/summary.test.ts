import { describe, expect, it } from 'vitest';
import { referenceCluster } from '../engine/shell/fixture';
import { summarize } from './summary';

describe('summarize', () => {
  it('lists settings, nodes with IP and PodCIDR, pods per namespace', () => {
    const text = summarize(referenceCluster(), ['demo.yaml']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('demo.yaml: valid');
    expect(text).toMatch(/^CNI: +flannel$/m);
    expect(text).toMatch(/^Pod CIDR: +10\.244\.0\.0\/16 \(\/24 per node\)$/m);
    expect(text).toContain('3 nodes:');
    expect(text).toMatch(/^NAME +ROLES +INTERNAL-IP +POD-CIDR +PODS$/m);
    expect(text).toMatch(/^control-plane +control-plane +192\.168\.1\.10 +10\.244\.0\.0\/24 +0$/m);
    expect(text).toMatch(/^worker-1 +<none> +192\.168\.1\.11 +10\.244\.1\.0\/24 +2$/m);
    expect(text).toMatch(/^worker-2 +<none> +192\.168\.1\.12 +10\.244\.2\.0\/24 +2$/m);
    expect(text).toMatch(/^4 pods in \d+ namespaces:$/m);
    expect(text).toMatch(/^default +3$/m);
    expect(text).toMatch(/^tools +1$/m);
  });

  it('truncates the node table of a big cluster', () => {
    const c = referenceCluster();
    const many = Array.from({ length: 60 }, (_, i) => ({ ...c.nodes[1], meta: { ...c.nodes[1].meta, name: `n-${i}` } }));
    const text = summarize({ ...c, nodes: many }, ['big.yaml']);
    expect(text).toContain('60 nodes:');
    expect(text).toMatch(/^n-19 /m);
    expect(text).not.toMatch(/^n-20 /m);
    expect(text).toContain('… and 40 more');
  });
});
