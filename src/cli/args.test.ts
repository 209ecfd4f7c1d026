import { describe, expect, it } from 'vitest';
import { UsageError, intOption, parse, requireFiles, scenarioOptions } from './args';

describe('args', () => {
  it('collects repeated -f and long options', () => {
    const { values } = parse(['-f', 'a.yaml', '--file', 'b.yaml', '-f', '-', '--seed', '7'], scenarioOptions, false);
    expect(values.file).toEqual(['a.yaml', 'b.yaml', '-']);
    expect(values.seed).toBe('7');
  });

  it('turns unknown options and stray positionals into UsageErrors', () => {
    expect(() => parse(['--bogus'], scenarioOptions, false)).toThrow(UsageError);
    expect(() => parse(['--bogus'], scenarioOptions, false)).toThrow("Unknown option '--bogus'");
    expect(() => parse(['x'], scenarioOptions, false)).toThrow(UsageError);
    expect(() => parse(['-f'], scenarioOptions, false)).toThrow(UsageError);
  });

  it('checks whole numbers in range', () => {
    expect(intOption('--port', '8080', 1, 65535)).toBe(8080);
    expect(intOption('--port', undefined, 1, 65535)).toBeUndefined();
    expect(() => intOption('--port', '0', 1, 65535)).toThrow("option '--port' wants a whole number from 1 to 65535, not '0'");
    expect(() => intOption('--port', '80x', 1, 65535)).toThrow(UsageError);
  });

  it('requires -f', () => {
    expect(() => requireFiles(undefined)).toThrow('no scenario given');
    expect(requireFiles(['a'])).toEqual(['a']);
  });
});
