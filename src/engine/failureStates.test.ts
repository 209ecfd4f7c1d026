/**
 * Failure as state, from scenario files: what the API server accepts but the cluster cannot run
 * loads, and shows as kubectl would (Pending / ContainerCreating / OutOfpods with their events),
 * never as a refused file. Messages are checked word for word against their upstream sources.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCluster } from './load';
import type { Cluster, PodRec } from './model/cluster';
import { deletePod } from './controllers/commands';
import { trace } from './trace/tracer';
import { networkOf } from './cni/network';
import { podKeyOf } from './model/build';
import { scenarioYaml } from './scenario/serialize';
import { engineShell } from './engineShell';
import { servicesOf } from './services/table';

function load(text: string): Cluster {
  const r = loadCluster([{ name: 's.yaml', text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 1));
  return r.value;
}

const userPods = (c: Cluster) => [...c.pods.values()].filter((p) => p.meta.namespace === 'default');
const eventsOf = (c: Cluster, pod: PodRec) => (c.events ?? []).filter((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === pod.meta.name && e.involvedObject.namespace === (pod.meta.namespace ?? 'default'));

const clusterDoc = (nodes: string, extra = '') => `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  kubeProxy: none${extra}\n  nodes:\n${nodes}`;
const deployment = (name: string, replicas: number, spec = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:${spec}\n      containers: [{name: c, image: nginx}]`;
const pod = (name: string, spec = '') => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\nspec:${spec}\n  containers: [{name: c, image: nginx}]`;

/** A minikube dump's node: the control-plane label, no spec.taints. */
const MINIKUBE_NODE = `apiVersion: v1
kind: Node
metadata:
  name: minikube
  labels: {kubernetes.io/hostname: minikube, node-role.kubernetes.io/control-plane: "", minikube.k8s.io/primary: "true"}
spec:
  podCIDR: 10.244.0.0/24
status:
  addresses: [{type: InternalIP, address: 192.168.49.2}]
  capacity: {pods: "110"}`;

