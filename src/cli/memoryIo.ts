/** An in-memory `CliIo` for tests: captured stdout/stderr, files from a record, a fixed stdin. */
import { PassThrough } from 'node:stream';
import type { CliIo } from './io';

export interface MemoryIo extends CliIo {
  out: string;
  err: string;
  /** stdout and stderr as a terminal shows them, interleaved in the order written. */
  all: string;
  /** Files the command wrote. */
  written: Record<string, Uint8Array>;
}

export function memoryIo(files: Record<string, string> = {}, stdin = '', tty = false): MemoryIo {
  const io: MemoryIo = {
    out: '',
    err: '',
    all: '',
    written: {},
    stdout: (t) => void ((io.out += t), (io.all += t)),
    stderr: (t) => void ((io.err += t), (io.all += t)),
    readFile: (path) => {
      if (path in files) return files[path];
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
    },
    writeFile: (path, data) => void (io.written[path] = data),
    readStdin: async () => stdin,
    stdinIsTTY: tty,
    stdin: new PassThrough(),
    output: new PassThrough(),
  };
  return io;
}
