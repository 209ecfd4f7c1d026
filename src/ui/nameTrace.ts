/**
 * A trace to a DNS name: the source pod runs the command a user would type (`ping`, `nc -z`)
 * in the engine's shell, so the name goes through that pod's resolv.conf, search list and
 * CoreDNS (each query a traced UDP packet) before the packet itself leaves. Nothing here
 * resolves anything: the shell and the engine do.
 */
import { engineShell } from '../engine/engineShell';
import type { Cluster } from '../engine/model/cluster';
import type { TraceRequest, TraceResult } from '../engine/trace/traceTypes';

export interface NameTrace {
  /** The command line run, as it would be typed in the terminal. */
  command: string;
  /** What it printed (stdout and stderr). */
  output: string;
  /** Every packet it sent: the DNS queries first, the packet to the name last. */
  traces: TraceResult[];
}

function commandFor(req: TraceRequest): string {
  if (req.proto === 'icmp') return `ping -c 1 -W 1 ${req.to}`;
  return `nc -z${req.proto === 'udp' ? 'u' : ''}v -w 2 ${req.to} ${req.port ?? (req.proto === 'udp' ? 53 : 80)}`;
}

export function traceName(cluster: Cluster, req: TraceRequest): NameTrace {
  const [namespace, pod] = req.from.split('/');
  if (req.from === 'external' || namespace === 'node' || !pod) {
    return { command: '', output: `${req.to} is a cluster DNS name: only a pod's resolver (CoreDNS through its resolv.conf) knows it. Pick a pod as the source, or trace to the Service's address.`, traces: [] };
  }
  const command = `kubectl exec -n ${namespace} ${pod} -- ${commandFor(req)}`;
  const r = engineShell(cluster).run(command);
  return { command, output: r.stdout + r.stderr, traces: r.traces ?? [] };
}
