/**
 * The names a stub resolver tries for one lookup, in order:
 * - glibc (resolv/res_query.c __res_context_search): a trailing dot → only the name as given;
 *   fewer dots than ndots → each search suffix in order, then the name as given; otherwise the
 *   name as given first, then each search suffix;
 * - musl (src/network/lookup_name.c name_from_dns_search): a trailing dot or at least ndots
 *   dots → only the name; otherwise each search suffix, then the name;
 * - BusyBox 1.36 nslookup (networking/nslookup.c add_query_with_search): a name without any
 *   dot → each search suffix only (never the bare name); any dot → only the name. It ignores ndots.
 * bind's dig +search and nslookup/host follow the glibc order (lib/dns/.. dighost.c).
 */
export type StubFlavor = 'glibc' | 'musl' | 'busybox-nslookup' | 'bind';

export function candidateNames(name: string, search: string[], ndots: number, flavor: StubFlavor): string[] {
  if (name.endsWith('.')) return [name];
  const dots = (name.match(/\./g) ?? []).length;
  const withSearch = search.map((s) => `${name}.${s.replace(/\.$/, '')}.`);
  const asIs = `${name}.`;
  switch (flavor) {
    case 'busybox-nslookup':
      return dots === 0 && search.length ? withSearch : [asIs];
    case 'musl':
      return dots >= ndots ? [asIs] : [...withSearch, asIs];
    case 'glibc':
    case 'bind':
      return dots >= ndots ? [asIs, ...withSearch] : [...withSearch, asIs];
  }
}
