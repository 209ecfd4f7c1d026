import { describe, expect, it } from 'vitest';
import { AUTOSAVE_KEY, restoreState, saveState, type KeyValue } from './autosave';

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

  it('starts fresh when nothing was saved', () => {
    expect(restoreState(memory(), 't')).toEqual({ kind: 'none' });
  });

  it.each([
    ['{not json', /not valid JSON/],
    ['{"v":0,"yaml":"x"}', /saved in format 0, this page reads format 1/],
    ['{"v":1,"yaml":42}', /incomplete or corrupted/],
    ['{"v":1,"yaml":"x","view":{"x":0,"y":0,"zoom":0}}', /incomplete or corrupted/],
    ['{"v":1,"yaml":"x","view":{"x":"0","y":0,"zoom":1}}', /incomplete or corrupted/],
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
});