describe('scheduling reads the Node as the API has it', () => {
  it('a minikube node (control-plane label, no spec.taints) has no taint: every pod schedules there', () => {
    const c = load([MINIKUBE_NODE, deployment('web', 3)].join('\n---\n'));
    expect(c.nodes[0].taints).toBeUndefined();
    const web = userPods(c);
    expect(web).toHaveLength(3);
    expect(web.every((p) => p.nodeName === 'minikube' && p.phase === 'Running' && p.attachment)).toBe(true);
    // schedule_one.go: "Successfully assigned %v/%v to %v" from default-scheduler.
    expect(eventsOf(c, web[0])).toEqual([
      expect.objectContaining({ type: 'Normal', reason: 'Scheduled', message: `Successfully assigned default/${web[0].meta.name} to minikube`, source: { component: 'default-scheduler' }, count: 1 }),
    ]);
  });

  it("nodes podpath makes itself carry kubeadm's control-plane taint", () => {
    const c = load(clusterDoc('  - {name: cp, role: control-plane}\n  - {name: w1}'));
    expect(c.nodes.map((n) => n.taints)).toEqual([[{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }], undefined]);
    const d = load('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}');
    expect(d.nodes.map((n) => n.taints?.length ?? 0)).toEqual([1, 0, 0]);
  });

  it('a nodeSelector no node matches leaves the pod Pending with FailedScheduling (nodeaffinity ErrReasonPod)', () => {
    const c = load([clusterDoc('  - {name: cp, role: control-plane}\n  - {name: w1}\n  - {name: w2}'), pod('db', '\n  nodeSelector: {disktype: ssd}')].join('\n---\n'));
    const db = c.pods.get('default/db')!;
    const message =
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
    expect(db).toMatchObject({ nodeName: '', phase: 'Pending', ready: false, status: { display: 'Pending', reason: 'Unschedulable', message } });
    expect(db.attachment).toBeUndefined();
    expect(eventsOf(c, db)).toEqual([{ type: 'Warning', reason: 'FailedScheduling', message, involvedObject: { kind: 'Pod', namespace: 'default', name: 'db', uid: db.meta.uid }, source: { component: 'default-scheduler' }, firstTimestamp: expect.any(Number), lastTimestamp: expect.any(Number), count: 1 }]);
  });

  it('a matching nodeSelector and required node affinity (In, NotIn, Gt, matchFields) choose the node', () => {
    const nodes = `apiVersion: v1\nkind: Node\nmetadata: {name: a, labels: {disktype: ssd, cores: "8"}}\n---\napiVersion: v1\nkind: Node\nmetadata: {name: b, labels: {disktype: hdd, cores: "16"}}`;
    const aff = (expr: string) => `\n  affinity:\n    nodeAffinity:\n      requiredDuringSchedulingIgnoredDuringExecution:\n        nodeSelectorTerms:\n        - ${expr}`;
    const c = load(
      [
        nodes,
        pod('sel', '\n  nodeSelector: {disktype: hdd}'),
        pod('in', aff('matchExpressions: [{key: disktype, operator: In, values: [ssd]}]')),
        pod('notin', aff('matchExpressions: [{key: disktype, operator: NotIn, values: [ssd]}]')),
        pod('gt', aff('matchExpressions: [{key: cores, operator: Gt, values: ["10"]}]')),
        pod('field', aff('matchFields: [{key: metadata.name, operator: In, values: [a]}]')),
        pod('none', aff('matchExpressions: [{key: gpu, operator: Exists}]')),
      ].join('\n---\n'),
    );
    const at = (n: string) => c.pods.get(`default/${n}`)!.nodeName;
    expect(['sel', 'in', 'notin', 'gt', 'field', 'none'].map(at)).toEqual(['b', 'a', 'b', 'b', 'a', '']);
  });

  it('a cordoned node (spec.unschedulable) is skipped: "node(s) were unschedulable"', () => {
    const node = (name: string, cordoned: boolean) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}${cordoned ? '\nspec: {unschedulable: true}' : ''}`;
    const c = load([node('a', true), node('b', false), deployment('web', 2)].join('\n---\n'));
    expect(userPods(c).map((p) => p.nodeName)).toEqual(['b', 'b']);
    const all = load([node('a', true), pod('p')].join('\n---\n'));
    expect(all.pods.get('default/p')!.status?.message).toBe(
      '0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });

  it('taints with values and tolerations (Equal, Exists, effect) as core/v1 ToleratesTaint', () => {
    const node = `apiVersion: v1\nkind: Node\nmetadata: {name: gpu}\nspec:\n  taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}, {key: soft, effect: PreferNoSchedule}]`;
    const c = load(
      [
        node,
        pod('plain'),
        pod('equal', '\n  tolerations: [{key: nvidia.com/gpu, operator: Equal, value: "true", effect: NoSchedule}]'),
        pod('wrongvalue', '\n  tolerations: [{key: nvidia.com/gpu, operator: Equal, value: "false"}]'),
        pod('exists', '\n  tolerations: [{operator: Exists}]'),
      ].join('\n---\n'),
    );
    expect(['plain', 'equal', 'wrongvalue', 'exists'].map((n) => c.pods.get(`default/${n}`)!.nodeName)).toEqual(['', 'gpu', '', 'gpu']);
    expect(c.pods.get('default/plain')!.status?.message).toBe(
      '0/1 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: true}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.',
    );
  });
});

describe("kubelet admission: max-pods", () => {
  it('111 pods bound by nodeName to one node: the kubelet admits 110, rejects one as OutOfpods', () => {
    const docs = [clusterDoc('  - {name: a}', '\n  cni: calico')];
    for (let i = 0; i < 111; i++) docs.push(pod(`p${i}`, '\n  nodeName: a'));
    const c = load(docs.join('\n---\n'));
    const pods = userPods(c);
    const system = [...c.pods.values()].filter((p) => p.nodeName === 'a' && p.meta.namespace !== 'default' && p.phase !== 'Failed').length;
    const failed = pods.filter((p) => p.phase === 'Failed');
    // The node also runs its system pods: every user pod past 110 in all is rejected.
    expect(failed).toHaveLength(system + 1);
    const last = failed[failed.length - 1];
    // kubelet.go rejectPod: status.message "Pod was rejected: " + predicate.go InsufficientResourceError.
    expect(last).toMatchObject({ phase: 'Failed', ready: false, status: { display: 'OutOfpods', reason: 'OutOfpods', message: 'Pod was rejected: Node didn\'t have enough resource: pods, requested: 1, used: 110, capacity: 110' } });
    expect(last.attachment).toBeUndefined();
    expect(eventsOf(c, last)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110", source: { component: 'kubelet', host: 'a' } })]);
    expect(pods.filter((p) => p.phase === 'Running')).toHaveLength(111 - system - 1);
  });
});

/**
 * Three nodes with /30 PodCIDRs (one pod address each: host-local skips the gateway .1); `a` is
 * tainted so only pods bound by nodeName (and hostNetwork daemons) land there.
 */
const smallNodes = (capA = 110) =>
  ['a', 'b', 'c']
    .map(
      (n, i) =>
        `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}}\nspec:\n  podCIDR: 10.244.${i + 1}.0/30${n === 'a' ? '\n  taints: [{key: dedicated, value: x, effect: NoSchedule}]' : ''}\nstatus: {capacity: {pods: "${n === 'a' ? capA : 110}"}}`,
    )
    .join('\n---\n');

describe('IPAM exhaustion', () => {
  const twoNodes = smallNodes();

  it('a /30 PodCIDR gives one pod an address; the next stays ContainerCreating with the CNI error in kubelet\'s event', () => {
    const c = load([twoNodes, pod('p1', '\n  nodeName: a'), pod('p2', '\n  nodeName: a')].join('\n---\n'));
    const [p1, p2] = [c.pods.get('default/p1')!, c.pods.get('default/p2')!];
    expect(p1.attachment).toBeDefined();
    expect(p2).toMatchObject({ nodeName: 'a', phase: 'Pending', ready: false, status: { display: 'ContainerCreating' } });
    expect(p2.attachment).toBeUndefined();
    // host-local allocator.go / main.go, wrapped by libcni and containerd, as in flannel-io/flannel#2264.
    const message = `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${p2.containerId}": plugin type="flannel" failed (add): failed to allocate for range 0: no IP addresses available in range set: 10.244.1.1-10.244.1.2`;
    expect(eventsOf(c, p2)).toEqual([expect.objectContaining({ type: 'Warning', reason: 'FailedCreatePodSandBox', message, source: { component: 'kubelet', host: 'a' }, count: 1 })]);
  });

  it("Calico: when the node's blocks and the pool are used up, the pod stays ContainerCreating with calico-ipam's words", () => {
    const doc = `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  cni: calico\n  podCIDR: 10.244.0.0/25\n  nodeCIDRMaskSize: 26\n  nodes:\n  - {name: a}\n  - {name: b}`;
    const c = load([doc, deployment('web', 140)].join('\n---\n'));
    const stuck = userPods(c).filter((p) => p.status?.display === 'ContainerCreating');
    // Two /26 blocks (128 addresses) for 142 pods on the pod network, less the tunnel addresses.
    expect(stuck.length).toBeGreaterThan(0);
    expect(userPods(c).filter((p) => p.attachment).length + stuck.length).toBe(140);
    // cni-plugin ipam_plugin.go, wrapped by libcni as plugin type="calico".
    expect(eventsOf(c, stuck[0])[1]).toMatchObject({
      reason: 'FailedCreatePodSandBox',
      message: `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${stuck[0].containerId}": plugin type="calico" failed (add): failed to request 1 IPv4 addresses. IPAM allocated only 0`,
    });
  });

  it('deleting the pod that holds the address unsticks the ContainerCreating one (kubelet retries the sandbox)', () => {
    const c = load([twoNodes, pod('p1', '\n  nodeName: a'), pod('p2', '\n  nodeName: a')].join('\n---\n'));
    const r = deletePod(c, 'default', 'p1');
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const p2 = r.value.pods.get('default/p2')!;
    expect(p2).toMatchObject({ phase: 'Running', ready: true });
    expect(p2.status).toBeUndefined();
    expect(p2.attachment?.ip).toBe(c.pods.get('default/p1')!.attachment!.ip);
    // The cluster the command started from is unchanged.
    expect(c.pods.get('default/p2')!.attachment).toBeUndefined();
  });

  it('traces from and to a pod without an address give a clear verdict', () => {
    const c = load([twoNodes, pod('p1', '\n  nodeName: a'), pod('p2', '\n  nodeName: a'), pod('q', '\n  nodeSelector: {none: here}')].join('\n---\n'));
    const from = trace(c, { from: 'default/p2', to: 'default/p1', proto: 'icmp' });
    expect(from.verdict).toBe('unreachable');
    expect(from.reason).toMatch(/^pod "default\/p2" has no IP: ContainerCreating \(Failed to create pod sandbox: /);
    const to = trace(c, { from: 'default/p1', to: 'default/q', proto: 'icmp' });
    expect(to.reason).toMatch(/^pod "default\/q" has no IP: Pending \(0\/3 nodes are available: 1 node\(s\) had untolerated taint \{dedicated: x\}, 2 node\(s\) didn't match Pod's node affinity\/selector\./);
  });
});

