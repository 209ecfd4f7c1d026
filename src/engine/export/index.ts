/**
 * `exportLinux(cluster)`: the cluster's simulated network as a bash script that builds it for real
 * in Linux network namespaces (see script.ts), or an error saying why this cluster cannot be built
 * that way. Pure: used by `podpath export linux` and by the app's download button.
 */
import type { Cluster } from '../model/cluster';
import { fail, ok, type Result } from '../model/source';
import { whyNotExportable } from './exportable';
import { labScript } from './script';

export { EXPORTABLE_MODES, whyNotExportable } from './exportable';
export { labNames, type LabNames } from './names';

export function exportLinux(cluster: Cluster): Result<string> {
  const why = whyNotExportable(cluster);
  const object = `Cluster/${cluster.config.name}`;
  if (why) return fail([{ file: 'cluster', object, message: `cannot export CNI mode ${cluster.config.cni} to Linux: ${why}` }]);
  try {
    return ok(labScript(cluster));
  } catch (e) {
    // A device or entry the generator has no iproute2 form for: say which, rather than write a broken script.
    return fail([{ file: 'cluster', object, message: `cannot export to Linux: ${(e as Error).message}` }]);
  }
}
