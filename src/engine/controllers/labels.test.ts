import { PVec } from '../util/persistent';
import { describe, expect, it } from 'vitest';
import { loadCluster } from '../index';
import { scenarioYaml } from '../scenario/serialize';
import { serviceInfoOf, servicesOf } from '../services/table';
import { setAnnotations, setLabels } from './labels';
import { scaleWorkload } from './workloads';
import { deletePod } from './pods';
import { currentRs, expectEndpointsFollow, load, must, podsOf } from './testCluster';

describe('label: selectors re-evaluate at once', () => {
  it('a pod relabelled out of its ReplicaSet is released and replaced; the Service drops it', () => {
    const c = load();
    const rs = currentRs(c);
    const [first] = podsOf(c, rs);
    const pod = c.pods.get(`default/${first}`)!;
    const r = must(setLabels(c, 'pod', 'default', first, { app: 'debug', 'pod-template-hash': pod.meta.labels['pod-template-hash'] }));
    const released = r.pods.get(`default/${first}`)!;
    expect(released.meta.ownerReferences).toBeUndefined();
    expect(released.attachment?.ip).toBe(pod.attachment?.ip);
    const mine = podsOf(r, rs);
    expect(mine).toHaveLength(3);
    expect(mine).not.toContain(first);
    const created = (r.events ?? []).filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject.name === rs);
    expect(created.map((e) => e.message)).toEqual([`Created pod: ${mine.find((n) => !podsOf(c, rs).includes(n))}`]);
    expectEndpointsFollow(r);
    expect(servicesOf(r).byName.get('default/web')!.endpoints.map((e) => e.pod?.name)).not.toContain(first);
  });

  it('an orphan relabelled into a ReplicaSet is adopted and the surplus pod deleted', () => {
    const c = load();
    const rs = currentRs(c);
    const hash = c.workloads.get('Deployment/default/web')!.templateHash!;
    const r = must(setLabels(c, 'pod', 'default', 'client', { app: 'web', 'pod-template-hash': hash }));
    expect(r.pods.get('default/client')?.meta.ownerReferences?.[0]).toMatchObject({ kind: 'ReplicaSet', name: rs, controller: true });
    expect(podsOf(r, rs)).toHaveLength(3);
    expect((r.events ?? []).filter((e) => e.reason === 'SuccessfulDelete' && e.involvedObject.name === rs)).toHaveLength(1);
    expect((r.events ?? []).some((e) => e.reason === 'Killing')).toBe(true);
    expectEndpointsFollow(r);
  });

  it('a label on a pod no selector cares about changes only the label; the Service now selects a relabelled pod', () => {
    const c = load();
    const r = must(setLabels(c, 'pod', 'default', 'client', { app: 'client', tier: 'test' }));
    expect([...r.pods.keys()]).toEqual([...c.pods.keys()]);
    const r2 = must(setLabels(c, 'pod', 'default', 'client', { app: 'web' }));
    expect(servicesOf(r2).byName.get('default/web')!.endpoints.map((e) => e.pod?.name)).toContain('client');
    expectEndpointsFollow(r2);
  });
});

