import { it } from 'vitest';
import { dnsShell } from './dnsFixture';
it('scratch', () => {
  const sh = dnsShell();
  for (const l of process.env.LINES!.split('\n')) { const r = sh.run(l); console.log('$ ' + l + '\n' + r.stdout + r.stderr + `[rc=${r.status}]`); }
});
