/**
 * Golden transcripts of the kubectl verbs learners type first, run through the whole engine on
 * src/scenarios (demo.yaml: flannel, a web Deployment, a busybox client; services.yaml: Services of
 * every type). Each verb's file is checked against kubectl's own output and messages; regenerate
 * with `npx vitest run -u src/engine/shell/kubectl` after checking the diff.
 */
import { PVec } from '../../util/persistent';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { engineShell } from '../../engineShell';
import { loadCluster } from '../../load';
import type { Cluster, EventRec } from '../../model/cluster';
import { scenarioTranscript } from './transcript';

const demo = (lines: string[]) => scenarioTranscript('demo.yaml', lines);

function load(file: string, edit?: (c: Cluster) => Cluster): Cluster {
  const text = readFileSync(new URL(`../../../scenarios/${file}`, import.meta.url), 'utf8');
  const loaded = loadCluster([{ name: file, text }]);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return edit ? edit(loaded.value) : loaded.value;
}

describe('kubectl global flags', () => {
  it('reads -n/--namespace/--context anywhere, before the verb too', () => {
    const sh = engineShell(load('demo.yaml'));
    const a = sh.run('kubectl -n kube-system get pods -o name');
    expect(a.stdout).toContain('pod/kube-proxy-');
    expect(sh.run('kubectl --namespace=kube-system get deploy -o name').stdout).toBe('deployment.apps/coredns\n');
    expect(sh.run('kubectl get pods --namespace kube-system -o name').stdout).toBe(a.stdout);
    expect(sh.run('kubectl --context kubernetes-admin@kubernetes get ns default -o name').stdout).toBe('namespace/default\n');
    expect(sh.run('kubectl --context prod get pods')).toMatchObject({ stderr: 'error: context was not found for specified context: prod\n', status: 1 });
    expect(sh.run('kubectl -n kube-system frob').stderr).toBe('error: unknown command "frob" for "kubectl"\nRun \'kubectl --help\' for usage.\n');
  });
});

