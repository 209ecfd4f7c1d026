/**
 * Autosave: the applied scenario, an unapplied draft, the open tab, the canvas's pan and zoom,
 * the selected element and the trace being looked at, in localStorage under one key. A saved state that cannot be read (corrupted, or written by
 * another format version) is never silently dropped: it is moved to a key of its own and the
 * user is told where.
 */
import type { Proto } from '../store';
import { MAX_SCENARIO_CHARS } from './limits';

export const AUTOSAVE_KEY = 'podpath:autosave';
export const AUTOSAVE_VERSION = 1;
const SET_ASIDE_PREFIX = 'podpath:set-aside:';

export interface SavedTrace {
  from: string;
  to: string;
  proto: Proto;
  port: number;
  cursor: number;
  /** For a trace to a DNS name: which of its packets was shown (a DNS query, or the last: the packet to the name). */
  packet?: number;
}

export interface SavedState {
  yaml: string;
  /**
   * The YAML documents of `yaml` as the engine's parser read them (parsedScenarios.ts): with them
   * the next visit draws the cluster before the parser has loaded. Left out when they do not
   * survive JSON or do not fit; the text alone is then parsed as usual.
   */
  docs?: unknown[];
  /** Text in the YAML view that was not applied yet. */
  draft?: string;
  tab?: string;
  /** The canvas's pan and zoom (React Flow's viewport). */
  view?: SavedView;
  /** The selected canvas element. */
  selection?: string;
  trace?: SavedTrace;
  /** The trace form's FROM/TO/protocol/port when no trace was run yet (with a trace, `trace` has them). */
  form?: Omit<SavedTrace, 'cursor' | 'packet'>;
}

export interface SavedView {
  x: number;
  y: number;
  zoom: number;
}

/** The part of the Storage API used (so tests pass a Map-backed fake). */
export type KeyValue = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type Restored = { kind: 'none' } | { kind: 'ok'; state: SavedState } | { kind: 'set-aside'; message: string };

export function saveState(storage: KeyValue, state: SavedState): string | null {
  try {
    storage.setItem(AUTOSAVE_KEY, JSON.stringify({ v: AUTOSAVE_VERSION, ...state }));
    return null;
  } catch (e) {
    // The documents are only a cache: when they do not fit, the work is saved without them.
    if (state.docs) {
      const { docs: _docs, ...work } = state;
      return saveState(storage, work);
    }
    return `Autosave failed (${e instanceof Error ? e.message : String(e)}); export the scenario to keep it.`;
  }
}

function valid(v: unknown): v is SavedState & { v: number } {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.yaml !== 'string' || s.yaml.length > MAX_SCENARIO_CHARS) return false;
  if (s.draft !== undefined && typeof s.draft !== 'string') return false;
  if (s.docs !== undefined && !Array.isArray(s.docs)) return false;
  if (s.tab !== undefined && typeof s.tab !== 'string') return false;
  if (s.selection !== undefined && typeof s.selection !== 'string') return false;
  if (s.view !== undefined) {
    const v = s.view as Record<string, unknown>;
    if (typeof v !== 'object' || v === null || ![v.x, v.y, v.zoom].every((n) => typeof n === 'number' && Number.isFinite(n)) || (v.zoom as number) <= 0) return false;
  }
  if (s.form !== undefined) {
    const f = s.form as Record<string, unknown>;
    if (typeof f !== 'object' || f === null || typeof f.from !== 'string' || typeof f.to !== 'string' || typeof f.port !== 'number' || !['icmp', 'tcp', 'udp'].includes(f.proto as string)) return false;
  }
  if (s.trace !== undefined) {
    const t = s.trace as Record<string, unknown>;
    if (typeof t !== 'object' || t === null || typeof t.from !== 'string' || typeof t.to !== 'string' || typeof t.port !== 'number' || typeof t.cursor !== 'number') return false;
    if (!['icmp', 'tcp', 'udp'].includes(t.proto as string)) return false;
    if (t.packet !== undefined && (typeof t.packet !== 'number' || !Number.isInteger(t.packet) || t.packet < 0)) return false;
  }
  return true;
}

/** Move an unreadable saved state to a key of its own, and say so. */
function setAside(storage: KeyValue, raw: string, why: string, stamp: string): Restored {
  const key = `${SET_ASIDE_PREFIX}${stamp}`;
  try {
    storage.setItem(key, raw);
    storage.removeItem(AUTOSAVE_KEY);
    return { kind: 'set-aside', message: `The saved work could not be restored (${why}). It was kept in this browser's localStorage under "${key}"; the page starts fresh.` };
  } catch {
    return { kind: 'set-aside', message: `The saved work could not be restored (${why}). It is left under "${AUTOSAVE_KEY}" in localStorage and will be overwritten by the next autosave.` };
  }
}

/** `stamp` names the set-aside key (the caller passes the time; this module reads no clock). */
export function restoreState(storage: KeyValue, stamp: string): Restored {
  let raw: string | null;
  try {
    raw = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return { kind: 'none' };
  }
  if (raw === null) return { kind: 'none' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return setAside(storage, raw, 'it is not valid JSON', stamp);
  }
  const version = (value as { v?: unknown } | null)?.v;
  if (version !== AUTOSAVE_VERSION) return setAside(storage, raw, `it was saved in format ${JSON.stringify(version ?? null)}, this page reads format ${AUTOSAVE_VERSION}`, stamp);
  if (!valid(value)) return setAside(storage, raw, 'it is incomplete or corrupted', stamp);
  const { v: _v, ...state } = value;
  return { kind: 'ok', state };
}
