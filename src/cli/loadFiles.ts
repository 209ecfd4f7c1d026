/**
 * Reads the `-f` files (`-` is standard input, read once) and loads them as one scenario.
 * Errors go to stderr in the engine's `file:line:col: Kind/name: field: message` form;
 * the caller exits 1 when nothing is returned.
 */
import { formatScenarioError, loadCluster, type Cluster, type ScenarioFile } from '../engine/index';
import type { CliIo } from './io';

export async function readScenarioFiles(io: CliIo, paths: string[]): Promise<ScenarioFile[] | undefined> {
  const files: ScenarioFile[] = [];
  for (const path of paths) {
    if (path === '-') {
      if (files.some((f) => f.name === '-')) continue;
      files.push({ name: '-', text: await io.readStdin() });
      continue;
    }
    try {
      files.push({ name: path, text: io.readFile(path) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'No such file or directory' : code === 'EISDIR' ? 'Is a directory' : code === 'EACCES' ? 'Permission denied' : code === 'EFBIG' ? 'File too large' : (e as Error).message;
      io.stderr(`podpath: ${path}: ${why}\n`);
      return undefined;
    }
  }
  return files;
}

/** The loaded cluster and the files it came from (for placing warnings), or undefined after printing the errors. */
export async function loadScenarioFiles(io: CliIo, paths: string[]): Promise<{ cluster: Cluster; files: ScenarioFile[] } | undefined> {
  const files = await readScenarioFiles(io, paths);
  if (!files) return undefined;
  const result = loadCluster(files);
  if (!result.ok) {
    for (const e of result.errors) io.stderr(formatScenarioError(e) + '\n');
    return undefined;
  }
  return { cluster: result.value, files };
}

export async function loadFromFiles(io: CliIo, paths: string[]): Promise<Cluster | undefined> {
  return (await loadScenarioFiles(io, paths))?.cluster;
}
