/**
 * `kubectl logs POD` / `kubectl logs -l SELECTOR`: a container's startup lines (apps/startupLogs.ts)
 * followed by what it logged for this session's traffic (CoreDNS's log plugin, nginx access
 * lines; apps/state.ts). With a selector kubectl defaults to the last 10 lines of each pod.
 */
import { startupLogs } from '../../apps/startupLogs';
import { netStateOf } from '../../apps/state';
import type { PodRec } from '../../model/cluster';
import { fail, out, type Ctx, type Out } from '../types';
import { selectorMatches } from '../../model/labelSelector';
import { parseSelector } from './selector';

interface LogsFlags {
  namespace: string;
  selector?: string;
  tail?: number;
  container?: string;
  prefix: boolean;
  names: string[];
}

function parse(args: string[]): LogsFlags | string {
  const f: LogsFlags = { namespace: 'default', prefix: false, names: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (long: string) => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : a.length > 2 && !a.startsWith('--') ? a.slice(2) : args[++i]) ?? `error: flag needs an argument: ${long}`;
    if (a === '-n' || a.startsWith('--namespace') || (a.startsWith('-n') && !a.startsWith('--'))) f.namespace = value('--namespace');
    else if (a === '-l' || a.startsWith('--selector') || (a.startsWith('-l') && !a.startsWith('--'))) f.selector = value('--selector');
    else if (a === '-c' || a.startsWith('--container')) f.container = value('--container');
    else if (a.startsWith('--tail')) f.tail = Number(value('--tail'));
    else if (a === '--prefix') f.prefix = true;
    else if (a === '-f' || a === '--follow' || a === '--timestamps' || a.startsWith('--since') || a === '--all-containers') {
      if (a.startsWith('--since') && !a.includes('=')) i++;
    } else if (!a.startsWith('-')) f.names.push(a.replace(/^pods?\//, ''));
  }
  return f;
}

function podLines(ctx: Ctx, pod: PodRec, container?: string): string[] {
  const c = pod.containers.find((x) => x.name === container) ?? pod.containers[0];
  const key = `${pod.meta.namespace ?? 'default'}/${pod.meta.name}`;
  return [...startupLogs(ctx.session.cluster, pod, c), ...(netStateOf(ctx.session).logs[key] ?? [])];
}

export function kubectlLogs(args: string[], ctx: Ctx): Out {
  const f = parse(args);
  if (typeof f === 'string') return fail(f);
  const cluster = ctx.session.cluster;
  let pods: PodRec[];
  if (f.selector !== undefined) {
    const s = parseSelector(f.selector);
    if (!s.ok) return fail(`error: ${s.error}`);
    pods = [...cluster.pods.values()].filter((p) => (p.meta.namespace ?? 'default') === f.namespace && selectorMatches(s.selector, p.meta.labels));
    if (!pods.length) return out('', `No resources found in ${f.namespace} namespace.\n`);
  } else {
    if (!f.names.length) return fail('error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee \'kubectl logs -h\' for help and examples');
    const pod = cluster.pods.get(`${f.namespace}/${f.names[0]}`);
    if (!pod) return fail(`Error from server (NotFound): pods "${f.names[0]}" not found`);
    if (f.container && !pod.containers.some((c) => c.name === f.container)) return fail(`error: container ${f.container} is not valid for pod ${pod.meta.name}`);
    pods = [pod];
  }
  const tail = f.tail ?? (f.selector !== undefined ? 10 : -1);
  let stdout = '';
  for (const pod of pods) {
    let lines = podLines(ctx, pod, f.container);
    if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
    const prefix = f.prefix ? `[pod/${pod.meta.name}/${(pod.containers.find((c) => c.name === f.container) ?? pod.containers[0]).name}] ` : '';
    stdout += lines.map((l) => prefix + l + '\n').join('');
  }
  return out(stdout);
}
