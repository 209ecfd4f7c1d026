/**
 * The bitmap allocator Cilium vendors from Kubernetes (cilium pkg/ipam/service/allocator/bitmap.go,
 * randomScanStrategy): pick a random offset, then scan forward, wrapping, for the first free one.
 * The range (pkg/ipam/service/ipallocator NewCIDRRange) leaves out the network and broadcast
 * addresses: offset 0 is `.1`. Randomness comes from the engine's seeded Rng.
 */
import type { Ipv4 } from '../ipv4';
import type { Rng } from '../../sim/rng';

export class RandomScanRange {
  private readonly used: Uint8Array;
  private count = 0;

  /** `base` is the first usable address, `max` how many there are. */
  constructor(
    readonly base: Ipv4,
    readonly max: number,
  ) {
    this.used = new Uint8Array(Math.max(0, max));
  }

  offsetOf(ip: Ipv4): number | null {
    const o = ip - this.base;
    return o >= 0 && o < this.max ? o : null;
  }

  /** Allocate(ip): false when outside the range or taken. */
  take(ip: Ipv4): boolean {
    const o = this.offsetOf(ip);
    if (o === null || this.used[o] === 1) return false;
    this.used[o] = 1;
    this.count++;
    return true;
  }

  has(ip: Ipv4): boolean {
    const o = this.offsetOf(ip);
    return o !== null && this.used[o] === 1;
  }

  /** AllocateNext with the random scan strategy; null when the range is full. */
  next(rng: Rng): Ipv4 | null {
    if (this.count >= this.max) return null;
    const offset = rng.int(this.max);
    for (let i = 0; i < this.max; i++) {
      const at = (offset + i) % this.max;
      if (this.used[at] === 0) {
        this.used[at] = 1;
        this.count++;
        return this.base + at;
      }
    }
    return null;
  }

  release(ip: Ipv4): void {
    const o = this.offsetOf(ip);
    if (o !== null && this.used[o] === 1) {
      this.used[o] = 0;
      this.count--;
    }
  }
}
