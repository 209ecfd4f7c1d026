/**
 * What the simulated applications remember during one shell session: the log lines they wrote
 * for requests the session sent (CoreDNS query logs, nginx access logs), and a counter that
 * makes DNS message ids and client ports differ from query to query. Kept in the session,
 * never in module state, so two sessions never see each other's traffic.
 */
export interface NetState {
  /** Queries and connections sent so far (seeds ids and ports). */
  sent: number;
  /** `namespace/pod` → lines appended to that pod's log, in order. */
  logs: Record<string, string[]>;
}

export function netStateOf(holder: { apps?: NetState }): NetState {
  holder.apps ??= { sent: 0, logs: {} };
  return holder.apps;
}

export function appendLog(state: NetState, podKey: string, line: string): void {
  (state.logs[podKey] ??= []).push(line);
}
