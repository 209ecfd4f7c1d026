/**
 * Argument parsing for the subcommands over node:util parseArgs (strict): unknown options and
 * missing values become a `UsageError`, which the CLI prints with the subcommand's usage line
 * and exit status 2. Options shared by every subcommand that loads a scenario live here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {}

export const EXIT_USAGE = 2;

/** `-f FILE` (repeatable), `--seed N`, `-h/--help`: accepted by check, sh and trace. */
export const scenarioOptions = {
  file: { type: 'string', short: 'f', multiple: true },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export function parse<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O, allowPositionals: boolean) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    // parseArgs' messages name the option ("Unknown option '--x'"); drop its advice to use `--` that is not ours.
    throw new UsageError((e as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
}

/** A whole number in [min, max] from an option value, or a UsageError naming the option. */
export function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`option '${name}' wants a whole number from ${min} to ${max}, not '${value}'`);
  }
  return Number(value);
}

export function requireFiles(files: string[] | undefined): string[] {
  if (!files || files.length === 0) throw new UsageError('no scenario given: use -f FILE (or -f - for standard input)');
  return files;
}
