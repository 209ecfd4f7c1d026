import { describe, expect, it } from 'vitest';
import { createdAt, humanDuration, rfc1123z, rfc3339 } from './time';

describe('time', () => {
  it('prints AGE like duration.HumanDuration', () => {
    expect(humanDuration(-5)).toBe('<invalid>');
    expect(humanDuration(0)).toBe('0s');
    expect(humanDuration(119)).toBe('119s');
    expect(humanDuration(125)).toBe('2m5s');
    expect(humanDuration(600)).toBe('10m');
    expect(humanDuration(3 * 3600 + 60)).toBe('3h1m');
    expect(humanDuration(10 * 3600)).toBe('10h');
    expect(humanDuration(50 * 3600)).toBe('2d2h');
    expect(humanDuration(30 * 86400)).toBe('30d');
    expect(humanDuration(800 * 86400)).toBe('2y70d');
  });

  it('formats timestamps from the scenario epoch', () => {
    expect(rfc3339(3661)).toBe('2024-01-01T01:01:01Z');
    expect(rfc1123z(0)).toBe('Mon, 01 Jan 2024 00:00:00 +0000');
    const meta = { name: 'x', labels: {}, annotations: {}, uid: 'u' };
    expect(createdAt({ ...meta, creationTimestamp: '90' })).toBe(90);
    expect(createdAt({ ...meta, creationTimestamp: '2024-01-01T00:02:00Z' })).toBe(120);
  });
});
