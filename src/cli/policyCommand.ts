/**
 * `podpath policy matrix|explain`: NetworkPolicy connectivity of the loaded cluster.
 * matrix: every pod × every pod (or one namespace's) on a port and protocol, as upstream's e2e
 * truth table (`.` allowed, `X` denied) or JSON `{port, protocol, pods, results: [{from, to,
 * allowed}]}`; explain: one connection's verdict and the policies and rules behind it.
 * Exit status: matrix 0; explain 0 when the connection is allowed on this cluster, 1 when not.
 */
import type { Cluster } from '../engine/index';
import { explainConnection } from '../engine/policy/explain';
import { connectivityMatrix, matrixJson, matrixTable } from '../engine/policy/matrix';
import type { ConnProtocol } from '../engine/policy/types';
import type { CliIo } from './io';

export function runMatrix(cluster: Cluster, io: CliIo, opts: { namespace?: string; proto: ConnProtocol; port?: number; json: boolean; intent: boolean }): number {
  const m = connectivityMatrix(cluster, { proto: opts.proto, ...(opts.port !== undefined ? { port: opts.port } : {}), ...(opts.namespace ? { namespace: opts.namespace } : {}), intent: opts.intent });
  if (opts.json) {
    io.stdout(JSON.stringify(matrixJson(m), null, 2) + '\n');
    return 0;
  }
  const what = `${opts.proto}${opts.port !== undefined ? `/${opts.port}` : ''}`;
  let head = `NetworkPolicy connectivity on ${what}${opts.namespace ? ` in namespace ${opts.namespace}` : ''} (rows: from, columns: to; . allowed, X denied)${opts.intent ? ', as the policies say' : ''}\n`;
  if (m.notEnforced) head += `NOT ENFORCED: ${m.notEnforced}. Every connection below is allowed; add --intent to see what the policies would allow.\n`;
  io.stdout(head + matrixTable(m));
  return 0;
}

export function runExplain(cluster: Cluster, io: CliIo, from: string, to: string, proto: ConnProtocol, port?: number): number {
  const e = explainConnection(cluster, from, to, proto, port);
  if (typeof e === 'string') {
    io.stderr(`podpath policy explain: ${e}\n`);
    return 1;
  }
  io.stdout(e.text);
  return e.allowed ? 0 : 1;
}
