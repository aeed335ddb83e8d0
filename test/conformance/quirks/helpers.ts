import { Loads } from '../runner/loads';
import type { ScenarioContext } from '../runner/load-scenarios';
import type { ScenarioSandbox } from '../runner/suite-env';

/** A sandbox of the quirk's own and loads of `object` keyed by `naturalKey` (the primary's by default). */
export async function quirkSetUp(ctx: ScenarioContext, target: { object: string; naturalKey: string } = ctx.object): Promise<{ sb: ScenarioSandbox; loads: Loads }> {
  const sb = await ctx.env.sandbox(ctx.fixture);
  return { sb, loads: new Loads(ctx.env, sb, target) };
}

export { requestsTo } from '../runner/suite-env';

/** Calls the system's own API on a sandbox (what another user or app of the system does). */
export async function vendorCall(sb: ScenarioSandbox, method: string, path: string, init: { token: string; json?: unknown; form?: string }): Promise<any> {
  const headers: Record<string, string> = { authorization: `Bearer ${init.token}` };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await fetch(`${sb.url}${path}`, { method, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.form });
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

/** An access token from a refresh-token grant at the sandbox's token endpoint. */
export async function refreshGrant(sb: ScenarioSandbox, tokenPath: string, extra: Record<string, string> = {}): Promise<string> {
  const c = sb.credentials as Record<string, string>;
  const res = await fetch(`${sb.url}${tokenPath}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken, ...extra }).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no access token from ${tokenPath}: ${JSON.stringify(body)}`);
  return body.access_token;
}
