/** `podpath` entry point (bin/podpath.mjs runs its bundle, or it through tsx; launcher.mjs): run the CLI, exit with its status. */
import { nodeIo } from './io';
import { runCli } from './runCli';

process.exitCode = await runCli(process.argv.slice(2), nodeIo());
