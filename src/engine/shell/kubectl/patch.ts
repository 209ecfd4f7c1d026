/**
 * `kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]` (k8s.io/kubectl/pkg/cmd/patch):
 * the patch (JSON or YAML) is applied to the object as the API server holds it and the result
 * goes through the same edit path as `kubectl apply -f` (Services keep their clusterIP, a new
 * selector moves the EndpointSlices, replicas scale). Pods and Nodes are not kept as manifests:
 * their labels/annotations (and a Node's spec.unschedulable, as `kubectl cordon`) go through the
 * engine's setLabels/setAnnotations/cordonNode; a Pod spec change is the API server's Forbidden,
 * other Node fields are refused. Prints `service/web patched` or `… patched (no change)`
 * (patch.go patchOperation).
 */
import { load } from 'js-yaml';
import type { Cluster } from '../../model/cluster';
import { fail, out, type Ctx, type OpResult, type Out } from '../types';
import { apiError, namespaceOf, str, type Parsed } from './args';
import { resolveResource, SINGULAR, type ResourceKind } from './get';
import { withoutKubeletLabels } from './label';
import { nodeJson, podJson } from './objects';
import { jsonPatch, mergePatch, PatchError, sameJson, strategicMerge, type JsonValue } from './patchDoc';

export type { JsonValue };

/** The engine kind of each patchable resource kept as a manifest. */
const MANIFEST_KIND: Partial<Record<ResourceKind, string>> = {
  services: 'Service', configmaps: 'ConfigMap', deployments: 'Deployment', replicasets: 'ReplicaSet', daemonsets: 'DaemonSet',
};
const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet']);
const NETPOL = /^(networkpolicy|networkpolicies|netpol)(\.networking\.k8s\.io)?$/i;

type Target = { kind: string; label: string; resource?: ResourceKind };

