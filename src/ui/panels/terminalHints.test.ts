import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engine/engineShell';
import { denyIngressYaml, netpolCluster } from '../../engine/policy/testkit';
import { unenforcedPolicyHint, workstationHint } from './terminalHints';

describe('workstationHint', () => {
  it('says where a network tool runs when the workstation shell does not have it', () => {
    expect(workstationHint(true, 'sh: ping: not found\n', 'client', 'worker-1')).toBe(
      'podpath: ping is not on your workstation; it runs in a pod (kubectl exec -it client -- sh) or on a node (ssh worker-1). Type help for more.',
    );
    expect(workstationHint(true, 'curl: (6) Could not resolve host: web\n', 'client', 'worker-1')).toContain('web is a name inside the cluster');
  });
  it('adds nothing inside a pod or node, nor for other errors', () => {
    expect(workstationHint(false, 'sh: ping: not found\n', 'client', 'worker-1')).toBeUndefined();
    expect(workstationHint(true, 'sh: foo: not found\n', 'client', 'worker-1')).toBeUndefined();
    expect(workstationHint(true, 'Error from server (NotFound): pods "x" not found\n', 'client', 'worker-1')).toBeUndefined();
  });
});

describe('unenforcedPolicyHint', () => {
  it('a policy created in the terminal under flannel: says it is stored but not enforced; under calico, nothing', () => {
    for (const cni of ['flannel', 'calico'] as const) {
      const shell = engineShell(netpolCluster(cni));
      const before = shell.cluster;
      // Typed line by line, as in the terminal: a here-document into kubectl apply.
      let r = shell.run('cat <<EOF | kubectl apply -f -');
      for (const line of `${denyIngressYaml('x', 'deny-c', 'c')}\nEOF`.split('\n')) r = shell.run(line);
      expect(r.stdout).toBe('networkpolicy.networking.k8s.io/deny-c created\n');
      const hint = unenforcedPolicyHint(before, shell.cluster);
      if (cni === 'flannel') expect(hint).toBe('podpath: NetworkPolicy deny-c is stored, but flannel does not enforce NetworkPolicy: all traffic still flows. Set the CNI to calico, cilium or weave (Edit tab) to enforce it.');
      else expect(hint).toBeUndefined();
      // Another command that changes the cluster but no policy: nothing.
      const mid = shell.cluster;
      shell.run('kubectl run extra --image=busybox');
      expect(unenforcedPolicyHint(mid, shell.cluster)).toBeUndefined();
    }
  });
});
