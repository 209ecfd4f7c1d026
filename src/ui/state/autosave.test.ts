import { describe, expect, it } from 'vitest';
import { AUTOSAVE_KEY, BEFORE_SHARE_PREFIX, keepAside, keptKeys, restoreState, saveState, textDigest, type KeyValue } from './autosave';

function memory(): KeyValue & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe('autosave', () => {
  it('restores what it saved', () => {
    const s = memory();
    const state = { yaml: 'kind: Cluster', draft: 'kind: Clu', tab: 'yaml', view: { x: -120.5, y: 40, zoom: 1.6 }, selection: 'node/worker-1', trace: { from: 'default/a', to: 'default/b', proto: 'icmp' as const, port: 0, cursor: 3 } };
    expect(saveState(s, state)).toBeNull();
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state });
  });

  it('keeps the trace form (FROM/TO) when no trace was run, and refuses a malformed one', () => {
    const s = memory();
    const state = { yaml: 'kind: Cluster', form: { from: 'default/client', to: 'node/worker-2', proto: 'tcp' as const, port: 8080 } };
    expect(saveState(s, state)).toBeNull();
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state });
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'kind: Cluster', form: { from: 'a', to: 'b', proto: 'sctp', port: 1 } }));
    expect(restoreState(s, 't').kind).toBe('set-aside');
  });

  it('a saved hop cursor that is no hop index (negative, fractional) opens on a hop, the work kept', () => {
    const s = memory();
    const trace = { from: 'default/a', to: 'default/b', proto: 'icmp' as const, port: 0 };
    for (const [cursor, shown] of [[-5, 0], [2.5, 2], [7, 7]]) {
      s.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'kind: Cluster', trace: { ...trace, cursor } }));
      expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Cluster', trace: { ...trace, cursor: shown } } });
    }
  });

  it('starts fresh when nothing was saved', () => {
    expect(restoreState(memory(), 't')).toEqual({ kind: 'none' });
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['{"v":0,"yaml":"x"}', /saved in format 0, this page reads format 1/],
    ['{"v":1,"yaml":42}', /incomplete or corrupted/],
    ['{"v":1,"yaml":"x","docs":{"kind":"Pod"}}', /incomplete or corrupted/],
  ])('sets a bad saved state aside and says where: %s', (raw, why) => {
    const s = memory();
    s.setItem(AUTOSAVE_KEY, raw);
    const r = restoreState(s, '2024-01-01T00:00:00Z');
    expect(r.kind).toBe('set-aside');
    if (r.kind === 'set-aside') expect(r.message).toMatch(why);
    expect(s.data.get('podpath:set-aside:2024-01-01T00:00:00Z')).toBe(raw);
    expect(s.data.has(AUTOSAVE_KEY)).toBe(false);
  });

  it('keeps the parsed documents with the text, and saves the text alone when both do not fit', () => {
    const s = memory();
    const docs = [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } }];
    expect(saveState(s, { yaml: 'kind: Pod', docs })).toBeNull();
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Pod', docs } });

    const small = memory();
    const quota = { ...small, setItem: (k: string, v: string) => { if (v.length > 60) throw new Error('QuotaExceededError'); small.setItem(k, v); } };
    expect(saveState(quota, { yaml: 'kind: Pod', docs })).toBeNull();
    expect(restoreState(small, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Pod' } });
  });

  it('reports a full storage instead of throwing', () => {
    const s = { ...memory(), setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(saveState(s, { yaml: 'x' })).toMatch(/Autosave failed \(QuotaExceededError\)/);
  });

  it.each([
    ['zero', { x: 0, y: 0, zoom: 0 }],
    ['1e-300 (an empty canvas)', { x: 0, y: 0, zoom: 1e-300 }],
    ['beyond React Flow\'s maxZoom', { x: 0, y: 0, zoom: 1e9 }],
    ['a text pan', { x: '0', y: 0, zoom: 1 }],
    ['a pan off any cluster', { x: 1e300, y: 0, zoom: 1 }],
    ['not an object', 7],
  ])('restores the work without a saved view the canvas cannot show (%s): the canvas fits', (_, view) => {
    const s = memory();
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'kind: Cluster', tab: 'yaml', view }));
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Cluster', tab: 'yaml' } });
  });

  it('keeps a view within the canvas\'s zoom range', () => {
    const s = memory();
    const view = { x: -3000, y: 12.5, zoom: 0.03 };
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'x', view }));
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'x', view } });
  });

  it('uses saved documents only when they were parsed from the saved text', () => {
    const s = memory();
    const docs = [{ kind: 'Pod', metadata: { name: 'a' } }];
    saveState(s, { yaml: 'kind: Pod\nmetadata: {name: a}', docs });
    const saved = JSON.parse(s.data.get(AUTOSAVE_KEY)!);
    expect(saved.sum).toBe(textDigest('kind: Pod\nmetadata: {name: a}'));
    // The text changed (by hand, another version) but the documents did not: they are not used.
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ ...saved, yaml: 'kind: Pod\nmetadata: {name: b}' }));
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Pod\nmetadata: {name: b}' } });
    // Documents without a digest are not trusted either.
    s.setItem(AUTOSAVE_KEY, JSON.stringify({ v: 1, yaml: 'kind: Pod', docs }));
    expect(restoreState(s, 't')).toEqual({ kind: 'ok', state: { yaml: 'kind: Pod' } });
    expect(textDigest('ab')).not.toBe(textDigest('ba'));
  });

  /** Storage that holds at most `room` characters of values, like a browser's quota. */
  function quota(room: number) {
    const m = memory();
    const used = () => [...m.data.values()].reduce((n, v) => n + v.length, 0);
    return {
      ...m,
      setItem: (k: string, v: string) => {
        if (used() - (m.data.get(k)?.length ?? 0) + v.length > room) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        m.data.set(k, v);
      },
    };
  }

  it('sets an unreadable save aside even when storage is full (moving it frees its own room)', () => {
    const raw = '{not json' + 'x'.repeat(100);
    const s = quota(raw.length + 10);
    s.setItem(AUTOSAVE_KEY, raw);
    const r = restoreState(s, 'T');
    expect(r).toMatchObject({ kind: 'set-aside', key: 'podpath:set-aside:T' });
    expect(s.data.get('podpath:set-aside:T')).toBe(raw);
    expect(s.data.has(AUTOSAVE_KEY)).toBe(false);
  });

  it('leaves an unreadable save in place, and says autosave will not write over it, when not even a move fits', () => {
    const raw = '{not json';
    const s = quota(raw.length);
    s.setItem(AUTOSAVE_KEY, raw);
    const tight = { ...s, setItem: (k: string, v: string) => (k === AUTOSAVE_KEY ? s.setItem(k, v) : (() => { throw new DOMException('full', 'QuotaExceededError'); })()) };
    const r = restoreState(tight, 'T');
    expect(r).toMatchObject({ kind: 'set-aside', key: null });
    if (r.kind === 'set-aside') expect(r.message).toMatch(/does not autosave over it/);
    expect(s.data.get(AUTOSAVE_KEY)).toBe(raw);
  });

  it('keepAside copies (or refuses without throwing); keptKeys lists kept work newest first', () => {
    const s = quota(40);
    expect(keepAside(s, 'a'.repeat(10), '2026-01-01T00:00:00.000Z', BEFORE_SHARE_PREFIX)).toBe('podpath:before-share:2026-01-01T00:00:00.000Z');
    expect(keepAside(s, 'b'.repeat(10), '2026-01-02T00:00:00.000Z')).toBe('podpath:set-aside:2026-01-02T00:00:00.000Z');
    expect(keepAside(s, 'c'.repeat(30), '2026-01-03T00:00:00.000Z')).toBeNull();
    s.setItem(AUTOSAVE_KEY, 'x');
    const keys = [...s.data.keys()];
    expect(keptKeys({ length: keys.length, key: (i) => keys[i] ?? null })).toEqual(['podpath:set-aside:2026-01-02T00:00:00.000Z', 'podpath:before-share:2026-01-01T00:00:00.000Z']);
  });
});
