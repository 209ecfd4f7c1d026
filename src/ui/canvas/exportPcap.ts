/**
 * "Download pcapng": the current trace (for a trace to a DNS name, every packet the lookup sent:
 * the DNS queries, then the packet to the name) as a pcapng file for Wireshark. Loaded on first
 * use, with the encoder (engine/export/pcapng.ts), so the first page load does not carry it.
 */
import { tracePcapng } from '../../engine/export/pcapng';
import type { Cluster } from '../../engine/model/cluster';
import type { TraceResult } from '../../engine/trace/traceTypes';
import { download } from './exportImage';

/** `demo-client-to-web-589ccc5944-fkcv6.pcapng`: the cluster and the endpoints, safe as a file name. */
export function pcapFileName(cluster: string, from: string, to: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe(cluster)}-${safe(from)}-to-${safe(to)}.pcapng`;
}

export function exportPcap(cluster: Cluster, traces: TraceResult[], from: string, to: string) {
  const bytes = tracePcapng(cluster, traces, { comment: `podpath trace ${from} → ${to} (cluster ${cluster.config.name})` });
  download(new Blob([bytes], { type: 'application/x-pcapng' }), pcapFileName(cluster.config.name, from, to));
}
