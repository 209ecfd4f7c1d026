import { describe, expect, it } from 'vitest';
import { EventRecorder, sandboxFailure, type NewEvent } from './events';

const ev = (name: string, message: string, reason = 'FailedScheduling'): NewEvent => ({
  type: 'Warning',
  reason,
  message,
  involvedObject: { kind: 'Pod', namespace: 'default', name },
  source: { component: 'default-scheduler' },
});

describe('EventRecorder (client-go tools/record/events_cache.go)', () => {
  it('counts an identical event: count + 1, lastTimestamp moves, firstTimestamp stays', () => {
    const r = new EventRecorder(undefined);
    r.record(ev('a', 'm'), 10);
    r.record(ev('a', 'm'), 40);
    expect(r.events.toArray()).toEqual([{ ...ev('a', 'm'), firstTimestamp: 10, lastTimestamp: 40, count: 2 }]);
  });

  it('keeps events about different objects or with different reasons apart', () => {
    const r = new EventRecorder(undefined);
    r.record(ev('a', 'm'), 0);
    r.record(ev('b', 'm'), 0);
    r.record(ev('a', 'm', 'Scheduled'), 0);
    expect(r.events.map((e) => [e.involvedObject.name, e.reason, e.count])).toEqual([
      ['a', 'FailedScheduling', 1],
      ['b', 'FailedScheduling', 1],
      ['a', 'Scheduled', 1],
    ]);
  });

  it('aggregates from the 10th distinct message within 600 s: "(combined from similar events): " + the latest (defaultAggregateMaxEvents)', () => {
    const r = new EventRecorder(undefined);
    for (let i = 0; i < 12; i++) r.record(ev('a', `m${i}`), i);
    expect(r.events).toHaveLength(10);
    expect(r.events.slice(0, 9).map((e) => e.message)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    expect(r.events.get(9)).toMatchObject({ message: '(combined from similar events): m11', count: 3, firstTimestamp: 9, lastTimestamp: 11 });
  });

  it('starts aggregating afresh after 600 s without a similar event (defaultAggregateIntervalInSeconds)', () => {
    const r = new EventRecorder(undefined);
    for (let i = 0; i < 9; i++) r.record(ev('a', `m${i}`), 0);
    r.record(ev('a', 'late'), 601);
    expect(r.events.get(9)).toMatchObject({ message: 'late', count: 1 });
  });

  it('leaves the list it was given unchanged (persistent) and resumes counting from it', () => {
    const first = new EventRecorder(undefined);
    first.record(ev('a', 'm'), 0);
    const before = first.events;
    const next = new EventRecorder(before);
    next.record(ev('a', 'm'), 5);
    expect(before.get(0)!.count).toBe(1);
    expect(next.events.get(0)).toMatchObject({ count: 2, lastTimestamp: 5 });
  });
});

describe('sandboxFailure', () => {
  it('wraps the CNI error as kubelet, containerd and libcni do (flannel-io/flannel#2264)', () => {
    expect(sandboxFailure('calico', 'abc', 'failed to request 1 IPv4 addresses. IPAM allocated only 0')).toBe(
      'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "abc": plugin type="calico" failed (add): failed to request 1 IPv4 addresses. IPAM allocated only 0',
    );
  });
});
