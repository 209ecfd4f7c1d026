/**
 * Loading a big scenario off the main thread (issue 13 point 11). Parsing and building a
 * 1,000-node / 10,000-pod cluster, and deriving its drawing (which builds every node's network
 * namespace), take seconds; in a Web Worker (engine.worker.ts) the page keeps answering input
 * meanwhile. What crosses back is the engine's `Cluster` (a structured clone; its `Cidr` values
 * get their class back in clusterCopy.ts) and the drawings the canvas asks for first, each in a
 * message of its own so no one message is a long task to receive. The store still holds the one
 * cluster; the worker keeps nothing once it has answered.
 *
 * The loading code is the same on both sides (`loadForDrawing`): without a Worker (jsdom, a
 * refused worker script) nothing is preloaded and the store loads synchronously, as for a small
 * scenario. Small scenarios never go through the worker: they load faster than a message trip.
 */
import type { Cluster, EventRec, PodRec } from '../../engine/model/cluster';
import { reviveCluster } from './clusterCopy';
import { PVec } from '../../engine/util/persistent';
import type { Result } from '../../engine/model/source';
import type { ScenarioFile } from '../../engine/scenario/types';
import type { Flow, SemanticLevel } from '../toFlow';
import { flowKey, flowOf, seedFlow } from '../canvas/flowOf';
import { seedWindowIndex, windowIndex, type WindowIndex } from '../canvas/windowFlow';
import { loadScenarioFiles, rememberLoaded } from './parsedScenarios';
import { endpointsOf, seedEndpoints, type Endpoint } from '../endpoints';
import { seedTargets, serviceTargets, type ServiceTarget } from './targets';

/** Scenario texts at least this long (characters) load in the worker; a 100-pod scenario is ~60,000. */
export const OFF_THREAD_FROM = 250_000;

/** A drawing the canvas will ask for first (flowOf's arguments, without a trace). */
export interface FlowView {
  level: SemanticLevel;
  foldSystem: boolean;
}

export type ToWorker = { id: number; files: ScenarioFile[]; views: FlowView[] };
/** The Cluster's big collections, sent in parts after the rest of it. */
type Part = 'pods' | 'events';
export type FromWorker =
  | { id: number; kind: 'cluster'; result: Result<Cluster> }
  | { id: number; kind: 'part'; part: Part; entries: unknown[] }
  /** A drawing in parts; the last brings its window index (windowFlow.ts) when it is big enough to be windowed. */
  | { id: number; kind: 'flow'; view: FlowView; nodes: Flow['nodes']; edges: Flow['edges']; last: boolean; index?: WindowIndex }
  /** The trace form's lists (every pod and node, every Service address and name): tens of ms each to build for 10,000 pods. */
  | { id: number; kind: 'lists'; endpoints: Endpoint[]; targets: ServiceTarget[] }
  | { id: number; kind: 'done' }
  | { id: number; kind: 'failed'; message: string };

/**
 * What the worker does, and what the synchronous path would do: load the files, then derive the
 * asked-for drawings; each result is handed to `send` as soon as it exists.
 */
export function loadForDrawing(files: ScenarioFile[], views: FlowView[], send: (m: FromWorker) => void, id: number): void {
  const result = loadScenarioFiles(files);
  if (!result.ok) send({ id, kind: 'cluster', result });
  else {
    // Receiving is a task on the page's thread that grows with the message (the clone is read
    // when the handler first touches it): a 10,000-pod cluster is ~10 MB cloned, so its pods and
    // events follow the rest in parts of PART_SIZE.
    // The persistent maps and vectors left in the cluster (its IPAM) get their class back in reviveCluster.
    const c = result.value;
    send({ id, kind: 'cluster', result: { ok: true, value: { ...c, pods: new Map(), ...(c.events ? { events: PVec.empty() } : {}) } } });
    const pods = [...c.pods];
    for (let i = 0; i < pods.length; i += PART_SIZE) send({ id, kind: 'part', part: 'pods', entries: pods.slice(i, i + PART_SIZE) });
    const events = c.events?.toArray() ?? [];
    for (let i = 0; i < events.length; i += PART_SIZE * 2) send({ id, kind: 'part', part: 'events', entries: events.slice(i, i + PART_SIZE * 2) });
    send({ id, kind: 'lists', endpoints: endpointsOf(c), targets: serviceTargets(c) });
  }
  if (result.ok) {
    for (const view of views) {
      // A detail drawing of 10,000 pods is ~20,000 nodes (~10 MB cloned): in parts too.
      const flow = flowOf(result.value, view.level, null, view.foldSystem);
      const { nodes, edges } = flow;
      // Indexing 20,000 nodes for windowing is a long task of its own: done here too.
      const index = windowIndex(flow);
      const parts = Math.max(1, Math.ceil(nodes.length / FLOW_PART), Math.ceil(edges.length / FLOW_PART));
      for (let i = 0; i < parts; i++) {
        const cut = <T,>(xs: T[]) => xs.slice(Math.floor((i * xs.length) / parts), Math.floor(((i + 1) * xs.length) / parts));
        const last = i === parts - 1;
        send({ id, kind: 'flow', view, nodes: cut(nodes), edges: cut(edges), last, ...(last && index ? { index } : {}) });
      }
    }
  }
  send({ id, kind: 'done' });
}

