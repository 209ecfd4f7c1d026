/**
 * IPv4 addresses and CIDR blocks.
 *
 * Addresses are unsigned 32-bit numbers inside the engine (fast to compare, hash and
 * mask across 150,000 pods); strings are parsed and validated once at the boundary with
 * ip-num's Validator, and `Cidr` carries the value-type helpers (contains, overlaps,
 * broadcast, nth) so the arithmetic exists in one place.
 */
// ip-num's Validator module alone (its package index pulls every class it has into the page).
import { Validator } from 'ip-num/dist/src/Validator';

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;

/** 255.255.255.255. */
export const MAX_IPV4 = 0xffffffff;

/** Parse a dotted-quad address; null when it is not a valid IPv4 address. */
export function parseIpv4(text: string): Ipv4 | null {
  // Fast path for the common case; ip-num's validator decides the odd cases
  // (leading zeros, whitespace) so our notion of "valid" matches a real parser.
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^\d+$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    if (p.length > 1 && p[0] === '0') {
      const [ok] = Validator.isValidIPv4String(text);
      if (!ok) return null;
    }
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function formatIpv4(ip: Ipv4): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Netmask for a prefix length, as an unsigned 32-bit number. */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** A network block `address/prefix`; `network` always has its host bits cleared. */
export class Cidr {
  readonly network: Ipv4;
  readonly prefix: number;

  constructor(network: Ipv4, prefix: number) {
    this.prefix = prefix;
    this.network = (network & prefixMask(prefix)) >>> 0;
  }

  /**
   * Parse `a.b.c.d/n`. Returns null for malformed text. With `strict`, host bits must be
   * zero (the API server rejects `10.244.1.5/24` as a podCIDR the same way).
   */
  static parse(text: string, strict = false): Cidr | null {
    const slash = text.indexOf('/');
    if (slash < 0) return null;
    const ip = parseIpv4(text.slice(0, slash));
    const prefixText = text.slice(slash + 1);
    if (ip === null || !/^\d{1,2}$/.test(prefixText)) return null;
    const prefix = Number(prefixText);
    if (prefix > 32) return null;
    if (strict && ((ip & ~prefixMask(prefix)) >>> 0) !== 0) return null;
    return new Cidr(ip, prefix);
  }

  static host(ip: Ipv4): Cidr {
    return new Cidr(ip, 32);
  }

  get mask(): number {
    return prefixMask(this.prefix);
  }

  /** Number of addresses in the block. */
  get size(): number {
    return 2 ** (32 - this.prefix);
  }

  get broadcast(): Ipv4 {
    return (this.network | ~this.mask) >>> 0;
  }

  /**
   * The i-th address counted from the network address (0). Never wraps: an offset before
   * 0.0.0.0 or past 255.255.255.255 is a RangeError (callers check `has(i)` or the size first);
   * an offset past the block but inside the address space is allowed (the address after it).
   */
  nth(i: number): Ipv4 {
    const ip = this.network + i;
    if (!Number.isInteger(i) || ip < 0 || ip > MAX_IPV4) throw new RangeError(`${this}: offset ${i} leaves the IPv4 address space`);
    return ip;
  }

  /** Whether the block has an i-th address (0 ≤ i < size). */
  has(i: number): boolean {
    return Number.isInteger(i) && i >= 0 && i < this.size;
  }

  /** Offset of an address inside the block. */
  offsetOf(ip: Ipv4): number {
    return ip - this.network;
  }

  contains(ip: Ipv4): boolean {
    return ((ip & this.mask) >>> 0) === this.network;
  }

  containsSubnet(other: Cidr): boolean {
    return other.prefix >= this.prefix && this.contains(other.network);
  }

  overlaps(other: Cidr): boolean {
    return this.containsSubnet(other) || other.containsSubnet(this);
  }

  equals(other: Cidr): boolean {
    return this.network === other.network && this.prefix === other.prefix;
  }

  /** The i-th subnet of the given (longer) prefix length inside this block; a RangeError outside it (no wrapping). */
  subnet(prefix: number, i: number): Cidr {
    const count = prefix >= this.prefix ? 2 ** (prefix - this.prefix) : 0;
    if (!Number.isInteger(i) || i < 0 || i >= count) throw new RangeError(`${this}: no subnet /${prefix} number ${i}`);
    return new Cidr(this.network + i * 2 ** (32 - prefix), prefix);
  }

  toString(): string {
    return `${formatIpv4(this.network)}/${this.prefix}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
