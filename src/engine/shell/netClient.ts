/**
 * What a network client in a place needs: the image it runs (which decides the tool flavours:
 * busybox applets, bind-utils, GNU/curl), its libc's resolver behaviour (musl on busybox and
 * Alpine images, glibc elsewhere), its /etc/resolv.conf and /etc/hosts, and an exchange
 * environment that traces every packet into the session.
 */
import { parseIpv4 } from '../addressing/ipv4';
import { imageName, imageTag } from '../apps/catalog';
import { hostsLookup, resolveName } from '../dns/stub';
import { netStateOf } from '../apps/state';
import type { ExchangeEnv } from '../dns/exchange';
import type { StubFlavor } from '../dns/searchList';
import { findPod, readFileIn } from './files';
import type { Ctx, Place } from './types';

/** The trace source for a place: `ns/pod` or `node/NAME`. */
export function traceFrom(ctx: Ctx, place: Place): string | undefined {
  if (place.kind === 'pod' || place.kind === 'netns') {
    const pod = findPod(ctx.session.cluster, place.namespace, place.name);
    if (pod?.hostNetwork) return `node/${pod.nodeName}`;
    return `${place.namespace}/${place.name}`;
  }
  if (place.kind === 'node') return `node/${place.node}`;
  return undefined;
}

/** The image of the container the place runs in ('' on nodes). */
export function imageOf(ctx: Ctx): string {
  const place = ctx.place;
  if (place.kind !== 'pod') return '';
  const pod = findPod(ctx.session.cluster, place.namespace, place.name);
  return pod?.containers.find((c) => c.name === place.container)?.image ?? pod?.containers[0]?.image ?? '';
}

/** musl for busybox/Alpine-based images (netshoot is Alpine), glibc for Debian ones and nodes. */
export function libcOf(ctx: Ctx): 'musl' | 'glibc' {
  const image = imageOf(ctx);
  if (!image) return 'glibc';
  const name = imageName(image);
  if (/alpine/.test(imageTag(image)) || /^(alpine|netshoot|curl)$/.test(name)) return 'musl';
  if (ctx.place.kind === 'pod' && ctx.place.tools === 'busybox') return 'musl';
  return 'glibc';
}

export function stubFlavorOf(ctx: Ctx): StubFlavor {
  return libcOf(ctx);
}

/** BusyBox older than 1.29 (busybox:1.28, which Kubernetes' DNS debugging page uses): the getaddrinfo nslookup. */
export function isOldBusybox(ctx: Ctx): boolean {
  const m = /^1\.(\d+)/.exec(imageTag(imageOf(ctx)));
  return !!m && Number(m[1]) < 29;
}

export function resolvConfIn(ctx: Ctx): string {
  return readFileIn(ctx.session, ctx.place, '/etc/resolv.conf') ?? '';
}

export function hostsIn(ctx: Ctx): string {
  return readFileIn(ctx.session, ctx.place, '/etc/hosts') ?? '';
}

export function exchangeEnvOf(ctx: Ctx): ExchangeEnv | undefined {
  // The workstation (`$ ` prompt) sends as the external client outside the cluster (external/world.ts).
  const from = traceFrom(ctx, ctx.place) ?? (ctx.place.kind === 'host' ? 'external' : undefined);
  if (!from) return undefined;
  const session = ctx.session;
  return {
    cluster: session.cluster,
    from,
    ...(session.options.trace ? { trace: session.options.trace } : {}),
    record: (t) => session.traces.push(t),
    state: netStateOf(session),
  };
}

/** A host name as the place's libc resolves it: a literal, /etc/hosts, then DNS over its resolv.conf (each query traced). */
export interface Resolved {
  ip?: string;
  /** The name the address belongs to after search expansion and CNAMEs (getaddrinfo's AI_CANONNAME), when DNS answered. */
  canonical?: string;
  error?: 'notfound' | 'timeout';
  v6: string[];
}

export function resolveHostName(ctx: Ctx, host: string): Resolved {
  if (parseIpv4(host) !== null) return { ip: host, v6: [] };
  const fromHosts = hostsLookup(hostsIn(ctx), host);
  if (fromHosts) return { ip: fromHosts, v6: [] };
  const env = exchangeEnvOf(ctx);
  if (!env) return { error: 'timeout', v6: [] };
  const r = resolveName(env, resolvConfIn(ctx), host, { flavor: stubFlavorOf(ctx), types: ['A', 'AAAA'] });
  if (r.addresses.length) return { ip: r.addresses[0], v6: r.ipv6, ...(r.canonical ? { canonical: r.canonical } : {}) };
  return { error: r.error === 'timeout' ? 'timeout' : 'notfound', v6: [] };
}
