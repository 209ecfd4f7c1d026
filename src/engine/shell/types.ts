/**
 * The shell's shared types: where a command runs (a `Place`), the session it changes, and the
 * contract of a command handler (args and stdin in, stdout/stderr/status out).
 */
import type { Cluster } from '../model/cluster';
import type { NetState } from '../apps/state';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';

/** One write to stdout (1) or stderr (2). */
export type Chunk = readonly [1 | 2, string];

export interface Out {
  stdout: string;
  stderr: string;
  status: number;
  /**
   * The writes in the order they were made, when they interleave (a list `a; b` whose commands
   * both print, curl -v around the body). Absent: all of stdout, then all of stderr.
   */
  chunks?: Chunk[];
}

/**
 * The writes of an Out in order: its `chunks` when they still add up to its stdout and stderr
 * (a handler that rebuilt the Out from parts may have left stale ones), else stdout then stderr.
 */
export function chunksOf(o: Pick<Out, 'stdout' | 'stderr' | 'chunks'>): Chunk[] {
  if (o.chunks) {
    let stdout = '';
    let stderr = '';
    for (const [fd, t] of o.chunks) {
      if (fd === 1) stdout += t;
      else stderr += t;
    }
    if (stdout === o.stdout && stderr === o.stderr) return o.chunks.filter(([, t]) => t !== '');
  }
  const l: Chunk[] = [];
  if (o.stdout) l.push([1, o.stdout]);
  if (o.stderr) l.push([2, o.stderr]);
  return l;
}

export const out = (stdout = '', stderr = '', status = 0): Out => ({ stdout, stderr, status });
export const fail = (stderr: string, status = 1): Out => ({ stdout: '', stderr: stderr.endsWith('\n') || stderr === '' ? stderr : stderr + '\n', status });
export const text = (lines: string[] | string): Out => {
  const s = Array.isArray(lines) ? (lines.length ? lines.join('\n') + '\n' : '') : lines;
  return { stdout: s, stderr: '', status: 0 };
};

/** Which tools an image ships: busybox applets, a bare Debian (no iproute2/ping), or a tool image (netshoot). */
export type Toolset = 'busybox' | 'debian' | 'full';

export type Place = (
  | { kind: 'host' }
  | {
      kind: 'pod';
      namespace: string;
      name: string;
      container: string;
      tools: Toolset;
      /** `kubectl run --rm`: delete the pod when the session leaves it. */
      rmOnExit?: boolean;
    }
  | {
      kind: 'node';
      node: string;
      /** ssh (root), minikube ssh (docker user), or a `kubectl debug node/…` container (chroot-less). */
      via: 'ssh' | 'minikube' | 'debug';
    }
  /** `nsenter -t PID -n` without a command: a shell in the pod's network namespace, on the node. */
  | { kind: 'netns'; node: string; namespace: string; name: string }
) & {
  /** The shell's working directory after `cd` (absent: where the shell started, files.ts homeOf). */
  cwd?: string;
  /** The directory before the last `cd` (`cd -`, $OLDPWD). */
  oldCwd?: string;
};

export type OpResult = { ok: true; cluster: Cluster } | { ok: false; error: string };

