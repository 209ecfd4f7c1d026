/** HTTP/1.1 requests and responses as the simulated servers see and produce them. */
import { EPOCH_MS } from '../sim/clock';

export interface HttpRequest {
  method: string;
  path: string;
  /** The Host header (what the client put in the URL). */
  host: string;
  userAgent: string;
  /** Client address and port as the server sees them (after any NAT). */
  clientIp: string;
  clientPort: number;
  /**
   * The other header fields, in the order the client wrote them (curl's `Accept`, its `-H`
   * headers; BusyBox wget's `Connection: close`). Absent: none.
   */
  headers?: [string, string][];
}

/** The first value of a request header (names compare case-insensitively, RFC 9110 § 5.1). */
export function requestHeader(req: Pick<HttpRequest, 'headers'>, name: string): string | undefined {
  const n = name.toLowerCase();
  return req.headers?.find(([k]) => k.toLowerCase() === n)?.[1];
}

/** Go's textproto.CanonicalMIMEHeaderKey: `x-real-ip` → `X-Real-Ip`. */
export function canonicalHeaderKey(k: string): string {
  return k.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/**
 * The request as a Go server re-writes it with `(*http.Request).Write` (net/http request.go),
 * which is what traefik/whoami echoes: the request line, `Host`, `User-Agent`, `Connection: close`
 * when the client asked to close (the server's readTransfer removed that header and set
 * r.Close; transferWriter writes it back), then the other headers sorted by canonical key
 * (Header.writeSubset), each line ending in CRLF, and an empty line.
 */
export function goRequestWrite(req: HttpRequest): string {
  const close = /(^|,)\s*close\s*(,|$)/i.test(requestHeader(req, 'Connection') ?? '');
  const skip = new Set(['host', 'user-agent', 'connection', 'content-length', 'transfer-encoding', 'trailer']);
  const rest = new Map<string, string[]>();
  for (const [k, v] of req.headers ?? []) {
    if (skip.has(k.toLowerCase())) continue;
    const key = canonicalHeaderKey(k);
    rest.set(key, [...(rest.get(key) ?? []), v]);
  }
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${req.host}`, `User-Agent: ${req.userAgent}`, ...(close ? ['Connection: close'] : [])];
  for (const key of [...rest.keys()].sort()) for (const v of rest.get(key)!) lines.push(`${key}: ${v}`);
  return lines.map((l) => `${l}\r\n`).join('') + '\r\n';
}

export interface HttpResponse {
  status: number;
  reason: string;
  /** In the order the server writes them. */
  headers: [string, string][];
  body: string;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** RFC 7231 IMF-fixdate of a simulated time (seconds since the scenario epoch). */
export function httpDate(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  return `${DAYS[d.getUTCDay()]}, ${p2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} GMT`;
}

/** nginx's access-log time: `01/Jan/2024:00:05:00 +0000`. */
export function clfDate(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
}

/** Byte length of a UTF-8 body (Content-Length). */
export function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

export const REASONS: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed', 500: 'Internal Server Error', 503: 'Service Unavailable' };

/** Go's log package stamp: `2024/01/01 00:05:00`. */
export function logStamp(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}
