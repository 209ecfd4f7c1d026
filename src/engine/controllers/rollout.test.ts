import { describe, expect, it } from 'vitest';
import { scenarioYaml } from '../scenario/serialize';
import { cordonNode } from './nodes';
import { deletePod } from './pods';
import { rolloutRestart, RESTARTED_AT } from './rollout';
import { scaleWorkload } from './workloads';
import { currentRs, expectEndpointsFollow, load, must, podsOf, yaml } from './testCluster';

describe('rollout restart', () => {
  it('Deployment: new pod-template-hash and ReplicaSet, every pod replaced, old ReplicaSet kept at 0', () => {
    const c = { ...load(), now: 300 };
    const oldRs = currentRs(c);
    const oldPods = podsOf(c, oldRs);
    expect(oldPods).toHaveLength(3);
    const r = must(rolloutRestart(c, 'Deployment', 'default', 'web'));
    const d = r.workloads.get('Deployment/default/web')!;
    expect((d.template as { metadata: { annotations: Record<string, string> } }).metadata.annotations[RESTARTED_AT]).toBe('2024-01-01T00:05:00Z');
    expect(d.meta.annotations['deployment.kubernetes.io/revision']).toBe('2');
    const newRs = currentRs(r);
    expect(newRs).not.toBe(oldRs);
    expect(newRs).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    const now = podsOf(r, newRs);
    expect(now).toHaveLength(3);
    for (const p of oldPods) expect(r.pods.has(`default/${p}`)).toBe(false);
    for (const p of now) {
      const pod = r.pods.get(`default/${p}`)!;
      expect(pod.meta.labels['pod-template-hash']).toBe(d.templateHash);
      expect(pod.meta.annotations[RESTARTED_AT]).toBe('2024-01-01T00:05:00Z');
      expect(pod.phase).toBe('Running');
    }
    const old = r.workloads.get(`ReplicaSet/default/${oldRs}`)!;
    expect(old.replicas).toBe(0);
    expect(old.meta.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    expect(old.meta.annotations['deployment.kubernetes.io/revision']).toBe('1');
    // The rolling update as the deployment controller records it (maxSurge 1, maxUnavailable 0 for 3 replicas).
    const scaling = (r.events ?? []).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    expect(scaling).toEqual([
      `Scaled up replica set ${newRs} to 1`,
      `Scaled down replica set ${oldRs} to 2 from 3`,
      `Scaled up replica set ${newRs} to 2 from 1`,
      `Scaled down replica set ${oldRs} to 1 from 2`,
      `Scaled up replica set ${newRs} to 3 from 2`,
      `Scaled down replica set ${oldRs} to 0 from 1`,
    ]);
    expect((r.events ?? []).filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject.name === newRs)).toHaveLength(3);
    expect((r.events ?? []).filter((e) => e.reason === 'SuccessfulDelete' && e.involvedObject.name === oldRs)).toHaveLength(3);
    expectEndpointsFollow(r);
    // A reload keeps the new ReplicaSet's pods and the old ReplicaSet at 0.
    const again = load('flannel', scenarioYaml(r));
    expect(podsOf(again, newRs).sort()).toEqual([...now].sort());
    expect(again.workloads.get(`ReplicaSet/default/${oldRs}`)?.replicas).toBe(0);
    expect(again.workloads.get('Deployment/default/web')?.templateHash).toBe(d.templateHash);
  });

  it('a second restart at the same time changes nothing; a later one rolls again', () => {
    const c = { ...load(), now: 300 };
    const r = must(rolloutRestart(c, 'Deployment', 'default', 'web'));
    expect(must(rolloutRestart(r, 'Deployment', 'default', 'web'))).toBe(r);
    const later = must(rolloutRestart({ ...r, now: 400 }, 'Deployment', 'default', 'web'));
    expect(currentRs(later)).not.toBe(currentRs(r));
    expect(later.workloads.get('Deployment/default/web')!.meta.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(podsOf(later, currentRs(later))).toHaveLength(3);
    expect(later.workloads.get(`ReplicaSet/default/${currentRs(r)}`)?.replicas).toBe(0);
  });

  it('Recreate scales the old ReplicaSet to 0 first', () => {
    const c = { ...load('flannel', yaml().replace('  replicas: 3\n', '  replicas: 3\n  strategy: {type: Recreate}\n')), now: 60 };
    const oldRs = currentRs(c);
    const r = must(rolloutRestart(c, 'Deployment', 'default', 'web'));
    const scaling = (r.events ?? []).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    expect(scaling).toEqual([`Scaled down replica set ${oldRs} to 0 from 3`, `Scaled up replica set ${currentRs(r)} to 3`]);
  });

  it('DaemonSet: each node gets a new pod with the next pod-template-generation', () => {
    const c = { ...load(), now: 120 };
    const before = podsOf(c, 'kube-proxy', 'kube-system');
    const r = must(rolloutRestart(c, 'DaemonSet', 'kube-system', 'kube-proxy'));
    const after = podsOf(r, 'kube-proxy', 'kube-system');
    expect(after).toHaveLength(before.length);
    for (const p of before) expect(after).not.toContain(p);
    const nodes = after.map((p) => r.pods.get(`kube-system/${p}`)!.nodeName).sort();
    expect(nodes).toEqual(before.map((p) => c.pods.get(`kube-system/${p}`)!.nodeName).sort());
    for (const p of after) expect(r.pods.get(`kube-system/${p}`)!.meta.labels['pod-template-generation']).toBe('2');
  });

  it('new pods that cannot be scheduled stall the rollout with the old pods kept; an uncordon lets it finish', () => {
    let c = { ...load(), now: 300 };
    for (const n of ['worker-1', 'worker-2']) c = must(cordonNode(c, n, true));
    const oldRs = currentRs(c);
    const oldPods = podsOf(c, oldRs);
    const stalled = must(rolloutRestart(c, 'Deployment', 'default', 'web'));
    const newRs = currentRs(stalled);
    // maxSurge 25% of 3 → 1, maxUnavailable 25% of 3 → 0: one new pod, Pending, and not available.
    const fresh = podsOf(stalled, newRs);
    expect(fresh).toHaveLength(1);
    expect(stalled.pods.get(`default/${fresh[0]}`)!.phase).toBe('Pending');
    expect(podsOf(stalled, oldRs).sort()).toEqual([...oldPods].sort());
    expect(stalled.workloads.get(`ReplicaSet/default/${oldRs}`)!.replicas).toBe(3);
    const scaling = (x: typeof c) => (x.events ?? []).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
    expect(scaling(stalled)).toEqual([`Scaled up replica set ${newRs} to 1`]);
    expectEndpointsFollow(stalled);
    // Deleting the Pending pod: the ReplicaSet controller makes another, still Pending; the old pods stay.
    const again = must(deletePod(stalled, 'default', fresh[0]));
    expect(podsOf(again, newRs)).toHaveLength(1);
    expect(podsOf(again, oldRs)).toHaveLength(3);
    // The stall survives a save and reload.
    const reloaded = load('flannel', scenarioYaml(again));
    expect(podsOf(reloaded, oldRs)).toHaveLength(3);
    expect(reloaded.workloads.get(`ReplicaSet/default/${oldRs}`)!.replicas).toBe(3);
    // Uncordon: the new pod is scheduled, becomes available, and the rollout runs to its end.
    const done = must(cordonNode(again, 'worker-1', false));
    expect(podsOf(done, oldRs)).toEqual([]);
    expect(podsOf(done, newRs)).toHaveLength(3);
    for (const p of podsOf(done, newRs)) expect(done.pods.get(`default/${p}`)!.phase).toBe('Running');
    expect(done.workloads.get(`ReplicaSet/default/${oldRs}`)!.replicas).toBe(0);
    expect(scaling(done).slice(1)).toEqual([
      `Scaled down replica set ${oldRs} to 2 from 3`,
      `Scaled up replica set ${newRs} to 2 from 1`,
      `Scaled down replica set ${oldRs} to 1 from 2`,
      `Scaled up replica set ${newRs} to 3 from 2`,
      `Scaled down replica set ${oldRs} to 0 from 1`,
    ]);
    expectEndpointsFollow(done);
  });

  it('maxUnavailable lets old pods go while new ones wait; scaling the Deployment down ends the stall', () => {
    const four = yaml().replace('  replicas: 3\n', '  replicas: 4\n');
    let c = { ...load('flannel', four), now: 300 };
    for (const n of ['worker-1', 'worker-2']) c = must(cordonNode(c, n, true));
    const oldRs = currentRs(c);
    const r = must(rolloutRestart(c, 'Deployment', 'default', 'web'));
    // 4 replicas: maxSurge 1, maxUnavailable 1 → new RS 2 (both Pending), old RS 3 (one available pod gone).
    expect(podsOf(r, currentRs(r))).toHaveLength(2);
    expect(podsOf(r, oldRs)).toHaveLength(3);
    expect(r.workloads.get(`ReplicaSet/default/${oldRs}`)!.replicas).toBe(3);
    const down = must(scaleWorkload(r, 'default', 'web', 0));
    expect(podsOf(down, oldRs)).toEqual([]);
    expect(podsOf(down, currentRs(down))).toEqual([]);
    expect(down.workloads.get(`ReplicaSet/default/${oldRs}`)!.replicas).toBe(0);
  });

  it("refuses what kubectl refuses", () => {
    const r = rolloutRestart(load(), 'Deployment', 'default', 'nope');
    expect(r.ok || r.errors[0].message).toBe('Error from server (NotFound): deployments.apps "nope" not found');
  });
});
