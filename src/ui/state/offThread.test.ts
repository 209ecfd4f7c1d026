import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCluster } from '../../engine/load';
import { parseYamlFile } from '../../engine/scenario/parseYaml';
import { flowOf } from '../canvas/flowOf';
import '../testing/drawingEngine';
import { loadForDrawing, OFF_THREAD_FROM, preload, type FromWorker, type ToWorker } from './offThread';
import { attachParser, loadScenarioFiles, resetParsedScenarios } from './parsedScenarios';
import { benchCluster } from '../../../bench/ui/benchCluster';
import { scenarioYaml } from '../../engine/scenario/serialize';
import { endpointsOf } from '../endpoints';
import { windowFlow, windowIndex, WINDOW_ABOVE } from '../canvas/windowFlow';
import { serviceTargets } from './targets';

const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');

afterEach(() => {
  resetParsedScenarios();
  delete (globalThis as { Worker?: unknown }).Worker;
});

/** A Worker that runs loadForDrawing in this thread, each message cloned and delivered in a task of its own, as a browser does. */
class FakeWorker extends EventTarget {
  posted: FromWorker['kind'][] = [];
  postMessage(m: ToWorker) {
    const copy = structuredClone(m);
    setTimeout(() =>
      loadForDrawing(copy.files, copy.views, (out) => {
        this.posted.push(out.kind);
        const data = structuredClone(out);
        setTimeout(() => this.dispatchEvent(Object.assign(new Event('message'), { data })), 0);
      }, copy.id),
    );
  }
}

describe('preload', () => {
  it('leaves a small scenario to the synchronous load', async () => {
    let made = 0;
    (globalThis as { Worker?: unknown }).Worker = class extends FakeWorker {
      constructor() {
        super();
        made++;
      }
    };
    await preload(demo, 'scenario.yaml', [{ level: 'detail', foldSystem: true }]);
    expect(made).toBe(0);
  });

  it('hands the store the cluster and drawings the worker made, equal to the ones made here, in parts', async () => {
    attachParser({ parseYamlFile, loadCluster });
    const text = scenarioYaml(benchCluster(3000));
    expect(text.length).toBeGreaterThanOrEqual(OFF_THREAD_FROM);
    let worker: FakeWorker | undefined;
    (globalThis as { Worker?: unknown }).Worker = class extends FakeWorker {
      constructor() {
        super();
        worker = this;
      }
    };
    await preload(text, 'scenario.yaml', [{ level: 'detail', foldSystem: true }, { level: 'overview', foldSystem: true }]);
    // The pods came in parts after the rest of the cluster, the drawings after it.
    expect(worker!.posted.filter((k) => k === 'part').length).toBeGreaterThan(1);
    expect(worker!.posted[0]).toBe('cluster');
    expect(worker!.posted.at(-1)).toBe('done');
    const fromWorker = loadScenarioFiles([{ name: 'scenario.yaml', text }]);
    const here = loadCluster([{ name: 'scenario.yaml', text }]);
    if (!fromWorker.ok || !here.ok) throw new Error('did not load');
    expect(fromWorker.value).toStrictEqual(here.value);
    expect([...fromWorker.value.pods.keys()]).toEqual([...here.value.pods.keys()]);
    // The drawing is the worker's (no second derivation here) and the same as this thread's.
    const seeded = flowOf(fromWorker.value, 'detail', null, true);
    expect(seeded).toStrictEqual(flowOf(here.value, 'detail', null, true));
    expect(flowOf(fromWorker.value, 'overview', null, true)).toStrictEqual(flowOf(here.value, 'overview', null, true));
    // Its window index too (windowFlow.ts), the same as this thread's.
    const mine = flowOf(here.value, 'detail', null, true);
    expect(seeded.nodes.length).toBeGreaterThan(WINDOW_ABOVE);
    expect(windowIndex(seeded)).toStrictEqual(windowIndex(mine));
    expect(windowFlow(seeded, 'node:worker-1 node:worker-2')).toStrictEqual(windowFlow(mine, 'node:worker-1 node:worker-2'));
    // The trace form's lists are the worker's too, equal to this thread's.
    expect(worker!.posted).toContain('lists');
    expect(endpointsOf(fromWorker.value)).toStrictEqual(endpointsOf(here.value));
    expect(serviceTargets(fromWorker.value)).toStrictEqual(serviceTargets(here.value));
    expect(serviceTargets(here.value).length).toBeGreaterThan(3);
    // Taken once: the next load of the text is the store's own.
    expect(loadScenarioFiles([{ name: 'scenario.yaml', text }])).not.toBe(fromWorker);
  }, 120_000);

  it('reports the errors of a scenario that does not load, with their lines', async () => {
    attachParser({ parseYamlFile, loadCluster });
    (globalThis as { Worker?: unknown }).Worker = FakeWorker;
    const text = `${'# padding\n'.repeat(OFF_THREAD_FROM / 10)}apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec: {containers: [{name: c, image: busybox}]}\n`;
    await preload(text, 'scenario.yaml', []);
    const r = loadScenarioFiles([{ name: 'scenario.yaml', text }]);
    expect(r).toStrictEqual(loadCluster([{ name: 'scenario.yaml', text }]));
    expect(r.ok).toBe(false);
  });
});
