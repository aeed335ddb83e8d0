// `npm run dev`: install what is missing, then run the TypeScript dev orchestrator (scripts/dev.ts)
// in a Node process of its own, linked to this one over IPC: should this process die, the
// orchestrator sees the channel close and stops everything. Signals are passed on, and so is the
// death of our own parent: a process manager that SIGTERMs npm reaches only npm, and npm's shell
// dies without passing it on; we notice our parent is gone and stop the orchestrator.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import './ensure-install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'dev.ts'), ...process.argv.slice(2)],
  { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], cwd: root });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const parent = process.ppid;
const parentWatch = setInterval(() => {
  try {
    process.kill(parent, 0);
  } catch {
    clearInterval(parentWatch);
    child.kill('SIGTERM');
  }
}, 500);
parentWatch.unref();
