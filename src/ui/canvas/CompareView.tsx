/**
 * Compare: the same trace under two CNI modes side by side. The cluster is re-plumbed on a copy
 * with the engine's setCni (the app's cluster is untouched), traced with the engine, and each
 * side shows its path, the extra headers on the wire and how many bytes they add — all read
 * from the two traces, never recomputed here.
 *
 * Place it anywhere under the app's store provider: <CompareView /> compares the trace form's
 * request (from, to, protocol, port) under the current CNI and another one the user picks.
 */
import { useMemo, useState } from 'react';
import { CNI_MODES, type CniMode, type Cluster } from '../../engine/model/cluster';
import * as commands from '../../engine/controllers/commands';
import { trace } from '../../engine/trace/tracer';
import type { TraceRequest, TraceResult } from '../../engine/trace/traceTypes';
import type { TraceHop } from '../../engine/trace/traceTypes';
import { useApp } from '../StoreContext';
import { compareSummary, type CompareSide } from './compare';
import './canvas.css';
import './compare.css';

export function CompareView({ request, initialModes }: { request?: TraceRequest; initialModes?: [CniMode, CniMode] }) {
  const cluster = useApp((s) => s.cluster);
  const from = useApp((s) => s.from);
  const to = useApp((s) => s.to);
  const proto = useApp((s) => s.proto);
  const port = useApp((s) => s.port);
  const req = useMemo<TraceRequest>(() => request ?? { from, to, proto, ...(proto !== 'icmp' ? { port } : {}) }, [request, from, to, proto, port]);
  const current = cluster?.config.cni ?? 'flannel';
  const [modes, setModes] = useState<[CniMode, CniMode]>(initialModes ?? [current, current.startsWith('calico') ? 'flannel' : 'calico']);

  const sides = useMemo(() => (cluster && req.from && req.to ? modes.map((m) => traceUnder(cluster, m, req)) : []), [cluster, modes, req]);

  if (!cluster) return null;
  return (
    <section className="compare" aria-label="Compare CNI modes" data-testid="compare">
      <p className="compare__req muted">
        <span className="mono">{req.from}</span> → <span className="mono">{req.to}</span> · {req.proto.toUpperCase()}
        {req.port ? ` :${req.port}` : ''}
      </p>
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
            <Side side={side} />
          </div>
        ))}
      </div>
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

function Side({ side }: { side: Outcome }) {
  if (side.error || !side.result || !side.summary) return <p className="error-box">{side.error ?? 'no trace'}</p>;
  const s = side.summary;
  return (
    <>
      <dl className="compare__facts">
        <dt>verdict</dt>
        <dd className={`compare__verdict compare__verdict--${side.result.verdict}`}>{side.result.verdict === 'delivered' ? '✓' : '✕'} {side.result.verdict}</dd>
        <dt>hops</dt>
        <dd>{s.hops}</dd>
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
      <ol className="compare__path">
        {side.result.hops.map((h, i) => (
          <li key={i} className={hopClass(h)}>
            <span className="mono">{h.device}</span> <span className="muted">{h.node ?? h.netns}</span> <span className={`action action--${h.action}`}>{h.action}</span>
          </li>
        ))}
      </ol>
    </>
  );
}

const hopClass = (h: TraceHop) => (h.packet.encap ? 'compare__hop compare__hop--encap' : 'compare__hop');
