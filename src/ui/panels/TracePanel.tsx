/** The trace form (from, to, protocol, port), the verdict, playback controls and the hop list. */
import { useMemo, type FormEvent } from 'react';
import { endpointsOf, type Endpoint } from '../endpoints';
import { useApp } from '../StoreContext';
import type { Proto } from '../store';
import { HopList } from './HopList';
import { PlaybackControls } from './PlaybackControls';

const PROTOS: Proto[] = ['icmp', 'tcp', 'udp'];

export function TracePanel() {
  const cluster = useApp((s) => s.cluster);
  const from = useApp((s) => s.from);
  const to = useApp((s) => s.to);
  const proto = useApp((s) => s.proto);
  const port = useApp((s) => s.port);
  const trace = useApp((s) => s.trace);
  const traceError = useApp((s) => s.traceError);
  const setFrom = useApp((s) => s.setFrom);
  const setTo = useApp((s) => s.setTo);
  const setProto = useApp((s) => s.setProto);
  const setPort = useApp((s) => s.setPort);
  const runTrace = useApp((s) => s.runTrace);
  const endpoints = useMemo(() => (cluster ? endpointsOf(cluster) : []), [cluster]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    runTrace();
  };

  return (
    <section className="panel" aria-label="Trace">
      <form className="trace-form" onSubmit={submit}>
        <label className="field">
          <span className="field__label">From</span>
          <EndpointSelect value={from} onChange={setFrom} endpoints={endpoints} testId="trace-from" />
        </label>
        <label className="field">
          <span className="field__label">To</span>
          <EndpointSelect value={to} onChange={setTo} endpoints={endpoints} testId="trace-to" />
        </label>
        <div className="trace-form__row">
          <fieldset className="segmented" aria-label="Protocol">
            {PROTOS.map((p) => (
              <label key={p} className={p === proto ? 'is-on' : ''}>
                <input type="radio" name="proto" value={p} checked={p === proto} onChange={() => setProto(p)} />
                {p.toUpperCase()}
              </label>
            ))}
          </fieldset>
          <label className="field field--inline">
            <span className="field__label">Port</span>
            <input
              type="number"
              min={1}
              max={65535}
              value={proto === 'icmp' ? '' : port}
              disabled={proto === 'icmp'}
              placeholder="—"
              onChange={(e) => setPort(Number(e.target.value))}
              data-testid="trace-port"
            />
          </label>
          <button type="submit" className="button button--primary" disabled={!cluster || !from || !to} data-testid="trace-run">
            Trace
          </button>
        </div>
      </form>
      {traceError && (
        <p className="error-box" role="alert">
          {traceError}
        </p>
      )}
      {trace && (
        <>
          <PlaybackControls />
          <HopList />
        </>
      )}
      {!trace && !traceError && <p className="muted hint">Pick two endpoints and press Trace to follow a packet hop by hop.</p>}
    </section>
  );
}

function EndpointSelect({ value, onChange, endpoints, testId }: { value: string; onChange: (v: string) => void; endpoints: Endpoint[]; testId: string }) {
  const groups = (['Pods', 'System pods', 'Nodes'] as const).map((g) => [g, endpoints.filter((e) => e.group === g)] as const).filter(([, list]) => list.length);
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
      {groups.map(([g, list]) => (
        <optgroup key={g} label={g}>
          {list.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
