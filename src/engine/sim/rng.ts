/**
 * Seeded random source (mulberry32). The state is a plain number kept in the cluster
 * snapshot, so replaying a snapshot replays the same "random" pod suffixes and MACs.
 */
export class Rng {
  constructor(public state: number) {}

  /** Next float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** `n` characters drawn from `alphabet`. */
  string(n: number, alphabet: string): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }

  hex(n: number): string {
    return this.string(n, '0123456789abcdef');
  }
}

/** k8s.io/apimachinery/pkg/util/rand: the alphabet for generated name suffixes (no vowels, no 0/1/3 lookalikes). */
export const K8S_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
