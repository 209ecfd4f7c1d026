import { describe, expect, it } from 'vitest';
import { workstationHint } from './terminalHints';

describe('workstationHint', () => {
  it('says where a network tool runs when the workstation shell does not have it', () => {
    expect(workstationHint(true, 'sh: ping: not found\n', 'client', 'worker-1')).toBe(
      'podpath: ping is not on your workstation; it runs in a pod (kubectl exec -it client -- sh) or on a node (ssh worker-1). Type help for more.',
    );
    expect(workstationHint(true, 'curl: (6) Could not resolve host: web\n', 'client', 'worker-1')).toContain('web is a name inside the cluster');
  });
  it('adds nothing inside a pod or node, nor for other errors', () => {
    expect(workstationHint(false, 'sh: ping: not found\n', 'client', 'worker-1')).toBeUndefined();
    expect(workstationHint(true, 'sh: foo: not found\n', 'client', 'worker-1')).toBeUndefined();
    expect(workstationHint(true, 'Error from server (NotFound): pods "x" not found\n', 'client', 'worker-1')).toBeUndefined();
  });
});
