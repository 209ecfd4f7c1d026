/**
 * The terminal: xterm.js running the engine's shell (the same interpreter as `podpath sh`).
 * Line editing lives here (the shell takes whole lines): cursor keys, history on ↑/↓, Tab
 * completion from `shell.complete`, Ctrl+C, Ctrl+L. A command that changes the cluster
 * (`kubectl run`, `apply`, `delete`) becomes an undoable change in the store; a command that
 * sends packets (`ping`, `traceroute`) shows its last trace on the canvas.
 */
import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { engineShell } from '../../engine/engineShell';
import type { Shell } from '../../engine/shell/index';
import { chunksOf } from '../../engine/shell/types';
import { ok } from '../../engine/model/source';
import { SCENARIO_FILE, type AppStore } from '../store';
import { useAppStoreApi } from '../StoreContext';
import { TERMINAL_EXIT_HINT, terminalKey } from './terminalKeys';
import { clusterHints, greetingLine, workstationHint } from './terminalHints';
import { unenforcedPolicyHint } from './policyHint';
import { getPrefs, subscribePrefs } from '../canvas/viewPrefs';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A shell bound to the store: created once, its cluster kept in step with the store's. */
function bindShell(store: AppStore): Shell | null {
  const cluster = store.getState().cluster;
  if (!cluster) return null;
  // `kubectl apply -f scenario.yaml` reads the YAML view.
  return engineShell(
    cluster,
    (path) => (path.replace(/^\.\//, '') === SCENARIO_FILE ? store.getState().scenarioText : undefined),
    // `cat scenario.yaml` on the simulated workstation: the file the learner loaded, as the YAML view has it now.
    () => ({ [SCENARIO_FILE]: store.getState().scenarioText }),
  );
}

/** The terminal's font size: larger in presentation mode, for the back row. */
const terminalFontPx = (presenting: boolean) => (presenting ? 18 : 12.5);

export function TerminalPanel() {
  const store = useAppStoreApi();
  const host = useRef<HTMLDivElement>(null);
  // What a screen reader is told about leaving the terminal (aria-live).
  const [announce, setAnnounce] = useState('');

  useEffect(() => {
    const term = new Terminal({
      fontFamily: cssVar('--mono', 'monospace'),
      fontSize: terminalFontPx(getPrefs().presentation),
      cursorBlink: true,
      convertEol: false,
      scrollback: 5000,
      theme: { background: '#0d1117', foreground: '#e6edf3', cursor: '#e6edf3', selectionBackground: '#264f78' },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current!);
    term.textarea?.setAttribute('aria-label', 'Terminal: type shell commands (help lists them)');
    term.textarea?.setAttribute('aria-describedby', 'terminal-exit-hint');
    // Escape, then Tab or Shift+Tab leaves the terminal (terminalKeys.ts): xterm takes Tab otherwise.
    let armed = false;
    term.attachCustomKeyEventHandler((e) => {
      const d = terminalKey(armed, e);
      armed = d.armed;
      if (d.announce) setAnnounce(d.announce);
      else if (e.type === 'keydown' && !d.armed) setAnnounce('');
      return d.toTerminal;
    });
    const onFocus = () => setAnnounce(TERMINAL_EXIT_HINT);
    term.textarea?.addEventListener('focus', onFocus);
    const resize = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* not visible */
      }
    });
    resize.observe(host.current!);
    // Presentation mode enlarges the terminal's text (the fit above then recounts its columns).
    const unsubscribePrefs = subscribePrefs(() => {
      term.options.fontSize = terminalFontPx(getPrefs().presentation);
      try {
        fit.fit();
      } catch {
        /* not visible */
      }
    });

    let shell = bindShell(store);
    let line = '';
    let pos = 0;
    let historyAt = -1;

    const prompt = () => term.write(shell ? shell.prompt : '$ ');
    /** Redraw the input line after the prompt, cursor at `pos`. */
    const redraw = () => {
      term.write('\r\x1b[2K');
      prompt();
      term.write(line);
      const back = line.length - pos;
      if (back > 0) term.write(`\x1b[${back}D`);
    };

    term.writeln('podpath shell — the same commands as `podpath sh`. Type \x1b[1mhelp\x1b[0m; Tab completes; ↑/↓ history; Esc then Tab leaves.');
    // The first prompt is the workstation (kubectl, ssh): say where ping, curl and traceroute
    // work, naming a pod and a node of the cluster shown — and again when another cluster is
    // opened (an example, a share link, a file), so the hints never name what is not there.
    const first = store.getState().cluster;
    let greeted = first ? clusterHints(first).key : '';
    if (first) term.writeln(greetingLine(first, false));
    prompt();

    const unsubscribe = store.subscribe((s, prev) => {
      if (s.cluster === prev.cluster || !s.cluster) return;
      if (!shell) {
        shell = bindShell(store);
        return;
      }
      // A change the shell made itself (kubectl run, delete) is already its cluster: run() prints.
      if (shell.cluster === s.cluster) return;
      shell.setCluster(s.cluster);
      const key = clusterHints(s.cluster).key;
      if (key === greeted) return;
      const opened = greeted.split('|')[0] !== s.cluster.config.name;
      greeted = key;
      // Above the line being typed (kept, as are the prompt and the place the user is in).
      term.write('\r\x1b[2K');
      term.writeln(greetingLine(s.cluster, opened));
      redraw();
    });

    const run = () => {
      term.write('\r\n');
      const input = line;
      line = '';
      pos = 0;
      historyAt = -1;
      if (!shell) {
        term.write('no cluster is loaded\r\n');
        prompt();
        return;
      }
      const before = shell.cluster;
      const atWorkstation = shell.session.places.length === 1;
      const logged = { commands: shell.commands.length, traces: shell.traceRequests.length };
      const r = shell.run(input);
      if (r.clear) term.clear();
      // In the order the line's commands wrote them (an error between two echoes stays between them).
      for (const [fd, text] of chunksOf(r)) term.write(fd === 1 ? crlf(text) : `\x1b[31m${crlf(text)}\x1b[0m`);
      const hint = r.stderr ? workstationHint(atWorkstation, r.stderr, shell.cluster) : undefined;
      if (hint) term.write(`\x1b[2m${crlf(hint)}\x1b[0m\r\n`);
      const after = shell.cluster;
      const policyHint = unenforcedPolicyHint(before, after);
      if (policyHint) term.write(`\x1b[2m${crlf(policyHint)}\x1b[0m\r\n`);
      if (after !== before) {
        // The shell changed the cluster: make it an undoable change (the shell keeps the same object).
        store.getState().applyCommand(input.trim(), () => ok(after));
      }
      // The line and the traces it sent, for lesson checks (the shell's own records).
      if (shell.commands.length > logged.commands) store.getState().logShell(shell.commands[shell.commands.length - 1], shell.traceRequests.slice(logged.traces));
      const last = r.traces?.[r.traces.length - 1];
      if (last) store.getState().showTrace(last);
      prompt();
    };

    const complete = () => {
      if (!shell) return;
      const head = line.slice(0, pos);
      const options = shell.complete(head);
      if (!options.length) return;
      const word = head.split(/\s+/).pop() ?? '';
      let common = options[0];
      for (const o of options) while (!o.startsWith(common)) common = common.slice(0, -1);
      if (options.length === 1) common += ' ';
      if (common.length > word.length) {
        line = head + common.slice(word.length) + line.slice(pos);
        pos += common.length - word.length;
        redraw();
      } else if (options.length > 1) {
        term.write(`\r\n${options.join('  ')}\r\n`);
        redraw();
      }
    };

    const recall = (delta: number) => {
      const h = shell?.history ?? [];
      if (!h.length) return;
      historyAt = historyAt === -1 ? (delta < 0 ? h.length - 1 : -1) : historyAt + delta;
      if (historyAt >= h.length) historyAt = -1;
      if (historyAt < -1) historyAt = 0;
      line = historyAt === -1 ? '' : h[Math.max(0, historyAt)];
      pos = line.length;
      redraw();
    };

    const data = term.onData((d) => {
      if (d === '\r') return run();
      if (d === '\x7f' || d === '\b') {
        if (pos > 0) {
          line = line.slice(0, pos - 1) + line.slice(pos);
          pos--;
          redraw();
        }
        return;
      }
      if (d === '\t') return complete();
      if (d === '\x03') {
        term.write('^C\r\n');
        line = '';
        pos = 0;
        prompt();
        return;
      }
      if (d === '\x0c') {
        term.clear();
        return redraw();
      }
      if (d === '\x1b[A') return recall(-1);
      if (d === '\x1b[B') return recall(1);
      if (d === '\x1b[D') {
        if (pos > 0) {
          pos--;
          term.write(d);
        }
        return;
      }
      if (d === '\x1b[C') {
        if (pos < line.length) {
          pos++;
          term.write(d);
        }
        return;
      }
      if (d === '\x1b[H' || d === '\x01') {
        pos = 0;
        return redraw();
      }
      if (d === '\x1b[F' || d === '\x05') {
        pos = line.length;
        return redraw();
      }
      if (d.startsWith('\x1b')) return;
      // Typed or pasted text; a pasted newline runs the line so far.
      for (const ch of d.replace(/\r\n?/g, '\n')) {
        if (ch === '\n') {
          run();
          continue;
        }
        if (ch < ' ') continue;
        line = line.slice(0, pos) + ch + line.slice(pos);
        pos++;
      }
      redraw();
    });

    return () => {
      term.textarea?.removeEventListener('focus', onFocus);
      data.dispose();
      unsubscribe();
      unsubscribePrefs();
      resize.disconnect();
      term.dispose();
    };
  }, [store]);

  return (
    <>
      <div className="terminal" ref={host} data-testid="terminal" role="region" aria-label="Terminal" />
      <p id="terminal-exit-hint" className="sr-only">
        {TERMINAL_EXIT_HINT}
      </p>
      <p className="sr-only" role="status" aria-live="polite" data-testid="terminal-announce">
        {announce}
      </p>
    </>
  );
}
