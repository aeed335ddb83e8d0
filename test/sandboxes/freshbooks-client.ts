import { startFreshbooksSandbox, type FreshbooksSandboxOptions } from '../../sandboxes/freshbooks';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';

type Answer = { status: number; body: any; headers: Headers };

/** A FreshBooks sandbox plus small helpers that talk to it over real HTTP. */
export interface FreshbooksHarness {
  sandbox: RunningSandbox;
  url: string;
  accountId: string;
  /** Path relative to /accounting/account/{accountId}; `token` null sends no Authorization header. */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null; account?: string }): Promise<Answer>;
  api(method: string, path: string, body?: unknown): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** POST /auth/oauth/token (JSON, as FreshBooks' docs show) with the current refresh token or `refreshToken`. */
  refresh(refreshToken?: string): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startFreshbooks(options: FreshbooksSandboxOptions & SandboxOptions = {}): Promise<FreshbooksHarness> {
  const sandbox = await startFreshbooksSandbox(options);
  const url = sandbox.url;
  const admin: FreshbooksHarness['admin'] = async (method, path, body) => {
    const res = await fetch(`${url}/__sandbox/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const { credentials, config } = (await admin('GET', 'credentials')).body as { credentials: Record<string, string>; config: Record<string, string> };
  const refresh: FreshbooksHarness['refresh'] = async (refreshToken) => {
    const current = refreshToken ?? (await admin('GET', 'credentials')).body.credentials.refreshToken;
    const res = await fetch(`${url}/auth/oauth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: current, redirect_uri: 'https://example.com/callback' }),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const call: FreshbooksHarness['call'] = async (method, path, { body, token, account } = {}) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}/accounting/account/${account ?? config.accountId}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  let token: string | undefined;
  const api: FreshbooksHarness['api'] = async (method, path, body) => {
    token ??= (await refresh()).body.access_token as string;
    return call(method, path, { body, token });
  };
  return { sandbox, url, accountId: config.accountId, call, api, admin, refresh, stop: () => sandbox.stop() };
}
