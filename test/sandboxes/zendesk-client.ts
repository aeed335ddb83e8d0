import { startZendeskSandbox, type ZendeskSandboxOptions } from '../../sandboxes/zendesk';
import type { RunningSandbox, SandboxOptions } from '../../sandboxes/kit';

export interface Answer { status: number; body: any; headers: Headers }

/** A Zendesk sandbox and helpers that talk to it over real HTTP with Basic `{email}/token:{api_token}`. */
export interface ZendeskHarness {
  sandbox: RunningSandbox;
  url: string;
  email: string;
  apiToken: string;
  /** `auth` null sends no Authorization header. */
  call(method: string, path: string, body?: unknown, auth?: string | null): Promise<Answer>;
  admin(method: string, path: string, body?: unknown): Promise<Answer>;
  /** Polls a job status until it is completed (or failed). */
  finish(jobId: string): Promise<any>;
  stop(): Promise<void>;
}

export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export async function startZendesk(options: ZendeskSandboxOptions & SandboxOptions = {}): Promise<ZendeskHarness> {
  const sandbox = await startZendeskSandbox(options);
  const send = async (method: string, url: string, body: unknown, headers: Record<string, string>): Promise<Answer> => {
    const res = await fetch(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text, headers: res.headers };
  };
  const admin: ZendeskHarness['admin'] = (method, p, body) => send(method, `${sandbox.url}/__sandbox/${p}`, body, {});
  const { email, apiToken } = (await admin('GET', 'credentials')).body.credentials;
  const call: ZendeskHarness['call'] = (method, p, body, auth = basic(`${email}/token`, apiToken)) => send(method, `${sandbox.url}${p}`, body, auth ? { authorization: auth } : {});
  const finish: ZendeskHarness['finish'] = async (jobId) => {
    for (let i = 0; i < 10; i++) {
      const job = (await call('GET', `/api/v2/job_statuses/${jobId}.json`)).body.job_status;
      if (job.status === 'completed' || job.status === 'failed') return job;
    }
    throw new Error(`job ${jobId} did not finish`);
  };
  return { sandbox, url: sandbox.url, email, apiToken, call, admin, finish, stop: () => sandbox.stop() };
}
