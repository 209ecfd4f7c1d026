/** The trace form (from, to, protocol, port), playback, the hop timeline and the inspector. */
import { lazy, Suspense, useMemo, useRef, useState, type FormEvent } from 'react';
import { createPortal } from 'react-dom';
import { endpointsOf, type Endpoint } from '../endpoints';
import { serviceTargets, type ServiceTarget } from '../state/targets';
import { packetLabel } from '../trace/packetLabel';
import { clusterHints } from './terminalHints';
import { useApp, useAppStoreApi } from '../StoreContext';
import { useDrawingReady } from '../drawing';
import type { Proto } from '../store';

const PROTOS: Proto[] = ['icmp', 'tcp', 'udp'];

// The trace's controls, inspector and hop list load with the first trace (the first paint has none).
const TraceView = lazy(() => import('./TraceView').then((m) => ({ default: m.TraceView })));
// Comparing re-plumbs and traces the cluster twice: its code loads when it is first opened.
const CompareView = lazy(() => import('../canvas/CompareView').then((m) => ({ default: m.CompareView })));

let listSeq = 0;

export function TracePanel() {
  const store = useAppStoreApi();
  const cluster = useApp((s) => s.cluster);
  const from = useApp((s) => s.from);
  const to = useApp((s) => s.to);
  const proto = useApp((s) => s.proto);
  const port = useApp((s) => s.port);
  const trace = useApp((s) => s.trace);
  // A lesson's prediction holds the packet: its later hops (and the verdict) wait for the answer.
  const held = useApp((s) => s.hold !== null);
  const waiting = useApp((s) => s.queued !== null);
  const lookup = useApp((s) => s.lookup);
  const [comparing, setComparing] = useState(false);
  const compareButton = useRef<HTMLButtonElement>(null);
  const closeCompare = () => {
    setComparing(false);
    compareButton.current?.focus();
  };
  const traceError = useApp((s) => s.traceError);
  const { setFrom, setTo, setProto, setPort, runTrace, showLookupPacket } = store.getState();
  const endpoints = useMemo(() => (cluster ? endpointsOf(cluster) : []), [cluster]);
  const drawingReady = useDrawingReady();
  const services = useMemo(() => (cluster ? serviceTargets(cluster) : []), [cluster, drawingReady]);
  const go: Partial<ReturnType<typeof clusterHints>> = useMemo(() => (cluster ? clusterHints(cluster) : {}), [cluster]);
  // A long list (a 10,000-pod cluster) is built afresh for a new cluster: React then appends it in one go
  // instead of placing thousands of options one by one among the old ones.
  const listKey = useMemo(() => (endpoints.length > 500 ? ++listSeq : 0), [endpoints]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    runTrace();
  };
  const pickTo = (value: string) => {
    // A Service address, a name or an outside host: its address, protocol and port.
    const svc = services.find((s) => s.key === value);
    if (!svc) return setTo(value);
    setTo(svc.to);
    setProto(svc.proto);
    if (svc.port) setPort(svc.port);
  };

  return (
    <section className="panel panel--trace" aria-label="Trace">
      <form className="trace-form" onSubmit={submit}>
        <label className="field">
          <span className="field__label">From</span>
          <EndpointSelect key={listKey} value={from} onChange={setFrom} endpoints={endpoints} testId="trace-from" />
        </label>
        <label className="field">
          <span className="field__label">To</span>
          <EndpointSelect key={listKey} value={to} onChange={pickTo} endpoints={endpoints.filter((e) => e.group !== 'Outside')} services={services} selected={{ proto, port }} testId="trace-to" />
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
              aria-label="Destination port"
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
      {waiting && !trace && (
        <p className="muted hint" role="status">
          Loading the tracer…
        </p>
      )}
      {lookup && (
        <figure className="lookup" data-testid="lookup">
          <figcaption className="muted">
            {lookup.packets.length > 1
              ? `The source pod's resolver asked CoreDNS first (${lookup.packets.length - 1} DNS quer${lookup.packets.length > 2 ? 'ies' : 'y'}, one per name in its search list and address family), then sent the packet. Pick any of them to follow it hop by hop.`
              : 'What the source pod printed:'}
          </figcaption>
          {lookup.command && <pre className="mono">$ {lookup.command}</pre>}
          <pre className="mono">{lookup.output.trimEnd() || '(no output)'}</pre>
          {lookup.packets.length > 1 && (
            <ol className="lookup__packets" aria-label="Packets the command sent">
              {lookup.packets.map((p, i) => (
                <li key={i}>
                  <button type="button" className={`lookup__packet${i === lookup.shown ? ' is-on' : ''}`} aria-pressed={i === lookup.shown} onClick={() => showLookupPacket(i)} data-testid={`lookup-packet-${i}`}>
                    {packetLabel(p)}
                  </button>
                </li>
              ))}
            </ol>
          )}
        </figure>
      )}
      {trace && held && (
        <p className="muted hint" role="status" data-testid="trace-held">
          A prediction is waiting in the Lesson tab: the hops show here once you have answered it.
        </p>
      )}
      {trace && !held && (
        <>
          <Suspense fallback={<p className="muted">Loading…</p>}>
            <TraceView />
          </Suspense>
          <button ref={compareButton} type="button" className={`button${comparing ? ' is-on' : ''}`} aria-expanded={comparing} aria-haspopup="dialog" onClick={() => setComparing((c) => !c)} data-testid="compare-toggle">
            ⇆ Compare this trace under two CNI modes
          </button>
          {/* Full width, over the app (the side panel is too narrow for two paths side by side). */}
          {comparing &&
            createPortal(
              <div className="compare-overlay">
                <Suspense fallback={<p className="muted">Loading…</p>}>
                  <CompareView onClose={closeCompare} />
                </Suspense>
              </div>,
              document.body,
            )}
        </>
      )}
      {!trace && !traceError && (
        <p className="muted hint" data-testid="trace-hint">
          Pick two endpoints and press Trace to follow a packet hop by hop. Or, in the terminal below (it opens on your workstation, which has only <code>kubectl</code> and <code>ssh</code>), go into a pod with{' '}
          <code>{go.exec ?? 'kubectl exec -it POD -- sh'}</code> or onto a node with <code>ssh {go.node ?? 'NODE'}</code>, then type <code>ping</code>, <code>traceroute</code> or <code>wget -qO- http://{go.service ?? 'SERVICE'}</code>: each packet shows here.
        </p>
      )}
    </section>
  );
}

