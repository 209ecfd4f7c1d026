/**
 * `ip neigh` shows what ARP learned from the session's traffic: a Calico pod's gateway
 * 169.254.1.1 with the host veth's ee:ee:ee:ee:ee:ee once the pod has sent a packet (proxy ARP),
 * REACHABLE, then STALE after base_reachable_time; nothing before any traffic.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../engineShell';
import { loadCluster } from '../load';

function shell(cni: string) {
  const text = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8').replace(/cni: flannel/, `cni: ${cni}`);
  const loaded = loadCluster([{ name: 'demo.yaml', text }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return engineShell(loaded.value);
}

describe('ip neigh learns from traffic', () => {
  it('a Calico pod: empty before traffic, then its gateway by proxy ARP; the trace still shows the ARP', () => {
    const sh = shell('calico');
    expect(sh.run('kubectl exec client -- ip neigh')).toMatchObject({ stdout: '', status: 0 });
    const r = sh.run('kubectl exec client -- wget -qO- http://web');
    expect(r.status).toBe(0);
    expect(sh.run('kubectl exec client -- ip neigh').stdout).toBe('169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee REACHABLE\n');
    expect(sh.run('kubectl exec client -- ip neigh show dev eth0').stdout).toBe('169.254.1.1 lladdr ee:ee:ee:ee:ee:ee REACHABLE\n');
    const again = sh.run('kubectl exec client -- wget -qO- http://web');
    expect(again.traces?.[0]?.hops.some((h) => h.action === 'arp' && /proxy_arp/.test(h.detail))).toBe(true);
    // After base_reachable_time without confirmation the entry is STALE.
    sh.setCluster({ ...sh.cluster, now: sh.cluster.now + 60 });
    expect(sh.run('kubectl exec client -- ip neigh').stdout).toBe('169.254.1.1 dev eth0 lladdr ee:ee:ee:ee:ee:ee STALE\n');
  });

  it('a flannel pod learns its cni0 gateway the same way', () => {
    const sh = shell('flannel');
    sh.run('kubectl exec client -- wget -qO- http://web');
    expect(sh.run('kubectl exec client -- ip neigh').stdout).toMatch(/^10\.244\.\d+\.1 dev eth0 lladdr [0-9a-f:]{17} REACHABLE\n$/);
  });
});
