/**
 * HTTP and TCP clients: `curl` (8.x), BusyBox `wget`, `nc -z` (BusyBox or OpenBSD netcat).
 * A name is resolved by the place's libc resolver (dns/stub.ts, every query traced), then one
 * TCP SYN is traced to the address and port (through kube-proxy's DNAT for a ClusterIP). The
 * namespace the SYN reached decides the answer: a pod whose container listens there
 * (apps/catalog.ts) answers and logs the request; nothing listening → connection refused (RST);
 * a REJECT on the way → refused; dropped or unroutable → the connect timeout.
 */
import { formatIpv4, parseIpv4 } from '../addressing/ipv4';
import { imageName, listenerOf } from '../apps/catalog';
import type { HttpRequest, HttpResponse } from '../apps/http';
import { appendLog } from '../apps/state';
import { fnv32a } from '../util/hash';
import { isIngressNginxPod } from '../ingress/controller';
import { serveThroughIngress } from '../ingress/serve';
import { exchangeEnvOf, imageOf, resolveHostName, type Resolved } from './netClient';
import { throughCiliumProxy } from './policyCmds';
import { fail, out, type Ctx, type Handler, type Out, type Place, type Session } from './types';

const CURL_UA = 'curl/8.5.0';

type Connect =
  | { kind: 'open'; ip: string; port: number; serve?: (req: Omit<HttpRequest, 'clientIp' | 'clientPort'>) => HttpResponse | 'empty' }
  | { kind: 'refused'; ip: string; port: number }
  | { kind: 'timeout'; ip: string; port: number };

/** One TCP connection attempt, traced. */
function connect(ctx: Ctx, ip: string, port: number): Connect {
  const env = exchangeEnvOf(ctx);
  const cluster = ctx.session.cluster;
  if (ip === '127.0.0.1' || ip === 'localhost') {
    // Loopback: the place's own namespace, no packet on any link.
    const place = ctx.place;
    const pod = place.kind === 'pod' ? cluster.pods.get(`${place.namespace}/${place.name}`) : undefined;
    const l = pod ? listenerOf(pod, port, 'tcp') : undefined;
    if (!pod || !l) return { kind: 'refused', ip, port };
    return { kind: 'open', ip, port, serve: serveWith(ctx, pod.meta.namespace ?? 'default', pod.meta.name, port, '127.0.0.1', 40000 + (fnv32a(ip) % 20000)) };
  }
  if (!env?.trace) return { kind: 'timeout', ip, port };
  env.state.sent++;
  const t = env.trace(cluster, { from: env.from, to: ip, proto: 'tcp', port });
  if (t.verdict !== 'delivered') {
    env.record(t);
    const rejected = t.hops.some((h) => /REJECT|port.unreachable|reject/i.test(h.detail));
    return rejected ? { kind: 'refused', ip, port } : { kind: 'timeout', ip, port };
  }
  const last = t.hops[t.hops.length - 1];
  const m = /^pod\/([^/]+)\/(.+)$/.exec(last.netns);
  const pod = m ? cluster.pods.get(`${m[1]}/${m[2]}`) : undefined;
  const dport = last.packet.dstPort ?? port;
  const listener = pod ? listenerOf(pod, dport, 'tcp') : undefined;
  if (!pod || !listener) {
    // Nothing listens: the kernel answers the SYN with a RST (the reply leg is not a SYN-ACK).
    const { reply: _reply, ...request } = t;
    env.record(request);
    return { kind: 'refused', ip, port };
  }
  env.record(t);
  if (!t.reply || t.reply.verdict !== 'delivered') return { kind: 'timeout', ip, port };
  return { kind: 'open', ip, port, serve: serveWith(ctx, m![1], m![2], dport, last.packet.src, last.packet.srcPort ?? 0) };
}

