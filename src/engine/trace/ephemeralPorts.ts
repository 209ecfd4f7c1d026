/**
 * Source ports of the connections a client makes: the first is a hash of the request (stable
 * across runs), each further one steps on as Linux's connect() does.
 */
import { fnv32a } from '../util/hash';
import type { TraceRequest } from './traceTypes';

/** net.ipv4.ip_local_port_range's default, 32768–60999: connect() picks its source port there. */
export const EPHEMERAL_PORTS = { low: 32768, high: 60999 } as const;
export const ephemeralPort = (key: string) => EPHEMERAL_PORTS.low + (fnv32a(key) % (EPHEMERAL_PORTS.high - EPHEMERAL_PORTS.low + 1));
/** The request's key: what its first source port, IP id and ICMP id are hashed from. */
export const requestKey = (req: TraceRequest) => `${req.from}>${req.to}/${req.proto}/${req.port ?? ''}`;
/** The source port of a request's `n`th connection (0: the first): Linux's __inet_hash_connect steps by 2 from its offset. */
export function nthEphemeralPort(req: TraceRequest, n: number): number {
  const span = EPHEMERAL_PORTS.high - EPHEMERAL_PORTS.low + 1;
  return EPHEMERAL_PORTS.low + ((ephemeralPort(requestKey(req)) - EPHEMERAL_PORTS.low + 2 * n) % span);
}
