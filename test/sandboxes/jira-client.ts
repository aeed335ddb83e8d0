import { startJiraSandbox, type JiraSandboxOptions } from '../../sandboxes/jira';
import { checkAgainstSpec } from '../helpers/spec-check';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';

export interface Answer { status: number; body: any; headers: Headers }

/** A JIRA sandbox and helpers that talk to it over real HTTP with Basic auth (email:API token). */
export interface JiraHarness {
  sandbox: RunningSandbox;
  url: string;
  /** `auth` null sends no Authorization header. */
  call(method: string, path: string, body?: unknown, auth?: string | null): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  stop(): Promise<void>;
}

export async function startJira(options: JiraSandboxOptions & SandboxOptions = {}): Promise<JiraHarness> {
  const sandbox = await startJiraSandbox(options);
  const send = async (method: string, url: string, body: unknown, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text, headers: res.headers };
  };
  const admin: JiraHarness['admin'] = (method, p, body) => send(method, `${sandbox.url}/__sandbox/${p}`, body, {});
  const { username, password } = (await admin('GET', 'credentials')).body.credentials;
  const basic = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const call: JiraHarness['call'] = (method, p, body, auth = basic) => send(method, `${sandbox.url}${p}`, body, auth ? { authorization: auth } : {});
  return { sandbox, url: sandbox.url, call, admin, stop: () => sandbox.stop() };
}

/** An Atlassian Document with one paragraph. */
export function adf(text: string): Record<string, unknown> {
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

/** One request and its answer, to check against an operation of Atlassian's description. */
export interface Exchange {
  operationId: string;
  request?: { method: string; path: string; query?: Record<string, string>; body?: unknown };
  response?: { status: number; body: unknown };
}

/** Exchanges checked against Atlassian's published description, with the sandbox kit's spec check. */
export function checkAgainstJiraSpec(exchanges: Exchange[]): Array<{ operationId: string; errors: unknown[] }> {
  return checkAgainstSpec('jira', exchanges).map((v, i) => ({ operationId: v.operationId ?? exchanges[i].operationId, errors: v.errors }));
}
