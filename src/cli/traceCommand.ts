/**
 * `podpath trace`: one packet from FROM to TO through the loaded cluster, printed by the trace
 * module's pretty printer, or as the JSON contract with --json. Exit 0 when the packet is
 * delivered, 1 when it is dropped or unreachable.
 *
 * FROM may be `external` (the client outside the cluster, 198.51.100.10) or `external/NAME`.
 * With --host or --path the request is HTTP through ingress-nginx: the client's connection to
 * the controller, the Ingress rule that matched, and nginx's new connection to the backend pod
 * are printed one after the other (JSON: {client, ingress, upstream}).
 *
 * With --pcap FILE the hops are also written to FILE as pcapng (export/pcapng.ts), for Wireshark
 * or `tcpdump -r`; both connections of an ingress request go in the one file.
 */
import { trace, type Cluster, type TraceRequest } from '../engine/index';
import { traceIngress } from '../engine/ingress/proxy';
import { formatTrace, traceToJson } from '../engine/trace/tracer';
import type { TraceResult } from '../engine/trace/traceTypes';
import { tracePcapng } from '../engine/export/pcapng';
import type { CliIo } from './io';

export interface IngressOptions {
  host?: string;
  path?: string;
}

export function runTrace(cluster: Cluster, io: CliIo, req: TraceRequest, json: boolean, ingress?: IngressOptions, pcap?: string): number {
  if (ingress && (ingress.host !== undefined || ingress.path !== undefined)) return runIngressTrace(cluster, io, req, json, ingress, pcap);
  const result = trace(cluster, req);
  io.stdout(json ? JSON.stringify(traceToJson(result), null, 2) + '\n' : formatTrace(result));
  if (pcap !== undefined && !writePcap(cluster, io, pcap, [result], `${req.from} → ${req.to} ${req.proto}${req.port !== undefined ? `/${req.port}` : ''}`)) return 1;
  return result.verdict === 'delivered' ? 0 : 1;
}

/**
 * Write the traces as pcapng; false (after saying why on stderr) when the file cannot be written.
 * A trace that never left its start (unreachable: no such pod) has no packet: no file is written
 * (a capture with no interface, which tcpdump -r refuses), and stderr says so.
 */
function writePcap(cluster: Cluster, io: CliIo, path: string, traces: TraceResult[], comment: string): boolean {
  if (!traces.some((t) => t.hops.some((h) => h.device && h.repr))) {
    io.stderr(`podpath: ${path} not written: the trace has no packet${traces[0]?.reason ? ` (${traces[0].reason})` : ''}\n`);
    return true;
  }
  try {
    io.writeFile(path, tracePcapng(cluster, traces, { comment: `podpath trace ${comment}` }));
    return true;
  } catch (e) {
    io.stderr(`podpath: cannot write ${path}: ${(e as Error).message}\n`);
    return false;
  }
}

function runIngressTrace(cluster: Cluster, io: CliIo, req: TraceRequest, json: boolean, o: IngressOptions, pcap?: string): number {
  const host = o.host ?? req.to;
  const path = o.path ?? '/';
  const x = traceIngress(cluster, (c, r) => trace(c, r), { ...req, proto: 'tcp', host, path });
  const ok = x.client.verdict === 'delivered' && !!x.proxied && x.proxied.verdict === 'delivered';
  if (json) {
    const ingress = x.route
      ? {
          rule: x.route.match ? { ingress: `${x.route.match.ingress.namespace}/${x.route.match.ingress.name}`, field: x.route.match.field, host: x.route.match.host ?? null, path: x.route.match.path ?? null, pathType: x.route.match.pathType ?? null } : null,
          backend: x.route.backend ?? null,
          status: x.route.status ?? null,
          upstream: x.upstream ?? null,
          explain: x.summary,
        }
      : { explain: x.summary };
    io.stdout(JSON.stringify({ client: traceToJson(x.client), ingress, upstream: x.proxied ? traceToJson(x.proxied) : null }, null, 2) + '\n');
  } else {
    let text = `# HTTP ${path} Host: ${host}: client → ingress controller\n${formatTrace(x.client)}`;
    text += `# ingress-nginx: ${x.summary}\n`;
    if (x.proxied) text += `# nginx → backend (a new connection, to the endpoint directly)\n${formatTrace(x.proxied)}`;
    io.stdout(text);
  }
  if (pcap !== undefined && !writePcap(cluster, io, pcap, [x.client, ...(x.proxied ? [x.proxied] : [])], `${req.from} → ${host}${path} (HTTP through ingress-nginx)`)) return 1;
  return ok ? 0 : 1;
}
