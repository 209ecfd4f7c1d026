/**
 * The CLI's window on the outside world: output streams, files, standard input and whether it is
 * a terminal. Commands take a `CliIo` so tests can run them in-process with captured output;
 * `nodeIo()` is the real one (the only place in the CLI that touches process streams).
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Read a file as UTF-8; throws (ENOENT …) like fs does. */
  readFile(path: string): string;
  /** Write a file (bytes as they are); throws like fs does. */
  writeFile(path: string, data: Uint8Array): void;
  /** All of standard input, read once and then remembered. */
  readStdin(): Promise<string>;
  /** Standard input is a terminal (interactive shell) rather than a pipe or file. */
  stdinIsTTY: boolean;
  stdin: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export function nodeIo(): CliIo {
  let stdinText: Promise<string> | undefined;
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFile: (path, data) => writeFileSync(path, data),
    readStdin() {
      stdinText ??= (async () => {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      })();
      return stdinText;
    },
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdin: process.stdin,
    output: process.stdout,
  };
}
