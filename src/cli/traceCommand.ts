/**
 * `podpath trace`: one packet from FROM to TO through the loaded cluster, printed by the trace
 * module's pretty printer, or as the JSON contract with --json. Exit 0 when the packet is
 * delivered, 1 when it is dropped or unreachable.
 */
import { trace, type Cluster, type TraceRequest } from '../engine/index';
import { formatTrace, traceToJson } from '../engine/trace/tracer';
import type { CliIo } from './io';

export function runTrace(cluster: Cluster, io: CliIo, req: TraceRequest, json: boolean): number {
  const result = trace(cluster, req);
  io.stdout(json ? JSON.stringify(traceToJson(result), null, 2) + '\n' : formatTrace(result));
  return result.verdict === 'delivered' ? 0 : 1;
}