describe('scale and delete react fully', () => {
  it('scale records the deployment controller and ReplicaSet events; endpoints follow', () => {
    const c = load();
    const rs = currentRs(c);
    const up = must(scaleWorkload(c, 'default', 'web', 5));
    expect(podsOf(up, rs)).toHaveLength(5);
    expect((up.events ?? []).find((e) => e.reason === 'ScalingReplicaSet')?.message).toBe(`Scaled up replica set ${rs} to 5 from 3`);
    expect((up.events ?? []).filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(2);
    expectEndpointsFollow(up);
    const down = must(scaleWorkload(up, 'default', 'web', 1));
    expect(podsOf(down, rs)).toHaveLength(1);
    expect((down.events ?? []).filter((e) => e.reason === 'ScalingReplicaSet').at(-1)?.message).toBe(`Scaled down replica set ${rs} to 1 from 5`);
    expect((down.events ?? []).filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(4);
    expectEndpointsFollow(down);
  });

  it('delete: the kubelet stops the containers, the ReplicaSet creates a replacement', () => {
    const c = load();
    const rs = currentRs(c);
    const [first] = podsOf(c, rs);
    const r = must(deletePod(c, 'default', first));
    const events = (r.events ?? []).slice((c.events ?? []).length);
    expect(events.map((e) => `${e.reason} ${e.source.component}: ${e.message}`)).toEqual([
      'Killing kubelet: Stopping container nginx',
      `SuccessfulCreate replicaset-controller: Created pod: ${podsOf(r, rs).find((n) => !podsOf(c, rs).includes(n))}`,
      expect.stringMatching(/^Scheduled default-scheduler: Successfully assigned default\/web-\w+-\w{5} to worker-\d$/),
    ]);
    expectEndpointsFollow(r);
  });
});

describe('annotate', () => {
  it('replaces annotations of pods, workloads and Services, and the YAML keeps them', () => {
    let c = load();
    c = must(setAnnotations(c, 'pod', 'default', 'client', { note: 'hello' }));
    c = must(setAnnotations(c, 'deploy', 'default', 'web', { team: 'a' }));
    c = must(setAnnotations(c, 'svc', 'default', 'web', { 'service.beta.kubernetes.io/x': 'y' }));
    expect(c.pods.get('default/client')!.meta.annotations).toEqual({ note: 'hello' });
    const again = load('flannel', scenarioYaml(c));
    expect(again.pods.get('default/client')!.meta.annotations).toEqual({ note: 'hello' });
    expect(again.workloads.get('Deployment/default/web')!.meta.annotations).toMatchObject({ team: 'a' });
    expect(again.objects.get('Service/default/web')!.meta.annotations).toEqual({ 'service.beta.kubernetes.io/x': 'y' });
    const r = setAnnotations(c, 'pod', 'default', 'nope', {});
    expect(r.ok || r.errors[0].message).toBe('Error from server (NotFound): pods "nope" not found');
  });
});

describe('events across commands', () => {
  it('recording with the index handed from the previous command gives what a rebuilt index gives', () => {
    let handed = load();
    let rebuilt = handed;
    for (let i = 0; i < 14; i++) {
      const victim = podsOf(handed, currentRs(handed))[0];
      handed = must(deletePod(handed, 'default', victim));
      // A copy of the events array has no handed index: its recorder builds one.
      rebuilt = must(deletePod({ ...rebuilt, events: PVec.from(rebuilt.events ?? []) }, 'default', victim));
    }
    expect(handed.events?.toArray()).toEqual(rebuilt.events?.toArray());
    expect((handed.events ?? []).some((e) => e.message.startsWith('(combined from similar events): Created pod: '))).toBe(true);
  });
});

describe('the EndpointSlice controller follows each command without re-reading every pod', () => {
  it('a pod index handed from command to command selects what a fresh one selects', () => {
    let c = load();
    servicesOf(c);
    const fresh = (x: typeof c) => servicesOf({ ...x }).byName.get('default/web')!.endpoints;
    const steps = [
      (x: typeof c) => must(deletePod(x, 'default', podsOf(x, currentRs(x))[0])),
      (x: typeof c) => must(setLabels(x, 'pod', 'default', 'client', { app: 'web' })),
      (x: typeof c) => must(scaleWorkload(x, 'default', 'web', 5)),
      (x: typeof c) => must(setLabels(x, 'pod', 'default', podsOf(x, currentRs(x))[0], { app: 'gone' })),
      (x: typeof c) => must(scaleWorkload(x, 'default', 'web', 2)),
    ];
    for (const step of steps) {
      c = step(c);
      expect(serviceInfoOf(c, 'default', 'web')!.endpoints).toEqual(fresh(c));
      expectEndpointsFollow(c);
    }
  });
});

describe('labelling a node', () => {
  it('schedules a Pending pod whose nodeSelector the new label matches (the scheduler requeues on a Node update)', () => {
    const yaml = [
      'apiVersion: v1\nkind: Node\nmetadata:\n  name: a\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ssd\nspec:\n  nodeSelector: {disktype: ssd}\n  containers: [{name: c, image: busybox}]\n',
    ].join('---\n');
    const loaded = loadCluster([{ name: 'x.yaml', text: yaml }]);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const before = loaded.value.pods.get('default/ssd')!;
    expect(before.phase).toBe('Pending');
    expect(before.nodeName).toBe('');
    const node = loaded.value.nodes.find((n) => n.meta.name === 'a')!;
    const r = setLabels(loaded.value, 'node', '', 'a', { ...node.meta.labels, disktype: 'ssd' });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const after = r.value.pods.get('default/ssd')!;
    expect(after.nodeName).toBe('a');
    expect(after.phase).toBe('Running');
    expect(after.attachment).toBeDefined();
  });
});