describe('bounded expansion', () => {
  it('replicas: 1000000 makes what fits plus one ReplicaSet burst (500) of Pending pods, quickly', () => {
    const c = load([clusterDoc('  - {name: a}\n  - {name: b}'), deployment('huge', 1_000_000)].join('\n---\n'));
    const pods = userPods(c);
    const running = pods.filter((p) => p.phase === 'Running').length;
    const pending = pods.filter((p) => p.phase === 'Pending');
    const system = c.pods.size - pods.length;
    expect(running).toBe(220 - system);
    expect(pending).toHaveLength(500);
    expect(pending.every((p) => p.status?.reason === 'Unschedulable')).toBe(true);
    // 500 pods with the same message are 500 events, one per pod (different involved objects).
    expect((c.events ?? []).filter((e) => e.reason === 'FailedScheduling')).toHaveLength(500);
    expect(c.workloads.get('Deployment/default/huge')!.replicas).toBe(1_000_000);
  });

  it("counts only the slots of nodes the template may use (the control plane's taint keeps its 110 out)", () => {
    const c = load(deployment('huge', 1_000_000));
    const pending = userPods(c).filter((p) => p.phase === 'Pending').length;
    // The estimate counts the workers' slots before their daemon and CoreDNS pods land: a few more than a burst.
    expect(pending).toBeGreaterThanOrEqual(500);
    expect(pending).toBeLessThan(520);
  });
});

