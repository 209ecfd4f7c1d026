/**
 * Generated command sequences for the controllers' property tests (roundtrip, runtime hand-on):
 * every command the app and kubectl drive, with picks that wrap around what the cluster holds.
 */
import fc from 'fast-check';
import type { Cluster } from '../model/cluster';
import type { Result } from '../model/source';
import * as commands from './commands';

export type Op =
  | { op: 'addPod'; node: number; label: number }
  | { op: 'deletePod'; pick: number }
  | { op: 'movePod'; pick: number; node: number }
  | { op: 'scale'; replicas: number }
  | { op: 'label'; pick: number; label: number }
  | { op: 'annotate'; pick: number; value: number }
  | { op: 'addNode' }
  | { op: 'deleteNode'; node: number }
  | { op: 'cordon'; node: number; on: boolean }
  | { op: 'drain'; node: number }
  | { op: 'restart'; kind: 'Deployment' | 'DaemonSet' }
  | { op: 'tick'; seconds: number };

export const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('addPod' as const), node: fc.nat(5), label: fc.nat(2) }),
  fc.record({ op: fc.constant('deletePod' as const), pick: fc.nat(40) }),
  fc.record({ op: fc.constant('movePod' as const), pick: fc.nat(40), node: fc.nat(5) }),
  fc.record({ op: fc.constant('scale' as const), replicas: fc.nat(6) }),
  fc.record({ op: fc.constant('label' as const), pick: fc.nat(40), label: fc.nat(3) }),
  fc.record({ op: fc.constant('annotate' as const), pick: fc.nat(40), value: fc.nat(3) }),
  fc.record({ op: fc.constant('addNode' as const) }),
  fc.record({ op: fc.constant('deleteNode' as const), node: fc.nat(5) }),
  fc.record({ op: fc.constant('cordon' as const), node: fc.nat(5), on: fc.boolean() }),
  fc.record({ op: fc.constant('drain' as const), node: fc.nat(5) }),
  fc.record({ op: fc.constant('restart' as const), kind: fc.constantFrom('Deployment' as const, 'DaemonSet' as const) }),
  fc.record({ op: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 600 }) }),
);

export const LABELS: Record<string, string>[] = [{ app: 'web' }, { app: 'client' }, { app: 'other', tier: 'x' }, { run: 'p' }];
/** Apply one generated command (new names from `names`); a refusal (kubectl's error) leaves the cluster as it was. */
export function step(c: Cluster, o: Op, names: { n: number }): Cluster {
  const user = [...c.pods.values()].filter((p) => p.meta.namespace === 'default');
  const pod = (i: number) => user[i % Math.max(1, user.length)];
  const node = (i: number) => c.nodes[i % c.nodes.length].meta.name;
  const keep = (r: Result<Cluster>) => (r.ok ? r.value : c);
  switch (o.op) {
    case 'addPod':
      return keep(commands.addPod(c, { metadata: { name: `p${names.n++}`, labels: LABELS[o.label] }, spec: { ...(o.node < 3 ? { nodeName: node(o.node) } : {}), containers: [{ name: 'c', image: 'busybox' }] } }));
    case 'deletePod':
      return pod(o.pick) ? keep(commands.deletePod(c, 'default', pod(o.pick).meta.name)) : c;
    case 'movePod':
      return pod(o.pick) ? keep(commands.movePod(c, 'default', pod(o.pick).meta.name, node(o.node))) : c;
    case 'scale':
      return keep(commands.scaleWorkload(c, 'default', 'web', o.replicas));
    case 'label': {
      const p = pod(o.pick);
      if (!p) return c;
      const hash = p.meta.labels['pod-template-hash'];
      return keep(commands.setLabels(c, 'pod', 'default', p.meta.name, { ...LABELS[o.label], ...(hash && o.label === 0 ? { 'pod-template-hash': hash } : {}) }));
    }
    case 'annotate':
      return pod(o.pick) ? keep(commands.setAnnotations(c, 'pod', 'default', pod(o.pick).meta.name, o.value ? { note: `n${o.value}` } : {})) : c;
    case 'addNode':
      return keep(commands.addNode(c, { name: `worker-${c.nodes.length + names.n++}` }));
    case 'deleteNode':
      return c.nodes.length > 2 && o.node % 3 !== 0 ? keep(commands.deleteNode(c, node(o.node))) : c;
    case 'cordon':
      return keep(commands.cordonNode(c, node(o.node), o.on));
    case 'drain': {
      const r = commands.drainNode(c, node(o.node), { ignoreDaemonSets: true, force: true });
      return r.ok ? r.value.cluster : c;
    }
    case 'restart':
      return keep(commands.rolloutRestart(c, o.kind, o.kind === 'Deployment' ? 'default' : 'kube-system', o.kind === 'Deployment' ? 'web' : 'kube-proxy'));
    case 'tick':
      return { ...c, now: c.now + o.seconds };
  }
}

