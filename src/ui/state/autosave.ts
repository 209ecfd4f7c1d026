/**
 * Autosave: the applied scenario, an unapplied draft, the open tab, the canvas's pan and zoom,
 * the selected element and the trace being looked at, in localStorage under one key. A saved state that cannot be read (corrupted, or written by
 * another format version) is never silently dropped: it is moved to a key of its own and the
 * user is told where.
 */
import { fnv32aUnits } from '../../engine/util/hash';
import type { Proto } from '../store';
import { MAX_PAN, MAX_SCENARIO_CHARS, MAX_ZOOM, MIN_ZOOM } from './limits';

export const AUTOSAVE_KEY = 'podpath:autosave';
export const AUTOSAVE_VERSION = 1;
/** A saved state that could not be restored, or another tab's work this tab chose not to load. */
export const SET_ASIDE_PREFIX = 'podpath:set-aside:';
/** The saved work a share link replaced (the link's Undo does not survive closing the tab; this does). */
export const BEFORE_SHARE_PREFIX = 'podpath:before-share:';

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
  /** textDigest of the text `docs` were parsed from: documents that disagree with `yaml` are not used. */
  sum?: string;
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

/**
 * `set-aside`: `key` is where the unreadable save now is, or null when even moving it did not fit
 * (storage full): it is then still under AUTOSAVE_KEY and autosave must not write over it.
 */
export type Restored = { kind: 'none' } | { kind: 'ok'; state: SavedState } | { kind: 'set-aside'; message: string; key: string | null };

/** A digest of a scenario text (its length and FNV-1a over its UTF-16 units): not a security check, a consistency one. */
export function textDigest(text: string): string {
  if (lastDigest?.text !== text) lastDigest = { text, sum: `${text.length}:${fnv32aUnits(text).toString(16)}` };
  return lastDigest.sum;
}
// Autosave asks again on every save, mostly for the same text.
let lastDigest: { text: string; sum: string } | undefined;

/** The saved form of a state (what saveState writes). */
export function encodeState(state: SavedState): string {
  const { sum: _sum, ...rest } = state;
  return JSON.stringify({ v: AUTOSAVE_VERSION, ...rest, ...(state.docs ? { sum: textDigest(state.yaml) } : {}) });
}

export function saveState(storage: KeyValue, state: SavedState): string | null {
  try {
    storage.setItem(AUTOSAVE_KEY, encodeState(state));
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

/**
 * Keep `raw` under a key of its own (`prefix` + `stamp`); the key, or null when storage refused it.
 * With `from`, the value is moved from that key: when a copy does not fit (storage full), the
 * original is removed first to free its room and put back if even then it does not fit.
 */
export function keepAside(storage: KeyValue, raw: string, stamp: string, prefix = SET_ASIDE_PREFIX, from?: string): string | null {
  const key = `${prefix}${stamp}`;
  try {
    storage.setItem(key, raw);
    if (from) storage.removeItem(from);
    return key;
  } catch {
    if (!from) return null;
  }
  try {
    storage.removeItem(from);
    storage.setItem(key, raw);
    return key;
  } catch {
    try {
      storage.setItem(from, raw);
    } catch {
      /* the room it had was just freed; nothing more can be done */
    }
    return null;
  }
}

/** The keys of work kept aside (set-aside and before-share), newest first (their stamps are ISO times). */
export function keptKeys(storage: Pick<Storage, 'length' | 'key'>): string[] {
  const out: string[] = [];
  try {
    for (let i = 0; i < storage.length; i++) {
      const k = storage.key(i);
      if (k && (k.startsWith(SET_ASIDE_PREFIX) || k.startsWith(BEFORE_SHARE_PREFIX))) out.push(k);
    }
  } catch {
    return [];
  }
  const stamp = (k: string) => k.slice(k.indexOf(':', 'podpath:'.length) + 1);
  return out.sort((a, b) => (stamp(a) < stamp(b) ? 1 : stamp(a) > stamp(b) ? -1 : a < b ? -1 : 1));
}

/** The saved view when the canvas can show it: finite, a zoom React Flow allows, a pan within reach; else undefined (the canvas fits). */
function usableView(v: unknown): SavedView | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { x, y, zoom } = v as Record<string, unknown>;
  if (![x, y, zoom].every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  if ((zoom as number) < MIN_ZOOM || (zoom as number) > MAX_ZOOM || Math.abs(x as number) > MAX_PAN || Math.abs(y as number) > MAX_PAN) return undefined;
  return { x: x as number, y: y as number, zoom: zoom as number };
}

function valid(v: unknown): v is SavedState & { v: number } {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  if (typeof s.yaml !== 'string' || s.yaml.length > MAX_SCENARIO_CHARS) return false;
  if (s.draft !== undefined && typeof s.draft !== 'string') return false;
  if (s.docs !== undefined && !Array.isArray(s.docs)) return false;
  if (s.sum !== undefined && typeof s.sum !== 'string') return false;
  if (s.tab !== undefined && typeof s.tab !== 'string') return false;
  if (s.selection !== undefined && typeof s.selection !== 'string') return false;
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
  const key = keepAside(storage, raw, stamp, SET_ASIDE_PREFIX, AUTOSAVE_KEY);
  if (key) return { kind: 'set-aside', key, message: `The saved work could not be restored (${why}). It was kept in this browser's localStorage under "${key}" (“Kept” in the top bar); the page starts on the demo.` };
  return { kind: 'set-aside', key: null, message: `The saved work could not be restored (${why}) and the browser's storage is too full to move it: it is left under "${AUTOSAVE_KEY}" and this tab does not autosave over it. The page starts on the demo.` };
}

export type Read = { ok: true; state: SavedState } | { ok: false; why: string };

/**
 * A saved state's text, checked: documents whose digest does not match the saved text are
 * dropped (the text is parsed instead), a view the canvas cannot show is dropped (it fits).
 */
export function readSaved(raw: string): Read {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, why: 'it is not valid JSON' };
  }
  const version = (value as { v?: unknown } | null)?.v;
  if (version !== AUTOSAVE_VERSION) return { ok: false, why: `it was saved in format ${JSON.stringify(version ?? null)}, this page reads format ${AUTOSAVE_VERSION}` };
  if (!valid(value)) return { ok: false, why: 'it is incomplete or corrupted' };
  const { v: _v, sum, docs, view, ...state } = value;
  const saved: SavedState = state;
  // A hop index: a hand-edited -5 or 2.5 would show no hop at all; the first one is shown instead (a too-large one the store clamps to the last).
  if (state.trace && !(Number.isInteger(state.trace.cursor) && state.trace.cursor >= 0)) saved.trace = { ...state.trace, cursor: Math.max(0, Math.floor(state.trace.cursor)) };
  if (docs && sum === textDigest(state.yaml)) saved.docs = docs;
  const shown = usableView(view);
  if (shown) saved.view = shown;
  return { ok: true, state: saved };
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
  const read = readSaved(raw);
  return read.ok ? { kind: 'ok', state: read.state } : setAside(storage, raw, read.why, stamp);
}
