import { startQuickbooksSandbox, type QuickbooksSandboxOptions } from '../../sandboxes/quickbooks';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';

type Answer = { status: number; body: any; headers: Headers };

/** A QuickBooks sandbox plus small helpers that talk to it over real HTTP, as Intuit's SDKs do. */
export interface QuickbooksHarness {
  sandbox: RunningSandbox;
  url: string;
  realmId: string;
  /** Path relative to /v3/company/{realmId}; `token` null sends no Authorization header. */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null; realm?: string }): Promise<Answer>;
  /** `call` with an access token fetched once. */
  api(method: string, path: string, body?: unknown): Promise<Answer>;
  query(statement: string): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The token endpoint with the sandbox's current refresh token (or `refreshToken`), client in a Basic header. */
  refresh(refreshToken?: string): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startQuickbooks(options: QuickbooksSandboxOptions & SandboxOptions = {}): Promise<QuickbooksHarness> {
  const sandbox = await startQuickbooksSandbox(options);
  const url = sandbox.url;
  const admin: QuickbooksHarness['admin'] = async (method, path, body) => {
    const res = await fetch(`${url}/__sandbox/${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const { credentials, config } = (await admin('GET', 'credentials')).body as { credentials: Record<string, string>; config: Record<string, string> };
  const realmId = config.realmId;
  const refresh: QuickbooksHarness['refresh'] = async (refreshToken) => {
    const current = refreshToken ?? (await admin('GET', 'credentials')).body.credentials.refreshToken;
    const res = await fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current }).toString(),
    });
    return { status: res.status, body: await res.json(), headers: res.headers };
  };
  const call: QuickbooksHarness['call'] = async (method, path, { body, token, realm } = {}) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}/v3/company/${realm ?? realmId}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  let token: string | undefined;
  const api: QuickbooksHarness['api'] = async (method, path, body) => {
    token ??= (await refresh()).body.access_token as string;
    return call(method, path, { body, token });
  };
  const query: QuickbooksHarness['query'] = (statement) => api('GET', `/query?minorversion=75&query=${encodeURIComponent(statement)}`);
  return { sandbox, url, realmId, call, api, query, admin, refresh, stop: () => sandbox.stop() };
}