describe('kubectl create', () => {
  it('builds kubectl\'s objects and creates them through the engine', async () => {
    const t = demo([
      'kubectl create namespace shop',
      'kubectl create namespace shop',
      'kubectl create deployment web --image=nginx:1.27 --replicas=2 --port=80 -n shop',
      'kubectl create deployment web --image=nginx:1.27 -n shop',
      'kubectl get deploy,rs,po -n shop -o wide',
      'kubectl create service clusterip web --tcp=80:80 -n shop',
      'kubectl create service nodeport web-np --tcp=8080:80 --node-port=30080 -n shop',
      'kubectl create service nodeport bad --tcp=80 --node-port=80 -n shop',
      'kubectl create service loadbalancer web-lb --tcp=80 -n shop',
      'kubectl get svc -n shop -o wide',
      'kubectl get ep web -n shop',
      'kubectl create configmap site --from-literal=color=blue --from-literal=size=2 -n shop',
      'kubectl get cm site -n shop -o yaml',
      'kubectl create secret generic db --from-literal=password=s3cret -n shop',
      'kubectl get secrets -n shop',
      'kubectl get secret db -n shop -o jsonpath={.data.password}',
      'kubectl create deployment api --image=registry.example.com/team/api_server:2.0 --dry-run=client -o yaml',
      'kubectl create service clusterip api --tcp=80:http --dry-run=client -o yaml',
      'kubectl create deployment Bad_Name --image=nginx',
      'kubectl create deployment nope',
      'kubectl create service',
      'kubectl create frob',
      'kubectl delete deployment web -n shop',
      'kubectl get pods -n shop',
      'kubectl delete svc web web-np -n shop',
      'kubectl delete namespace shop',
      'kubectl delete namespace kube-system',
      'kubectl delete namespace shop',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/create.txt');
  });
});

describe('kubectl get: workloads, comma lists, endpoints, field selectors', () => {
  it('prints kind/name groups and kubectl\'s tables', async () => {
    const t = demo([
      'kubectl get deploy,rs,po',
      'kubectl get svc,ep',
      'kubectl get ds -A',
      'kubectl get deployments.apps web -o jsonpath={.status.readyReplicas}',
      'kubectl get pods -A --field-selector spec.nodeName=worker-2',
      'kubectl get pods --field-selector status.phase!=Running',
      'kubectl get pods --field-selector nope=1',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/get-workloads.txt');
  });

  it('prints the v1 Endpoints deprecation warning from a v1.33 API server', () => {
    const sh = engineShell(load('demo.yaml', (c) => ({ ...c, config: { ...c.config, kubernetesVersion: 'v1.33.1' } })));
    const r = sh.run('kubectl get svc,ep');
    expect(r.stderr).toBe('Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n');
    expect(r.stdout).toContain('endpoints/web ');
    expect(sh.run('kubectl get svc').stderr).toBe('');
    expect(engineShell(load('demo.yaml')).run('kubectl get ep').stderr).toBe('');
  });
});

describe('kubectl get events and describe\'s Events', () => {
  const withEvents = (c: Cluster): Cluster => {
    const pod = [...c.pods.values()].find((p) => p.meta.name === 'client')!;
    const events: EventRec[] = [
      { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned default/client to ${pod.nodeName}`, involvedObject: { kind: 'Pod', namespace: 'default', name: 'client', uid: pod.meta.uid }, source: { component: 'default-scheduler' }, firstTimestamp: 5, lastTimestamp: 5, count: 1 },
      { type: 'Normal', reason: 'Pulled', message: 'Container image "busybox:1.36" already present on machine', involvedObject: { kind: 'Pod', namespace: 'default', name: 'client', uid: pod.meta.uid }, source: { component: 'kubelet', host: pod.nodeName }, firstTimestamp: 6, lastTimestamp: 6, count: 1 },
      { type: 'Warning', reason: 'FailedScheduling', message: '0/3 nodes are available: 3 node(s) didn\'t match Pod\'s node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.', involvedObject: { kind: 'Pod', namespace: 'default', name: 'ssd-only', uid: 'u-ssd' }, source: { component: 'default-scheduler' }, firstTimestamp: 10, lastTimestamp: 250, count: 4 },
      { type: 'Normal', reason: 'NodeNotSchedulable', message: 'Node worker-1 status is now: NodeNotSchedulable', involvedObject: { kind: 'Node', name: 'worker-1' }, source: { component: 'kubelet', host: 'worker-1' }, firstTimestamp: 200, lastTimestamp: 200, count: 1 },
    ];
    return { ...c, events: PVec.from(events) };
  };

  it('lists events with kubectl\'s columns and describes a pod and a node with theirs', async () => {
    const sh = engineShell(load('demo.yaml', withEvents));
    let t = '';
    for (const line of ['kubectl get events', 'kubectl get events -A -o wide', 'kubectl get events --field-selector involvedObject.name=ssd-only', 'kubectl get events --field-selector type=Warning -o name', 'kubectl describe pod client | tail -n 5', 'kubectl describe node worker-1 | tail -n 4', 'kubectl get events -n kube-system']) {
      const r = sh.run(line);
      t += `$ ${line}\n${r.stdout}${r.stderr}`;
    }
    await expect(t).toMatchFileSnapshot('./__golden__/events.txt');
    expect(t).toContain('56s (x4 over 4m56s)   Warning   FailedScheduling     pod/ssd-only');
  });
});

describe('kubectl wait, label, annotate, scale, rollout', () => {
  it('answers from the objects\' state and changes them through the engine', async () => {
    const t = demo([
      'kubectl wait --for=condition=Ready pod/client --timeout=60s',
      'kubectl wait --for=condition=Ready pods -l app=web',
      'kubectl wait --for=condition=Available deployment/web',
      'kubectl wait --for=jsonpath={.status.phase}=Running pod/client',
      'kubectl wait --for=condition=Ready pod/nope',
      'kubectl wait --for=delete pod/nope',
      'kubectl wait pod/client',
      'kubectl label pod client tier=frontend',
      'kubectl label pod client tier=backend',
      'kubectl label pod client tier=backend --overwrite',
      'kubectl label pod client tier=backend',
      'kubectl label pod client tier- color-',
      'kubectl label node worker-1 disktype=ssd',
      'kubectl get nodes -l disktype=ssd',
      'kubectl label pods -l app=web team=edge',
      'kubectl get pods -l team=edge -o name',
      'kubectl label pod client bad',
      'kubectl scale deployment web --replicas=1',
      'kubectl get deploy web',
      'kubectl scale deploy/web --replicas=2 --current-replicas=3',
      'kubectl scale ds kube-proxy -n kube-system --replicas=1',
      'kubectl scale deployment web',
      'kubectl rollout status deployment/web',
      'kubectl rollout status ds/kube-proxy -n kube-system',
      'kubectl rollout history deployment/web',
      'kubectl rollout status rs/web',
      'kubectl rollout restart deployment/web',
      'kubectl get rs',
      'kubectl rollout history deployment/web',
      'kubectl describe deployment web',
      'kubectl annotate pod client note=hello',
      'kubectl annotate pod client note=bye',
      'kubectl annotate pod client note=bye --overwrite',
      'kubectl get pod client -o jsonpath={.metadata.annotations.note}',
      'kubectl annotate pod client note-',
      'kubectl rollout restart daemonset/kube-proxy -n kube-system',
      'kubectl rollout status daemonset/kube-proxy -n kube-system',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/change.txt');
  });
});

describe('kubectl describe rs and ds', () => {
  // pkg/describe/describe.go describeReplicaSet / describeDaemonSet: counts, Pods Status, the pod
  // template and the controller's events (SuccessfulCreate after a pod was deleted).
  it('describes a ReplicaSet and a DaemonSet with their events', async () => {
    const t = demo([
      'kubectl delete pod $(kubectl get pods -l app=web -o name | head -1 | cut -d/ -f2)',
      'kubectl describe rs',
      'kubectl describe ds/kube-proxy -n kube-system',
      'kubectl describe rs/nope',
      'kubectl describe daemonset nope',
    ]);
    await expect(t).toMatchFileSnapshot('./__golden__/describe-workloads.txt');
    expect(t).toMatch(/Controlled By:\s+Deployment\/web\n/);
    expect(t).toMatch(/Replicas:\s+3 current \/ 3 desired\n/);
    expect(t).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-/);
    expect(t).toContain('Desired Number of Nodes Scheduled: 3\n');
    expect(t).toContain('Error from server (NotFound): replicasets.apps "nope" not found');
  });
});

describe('kubectl rollout status of a Deployment that cannot finish', () => {
  // kubectl/pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer: the third check
  // (available < updated) while the new pods are Pending.
  it('prints the viewer\'s waiting line, then times out as kubectl does with --timeout', () => {
    const sh = engineShell(load('demo.yaml'));
    const manifest = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssd' }, spec: { replicas: 2, selector: { matchLabels: { app: 'ssd' } }, template: { metadata: { labels: { app: 'ssd' } }, spec: { nodeSelector: { disktype: 'ssd' }, containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
    expect(sh.run(`echo '${manifest}' | kubectl apply -f -`).stdout).toBe('deployment.apps/ssd created\n');
    expect(sh.run('kubectl get pods -l app=ssd -o jsonpath={.items[*].status.phase}').stdout).toBe('Pending Pending');
    const r = sh.run('kubectl rollout status deployment/ssd --timeout=5s');
    expect(r.stdout).toBe('Waiting for deployment "ssd" rollout to finish: 0 of 2 updated replicas are available...\n');
    expect(r.stderr).toBe('error: timed out waiting for the condition\n');
    expect(r.status).toBe(1);
    sh.run('kubectl label node worker-1 disktype=ssd');
    expect(sh.run('kubectl rollout status deployment/ssd').stdout).toBe('deployment "ssd" successfully rolled out\n');
  });

  it('a restart whose new pod cannot be scheduled keeps the old pods and waits on the first check', () => {
    const sh = engineShell(load('demo.yaml'));
    sh.run('kubectl cordon worker-1');
    sh.run('kubectl cordon worker-2');
    expect(sh.run('kubectl rollout restart deployment/web').stdout).toBe('deployment.apps/web restarted\n');
    const r = sh.run('kubectl rollout status deployment/web --timeout=5s');
    expect(r.stdout).toBe('Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n');
    expect(r.status).toBe(1);
    expect(sh.run('kubectl get pods -l app=web -o jsonpath={.items[*].status.phase}').stdout).toBe('Running Running Running Pending');
    // The new ReplicaSet is at 1 (maxSurge), the old one still at 3; the Deployment keeps minimum availability.
    expect(sh.run('kubectl get rs -o jsonpath={.items[*].spec.replicas}').stdout).toBe('3 1');
    const cond = sh.run('kubectl get deploy web -o jsonpath={.status.conditions[*].reason}').stdout;
    expect(cond).toBe('MinimumReplicasAvailable ReplicaSetUpdated');
    sh.run('kubectl uncordon worker-2');
    expect(sh.run('kubectl rollout status deployment/web').stdout).toBe('deployment "web" successfully rolled out\n');
    expect(sh.run('kubectl get rs -o jsonpath={.items[*].spec.replicas}').stdout).toBe('0 3');
  });
});

describe('kubectl explain and port-forward', () => {
  it('explains the networking fields from the API docs', async () => {
    const t = demo(['kubectl explain pod.spec.dnsPolicy', 'kubectl explain pods.spec.hostNetwork', 'kubectl explain service.spec.type', 'kubectl explain svc.spec.ports', 'kubectl explain pod.spec.nope', 'kubectl explain frob']);
    await expect(t).toMatchFileSnapshot('./__golden__/explain.txt');
  });

  it('says what port-forward would forward, to which pod', async () => {
    const t = scenarioTranscript('services.yaml', ['kubectl port-forward svc/frontend 8080:80', 'kubectl port-forward deploy/backend 9090', 'kubectl port-forward svc/frontend 8080:81', 'kubectl port-forward pod/nope 80', 'kubectl port-forward svc/frontend']);
    await expect(t).toMatchFileSnapshot('./__golden__/port-forward.txt');
  });
});

describe('kubectl cordon, uncordon, drain', () => {
  it('prints kubectl\'s lines, errors and warnings; evicted pods come back on other nodes', async () => {
    const sh = engineShell(load('demo.yaml'));
    let t = '';
    for (const line of ['kubectl cordon worker-1', 'kubectl cordon worker-1', 'kubectl get nodes', 'kubectl uncordon worker-1', 'kubectl drain worker-1', 'kubectl drain worker-1 --ignore-daemonsets', 'kubectl drain worker-1 --ignore-daemonsets --force', 'kubectl get pods -o wide', 'kubectl describe node worker-1 | grep -e Taints -e Unschedulable', 'kubectl get events --field-selector involvedObject.kind=Node', 'kubectl uncordon worker-1', 'kubectl drain nope']) {
      const r = sh.run(line);
      t += `$ ${line}\n${r.stdout}${r.stderr}${r.status ? `[exit ${r.status}]\n` : ''}`;
    }
    await expect(t).toMatchFileSnapshot('./__golden__/drain.txt');
    expect(t).toContain('cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ');
    expect(t).toContain('cannot delete cannot delete Pods that declare no controller (use --force to override): default/client');
    expect(t).toMatch(/Warning: .*ignoring DaemonSet-managed Pods: kube-flannel\//);
    expect(t).toContain('node/worker-1 drained\n');
    expect([...sh.cluster.pods.values()].filter((p) => p.nodeName === 'worker-1' && !p.meta.ownerReferences?.some((o) => o.kind === 'DaemonSet'))).toEqual([]);
  });
});

describe('a pod the scheduler cannot place', () => {
  it('stays Pending: wait times out with kubectl\'s message, events and describe say why', async () => {
    const sh = engineShell(load('demo.yaml'));
    let t = '';
    const lines = ['cat <<EOF | kubectl apply -f -', 'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: ssd', 'spec:', '  nodeSelector:', '    disktype: ssd', '  containers:', '  - name: app', '    image: nginx:1.27', 'EOF', 'kubectl get pod ssd -o wide', 'kubectl wait --for=condition=Ready pod/ssd --timeout=5s', 'kubectl get events --field-selector involvedObject.name=ssd', 'kubectl describe pod ssd | grep -e Status -e Node: -e PodScheduled', 'kubectl port-forward pod/ssd 80'];
    for (const line of lines) {
      const prompt = sh.prompt;
      const r = sh.run(line);
      t += `${prompt}${line}\n${r.stdout}${r.stderr}${r.status && r.prompt !== '> ' ? `[exit ${r.status}]\n` : ''}`;
    }
    await expect(t).toMatchFileSnapshot('./__golden__/pending.txt');
    expect(t).toContain('error: timed out waiting for the condition on pods/ssd\n');
    expect(t).toContain('Warning   FailedScheduling   pod/ssd');
    expect(t).toContain('error: unable to forward port because pod is not running. Current status=Pending');
  });
});