function serveWith(ctx: Ctx, namespace: string, name: string, port: number, clientIp: string, clientPort: number) {
  return (req: Omit<HttpRequest, 'clientIp' | 'clientPort'>): HttpResponse | 'empty' => {
    const cluster = ctx.session.cluster;
    const pod = cluster.pods.get(`${namespace}/${name}`)!;
    if (isIngressNginxPod(pod) && (port === 80 || port === 443)) {
      // ingress-nginx: a rule for Host and path, then a new connection to a backend endpoint (ingress/serve.ts).
      const env = exchangeEnvOf(ctx);
      const x = serveThroughIngress(cluster, env?.trace, pod, { ...req, clientIp, clientPort }, port);
      if (x.upstream) env?.record(x.upstream);
      return x.response;
    }
    const full: HttpRequest = { ...req, clientIp, clientPort };
    // On Cilium with L7 rules the node's proxy checks the request before the app sees it.
    return throughCiliumProxy(ctx.session, pod, port, full, () => {
      const l = listenerOf(pod, port, 'tcp');
      if (!l?.app.http) return 'empty';
      const appEnv = { pod, podIp: pod.attachment ? formatIpv4(pod.attachment.ip) : '', now: cluster.now };
      const res = l.app.http(full, appEnv);
      const line = l.app.accessLog?.(full, res, appEnv);
      const env = exchangeEnvOf(ctx);
      if (line && env) appendLog(env.state, `${namespace}/${name}`, line);
      return res;
    });
  };
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

function parseUrl(text: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)/.exec(text);
  if (!m) return undefined;
  const scheme = m[1] ?? 'http';
  return { scheme, host: m[2], port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80, path: m[4] || '/' };
}

// ---------------------------------------------------------------- curl

interface CurlOpts {
  url?: string;
  verbose: boolean;
  silent: boolean;
  showError: boolean;
  output?: string;
  writeOut?: string;
  head: boolean;
  include: boolean;
  connectTimeout?: number;
  maxTime?: number;
  fail: boolean;
  method: string;
  /** `-H 'Host: name'`: the Host header instead of the URL's host. */
  hostHeader?: string;
  /** The other `-H 'Name: value'` headers, in order (`-H 'Name:'` removes one curl would send). */
  headers: [string, string][];
  /** `--resolve host:port:addr` entries. */
  resolve: { host: string; port: number; addr: string }[];
}

function parseCurl(args: string[]): CurlOpts | string {
  const o: CurlOpts = { verbose: false, silent: false, showError: false, head: false, include: false, fail: false, method: 'GET', resolve: [], headers: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = () => args[++i];
    if (a === '-v' || a === '--verbose') o.verbose = true;
    else if (a === '-o' || a === '--output') o.output = next();
    else if (a === '-w' || a === '--write-out') o.writeOut = next();
    else if (a === '--connect-timeout') o.connectTimeout = Number(next());
    else if (a === '-m' || a === '--max-time') o.maxTime = Number(next());
    else if (a === '-X' || a === '--request') o.method = next() ?? 'GET';
    else if (a === '-H' || a === '--header') {
      const h = /^\s*([^:\s]+)\s*:\s*(.*?)\s*$/.exec(next() ?? '');
      if (h && h[1].toLowerCase() === 'host') o.hostHeader = h[2];
      else if (h) o.headers.push([h[1], h[2]]);
    } else if (a === '--resolve') {
      const m = /^([^:]+):(\d+):(.+)$/.exec(next() ?? '');
      if (m) o.resolve.push({ host: m[1], port: Number(m[2]), addr: m[3].replace(/^\[|\]$/g, '') });
    } else if (a === '-d' || a === '--data' || a === '-A' || a === '--user-agent') next();
    else if (a.startsWith('--')) {
      if (a === '--silent') o.silent = true;
      else if (a === '--head') o.head = true;
      else if (a === '--include') o.include = true;
      else if (a === '--fail') o.fail = true;
      else if (a === '--show-error') o.showError = true;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 's') o.silent = true;
        else if (c === 'S') o.showError = true;
        else if (c === 'I') o.head = true;
        else if (c === 'i') o.include = true;
        else if (c === 'f') o.fail = true;
        else if (c === 'v') o.verbose = true;
        else if (c === 'k' || c === 'L') continue;
        else if (c === 'o') o.output = next();
        else if (c === 'w') o.writeOut = next();
        else if (c === 'm') o.maxTime = Number(next());
      }
    } else o.url = a;
  }
  if (o.head) o.method = 'HEAD';
  return o;
}

function curlError(o: CurlOpts, code: number, msg: string): Out {
  const stderr = !o.silent || o.showError ? `curl: (${code}) ${msg}\n` : '';
  return out(o.writeOut ? writeOut(o.writeOut, 0) : '', stderr, code);
}

function writeOut(fmt: string, code: number): string {
  return fmt.replace(/%\{http_code\}|%\{response_code\}/g, String(code).padStart(3, '0')).replace(/\\n/g, '\n');
}

