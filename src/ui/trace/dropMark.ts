/**
 * Where a trace's packet was dropped and what the canvas writes there (issue 13 point 5): the
 * last hop of a leg that was not delivered is the drop, whatever its action (a netfilter hook,
 * an eBPF program, a route). A NetworkPolicy drop names the policy and the enforcement point —
 * "✕ dropped by NetworkPolicy deny-web (calico-felix, FORWARD)" — from the hop the engine
 * recorded ("FORWARD calico-felix: cali-tw-…: selected by default/deny-web for Ingress, …").
 */
import type { TraceResult } from '../../engine/trace/traceTypes';
import type { PlayHop } from './playback';

export interface DropMark {
  /** The canvas label beside the ✕. */
  label: string;
  /** The policies (`namespace/name`) that dropped it, when a NetworkPolicy did. */
  policies: string[];
}

const SELECTED = /selected by ([^ ]+(?:, [^ ]+)*) for (Ingress|Egress)/;

/** The drop at `play`, or undefined when the packet goes on from there. */
export function dropMarkOf(play: PlayHop | undefined, result: TraceResult | null): DropMark | undefined {
  if (!play || !result) return undefined;
  const leg = play.leg === 'request' ? result : result.reply;
  if (!leg || leg.verdict === 'delivered' || play.index !== leg.hops.length - 1) return undefined;
  const hop = play.hop;
  const m = SELECTED.exec(hop.detail) ?? SELECTED.exec(leg.reason ?? '');
  if (m) {
    const policies = m[1].split(', ').map((p) => p.replace(/^CiliumNetworkPolicy /, ''));
    const names = policies.map((p) => p.split('/').pop()).join(', ');
    return { label: `✕ dropped by NetworkPolicy ${names} (${enforcementPoint(hop.action, hop.detail)}, ${m[2].toLowerCase()})`, policies };
  }
  return { label: `✕ ${leg.verdict === 'unreachable' ? 'UNREACHABLE' : 'DROPPED'}${leg.reason ? `: ${leg.reason}` : ''}`, policies: [] };
}

/** `calico-felix FORWARD` from "FORWARD calico-felix: …", the tc program from "tc ingress cil_from_overlay: drop: …". */
function enforcementPoint(action: string, detail: string): string {
  const nf = /^(PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) ([^:]+):/.exec(detail);
  if (action === 'netfilter' && nf) return `${nf[2]} in ${nf[1]}`;
  const bpf = /^tc (ingress|egress) ([^:]+):/.exec(detail);
  if (bpf) return `eBPF ${bpf[2]}`;
  return action;
}