/** `svc/web` or `svc web`: the one object to patch. */
function targetOf(words: string[]): { target: Target; name: string } | Out {
  if (!words.length) return fail(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  const [kindWord, name] = words[0].includes('/') ? [words[0].slice(0, words[0].indexOf('/')), words[0].slice(words[0].indexOf('/') + 1)] : [words[0], words[1]];
  if (NETPOL.test(kindWord)) {
    if (!name) return fail(`error: resource(s) were provided, but no name was specified`);
    return { target: { kind: 'NetworkPolicy', label: 'networkpolicy.networking.k8s.io' }, name };
  }
  const resource = resolveResource(kindWord);
  if (!resource) return fail(`error: the server doesn't have a resource type "${kindWord}"`);
  if (!name) return fail(`error: resource(s) were provided, but no name was specified`);
  const kind = resource === 'pods' ? 'Pod' : resource === 'nodes' ? 'Node' : MANIFEST_KIND[resource];
  if (!kind) return fail(`error: podpath cannot patch ${resource}; it patches services, deployments, replicasets, daemonsets, configmaps, networkpolicies, pods and nodes`);
  return { target: { kind, label: SINGULAR[resource], resource }, name };
}

const NOT_FOUND: Record<string, string> = {
  Pod: 'pods', Node: 'nodes', Service: 'services', ConfigMap: 'configmaps', Deployment: 'deployments.apps', ReplicaSet: 'replicasets.apps', DaemonSet: 'daemonsets.apps', NetworkPolicy: 'networkpolicies.networking.k8s.io',
};

/** The object as the API server holds it (for Services and workloads: the applied manifest). */
function current(cluster: Cluster, kind: string, ns: string, name: string): JsonValue | undefined {
  if (kind === 'Pod') {
    const pod = cluster.pods.get(`${ns}/${name}`);
    return pod ? (podJson(cluster, pod) as JsonValue) : undefined;
  }
  if (kind === 'Node') {
    const node = cluster.nodes.find((n) => n.meta.name === name);
    return node ? (nodeJson(cluster, node) as JsonValue) : undefined;
  }
  if (WORKLOADS.has(kind)) return cluster.workloads.get(`${kind}/${ns}/${name}`)?.manifest as JsonValue | undefined;
  return cluster.objects.get(`${kind}/${ns}/${name}`)?.manifest as JsonValue | undefined;
}

const PATCH_TYPES = ['json', 'merge', 'strategic'];

export function cmdPatch(p: Parsed, ctx: Ctx): Out {
  const text = str(p.flags.patch);
  const file = str(p.flags['patch-file']);
  if (text !== undefined && file !== undefined) return fail('error: cannot specify --patch and --patch-file together');
  const body = file !== undefined ? ctx.session.options.readFile?.(file) : text;
  if (file !== undefined && body === undefined) return fail(`error: unable to read patch file: open ${file}: no such file or directory`);
  if (!body) return fail('error: must specify --patch or --patch-file containing the contents of the patch');
  const type = (str(p.flags.type) ?? 'strategic').toLowerCase();
  if (!PATCH_TYPES.includes(type)) return fail(`error: --type must be one of [${PATCH_TYPES.join(' ')}], not "${str(p.flags.type) ?? ''}"`);
  let patch: JsonValue;
  try {
    // yaml.ToJSON: JSON or YAML.
    patch = load(body) as JsonValue;
  } catch (e) {
    return fail(`error: unable to parse "${body}": yaml: ${(e as { reason?: string }).reason ?? String(e)}`);
  }
  return patchObject(ctx, p.positional, namespaceOf(p), type as PatchType, patch, ['patched', 'patched (no change)']);
}

export type PatchType = 'json' | 'merge' | 'strategic';

/**
 * Patch the object `words` names (`svc/web` or `svc web`) and print `kind/name DONE` (or the
 * no-change word). Shared with `kubectl set` (selector, image), which builds its patch itself.
 */
export function patchObject(ctx: Ctx, words: string[], namespace: string, type: PatchType, patch: JsonValue, done: [string, string]): Out {
  const t = targetOf(words);
  if ('status' in t) return t;
  const { target, name } = t;
  const cluster = ctx.session.cluster;
  const ns = target.kind === 'Node' ? '' : namespace;
  const before = current(cluster, target.kind, ns, name);
  if (before === undefined) return fail(`Error from server (NotFound): ${NOT_FOUND[target.kind] ?? target.kind} "${name}" not found`);
  let after: JsonValue;
  try {
    after = type === 'json' ? jsonPatch(before, patch) : type === 'merge' ? mergePatch(before, patch) : strategicMerge(target.kind, before, patch);
  } catch (e) {
    if (!(e instanceof PatchError)) throw e;
    // A JSON patch that does not apply is the API server's 422; a bad strategic patch its 500.
    if (type === 'json') return fail(`The request is invalid: the server rejected our request due to an error in our request\n${e.message}`);
    return fail(e.message.startsWith('podpath') ? `error: ${e.message}` : `Error from server: ${e.message}`);
  }
  const label = `${target.label}/${name}`;
  if (sameJson(before, after)) return out(`${label} ${done[1]}\n`);
  const bad = identityChange(target.kind, ns, name, before, after);
  if (bad) return fail(bad);
  const res = target.kind === 'Pod' || target.kind === 'Node' ? patchLive(ctx, target.kind, ns, name, before, after) : reapply(ctx, after, label);
  if (!res.ok) return fail(apiError(res.error));
  ctx.session.cluster = res.cluster;
  return out(`${label} ${done[0]}\n`);
}

const meta = (v: JsonValue) => ((v as { metadata?: Record<string, JsonValue> }).metadata ?? {}) as Record<string, JsonValue>;

/** kind, name and namespace are what the request addressed: the API server refuses changing them. */
function identityChange(kind: string, ns: string, name: string, before: JsonValue, after: JsonValue): string | undefined {
  const m = meta(after);
  if (m.name !== name) return `The ${kind} "${name}" is invalid: metadata.name: Invalid value: ${JSON.stringify(m.name ?? '')}: field is immutable`;
  if (ns && (m.namespace ?? ns) !== ns) return `The ${kind} "${name}" is invalid: metadata.namespace: Invalid value: ${JSON.stringify(m.namespace)}: field is immutable`;
  if ((after as { kind?: unknown }).kind !== (before as { kind?: unknown }).kind) return `The ${kind} "${name}" is invalid: kind: Invalid value: ${JSON.stringify((after as { kind?: unknown }).kind ?? '')}: field is immutable`;
  return undefined;
}

/** Services, workloads, NetworkPolicies, ConfigMaps: the patched manifest through `apply`. */
function reapply(ctx: Ctx, after: JsonValue, label: string): OpResult {
  const apply = ctx.session.options.ops?.applyManifests?.(ctx.session.cluster, JSON.stringify(after), label);
  if (!apply) return { ok: false, error: 'error: this simulator session cannot patch objects' };
  return apply.ok ? { ok: true, cluster: apply.cluster } : apply;
}

const strMap = (v: JsonValue | undefined): Record<string, string> => (v && typeof v === 'object' && !Array.isArray(v) ? (Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) as Record<string, string>) : {});

