/**
 * `podpath`'s dispatcher: picks the subcommand, parses its options, loads the scenario and runs
 * it. Returns the exit status instead of exiting, so tests can call it with a captured `CliIo`.
 * Exit status: 0 success; 1 invalid scenario, failed command or undelivered packet; 2 usage.
 * The engine is imported only by the commands that load a scenario, so `--help` and `demo` start
 * fast and never depend on it.
 */
import { readFileSync } from 'node:fs';
import { EXIT_USAGE, UsageError, intOption, parse, requireFiles, scenarioOptions } from './args';
import type { CliIo } from './io';
import { CHECK_USAGE, DEMO_USAGE, EXPORT_USAGE, LESSON_USAGE, MAIN_USAGE, POLICY_USAGE, SH_USAGE, TRACE_USAGE } from './usage';

const USAGES: Record<string, string> = { check: CHECK_USAGE, sh: SH_USAGE, trace: TRACE_USAGE, export: EXPORT_USAGE, policy: POLICY_USAGE, lesson: LESSON_USAGE, demo: DEMO_USAGE };

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    const topic = command === 'help' && rest[0] ? USAGES[rest[0]] : undefined;
    (command === undefined ? io.stderr : io.stdout)(topic ?? MAIN_USAGE);
    return command === undefined ? EXIT_USAGE : 0;
  }
  const usage = USAGES[command];
  if (!usage) {
    io.stderr(`podpath: unknown command '${command}'\n\n${MAIN_USAGE}`);
    return EXIT_USAGE;
  }
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'sh':
        return await sh(rest, io);
      case 'trace':
        return await traceCmd(rest, io);
      case 'export':
        return await exportCmd(rest, io);
      case 'policy':
        return await policyCmd(rest, io);
      case 'lesson':
        return await lessonCmd(rest, io);
      default:
        return demo(rest, io);
    }
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`podpath ${command}: ${e.message}\n${usage.split('\n\n')[0]}\nTry 'podpath ${command} --help'.\n`);
    return EXIT_USAGE;
  }
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, scenarioOptions, false);
  if (values.help) return help(io, CHECK_USAGE);
  const files = requireFiles(values.file);
  intOption('--seed', values.seed, 0, 0xffffffff);
  const [{ loadScenarioFiles }, { summarize }, { stuckPodWarnings, unenforcedPolicyWarnings }, { positionErrors }, { formatScenarioError }] = await Promise.all([
    import('./loadFiles'),
    import('./summary'),
    import('./warnings'),
    import('../engine/load'),
    import('../engine/model/source'),
  ]);
  const loaded = await loadScenarioFiles(io, files);
  if (!loaded) return 1;
  io.stdout(summarize(loaded.cluster, files.map((f) => (f === '-' ? '(stdin)' : f))));
  // What the cluster accepted but cannot run: warnings on standard error, the exit status stays 0.
  for (const w of positionErrors(loaded.files, [...stuckPodWarnings(loaded.cluster), ...unenforcedPolicyWarnings(loaded.cluster)])) io.stderr(formatScenarioError(w) + '\n');
  return 0;
}

async function sh(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, { ...scenarioOptions, command: { type: 'string', short: 'c' } }, false);
  if (values.help) return help(io, SH_USAGE);
  const files = requireFiles(values.file);
  intOption('--seed', values.seed, 0, 0xffffffff);
  if (values.command === undefined && files.includes('-')) throw new UsageError("'-f -' takes standard input, so the commands must come with -c");
  const [{ loadScenarioFiles }, { interactive, printResult, runScript, scriptLines, shellFor }] = await Promise.all([import('./loadFiles'), import('./shellCommand')]);
  const loaded = await loadScenarioFiles(io, files);
  if (!loaded) return 1;
  // The -f files are on the simulated workstation too (`cat demo.yaml`).
  const shell = shellFor(loaded.cluster, io, loaded.files);
  if (values.command !== undefined) {
    const lines = scriptLines(values.command);
    if (lines.length === 1) {
      const r = shell.run(lines[0]);
      printResult(io, r);
      return r.status;
    }
    return runScript(shell, io, lines);
  }
  if (io.stdinIsTTY) return interactive(shell, io);
  return runScript(shell, io, scriptLines(await io.readStdin()));
}

async function traceCmd(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...scenarioOptions,
      proto: { type: 'string' },
      port: { type: 'string' },
      size: { type: 'string' },
      json: { type: 'boolean' },
      host: { type: 'string' },
      path: { type: 'string' },
      pcap: { type: 'string' },
    },
    true,
  );
  if (values.help) return help(io, TRACE_USAGE);
  const files = requireFiles(values.file);
  intOption('--seed', values.seed, 0, 0xffffffff);
  if (positionals.length !== 2) throw new UsageError(positionals.length < 2 ? 'FROM and TO are required' : `unexpected argument '${positionals[2]}'`);
  const proto = values.proto ?? (values.port !== undefined ? 'tcp' : 'icmp');
  if (proto !== 'icmp' && proto !== 'tcp' && proto !== 'udp') throw new UsageError(`option '--proto' wants icmp, tcp or udp, not '${proto}'`);
  const port = intOption('--port', values.port, 1, 65535);
  if (port !== undefined && proto === 'icmp') throw new UsageError("option '--port' needs --proto tcp or udp");
  const size = intOption('--size', values.size, 0, 65507);
  const [{ loadFromFiles }, { runTrace }] = await Promise.all([import('./loadFiles'), import('./traceCommand')]);
  const cluster = await loadFromFiles(io, files);
  if (!cluster) return 1;
  const [from, to] = positionals;
  const ingress = { ...(values.host !== undefined ? { host: values.host } : {}), ...(values.path !== undefined ? { path: values.path } : {}) };
  if (Object.keys(ingress).length && proto === 'icmp' && values.proto !== undefined) throw new UsageError("options '--host' and '--path' need --proto tcp");
  const http = Object.keys(ingress).length > 0;
  return runTrace(cluster, io, { from, to, proto: http ? 'tcp' : proto, port: proto === 'icmp' && !http ? undefined : (port ?? 80), size }, Boolean(values.json), ingress, values.pcap);
}