export const curl: Handler = (args, ctx) => {
  const o = parseCurl(args);
  if (typeof o === 'string' || !o.url) return fail("curl: try 'curl --help' or 'curl --manual' for more information", 2);
  const url = parseUrl(o.url);
  if (!url) return curlError(o, 3, 'URL using bad/illegal format or missing URL');
  let verbose = '';
  const pinned = o.resolve.find((x) => x.host === url.host && x.port === url.port);
  const isLiteral = parseIpv4(url.host) !== null || !!pinned;
  // The workstation has no resolver for the simulated names: literal addresses and --resolve only.
  const r: Resolved = pinned ? { ip: pinned.addr, v6: [] } : ctx.place.kind === 'host' && !isLiteral ? { error: 'notfound', v6: [] } : resolveHostName(ctx, url.host);
  if (pinned) verbose += `* Added ${url.host}:${url.port}:${pinned.addr} to DNS cache\n* Hostname ${url.host} was found in DNS cache\n`;
  if (!r.ip) {
    // No DNS server answered: glibc retries for many seconds (RES_TIMEOUT 5 s × attempts × names),
    // so a --max-time/--connect-timeout ends the wait first — curl's multi.c "Resolving timed out
    // after N milliseconds" (CURLE_OPERATION_TIMEDOUT, 28); without one the resolver gives up: (6).
    const limit = o.connectTimeout ?? o.maxTime;
    if (r.error === 'timeout' && limit !== undefined) return curlError(o, 28, `Resolving timed out after ${Math.round(limit * 1000) + 1} milliseconds`);
    return curlError(o, 6, `Could not resolve host: ${url.host}`);
  }
  if (!isLiteral) verbose += `* Host ${url.host}:${url.port} was resolved.\n* IPv6: ${r.v6.length ? r.v6.join(', ') : '(none)'}\n* IPv4: ${r.ip}\n`;
  verbose += `*   Trying ${r.ip}:${url.port}...\n`;
  const c = connect(ctx, r.ip, url.port);
  const ms = 1 + (fnv32a(`${r.ip}:${url.port}:${ctx.session.cluster.now}`) % 3);
  if (c.kind === 'refused') return withVerbose(o, verbose, curlError(o, 7, `Failed to connect to ${url.host} port ${url.port} after ${ms - 1} ms: Couldn't connect to server`));
  if (c.kind === 'timeout') {
    if (o.connectTimeout !== undefined || o.maxTime !== undefined) {
      const limit = Math.round((o.connectTimeout ?? o.maxTime!) * 1000) + 1;
      return withVerbose(o, verbose, curlError(o, 28, o.connectTimeout !== undefined ? `Connection timed out after ${limit} milliseconds` : `Connection timed out after ${limit} milliseconds`));
    }
    // Linux gives up after tcp_syn_retries=6: about 130 s.
    return withVerbose(o, verbose, curlError(o, 28, `Failed to connect to ${url.host} port ${url.port} after 130${String(ms).padStart(3, '0')} ms: Couldn't connect to server`));
  }
  verbose += `* Connected to ${url.host} (${r.ip}) port ${url.port}\n`;
  const hostHeader = o.hostHeader ?? (url.port === (url.scheme === 'https' ? 443 : 80) ? url.host : `${url.host}:${url.port}`);
  const headers = curlHeaders(o.headers);
  verbose += `> ${o.method} ${url.path} HTTP/1.1\n> Host: ${hostHeader}\n> User-Agent: ${CURL_UA}\n${headers.map(([k, v]) => `> ${k}: ${v}\n`).join('')}> \n`;
  const res = c.serve?.({ method: o.method, path: url.path, host: hostHeader, userAgent: CURL_UA, headers }) ?? 'empty';
  if (res === 'empty') return withVerbose(o, verbose + `* Empty reply from server\n* Closing connection\n`, curlError(o, 52, 'Empty reply from server'));
  const head = `HTTP/1.1 ${res.status} ${res.reason}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  verbose += head.split('\r\n').slice(0, -1).map((l) => `< ${l}\n`).join('');
  const left = `* Connection #0 to host ${url.host} left intact\n`;
  if (o.fail && res.status >= 400) return withVerbose(o, verbose + left, curlError(o, 22, `The requested URL returned error: ${res.status}`));
  let body = o.head ? head : (o.include ? head : '') + res.body;
  if (o.output) body = '';
  if (o.writeOut) body += writeOut(o.writeOut, res.status);
  if (!o.verbose) return { stdout: body, stderr: '', status: 0 };
  // curl -v: the request and response headers, the body, then the connection's fate after it.
  return { stdout: body, stderr: verbose + left, status: 0, chunks: [[2, verbose], [1, body], [2, left]] };
};