/** Pods and Nodes: labels, annotations and a Node's spec.unschedulable; other changes refused. */
function patchLive(ctx: Ctx, kind: 'Pod' | 'Node', ns: string, name: string, before: JsonValue, after: JsonValue): OpResult {
  const b = before as Record<string, JsonValue>;
  const a = after as Record<string, JsonValue>;
  const bSpec = { ...((b.spec ?? {}) as Record<string, JsonValue>) };
  const aSpec = { ...((a.spec ?? {}) as Record<string, JsonValue>) };
  if (kind === 'Pod' && !sameJson(bSpec, aSpec)) {
    // validation.ValidatePodUpdate (k8s.io/kubernetes/pkg/apis/core/validation).
    return { ok: false, error: `The Pod "${name}" is invalid: spec: Forbidden: pod updates may not change fields other than \`spec.containers[*].image\`,\`spec.initContainers[*].image\`,\`spec.activeDeadlineSeconds\`,\`spec.tolerations\` (only additions to existing tolerations),\`spec.terminationGracePeriodSeconds\` (allow it to be set to 1 if it was previously negative)\nerror: podpath keeps a pod's spec as created; change its Deployment (or delete and re-create the pod) instead` };
  }
  const unschedulable = kind === 'Node' && aSpec.unschedulable !== bSpec.unschedulable ? aSpec.unschedulable === true : undefined;
  delete aSpec.unschedulable;
  delete bSpec.unschedulable;
  if (kind === 'Node' && !sameJson(bSpec, aSpec)) {
    const field = Object.keys({ ...aSpec, ...bSpec }).find((k) => !sameJson(aSpec[k], bSpec[k]));
    return { ok: false, error: `error: podpath does not simulate changing a node's spec.${field}; it patches a node's labels, annotations and spec.unschedulable` };
  }
  const bm = meta(before);
  const am = meta(after);
  const otherMeta = Object.keys({ ...am, ...bm }).find((k) => k !== 'labels' && k !== 'annotations' && !sameJson(am[k], bm[k]));
  if (otherMeta) return { ok: false, error: `error: podpath does not simulate changing metadata.${otherMeta}; it patches labels and annotations` };
  const ops = ctx.session.options.ops;
  let cluster = ctx.session.cluster;
  const step = (r: OpResult | undefined): OpResult => (r ? r : { ok: false, error: 'error: this simulator session cannot patch objects' });
  if (!sameJson(am.labels, bm.labels)) {
    const next = strMap(am.labels);
    const node = kind === 'Node' ? cluster.nodes.find((n) => n.meta.name === name) : undefined;
    const own = node ? withoutKubeletLabels(next, strMap(bm.labels), node.meta.labels) : next;
    const r = step(ops?.setLabels?.(cluster, kind, ns || 'default', name, own));
    if (!r.ok) return r;
    cluster = r.cluster;
  }
  if (!sameJson(am.annotations, bm.annotations)) {
    const r = step(ops?.setAnnotations?.(cluster, kind, ns || 'default', name, strMap(am.annotations)));
    if (!r.ok) return r;
    cluster = r.cluster;
  }
  if (unschedulable !== undefined) {
    const r = step(ops?.cordonNode?.(cluster, name, unschedulable));
    if (!r.ok) return r;
    cluster = r.cluster;
  }
  return { ok: true, cluster };
}
