/** Every hop of the request and the reply: where (node, netns, device), what and why, and the packet there. */
import { useEffect, useMemo, useRef } from 'react';
import type { TraceLeg } from '../../engine';
import { useApp } from '../StoreContext';
import { encapLabel, flattenHops, flowLabel, type PlayHop } from '../trace/playback';

export function HopList() {
  const trace = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  const selectHop = useApp((s) => s.selectHop);
  const hops = useMemo(() => flattenHops(trace), [trace]);
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    listRef.current?.querySelector('.hop.is-current')?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);

  if (!trace) return null;
  const legs: [string, TraceLeg, number][] = [['Request', trace, 0]];
  if (trace.reply) legs.push(['Reply', trace.reply, trace.hops.length]);

  return (
    <div className="hops" ref={listRef} data-testid="hop-list">
      {legs.map(([title, leg, offset]) => (
        <section key={title} className="hops__leg">
          <h3 className="hops__title">
            {title}{' '}
            <span className={`verdict verdict--${leg.verdict}`} data-testid={`verdict-${title.toLowerCase()}`}>
              {leg.verdict}
            </span>{' '}
            <span className="muted">{leg.hops.length} hops</span>
          </h3>
          {leg.reason && <p className="hops__reason">{leg.reason}</p>}
          {leg.note && <p className="hops__note">⚠ {leg.note}</p>}
          <ol className="hops__list">
            {leg.hops.map((_, i) => (
              <HopItem key={i} play={hops[offset + i]} current={offset + i === cursor} onSelect={() => selectHop(offset + i)} />
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}

function HopItem({ play, current, onSelect }: { play: PlayHop; current: boolean; onSelect: () => void }) {
  const { hop, index } = play;
  const encap = encapLabel(hop);
  return (
    <li>
      <button
        type="button"
        className={`hop hop--${hop.action}${current ? ' is-current' : ''}`}
        onClick={onSelect}
        aria-current={current ? 'step' : undefined}
        data-testid="hop"
      >
        <div className="hop__head">
          <span className="hop__index">{index + 1}</span>
          <span className={`action action--${hop.action}`}>{hop.action}</span>
          <span className="hop__where">
            {hop.node && <span>{hop.node}</span>}
            <span className="mono hop__device">{hop.device}</span>
          </span>
          <span className="hop__netns mono muted">{hop.netns}</span>
        </div>
        {/* One line here; the inspector in the dock shows it whole. */}
        {hop.detail && (
          <div className="hop__detail mono" title={hop.detail}>
            {hop.detail}
          </div>
        )}
        <div className="hop__packet mono">
          <span>{flowLabel(hop)}</span>
          <span className="muted">
            {hop.packet.proto} · {hop.packet.size} B · ttl {hop.packet.ttl}
          </span>
        </div>
        {encap && <div className="hop__encap mono">{encap}</div>}
      </button>
    </li>
  );
}
