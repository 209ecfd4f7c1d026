/**
 * The edit path shows what the cluster cannot do as state, as the load does: Pending,
 * OutOfpods and ContainerCreating pods with their events, and the retries that unstick them.
 */
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../load';
import type { Cluster } from '../model/cluster';
import { addNode, addPod, applyManifests, deletePod, scaleWorkload } from './commands';

function load(text: string): Cluster {
  const r = loadCluster([{ name: 's.yaml', text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}
function must<T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const nodes = (cap: number) =>
  ['a', 'b']
    .map((n) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${n}, labels: {zone: ${n}}}\nstatus: {capacity: {pods: "${cap}"}}`)
    .join('\n---\n');
const container = { containers: [{ name: 'c', image: 'nginx' }] };

describe('Change: failure as state on the edit path', () => {
  it('a pod no node fits is created Pending with the FailedScheduling event', () => {
    const c = must(addPod(load(nodes(110)), { metadata: { name: 'db' }, spec: { nodeSelector: { zone: 'c' }, ...container } }));
    const db = c.pods.get('default/db')!;
    expect(db).toMatchObject({ nodeName: '', phase: 'Pending', status: { display: 'Pending', reason: 'Unschedulable' } });
    expect(db.scheduling?.nodeSelector).toEqual({ zone: 'c' });
    const e = c.events!.filter((x) => x.involvedObject.name === 'db');
    expect(e.map((x) => [x.type, x.reason, x.message])).toEqual([
      ['Warning', 'FailedScheduling', "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."],
    ]);
  });

  it('a pod placed by the scheduler records Scheduled; one bound past max-pods is OutOfpods', () => {
    const base = load(nodes(110));
    const onA = [...base.pods.values()].filter((p) => p.nodeName === 'a').length;
    const full = load(nodes(onA));
    const c = must(addPod(full, { metadata: { name: 'x' }, spec: { nodeName: 'a', ...container } }));
    expect(c.pods.get('default/x')).toMatchObject({ phase: 'Failed', status: { display: 'OutOfpods' } });
    const y = must(addPod(base, { metadata: { name: 'y' }, spec: { nodeSelector: { zone: 'b' }, ...container } }));
    expect(y.events!.find((e) => e.involvedObject.name === 'y')).toMatchObject({ reason: 'Scheduled', message: 'Successfully assigned default/y to b' });
  });

  it('a Pending pod is scheduled once a pod goes and frees a slot (the scheduler requeues it)', () => {
    const base = load(nodes(110));
    const onA = [...base.pods.values()].filter((p) => p.nodeName === 'a').length;
    let c = load(nodes(onA + 1));
    c = must(addPod(c, { metadata: { name: 'first' }, spec: { nodeSelector: { zone: 'a' }, ...container } }));
    c = must(addPod(c, { metadata: { name: 'second' }, spec: { nodeSelector: { zone: 'a' }, ...container } }));
    expect(c.pods.get('default/first')!.nodeName).toBe('a');
    expect(c.pods.get('default/second')).toMatchObject({ nodeName: '', phase: 'Pending' });
    const after = must(deletePod(c, 'default', 'first'));
    expect(after.pods.get('default/second')).toMatchObject({ nodeName: 'a', phase: 'Running', ready: true });
    expect(after.pods.get('default/second')!.attachment).toBeDefined();
    expect(after.events!.filter((e) => e.involvedObject.name === 'second').map((e) => e.reason)).toEqual(['FailedScheduling', 'Scheduled']);
  });

  it('scaling past what the cluster holds makes what fits plus one burst of Pending pods', () => {
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: nginx}]}';
    const c = load(`${nodes(20)}\n---\n${deploy}`);
    const scaled = must(scaleWorkload(c, 'default', 'web', 1_000_000));
    const web = [...scaled.pods.values()].filter((p) => p.meta.name.startsWith('web-'));
    const free = 40 - [...c.pods.values()].filter((p) => p.nodeName).length;
    expect(web.filter((p) => p.phase === 'Running')).toHaveLength(1 + free);
    expect(web.filter((p) => p.phase === 'Pending')).toHaveLength(500);
    expect(scaled.workloads.get('Deployment/default/web')!.replicas).toBe(1_000_000);
  });

  // Since 1.12 the DaemonSet controller leaves binding to the scheduler (node affinity on the
  // node's name, daemon/util ReplaceDaemonSetPodNodeNameNodeAffinity) and creates no pod where a
  // taint it does not tolerate says the pod should not run (daemon_controller.go NodeShouldRunDaemonPod).
  const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: c, image: busybox}]}';
  it('a DaemonSet pod on a full node stays Pending with the scheduler\'s message, not OutOfpods', () => {
    const base = load(nodes(110));
    const onA = [...base.pods.values()].filter((p) => p.nodeName === 'a').length;
    const aFull = nodes(110).replace('metadata: {name: a, labels: {zone: a}}\nstatus: {capacity: {pods: "110"}}', `metadata: {name: a, labels: {zone: a}}\nstatus: {capacity: {pods: "${onA}"}}`);
    const c = must(applyManifests(load(aFull), [{ name: 'ds.yaml', text: ds }])).cluster;
    const agents = [...c.pods.values()].filter((p) => p.meta.labels.app === 'agent');
    expect(agents.map((p) => [p.nodeName, p.phase]).sort()).toEqual([['', 'Pending'], ['b', 'Running']]);
    const pending = agents.find((p) => p.phase === 'Pending')!;
    expect(pending.status?.message).toBe("0/2 nodes are available: 1 Too many pods, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.");
    expect(pending.scheduling?.nodeAffinity).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }]);
    expect(c.events!.filter((e) => e.involvedObject.name === pending.meta.name).map((e) => e.reason)).toEqual(['FailedScheduling']);
  });

  it('no DaemonSet pod on a node whose taint the DaemonSet does not tolerate (a new control-plane node)', () => {
    let c = must(applyManifests(load(nodes(110)), [{ name: 'ds.yaml', text: ds }])).cluster;
    c = must(addNode(c, { name: 'cp', role: 'control-plane' }));
    c = must(addNode(c, { name: 'w' }));
    const on = [...c.pods.values()].filter((p) => p.meta.labels.app === 'agent').map((p) => p.nodeName).sort();
    expect(on).toEqual(['a', 'b', 'w']);
  });
});
