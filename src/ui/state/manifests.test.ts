import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands, loadCluster } from '../../engine';
import { commonLabels, parseLabels, policyManifest, serviceManifest } from './manifests';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');

describe('generated manifests', () => {
  it('a Service from the labels the selected pods share applies', () => {
    const r = loadCluster([{ name: 'd', text: demo }]);
    if (!r.ok) throw new Error('no demo');
    const webs = [...r.value.pods.values()].filter((p) => p.meta.name.startsWith('web-'));
    const selector = commonLabels(webs.map((p) => p.meta.labels));
    expect(selector).toEqual({ app: 'web' });
    const text = serviceManifest({ name: 'web2', namespace: 'default', selector, port: 8080, targetPort: 80, protocol: 'TCP', type: 'ClusterIP' });
    const applied = commands.applyManifests(r.value, [{ name: 'service.yaml', text }]);
    expect(applied.ok).toBe(true);
    if (applied.ok) expect(applied.value.cluster.objects.has('Service/default/web2')).toBe(true);
  });

  it('a default-deny and an allow policy apply', () => {
    const r = loadCluster([{ name: 'd', text: demo }]);
    if (!r.ok) throw new Error('no demo');
    const deny = policyManifest({ name: 'deny', namespace: 'default', podSelector: {}, direction: 'Ingress', peers: [], ports: [] });
    expect(deny).toContain('policyTypes:\n    - Ingress');
    expect(deny).not.toContain('ingress:');
    const allow = policyManifest({ name: 'allow', namespace: 'default', podSelector: { app: 'web' }, direction: 'Ingress', peers: [{ podLabels: { app: 'client' } }], ports: [{ protocol: 'TCP', port: 80 }] });
    const applied = commands.applyManifests(r.value, [{ name: 'p.yaml', text: `${deny}---\n${allow}` }]);
    if (!applied.ok) throw new Error(JSON.stringify(applied.errors));
    expect(applied.value.cluster.objects.has('NetworkPolicy/default/allow')).toBe(true);
  });

  it('parses label text', () => {
    expect(parseLabels('app=web, tier = backend')).toEqual({ app: 'web', tier: 'backend' });
    expect(parseLabels('')).toEqual({});
    expect(parseLabels('app')).toBeNull();
  });
});
