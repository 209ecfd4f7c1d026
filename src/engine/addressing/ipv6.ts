/**
 * IPv6 as far as an IPv4-only cluster needs it: recognising an IPv6 block in fields that accept
 * both families (the cluster keeps the IPv4 ones). Go's net.ParseCIDR decides what is valid, so
 * the embedded-IPv4 form (`::ffff:10.0.0.0/104`) counts, which ip-num's validator refuses.
 */
import { Cidr } from './ipv4';

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Go's net.ParseCIDR for an IPv6 block (`2001:db8::/64`, `::ffff:10.0.0.0/104`). */
export function isIpv6Cidr(text: string): boolean {
  const slash = text.indexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(text.slice(slash + 1)) || Number(text.slice(slash + 1)) > 128) return false;
  let addr = text.slice(0, slash);
  if (!addr.includes(':')) return false;
  let groupsNeeded = 8;
  // An embedded IPv4 tail counts as two groups.
  const lastColon = addr.lastIndexOf(':');
  if (addr.slice(lastColon + 1).includes('.')) {
    if (Cidr.parse(`${addr.slice(lastColon + 1)}/32`) === null) return false;
    addr = addr.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const halves = addr.split('::');
  if (halves.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const all = halves.flatMap(groups);
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? all.length < groupsNeeded : all.length === groupsNeeded;
}
