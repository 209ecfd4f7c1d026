/**
 * kube-proxy's chain names (pkg/proxy/iptables/proxier.go portProtoHash and
 * servicePortEndpointChainName): sha256 of `ns/svc:port` + lowercase protocol (+ `ip:port` for an
 * endpoint), base32 (RFC 4648 standard alphabet, encoding/base32.StdEncoding), first 16
 * characters, behind the chain prefix. 28 characters in all, iptables' limit for a chain name.
 */
import { sha256Hex } from '../util/hash';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32.StdEncoding of the bytes of a hex string (padding omitted; callers take a prefix). */
export function base32OfHex(hex: string): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (let i = 0; i < hex.length; i += 2) {
    value = (value << 8) | parseInt(hex.slice(i, i + 2), 16);
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** `ns/name:port` (proxy.ServicePortName.String(); no `:port` for an unnamed port). */
export function servicePortName(namespace: string, name: string, port: string): string {
  return `${namespace}/${name}${port ? `:${port}` : ''}`;
}

/** portProtoHash: 16 characters of base32(sha256(servicePortName + protocol)). */
export function portProtoHash(svcPortName: string, protocol: string): string {
  return base32OfHex(sha256Hex(svcPortName + protocol.toLowerCase()).slice(0, 20)).slice(0, 16);
}

export const svcChain = (spn: string, proto: string) => `KUBE-SVC-${portProtoHash(spn, proto)}`;
export const svlChain = (spn: string, proto: string) => `KUBE-SVL-${portProtoHash(spn, proto)}`;
export const extChain = (spn: string, proto: string) => `KUBE-EXT-${portProtoHash(spn, proto)}`;
export const fwChain = (spn: string, proto: string) => `KUBE-FW-${portProtoHash(spn, proto)}`;

/** All four per-port chain names from one hash. */
export function portChains(spn: string, proto: string): { svc: string; svl: string; ext: string; fw: string } {
  const h = portProtoHash(spn, proto);
  return { svc: `KUBE-SVC-${h}`, svl: `KUBE-SVL-${h}`, ext: `KUBE-EXT-${h}`, fw: `KUBE-FW-${h}` };
}

/** KUBE-SEP-: sha256 of servicePortName + protocol + `ip:port`. */
export function sepChain(spn: string, proto: string, endpoint: string): string {
  return `KUBE-SEP-${base32OfHex(sha256Hex(spn + proto.toLowerCase() + endpoint).slice(0, 20)).slice(0, 16)}`;
}
