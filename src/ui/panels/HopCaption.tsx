/**
 * Presentation mode's caption under the canvas: the current hop in words, sized for the back
 * row of a classroom — where the packet is (leg, hop number, node, device), what happens there
 * and why (the hop's detail line: route, FDB entry, rule), and the packet's addresses. Buttons
 * on either side step, as the clicker's PageUp/PageDown do.
 */
import { useMemo } from 'react';
import { useApp, useAppStoreApi } from '../StoreContext';
import { encapLabel, flattenHops, flowLabel, hopCount } from '../trace/playback';
import { ACTION_WORDS } from './Inspector';

export function HopCaption() {
  const store = useAppStoreApi();
  const trace = useApp((s) => s.trace);
  const cursor = useApp((s) => s.cursor);
  const hops = useMemo(() => flattenHops(trace), [trace]);
  const count = hopCount(trace);
  const current = hops[cursor];
  if (!trace || !current) return null;
  const { hop, leg, index } = current;
  const legResult = leg === 'request' ? trace : trace.reply;
  const last = index === (legResult?.hops.length ?? 0) - 1;
  const verdict = last && legResult ? ` — ${legResult.verdict}${legResult.reason ? `: ${legResult.reason}` : ''}` : '';
  const encap = encapLabel(hop);
  return (
    <section className={`hop-caption${hop.action === 'drop' ? ' hop-caption--drop' : ''}`} aria-label="Current hop" data-testid="hop-caption">
      <button type="button" className="button hop-caption__step" onClick={() => store.getState().step(-1)} disabled={cursor <= 0} aria-label="Previous hop (PageUp)">
        ◀
      </button>
      <div className="hop-caption__text" aria-live="polite">
        <p className="hop-caption__where">
          <span className="hop-caption__pos">
            {leg === 'request' ? 'Request' : 'Reply'} · hop {cursor + 1} / {count}
          </span>{' '}
          {hop.node && <strong>{hop.node}</strong>} <span className="mono">{hop.device}</span> <span className={`action action--${hop.action}`}>{hop.action}</span>
        </p>
        <p className="hop-caption__what">
          <strong>{ACTION_WORDS[hop.action] ?? hop.action}</strong>
          {hop.detail ? <span className="mono"> — {hop.detail}</span> : null}
          {verdict && <strong className="hop-caption__verdict">{verdict}</strong>}
        </p>
        <p className="hop-caption__packet mono">
          {flowLabel(hop)} · {hop.packet.proto} · ttl {hop.packet.ttl}
          {encap && <span className="hop-caption__encap"> · {encap}</span>}
        </p>
      </div>
      <button type="button" className="button hop-caption__step" onClick={() => store.getState().step(1)} disabled={cursor >= count - 1} aria-label="Next hop (PageDown)">
        ▶
      </button>
    </section>
  );
}