interface SelectProps {
  value: string;
  onChange: (v: string) => void;
  endpoints: Endpoint[];
  services?: ServiceTarget[];
  /** The form's protocol and port: which of a Service's addresses (same IP, other port) is chosen. */
  selected?: { proto: Proto; port: number };
  testId: string;
}

/** Past this many endpoints (a 10,000-pod cluster) the list is built when the user reaches for it, not with every cluster shown. */
const LAZY_LIST = 500;

function EndpointSelect({ value, onChange, endpoints: all, services = [], selected, testId }: SelectProps) {
  // 20,000 options cost the page a second to build and slow every later style pass: until the
  // select is focused or pointed at, it holds only the chosen endpoint.
  const [opened, setOpened] = useState(all.length <= LAZY_LIST);
  const open = () => setOpened(true);
  const endpoints = opened ? all : all.filter((e) => e.value === value);
  const groups = (['Pods', 'System pods', 'Nodes', 'Outside'] as const).map((g) => [g, endpoints.filter((e) => e.group === g)] as const).filter(([, list]) => list.length);
  const same = services.filter((s) => s.to === value);
  const chosen = same.find((s) => s.proto === selected?.proto && (s.port ?? 0) === (selected.proto === 'icmp' ? (s.port ?? 0) : selected.port)) ?? same[0];
  const current = endpoints.some((e) => e.value === value) ? value : (chosen?.key ?? value);
  const known = current !== value || endpoints.some((e) => e.value === value);
  const serviceGroups = (['Services', 'Names', 'Outside'] as const).map((g) => [g, services.filter((s) => s.group === g)] as const).filter(([, list]) => list.length);
  return (
    <select value={current} onChange={(e) => onChange(e.target.value)} onFocus={opened ? undefined : open} onPointerEnter={opened ? undefined : open} data-testid={testId}>
      {!known && value && <option value={value}>{value}</option>}
      {groups.map(([g, list]) => (
        <optgroup key={g} label={g}>
          {list.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </optgroup>
      ))}
      {serviceGroups.map(([g, list]) => (
        <optgroup key={g} label={g === 'Names' ? 'Names (the source pod resolves them)' : g === 'Outside' ? 'Outside the cluster' : g}>
          {list.map((s) => (
            <option key={s.key} value={s.key}>
              {s.label}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