async function exportCmd(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, scenarioOptions, true);
  if (values.help) return help(io, EXPORT_USAGE);
  if (positionals.length === 0) throw new UsageError('TARGET is required (linux)');
  if (positionals[0] !== 'linux') throw new UsageError(`unknown export target '${positionals[0]}' (the only one is linux)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const files = requireFiles(values.file);
  intOption('--seed', values.seed, 0, 0xffffffff);
  const [{ loadFromFiles }, { runExport }] = await Promise.all([import('./loadFiles'), import('./exportCommand')]);
  const cluster = await loadFromFiles(io, files);
  if (!cluster) return 1;
  return runExport(cluster, io);
}

async function policyCmd(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') return help(io, POLICY_USAGE);
  if (sub !== 'matrix' && sub !== 'explain') throw new UsageError(`unknown subcommand '${sub}': use matrix or explain`);
  const { values, positionals } = parse(
    rest,
    { ...scenarioOptions, namespace: { type: 'string', short: 'n' }, port: { type: 'string' }, proto: { type: 'string' }, json: { type: 'boolean' }, intent: { type: 'boolean' } },
    true,
  );
  if (values.help) return help(io, POLICY_USAGE);
  const files = requireFiles(values.file);
  intOption('--seed', values.seed, 0, 0xffffffff);
  const proto = (values.proto ?? 'tcp').toUpperCase();
  if (!['TCP', 'UDP', 'SCTP', 'ICMP'].includes(proto)) throw new UsageError(`option '--proto' wants tcp, udp, sctp or icmp, not '${values.proto}'`);
  const port = proto === 'ICMP' ? undefined : (intOption('--port', values.port, 1, 65535) ?? 80);
  if (sub === 'matrix' && positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (sub === 'explain' && positionals.length !== 2) throw new UsageError(positionals.length < 2 ? 'FROM and TO are required' : `unexpected argument '${positionals[2]}'`);
  const [{ loadFromFiles }, { runExplain, runMatrix }] = await Promise.all([import('./loadFiles'), import('./policyCommand')]);
  const cluster = await loadFromFiles(io, files);
  if (!cluster) return 1;
  const p = proto as 'TCP' | 'UDP' | 'SCTP' | 'ICMP';
  if (sub === 'matrix') return runMatrix(cluster, io, { ...(values.namespace ? { namespace: values.namespace } : {}), proto: p, ...(port !== undefined ? { port } : {}), json: Boolean(values.json), intent: Boolean(values.intent) });
  return runExplain(cluster, io, positionals[0], positionals[1], p, port);
}

async function lessonCmd(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') return help(io, LESSON_USAGE);
  if (!['list', 'validate', 'start', 'solve', 'grade'].includes(sub)) throw new UsageError(`unknown subcommand '${sub}': use list, validate, start, solve or grade`);
  const { values, positionals } = parse(
    rest,
    { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, seed: { type: 'string' }, submission: { type: 'boolean' }, learner: { type: 'string' } },
    true,
  );
  if (values.help) return help(io, LESSON_USAGE);
  const allowed: Record<string, string[]> = { list: ['json'], validate: ['seed'], start: ['seed'], solve: ['seed', 'submission', 'learner'], grade: ['csv', 'json'] };
  for (const k of Object.keys(values)) if (k !== 'help' && !allowed[sub].includes(k)) throw new UsageError(`option '--${k}' does not apply to 'lesson ${sub}'`);
  if (values.learner !== undefined && !values.submission) throw new UsageError("option '--learner' needs --submission");
  if (values.csv && values.json) throw new UsageError("options '--csv' and '--json' exclude each other");
  const cmd = await import('./lessonCommand');
  switch (sub) {
    case 'list':
      if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
      return cmd.runList(io, Boolean(values.json));
    case 'validate':
      if (!positionals.length) throw new UsageError('FILE or ID is required');
      return cmd.runValidate(io, positionals, values.seed);
    case 'start':
    case 'solve':
      if (positionals.length !== 1) throw new UsageError(positionals.length ? `unexpected argument '${positionals[1]}'` : 'FILE or ID is required');
      return cmd.runStartOrSolve(io, positionals[0], values.seed, sub === 'solve', values.submission ? { ...(values.learner !== undefined ? { learner: values.learner } : {}) } : undefined);
    default:
      if (positionals.length < 2) throw new UsageError(positionals.length ? 'SUBMISSION is required' : 'FILE or ID and SUBMISSION are required');
      return cmd.runGrade(io, positionals[0], positionals.slice(1), values.csv ? 'csv' : values.json ? 'json' : 'text');
  }
}

function demo(args: string[], io: CliIo): number {
  const { values } = parse(args, { help: { type: 'boolean', short: 'h' } }, false);
  if (values.help) return help(io, DEMO_USAGE);
  io.stdout(readFileSync(new URL('../scenarios/demo.yaml', import.meta.url), 'utf8'));
  return 0;
}

function help(io: CliIo, text: string): number {
  io.stdout(text);
  return 0;
}

