/**
 * A cluster of about `pods` pods for the canvas benchmark, through the real engine: a
 * Flannel cluster with enough workers for the pods (≤ 60 per node, under the kubelet's 110),
 * a Deployment scaled to fill it up, and a client pod to send the packet from.
 */
import { commands, loadCluster, type Cluster } from '../../src/engine';

export function nodesFor(pods: number): number {
  return pods <= 10 ? 2 : Math.max(3, Math.ceil(pods / 60));
}

export function benchCluster(pods: number): Cluster {
  const nodes = nodesFor(pods);
  const nodeList = Array.from({ length: nodes }, (_, i) => `  - {name: worker-${i + 1}}`).join('\n');
  const text = `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: bench-${pods}}
spec:
  cni: flannel
  kubeProxy: iptables
  podCIDR: 10.244.0.0/16
  nodeNetwork: 192.168.0.0/20
  nodes:
  - {name: control-plane, role: control-plane}
${nodeList}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {app: client}}
spec:
  nodeName: worker-1
  containers: [{name: shell, image: busybox:1.36, command: [sleep, infinity]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
`;
  const r = loadCluster([{ name: 'bench.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  const want = Math.max(1, pods - (r.value.pods.size - 1));
  const scaled = commands.scaleWorkload(r.value, 'default', 'web', want);
  if (!scaled.ok) throw new Error(scaled.errors.map((e) => e.message).join('\n'));
  return scaled.value;
}
