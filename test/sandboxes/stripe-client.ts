import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startStripeSandbox, type StripeSandboxOptions } from '../../sandboxes/stripe';
import type { RunningSandbox, SandboxOptions, SpecExchange, SpecVerdict } from '../../sandboxes/kit';
import { encodeForm } from '../../src/platform/http';
import { checkAgainstSpec } from '../helpers/spec-check';

/** A Stripe sandbox plus small helpers that talk to it over real HTTP, form-encoded like Stripe's SDKs. */
export interface StripeHarness {
  sandbox: RunningSandbox;
  url: string;
  apiKey: string;
  /** `key` null sends no Authorization header; `idempotencyKey` and `version` (Stripe-Version) set those headers. */
  call(method: string, path: string, options?: { form?: Record<string, unknown>; key?: string | null; idempotencyKey?: string; version?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /__sandbox/seed of one object's records: their ids. */
  seed(object: string, records: Array<Record<string, unknown>>): Promise<string[]>;
  /** One object's records in GET /__sandbox/state. */
  state(object: string): Promise<any[]>;
  stop(): Promise<void>;
}

export async function startStripe(options: StripeSandboxOptions & SandboxOptions = {}): Promise<StripeHarness> {
  const sandbox = await startStripeSandbox(options);
  const url = sandbox.url;
  const admin: StripeHarness['admin'] = async (method, p, body) => {
    const res = await fetch(`${url}/__sandbox/${p}`, {
      method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const apiKey = String((await admin('GET', 'credentials')).body.credentials.apiKey);
  const call: StripeHarness['call'] = async (method, p, { form, key, idempotencyKey, version } = {}) => {
    const headers: Record<string, string> = {};
    const useKey = key === undefined ? apiKey : key;
    if (useKey) headers.authorization = `Bearer ${useKey}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    if (version) headers['stripe-version'] = version;
    const res = await fetch(`${url}${p}`, { method, headers, body: form ? encodeForm(form) : undefined });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const seed: StripeHarness['seed'] = async (object, records) =>
    ((await admin('POST', 'seed', { objects: { [object]: records } })).body.objects[object] as Array<{ id: string }>).map((r) => r.id);
  const state: StripeHarness['state'] = async (object) => (await admin('GET', 'state')).body.objects[object];
  return { sandbox, url, apiKey, call, admin, seed, state, stop: () => sandbox.stop() };
}

/** One request and its answer, to check against an operation of Stripe's OpenAPI description. */
export interface Exchange {
  operationId: string;
  request: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  response: { status: number; body: unknown };
}

/**
 * Checks exchanges against Stripe's published OpenAPI description (../shared/specs, read in place)
 * with the sandbox kit's spec check. Answers the validation errors per exchange. The request
 * bodies are the typed values (the form's strings carry no types).
 */
export function checkAgainstStripeSpec(exchanges: Exchange[]): Array<{ operationId: string; errors: unknown[] }> {
  return checkAgainstSpec('stripe', exchanges.map((x) => ({ ...x, request: { ...x.request, contentType: 'application/x-www-form-urlencoded' } })))
    .map((v, i) => ({ operationId: v.operationId ?? exchanges[i].operationId, errors: v.errors }));
}

/**
 * Holds exchanges against the description of another API version than the shared one: `specFile`,
 * Stripe's spec3.json as stripe-mock embeds it (the pinned version, 2025-09-30.clover), read with the
 * Stripe sandbox's own SpecSource through the kit's check (in a child process, like checkAgainstSpec).
 */
export function checkAgainstStripeVersionSpec(specFile: string, exchanges: SpecExchange[]): SpecVerdict[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'stripe-spec-check.ts')], {
    input: JSON.stringify({ specFile, exchanges }), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: path.resolve(__dirname, '../..'), stdio: ['pipe', 'pipe', 'pipe'],
  });
  return JSON.parse(out) as SpecVerdict[];
}
