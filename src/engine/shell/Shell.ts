/**
 * The shell: one interpreter for the app's terminal and `podpath sh`. It holds a session (the
 * current cluster, where the user is — host, a pod, a node —, history, variables) and runs one
 * line at a time: `run(line)` returns stdout, stderr, the exit status, the prompt to show next,
 * and the packet traces the line caused (so the app can animate them).
 *
 * Pure: no I/O, no clock; the host passes files in (`readFile`) and the cluster changes only
 * through engine commands. The same line on the same session always prints the same bytes.
 */
import type { Cluster } from '../model/cluster';
import type { TraceResult } from '../trace/traceTypes';
import { commandsFor, notFound, promptOf } from './places';
import { parseLine, type SimpleCommand, type Word } from './parse';
import { cwdOf, filesOf, homeOf, namespaceNames } from './files';
import { chunksOf, out, type Chunk, type CommandRecord, type Ctx, type Out, type Place, type Session, type ShellOptions } from './types';
import type { TraceRequest } from '../trace/traceTypes';
import { nthEphemeralPort, requestKey } from '../trace/ephemeralPorts';

export interface RunResult {
  stdout: string;
  stderr: string;
  status: number;
  prompt: string;
  /** Packets the line sent (ping, traceroute), in order. */
  traces?: TraceResult[];
  /** `clear` was run: the terminal should clear its screen before printing stdout. */
  clear?: boolean;
  /** stdout and stderr as the commands wrote them, interleaved (print with `chunksOf`). */
  chunks?: Chunk[];
}

export interface Shell {
  run(line: string): RunResult;
  /** Completions for the word being typed at the end of `partial`. */
  complete(partial: string): string[];
  readonly prompt: string;
  readonly history: readonly string[];
  /** The lines run, with status, output and place (Session.commands). */
  readonly commands: readonly CommandRecord[];
  /** The traces ping/curl/wget/nc/traceroute ran (Session.traceRequests). */
  readonly traceRequests: readonly TraceRequest[];
  readonly cluster: Cluster;
  /** Replace the cluster (the app's editor reloaded the scenario); the user stays where they are if it still exists. */
  setCluster(cluster: Cluster): void;
  readonly session: Session;
}

const MAX_DEPTH = 16;

/** How an exception thrown by a command (a simulator bug) is reported instead of ending the session. */
export const INTERNAL_ERROR = 'podpath: internal error';

export function createShell(options: ShellOptions): Shell {
  const traceRequests: TraceRequest[] = [];
  const session: Session = {
    cluster: options.cluster,
    places: [{ kind: 'host' }],
    history: [],
    commands: [],
    traceRequests,
    options: recording(options, traceRequests),
    env: {},
    lastStatus: 0,
    traces: [],
    cleared: false,
  };
  const current = () => session.places[session.places.length - 1];
  /** Lines of a command whose here-document is not finished yet (the prompt is `> ` meanwhile). */
  let pending: string | null = null;

  return {
    session,
    get prompt() {
      return pending !== null ? '> ' : promptOf(session, current());
    },
    get history() {
      return session.history;
    },
    get commands() {
      return session.commands;
    },
    get traceRequests() {
      return session.traceRequests;
    },
    get cluster() {
      return session.cluster;
    },
    setCluster(cluster: Cluster) {
      session.cluster = cluster;
      session.places = session.places.filter((p) => p.kind === 'host' || placeExists(session, p));
    },
    run(input: string): RunResult {
      session.traces = [];
      session.cleared = false;
      const line = pending !== null ? `${pending}\n${input}` : input;
      const parsed = parseLine(line);
      if (!parsed.ok && parsed.incomplete) {
        // sh reads on (PS2 `> `) until the here-document's delimiter line.
        pending = line;
        return { stdout: '', stderr: '', status: session.lastStatus, prompt: '> ' };
      }
      pending = null;
      if (line.trim() !== '') session.history.push(line);
      const place = placeText(current());
      const r = runLine(session, current(), line, '', 0, true);
      if (line.trim() !== '') session.commands.push({ line, status: r.status, stdout: r.stdout, place });
      session.lastStatus = r.status;
      const res: RunResult = { ...r, prompt: promptOf(session, current()) };
      if (session.traces.length) res.traces = session.traces;
      // Hubble's flow buffer: the last 4095 flows (hubble-event-buffer-capacity default).
      if (session.traces.length) session.flowLog = [...(session.flowLog ?? []), ...session.traces.map((trace) => ({ at: session.cluster.now, trace }))].slice(-4095);
      if (session.cleared) res.clear = true;
      return res;
    },
    complete(partial: string): string[] {
      return complete(session, current(), partial);
    },
  };
}

