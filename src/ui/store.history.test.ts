import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commands, loadCluster, trace } from '../engine';
import { scenarioYaml } from '../engine/scenario/serialize';
import { createAppStore } from './store';

const demo = readFileSync(new URL('../scenarios/demo.yaml', import.meta.url), 'utf8');
const engine = { loadCluster: (files: { name: string; text: string }[]) => loadCluster(files), trace, serialize: scenarioYaml };

describe('app store: commands and history', () => {
  it('an edit keeps FROM → TO and traces it again on the new cluster; when an endpoint is gone it says so', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    st().setFrom('default/client');
    st().setTo('10.244.2.3');
    st().runTrace();
    expect(st().trace!.hops[0].packet.src).toBe('10.244.1.5');
    // Moving the client re-addresses it: the trace is run again from its new place.
    st().applyCommand('move client', (c) => commands.movePod(c, 'default', 'client', 'worker-2'));
    expect(st().from).toBe('default/client');
    expect(st().trace!.hops[0].packet.src).toMatch(/^10\.244\.2\./);
    expect(st().notice).toEqual({ kind: 'info', text: 'Traced default/client → 10.244.2.3 again after “move client”: the hops are the new cluster\'s.' });
    st().applyCommand('delete client', (c) => commands.deletePod(c, 'default', 'client'));
    expect(st().trace).toBeNull();
    expect(st().notice?.text).toBe('The trace default/client → 10.244.2.3 was cleared after “delete client”: default/client is no longer in the cluster.');
  });

  it('applies a command, rewrites the text, and undoes and redoes it', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    const before = st().cluster!;
    expect(st().applyCommand('move client', (c) => commands.movePod(c, 'default', 'client', 'worker-2'))).toBe(true);
    const moved = st().cluster!;
    expect(moved).not.toBe(before);
    expect(moved.pods.get('default/client')?.nodeName).toBe('worker-2');
    expect(st().scenarioText).toBe(scenarioYaml(moved));
    expect(st().past.map((p) => p.description)).toEqual(['move client']);

    st().undo();
    expect(st().cluster).toBe(before);
    expect(st().scenarioText).toBe(demo);
    st().redo();
    expect(st().cluster).toBe(moved);
    expect(st().scenarioText).toBe(scenarioYaml(moved));
    expect(st().future).toEqual([]);
  });

  it('a failing command shows the engine error and changes nothing', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    const before = { cluster: st().cluster, text: st().scenarioText };
    expect(st().applyCommand('move', (c) => commands.movePod(c, 'default', 'nope', 'worker-2'))).toBe(false);
    expect(st().cluster).toBe(before.cluster);
    expect(st().scenarioText).toBe(before.text);
    expect(st().past).toEqual([]);
    expect(st().notice).toEqual({ kind: 'error', text: 'kubectl: Pod/nope: Error from server (NotFound): pods "nope" not found' });
    st().notify(null);
    expect(st().notice).toBeNull();
  });

  it('a command that throws is reported, not raised', () => {
    const store = createAppStore(engine, demo);
    expect(store.getState().applyCommand('boom', () => { throw new Error('bug'); })).toBe(false);
    expect(store.getState().notice?.text).toBe('boom: internal error: bug');
  });

  it('applying edited YAML is undoable; a new change clears redo', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    const first = st().cluster;
    st().setScenarioText(demo.replace('name: demo', 'name: demo-2'));
    expect(st().applyScenario()).toBe(true);
    expect(st().cluster?.config.name).toBe('demo-2');
    st().undo();
    expect(st().cluster).toBe(first);
    expect(st().future).toHaveLength(1);
    st().applyCommand('scale', (c) => commands.scaleWorkload(c, 'default', 'web', 1));
    expect(st().future).toEqual([]);
    expect([...st().cluster!.pods.keys()].filter((k) => k.startsWith('default/web-'))).toHaveLength(1);
  });

  it('invalid YAML changes nothing and leaves history alone', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    const first = st().cluster;
    st().setScenarioText('kind: [');
    expect(st().applyScenario()).toBe(false);
    expect(st().cluster).toBe(first);
    expect(st().past).toEqual([]);
    expect(st().errors[0].line).toBeDefined();
  });

  it('selection follows the cluster: a deleted pod is unselected', () => {
    const store = createAppStore(engine, demo);
    const st = () => store.getState();
    st().select('default/client');
    expect(st().selection).toBe('default/client');
    st().applyCommand('delete client', (c) => commands.deletePod(c, 'default', 'client'));
    expect(st().selection).toBeNull();
    st().undo();
    expect(st().cluster?.pods.has('default/client')).toBe(true);
  });
});
