/**
 * The static import graph of the sources, for tests that keep a module's graph lean (what a chunk
 * pulls in): relative `import`/`export … from` specifiers followed from an entry, `import type`
 * and dynamic `import()` left out (they add nothing to a chunk), a `?query` (a Vite plugin's) cut
 * off. Packages are not followed; each module's package specifiers are listed instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SPEC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

/** The specifiers a module imports statically (not `import type`, not `import()`). */
export function staticSpecifiers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(SPEC)].map(([, spec]) => spec);
}

function resolveModule(from: string, spec: string): string {
  const base = resolve(dirname(from), spec.split('?')[0]);
  const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => existsSync(p) && statSync(p).isFile());
  if (!found) throw new Error(`cannot resolve ${spec} from ${from}`);
  return found;
}

/** Module → the module that first imported it (undefined for the entry), over the static graph from `entry`. */
export function importGraph(entry: string): Map<string, string | undefined> {
  const seen = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    if (!/\.tsx?$/.test(file)) continue; // a style sheet or a data file imports nothing
    for (const spec of staticSpecifiers(file)) {
      if (!spec.startsWith('.')) continue;
      const next = resolveModule(file, spec);
      if (!seen.has(next)) {
        seen.set(next, file);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** How the graph reaches `file`: entry → … → file, paths relative to `root`. */
export function importChain(graph: Map<string, string | undefined>, file: string, root: string): string {
  const names: string[] = [];
  for (let f: string | undefined = file; f; f = graph.get(f)) names.unshift(relative(root, f));
  return names.join(' → ');
}
