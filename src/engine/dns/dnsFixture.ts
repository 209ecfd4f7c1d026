/**
 * Test support: the demo scenario plus DNS-relevant objects (a headless Service with a
 * hostname/subdomain pod, an ExternalName Service, a Service without endpoints, tool pods),
 * and a shell on the real tracer (kube-proxy's DNAT included).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCluster } from '../index';
import type { Cluster } from '../model/cluster';
import { engineOps } from '../engineShell';
import { createShell, type Shell } from '../shell/index';
import { trace, traceroute } from '../trace/tracer';

const EXTRA = `
---
apiVersion: v1
kind: Namespace
metadata: {name: production}
---
apiVersion: v1
kind: Pod
metadata: {name: postgres-0, namespace: production, labels: {app: postgres}}
spec:
  hostname: postgres-0
  subdomain: postgres-headless
  nodeName: worker-2
  containers:
  - {name: postgres, image: postgres:16, ports: [{name: pg, containerPort: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: postgres-headless, namespace: production}
spec:
  clusterIP: None
  selector: {app: postgres}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: docs, namespace: default}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: default}
spec:
  selector: {app: nothing}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: netshoot, namespace: default}
spec:
  nodeName: worker-2
  containers:
  - {name: netshoot, image: nicolaka/netshoot, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: dnsutils, namespace: default}
spec:
  nodeName: worker-1
  containers:
  - {name: dnsutils, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3, command: [sleep, infinity]}
---
apiVersion: v1
kind: Pod
metadata: {name: old-busybox, namespace: default}
spec:
  nodeName: worker-1
  containers:
  - {name: busybox, image: busybox:1.28, command: [sleep, '3600']}
`;

export function dnsCluster(extra = ''): Cluster {
  const demo = readFileSync(join(__dirname, '../../scenarios/demo.yaml'), 'utf8');
  const r = loadCluster([{ name: 'demo.yaml', text: demo + EXTRA + extra }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

export function dnsShell(cluster: Cluster = dnsCluster()): Shell {
  return createShell({ cluster, trace, traceroute, ops: engineOps });
}