/** Cluster operations the shell needs from the engine (controllers/commands.ts); injectable for tests. */
export interface ClusterOps {
  addPod?(cluster: Cluster, manifest: Record<string, unknown>): { ok: true; cluster: Cluster } | { ok: false; error: string };
  deletePod?(cluster: Cluster, namespace: string, name: string): { ok: true; cluster: Cluster } | { ok: false; error: string };
  /** `kubectl delete KIND NAME` for objects kept whole (NetworkPolicy, ...). */
  deleteObject?(cluster: Cluster, kind: string, namespace: string, name: string): { ok: true; cluster: Cluster } | { ok: false; error: string };
  /** `kubectl delete namespace NAME`: the namespace and everything in it. */
  deleteNamespace?(cluster: Cluster, name: string): OpResult;
  /** `kubectl delete deployment|replicaset|daemonset NAME`: the workload and the pods it owns. */
  deleteWorkload?(cluster: Cluster, kind: 'Deployment' | 'ReplicaSet' | 'DaemonSet', namespace: string, name: string): OpResult;
  /** `kubectl scale`: a Deployment's or ReplicaSet's replicas. */
  scaleWorkload?(cluster: Cluster, namespace: string, name: string, replicas: number): OpResult;
  /** `kubectl label`: the object's labels replaced by `labels` (kind as kubectl names it: pod, node, deployment …). */
  setLabels?(cluster: Cluster, kind: string, namespace: string, name: string, labels: Record<string, string>): OpResult;
  /** `kubectl annotate`: the object's annotations replaced by `annotations`. */
  setAnnotations?(cluster: Cluster, kind: string, namespace: string, name: string, annotations: Record<string, string>): OpResult;
  /** `kubectl rollout restart`. */
  rolloutRestart?(cluster: Cluster, kind: 'Deployment' | 'DaemonSet', namespace: string, name: string): OpResult;
  /** `kubectl cordon` (true) / `uncordon` (false). */
  cordonNode?(cluster: Cluster, name: string, unschedulable: boolean): OpResult;
  /**
   * `kubectl drain`: cordon, then evict as kubectl's filters allow (controllers/nodes.ts); the pods
   * evicted and the DaemonSet pods left, as namespace/name, and kubectl's warnings. A refusal's error
   * holds one `cannot delete …` line per filter message.
   */
  drainNode?(
    cluster: Cluster,
    name: string,
    options: { ignoreDaemonSets?: boolean; deleteEmptyDirData?: boolean; force?: boolean },
  ): { ok: true; cluster: Cluster; evicted: string[]; ignoredDaemonSetPods: string[]; warnings?: string[] } | { ok: false; error: string };
  applyManifests?(
    cluster: Cluster,
    text: string,
    file: string,
  ): { ok: true; cluster: Cluster; results: { kind: string; name: string; namespace?: string; action: 'created' | 'configured' | 'unchanged' }[] } | { ok: false; error: string };
}

export interface ShellOptions {
  cluster: Cluster;
  /** Files for `kubectl apply -f FILE` (CLI: the real filesystem, app: the scenario editor). */
  readFile?: (path: string) => string | undefined;
  /**
   * The scenario files the learner loaded, by name (app: `scenario.yaml`, the YAML view as it is
   * now; CLI: the `-f` files): the simulated workstation keeps them in the user's home, so `cat`,
   * `ls` and `grep` find them there as on the machine the scenario came from.
   */
  workstationFiles?: () => Record<string, string>;
  /** Packet tracer (trace/trace.ts); without it ping and traceroute report the network unreachable. */
  trace?: (cluster: Cluster, req: TraceRequest) => TraceResult;
  ops?: ClusterOps;
  /** traceroute's probes, one per TTL (trace/tracer.ts `traceroute`); without it traceroute reports the network unreachable. */
  traceroute?: (cluster: Cluster, from: string, to: string, opts: { size?: number }) => { ttl: number; address: string | null }[];
}

/** One line the user ran (what a lesson's `command` check reads): where it started, its exit status and output. */
export interface CommandRecord {
  line: string;
  status: number;
  stdout?: string;
  /** `host`, `pod NS/NAME` or `node NAME` (a node shell, or a pod's namespace entered with nsenter on it). */
  place?: string;
}

export interface Session {
  cluster: Cluster;
  /** Innermost last; the first entry is always the host. */
  places: Place[];
  history: string[];
  /** Every line run, with its status and output, oldest first (lessons' `command` checks, submissions). */
  commands: CommandRecord[];
  /**
   * The packet traces the lines asked for (ping, curl, wget, nc, traceroute; not the resolver's DNS
   * queries, which follow from them), oldest first: what a lesson's `trace: {last: true}` re-runs.
   */
  traceRequests: TraceRequest[];
  env: Record<string, string>;
  lastStatus: number;
  traces: TraceResult[];
  /** Every trace of the session with the simulated time it ran (what `hubble observe` lists). */
  flowLog?: { at: number; trace: TraceResult }[];
  /** Set by `clear`; the host clears its screen. */
  cleared: boolean;
  options: ShellOptions;
  /** What simulated applications logged for this session's traffic (apps/state.ts); created on first use. */
  apps?: NetState;
}

export interface Ctx {
  session: Session;
  place: Place;
  stdin: string;
  /** stdout is the terminal (last command of a pipeline): `ls` prints columns then. */
  tty: boolean;
  /** Run a line in a place (for `sh -c`, `kubectl exec`, `$(…)`). */
  runIn(place: Place, line: string, stdin?: string): Out;
}

export type Handler = (args: string[], ctx: Ctx) => Out;
