/**
 * ingress-nginx answering an HTTP request (for curl/wget): route by Host and path (route.ts),
 * open a new connection from the controller pod to one endpoint (traced), and pass the backend's
 * response through. When it cannot proxy it answers with nginx's own error pages: 404 from the
 * default backend (no rule), 503 Service Temporarily Unavailable (no Service, port or ready
 * endpoint), 502 Bad Gateway (the upstream refused or answered nothing), 504 Gateway Time-out
 * (the upstream connection timed out). The backend sees the controller pod as its client (nginx
 * passes the client it saw in X-Forwarded-For / X-Real-IP: upstreamRequest).
 */
import { formatIpv4 } from '../addressing/ipv4';
import { listenerOf } from '../apps/catalog';
import { httpDate, byteLength, requestHeader, type HttpRequest, type HttpResponse } from '../apps/http';
import type { Cluster, PodRec } from '../model/cluster';
import type { TraceResult } from '../trace/traceTypes';
import { fnv32a, sha256Hex } from '../util/hash';
import { deliveredPod, type TraceFn } from './proxy';
import { routeIngress, type IngressRoute } from './route';

const ERRORS: Record<number, string> = { 404: '404 Not Found', 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' };

/** nginx's built-in error page (ngx_http_special_response.c), as ingress-nginx serves it. */
export function nginxErrorPage(status: 404 | 502 | 503 | 504, now: number): HttpResponse {
  const title = ERRORS[status];
  const body = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
  return {
    status,
    reason: title.slice(4),
    headers: [['Date', httpDate(now)], ['Content-Type', 'text/html'], ['Content-Length', String(byteLength(body))], ['Connection', 'keep-alive']],
    body,
  };
}

export interface IngressExchange {
  route: IngressRoute;
  response: HttpResponse | 'empty';
  /** The controller → backend connection, when one was made. */
  upstream?: TraceResult;
}

/**
 * The request nginx sends upstream: the client's headers with ingress-nginx's proxy_set_header
 * lines applied (rootfs/etc/nginx/template/nginx.tmpl at controller-v1.11.3, location block, with
 * the ConfigMap defaults of internal/ingress/controller/config/config.go: use-forwarded-headers
 * false, generate-request-id true, upstream-keepalive-connections 320, proxy-add-original-uri-header
 * false):
 *   Host $best_http_host (the client's Host) · Upgrade $http_upgrade · Connection $connection_upgrade
 *   ('' with upstream keepalive) · X-Request-ID $req_id (the client's, else $request_id: 16 random
 *   bytes in hex) · X-Real-IP $remote_addr · X-Forwarded-For $remote_addr · X-Forwarded-Host
 *   $best_http_host · X-Forwarded-Port $pass_port (the port nginx accepted on, its https port
 *   mapped to 443) · X-Forwarded-Proto / X-Forwarded-Scheme / X-Scheme $pass_access_scheme ·
 *   X-Original-Forwarded-For $http_x_forwarded_for · Proxy "".
 * nginx sends no header whose value is empty, and does not pass a client header it sets itself.
 * $remote_addr is the peer of the controller's socket: the client after any SNAT on the way
 * (kube-proxy masquerades unless the controller Service has externalTrafficPolicy: Local).
 */
export function upstreamRequest(cluster: Cluster, req: HttpRequest, serverPort: number): HttpRequest {
  const scheme = serverPort === 443 ? 'https' : 'http';
  const requestId = requestHeader(req, 'X-Request-ID') || sha256Hex(`${cluster.config.seed}/request-id/${req.clientIp}:${req.clientPort}/${cluster.now}/${req.host}${req.path}`).slice(0, 32);
  const set: [string, string][] = [
    ['Upgrade', requestHeader(req, 'Upgrade') ?? ''],
    ['Connection', ''],
    ['X-Request-ID', requestId],
    ['X-Real-IP', req.clientIp],
    ['X-Forwarded-For', req.clientIp],
    ['X-Forwarded-Host', req.host],
    ['X-Forwarded-Port', String(serverPort)],
    ['X-Forwarded-Proto', scheme],
    ['X-Forwarded-Scheme', scheme],
    ['X-Scheme', scheme],
    ['X-Original-Forwarded-For', requestHeader(req, 'X-Forwarded-For') ?? ''],
    ['Proxy', ''],
  ];
  const names = new Set(set.map(([k]) => k.toLowerCase()));
  const passed = (req.headers ?? []).filter(([k]) => !names.has(k.toLowerCase()));
  return { ...req, headers: [...set.filter(([, v]) => v !== ''), ...passed] };
}

/**
 * `serverPort` is the port the controller accepted the connection on (80, or 443 for TLS); `req` carries
 * the client address as the controller saw it.
 */
export function serveThroughIngress(cluster: Cluster, trace: TraceFn | undefined, controller: PodRec, req: HttpRequest, serverPort = 80): IngressExchange {
  const route = routeIngress(cluster, req.host, req.path);
  if (route.status) return { route, response: nginxErrorPage(route.status, cluster.now) };
  const i = fnv32a(`${cluster.config.seed}/ingress/${req.clientIp}:${req.clientPort}/${req.host}${req.path}`) % route.endpoints.length;
  const { ep, port } = route.endpoints[i];
  if (!trace) return { route, response: nginxErrorPage(504, cluster.now) };
  const from = `${controller.meta.namespace ?? 'default'}/${controller.meta.name}`;
  const upstream = trace(cluster, { from, to: formatIpv4(ep.ip), proto: 'tcp', port });
  const backend = deliveredPod(cluster, upstream);
  const listener = backend ? listenerOf(backend, port, 'tcp') : undefined;
  if (upstream.verdict !== 'delivered') {
    const refused = upstream.hops.some((h) => /REJECT|port.unreachable|reject/i.test(h.detail));
    return { route, upstream, response: nginxErrorPage(refused ? 502 : 504, cluster.now) };
  }
  if (!backend || !listener) return { route, upstream: { ...upstream, reply: undefined }, response: nginxErrorPage(502, cluster.now) };
  if (!upstream.reply || upstream.reply.verdict !== 'delivered') return { route, upstream, response: nginxErrorPage(504, cluster.now) };
  if (!listener.app.http) return { route, upstream, response: nginxErrorPage(502, cluster.now) };
  const first = upstream.hops[0]?.packet;
  const forwarded: HttpRequest = { ...upstreamRequest(cluster, req, serverPort), clientIp: first?.src ?? formatIpv4(controller.attachment?.ip ?? 0), clientPort: first?.srcPort ?? 0 };
  const response = listener.app.http(forwarded, { pod: backend, podIp: backend.attachment ? formatIpv4(backend.attachment.ip) : '', now: cluster.now });
  return { route, upstream, response };
}
