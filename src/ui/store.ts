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
import { formatScenarioError } from '../engine/model/source';
import type { CommandRecord } from '../engine/shell/types';

/** A shell line the learner ran, as lesson checks read it (docs/lessons.md). */
export type { CommandRecord };
import { defaultEndpoints, endpointExists } from './endpoints';
import { isNameTarget } from './state/targets';
import { hopCount, stepCursor } from './trace/playback';

export interface Engine {
  loadCluster(files: ScenarioFile[]): Result<Cluster>;
  /**
   * The tracer. The page starts without it (it is a chunk of its own, fetched right after the
   * first paint) and gets it through attachEngine; a trace asked for before then waits for it.
   */
  trace?(cluster: Cluster, req: TraceRequest): TraceResult;
  /** A trace to a DNS name: the source pod runs ping or nc in the engine's shell (loads with the tracer). */
  traceName?(cluster: Cluster, req: TraceRequest): { command: string; output: string; traces: TraceResult[] };
  /** The scenario text of a cluster (scenarioYaml); without it edits keep the old text. */
  serialize?(cluster: Cluster): string;
}

/** One state the user can go back to: the cluster and the text it was shown as. */
export interface Snapshot {
  cluster: Cluster | null;
  text: string;
  description: string;
}

/** Where to look in a trace: the hop, and for a name trace which of its packets (default: the last). */
export interface TracePlace {
  cursor: number;
  packet?: number;
}

/** A dismissible message above the page (errors of a command, a refused link or file). */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
  /** Choices offered with the message (each a button; choosing one also dismisses it). */
  actions?: NoticeAction[];
}

export interface NoticeAction {
  label: string;
  run(): void;
}

export type Proto = TraceRequest['proto'];


/** The open lesson as the rest of the app needs to know it (its panel and state are ui/lessons, loaded lazily). */
export interface OpenLesson {
  id: string;
  title: string;
}

/** How many traces and shell lines the lesson log keeps (the oldest are dropped). */
export const LOG_LIMIT = 500;

/** The file name errors carry (ScenarioFile.name: "`scenario.yaml` in the app"). */
export const SCENARIO_FILE = 'scenario.yaml';

export interface AppState {
  scenarioText: string;
  /** The text of the cluster shown (scenarioText may hold unapplied edits). */
  appliedText: string;
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
  /**
   * A trace asked for before the tracer arrived runs on attachEngine, then opens at this
   * place; null when none waits.
   */
  queued: TracePlace | null;
  /**
   * A trace to a DNS name: the command the source pod ran, what it printed, and every packet it
   * sent (the DNS queries, then the packet to the name); `shown` is the one `trace` holds.
   * Null for other traces.
   */
  lookup: { command: string; output: string; packets: TraceResult[]; shown: number } | null;
  playing: boolean;
  /** The canvas's pan and zoom as last left by the user (autosaved); null until they move it. */
  viewport: { x: number; y: number; zoom: number } | null;
  /** The selected canvas element (a pod key `ns/name`, `node/NAME`, …); null when none. */
  selection: string | null;
  notice: Notice | null;
  /** The open sidebar tab. */
  tab: string;
  /** Playback speed factor (1 = one hop per 750 ms). */
  speed: number;
  /** Undo stack (oldest first) and redo stack (next redo last). */
  past: Snapshot[];
  future: Snapshot[];
  /**
   * What the learner did, oldest first, for lesson checks (docs/lessons.md `LessonContext`):
   * the traces asked for (Trace panel, terminal ping/curl/traceroute/nc) and the shell lines run.
   */
  traceLog: TraceRequest[];
  commandLog: CommandRecord[];
  /** The open lesson, or null (ui/lessons sets it; the page shows the Lesson tab while it is set). */
  lesson: OpenLesson | null;
  /**
   * Playback does not go past this hop (a prediction is pending: the packet waits before the hop
   * the question is about); null: no limit.
   */
  hold: number | null;

