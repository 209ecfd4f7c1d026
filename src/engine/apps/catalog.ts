/**
 * What runs in a container, by image: which ports it listens on and how it answers HTTP.
 * - nginx: port 80, the welcome page (615 bytes) for `/` and `/index.html`, nginx's 404 page
 *   otherwise, `Server: nginx/<version>`, one combined-format access-log line per request;
 * - httpd: port 80, "It works!";
 * - hashicorp/http-echo: `-listen` (default :5678), the `-text` argument;
 * - traefik/whoami: port 80 (`--port`), Hostname/IP/RemoteAddr and the request;
 * - registry.k8s.io/e2e-test-images/agnhost: `netexec` (--http-port, default 8080: /hostname,
 *   /clientip, /echo?msg=) and `serve-hostname` (9376);
 * - CoreDNS: 53 UDP/TCP, 8080 /health, 8181 /ready, 9153 /metrics;
 * - any other image: the ports its containers declare accept connections but speak no HTTP
 *   (curl sees an empty reply); undeclared ports refuse.
 */
import type { ContainerSpec, PodRec } from '../model/cluster';
import { byteLength, clfDate, goRequestWrite, httpDate, logStamp, REASONS, type HttpRequest, type HttpResponse } from './http';

export interface AppEnv {
  pod: PodRec;
  podIp: string;
  /** Simulated time, seconds since the scenario epoch. */
  now: number;
}

export interface App {
  kind: 'nginx' | 'httpd' | 'http-echo' | 'whoami' | 'agnhost' | 'serve-hostname' | 'coredns' | 'generic';
  listens(port: number, proto: 'tcp' | 'udp'): boolean;
  /** Absent: the listener speaks no HTTP (empty reply). */
  http?(req: HttpRequest, env: AppEnv): HttpResponse;
  /** The access-log line the server writes for a request, if it logs one. */
  accessLog?(req: HttpRequest, res: HttpResponse, env: AppEnv): string;
}

export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The image's repository name without registry and tag: `registry.k8s.io/e2e-test-images/agnhost:2.47` → `agnhost`. */
export function imageName(image: string): string {
  return image.split('@')[0].replace(/:[^/:]*$/, '').split('/').pop() ?? image;
}

export function imageTag(image: string): string {
  const m = /:([^/:@]+)(@.*)?$/.exec(image);
  return m ? m[1] : 'latest';
}

/** Full nginx versions of the minor tags (the newest patch of each line in the scenario's time). */
const NGINX_PATCH: Record<string, string> = { '1.27': '1.27.3', '1.26': '1.26.2', '1.25': '1.25.5', '1.24': '1.24.0', '1.23': '1.23.4', '1.22': '1.22.1', '1.21': '1.21.6' };

export function nginxVersion(image: string): string {
  const tag = imageTag(image);
  const m = /^(\d+\.\d+)(\.\d+)?/.exec(tag);
  if (!m) return '1.27.3';
  return m[2] ? m[0] : NGINX_PATCH[m[1]] ?? `${m[1]}.0`;
}

const declared = (c: ContainerSpec) => (port: number, proto: 'tcp' | 'udp') => c.ports.some((p) => p.containerPort === port && p.protocol.toLowerCase() === proto);

/** `-flag=value`, `--flag=value` or `-flag value` from a container's command and args. */
function flag(c: ContainerSpec, names: string[]): string | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  for (let i = 0; i < argv.length; i++) {
    for (const n of names) {
      for (const dash of ['-', '--']) {
        if (argv[i].startsWith(`${dash}${n}=`)) return argv[i].slice(dash.length + n.length + 1);
        if (argv[i] === `${dash}${n}` && argv[i + 1] !== undefined) return argv[i + 1];
      }
    }
  }
  return undefined;
}

const portOf = (listen: string | undefined, dflt: number) => {
  const m = /:?(\d+)$/.exec(listen ?? '');
  return m ? Number(m[1]) : dflt;
};

function textResponse(status: number, body: string, now: number, extra: [string, string][] = [], type = 'text/plain; charset=utf-8'): HttpResponse {
  return { status, reason: REASONS[status] ?? '', headers: [...extra, ['Date', httpDate(now)], ['Content-Length', String(byteLength(body))], ['Content-Type', type]], body };
}

