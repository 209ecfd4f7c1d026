// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands, loadCluster } from '../../engine';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { createAppStore } from '../store';
import { AUTOSAVE_KEY, encodeState, keptKeys } from './autosave';
import { initialScenario, restoreView, startAutosave } from './boot';

const demo = readFileSync(join(import.meta.dirname, '../../scenarios/demo.yaml'), 'utf8');
const engine = { loadCluster: (files: { name: string; text: string }[]) => loadCluster(files), serialize: scenarioYaml };

/** What the browser does in every other tab when one tab writes localStorage. */
function otherTabWrites(value: string) {
  localStorage.setItem(AUTOSAVE_KEY, value);
  window.dispatchEvent(new StorageEvent('storage', { key: AUTOSAVE_KEY, newValue: value, storageArea: localStorage }));
}

const scale = (store: ReturnType<typeof createAppStore>, n: number) => store.getState().applyCommand(`scale web to ${n}`, (c) => commands.scaleWorkload(c, 'default', 'web', n));

describe('boot: autosave across tabs', () => {
  beforeEach(() => {
    localStorage.clear();
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('saves after a change; when another tab saves, stops and asks; keeping this tab\'s keeps the other\'s aside', () => {
    const store = createAppStore(engine, demo);
    const autosave = startAutosave(store);
    scale(store, 4);
    vi.advanceTimersByTime(1000);
    expect(localStorage.getItem(AUTOSAVE_KEY)).toContain('replicas: 4');

    const theirs = encodeState({ yaml: `${demo}\n# the other tab\n` });
    otherTabWrites(theirs);
    const notice = store.getState().notice!;
    expect(notice.text).toMatch(/Another tab changed the work/);
    expect(notice.actions!.map((a) => a.label)).toEqual(['Keep this tab’s work', 'Load the other tab’s work']);
    // A change meanwhile is not written over the other tab's work, and the question comes back.
    store.getState().notify(null);
    scale(store, 5);
    vi.advanceTimersByTime(1000);
    expect(localStorage.getItem(AUTOSAVE_KEY)).toBe(theirs);
    expect(store.getState().notice?.text).toMatch(/Another tab changed the work/);

    store.getState().notice!.actions![0].run();
    expect(localStorage.getItem(AUTOSAVE_KEY)).toContain('replicas: 5');
    const kept = keptKeys(localStorage);
    expect(kept).toHaveLength(1);
    expect(localStorage.getItem(kept[0])).toBe(theirs);
    autosave.stop();
  });

  it('a value written by another tab without an event is noticed at the next save, not overwritten', () => {
    const store = createAppStore(engine, demo);
    const autosave = startAutosave(store);
    localStorage.setItem(AUTOSAVE_KEY, encodeState({ yaml: 'other' }));
    scale(store, 2);
    vi.advanceTimersByTime(1000);
    expect(JSON.parse(localStorage.getItem(AUTOSAVE_KEY)!).yaml).toBe('other');
    expect(store.getState().notice?.text).toMatch(/Another tab changed the work/);
    autosave.stop();
  });

  it('leaving the page writes a change not saved yet, and writes nothing when all is saved', () => {
    const store = createAppStore(engine, demo);
    const autosave = startAutosave(store);
    scale(store, 3);
    window.dispatchEvent(new Event('pagehide'));
    expect(localStorage.getItem(AUTOSAVE_KEY)).toContain('replicas: 3');
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    window.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(1000);
    expect(setItem).not.toHaveBeenCalled();
    setItem.mockRestore();
    autosave.stop();
  });

  it('a saved scenario the engine refuses: the demo, the save kept aside, never a throw when storage is full', () => {
    const bad = encodeState({ yaml: 'apiVersion: v1\nkind: Pod\nmetadata: {}\n' });
    localStorage.setItem(AUTOSAVE_KEY, bad);
    // Full: only a value put back where it was (its room just freed) fits.
    const real = Storage.prototype.setItem;
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, k: string, v: string) {
      if (k !== AUTOSAVE_KEY || this.getItem(k) !== null) throw new DOMException(`no room for ${k}`, 'QuotaExceededError');
      real.call(this, k, v);
    });
    const start = initialScenario({ text: demo, docs: [] });
    const store = createAppStore(engine, start.text);
    let held = false;
    expect(() => (held = restoreView(store, demo, start))).not.toThrow();
    setItem.mockRestore();
    expect(store.getState().cluster).not.toBeNull();
    expect(store.getState().appliedText).toBe(demo);
    // Storage refused even the move: the save stays where it was and autosave holds off.
    expect(localStorage.getItem(AUTOSAVE_KEY)).toBe(bad);
    expect(held).toBe(true);
    expect(store.getState().notice?.text).toMatch(/does not autosave over it/);
  });
});
