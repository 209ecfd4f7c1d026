/** The app store's lesson hooks: the learner's trace/command log and the hop a prediction holds playback at. */
import { describe, expect, it } from 'vitest';
import { makeStoreNode } from './testStore';
import { hopCount } from '../trace/playback';

describe('app store: lesson hooks', () => {
  it('logs every trace asked for and every shell line, oldest first', () => {
    const store = makeStoreNode();
    const s = store.getState();
    const { from, to } = store.getState();
    s.setProto('tcp');
    s.runTrace();
    expect(store.getState().traceLog).toEqual([{ from, to, proto: 'tcp', port: 80 }]);
    s.logShell({ line: 'kubectl get pods', status: 0 }, [{ from: 'default/client', to: '10.0.0.1', proto: 'icmp' }]);
    expect(store.getState().commandLog).toEqual([{ line: 'kubectl get pods', status: 0 }]);
    expect(store.getState().traceLog.map((t) => t.to)).toEqual([to, '10.0.0.1']);
  });

  it('holds playback at a hop: play, step and select stop there until the hold is lifted', () => {
    const store = makeStoreNode();
    const s = store.getState();
    s.runTrace();
    const count = hopCount(store.getState().trace);
    expect(count).toBeGreaterThan(5);
    s.setHold(3);
    s.play();
    for (let i = 0; i < count; i++) store.getState().step(1);
    expect(store.getState().cursor).toBe(3);
    expect(store.getState().playing).toBe(false);
    s.selectHop(count - 1);
    expect(store.getState().cursor).toBe(3);
    s.setHold(null);
    s.play();
    expect(store.getState().cursor).toBe(3); // goes on from where it waited
    expect(store.getState().playing).toBe(true);
    for (let i = 0; i < count; i++) store.getState().step(1);
    expect(store.getState().cursor).toBe(count - 1);
  });

  it('a hold set past the cursor pulls it back', () => {
    const store = makeStoreNode();
    const s = store.getState();
    s.runTrace();
    s.selectHop(6);
    s.setHold(2);
    expect(store.getState().cursor).toBe(2);
  });
});