  /**
   * Run an engine command on the current cluster. On failure the error is shown and nothing
   * changes; on success the change can be undone and the scenario text is rewritten.
   */
  applyCommand(description: string, fn: (c: Cluster) => Result<Cluster>): boolean;
  /**
   * Replace the scenario with a text from elsewhere (an example, a file, a share link): on
   * success it can be undone; on failure the errors are shown and the current work is kept.
   */
  openScenario(text: string, origin: string, fileName?: string): boolean;
  /** Show a trace that ran elsewhere (the terminal's ping) as the current one. */
  showTrace(trace: TraceResult, req?: TraceRequest): void;
  select(id: string | null): void;
  setViewport(viewport: { x: number; y: number; zoom: number }): void;
  setTab(tab: string): void;
  setSpeed(speed: number): void;
  /** Back to the first hop, paused. */
  restart(): void;
  notify(notice: Notice | null): void;
  undo(): void;
  redo(): void;

  setScenarioText(text: string): void;
  /** Load `scenarioText`; true when it loaded. */
  applyScenario(): boolean;
  setFrom(from: string): void;
  setTo(to: string): void;
  setProto(proto: Proto): void;
  setPort(port: number): void;
  runTrace(): void;
  /** Show another packet of a name trace (a DNS query, or the packet that followed), from its first hop. */
  showLookupPacket(index: number): void;
  /** Go to a place in the current trace (a restored one). */
  openAt(place: TracePlace): void;
  /** Hand the store the engine parts that load after the first paint (the tracer, the serializer). */
  attachEngine(parts: Partial<Pick<Engine, 'trace' | 'traceName' | 'serialize'>>): void;
  selectHop(index: number): void;
  step(delta: number): void;
  play(): void;
  pause(): void;
  /** Record a shell line the terminal ran and the traces it sent (for lesson checks). */
  logShell(record: CommandRecord, traces: TraceRequest[]): void;
  setHold(hold: number | null): void;
}

export type AppStore = StoreApi<AppState>;

/** Default port per protocol when the user switches to it (HTTP for TCP, DNS for UDP). */
const DEFAULT_PORT: Record<Proto, number> = { icmp: 0, tcp: 80, udp: 53 };