/**
 * Pods per message (~0.7 MB of clone for generated pods, events twice as many): each part is
 * read in ~10-20 ms on a quiet laptop, so a busy one stays well under a 200 ms task.
 */
const PART_SIZE = 1000;
/** Drawing nodes (and edges) per message: ~0.8 MB of clone. */
const FLOW_PART = 1500;

let worker: Worker | null | undefined;
let nextId = 1;

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    worker = typeof Worker === 'undefined' ? null : new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'podpath engine' });
  } catch {
    worker = null;
  }
  return worker;
}

/**
 * Load a big text in the worker, so that the store's next load of it (openScenario,
 * applyScenario, createAppStore) finds the cluster and its first drawings ready. Resolves when
 * they are (or at once, with nothing preloaded, for a small text or without a worker: the store
 * then loads it as usual). Never rejects: a worker that fails leaves the synchronous path.
 */
export function preload(text: string, name: string, views: FlowView[], docs?: unknown[]): Promise<void> {
  const w = text.length >= OFF_THREAD_FROM ? theWorker() : null;
  if (!w) return Promise.resolve();
  const id = nextId++;
  const file: ScenarioFile = docs ? { name, text, docs } : { name, text };
  return new Promise((resolve) => {
    let cluster: Cluster | null = null;
    let flow: Flow = { nodes: [], edges: [] };
    // The events' parts, made one PVec when the last has come (not a new vector per part).
    const events: EventRec[] = [];
    const finish = () => {
      w.removeEventListener('message', onMessage);
      w.removeEventListener('error', onError);
      resolve();
    };
    const onMessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.kind === 'cluster') {
        const result = m.result.ok ? { ok: true as const, value: (cluster = reviveCluster(m.result.value)) } : m.result;
        rememberLoaded(text, result);
      } else if (m.kind === 'part') {
        // Map keeps insertion order: the parts arrive in the worker's order.
        // The revived clone's pods are a Map (the worker sends them in parts); its events a PVec, made once all have come.
        if (cluster && m.part === 'pods') for (const [k, v] of m.entries as [string, PodRec][]) (cluster.pods as Map<string, PodRec>).set(k, v);
        else if (cluster?.events && m.part === 'events') for (const ev of m.entries as EventRec[]) events.push(ev);
      } else if (m.kind === 'lists') {
        if (cluster) {
          seedEndpoints(cluster, m.endpoints);
          seedTargets(cluster, m.targets);
        }
      } else if (m.kind === 'flow') {
        for (const n of m.nodes) flow.nodes.push(n);
        for (const e of m.edges) flow.edges.push(e);
        if (m.last && cluster) seedFlow(cluster, flowKey(m.view.level, null, m.view.foldSystem, ''), flow);
        if (m.last && m.index) seedWindowIndex(flow, m.index);
        if (m.last) flow = { nodes: [], edges: [] };
      } else {
        // done, or failed (the store then loads synchronously what was not preloaded)
        if (cluster?.events && events.length) cluster.events = PVec.from(events);
        finish();
      }
    };
    const onError = () => {
      // The worker script did not load or threw: this and later loads take the synchronous path.
      worker = null;
      finish();
    };
    w.addEventListener('message', onMessage);
    w.addEventListener('error', onError);
    w.postMessage({ id, files: [file], views } satisfies ToWorker);
  });
}
