/**
 * One CoreDNS server answering one query through its plugin chain as the Corefile orders it:
 * kubernetes (authoritative for its zones; reverse-zone misses fall through), then forward to
 * the upstream resolver. ExternalName CNAMEs are followed upstream, as CoreDNS does for
 * targets outside its zones. The response echoes the client's EDNS options (the cookie).
 */
import type { Cluster } from '../model/cluster';
import { corefileOf, type CorefileConfig } from './corefile';
import { kubernetesAnswer, type ZoneEnv } from './kubernetesZone';
import type { Query, Response } from './message';
import { servicesOf } from '../services/table';
import { upstreamAnswer } from './upstream';

export interface ServeResult {
  response: Response;
  /** Answered by forward (upstream), not by the kubernetes plugin. */
  forwarded: boolean;
}

export function zoneEnvOf(cluster: Cluster, config: CorefileConfig = corefileOf(cluster)): ZoneEnv {
  return { cluster, table: servicesOf(cluster), config };
}

export function serve(cluster: Cluster, query: Query, config: CorefileConfig = corefileOf(cluster)): ServeResult {
  const env = zoneEnvOf(cluster, config);
  const base = { id: query.id, question: query.question, rd: query.rd, ...(query.edns ? { edns: { udpSize: query.edns.udpSize, ...(query.edns.cookie ? { cookie: query.edns.cookie } : {}) } } : {}) };
  const zone = kubernetesAnswer(env, query.question);
  if (zone !== 'fallthrough') {
    const answer = [...zone.answer];
    if (zone.chase && config.forward) answer.push(...upstreamAnswer({ name: zone.chase, type: query.question.type }).answer);
    return { response: { ...base, rcode: zone.rcode, aa: true, ra: false, answer, authority: zone.authority, additional: zone.additional }, forwarded: false };
  }
  if (!config.forward) return { response: { ...base, rcode: 'REFUSED', aa: false, ra: false, answer: [], authority: [], additional: [] }, forwarded: false };
  const up = upstreamAnswer(query.question);
  return { response: { ...base, rcode: up.rcode, aa: false, ra: true, answer: up.answer, authority: up.authority, additional: [] }, forwarded: true };
}

/** The upstream resolver itself (a pod with dnsPolicy Default asks it directly). */
export function serveUpstream(query: Query): Response {
  const up = upstreamAnswer(query.question);
  return { id: query.id, question: query.question, rd: query.rd, rcode: up.rcode, aa: false, ra: true, answer: up.answer, authority: up.authority, additional: [], ...(query.edns ? { edns: { ...query.edns } } : {}) };
}
