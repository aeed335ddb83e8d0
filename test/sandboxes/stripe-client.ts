import { startStripeSandbox, type StripeSandboxOptions } from '../../sandboxes/stripe';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';
import { encodeForm } from '../../src/platform/http';
import { checkAgainstSpec } from '../helpers/spec-check';

/** A Stripe sandbox plus small helpers that talk to it over real HTTP, form-encoded like Stripe's SDKs. */
export interface StripeHarness {
  sandbox: RunningSandbox;
  url: string;
  apiKey: string;
  /** `key` null sends no Authorization header; `idempotencyKey` sets the header. */
  call(method: string, path: string, options?: { form?: Record<string, unknown>; key?: string | null; idempotencyKey?: string }): Promise<{ status: number; body: any; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
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
  const call: StripeHarness['call'] = async (method, p, { form, key, idempotencyKey } = {}) => {
    const headers: Record<string, string> = {};
    const useKey = key === undefined ? apiKey : key;
    if (useKey) headers.authorization = `Bearer ${useKey}`;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(`${url}${p}`, { method, headers, body: form ? encodeForm(form) : undefined });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return { sandbox, url, apiKey, call, admin, stop: () => sandbox.stop() };
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