/**
 * The headers curl writes after Host and User-Agent: `Accept` (any type), replaced by a `-H` of the
 * same name and dropped by an empty one (`-H 'Accept:'`), then the other `-H` headers in order
 * (lib/http.c Curl_add_custom_headers; an empty custom header is not sent).
 */
function curlHeaders(custom: [string, string][]): [string, string][] {
  const named = (k: string) => custom.find(([n]) => n.toLowerCase() === k.toLowerCase());
  const accept = named('Accept');
  return [...(accept ? [] : [['Accept', '*/*'] as [string, string]]), ...custom.filter(([, v]) => v !== '')];
}

function withVerbose(o: CurlOpts, verbose: string, r: Out): Out {
  return o.verbose ? { ...r, stderr: verbose + r.stderr } : r;
}

// ---------------------------------------------------------------- wget (BusyBox)

export const wget: Handler = (args, ctx) => {
  let quiet = false;
  let output: string | undefined;
  let url: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-O') output = args[++i];
    else if (a.startsWith('-') && a.length > 1 && !a.startsWith('--')) {
      for (let j = 1; j < a.length; j++) {
        if (a[j] === 'q') quiet = true;
        else if (a[j] === 'O') {
          output = a.slice(j + 1) || args[++i];
          break;
        } else if (a[j] === 'T') {
          if (j === a.length - 1) i++;
          break;
        }
      }
    } else if (a.startsWith('--')) continue;
    else url = a;
  }
  if (!url) return fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...', 1);
  const u = parseUrl(url);
  if (!u) return fail(`wget: bad address '${url}'`, 1);
  const r = resolveHostName(ctx, u.host);
  if (!r.ip) return fail(`wget: bad address '${u.host}'`, 1);
  let stderr = quiet ? '' : `Connecting to ${u.host}${u.port !== 80 ? `:${u.port}` : ''} (${r.ip}:${u.port})\n`;
  const c = connect(ctx, r.ip, u.port);
  if (c.kind === 'refused') return out('', stderr + `wget: can't connect to remote host (${r.ip}): Connection refused\n`, 1);
  if (c.kind === 'timeout') return out('', stderr + `wget: can't connect to remote host (${r.ip}): Connection timed out\n`, 1);
  const host = u.port === 80 ? u.host : `${u.host}:${u.port}`;
  // BusyBox wget.c: `Host`, `User-Agent: Wget`, then "Ask server to close the connection": `Connection: close`.
  const res = c.serve?.({ method: 'GET', path: u.path, host, userAgent: 'Wget', headers: [['Connection', 'close']] }) ?? 'empty';
  if (res === 'empty') return out('', stderr + 'wget: error getting response: Connection reset by peer\n', 1);
  if (res.status >= 400) return out('', stderr + `wget: server returned error: HTTP/1.1 ${res.status} ${res.reason}\n`, 1);
  const file = output ?? (u.path.split('/').pop() || 'index.html');
  const toStdout = file === '-';
  const size = String(res.body.length).padStart(7);
  if (!quiet) {
    stderr += toStdout ? 'writing to stdout\n' : `saving to '${file}'\n`;
    stderr += `${(toStdout ? '-' : file).padEnd(20).slice(0, 20)} 100% |********************************| ${size}  0:00:00 ETA\n`;
    stderr += toStdout ? 'written to stdout\n' : `'${file}' saved\n`;
  }
  return out(toStdout ? res.body : '', stderr, 0);
};

// ---------------------------------------------------------------- nc

/** /etc/services names the tools look up with getservbyname (the ones lessons use). */
const SERVICES: Record<string, number> = { ssh: 22, domain: 53, http: 80, https: 443, 'kubernetes': 6443 };
const SERVICE_NAMES: Record<number, string> = { 22: 'ssh', 53: 'domain', 80: 'http', 443: 'https' };
/**
 * Ports one `nc -z` scan probes before the simulated user presses Ctrl-C: every probe is a traced
 * connection, and a port nobody answers would wait for the kernel's SYN timeout (~2 min) each.
 */
export const NC_SCAN_LIMIT = 256;

/**
 * The ports of nc's PORT operand. OpenBSD netcat (build_ports/strtoport): `LO-HI` (either order),
 * a number in 1..65535 or a service name; errors `port number too large: X`, `service "X" unknown`.
 * BusyBox (bb_lookup_port): one number in 0..65535 or a service name, else `bad port 'X'`.
 */
