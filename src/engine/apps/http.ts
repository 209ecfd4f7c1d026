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
