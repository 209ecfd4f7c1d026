import { describe, expect, it } from 'vitest';
import { scenarioCluster } from '../kubeproxy/testSupport';
import { kubeProxyExport } from './kubeProxyRules';

describe('kube-proxy rules for the Linux lab', () => {
  // xt_nfacct's checkentry refuses a rule whose accounting object does not exist; kube-proxy
  // (proxier.go) writes the localhost NodePort rule only when it could create the counter.
  it('leaves out the nfacct-counted localhost NodePort rules, listing them, and keeps the plain ones', () => {
    const rules = kubeProxyExport(scenarioCluster('services.yaml')).rules!('worker-2');
    expect(rules.text).not.toContain('nfacct');
    expect(rules.text).toMatch(/^-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/frontend" -m tcp --dport 30080 -j KUBE-EXT-/m);
    const nfacct = rules.dropped.find((d) => d.why.includes('localhost_nps_accepted_pkts'))!;
    expect(nfacct.lines.length).toBeGreaterThan(0);
    expect(nfacct.lines.every((l) => l.startsWith('-A KUBE-NODEPORTS -d 127.0.0.0/8 ') && l.includes('-m nfacct --nfacct-name  localhost_nps_accepted_pkts'))).toBe(true);
  });
});
