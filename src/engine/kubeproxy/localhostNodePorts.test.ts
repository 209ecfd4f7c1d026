/**
 * kube-proxy's localhost NodePort rules (pkg/proxy/iptables/proxier.go syncProxyRules, "Capture
 * nodeports"; v1.31, kubernetes PR #125015): with iptables.localhostNodePorts (the default),
 * IPv4 and the nfacct counter available, a Service with endpoints gets, in nat KUBE-NODEPORTS,
 * first `-d 127.0.0.0/8 … -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X`,
 * then the rule for every other address. Before v1.31 only the second rule exists.
 */
import { describe, expect, it } from 'vitest';
import { iptablesSave } from './index';
import { evaluateChain, indexTable, type PacketFacts } from './evaluate';
import { addRule, emptyTable, ensureChain } from './rules';
import { rulesetOf } from './ruleset';
import { scenarioCluster } from './testSupport';
import { mixedHash } from './lookup';
import type { Cluster } from '../model/cluster';

const nodePortLines = (text: string) => text.split('\n').filter((l) => l.startsWith('-A KUBE-NODEPORTS'));
const withVersion = (c: Cluster, kubernetesVersion: string): Cluster => ({ ...c, config: { ...c.config, kubernetesVersion } });

describe('localhost NodePorts (iptables mode)', () => {
  const cluster = scenarioCluster('services.yaml');

  it('writes the counted loopback rule before the plain one, as iptables-save prints it', () => {
    const lines = nodePortLines(iptablesSave(cluster, 'worker-2')).filter((l) => l.includes('"default/frontend"'));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^-A KUBE-NODEPORTS -d 127\.0\.0\.0\/8 -p tcp -m comment --comment "default\/frontend" -m tcp --dport 30080 -m nfacct --nfacct-name {2}localhost_nps_accepted_pkts -j KUBE-EXT-[A-Z0-9]{16}$/);
    expect(lines[1]).toBe(lines[0].replace('-d 127.0.0.0/8 ', '').replace(' -m nfacct --nfacct-name  localhost_nps_accepted_pkts', ''));
    // Every loopback rule is followed by its plain twin (only Services with endpoints have them).
    const all = nodePortLines(iptablesSave(cluster, 'worker-2')).filter((l) => !l.includes('health check'));
    for (const [i, l] of all.entries()) if (l.includes('nfacct')) expect(all[i + 1]).toBe(l.replace('-d 127.0.0.0/8 ', '').replace(' -m nfacct --nfacct-name  localhost_nps_accepted_pkts', ''));
  });

  it('is not written before v1.31, nor in IPVS mode', () => {
    expect(iptablesSave(withVersion(cluster, 'v1.30.4'), 'worker-2')).not.toContain('nfacct');
    expect(iptablesSave(scenarioCluster('services.yaml', { mode: 'ipvs' }), 'worker-2')).not.toContain('nfacct');
  });

  it('catches a node-local connection to 127.0.0.1:NodePort (nat OUTPUT) and sends it to KUBE-EXT', () => {
    const rs = rulesetOf(cluster, 'worker-2')!;
    const f: PacketFacts = {
      src: 0x7f000001,
      dst: 0x7f000001,
      proto: 'tcp',
      sport: 40000,
      dport: 30080,
      mark: 0,
      ctstate: 'NEW',
      isLocal: (ip) => ip >>> 24 === 127,
      isLocalOn: () => false,
      draw: (chain, index) => mixedHash(`${chain}/${index}`) / 4294967296,
      recent: () => false,
      sets: { keys: () => undefined, nets: () => undefined },
    };
    const r = evaluateChain(rs.tables.nat, 'OUTPUT', f);
    expect(r.path.slice(0, 3)).toEqual(['OUTPUT', 'KUBE-SERVICES', 'KUBE-NODEPORTS']);
    expect(r.path[3]).toMatch(/^KUBE-EXT-/);
    expect(r.terminal?.kind).toBe('DNAT');
    // The loopback rule alone (the plain ones taken out) matches 127.0.0.1 and nothing else.
    const only = emptyTable('nat');
    for (const c of rs.tables.nat.chains.values()) {
      ensureChain(only, c.name);
      for (const rule of c.rules) if (c.name !== 'KUBE-NODEPORTS' || rule.d) addRule(only, rule);
    }
    indexTable(only);
    expect(evaluateChain(only, 'OUTPUT', f).terminal?.kind).toBe('DNAT');
    const nodeIp = cluster.nodes.find((n) => n.meta.name === 'worker-2')!.ip;
    expect(evaluateChain(only, 'OUTPUT', { ...f, src: nodeIp, dst: nodeIp, isLocal: (ip) => ip === nodeIp }).terminal).toBeUndefined();
  });
});
