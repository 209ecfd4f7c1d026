/**
 * `kubectl delete pod NAME…` / `delete -f FILE`: through the engine (a controller's pod comes back
 * under a new name); prints `pod "x" deleted` as kubectl does.
 */
import { findPod } from '../files';
import { fail, out, type Ctx, type Out } from '../types';
import { namespaceOf, resourceArgs, str, type Parsed } from './args';
import { kubectlNetpol } from './netpol';

export function cmdDelete(p: Parsed, ctx: Ctx): Out {
  const netpol = kubectlNetpol('delete', p, ctx);
  if (netpol) return netpol;
  const ns = namespaceOf(p);
  const file = str(p.flags.filename);
  let targets: { ns: string; name: string }[] = [];
  if (file) {
    const content = file === '-' ? ctx.stdin : ctx.session.options.readFile?.(file);
    if (content === undefined) return fail(`error: the path "${file}" does not exist`);
    for (const m of content.matchAll(/kind:\s*Pod\b[\s\S]*?metadata:\s*\n((?:[ \t]+.*\n?)*)/g)) {
      const nm = /^\s+name:\s*(\S+)/m.exec(m[1]);
      const nsm = /^\s+namespace:\s*(\S+)/m.exec(m[1]);
      if (nm) targets.push({ ns: nsm?.[1] ?? ns, name: nm[1] });
    }
  } else {
    const r = resourceArgs(p.positional);
    if ('status' in r) return r;
    if (r.kinds.some((k) => k !== 'pods')) return fail(`Error from server (Forbidden): ${r.kinds.find((k) => k !== 'pods')} is forbidden in this simulator`);
    if (!r.names.length) return fail('error: resource(s) were provided, but no name was specified');
    targets = r.names.map((name) => ({ ns, name }));
  }
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const t of targets) {
    if (!findPod(ctx.session.cluster, t.ns, t.name)) {
      stderr += `Error from server (NotFound): pods "${t.name}" not found\n`;
      status = 1;
      continue;
    }
    const del = ctx.session.options.ops?.deletePod?.(ctx.session.cluster, t.ns, t.name);
    if (!del) return fail('error: this simulator session cannot delete pods');
    if (!del.ok) {
      stderr += del.error + '\n';
      status = 1;
      continue;
    }
    ctx.session.cluster = del.cluster;
    stdout += `pod "${t.name}" deleted\n`;
  }
  return out(stdout, stderr, status);
}

