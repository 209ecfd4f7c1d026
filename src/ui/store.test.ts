import { describe, expect, it, vi } from 'vitest';
import type { Cluster } from '../engine/model/cluster';
import { fakeTrace, referenceCluster } from '../engine/shell/fixture';
import { createAppStore, SCENARIO_FILE, type Engine } from './store';

/** A stand-in loader: text "good" loads the reference cluster, anything else fails at line 3. */
function fakeEngine(): Engine & { loads: number } {
  const engine = {
    loads: 0,
    loadCluster(files: { name: string; text: string }[]) {
      engine.loads++;
      if (files[0].text.startsWith('good')) return { ok: true as const, value: referenceCluster() };
      return { ok: false as const, errors: [{ file: files[0].name, line: 3, column: 5, message: 'bad indentation of a mapping entry' }] };
    },
    trace: fakeTrace,
  };
  return engine;
}

describe('app store', () => {
  it('loads the initial scenario and picks a cross-node pod pair to trace', () => {
    const s = createAppStore(fakeEngine(), 'good').getState();
    expect(s.cluster?.nodes).toHaveLength(3);
    expect(s.errors).toEqual([]);
    expect(s.from).toBe('default/client');
    expect(s.to).toBe('default/web-7d9f8c6b4-q8z4m'); // on worker-2, client is on worker-1
  });

  it('keeps the previous cluster when the new text has errors', () => {
    const store = createAppStore(fakeEngine(), 'good');
    const before = store.getState().cluster;
    store.getState().setScenarioText('nodes: [\n');
    expect(store.getState().applyScenario()).toBe(false);
    const s = store.getState();
    expect(s.cluster).toBe(before);
    expect(s.errors).toEqual([{ file: SCENARIO_FILE, line: 3, column: 5, message: 'bad indentation of a mapping entry' }]);
    expect(s.scenarioText).toBe('nodes: [\n');
  });

  it('clears errors and the old trace when a scenario loads', () => {
    const store = createAppStore(fakeEngine(), 'oops');
    expect(store.getState().cluster).toBeNull();
    expect(store.getState().errors).toHaveLength(1);
    store.getState().setScenarioText('good again');
    expect(store.getState().applyScenario()).toBe(true);
    expect(store.getState().errors).toEqual([]);
    store.getState().runTrace();
    const first = store.getState().trace;
    expect(first).not.toBeNull();
    store.getState().selectHop(1);
    // The trace belongs to the old cluster: it is run again on the new one, and the notice says so.
    store.getState().applyScenario();
    expect(store.getState().trace).not.toBeNull();
    expect(store.getState().trace).not.toBe(first);
    expect(store.getState().cursor).toBe(0);
    expect(store.getState().notice).toEqual({ kind: 'info', text: `Traced ${store.getState().from} → ${store.getState().to} again after “apply the YAML”: the hops are the new cluster's.` });
  });

  it('reports a loader that throws as an error instead of crashing', () => {
    const engine = { loadCluster: () => { throw new Error('boom'); }, trace: fakeTrace } as unknown as Engine;
    const s = createAppStore(engine, 'x').getState();
    expect(s.cluster).toBeNull();
    expect(s.errors[0].message).toBe('internal error: boom');
  });

  it('runs a trace with the form values and selects its first hop', () => {
    const engine = fakeEngine();
    const trace = vi.fn((c: Cluster, req: Parameters<NonNullable<Engine['trace']>>[1]) => fakeTrace(c, req));
    const store = createAppStore({ ...engine, loadCluster: engine.loadCluster, trace }, 'good');
    store.getState().setProto('tcp');
    expect(store.getState().port).toBe(80);
    store.getState().setTo('10.244.2.2');
    store.getState().runTrace();
    expect(trace).toHaveBeenCalledWith(store.getState().cluster, { from: 'default/client', to: '10.244.2.2', proto: 'tcp', port: 80 });
    expect(store.getState().trace?.verdict).toBe('delivered');
    expect(store.getState().cursor).toBe(0);
  });

  it('sends no port for ICMP', () => {
    const trace = vi.fn(fakeTrace);
    const store = createAppStore({ loadCluster: fakeEngine().loadCluster, trace }, 'good');
    store.getState().runTrace();
    expect(trace.mock.calls[0][1]).toEqual({ from: 'default/client', to: 'default/web-7d9f8c6b4-q8z4m', proto: 'icmp' });
  });

  it('reports a tracer that throws', () => {
    const store = createAppStore({ loadCluster: fakeEngine().loadCluster, trace: () => { throw new Error('no route'); } }, 'good');
    store.getState().runTrace();
    expect(store.getState().traceError).toBe('no route');
    expect(store.getState().trace).toBeNull();
  });

  it('steps, plays and pauses over request and reply hops', () => {
    const store = createAppStore(fakeEngine(), 'good');
    store.getState().setTo('10.244.2.2');
    store.getState().runTrace();
    // fakeTrace across nodes: 3 request hops + 1 reply hop
    const st = () => store.getState();
    expect(st().cursor).toBe(0);
    st().step(1);
    st().step(1);
    st().step(1);
    expect(st().cursor).toBe(3);
    st().step(1);
    expect(st().cursor).toBe(3);
    st().step(-10);
    expect(st().cursor).toBe(0);
    st().play();
    expect(st().playing).toBe(true);
    st().step(1);
    st().step(1);
    expect(st().playing).toBe(true);
    st().step(1);
    expect(st().playing).toBe(false); // stopped at the last hop
    st().play();
    expect(st().cursor).toBe(0); // replays from the start
    st().selectHop(2);
    expect(st()).toMatchObject({ cursor: 2, playing: false });
    st().selectHop(99);
    expect(st().cursor).toBe(3);
  });

  it('queues a trace asked for before the tracer arrives and runs it, at the saved hop, when it does', () => {
    const { trace: _t, ...withoutTracer } = fakeEngine();
    const store = createAppStore(withoutTracer, 'good');
    store.getState().setProto('tcp');
    store.getState().setTo('10.244.2.2');
    store.getState().runTrace();
    expect(store.getState().trace).toBeNull();
    expect(store.getState().queued).toEqual({ cursor: 0 });
    store.setState({ queued: { cursor: 2 } });
    const trace = vi.fn(fakeTrace);
    store.getState().attachEngine({ trace });
    expect(trace).toHaveBeenCalledWith(store.getState().cluster, { from: 'default/client', to: '10.244.2.2', proto: 'tcp', port: 80 });
    expect(store.getState().trace?.verdict).toBe('delivered');
    expect(store.getState().cursor).toBe(2);
    expect(store.getState().queued).toBeNull();
  });

  it('attaching the tracer with nothing queued runs nothing', () => {
    const { trace: _t, ...withoutTracer } = fakeEngine();
    const store = createAppStore(withoutTracer, 'good');
    const trace = vi.fn(fakeTrace);
    store.getState().attachEngine({ trace });
    expect(trace).not.toHaveBeenCalled();
    store.getState().runTrace();
    expect(trace).toHaveBeenCalledTimes(1);
  });
});
