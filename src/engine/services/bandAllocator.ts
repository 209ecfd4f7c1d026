/**
 * The bitmap allocator behind Service IPs and node ports (pkg/registry/core/service/allocator,
 * `NewAllocationMapWithOffset` with `randomScanStrategyWithOffset`): a random start in the upper
 * band [offset, max), scanning forward with wrap-around; only when that band is full a random
 * start in the lower band [0, offset). The lower band is left for statically requested values
 * (KEP-3070 for ClusterIPs, KEP-3668 for NodePorts), so a requested IP or port rarely collides
 * with a random one. Used offsets are a Set: allocation is O(1) expected while the band is sparse.
 */
import type { Rng } from '../sim/rng';

export class BandAllocator {
  private readonly used = new Set<number>();

  constructor(
    readonly size: number,
    readonly offset: number,
  ) {}

  has(i: number): boolean {
    return this.used.has(i);
  }

  /** Reserve a specific offset; false when taken or out of range. */
  take(i: number): boolean {
    if (i < 0 || i >= this.size || this.used.has(i)) return false;
    this.used.add(i);
    return true;
  }

  release(i: number): void {
    this.used.delete(i);
  }

  /** A random free offset, or -1 when the range is full. */
  next(rng: Rng): number {
    if (this.used.size >= this.size) return -1;
    const upper = this.size - this.offset;
    if (upper > 0) {
      const start = rng.int(upper);
      for (let i = 0; i < upper; i++) {
        const at = this.offset + ((start + i) % upper);
        if (!this.used.has(at)) {
          this.used.add(at);
          return at;
        }
      }
    }
    if (this.offset > 0) {
      const start = rng.int(this.offset);
      for (let i = 0; i < this.offset; i++) {
        const at = (start + i) % this.offset;
        if (!this.used.has(at)) {
          this.used.add(at);
          return at;
        }
      }
    }
    return -1;
  }
}

/** min(max(min, size/step), max), 0 for tiny ranges: the graduated step of calculateRangeOffset. */
function rangeOffset(size: number, min: number, max: number, step: number): number {
  if (size <= min) return 0;
  return Math.min(Math.max(min, Math.floor(size / step)), max);
}

/** ipallocator.calculateRangeOffset (min 16, max 256, step 16) over the CIDR size: /12 → 256. */
export const ipRangeOffset = (cidrSize: number) => rangeOffset(cidrSize, 16, 256, 16);
/** portallocator.calculateRangeOffset (min 16, max 128, step 32): 30000-32767 → 86. */
export const nodePortRangeOffset = (rangeSize: number) => rangeOffset(rangeSize, 16, 128, 32);
