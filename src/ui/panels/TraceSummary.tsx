/**
 * The trace's outcome in one sentence, above the playback (where the eye is): the verdict of
 * the request and, when it was delivered although a NetworkPolicy selects an end that the CNI
 * does not enforce, that fact in words ("delivered — NetworkPolicy deny-web selects web-1 but
 * flannel does not enforce NetworkPolicy"); when a policy dropped it, which one and where.
 */
import { useMemo } from 'react';
import { useApp } from '../StoreContext';
import { dropMarkOf } from '../trace/dropMark';
import { flattenHops } from '../trace/playback';

export function TraceSummary() {
  const trace = useApp((s) => s.trace);
  const hops = useMemo(() => flattenHops(trace), [trace]);
  if (!trace) return null;
  const last = hops.find((h) => h.leg === 'request' && h.index === trace.hops.length - 1);
  const drop = dropMarkOf(last, trace);
  if (trace.note) {
    return (
      <p className="trace-summary trace-summary--warn" role="status" data-testid="trace-summary">
        <strong>⚠ {trace.verdict}</strong> — {trace.note}
      </p>
    );
  }
  if (drop && drop.policies.length) {
    return (
      <p className="trace-summary trace-summary--drop" role="status" data-testid="trace-summary">
        <strong>{drop.label}</strong> at hop {trace.hops.length}
      </p>
    );
  }
  return null;
}