describe('downstream views', () => {
  it('kubectl get pods shows Pending / ContainerCreating / OutOfpods; a Pending pod reloads Pending with the same name', () => {
    const onA = [...load(smallNodes()).pods.values()].filter((p) => p.nodeName === 'a').length;
    const docs = [
      smallNodes(onA + 2),
      pod('p1', '\n  nodeName: a'),
      pod('p2', '\n  nodeName: a'),
      pod('p3', '\n  nodeName: a'),
      pod('sel', '\n  nodeSelector: {disktype: ssd}'),
    ];
    const c = load(docs.join('\n---\n'));
    const out = engineShell(c).run('kubectl get pods -o wide').stdout;
    const row = (name: string) => out.split('\n').find((l) => l.startsWith(name + ' '))!.split(/\s+/);
    expect(row('p1').slice(1, 3)).toEqual(['1/1', 'Running']);
    expect(row('p2').slice(1, 3)).toEqual(['0/1', 'ContainerCreating']);
    expect(row('p3').slice(1, 3)).toEqual(['0/1', 'OutOfpods']);
    expect(row('sel').slice(1, 3)).toEqual(['0/1', 'Pending']);
    expect(row('sel')[5]).toBe('<none>');
    const again = load(scenarioYaml(c));
    for (const name of ['p1', 'p2', 'p3', 'sel']) {
      const [a, b] = [c.pods.get(`default/${name}`)!, again.pods.get(`default/${name}`)!];
      expect([b.nodeName, b.phase, b.status?.display, b.attachment?.ip]).toEqual([a.nodeName, a.phase, a.status?.display, a.attachment?.ip]);
    }
  });

  it('EndpointSlices list only pods with an address', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]';
    const web = (name: string, spec: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: web}}\nspec:${spec}\n  containers: [{name: c, image: nginx}]`;
    const c = load([smallNodes(), svc, web('w1', '\n  nodeName: a'), web('w2', '\n  nodeName: a'), web('w3', '\n  nodeSelector: {x: y}')].join('\n---\n'));
    const eps = servicesOf(c).byName.get('default/web')!.endpoints;
    expect(eps.map((e) => e.pod?.name)).toEqual(['w1']);
  });
});

function everyStuckPodSaysWhy(c: Cluster): void {
  for (const p of c.pods.values()) {
    if (p.phase === 'Running') {
      expect(p.status).toBeUndefined();
      expect(p.hostNetwork || p.attachment).toBeTruthy();
      continue;
    }
    expect(p.status?.reason).toBeTruthy();
    expect(p.status?.message).toBeTruthy();
    expect(p.attachment).toBeUndefined();
    expect(eventsOf(c, p).some((e) => e.type === 'Warning')).toBe(true);
  }
}

describe('property: load never throws; every pod that is not Running says why, with an event', () => {
  const nodeArb = fc.record({
    cordoned: fc.boolean(),
    tainted: fc.boolean(),
    cap: fc.integer({ min: 0, max: 6 }),
    ssd: fc.boolean(),
  });
  const podArb = fc.record({
    bind: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    selector: fc.boolean(),
    tolerate: fc.boolean(),
  });
  it('holds for generated clusters', () => {
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 0, maxLength: 4 }), fc.constantFrom(24, 29, 30), fc.array(podArb, { maxLength: 12 }), fc.integer({ min: 0, max: 40 }), (nodes, mask, pods, replicas) => {
        const docs: string[] = [];
        nodes.forEach((n, i) => {
          const spec = [`podCIDR: 10.244.${i}.0/${mask}`, n.cordoned ? 'unschedulable: true' : '', n.tainted ? 'taints: [{key: dedicated, value: x, effect: NoSchedule}]' : ''].filter(Boolean).join(', ');
          docs.push(`apiVersion: v1\nkind: Node\nmetadata: {name: n${i}, labels: {disktype: ${n.ssd ? 'ssd' : 'hdd'}}}\nspec: {${spec}}\nstatus: {capacity: {pods: "${n.cap}"}}`);
        });
        pods.forEach((p, i) => {
          const lines = [
            p.bind !== undefined && p.bind < nodes.length ? `\n  nodeName: n${p.bind}` : '',
            p.selector ? '\n  nodeSelector: {disktype: ssd}' : '',
            p.tolerate ? '\n  tolerations: [{key: dedicated, operator: Exists}]' : '',
          ].join('');
          docs.push(pod(`p${i}`, lines));
        });
        docs.push(deployment('d', replicas));
        const r = loadCluster([{ name: 's.yaml', text: docs.join('\n---\n') }]);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        const c = r.value;
        everyStuckPodSaysWhy(c);
        // Every Deployment pod is either made or counted as the shortfall; no more than fits plus a burst.
        expect(userPods(c).filter((p) => p.meta.name.startsWith('d-')).length).toBeLessThanOrEqual(replicas);
        // The network builds, and a trace from a stuck pod is a verdict, not an exception.
        networkOf(c);
        const stuck = userPods(c).find((p) => p.phase !== 'Running');
        const running = userPods(c).find((p) => p.phase === 'Running');
        if (stuck && running) expect(trace(c, { from: podKeyOf(stuck), to: podKeyOf(running), proto: 'icmp' }).reason).toMatch(/ has no IP: /);
        // Written out and loaded again, every pod comes back in the same state.
        const again = loadCluster([{ name: 'again.yaml', text: scenarioYaml(c) }]);
        expect(again.ok).toBe(true);
        if (!again.ok) return;
        const state = (x: Cluster) => userPods(x).map((p) => [p.meta.name, p.nodeName, p.phase, p.status?.display, p.attachment?.ip]);
        expect(state(again.value)).toEqual(state(c));
        // Deleting a pod (its controller replaces it; stuck pods get another try) keeps it so.
        const victim = userPods(c).find((p) => p.attachment) ?? userPods(c)[0];
        if (victim) {
          const after = deletePod(c, victim.meta.namespace ?? 'default', victim.meta.name);
          expect(after.ok).toBe(true);
          if (after.ok) everyStuckPodSaysWhy(after.value);
        }
      }),
      { numRuns: 60 },
    );
  });
});
