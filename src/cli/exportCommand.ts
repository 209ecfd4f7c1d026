/**
 * `podpath export linux -f FILE...`: print the lab script (engine/export) that builds the loaded
 * cluster's network in Linux network namespaces. Exit 1 when the cluster's CNI mode cannot be
 * built that way (the message says why).
 */
import type { Cluster } from '../engine/index';
import { exportLinux } from '../engine/export/index';
import type { CliIo } from './io';

export const EXPORT_TARGETS = ['linux'] as const;

export function runExport(cluster: Cluster, io: CliIo): number {
  const script = exportLinux(cluster);
  if (!script.ok) {
    for (const e of script.errors) io.stderr(`podpath export: ${e.message}\n`);
    return 1;
  }
  io.stdout(script.value);
  return 0;
}