function nginx(c: ContainerSpec): App {
  const version = nginxVersion(c.image);
  const port = /unprivileged/.test(c.image) ? 8080 : 80;
  return {
    kind: 'nginx',
    listens: (p, proto) => proto === 'tcp' && p === port,
    http(req, env) {
      const found = req.path === '/' || req.path === '/index.html';
      if (found) {
        const headers: [string, string][] = [
          ['Server', `nginx/${version}`],
          ['Date', httpDate(env.now)],
          ['Content-Type', 'text/html'],
          ['Content-Length', String(NGINX_WELCOME.length)],
          // The page's mtime in the image: nginx's ETag is "<mtime hex>-<length hex>".
          ['Last-Modified', 'Tue, 26 Nov 2024 15:55:00 GMT'],
          ['Connection', 'keep-alive'],
          ['ETag', `"6745ef54-${NGINX_WELCOME.length.toString(16)}"`],
          ['Accept-Ranges', 'bytes'],
        ];
        return { status: 200, reason: 'OK', headers, body: req.method === 'HEAD' ? '' : NGINX_WELCOME };
      }
      const body = `<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
      return {
        status: 404,
        reason: 'Not Found',
        headers: [['Server', `nginx/${version}`], ['Date', httpDate(env.now)], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ['Connection', 'keep-alive']],
        body: req.method === 'HEAD' ? '' : body,
      };
    },
    accessLog: (req, res, env) => `${req.clientIp} - - [${clfDate(env.now)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length} "-" "${req.userAgent}" "-"`,
  };
}

function httpd(): App {
  return {
    kind: 'httpd',
    listens: (p, proto) => proto === 'tcp' && p === 80,
    http: (req, env) => {
      const body = '<html><body><h1>It works!</h1></body></html>\n';
      return { status: 200, reason: 'OK', headers: [['Date', httpDate(env.now)], ['Server', 'Apache/2.4.58 (Unix)'], ['Last-Modified', 'Mon, 11 Jun 2007 18:53:14 GMT'], ['ETag', '"2d-432a5e4a73a80"'], ['Accept-Ranges', 'bytes'], ['Content-Length', String(body.length)], ['Content-Type', 'text/html']], body: req.method === 'HEAD' ? '' : body };
    },
    accessLog: (req, res, env) => `${req.clientIp} - - [${clfDate(env.now)}] "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length}`,
  };
}

function httpEcho(c: ContainerSpec): App {
  const port = portOf(flag(c, ['listen']), 5678);
  const text = flag(c, ['text']) ?? 'hello-world';
  return {
    kind: 'http-echo',
    listens: (p, proto) => proto === 'tcp' && p === port,
    http: (_req, env) => textResponse(200, `${text}\n`, env.now, [['X-App-Name', 'http-echo'], ['X-App-Version', '1.0.0']]),
    accessLog: (req, res, env) => `${logStamp(env.now)} ${req.host} ${req.clientIp}:${req.clientPort} "${req.method} ${req.path} HTTP/1.1" ${res.status} ${res.body.length} "${req.userAgent}" 21.2µs`,
  };
}

function whoami(c: ContainerSpec): App {
  const port = Number(flag(c, ['port']) ?? 80);
  return {
    kind: 'whoami',
    listens: (p, proto) => proto === 'tcp' && p === port,
    http: (req, env) => {
      // whoamiHandler (traefik/whoami app.go): fmt.Fprintln lines, then r.Write(w) (CRLF, headers sorted).
      const lines = [`Hostname: ${env.pod.hostname ?? env.pod.meta.name}`, 'IP: 127.0.0.1', 'IP: ::1', `IP: ${env.podIp}`, `RemoteAddr: ${req.clientIp}:${req.clientPort}`];
      const body = lines.map((l) => `${l}\n`).join('') + goRequestWrite(req);
      return textResponse(200, body, env.now);
    },
  };
}

function agnhost(c: ContainerSpec): App {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if (argv.includes('serve-hostname')) return serveHostname(Number(flag(c, ['port']) ?? 9376));
  const port = Number(flag(c, ['http-port']) ?? 8080);
  return {
    kind: 'agnhost',
    listens: (p, proto) => argv.includes('netexec') && (p === port || p === Number(flag(c, ['udp-port']) ?? 8081)) && (proto === 'tcp' || p !== port),
    http: (req, env) => {
      const [path, query = ''] = req.path.split('?');
      const param = (k: string) => new URLSearchParams(query).get(k) ?? '';
      if (path === '/hostname') return textResponse(200, env.pod.meta.name, env.now);
      if (path === '/clientip') return textResponse(200, `${req.clientIp}:${req.clientPort}`, env.now);
      if (path === '/echo') return textResponse(200, param('msg'), env.now);
      if (path === '/healthz' || path === '/readyz') return textResponse(200, 'ok', env.now);
      if (path === '/') return textResponse(200, `NOW: ${logStamp(env.now).replace(/\//g, '-')}.000000000 +0000 UTC`, env.now);
      return textResponse(404, '404 page not found\n', env.now, [['X-Content-Type-Options', 'nosniff']]);
    },
  };
}

function serveHostname(port: number): App {
  return {
    kind: 'serve-hostname',
    listens: (p, proto) => p === port && (proto === 'tcp' || proto === 'udp'),
    http: (_req, env) => textResponse(200, env.pod.meta.name, env.now),
  };
}

function coredns(): App {
  return {
    kind: 'coredns',
    listens: (p, proto) => p === 53 || (proto === 'tcp' && (p === 8080 || p === 8181 || p === 9153)),
    http: (req, env) => {
      if (req.path === '/health' || req.path === '/ready') return textResponse(200, 'OK', env.now);
      if (req.path === '/metrics') return textResponse(200, '# HELP coredns_build_info A metric with a constant \'1\' value labeled by version, revision, and goversion from which CoreDNS was built.\n# TYPE coredns_build_info gauge\ncoredns_build_info{goversion="go1.21.11",revision="a6338e9",version="1.11.3"} 1\n', env.now, [], 'text/plain; version=0.0.4; charset=utf-8');
      return textResponse(404, '404 page not found\n', env.now, [['X-Content-Type-Options', 'nosniff']]);
    },
  };
}

function generic(c: ContainerSpec): App {
  return { kind: 'generic', listens: declared(c) };
}

/** The application a container runs. */
export function appOf(c: ContainerSpec): App {
  const name = imageName(c.image);
  if (/^nginx(-unprivileged)?$/.test(name)) return nginx(c);
  if (name === 'httpd') return httpd();
  if (name === 'http-echo') return httpEcho(c);
  if (name === 'whoami') return whoami(c);
  if (name === 'agnhost') return agnhost(c);
  if (name === 'serve_hostname' || name === 'serve-hostname') return serveHostname(9376);
  if (name === 'coredns') return coredns();
  return generic(c);
}

/** The container of a pod listening on a port, with its app. */
export function listenerOf(pod: PodRec, port: number, proto: 'tcp' | 'udp'): { container: ContainerSpec; app: App } | undefined {
  for (const c of pod.containers) {
    const app = appOf(c);
    if (app.listens(port, proto)) return { container: c, app };
  }
  return undefined;
}
