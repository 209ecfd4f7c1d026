/**
 * A cloud fabric's route table: where the AWS VPC, the GCP VPC or an Azure VNet delivers a
 * packet, by longest-prefix match over what the cloud routes to each node (FabricRoute: ENI or
 * NIC secondary IPs, GCP alias IP ranges, Azure CNI Overlay's per-node ranges). Built once per
 * cluster from `CniPlugin.fabricRoutes` (cni/network.ts), so a route exists because a node holds
 * the range, never because a trace expects one.
 *
 * Lookup is one hash probe per distinct prefix length (typically two: /32 secondary IPs, or the
 * /24 alias ranges), so 150,000 AWS pod IPs cost no more per packet than three.
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { FabricRoute } from '../model/netns';

export class FabricTable {
  /** prefix length → network address → route; lengths longest first. */
  private byLength = new Map<number, Map<number, FabricRoute>>();
  private lengths: number[] = [];

  constructor(readonly routes: readonly FabricRoute[]) {
    for (const r of routes) {
      let m = this.byLength.get(r.dst.prefix);
      if (!m) this.byLength.set(r.dst.prefix, (m = new Map()));
      // First writer wins, like a cloud refusing a second, overlapping alias range (validation reports it).
      if (!m.has(r.dst.network)) m.set(r.dst.network, r);
    }
    this.lengths = [...this.byLength.keys()].sort((a, b) => b - a);
  }

  /**
   * The most specific route for `ip` that a sender may use: `from: 'vpc'` (a VM outside the
   * cluster) skips `cluster`-reach routes, which the cloud programs for the cluster's nodes only.
   */
  lookup(ip: Ipv4, from: 'cluster' | 'vpc' = 'cluster'): FabricRoute | undefined {
    for (const len of this.lengths) {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const r = this.byLength.get(len)!.get((ip & mask) >>> 0);
      if (r && (from === 'cluster' || r.reach === 'vpc')) return r;
    }
    return undefined;
  }
}
