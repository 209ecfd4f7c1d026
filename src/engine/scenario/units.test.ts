import { describe, expect, it } from 'vitest';
import { DEFAULTS } from './clusterConfig';
import { podTemplateHash, safeEncodeString } from './expand';
import { locate } from './locate';
import { makeUid } from './meta';
import { dns1123Label, dns1123Subdomain, DNS1035_LABEL_MSG, dns1035Label } from './messages';
import { readObjects } from './readObjects';
import { schedulePods } from './schedule';
import type { PodDecl } from './types';

describe('messages', () => {
  it('IsDNS1123Label says "must not contain dots" for a valid subdomain', () => {
    expect(dns1123Label('a.b')).toEqual(['must not contain dots']);
    expect(dns1123Label('x'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(dns1123Subdomain('ok.example')).toEqual([]);
    expect(dns1035Label('1abc')).toEqual([DNS1035_LABEL_MSG]);
  });
});

describe('expand', () => {
  it('SafeEncodeString maps decimal digits the way apimachinery does', () => {
    // '0'..'9' are 48..57; alphanums[c % 27]
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
    expect(podTemplateHash({ a: 1, b: 2 })).toBe(podTemplateHash({ b: 2, a: 1 }));
  });
});

describe('meta', () => {
  it('uids are uuid v4 shaped and differ for a recreated object', () => {
    const a = makeUid('Pod', 'default', 'web', '5');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(makeUid('Pod', 'default', 'web', '5')).toBe(a);
    expect(makeUid('Pod', 'default', 'web', '60')).not.toBe(a);
  });
});

describe('locate', () => {
  const files = [{ name: 'f.yaml', text: 'a: 1\n---\nkind: List\nitems:\n- metadata:\n    name: x\n  spec:\n    containers:\n    - {name: c}\n' }];
  it('resolves document, list item and field paths to 1-based positions', () => {
    expect(locate(files, { file: 'f.yaml', doc: 1, path: ['items', 0, 'metadata', 'name'] })).toEqual({ line: 6, column: 5 });
    expect(locate(files, { file: 'f.yaml', doc: 1, path: ['items', 0, 'spec', 'containers', 0, 'name'] })).toEqual({ line: 9, column: 8 });
    // a missing field points at the deepest node that exists
    expect(locate(files, { file: 'f.yaml', doc: 1, path: ['items', 0, 'spec', 'nodeName'] })).toEqual({ line: 7, column: 3 });
    expect(locate(files, { file: 'f.yaml', doc: 0, path: [] })).toEqual({ line: 1, column: 1 });
    expect(locate(files, { file: 'nope', doc: 0, path: [] })).toBeUndefined();
  });
});

describe('schedulePods', () => {
  const p = (name: string, nodeName = '', tolerates = false): PodDecl => ({
    meta: { name, namespace: 'default', labels: {}, annotations: {}, uid: name, creationTimestamp: '0' },
    nodeName,
    hostNetwork: false,
    containers: [],
    phase: 'Running',
    ready: true,
    ...(tolerates ? { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
  });
  const cpTaint = [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }];
  const nodes = [
    { name: 'cp', labels: {}, taints: cpTaint, capacityPods: 110, podCount: 0 },
    { name: 'w1', labels: {}, capacityPods: 2, podCount: 1 },
    { name: 'w2', labels: {}, capacityPods: 110, podCount: 0 },
  ];

  it('fewest pods first, node order breaks ties, pinned pods count when they come; input untouched', () => {
    const pods = [p('a'), p('b', 'w2'), p('c'), p('d'), p('e', '', true)];
    const r = schedulePods(pods, nodes);
    expect(r.map((x) => x.nodeName)).toEqual(['w2', 'w2', 'w1', 'w2', 'cp']);
    expect(r.map((x) => !!x.scheduled)).toEqual([true, false, true, true, true]);
    expect(pods[0].nodeName).toBe('');
  });

  it('pods no node fits stay Pending with FailedScheduling wording (pkg/scheduler/framework/types.go FitError)', () => {
    const r = schedulePods([p('a'), p('b')], [nodes[0], { ...nodes[1], podCount: 2 }]);
    expect(r.map((x) => [x.nodeName, x.phase, x.status])).toEqual(
      Array(2).fill([
        '',
        'Pending',
        {
          display: 'Pending',
          reason: 'Unschedulable',
          message:
            '0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
        },
      ]),
    );
    const none = schedulePods([p('a')], []);
    expect(none[0].status?.message).toBe('no nodes available to schedule pods');
  });
});

describe('readObjects (kubectl apply)', () => {
  const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: [{name: c, image: i}]}';
  const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent}\nspec:\n  selector: {matchLabels: {app: agent}}\n  template:\n    metadata: {labels: {app: agent}}\n    spec: {containers: [{name: c, image: i}]}';

  it('expands workloads with names from the rng and leaves pods unscheduled', () => {
    const ctx = { namespaces: ['shop'], nodes: [{ name: 'cp', labels: {}, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] }, { name: 'w1', labels: {} }] };
    const r = readObjects([{ name: 'a.yaml', text: `${deploy}\n---\n${ds}` }], DEFAULTS, 120, ctx);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const names = r.value.pods.map((x) => x.meta.name);
    expect(names).toHaveLength(3);
    expect(names[0]).toMatch(/^api-[4-9bcdf]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(r.value.pods.slice(0, 2).every((x) => x.nodeName === '' && x.meta.creationTimestamp === '120')).toBe(true);
    // The DaemonSet pod is held to its node by node affinity and bound by the scheduler (daemon/util ReplaceDaemonSetPodNodeNameNodeAffinity).
    expect(r.value.pods[2]).toMatchObject({ nodeName: '', nodeAffinity: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w1'] }] }] });
    expect(r.value.workloads.map((w) => w.replicas)).toEqual([2, 1]);
    // same rng state, same names
    const again = readObjects([{ name: 'a.yaml', text: `${deploy}\n---\n${ds}` }], DEFAULTS, 120, ctx);
    expect(again.ok && again.value.pods.map((x) => x.meta.name)).toEqual(names);
  });

  it('rejects a Cluster document and unknown namespaces', () => {
    const r = readObjects([{ name: 'a.yaml', text: `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: c}\n---\n${deploy}` }], DEFAULTS, 0);
    expect(!r.ok && r.errors.map((e) => [e.line, e.message])).toEqual([
      [2, 'no matches for kind "Cluster" in version "podpath/v1alpha1"'],
      [7, 'namespaces "shop" not found'],
    ]);
  });
});
