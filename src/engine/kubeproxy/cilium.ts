/**
 * Cilium's kube-proxy replacement as its CLI shows it (cilium-dbg v1.16, run inside the agent
 * pod): `cilium service list` (pkg/command, the service table with one line per backend) and
 * `cilium bpf lb list` (the lb4_services_v2 map: a master slot 0 per frontend, then one slot per
 * backend). Service IDs and backend IDs are allocated in Service order, as the agent does on a
 * fresh start.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { ServicePortView } from './endpoints';
import { backendsFor, type Frontend } from './lookup';

interface LbEntry {
  id: number;
  frontend: string;
  type: Frontend['kind'];
  backends: { id: number; addr: string }[];
}

function entries(views: ServicePortView[], nodeIps: number[]): LbEntry[] {
  const out: LbEntry[] = [];
  const backendIds = new Map<string, number>();
  const bid = (a: string) => {
    if (!backendIds.has(a)) backendIds.set(a, backendIds.size + 1);
    return backendIds.get(a)!;
  };
  const add = (frontend: string, kind: Frontend['kind'], v: ServicePortView) => {
    const P = v.port.protocol;
    const backends = backendsFor({ view: v, kind }).map((e) => {
      const addr = `${e.text}/${P}`;
      return { id: bid(addr), addr };
    });
    out.push({ id: out.length + 1, frontend: `${frontend}/${P}`, type: kind, backends });
  };
  for (const v of views) {
    add(`${formatIpv4(v.svc.clusterIP!)}:${v.port.port}`, 'ClusterIP', v);
    for (const ip of v.svc.externalIPs) add(`${formatIpv4(ip)}:${v.port.port}`, 'ExternalIP', v);
    if (v.svc.loadBalancerIP !== undefined) add(`${formatIpv4(v.svc.loadBalancerIP)}:${v.port.port}`, 'LoadBalancer', v);
    if (v.port.nodePort !== undefined) {
      add(`0.0.0.0:${v.port.nodePort}`, 'NodePort', v);
      for (const ip of nodeIps) add(`${formatIpv4(ip)}:${v.port.nodePort}`, 'NodePort', v);
    }
  }
  return out;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c] + 3))).join('').replace(/\s+$/, '')).join('\n') + '\n';
}

export function ciliumServiceList(views: ServicePortView[], nodeIps: number[]): string {
  const rows: string[][] = [['ID', 'Frontend', 'Service Type', 'Backend']];
  for (const e of entries(views, nodeIps)) {
    if (!e.backends.length) rows.push([String(e.id), e.frontend, e.type, '']);
    e.backends.forEach((b, i) => rows.push(i === 0 ? [String(e.id), e.frontend, e.type, `${i + 1} => ${b.addr} (active)`] : ['', '', '', `${i + 1} => ${b.addr} (active)`]));
  }
  return table(rows);
}

export function ciliumBpfLbList(views: ServicePortView[], nodeIps: number[]): string {
  const rows: string[][] = [['SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)']];
  for (const e of entries(views, nodeIps)) {
    const flags = e.type === 'ClusterIP' ? '[ClusterIP, non-routable]' : e.type === 'NodePort' ? '[NodePort]' : `[${e.type}]`;
    rows.push([`${e.frontend} (0)`, `0.0.0.0:0 (${e.id}) (0) ${flags}`]);
    e.backends.forEach((b, i) => rows.push([`${e.frontend} (${i + 1})`, `${b.addr} (${e.id}) (${i + 1})`]));
  }
  return table(rows);
}