export function createAppStore(parts: Engine, initialText: string): AppStore {
  const engine: Engine = { ...parts };
  const store = createStore<AppState>()((set, get) => ({
    scenarioText: initialText,
    appliedText: initialText,
    cluster: null,
    errors: [],
    traceError: null,
    from: '',
    to: '',
    proto: 'icmp',
    port: 0,
    trace: null,
    cursor: -1,
    queued: null,
    lookup: null,
    playing: false,
    viewport: null,
    selection: null,
    notice: null,
    tab: 'trace',
    speed: 1,
    past: [],
    future: [],
    traceLog: [],
    commandLog: [],
    lesson: null,
    hold: null,

    applyCommand(description, fn) {
      const { cluster } = get();
      if (!cluster) {
        set({ notice: { kind: 'error', text: `${description}: no cluster is loaded` } });
        return false;
      }
      let result: Result<Cluster>;
      try {
        result = fn(cluster);
      } catch (e) {
        set({ notice: { kind: 'error', text: `${description}: internal error: ${e instanceof Error ? e.message : String(e)}` } });
        return false;
      }
      if (!result.ok) {
        set({ notice: { kind: 'error', text: result.errors.map(formatScenarioError).join('\n') } });
        return false;
      }
      if (result.value === cluster) return true;
      commit(description, result.value, serializeText(engine, result.value, get().scenarioText));
      return true;
    },

    openScenario(text, origin, fileName = SCENARIO_FILE) {
      const result = load(engine, text, fileName);
      if (!result.ok) {
        const shown = result.errors.slice(0, 5).map(formatScenarioError);
        if (result.errors.length > 5) shown.push(`… and ${result.errors.length - 5} more`);
        set({ notice: { kind: 'error', text: `${origin} did not load; your work is unchanged.\n${shown.join('\n')}` } });
        return false;
      }
      commit(`open ${origin}`, result.value, text);
      return true;
    },

    showTrace(trace, req) {
      const form = req ? { from: req.from, to: req.to, proto: req.proto, port: req.port ?? DEFAULT_PORT[req.proto] } : {};
      set({ ...form, trace, lookup: null, traceError: null, cursor: hopCount(trace) ? 0 : -1, playing: false });
    },

    select: (selection) => set({ selection }),
    setViewport: (viewport) => set({ viewport }),
    setTab: (tab) => set({ tab }),
    setSpeed: (speed) => set({ speed: Math.min(8, Math.max(0.25, speed)) }),
    restart: () => set({ cursor: hopCount(get().trace) ? 0 : -1, playing: false }),
    notify: (notice) => set({ notice }),

    undo() {
      const { past } = get();
      const prev = past[past.length - 1];
      if (!prev) return;
      const here = snapshotOf(get(), prev.description);
      set({ past: past.slice(0, -1), future: [...get().future, here] });
      restore(prev, `undo ${prev.description}`);
    },

    redo() {
      const { future } = get();
      const next = future[future.length - 1];
      if (!next) return;
      const here = snapshotOf(get(), next.description);
      set({ future: future.slice(0, -1), past: [...get().past, here] });
      restore(next, `redo ${next.description}`);
    },

    setScenarioText: (scenarioText) => set({ scenarioText }),

    applyScenario() {
      const result = load(engine, get().scenarioText);
      if (!result.ok) {
        set({ errors: result.errors });
        return false;
      }
      const before = get();
      if (before.cluster) pushPast(snapshotOf({ ...before, scenarioText: before.appliedText }, 'edit the YAML'));
      showCluster(result.value, before.scenarioText);
      retrace(before, 'apply the YAML');
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
      set({ traceLog: capped(get().traceLog, [req]) });
      const byName = isNameTarget(to);
      if (!engine.trace || (byName && !engine.traceName)) {
        set({ queued: get().queued ?? { cursor: 0 } });
        return;
      }
      try {
        let trace: TraceResult | null;
        let lookup: AppState['lookup'] = null;
        if (byName) {
          const r = engine.traceName!(cluster, req);
          trace = r.traces[r.traces.length - 1] ?? null;
          lookup = { command: r.command, output: r.output, packets: r.traces, shown: r.traces.length - 1 };
        } else {
          trace = engine.trace(cluster, req);
        }
        set({ trace, lookup, traceError: null, queued: null, cursor: hopCount(trace) ? 0 : -1, playing: false });
      } catch (e) {
        set({ trace: null, lookup: null, queued: null, traceError: e instanceof Error ? e.message : String(e), cursor: -1, playing: false });
      }
    },

    showLookupPacket(index) {
      const lookup = get().lookup;
      const trace = lookup?.packets[index];
      if (!lookup || !trace) return;
      set({ lookup: { ...lookup, shown: index }, trace, cursor: hopCount(trace) ? 0 : -1, playing: false });
    },

    attachEngine(parts) {
      Object.assign(engine, parts);
      const place = get().queued;
      if (place === null || !engine.trace) return;
      get().runTrace();
      get().openAt(place);
    },

    openAt({ cursor, packet }) {
      if (packet !== undefined) get().showLookupPacket(packet);
      if (get().trace) get().selectHop(cursor);
    },

    selectHop: (index) => set({ cursor: Math.max(-1, Math.min(index, lastHop(get()))), playing: false }),

    step(delta) {
      const last = lastHop(get());
      const cursor = Math.min(stepCursor(get().cursor, delta, hopCount(get().trace)), last);
      // Playing stops at the last hop (or the held one).
      set({ cursor, playing: get().playing && cursor < last });
    },

    play() {
      const last = lastHop(get());
      if (last < 0) return;
      // Play from the start when at the end.
      const cursor = get().cursor >= last ? 0 : Math.max(0, get().cursor);
      set({ cursor, playing: last > 0 });
    },

    pause: () => set({ playing: false }),

    logShell: (record, traces) => set({ commandLog: capped(get().commandLog, [record]), ...(traces.length ? { traceLog: capped(get().traceLog, traces) } : {}) }),

    setHold(hold) {
      set({ hold });
      if (hold !== null && get().cursor > hold) set({ cursor: hold });
    },
  }));
  /** Show a cluster: keep the trace form's endpoints when they still exist; a trace belongs to the cluster it ran on. */
  function showCluster(cluster: Cluster, text: string): void {
    const { from, to, selection } = store.getState();
    const defaults = defaultEndpoints(cluster);
    store.setState({
      cluster,
      scenarioText: text,
      appliedText: text,
      errors: [],
      traceError: null,
      from: endpointExists(cluster, from) ? from : defaults.from,
      to: endpointExists(cluster, to) ? to : defaults.to,
      selection: selection && selectionGone(cluster, selection) ? null : selection,
      trace: null,
      lookup: null,
      cursor: -1,
      playing: false,
    });
  }

  function pushPast(snapshot: Snapshot): void {
    const past = [...store.getState().past, snapshot];
    store.setState({ past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, future: [] });
  }

  function commit(description: string, cluster: Cluster, text: string): void {
    const before = store.getState();
    pushPast(snapshotOf({ ...before, scenarioText: before.appliedText }, description));
    showCluster(cluster, text);
    store.setState({ notice: null });
    retrace(before, description);
  }

  function restore(s: Snapshot, description: string): void {
    const before = store.getState();
    if (s.cluster) showCluster(s.cluster, s.text);
    else store.setState({ cluster: null, scenarioText: s.text, appliedText: s.text, trace: null, lookup: null, cursor: -1, playing: false });
    retrace(before, description);
  }

  /**
   * A trace belongs to the cluster it ran on, so a change ends it; it is not dropped in silence
   * (issue 13 point 9): the same FROM → TO is traced again on the new cluster, and a notice says
   * so, or says why it cannot be (an endpoint is gone).
   */
  function retrace(before: AppState, description: string): void {
    if (!before.trace && !before.queued) return;
    const now = store.getState();
    if (now.cluster && now.from === before.from && now.to === before.to) {
      now.runTrace();
      store.setState({ notice: { kind: 'info', text: `Traced ${before.from} → ${before.to} again after “${description}”: the hops are the new cluster's.` } });
    } else {
      const gone = now.from !== before.from ? before.from : before.to;
      store.setState({ notice: { kind: 'info', text: `The trace ${before.from} → ${before.to} was cleared after “${description}”: ${gone} is no longer in the cluster.` } });
    }
  }

  store.getState().applyScenario();
  return store;
}

