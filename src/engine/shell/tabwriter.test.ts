import { describe, expect, it } from 'vitest';
import { DESCRIBE_TABS, GET_TABS, tabwrite } from './tabwriter';

describe('tabwrite (Go text/tabwriter)', () => {
  it('pads every column but the last to widest + 3, at least 6 (kubectl get)', () => {
    expect(tabwrite('NAME\tSTATUS\tAGE\nweb\tRunning\t5m\n', GET_TABS)).toBe('NAME   STATUS    AGE\nweb    Running   5m\n');
  });

  it('aligns per block of consecutive tabbed lines (kubectl describe)', () => {
    const text = 'Name:\tx\nService Account:\tdefault\nIPs:\n  IP:\t10.0.0.1\n';
    expect(tabwrite(text, DESCRIBE_TABS)).toBe('Name:             x\nService Account:  default\nIPs:\n  IP:  10.0.0.1\n');
  });

  it('gives inner columns their own blocks', () => {
    const text = 'a\tb\tc\naaaa\tb\nx\tbbbbbb\tc\n';
    expect(tabwrite(text, { minwidth: 0, padding: 1 })).toBe('a    b c\naaaa b\nx    bbbbbb c\n');
  });
});
