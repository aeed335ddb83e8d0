/**
 * One change made directly in a sandbox, as a user of the system would make it (its own API, its
 * own credentials): what the capture lag is measured from. Each answers the new record's id.
 */
export interface ChangeMaker {
  system: string;
  /** The Forgeworks object the capture follows. */
  object: string;
  /** A short explanation of the figure beside it in the table. */
  note: string;
  /** Returns a function that creates one record and answers its id. */
  connect(sandboxUrl: string): Promise<(name: string) => Promise<string>>;
}

async function sandboxCredentials(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/__sandbox/credentials`);
  return ((await res.json()) as { credentials: Record<string, string> }).credentials;
}

/** An access token by the refresh-token grant, with the sandbox's own OAuth app. */
async function refreshedToken(url: string, tokenPath: string): Promise<string> {
  const credentials = await sandboxCredentials(url);
  const res = await fetch(`${url}${tokenPath}`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: credentials.clientId, client_secret: credentials.clientSecret, refresh_token: credentials.refreshToken }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

async function created(res: Response): Promise<string> {
  const body = (await res.json()) as { id?: string };
  if (!res.ok || typeof body.id !== 'string') throw new Error(`creating a record failed (${res.status}): ${JSON.stringify(body)}`);
  return body.id;
}

export const hubspotChanges: ChangeMaker = {
  system: 'hubspot', object: 'companies',
  note: "CRM search, 1 s interval; includes the source's 10 s search-settle margin (HubSpot's index trails its writes)",
  async connect(url) {
    const token = await refreshedToken(url, '/oauth/v1/token');
    return async (name) => created(await fetch(`${url}/crm/v3/objects/companies`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { name } }),
    }));
  },
};

export const stripeChanges: ChangeMaker = {
  system: 'stripe', object: 'customers',
  note: 'Events API (customer.*), 1 s interval; no settle margin (the event list is consistent)',
  async connect(url) {
    const { apiKey } = await sandboxCredentials(url);
    return async (name) => created(await fetch(`${url}/v1/customers`, {
      method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name }),
    }));
  },
};

export const salesforceChanges: ChangeMaker = {
  system: 'salesforce', object: 'Account',
  note: "queryAll keyset on SystemModstamp, 1 s interval; includes the source's 5 s settle margin over whole-second stamps",
  async connect(url) {
    const token = await refreshedToken(url, '/services/oauth2/token');
    // sObject Collections (the sandbox's create path): one record, its result first in the array.
    return async (name) => {
      const res = await fetch(`${url}/services/data/v62.0/composite/sobjects`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ allOrNone: true, records: [{ attributes: { type: 'Account' }, Name: name }] }),
      });
      const [result] = (await res.json()) as Array<{ id?: string; success?: boolean }>;
      if (!res.ok || !result?.success || typeof result.id !== 'string') throw new Error(`creating an Account failed (${res.status})`);
      return result.id;
    };
  },
};
