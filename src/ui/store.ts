/**
 * The app's state: a vanilla zustand store (no React here, so tests drive it directly).
 *
 * It holds only what cannot be derived: the scenario text, the engine's `Cluster` (the one
 * copy; the drawing is derived from it by toFlow), the errors, the trace form, the current
 * trace and the playback cursor. Loading keeps the previous cluster when the text has
 * errors, so the canvas never goes blank while the user types.
 *
 * The engine comes in as an argument so the store can be tested with a hand-built cluster.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Cluster, Result, ScenarioError, ScenarioFile, TraceRequest, TraceResult } from '../engine';
import { defaultEndpoints, endpointExists } from './endpoints';
import { hopCount, stepCursor } from './trace/playback';

export interface Engine {
  loadCluster(files: ScenarioFile[]): Result<Cluster>;
  trace(cluster: Cluster, req: TraceRequest): TraceResult;
}

export type Proto = TraceRequest['proto'];

/** The file name errors carry (ScenarioFile.name: "`scenario.yaml` in the app"). */
export const SCENARIO_FILE = 'scenario.yaml';

export interface AppState {
  scenarioText: string;
  /** The last scenario that loaded; kept when a later apply fails. */
  cluster: Cluster | null;
  /** Errors of the last apply (empty when it loaded). */
  errors: ScenarioError[];
  /** A trace that could not run (the engine threw). */
  traceError: string | null;
  from: string;
  to: string;
  proto: Proto;
  port: number;
  trace: TraceResult | null;
  /** Index into request hops then reply hops; -1 when none is selected. */
  cursor: number;
  playing: boolean;

  setScenarioText(text: string): void;
  /** Load `scenarioText`; true when it loaded. */
  applyScenario(): boolean;
  setFrom(from: string): void;
  setTo(to: string): void;
  setProto(proto: Proto): void;
  setPort(port: number): void;
  runTrace(): void;
  selectHop(index: number): void;
  step(delta: number): void;
  play(): void;
  pause(): void;
}

export type AppStore = StoreApi<AppState>;

/** Default port per protocol when the user switches to it (HTTP for TCP, DNS for UDP). */
const DEFAULT_PORT: Record<Proto, number> = { icmp: 0, tcp: 80, udp: 53 };

export function createAppStore(engine: Engine, initialText: string): AppStore {
  const store = createStore<AppState>()((set, get) => ({
    scenarioText: initialText,
    cluster: null,
    errors: [],
    traceError: null,
    from: '',
    to: '',
    proto: 'icmp',
    port: 0,
    trace: null,
    cursor: -1,
    playing: false,

    setScenarioText: (scenarioText) => set({ scenarioText }),

    applyScenario() {
      const result = load(engine, get().scenarioText);
      if (!result.ok) {
        set({ errors: result.errors });
        return false;
      }
      const cluster = result.value;
      const { from, to } = get();
      const defaults = defaultEndpoints(cluster);
      set({
        cluster,
        errors: [],
        traceError: null,
        from: endpointExists(cluster, from) ? from : defaults.from,
        to: endpointExists(cluster, to) ? to : defaults.to,
        // A trace belongs to the cluster it ran on.
        trace: null,
        cursor: -1,
        playing: false,
      });
      return true;
    },

    setFrom: (from) => set({ from }),
    setTo: (to) => set({ to }),
    setProto: (proto) => set({ proto, port: proto === get().proto ? get().port : DEFAULT_PORT[proto] }),
    setPort: (port) => set({ port }),

    runTrace() {
      const { cluster, from, to, proto, port } = get();
      if (!cluster || !from || !to) return;
      const req: TraceRequest = { from, to, proto, ...(proto !== 'icmp' ? { port } : {}) };
      try {
        const trace = engine.trace(cluster, req);
        set({ trace, traceError: null, cursor: hopCount(trace) ? 0 : -1, playing: false });
      } catch (e) {
        set({ trace: null, traceError: e instanceof Error ? e.message : String(e), cursor: -1, playing: false });
      }
    },

    selectHop: (index) => set({ cursor: Math.max(-1, Math.min(index, hopCount(get().trace) - 1)), playing: false }),

    step(delta) {
      const count = hopCount(get().trace);
      const cursor = stepCursor(get().cursor, delta, count);
      // Playing stops at the last hop.
      set({ cursor, playing: get().playing && cursor < count - 1 });
    },

    play() {
      const count = hopCount(get().trace);
      if (count === 0) return;
      // Play from the start when at the end.
      const cursor = get().cursor >= count - 1 ? 0 : Math.max(0, get().cursor);
      set({ cursor, playing: count > 1 });
    },

    pause: () => set({ playing: false }),
  }));
  store.getState().applyScenario();
  return store;
}

/** The engine's loader, with a thrown bug reported as an error instead of crashing the page. */
function load(engine: Engine, text: string): Result<Cluster> {
  try {
    return engine.loadCluster([{ name: SCENARIO_FILE, text }]);
  } catch (e) {
    return { ok: false, errors: [{ file: SCENARIO_FILE, message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