/** The tracer and traceroute of `options`, recording each request the user's commands make (not the resolver's DNS queries). */
function recording(options: ShellOptions, into: TraceRequest[]): ShellOptions {
  const { trace, traceroute } = options;
  // Connections made so far per request: each new TCP/UDP connection of the session takes the
  // next ephemeral source port (so kube-proxy's random choice, drawn from the 5-tuple, spreads
  // repeated curls over a Service's endpoints, as in the kernel).
  const made = new Map<string, number>();
  const withSourcePort = (req: TraceRequest): TraceRequest => {
    if (req.dns || req.proto === 'icmp' || req.srcPort !== undefined) return req;
    const key = requestKey(req);
    const n = made.get(key) ?? 0;
    made.set(key, n + 1);
    return n === 0 ? req : { ...req, srcPort: nthEphemeralPort(req, n) };
  };
  return {
    ...options,
    ...(trace
      ? {
          trace: (cluster: Cluster, request: TraceRequest) => {
            const req = withSourcePort(request);
            if (!req.dns) into.push(req);
            return trace(cluster, req);
          },
        }
      : {}),
    ...(traceroute
      ? {
          traceroute: (cluster: Cluster, from: string, to: string, opts: { size?: number }) => {
            // traceroute's first probe: UDP to port 33434 (traceroute(8) -p default).
            into.push({ from, to, proto: 'udp', port: 33434, ...(opts.size !== undefined ? { size: opts.size } : {}) });
            return traceroute(cluster, from, to, opts);
          },
        }
      : {}),
  };
}

/** `host`, `pod NS/NAME` or `node NAME`. */
export function placeText(p: Place): string {
  if (p.kind === 'host') return 'host';
  if (p.kind === 'pod') return `pod ${p.namespace}/${p.name}`;
  return `node ${p.node}`;
}

function placeExists(session: Session, p: Place): boolean {
  if (p.kind === 'node') return session.cluster.nodes.some((n) => n.meta.name === p.node);
  if (p.kind === 'pod' || p.kind === 'netns') return session.cluster.pods.has(`${p.namespace}/${p.name}`);
  return true;
}

/** Run a full line (lists and pipelines) in a place. */
export function runLine(session: Session, place: Place, line: string, stdin: string, depth: number, tty: boolean): Out {
  if (depth > MAX_DEPTH) return out('', 'sh: recursion too deep\n', 2);
  const parsed = parseLine(line);
  if (!parsed.ok) return out('', `${shellName(place)}: ${parsed.error}\n`, 2);
  let stdout = '';
  let stderr = '';
  let status = 0;
  // What each command wrote, in order: `a; b` prints a's output (both streams) before b's.
  const chunks: Chunk[] = [];
  for (const item of parsed.list.items) {
    if (item.op === '&&' && status !== 0) continue;
    if (item.op === '||' && status === 0) continue;
    // A place change (exit, ssh, kubectl exec -it) applies to the commands after it.
    const here = depth === 0 ? session.places[session.places.length - 1] : place;
    let input = stdin;
    const cmds = item.pipeline.commands;
    let last: Out = out();
    for (let i = 0; i < cmds.length; i++) {
      const isLast = i === cmds.length - 1;
      last = runSimple(session, here, cmds[i], input, depth, tty && isLast);
      if (!isLast) {
        stderr += last.stderr;
        if (last.stderr) chunks.push([2, last.stderr]);
        input = last.stdout;
      }
    }
    stdout += last.stdout;
    stderr += last.stderr;
    chunks.push(...chunksOf(last));
    status = last.status;
    session.lastStatus = status;
  }
  if (parsed.rest !== undefined) {
    // Lines after a here-document run next, as sh reads them.
    const r = runLine(session, depth === 0 ? session.places[session.places.length - 1] : place, parsed.rest, stdin, depth, tty);
    return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, status: r.status, chunks: [...chunks, ...chunksOf(r)] };
  }
  return { stdout, stderr, status, chunks };
}

