/**
 * Lines other modules add to a node's iptables-save output (NetworkPolicy: Calico's cali-*
 * filter chains). A contributor returns chain names (declared `:NAME - [0:0]`) and
 * `-A CHAIN ...` rule lines in iptables-save syntax. Rules for built-in chains go before
 * kube-proxy's (Felix inserts its jumps at the top); rules for their own chains are listed
 * under those chains. They are shown and exported, not evaluated by the kube-proxy provider
 * (the contributor's own netfilter hook enforces them).
 */
import type { Cluster } from '../model/cluster';
import type { Table } from './rules';

export type IptablesContributor = (cluster: Cluster, node: string, table: Table) => { chains: string[]; rules: string[] };

export const IPTABLES_CONTRIBUTORS: IptablesContributor[] = [];

export function registerIptablesContributor(c: IptablesContributor): void {
  if (!IPTABLES_CONTRIBUTORS.includes(c)) IPTABLES_CONTRIBUTORS.push(c);
}
