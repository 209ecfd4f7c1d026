import { describe, expect, it } from 'vitest';
import { notEnforcedBecause } from '../../engine/policy/unenforced';
import { netpolCluster } from '../../engine/policy/testkit';
import { policyWarnings } from './policyLint';

const TEXT = `apiVersion: v1
kind: Pod
metadata: {name: a}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {}
  # kind: NetworkPolicy in a comment is not a document
---
kind: "NetworkPolicy"
apiVersion: networking.k8s.io/v1
`;

describe('policyWarnings', () => {
  it('warns at each NetworkPolicy document when the CNI does not enforce policies, never when it does', () => {
    const because = notEnforcedBecause(netpolCluster('flannel'));
    expect(because).toBe('flannel does not enforce NetworkPolicy');
    const w = policyWarnings(TEXT, because);
    expect(w.map((x) => x.line)).toEqual([6, 12]);
    expect(w[0].message).toContain('NetworkPolicy accepted but not enforced: flannel does not enforce NetworkPolicy');
    expect(notEnforcedBecause(netpolCluster('calico'))).toBeUndefined();
    expect(policyWarnings(TEXT, undefined)).toEqual([]);
  });
});
