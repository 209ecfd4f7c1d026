/**
 * `npm run bench`: every benchmark in turn, each in its own process (so one's heap never
 * colours another's figures). `npm run bench -- --quick` passes --quick to each. A benchmark
 * that does not exist yet is reported and skipped.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const BENCHES = ['load.bench.ts', 'services.bench.ts', 'policy.bench.ts', 'controllers.bench.ts', 'cli.bench.ts'];
const extra = process.argv.slice(2);

for (const name of BENCHES) {
  const file = join(here, name);
  console.log(`\n=== ${name} ===`);
  if (!existsSync(file)) {
    console.log('(not written yet: skipped)');
    continue;
  }
  execFileSync(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', file, ...extra], { stdio: 'inherit', cwd: join(here, '..') });
}
