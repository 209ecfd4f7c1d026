/**
 * The packet at the current hop: where it is, why it went there (the hop's detail: route line,
 * FDB entry, rule), and its headers as nested layers with what changed at this hop marked —
 * by a symbol and words as well as colour. A dropped packet says so, and why.
 */
import { useMemo } from 'react';
import { useApp } from '../StoreContext';
import { diffLayers } from '../trace/layers';
import { flattenHops } from '../trace/playback';

export const ACTION_WORDS: Record<string, string> = {
  send: 'Sent by the socket',
  route: 'Routing decision',
  arp: 'Neighbour lookup (ARP request)',
  neigh: 'Neighbour table (no ARP sent)',
  xmit: 'Leaves the device',
  veth: 'Crosses the veth pair',
  bridge: 'Bridge forwarding',
  encap: 'Encapsulated',
  decap: 'Decapsulated',
  wire: 'On the node network',
  bpf: 'eBPF program',
  netfilter: 'Netfilter rule',
  'icmp-error': 'ICMP error generated',
  deliver: 'Delivered',
  drop: 'Dropped',
};

export function Inspector() {
  const trace = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  const hops = useMemo(() => flattenHops(trace), [trace]);
  const current = hops[cursor];
  const diff = useMemo(() => {
    if (!current?.hop.repr || !trace) return null;
    const leg = current.leg === 'request' ? trace.hops : trace.reply?.hops ?? [];
    return diffLayers(current.hop.repr, current.index > 0 ? leg[current.index - 1]?.repr : undefined);
  }, [current, trace]);
  if (!trace || !current) return null;
  const { hop, leg, index } = current;
  const legResult = leg === 'request' ? trace : trace.reply;
  const legHops = legResult?.hops ?? [];
  const dropped = hop.action === 'drop' || (legResult && legResult.verdict !== 'delivered' && index === legHops.length - 1);

  return (
    <section className={`inspector${dropped ? ' inspector--dropped' : ''}`} aria-label="Packet inspector" data-testid="inspector">
      <header className="inspector__head">
        <span className="inspector__leg">{leg === 'request' ? 'Request' : 'Reply'} · hop {index + 1}</span>
        <span className={`action action--${hop.action}`}>{hop.action}</span>
        <span className="inspector__where">
          {hop.node && <strong>{hop.node}</strong>} <span className="mono">{hop.device}</span> <span className="muted mono">{hop.netns}</span>
        </span>
      </header>
      {dropped && (
        <p className="inspector__drop" role="alert" data-testid="drop-reason">
          ✖ {legResult?.verdict === 'unreachable' ? 'Unreachable' : 'Dropped'} here{legResult?.reason ? `: ${legResult.reason}` : ''}
        </p>
      )}
      <p className="inspector__why">
        <span className="field__label">{ACTION_WORDS[hop.action] ?? hop.action}</span>
        {hop.detail && <span className="mono inspector__detail">{hop.detail}</span>}
      </p>
      {diff ? (
        <div className="layers">
          {diff.removed.length > 0 && <p className="layer-removed">− removed at this hop: {diff.removed.join(', ')}</p>}
          {diff.layers.map((layer) => (
            <div key={layer.key} className={`layer${layer.added ? ' layer--added' : ''}`} style={{ marginLeft: `${layer.depth * 8}px` }} data-testid={`layer-${layer.title}`}>
              <div className="layer__title">
                {layer.title}
                {layer.added && <span className="layer__tag">+ added here</span>}
              </div>
              <dl className="layer__fields">
                {layer.fields.map((f) => (
                  <div key={f.name} className={f.changed ? 'is-changed' : ''}>
                    <dt>{f.name}</dt>
                    <dd className="mono">
                      {f.value}
                      {f.changed && <span className="layer__tag">▲ changed</span>}
                    </dd>
                  </div>
                ))}
              </dl>
            </div>
          ))}
        </div>
      ) : (
        <p className="muted">
          {hop.packet.src} → {hop.packet.dst} · {hop.packet.proto} · ttl {hop.packet.ttl} · {hop.packet.size} B
        </p>
      )}
    </section>
  );
}
