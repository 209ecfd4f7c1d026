/**
 * The lab script's text, golden per exportable mode on a small hand-made cluster (two nodes, three
 * pods, no kube-proxy, so the goldens change only when the export or the CNI's Linux state does).
 * Regenerate after an intended change with `npx vitest run src/engine/export -u`.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { handCluster, ip4 } from '../cni/handCluster';
import type { Cluster, CniMode } from '../model/cluster';
import { EXPORTABLE_MODES, exportLinux } from './index';

function small(mode: CniMode): Cluster {
  // One podCIDR per node (flannel, AKS overlay's per-node range, GKE's alias IP range); Calico's blocks otherwise.
  const flannel = mode.startsWith('flannel') || mode === 'azure-cni-overlay' || mode === 'gke';
  if (mode === 'azure-cni') {
    // Pods on the node subnet: each NIC holds its pods' addresses right after its own.
    const secondary = (from: number) => ({ extra: { secondaryIps: [0, 1, 2].map((i) => ip4(`192.168.1.${from + i}`)) } });
    return handCluster(
      mode,
      [
        { name: 'node-a', ip: '192.168.1.4', ...secondary(5) },
        { name: 'node-b', ip: '192.168.1.8', ...secondary(9) },
      ],
      [
        { name: 'client', node: 'node-a', ip: '192.168.1.5', hostIfindex: 4 },
        { name: 'web-1', node: 'node-a', ip: '192.168.1.6', hostIfindex: 6 },
        { name: 'web-2', node: 'node-b', ip: '192.168.1.9', hostIfindex: 4 },
      ],
      { name: 'small', kubeProxy: 'none' },
    );
  }
  return handCluster(
    mode,
    [
      { name: 'node-a', ip: '192.168.1.10', ...(flannel ? { podCIDR: '10.244.0.0/24' } : { blocks: ['10.244.10.0/26'] }) },
      { name: 'node-b', ip: '192.168.1.11', ...(flannel ? { podCIDR: '10.244.1.0/24' } : { blocks: ['10.244.20.64/26'] }) },
    ],
    [
      { name: 'client', node: 'node-a', hostIfindex: 5 },
      { name: 'web-1', node: 'node-a', hostIfindex: 6 },
      { name: 'web-2', node: 'node-b', hostIfindex: 5 },
    ],
    { name: 'small', kubeProxy: 'none' },
  );
}

describe('exportLinux', () => {
  for (const mode of EXPORTABLE_MODES) {
    it(`writes the ${mode} lab script`, async () => {
      const r = exportLinux(small(mode));
      if (!r.ok) throw new Error(r.errors[0].message);
      await expect(r.value).toMatchFileSnapshot(`./__golden__/lab-${mode}.sh`);
      // bash parses it (no unbalanced quotes or heredocs).
      const syntax = spawnSync('bash', ['-n'], { input: r.value, encoding: 'utf8' });
      expect(syntax.stderr).toBe('');
      expect(syntax.status).toBe(0);
    });
  }

  it('is deterministic', () => {
    const a = exportLinux(small('calico'));
    const b = exportLinux(small('calico'));
    expect(a).toEqual(b);
  });

  it('builds only inside its own namespaces', () => {
    const r = exportLinux(small('flannel'));
    if (!r.ok) throw new Error('export failed');
    const body = r.value.slice(r.value.indexOf('\nup() {'), r.value.indexOf('\n}\n', r.value.indexOf('\nup() {')));
    expect(body.length).toBeGreaterThan(1000);
    for (const line of body.split('\n')) {
      // Every ip/bridge command of up() names a lab namespace.
      const m = /^\s*(ip|bridge) (?!netns)(\S+)/.exec(line);
      if (m && !/^(ip|bridge) -n "\$PREFIX-/.test(line.trim())) throw new Error(`command outside the lab's namespaces: ${line}`);
    }
    expect(r.value).toMatch(/^PREFIX="\$\{PODPATH_PREFIX:-pp-small\}"$/m);
  });

  it('keeps kernel-made state out and programmed state in', () => {
    const r = exportLinux(small('flannel'));
    if (!r.ok) throw new Error('export failed');
    const s = r.value;
    expect(s).toContain('type vxlan id 1 dstport 8472 local 192.168.1.10 dev eth0 nolearning');
    expect(s).toContain('route replace 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink');
    expect(s).toMatch(/bridge -n "\$PREFIX-node-a" fdb replace \S+ dev flannel.1 dst 192.168.1.11 self permanent/);
    // The connected route comes with the address: only a comment.
    expect(s).toContain('#   10.244.0.0/24 dev cni0 proto kernel scope link src 10.244.0.1');
    expect(s).not.toMatch(/route replace 10.244.0.0\/24 dev cni0/);
  });

  it('writes BIRD routes with the protocol probed at run time, proxy_arp on cali devices', () => {
    const r = exportLinux(small('calico'));
    if (!r.ok) throw new Error('export failed');
    expect(r.value).toContain('route replace blackhole 10.244.10.0/26 proto "$PROTO_BIRD"');
    expect(r.value).toContain('route replace 10.244.20.64/26 via 192.168.1.11 dev eth0 proto "$PROTO_BIRD"');
    expect(r.value).toMatch(/sysctl_w "\$PREFIX-node-a" net\/ipv4\/conf\/cali[0-9a-f]{11}\/proxy_arp 1/);
    expect(r.value).toContain('route replace default via 169.254.1.1 dev eth0');
  });

  it('refuses modes Linux cannot build from iproute2, saying why', () => {
    for (const [mode, why] of [
      ['cilium', /eBPF programs/],
      ['cilium-native', /eBPF programs/],
      ['weave', /Open vSwitch/],
      ['aws-vpc', /VPC fabric/],
    ] as const) {
      const c = handCluster(mode, [{ name: 'n', ip: '192.168.1.10', podCIDR: '10.0.1.0/24' }], []);
      const r = exportLinux(c);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors[0].message).toMatch(why);
    }
    const wg = exportLinux(handCluster('calico', [{ name: 'n', ip: '192.168.1.10', blocks: ['10.244.0.0/26'] }], [], { wireguard: true }));
    expect(wg.ok).toBe(false);
    if (!wg.ok) expect(wg.errors[0].message).toMatch(/WireGuard/);
  });
});
