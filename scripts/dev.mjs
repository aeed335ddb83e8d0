// `npm run dev`: install what is missing, then run the TypeScript dev orchestrator.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import './ensure-install.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'scripts', 'dev.ts'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root });
// Ctrl-C reaches the whole foreground process group; the orchestrator does the stopping.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
