/**
 * `kubectl label` and `kubectl annotate` (k8s.io/kubectl/pkg/cmd/label, annotate): `KIND NAME` or
 * `KIND/NAME` (or `-l SELECTOR` / `--all`) then `key=value` and `key-` arguments. kubectl's rules:
 * a key that already has another value needs `--overwrite` ("'k' already has a value (v), and
 * --overwrite is false"); removing a missing key prints `label "k" not found.`; the result is
 * `kind/name labeled|unlabeled|not labeled` (updateDataChangeMsg) or `kind/name annotated`. The new
 * map goes to the engine (setLabels / setAnnotations), so selectors re-evaluate at once.
 */
import { fail, out, type Ctx, type OpResult, type Out } from '../types';
import { apiError, getFlags, resourceArgs, type Parsed } from './args';
import { select, SINGULAR, type ResourceKind } from './get';
import { nodeLabels } from './objects';

/** The engine's kind names for setLabels/setAnnotations. */
const ENGINE_KIND: Partial<Record<ResourceKind, string>> = {
  pods: 'Pod', nodes: 'Node', namespaces: 'Namespace', deployments: 'Deployment', replicasets: 'ReplicaSet', daemonsets: 'DaemonSet', services: 'Service', configmaps: 'ConfigMap',
};

interface Change {
  set: Record<string, string>;
  remove: string[];
}

/** parseLabels / parseAnnotations: `k=v` sets, `k-` removes; anything else is an invalid spec. */
function parseChanges(words: string[], what: 'label' | 'annotation'): Change | string {
  const c: Change = { set: {}, remove: [] };
  for (const w of words) {
    if (w.includes('=')) {
      const eq = w.indexOf('=');
      const k = w.slice(0, eq);
      if (!k) return `error: invalid ${what} spec: ${w}`;
      c.set[k] = w.slice(eq + 1);
    } else if (w.endsWith('-') && w.length > 1) c.remove.push(w.slice(0, -1));
    else return `error: invalid ${what} spec: ${w}`;
  }
  if (!Object.keys(c.set).length && !c.remove.length) return `error: at least one ${what} update is required`;
  for (const k of c.remove) if (k in c.set) return `error: can not both modify and remove ${what === 'label' ? 'a label' : 'an annotation'} in the same command`;
  return c;
}

/** The object's own labels/annotations (for a node: what it shows, kubelet's included). */
function currentOf(kind: ResourceKind, rec: { meta: { labels: Record<string, string>; annotations: Record<string, string> } }, field: 'labels' | 'annotations'): Record<string, string> {
  if (field === 'labels' && kind === 'nodes') return nodeLabels(rec as Parameters<typeof nodeLabels>[0]);
  return { ...rec.meta[field] };
}

export function labelOrAnnotate(p: Parsed, ctx: Ctx, field: 'labels' | 'annotations'): Out {
  const verb = field === 'labels' ? 'label' : 'annotate';
  const what = field === 'labels' ? 'label' : 'annotation';
  // Resource words come first; the first `k=v` / `k-` starts the changes.
  const firstChange = p.positional.findIndex((w, i) => i > 0 && (w.includes('=') || /.-$/.test(w)));
  const resourceWords = firstChange < 0 ? p.positional : p.positional.slice(0, firstChange);
  const changeWords = firstChange < 0 ? [] : p.positional.slice(firstChange);
  const changes = parseChanges(changeWords, what);
  if (typeof changes === 'string') return fail(`${changes}\nSee 'kubectl ${verb} -h' for help and examples`);
  const r = resourceArgs(resourceWords, verb);
  if ('status' in r) return r;
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  const cluster = ctx.session.cluster;
  const targets = r.typed ?? r.kinds.flatMap((kind) => r.names.map((name) => ({ kind, name })));
  const items: { kind: ResourceKind; rec: ReturnType<typeof select>['items'][number]['rec'] }[] = [];
  let stderr = '';
  let status = 0;
  if (targets.length) {
    for (const t of targets) {
      const hit = select(cluster, t.kind, { ...f, selector: undefined }, [t.name]);
      if (hit.items[0]) items.push({ kind: t.kind, rec: hit.items[0].rec });
      else {
        stderr += `Error from server (NotFound): ${t.kind === 'deployments' ? 'deployments.apps' : t.kind} "${t.name}" not found\n`;
        status = 1;
      }
    }
  } else if (f.selector || p.flags.all === true) {
    for (const kind of r.kinds) for (const it of select(cluster, kind, f, []).items) items.push({ kind, rec: it.rec });
  } else return fail(`error: resource(s) were provided, but no name was specified\nSee 'kubectl ${verb} -h' for help and examples`);
  const overwrite = p.flags.overwrite === true;
  let stdout = '';
  for (const { kind, rec } of items) {
    const old = currentOf(kind, rec, field);
    if (!overwrite) {
      // validateNoOverwrites: a key with another value needs --overwrite.
      const errs = Object.entries(changes.set).filter(([k, v]) => k in old && old[k] !== v).map(([k]) => `'${k}' already has a value (${old[k]}), and --overwrite is false`);
      if (errs.length) return out(stdout, stderr + `error: ${errs.length > 1 ? `[${errs.join(', ')}]` : errs[0]}\n`, 1);
    }
    const next = { ...old };
    for (const k of changes.remove) {
      if (!(k in next) && field === 'labels') stdout += `label ${JSON.stringify(k)} not found.\n`;
      delete next[k];
    }
    Object.assign(next, changes.set);
    const same = JSON.stringify(Object.entries(old).sort()) === JSON.stringify(Object.entries(next).sort());
    const name = rec.meta.name;
    const label = `${SINGULAR[kind]}/${name}`;
    if (!same) {
      const engineKind = ENGINE_KIND[kind];
      const ns = rec.meta.namespace ?? 'default';
      const ops = ctx.session.options.ops;
      // A node's own labels are what the API holds; kubelet's well-known ones stay as they are.
      const own = kind === 'nodes' && field === 'labels' ? withoutKubeletLabels(next, old, rec.meta.labels) : next;
      const res: OpResult | undefined = !engineKind ? { ok: false, error: `error: ${kind} cannot be ${verb}ed in this simulator` } : field === 'labels' ? ops?.setLabels?.(ctx.session.cluster, engineKind, ns, name, own) : ops?.setAnnotations?.(ctx.session.cluster, engineKind, ns, name, own);
      if (!res) return fail(`error: this simulator session cannot ${verb} objects`);
      if (!res.ok) {
        stderr += apiError(res.error) + '\n';
        status = 1;
        continue;
      }
      ctx.session.cluster = res.cluster;
    }
    if (field === 'annotations') stdout += `${label} annotated\n`;
    else stdout += `${label} ${same ? 'not labeled' : !overwrite && Object.keys(next).length < Object.keys(old).length ? 'unlabeled' : 'labeled'}\n`;
  }
  return out(stdout, stderr, status);
}

/** Keep only the labels the node record holds itself, plus what the command added or changed. */
export function withoutKubeletLabels(next: Record<string, string>, shown: Record<string, string>, own: Record<string, string>): Record<string, string> {
  const r: Record<string, string> = {};
  for (const [k, v] of Object.entries(next)) if (k in own || !(k in shown) || shown[k] !== v) r[k] = v;
  return r;
}

export const cmdLabel = (p: Parsed, ctx: Ctx) => labelOrAnnotate(p, ctx, 'labels');
export const cmdAnnotate = (p: Parsed, ctx: Ctx) => labelOrAnnotate(p, ctx, 'annotations');