function shellName(place: Place): string {
  return place.kind === 'pod' && place.tools === 'busybox' ? 'sh' : place.kind === 'host' ? 'sh' : 'bash';
}

/** Expand a word: variables, command substitutions, globs; unquoted expansions split on whitespace. */
function expandWord(session: Session, place: Place, word: Word, depth: number): string[] {
  const fields: string[] = [''];
  let hadQuoted = false;
  let glob = false;
  word.parts.forEach((p, i) => {
    let value: string;
    if (p.kind === 'text') {
      value = p.text;
      // Tilde expansion: an unquoted leading `~` (alone or before `/`) is $HOME.
      if (i === 0 && !p.quoted && /^~(\/|$)/.test(value)) value = varValue(session, place, 'HOME') + value.slice(1);
      if (p.quoted) hadQuoted = true;
      else if (/[*?]/.test(p.text)) glob = true;
      fields[fields.length - 1] += value;
      return;
    }
    if (p.kind === 'var') value = varValue(session, place, p.name);
    else value = runLine(session, place, p.source, '', depth + 1, false).stdout.replace(/\n+$/, '');
    if (p.quoted) {
      hadQuoted = true;
      fields[fields.length - 1] += value;
    } else {
      const split = value.split(/[ \t\n]+/);
      fields[fields.length - 1] += split[0];
      for (const s of split.slice(1)) fields.push(s);
    }
  });
  const result = fields.filter((f, i) => f !== '' || hadQuoted || (i === 0 && fields.length > 1 && false));
  if (glob && result.length === 1) {
    const matches = globFiles(session, place, result[0]);
    if (matches.length) return matches;
  }
  return result;
}

function varValue(session: Session, place: Place, name: string): string {
  if (name === '?') return String(session.lastStatus);
  if (name === 'HOSTNAME') return place.kind === 'pod' ? place.name : place.kind === 'node' || place.kind === 'netns' ? place.node : 'localhost';
  if (name === 'HOME') return place.kind === 'pod' ? '/root' : homeOf(place) === '/' ? '/root' : homeOf(place);
  if (name === 'PWD') return cwdOf(place);
  if (name === 'OLDPWD') return place.oldCwd ?? '';
  return session.env[name] ?? '';
}

