import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '../../bin/forge.mjs');

export interface ForgeRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as one JSON value (--json). */
  json(): any;
}

/** An environment with nothing of the caller's FORGE_* settings, and a HOME of its own. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FORGE_') && k !== 'XDG_CONFIG_HOME') env[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  return env;
}

/** Runs the real `forge` as a child process, stdin closed (not a terminal) unless `input` is given. */
export function forge(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<ForgeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    child.stderr.on('data', (d) => { stderr += String(d); });
    child.on('error', reject);
    child.on('close', (code) => resolve({
      code, stdout, stderr,
      json: () => {
        try {
          return JSON.parse(stdout);
        } catch {
          throw new Error(`forge ${args.join(' ')} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`);
        }
      },
    }));
    child.stdin.end(input ?? '');
  });
}

/** A private temporary folder, removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-cli-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `forge connect`, handing the printed authorization URL to `consent` while it waits. */
export function connectWith(args: string[], env: NodeJS.ProcessEnv, consent: (url: string) => Promise<void>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'connect', ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    const look = () => {
      const url = /https?:\/\/\S+\/authorize\S*/.exec(stdout + stderr)?.[0];
      if (!url || answered) return;
      answered = true;
      consent(url).catch((err: unknown) => { child.kill(); reject(err); });
    };
    child.stdout.on('data', (d) => { stdout += String(d); look(); });
    child.stderr.on('data', (d) => { stderr += String(d); look(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}
