/**
 * End to end: the lab of the networking-fundamentals chapter (LAB-4.1) typed into one shell session
 * on src/scenarios/demo.yaml, as `podpath sh` reads a script (backslash-newline joined, one line at a
 * time, here-documents read on until their delimiter): create namespace → run → wait → exec curl →
 * expose → nslookup → default-deny policy → selective allow → delete namespace. The Pod IP the text
 * says to replace is read with `$(kubectl get pod … -o jsonpath=…)`.
 * The transcript is golden (__golden__/lab-networking.txt); the assertions name what must hold.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';

const LAB = String.raw`kubectl create namespace lab-networking
kubectl run frontend --namespace lab-networking \
  --image=nginx:alpine --labels="app=frontend,tier=web"
kubectl run backend --namespace lab-networking \
  --image=radial/busyboxplus:curl --labels="app=backend,tier=api" \
  -- sleep 3600
kubectl wait --for=condition=Ready pod/frontend pod/backend \
  --namespace lab-networking --timeout=60s
kubectl get pods -n lab-networking -o wide
kubectl exec backend -n lab-networking -- curl -s -o /dev/null \
  -w "HTTP %{http_code}" http://$(kubectl get pod frontend -n lab-networking -o jsonpath='{.status.podIP}')
kubectl expose pod backend -n lab-networking --port=80 --target-port=8080
kubectl exec frontend -n lab-networking -- nslookup backend
cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: lab-networking
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
EOF
kubectl exec backend -n lab-networking -- \
  curl -s --connect-timeout 5 http://frontend \
  || echo "Connection blocked as expected!"
cat <<EOF | kubectl apply -f -
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend-to-backend
  namespace: lab-networking
spec:
  podSelector:
    matchLabels:
      app: backend
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontend
      ports:
        - protocol: TCP
          port: 80
EOF
kubectl get networkpolicy -n lab-networking
kubectl delete namespace lab-networking
kubectl get pods -n lab-networking
kubectl get ns`;

function session(): { transcript: string; outputs: { line: string; stdout: string; stderr: string; status: number }[] } {
  const text = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
  const loaded = loadCluster([{ name: 'demo.yaml', text }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const sh = engineShell(loaded.value);
  let transcript = '';
  const outputs: { line: string; stdout: string; stderr: string; status: number }[] = [];
  for (const line of LAB.replace(/\\\n/g, '').split('\n')) {
    const prompt = sh.prompt;
    const r = sh.run(line);
    transcript += `${prompt}${line}\n${r.stdout}${r.stderr}`;
    if (r.status !== 0 && r.prompt !== '> ') transcript += `[exit ${r.status}]\n`;
    outputs.push({ line, stdout: r.stdout, stderr: r.stderr, status: r.status });
  }
  return { transcript, outputs };
}

describe('LAB-4.1 networking fundamentals, in one podpath sh session', () => {
  it('creates, waits, reaches the pod by IP and the Service by name, policies block, the namespace goes', async () => {
    const { transcript, outputs } = session();
    const after = (prefix: string) => outputs.find((o) => o.line.startsWith(prefix))!;
    expect(after('kubectl create namespace').stdout).toBe('namespace/lab-networking created\n');
    expect(after('kubectl wait').stdout).toBe('pod/frontend condition met\npod/backend condition met\n');
    expect(after('kubectl exec backend -n lab-networking -- curl -s -o').stdout).toBe('HTTP 200');
    expect(after('kubectl expose').stdout).toBe('service/backend exposed\n');
    expect(after('kubectl exec frontend -n lab-networking -- nslookup').stdout).toContain('Name:\tbackend.lab-networking.svc.cluster.local');
    expect(transcript).toContain('networkpolicy.networking.k8s.io/default-deny-all created\n');
    expect(transcript).toContain('Connection blocked as expected!\n');
    expect(transcript).toContain('networkpolicy.networking.k8s.io/allow-frontend-to-backend created\n');
    expect(after('kubectl delete namespace').stdout).toBe('namespace "lab-networking" deleted\n');
    expect(outputs[outputs.length - 2]).toMatchObject({ stdout: '', stderr: 'No resources found in lab-networking namespace.\n' });
    expect(after('kubectl get ns').stdout).not.toContain('lab-networking');
    await expect(transcript).toMatchFileSnapshot('./__golden__/lab-networking.txt');
  });
});

describe('kubectl run --overrides', () => {
  const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
  it('merges the JSON over the generated pod (RFC 7386) and refuses what is not JSON', () => {
    const loaded = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!loaded.ok) throw new Error('demo did not load');
    const sh = engineShell(loaded.value);
    expect(sh.run(`kubectl run probe --image=nginx:1.27 --overrides='{"spec":{"nodeName":"worker-2"}}'`)).toMatchObject({ status: 0, stdout: 'pod/probe created\n' });
    expect(sh.run(`kubectl get pod probe -o jsonpath='{.spec.nodeName} {.metadata.labels.run}'`).stdout).toBe('worker-2 probe');
    expect(sh.run(`kubectl run bad --image=nginx:1.27 --overrides='{nope'`)).toMatchObject({ status: 1, stderr: 'error: Invalid JSON Patch\n' });
  });
});

describe('kubectl describe pod: Node-Selectors', () => {
  it('prints the pod nodeSelector, one pair per line', () => {
    const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
    const loaded = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!loaded.ok) throw new Error('demo did not load');
    const sh = engineShell(loaded.value);
    sh.run(`kubectl run probe --image=nginx:1.27 --overrides='{"spec":{"nodeSelector":{"zone":"b","disktype":"ssd"}}}'`);
    const lines = sh.run('kubectl describe pod probe').stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Node-Selectors:'));
    expect(lines[at]).toMatch(/^Node-Selectors:\s+disktype=ssd$/);
    expect(lines[at + 1]).toMatch(/^\s+zone=b$/);
  });
});

describe('kubectl delete --field-selector', () => {
  it('deletes only the pods whose fields match', () => {
    const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
    const loaded = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!loaded.ok) throw new Error('demo did not load');
    const sh = engineShell(loaded.value);
    const r = sh.run('kubectl delete pods --field-selector spec.nodeName=worker-2');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^pod "web-[a-z0-9-]+" deleted\n$/);
    expect(sh.run('kubectl get pods --field-selector status.phase=Pending')).toMatchObject({ stdout: '' });
    expect(sh.run('kubectl delete pods --field-selector spec.nope=x').stderr).toMatch(/field label not supported: spec\.nope/);
  });
});

describe('/proc/sys on a node', () => {
  it('mirrors the node sysctls, sysctl -w included', () => {
    const demo = readFileSync(new URL('../../../scenarios/demo.yaml', import.meta.url), 'utf8');
    const loaded = loadCluster([{ name: 'demo.yaml', text: demo }]);
    if (!loaded.ok) throw new Error('demo did not load');
    const sh = engineShell(loaded.value);
    sh.run('ssh worker-1');
    expect(sh.run('cat /proc/sys/net/bridge/bridge-nf-call-iptables').stdout).toBe('1\n');
    sh.run('sysctl -w net.bridge.bridge-nf-call-iptables=0');
    expect(sh.run('cat /proc/sys/net/bridge/bridge-nf-call-iptables').stdout).toBe('0\n');
  });
});
