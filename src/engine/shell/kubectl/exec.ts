/**
 * `kubectl exec POD [-c C] -- CMD`: the command runs in the pod's container with the image's
 * tools; a shell with `-it` enters the pod. Errors are the API server's and the runtime's words.
 */
import { sha256Hex } from '../../util/hash';
import { findPod } from '../files';
import { commandsFor, quote, toolsetOf } from '../places';
import { fail, out, type Ctx, type Out, type Place } from '../types';
import { namespaceOf, str, type Parsed } from './args';
import { resolveResource, SINGULAR } from './get';
import { listObjects, OBJECT_RESOURCE } from './kinds';
import { readSelector, selectorMatches } from '../../model/labelSelector';
import { createdAt } from '../time';

export function podPlace(ctx: Ctx, namespace: string, name: string, container?: string): Place | Out {
  const pod = findPod(ctx.session.cluster, namespace, name);
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`);
  const c = container ? pod.containers.find((x) => x.name === container) : pod.containers[0];
  if (!c) return fail(`Error from server (BadRequest): container ${container} is not valid for pod ${name}`);
  if (pod.phase !== 'Running') return fail(`error: unable to upgrade connection: container not found ("${c.name}")`);
  return { kind: 'pod', namespace, name, container: c.name, tools: toolsetOf(c.image) };
}


export const SHELLS = /^(\/bin\/|\/usr\/bin\/)?(sh|bash|ash|zsh)$/;

/** Run an exec'd command in the pod (no shell unless the command is one). */
export function execIn(ctx: Ctx, place: Place, command: string[], interactive: boolean): Out {
  const bin = command[0].replace(/^\/(usr\/)?s?bin\//, '');
  if (SHELLS.test(command[0]) && command.length === 1) {
    if (interactive) ctx.session.places.push(place);
    return out();
  }
  if (!commandsFor(ctx.session, place)[bin]) {
    const id = sha256Hex(`exec:${command.join(' ')}`);
    return fail(`error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${id}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown`);
  }
  const r = ctx.runIn(place, command.map(quote).join(' '), ctx.stdin);
  if (r.status !== 0) return { ...r, stderr: r.stderr + `command terminated with exit code ${r.status}\n` };
  return r;
}

/**
 * `pod/x`, `deploy/x`, `ds/x`, `rs/x`, `svc/x`: the pod kubectl attaches to (polymorphichelpers
 * AttachablePodForObject: the controller's or Service's pods, running and ready first, then the oldest).
 */
export function podOfObject(ctx: Ctx, namespace: string, ref: string): string | Out {
  const [word, name] = [ref.slice(0, ref.indexOf('/')), ref.slice(ref.indexOf('/') + 1)];
  const kind = resolveResource(word);
  if (!kind) return fail(`error: the server doesn't have a resource type "${word}"`);
  if (kind === 'pods') return name;
  const cluster = ctx.session.cluster;
  const attachable = kind === 'deployments' || kind === 'replicasets' || kind === 'daemonsets' || kind === 'services';
  // Other kinds have no pod selector: AttachablePodForObject → SelectorsForObject's error, with
  // Go's %T of the object (polymorphichelpers/attachablepodforobject.go, helpers.go).
  if (!attachable) return fail(`error: cannot attach to *v1.${goKind(SINGULAR[kind])}: selector for *v1.${goKind(SINGULAR[kind])} not implemented`);
  const item = listObjects(cluster, kind, namespace).find((o) => o.name === name);
  if (!item) return fail(`Error from server (NotFound): ${OBJECT_RESOURCE[kind]} "${name}" not found`);
  const spec = (item.json() as { spec?: { selector?: unknown } }).spec ?? {};
  const sel = kind === 'services' ? { matchLabels: spec.selector as Record<string, string> } : spec.selector;
  const selector = readSelector(sel);
  const pods = [...cluster.pods.values()].filter((x) => (x.meta.namespace ?? 'default') === namespace && Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) > 0 && selectorMatches(selector, x.meta.labels));
  // podutils.ByLogging over the API server's list (by name): running, ready, older first.
  pods.sort((a, b) => Number(b.phase === 'Running') - Number(a.phase === 'Running') || Number(b.ready) - Number(a.ready) || createdAt(a.meta) - createdAt(b.meta) || (a.meta.name < b.meta.name ? -1 : a.meta.name > b.meta.name ? 1 : 0));
  if (!pods.length) return fail(`error: unable to upgrade connection: pod not found`);
  return pods[0].meta.name;
}

export function cmdExec(p: Parsed, ctx: Ctx): Out {
  const ns = namespaceOf(p);
  let name = p.positional[0];
  if (!name) return fail("error: you must specify at least one command for the container");
  if (name.includes('/')) {
    const pod = podOfObject(ctx, namespaceOf(p), name);
    if (typeof pod !== 'string') return pod;
    name = pod;
  }
  if (!p.command.length) {
    if (p.positional.length > 1) return fail(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`);
    return fail('error: you must specify at least one command for the container');
  }
  const place = podPlace(ctx, ns, name, str(p.flags.container));
  if ('status' in place) return place;
  return execIn(ctx, place, p.command, p.flags.stdin === true);
}


/** The Go type name of a core kind from kubectl's singular resource name (configmap → ConfigMap). */
function goKind(singular: string): string {
  const special: Record<string, string> = { configmap: 'ConfigMap', networkpolicy: 'NetworkPolicy', endpointslice: 'EndpointSlice', endpoints: 'Endpoints', ingressclass: 'IngressClass' };
  const bare = singular.split('.')[0];
  return special[bare] ?? bare.charAt(0).toUpperCase() + bare.slice(1);
}
