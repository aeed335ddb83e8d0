import { startHubspotSandbox, type HubspotSandboxOptions } from '../../sandboxes/hubspot';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';

/** A HubSpot sandbox plus small helpers that talk to it over real HTTP. */
export interface HubspotHarness {
  sandbox: RunningSandbox;
  url: string;
  /** Calls the API; `token` null sends no Authorization header. */
  call(method: string, path: string, options?: { body?: unknown; token?: string | null }): Promise<{ status: number; body: any; headers: Headers }>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Exchanges the sandbox's refresh token for an access token. */
  accessToken(): Promise<string>;
  /** An access token fetched once and reused by `api`. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

export async function startHubspot(options: HubspotSandboxOptions & SandboxOptions = {}): Promise<HubspotHarness> {
  const sandbox = await startHubspotSandbox(options);
  const url = sandbox.url;
  let cached: string | undefined;
  const call: HubspotHarness['call'] = async (method, path, { body, token } = {}) => {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  const admin: HubspotHarness['admin'] = async (method, path, body) => {
    const res = await fetch(`${url}/__sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const accessToken = async (): Promise<string> => {
    const { credentials } = (await admin('GET', 'credentials')).body as { credentials: { clientId: string; clientSecret: string; refreshToken: string } };
    const res = await fetch(`${url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }).toString(),
    });
    const body = (await res.json()) as { access_token: string };
    return body.access_token;
  };
  return {
    sandbox,
    url,
    call,
    admin,
    accessToken,
    api: async (method, path, body) => {
      cached ??= await accessToken();
      return call(method, path, { body, token: cached });
    },
    stop: () => sandbox.stop(),
  };
}

export async function tokenRequest(url: string, fields: Record<string, string>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/oauth/v1/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, body: await res.json() };
}
