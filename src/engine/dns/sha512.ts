/**
 * SHA-512 (FIPS 180-4), for the Corefile digest CoreDNS's reload plugin logs
 * (`Running configuration SHA512 = …`). The round constants are the first 64 fractional bits
 * of the square and cube roots of the first primes, computed here rather than listed.
 */
const MASK = (1n << 64n) - 1n;

function iroot(n: bigint, k: bigint): bigint {
  // Newton's method for floor(n^(1/k)).
  let x = 1n << (BigInt(n.toString(2).length) / k + 1n);
  for (;;) {
    const y = ((k - 1n) * x + n / x ** (k - 1n)) / k;
    if (y >= x) return x;
    x = y;
  }
}

function primes(count: number): bigint[] {
  const out: bigint[] = [];
  for (let n = 2; out.length < count; n++) if (out.every((p) => BigInt(n) % p !== 0n)) out.push(BigInt(n));
  return out;
}

let constants: { h0: bigint[]; k: bigint[] } | undefined;
function consts() {
  if (!constants) {
    const ps = primes(80);
    constants = { h0: ps.slice(0, 8).map((p) => iroot(p << 128n, 2n) & MASK), k: ps.map((p) => iroot(p << 192n, 3n) & MASK) };
  }
  return constants;
}

const rotr = (x: bigint, n: bigint) => ((x >> n) | (x << (64n - n))) & MASK;

export function sha512Hex(text: string): string {
  const { h0, k } = consts();
  const bytes = new TextEncoder().encode(text);
  const len = Math.ceil((bytes.length + 17) / 128) * 128;
  const m = new Uint8Array(len);
  m.set(bytes);
  m[bytes.length] = 0x80;
  const bits = BigInt(bytes.length) * 8n;
  for (let i = 0; i < 16; i++) m[len - 1 - i] = Number((bits >> BigInt(8 * i)) & 0xffn);
  const h = [...h0];
  const w = new Array<bigint>(80);
  for (let off = 0; off < len; off += 128) {
    for (let i = 0; i < 16; i++) {
      let v = 0n;
      for (let j = 0; j < 8; j++) v = (v << 8n) | BigInt(m[off + i * 8 + j]);
      w[i] = v;
    }
    for (let i = 16; i < 80; i++) {
      const s0 = rotr(w[i - 15], 1n) ^ rotr(w[i - 15], 8n) ^ (w[i - 15] >> 7n);
      const s1 = rotr(w[i - 2], 19n) ^ rotr(w[i - 2], 61n) ^ (w[i - 2] >> 6n);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) & MASK;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let i = 0; i < 80; i++) {
      const t1 = (hh + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) + ((e & f) ^ (~e & MASK & g)) + k[i] + w[i]) & MASK;
      const t2 = ((rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & MASK;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) & MASK;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) & MASK;
    }
    const add = [a, b, c, d, e, f, g, hh];
    for (let i = 0; i < 8; i++) h[i] = (h[i] + add[i]) & MASK;
  }
  return h.map((x) => x.toString(16).padStart(16, '0')).join('');
}
