/**
 * kubectl's command line as cobra reads it: flags anywhere before `--` (global ones such as
 * `-n`/`--namespace`/`--context` before the verb too: `kubectl -n kube-system get pods`), short
 * flags combined (`-it`) or with an attached value (`-nkube-system`, `-owide`), `--flag=value`,
 * repeatable flags (`--from-literal`), and everything after `--` kept as the container command.
 * Shared by every verb module; each verb reads the flags it knows.
 */
import { fail, type Out } from '../types';
import { parseSelector } from './selector';
import { parseFieldSelector, resolveResource, type GetFlags, type ResourceKind } from './get';

export interface Parsed {
  positional: string[];
  /** Everything after `--`. */
  command: string[];
  /** Last value of each flag (booleans are `true`). */
  flags: Record<string, string | true>;
  /** Every value of a repeatable flag, in order (`--from-literal a=1 --from-literal b=2`). */
  all: Record<string, string[]>;
  /** Index in the raw arguments of the first positional word (the verb), -1 when none. */
  verbIndex: number;
}

/** Flags that take a value (so `-n ns` consumes `ns`); kubectl's flag sets of the verbs podpath runs. */
const VALUE_FLAGS = new Set([
  'n', 'namespace', 'o', 'output', 'l', 'selector', 'c', 'container', 'image', 'restart', 'f', 'filename', 'labels', 'env', 'port',
  'profile', 'context', 'kubeconfig', 'cluster', 'user', 'server', 's', 'request-timeout', 'v', 'target-port', 'type', 'name', 'protocol',
  'cluster-ip', 'external-ip', 'for', 'timeout', 'replicas', 'from-literal', 'from-file', 'from-env-file', 'tcp', 'udp', 'node-port',
  'field-selector', 'to-revision', 'revision', 'grace-period', 'pod-selector', 'address', 'api-version', 'sort-by', 'label-columns', 'L',
  'current-replicas', 'resource-version', 'target', 'overrides', 'pod-running-timeout', 'external-name', 'p', 'patch', 'cascade',
  'skip-wait-for-delete-timeout', 'output-version', 'dry-run', 'max-unavailable', 'chunk-size', 'template', 'patch-file', 'types',
]);
/** Flags whose `--flag` alone is a boolean but which take `--flag=value` (`--dry-run=client`). */
const OPTIONAL_VALUE = new Set(['dry-run']);
const SHORT: Record<string, string> = { n: 'namespace', o: 'output', l: 'selector', c: 'container', f: 'filename', A: 'all-namespaces', i: 'stdin', t: 'tty', q: 'quiet', L: 'label-columns', w: 'watch', s: 'server', p: 'patch', R: 'recursive', k: 'kustomize' };

export function parseArgs(args: string[]): Parsed | string {
  const p: Parsed = { positional: [], command: [], flags: {}, all: {}, verbIndex: -1 };
  const set = (name: string, v: string | true) => {
    p.flags[name] = v;
    if (typeof v === 'string') (p.all[name] ??= []).push(v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      p.command = args.slice(i + 1);
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) set(name, a.slice(eq + 1));
      else if (VALUE_FLAGS.has(name) && !OPTIONAL_VALUE.has(name)) {
        if (i + 1 >= args.length) return `error: flag needs an argument: --${name}`;
        set(name, args[++i]);
      } else set(name, true);
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const long = SHORT[c] ?? c;
        if (VALUE_FLAGS.has(c)) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (!v) {
            if (i + 1 >= args.length) return `error: flag needs an argument: '${c}' in -${c}`;
            v = args[++i];
          }
          set(long, v);
          break;
        }
        set(long, true);
      }
    } else {
      if (p.verbIndex < 0) p.verbIndex = i;
      p.positional.push(a);
    }
  }
  return p;
}

export const str = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** `-n NS` or the default namespace. */
export const namespaceOf = (p: Parsed): string => str(p.flags.namespace) ?? 'default';

export function getFlags(p: Parsed): GetFlags | string {
  const f: GetFlags = {
    namespace: namespaceOf(p),
    allNamespaces: p.flags['all-namespaces'] === true,
    showLabels: p.flags['show-labels'] === true,
    noHeaders: p.flags['no-headers'] === true,
  };
  const o = str(p.flags.output);
  if (o) f.output = o;
  const fs = str(p.flags['field-selector']);
  if (fs !== undefined) {
    const r = parseFieldSelector(fs);
    if (typeof r === 'string') return r;
    f.fieldSelector = r;
  }
  const l = str(p.flags.selector);
  if (l !== undefined) {
    const s = parseSelector(l);
    if (!s.ok) return `error: ${s.error}`;
    f.selector = s.selector;
  }
  return f;
}

export const REQUIRED_RESOURCE = (verb: string) =>
  `You must specify the type of resource to ${verb}. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl ${verb} -h' for help and examples`;

/** `pods`, `pods,nodes`, `pod/x` → kinds and names (names of a `kind/name` list keep their kind). */
export function resourceArgs(positional: string[], verb = 'get'): { kinds: ResourceKind[]; names: string[]; typed?: { kind: ResourceKind; name: string }[] } | Out {
  if (!positional.length) return fail(REQUIRED_RESOURCE(verb));
  if (positional[0].includes('/')) {
    const kinds: ResourceKind[] = [];
    const names: string[] = [];
    const typed: { kind: ResourceKind; name: string }[] = [];
    for (const t of positional) {
      const slash = t.indexOf('/');
      if (slash < 0) return fail(`error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl ${verb} resource/<resource_name>' instead of 'kubectl ${verb} resource resource/<resource_name>'`);
      const k = t.slice(0, slash);
      const kind = resolveResource(k);
      if (!kind) return fail(`error: the server doesn't have a resource type "${k}"`);
      if (!kinds.includes(kind)) kinds.push(kind);
      names.push(t.slice(slash + 1));
      typed.push({ kind, name: t.slice(slash + 1) });
    }
    return { kinds, names, typed };
  }
  const kinds: ResourceKind[] = [];
  for (const k of positional[0].split(',')) {
    if (!k) continue;
    const kind = resolveResource(k);
    if (!kind) return fail(`error: the server doesn't have a resource type "${k}"`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return { kinds, names: positional.slice(1) };
}

/** A verb's handler: the parsed arguments (verb removed from `positional`), the raw arguments after the verb. */
export type Verb = (p: Parsed, ctx: import('../types').Ctx, rest: string[]) => Out;

/**
 * An engine error as the API server words it for an object kubectl built itself: the engine's
 * `file:line:col: Kind/ns/name: field: message` becomes `The Kind "name" is invalid: field: message`;
 * messages already in the API server's or kubectl's words (`Error from server …`, `error: …`) are
 * kept from there.
 */
export function apiError(engineError: string): string {
  return engineError
    .split('\n')
    .map((line) => {
      const at = line.search(/Error from server|error: /);
      if (at >= 0) return line.slice(at);
      const m = /^[^:\s]*(?::\d+:\d+)?: (\w+)\/(?:[^/:\s]+\/)?([^/:\s]+): (.*)$/.exec(line);
      return m ? `The ${m[1]} "${m[2]}" is invalid: ${m[3]}` : line;
    })
    .join('\n');
}