function ncPorts(flavor: 'busybox' | 'openbsd', spec: string): { lo: number; hi: number } | string {
  if (flavor === 'busybox') {
    if (/^\d+$/.test(spec) && Number(spec) <= 65535) return { lo: Number(spec), hi: Number(spec) };
    if (SERVICES[spec] !== undefined) return { lo: SERVICES[spec], hi: SERVICES[spec] };
    return `nc: bad port '${spec}'`;
  }
  const one = (p: string): number | string => {
    if (/^-?\d+$/.test(p)) {
      const n = Number(p);
      return n < 1 ? `nc: port number too small: ${p}` : n > 65535 ? `nc: port number too large: ${p}` : n;
    }
    return SERVICES[p] ?? `nc: service "${p}" unknown`;
  };
  const dash = spec.indexOf('-');
  if (/^\d/.test(spec) && dash > 0) {
    const hi = one(spec.slice(dash + 1));
    if (typeof hi === 'string') return hi;
    const lo = one(spec.slice(0, dash));
    if (typeof lo === 'string') return lo;
    return { lo: Math.min(lo, hi), hi: Math.max(lo, hi) };
  }
  const n = one(spec);
  return typeof n === 'string' ? n : { lo: n, hi: n };
}

/** `nc -zv HOST PORT`: BusyBox prints `HOST (IP:PORT) open`; OpenBSD netcat `Connection to HOST PORT port [tcp/*] succeeded!`. */
function ncWith(flavor: 'busybox' | 'openbsd'): Handler {
  return (args, ctx) => {
    const flags = args.filter((a) => a.startsWith('-')).join('');
    const pos = args.filter((a, i) => !a.startsWith('-') && !(args[i - 1] === '-w' || args[i - 1] === '-W'));
    const [host, portText] = pos;
    if (!host || !portText) return flavor === 'busybox' ? fail('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen', 1) : fail('usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]', 1);
    const verbose = flags.includes('v');
    const ports = ncPorts(flavor, portText);
    if (typeof ports === 'string') return fail(ports, 1);
    const r = resolveHostName(ctx, host);
    // glibc's gai_strerror: EAI_NONAME when the name does not exist, EAI_AGAIN when no server answered.
    const why = r.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known';
    if (!r.ip) return flavor === 'busybox' ? fail(`nc: bad address '${host}'`, 1) : fail(`nc: getaddrinfo for host "${host}" port ${ports.lo}: ${why}`, 1);
    let stderr = '';
    let status = 1;
    const last = Math.min(ports.hi, ports.lo + NC_SCAN_LIMIT - 1);
    for (let port = ports.lo; port <= last; port++) {
      const c = connect(ctx, r.ip, port);
      if (c.kind === 'open') {
        status = 0;
        if (verbose) stderr += flavor === 'busybox' ? `${host} (${r.ip}:${port}) open\n` : `Connection to ${host} (${r.ip}) ${port} port [tcp/${SERVICE_NAMES[port] ?? '*'}] succeeded!\n`;
        continue;
      }
      const why = c.kind === 'refused' ? 'Connection refused' : 'Connection timed out';
      // BusyBox nc dies on the first failure; OpenBSD netcat reports it (with -v) and goes on.
      if (flavor === 'busybox') return out('', stderr + `nc: ${host} (${r.ip}:${port}): ${why}\n`, 1);
      if (verbose) stderr += `nc: connect to ${host} (${r.ip}) port ${port} (tcp) failed: ${why}\n`;
    }
    if (last < ports.hi) stderr += '^C\n';
    return out('', stderr, last < ports.hi ? 130 : status);
  };
}

export const busyboxNc = ncWith('busybox');
export const openbsdNc = ncWith('openbsd');

/** Which HTTP/TCP clients the place has: BusyBox wget/nc; curl in tool images and the images that ship it. */
export function httpCommandsFor(place: Place, session?: Session): Record<string, Handler> {
  if (place.kind !== 'pod') return { curl, nc: openbsdNc, wget };
  const pod = session?.cluster.pods.get(`${place.namespace}/${place.name}`);
  const image = pod?.containers.find((c) => c.name === place.container)?.image ?? pod?.containers[0]?.image ?? '';
  const name = imageName(image);
  const withCurl = /curl/.test(image) || /^(nginx|python|node|golang|openjdk|ruby|php|netshoot|curl|dnsutils|jessie-dnsutils|agnhost)$/.test(name);
  if (place.tools === 'busybox') return { wget, nc: busyboxNc, ...(withCurl ? { curl } : {}) };
  if (place.tools === 'debian') return withCurl ? { curl } : {};
  return { curl, wget, nc: name === 'netshoot' ? openbsdNc : busyboxNc };
}

export { imageOf };
