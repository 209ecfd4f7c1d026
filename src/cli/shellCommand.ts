/**
 * `podpath sh`: the app's terminal on the command line. One line (`-c`), a script read from
 * standard input (one command per line, outputs in order, exit status of the last command, as
 * `sh < script` does), or an interactive session with the shell's prompt, history and tab
 * completion when standard input is a terminal. Output is the shell's bytes, unchanged.
 */
import { createInterface } from 'node:readline';
import { engineShell, type Cluster, type ScenarioFile } from '../engine/index';
import { chunksOf, type RunResult, type Shell } from '../engine/shell/index';
import type { CliIo } from './io';

/** What a terminal receives for `clear` (ncurses' clear with E3: home, erase screen, erase scrollback). */
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

/** How much of an endless device `kubectl apply -f` reads before the decoder refuses it. */
const STREAM_HEAD_BYTES = 64 * 1024;

export function shellFor(cluster: Cluster, io: CliIo, loaded: ScenarioFile[] = []): Shell {
  // `kubectl apply -f FILE` reads real files, relative to the working directory. A device that
  // never ends (/dev/zero) is read as kubectl reads it, but only its first bytes: the decoder
  // refuses them (NUL bytes) instead of the session filling memory.
  return engineShell(cluster, (path) => {
    try {
      return io.readFile(path);
    } catch (e) {
      if ((e as { code?: string }).code === 'EFBIG') {
        try {
          return io.readStreamHead?.(path, STREAM_HEAD_BYTES);
        } catch {
          return undefined;
        }
      }
      return undefined;
    }
  }, () => Object.fromEntries(loaded.map((f) => [f.name, f.text])));
}

export function printResult(io: CliIo, r: RunResult): void {
  if (r.clear) io.stdout(CLEAR_SCREEN);
  // In the order the commands wrote them (`a; b`: a's error before b's output), as a terminal shows them.
  for (const [fd, text] of chunksOf(r)) (fd === 1 ? io.stdout : io.stderr)(text);
}

/**
 * `exit`/`logout` typed at the workstation prompt ends the session (elsewhere it leaves a pod or
 * node); `exit abc` does not (the workstation's sh refuses it: Illegal number).
 */
function leavesSession(shell: Shell, line: string): boolean {
  return shell.session.places.length === 1 && /^\s*(exit|logout)(\s+\d+)?\s*$/.test(line);
}

/** Lines of a script, with backslash-newline continuations joined as sh joins them. */
export function scriptLines(text: string): string[] {
  const raw = text.replace(/\r\n/g, '\n').replace(/\\\n/g, '').split('\n');
  if (raw.length && raw[raw.length - 1] === '') raw.pop();
  return raw;
}

/** Run lines in order; stop at a top-level `exit`. Returns the last status. */
export function runScript(shell: Shell, io: CliIo, lines: string[]): number {
  let status = 0;
  for (const line of lines) {
    const leaving = leavesSession(shell, line);
    const r = shell.run(line);
    printResult(io, r);
    status = r.status;
    if (leaving) break;
  }
  return status;
}

export function interactive(shell: Shell, io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    const rl = createInterface({
      input: io.stdin,
      output: io.output,
      terminal: true,
      historySize: 1000,
      removeHistoryDuplicates: false,
      completer: (line: string): [string[], string] => {
        const word = line.split(/\s+/).pop() ?? '';
        return [shell.complete(line), word];
      },
    });
    let status = 0;
    let exited = false;
    rl.setPrompt(shell.prompt);
    rl.prompt();
    rl.on('line', (line) => {
      const leaving = leavesSession(shell, line);
      const r = shell.run(line);
      printResult(io, r);
      status = r.status;
      if (leaving) {
        exited = true;
        rl.close();
        return;
      }
      rl.setPrompt(r.prompt);
      rl.prompt();
    });
    // Ctrl-C abandons the line being typed, as bash does.
    rl.on('SIGINT', () => {
      io.stdout('^C\n');
      rl.setPrompt(shell.prompt);
      rl.prompt();
    });
    rl.on('close', () => {
      // End of input (Ctrl-D) leaves the cursor after the prompt: end the line.
      if (!exited) io.stdout('\n');
      resolve(status);
    });
  });
}
