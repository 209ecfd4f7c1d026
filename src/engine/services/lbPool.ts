/**
 * The simulated cloud load balancer: LoadBalancer Services get status.loadBalancer.ingress[0].ip
 * from 203.0.113.0/24 (TEST-NET-3, RFC 5737: documentation addresses that never route on the
 * Internet). Like MetalLB's allocator (and cloud-provider-kind), it hands out the first free
 * address, from .1; spec.loadBalancerIP, when set, is honoured.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';

export const LOAD_BALANCER_POOL = Cidr.parse('203.0.113.0/24')!;

export class LoadBalancerPool {
  private readonly used = new Set<Ipv4>();
  private cursor = 1;

  constructor(readonly pool: Cidr = LOAD_BALANCER_POOL) {}

  take(ip: Ipv4): boolean {
    if (this.used.has(ip)) return false;
    this.used.add(ip);
    return true;
  }

  /** First free address of the pool (network and broadcast excluded), or null when exhausted. */
  next(): Ipv4 | null {
    for (; this.cursor < this.pool.size - 1; this.cursor++) {
      const ip = this.pool.nth(this.cursor);
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    return null;
  }
}
