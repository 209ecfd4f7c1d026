import { describe, expect, it } from 'vitest';
import { denyIngressYaml, netpolCluster } from '../../engine/policy/testkit';
import { loadPolicyEngine, policyMarkOf, policyMarkText } from './policyMarks';

const DENY = denyIngressYaml('x', 'deny-c', 'c');

describe('policy marks on the canvas', () => {
  it('mark the pods a policy selects, and say when the CNI does not enforce it', async () => {
    await loadPolicyEngine();
    const flannel = netpolCluster('flannel', DENY);
    const mark = policyMarkOf(flannel, 'x/c')!;
    expect(mark).toMatchObject({ policies: ['x/deny-c'], directions: ['Ingress'], enforced: false, enforcer: 'none' });
    expect(policyMarkOf(flannel, 'x/a')).toBeUndefined();
    expect(policyMarkOf(flannel, 'x/c')).toBe(mark); // kept per cluster: a stable selector value
    expect(policyMarkText(mark, 'flannel')).toEqual({
      short: '⚠ not enforced by flannel',
      long: 'NetworkPolicy deny-c selects this pod (ingress), but flannel does not enforce NetworkPolicy: all traffic flows',
    });
    const calico = policyMarkOf(netpolCluster('calico', DENY), 'x/c')!;
    expect(calico.enforced).toBe(true);
    expect(policyMarkText(calico, 'calico').short).toBe('policy: deny-c');
    expect(policyMarkOf(netpolCluster('flannel'), 'x/c')).toBeUndefined();
  });

  it('under the VPC CNI or GKE without enforcement the mark says why in the engine\'s words, as the trace summary does', async () => {
    await loadPolicyEngine();
    for (const cni of ['aws-vpc', 'gke'] as const) {
      const mark = policyMarkOf(netpolCluster(cni, DENY), 'x/c')!;
      expect(mark.enforced, cni).toBe(false);
      expect(policyMarkText(mark, cni).short).toBe(`⚠ not enforced by ${cni}`);
      expect(policyMarkText(mark, cni).long).toBe(`NetworkPolicy deny-c selects this pod (ingress), but ${mark.because}: all traffic flows`);
    }
    expect(policyMarkText(policyMarkOf(netpolCluster('gke', DENY), 'x/c')!, 'gke').long).toContain('GKE network policy enforcement is disabled');
  });
});
