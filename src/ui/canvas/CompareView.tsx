/**
 * Compare: the same trace under two CNI modes, as a full-width view over the app. The cluster is
 * re-plumbed on a copy with the engine's setCni (the app's cluster is untouched), traced with
 * the engine, and each side shows its verdict, the extra headers on the wire and how many bytes
 * they add — all read from the two traces, never recomputed here. Below, the two paths are
 * aligned hop by hop (compare.ts alignHops), request and reply, with the rows that differ marked
 * by a symbol and words as well as colour; the hop counts are those of the rows listed.
 *
 * Place it anywhere under the app's store provider: <CompareView onClose={…} /> compares the
 * trace form's request (from, to, protocol, port) under the current CNI and another one the
 * user picks. Escape or the close button calls onClose.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { CNI_MODES, type CniMode, type Cluster } from '../../engine/model/cluster';
import * as commands from '../../engine/controllers/commands';
import { trace } from '../../engine/trace/tracer';
import type { TraceRequest, TraceResult } from '../../engine/trace/traceTypes';
import type { TraceHop } from '../../engine/trace/traceTypes';
import { useApp } from '../StoreContext';
import { alignHops, compareSummary, type CompareSide } from './compare';
import { encapLabel } from '../trace/playback';
import './canvas.css';
import './compare.css';

export function CompareView({ request, initialModes, onClose }: { request?: TraceRequest; initialModes?: [CniMode, CniMode]; onClose?: () => void }) {
  const cluster = useApp((s) => s.cluster);
  const from = useApp((s) => s.from);
  const to = useApp((s) => s.to);
  const proto = useApp((s) => s.proto);
  const port = useApp((s) => s.port);
  const req = useMemo<TraceRequest>(() => request ?? { from, to, proto, ...(proto !== 'icmp' ? { port } : {}) }, [request, from, to, proto, port]);
  const current = cluster?.config.cni ?? 'flannel';
  const [modes, setModes] = useState<[CniMode, CniMode]>(initialModes ?? [current, current.startsWith('calico') ? 'flannel' : 'calico']);
  const dialog = useRef<HTMLElement>(null);

  const sides = useMemo(() => (cluster && req.from && req.to ? modes.map((m) => traceUnder(cluster, m, req)) : []), [cluster, modes, req]);

  // A dialog: focus moves into it and Escape closes it.
  useEffect(() => {
    dialog.current?.focus();
  }, []);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape' && onClose) {
      e.stopPropagation();
      onClose();
    }
  };

  if (!cluster) return null;
  const [l, r] = sides;
  return (
    <section ref={dialog} className="compare" role="dialog" aria-modal="true" aria-label="Compare CNI modes" data-testid="compare" tabIndex={-1} onKeyDown={onKeyDown}>
      <header className="compare__head">
        <h2 className="compare__title">Compare CNI modes</h2>
        <p className="compare__req">
          <span className="mono">{req.from}</span> → <span className="mono">{req.to}</span> · {req.proto.toUpperCase()}
          {req.port ? ` :${req.port}` : ''}
        </p>
        {onClose && (
          <button type="button" className="button compare__close" onClick={onClose} data-testid="compare-close" aria-label="Close the comparison (Escape)">
            ✕ Close
          </button>
        )}
      </header>
      <div className="compare__grid">
        {sides.map((side, i) => (
          <div key={i} className="compare__side" data-testid={`compare-side-${i}`}>
            <label className="compare__mode">
              <span className="sr-only">CNI mode {i + 1}</span>
              <select value={modes[i]} onChange={(e) => setModes(i === 0 ? [e.target.value as CniMode, modes[1]] : [modes[0], e.target.value as CniMode])} aria-label={`CNI mode ${i === 0 ? 'left' : 'right'}`}>
                {CNI_MODES.map((m) => (
                  <option key={m} value={m}>{m}</option>
                ))}
              </select>
            </label>
            <Facts side={side} />
          </div>
        ))}
      </div>
      {l?.result && r?.result && (
        <>
          <Aligned title="Request" left={l.result.hops} right={r.result.hops} modes={modes} />
          {(l.result.reply || r.result.reply) && <Aligned title="Reply" left={l.result.reply?.hops ?? []} right={r.result.reply?.hops ?? []} modes={modes} />}
        </>
      )}
    </section>
  );
}

interface Outcome {
  mode: CniMode;
  error?: string;
  result?: TraceResult;
  summary?: CompareSide;
}

function traceUnder(cluster: Cluster, mode: CniMode, req: TraceRequest): Outcome {
  try {
    const c = commands.setCni(cluster, mode);
    if (!c.ok) return { mode, error: c.errors.map((e) => e.message).join('; ') };
    const result = trace(c.value, req);
    return { mode, result, summary: compareSummary(result) };
  } catch (e) {
    return { mode, error: e instanceof Error ? e.message : String(e) };
  }
}

function Facts({ side }: { side: Outcome }) {
  if (side.error || !side.result || !side.summary) return <p className="error-box">{side.error ?? 'no trace'}</p>;
  const s = side.summary;
  return (
    <dl className="compare__facts">
      <dt>verdict</dt>
      <dd className={`compare__verdict compare__verdict--${side.result.verdict}`}>
        {side.result.verdict === 'delivered' ? '✓' : '✕'} {side.result.verdict}
        {side.result.reason ? ` — ${side.result.reason}` : ''}
      </dd>
      <dt>hops</dt>
      <dd data-testid="compare-hops">
        {s.hops} ({s.requestHops} request{s.replyHops ? ` + ${s.replyHops} reply` : ''})
      </dd>
      <dt>on the wire</dt>
      <dd className="mono">{s.wireSize} B</dd>
      <dt>extra headers</dt>
      <dd data-testid="compare-overhead">{s.encap ? `${s.headers} (+${s.overhead} B)` : 'none — routed natively'}</dd>
      {s.encap && (
        <>
          <dt>outer</dt>
          <dd className="mono">{s.encap}</dd>
        </>
      )}
    </dl>
  );
}

/** One leg of both traces, aligned hop by hop; rows that differ are marked (≠ changed, ◀ / ▶ only on one side). */
function Aligned({ title, left, right, modes }: { title: string; left: readonly TraceHop[]; right: readonly TraceHop[]; modes: [CniMode, CniMode] }) {
  const rows = useMemo(() => alignHops(left, right), [left, right]);
  const differ = rows.filter((row) => !row.same).length;
  return (
    <table className="compare__table" data-testid={`compare-${title.toLowerCase()}`}>
      <caption>
        {title}: {left.length} hops under {modes[0]}, {right.length} under {modes[1]} · {differ} row{differ === 1 ? '' : 's'} differ
      </caption>
      <thead>
        <tr>
          <th scope="col" className="compare__mark">
            <span className="sr-only">difference</span>
          </th>
          <th scope="col">{modes[0]}</th>
          <th scope="col">{modes[1]}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, k) => {
          const kind = row.same ? 'same' : row.left === undefined ? 'right' : row.right === undefined ? 'left' : 'changed';
          return (
            <tr key={k} className={`compare__row compare__row--${kind}`}>
              <td className="compare__mark" title={MARK_WORDS[kind]}>
                <span aria-hidden>{MARKS[kind]}</span>
                <span className="sr-only">{MARK_WORDS[kind]}</span>
              </td>
              <HopCell hop={row.left === undefined ? undefined : left[row.left]} index={row.left} side={0} />
              <HopCell hop={row.right === undefined ? undefined : right[row.right]} index={row.right} side={1} />
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const MARKS = { same: '', changed: '≠', left: '◀', right: '▶' } as const;
const MARK_WORDS = { same: 'the same on both sides', changed: 'a different device or encapsulation', left: 'only on the left', right: 'only on the right' } as const;

function HopCell({ hop, index, side }: { hop?: TraceHop; index?: number; side: 0 | 1 }) {
  if (!hop || index === undefined) return <td className="compare__gap" data-side={side}>—</td>;
  const encap = encapLabel(hop);
  return (
    <td data-side={side} data-testid={`compare-path-${side}`}>
      <span className="compare__n">{index + 1}</span> <span className={`action action--${hop.action}`}>{hop.action}</span> <strong>{hop.node ?? ''}</strong> <span className="mono">{hop.device}</span>{' '}
      {hop.netns.startsWith('pod/') && <span className="muted mono">{hop.netns}</span>}
      {encap && <div className="compare__encap mono">{encap}</div>}
    </td>
  );
}
