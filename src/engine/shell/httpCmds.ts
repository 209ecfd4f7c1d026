import type { Handler, Place, Session } from './types';
export function httpCommandsFor(_place: Place, _session?: Session): Record<string, Handler> {
  return {};
}
