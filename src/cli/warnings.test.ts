import { describe, expect, it } from 'vitest';
import { memoryIo } from './memoryIo';
import { runCli } from './runCli';

const FILE = `apiVersion: v1
kind: Node
metadata: {name: a}
spec: {podCIDR: 10.244.1.0/29}
status: {capacity: {pods: "7"}}
---
apiVersion: v1
kind: Pod
metadata: {name: db}
spec:
  nodeSelector: {disktype: ssd}
  containers: [{name: c, image: nginx}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
`;

describe('podpath check: stuck pods are warnings, not errors', () => {
  it('prints the summary, one warning per object and state at its place in the file, and exits 0', async () => {
    const io = memoryIo({ 's.yaml': FILE });
    expect(await runCli(['check', '-f', 's.yaml'], io)).toBe(0);
    expect(io.out).toMatch(/^s\.yaml: valid$/m);
    const lines = io.err.trimEnd().split('\n');
    expect(lines).toContain(
      "s.yaml:7:1: Pod/default/db: Warning: Pending: 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    // 7 slots: flannel, kube-proxy, 2 CoreDNS, then web pods; /29 gives 5 pod addresses (.2–.6).
    expect(lines.some((l) => /^s\.yaml:14:1: Deployment\/default\/web: Warning: \d+ pods Pending: 0\/1 nodes are available: 1 Too many pods\./.test(l))).toBe(true);
    expect(lines.every((l) => / Warning: /.test(l))).toBe(true);
  });

  it('still refuses what the API server refuses (exit 1, no summary)', async () => {
    const io = memoryIo({ 's.yaml': FILE.replace('replicas: 6', 'replicas: -1') });
    expect(await runCli(['check', '-f', 's.yaml'], io)).toBe(1);
    expect(io.out).toBe('');
    expect(io.err).toBe('s.yaml:18:3: Deployment/default/web: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n');
  });

  it('a NetworkPolicy the CNI does not enforce is a warning at its place; under Calico there is none', async () => {
    const policy = `apiVersion: v1
kind: Pod
metadata: {name: b, labels: {run: b}}
spec:
  containers: [{name: c, image: busybox}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-b}
spec:
  podSelector: {matchLabels: {run: b}}
  policyTypes: [Ingress]
`;
    const io = memoryIo({ 'p.yaml': policy });
    expect(await runCli(['check', '-f', 'p.yaml'], io)).toBe(0);
    expect(io.err).toBe('p.yaml:7:1: NetworkPolicy/default/deny-b: Warning: accepted but not enforced: flannel does not enforce NetworkPolicy, so all traffic still flows\n');
    const calico = memoryIo({ 'p.yaml': `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {cni: calico}\n---\n${policy}` });
    expect(await runCli(['check', '-f', 'p.yaml'], calico)).toBe(0);
    expect(calico.err).toBe('');
  });
});
