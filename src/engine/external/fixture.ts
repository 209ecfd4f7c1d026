/**
 * Test support: a flannel/iptables cluster (control-plane, worker-1, worker-2) with a web
 * Deployment of one pod pinned to worker-1 behind two LoadBalancer Services, one per
 * externalTrafficPolicy. Used only by tests.
 */
import { loadCluster } from '../index';
import type { Cluster } from '../model/cluster';

export function externalScenario(opts: { cni?: string; kubeProxy?: string; extra?: string } = {}): string {
  return `apiVersion: podpath/v1alpha1
kind: Cluster
metadata: {name: ext}
spec:
  cni: ${opts.cni ?? 'flannel'}
  kubeProxy: ${opts.kubeProxy ?? 'iptables'}
  nodes:
  - {name: control-plane, role: control-plane}
  - {name: worker-1}
  - {name: worker-2}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: worker-1
  containers:
  - {name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: worker-2
  containers:
  - {name: shell, image: nicolaka/netshoot}
---
apiVersion: v1
kind: Service
metadata: {name: web-cluster}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: web-local}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80, targetPort: 80, nodePort: 30081}]
${opts.extra ?? ''}`;
}

export function load(text: string): Cluster {
  const r = loadCluster([{ name: 'test.yaml', text }]);
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}


