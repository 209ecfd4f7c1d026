/**
 * `kubectl cordon|uncordon|drain NODE` (k8s.io/kubectl/pkg/cmd/drain, pkg/drain/filters.go).
 * cordon/uncordon set spec.unschedulable through the engine: `node/x cordoned` or `node/x already
 * cordoned`. drain cordons, then picks the node's pods client-side as kubectl does: mirror (static)
 * pods are skipped; DaemonSet-managed pods stop the drain unless --ignore-daemonsets (then a
 * warning); pods that declare no controller stop it unless --force (then a warning). The engine
 * evicts the rest and their controllers recreate them elsewhere.
 * Lines kubectl writes to its error stream (warnings, `evicting pod …`) are printed in order with
 * the others so the terminal reads as kubectl's does.
 */
import type { PodRec } from '../../model/cluster';
import { fail, out, type Ctx, type Out } from '../types';
import { apiError, getFlags, type Parsed } from './args';
import { select } from './get';

// pkg/drain/filters.go
const DAEMONSET_FATAL = 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)';
const DAEMONSET_WARNING = 'ignoring DaemonSet-managed Pods';
const UNMANAGED_FATAL = 'Pods declare no controller (use --force to override)';
const UNMANAGED_WARNING = 'deleting Pods that declare no controller';

/** `cordon NODE…` / `cordon -l SELECTOR`: the node names. */
function nodeNames(p: Parsed, ctx: Ctx, verb: string): string[] | Out {
  const f = getFlags(p);
  if (typeof f === 'string') return fail(f);
  if (p.positional.length) {
    const words = p.positional.map((w) => w.replace(/^(nodes?|no)\//, ''));
    return words;
  }
  if (f.selector) return select(ctx.session.cluster, 'nodes', f, []).items.map((i) => i.rec.meta.name);
  return fail(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples`);
}

function cordon(ctx: Ctx, name: string, on: boolean): { line: string } | Out {
  const node = ctx.session.cluster.nodes.find((n) => n.meta.name === name);
  if (!node) return fail(`Error from server (NotFound): nodes "${name}" not found`);
  const word = on ? 'cordoned' : 'uncordoned';
  if (!!node.unschedulable === on) return { line: `node/${name} already ${word}\n` };
  const r = ctx.session.options.ops?.cordonNode?.(ctx.session.cluster, name, on);
  if (!r) return fail('error: this simulator session cannot cordon nodes');
  if (!r.ok) return fail(apiError(r.error));
  ctx.session.cluster = r.cluster;
  return { line: `node/${name} ${word}\n` };
}

export function cordonVerb(on: boolean) {
  return (p: Parsed, ctx: Ctx): Out => {
    const names = nodeNames(p, ctx, on ? 'cordon' : 'uncordon');
    if ('status' in names) return names;
    let stdout = '';
    for (const n of names) {
      const r = cordon(ctx, n, on);
      if ('status' in r) return out(stdout, r.stderr, r.status);
      stdout += r.line;
    }
    return out(stdout);
  };
}

const key = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;

export function cmdDrain(p: Parsed, ctx: Ctx): Out {
  const names = nodeNames(p, ctx, 'drain');
  if ('status' in names) return names;
  const ignoreDs = p.flags['ignore-daemonsets'] === true;
  const force = p.flags.force === true;
  let text = '';
  let status = 0;
  const pending: string[] = [];
  let fatal = '';
  for (const name of names) {
    const c = cordon(ctx, name, true);
    if ('status' in c) return out(text + c.stdout, c.stderr, c.status);
    text += c.line;
    // getPodsForDeletion: every pod on the node, filtered.
    // The API server lists them by namespace, then name.
    const pods = [...ctx.session.cluster.pods.values()].filter((x) => x.nodeName === name && x.phase !== 'Succeeded' && x.phase !== 'Failed').sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const ds: string[] = [];
    const unmanaged: string[] = [];
    const evict: string[] = [];
    for (const pod of pods) {
      const owner = pod.meta.ownerReferences?.find((o) => o.controller !== false);
      if (owner?.kind === 'Node') continue; // a mirror pod: the kubelet's static pod
      if (owner?.kind === 'DaemonSet') ds.push(key(pod));
      else if (!owner) {
        unmanaged.push(key(pod));
        evict.push(key(pod));
      } else evict.push(key(pod));
    }
    const errors: string[] = [];
    if (ds.length && !ignoreDs) errors.push(`cannot delete ${DAEMONSET_FATAL}: ${ds.join(', ')}`);
    if (unmanaged.length && !force) errors.push(`cannot delete ${UNMANAGED_FATAL}: ${unmanaged.join(', ')}`);
    if (errors.length) {
      const msg = errors.length > 1 ? `[${errors.join(', ')}]` : errors[0];
      text += `error: unable to drain node "${name}" due to error: ${msg}, continuing command...\n`;
      pending.push(name);
      fatal = msg;
      status = 1;
      continue;
    }
    const warnings: string[] = [];
    if (ds.length) warnings.push(`${DAEMONSET_WARNING}: ${ds.join(', ')}`);
    if (unmanaged.length) warnings.push(`${UNMANAGED_WARNING}: ${unmanaged.join(', ')}`);
    if (warnings.length) text += `Warning: ${warnings.join('; ')}\n`;
    const r = ctx.session.options.ops?.drainNode?.(ctx.session.cluster, name, { ignoreDaemonSets: ignoreDs, deleteEmptyDirData: p.flags['delete-emptydir-data'] === true, force });
    if (!r) return fail('error: this simulator session cannot drain nodes');
    if (!r.ok) return out(text, apiError(r.error) + '\n', 1);
    ctx.session.cluster = r.cluster;
    const evicted = [...r.evicted].sort();
    for (const e of evicted) text += `evicting pod ${e}\n`;
    for (const e of evicted) text += `pod/${e.split('/')[1]} evicted\n`;
    text += `node/${name} drained\n`;
  }
  if (pending.length) return out(text, `There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}${fatal}\n`, status);
  return out(text);
}