/** The last hop playback may show: the trace's last, or the held one. */
function lastHop(s: Pick<AppState, 'trace' | 'hold'>): number {
  const last = hopCount(s.trace) - 1;
  return s.hold === null ? last : Math.min(last, s.hold);
}

function capped<T>(log: T[], more: T[]): T[] {
  const all = [...log, ...more];
  return all.length > LOG_LIMIT ? all.slice(all.length - LOG_LIMIT) : all;
}

/** A selected pod (`ns/name`) or node (`node/NAME`) that the new cluster no longer has; other ids are the canvas's business. */
function selectionGone(cluster: Cluster, id: string): boolean {
  if (id.startsWith('node/')) return !cluster.nodes.some((n) => n.meta.name === id.slice(5));
  if (/^[^/]+\/[^/]+$/.test(id)) return !cluster.pods.has(id);
  return false;
}

/** How many changes undo remembers (clusters share unchanged parts, so each entry is small). */
const HISTORY_LIMIT = 200;

function snapshotOf(s: Pick<AppState, 'cluster' | 'scenarioText'>, description: string): Snapshot {
  return { cluster: s.cluster, text: s.scenarioText, description };
}

function serializeText(engine: Engine, cluster: Cluster, fallback: string): string {
  if (!engine.serialize) return fallback;
  try {
    return engine.serialize(cluster);
  } catch {
    return fallback;
  }
}

/** The engine's loader, with a thrown bug reported as an error instead of crashing the page. */
function load(engine: Engine, text: string, name = SCENARIO_FILE): Result<Cluster> {
  try {
    return engine.loadCluster([{ name, text }]);
  } catch (e) {
    return { ok: false, errors: [{ file: name, message: `internal error: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}