/** Pathname expansion over the place's files; a relative pattern matches in the working directory and expands to relative names. */
function globFiles(session: Session, place: Place, pattern: string): string[] {
  const cwd = cwdOf(place);
  const base = pattern.startsWith('/') ? '' : cwd === '/' ? '/' : `${cwd}/`;
  const re = new RegExp('^' + (base + pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
  return Object.keys(filesOf(session, place)).filter((p) => re.test(p)).map((p) => p.slice(base.length)).sort();
}

function runSimple(session: Session, place: Place, cmd: SimpleCommand, stdin: string, depth: number, tty: boolean): Out {
  const args: string[] = [];
  for (const w of cmd.words) args.push(...expandWord(session, place, w, depth));
  if (args.length === 0) {
    for (const a of cmd.assignments) session.env[a.name] = expandWord(session, place, a.value, depth).join(' ');
    return out();
  }
  for (const red of cmd.redirects) {
    if (red.fd === 0 && red.body !== undefined) stdin = red.expand ? expandHeredoc(session, place, red.body, depth) : red.body;
  }
  const ctx: Ctx = {
    session,
    place,
    stdin,
    tty,
    runIn: (p, line, input = '') => runLine(session, p, line, input, depth + 1, tty),
  };
  const name = args[0];
  const handler = commandsFor(session, place)[name] ?? commandsFor(session, place)[name.replace(/^\/(usr\/)?s?bin\//, '')];
  let r: Out;
  try {
    r = handler ? handler(args.slice(1), ctx) : notFound(place, name);
  } catch (e) {
    // A simulator bug below the shell must not end the user's session: say so, as a failed command
    // (sysexits' EX_SOFTWARE). Tests (fuzz.test.ts) fail on this message, so it never hides a bug.
    r = out('', `${INTERNAL_ERROR}: ${name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}\n`, 70);
  }
  for (const red of cmd.redirects) {
    if (red.fd === 0) continue;
    if (red.fd === 2 && red.target === '&1') r = { ...r, stdout: r.stdout + r.stderr, stderr: '' };
    else if (red.fd === 1 && red.target === '&2') r = { ...r, stderr: r.stderr + r.stdout, stdout: '' };
    else if (red.fd === 1) r = { ...r, stdout: '' };
    else r = { ...r, stderr: '' };
  }
  return r;
}

/** An unquoted here-document's body: `$VAR`, `${VAR}` and `$(…)` expanded, the rest as typed. */
function expandHeredoc(session: Session, place: Place, body: string, depth: number): string {
  if (!body.includes('$')) return body;
  return body.replace(/\$(\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|[?]|\([^()]*\))/g, (_m, v: string) => {
    if (v.startsWith('(')) return runLine(session, place, v.slice(1, -1), '', depth + 1, false).stdout.replace(/\n+$/, '');
    return varValue(session, place, v.startsWith('{') ? v.slice(1, -1) : v);
  });
}

/** Tab completion: commands for the first word, then pod/node/namespace names and kubectl words. */
export function complete(session: Session, place: Place, partial: string): string[] {
  const words = partial.split(/\s+/);
  const cur = words[words.length - 1];
  const before = words.slice(0, -1);
  let candidates: string[];
  if (before.length === 0) candidates = Object.keys(commandsFor(session, place));
  else if (before[0] === 'kubectl' || before[0] === 'k') {
    const verbs = ['annotate', 'api-resources', 'apply', 'cluster-info', 'cordon', 'create', 'debug', 'delete', 'describe', 'drain', 'exec', 'explain', 'expose', 'get', 'label', 'logs', 'port-forward', 'rollout', 'run', 'scale', 'top', 'uncordon', 'version', 'wait'];
    const resources = ['configmaps', 'daemonsets', 'deployments', 'endpoints', 'endpointslices', 'events', 'namespaces', 'networkpolicies', 'nodes', 'pods', 'replicasets', 'services'];
    const prev = before[before.length - 1];
    const nsIdx = before.findIndex((w) => w === '-n' || w === '--namespace');
    const ns = nsIdx >= 0 ? before[nsIdx + 1] : 'default';
    if (before.length === 1) candidates = verbs;
    else if (prev === '-n' || prev === '--namespace') candidates = namespaceNames(session.cluster);
    else if (/^(get|describe|delete|label|annotate|wait)$/.test(before[1]) && before.length === 2) candidates = resources;
    else if (/^(cordon|uncordon|drain)$/.test(before[1])) candidates = session.cluster.nodes.map((n) => n.meta.name);
    else if (/^(node|nodes|no)$/.test(prev) || cur.startsWith('node/')) candidates = session.cluster.nodes.map((n) => (cur.startsWith('node/') ? 'node/' : '') + n.meta.name);
    else candidates = podNames(session.cluster, ns);
  } else if (/^(ssh|minikube)$/.test(before[0])) candidates = session.cluster.nodes.map((n) => n.meta.name);
  else if (/^(ping|traceroute)$/.test(before[0])) candidates = [...session.cluster.nodes.map((n) => n.meta.name), ...podNames(session.cluster, place.kind === 'pod' ? place.namespace : 'default')];
  else if (/^(cat|ls)$/.test(before[0])) candidates = Object.keys(filesOf(session, place));
  else if (before[0] === 'ip') candidates = before.length === 1 ? ['addr', 'link', 'route', 'neigh', 'rule'] : [];
  else candidates = [];
  return [...new Set(candidates)].filter((c) => c.startsWith(cur)).sort();
}

export function podNames(cluster: Cluster, namespace: string): string[] {
  const names: string[] = [];
  for (const p of cluster.pods.values()) if ((p.meta.namespace ?? 'default') === namespace) names.push(p.meta.name);
  return names;
}
