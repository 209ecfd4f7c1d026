/**
 * The CLI's window on the outside world: output streams, files, standard input and whether it is
 * a terminal. Commands take a `CliIo` so tests can run them in-process with captured output;
 * `nodeIo()` is the real one (the only place in the CLI that touches process streams).
 */
import { closeSync, fstatSync, openSync, readSync, writeFileSync } from 'node:fs';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Read a file as UTF-8; throws (ENOENT …) like fs does, and EFBIG past MAX_INPUT_BYTES. */
  readFile(path: string): string;
  /**
   * The first `bytes` of a device or pipe that never ends (/dev/zero, /dev/urandom), for a reader
   * that takes what it is given as kubectl does; undefined for a regular file. Optional.
   */
  readStreamHead?(path: string, bytes: number): string | undefined;
  /** Write a file (bytes as they are); throws like fs does. */
  writeFile(path: string, data: Uint8Array): void;
  /** All of standard input, read once and then remembered. */
  readStdin(): Promise<string>;
  /** Standard input is a terminal (interactive shell) rather than a pipe or file. */
  stdinIsTTY: boolean;
  stdin: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/** The most a `-f` file may hold: far beyond any scenario; /dev/zero or a huge file stops here. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * Read a file or a stream (a pipe, /dev/stdin) as UTF-8 up to MAX_INPUT_BYTES; more (a device
 * that never ends, such as /dev/zero) throws EFBIG ("File too large") instead of filling memory.
 */
export function readBounded(path: string): string {
  const fd = openSync(path, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_INPUT_BYTES) throw Object.assign(new Error(`EFBIG: file too large, read '${path}'`), { code: 'EFBIG' });
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The first `bytes` of a character device or FIFO (undefined for anything else). */
export function readStreamHead(path: string, bytes: number): string | undefined {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() && !st.isFIFO()) return undefined;
    const buf = Buffer.alloc(bytes);
    let n = 0;
    while (n < bytes) {
      const got = readSync(fd, buf, n, bytes - n, null);
      if (got === 0) break;
      n += got;
    }
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export function nodeIo(): CliIo {
  let stdinText: Promise<string> | undefined;
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: readBounded,
    readStreamHead,
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
