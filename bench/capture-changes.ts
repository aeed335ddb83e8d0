/**
 * One change made directly in a sandbox, as a user of the system would make it (its own API, its
 * own credentials): what the capture lag is measured from. Each answers the new record's id.
 */
export interface ChangeMaker {
  system: string;
  /** The bench row's name when it is not `capture <system>` (a second mode of one system). */
  part?: string;
  /** Merged into the connection's config: the connector's capture mode. */
  connectionConfig?: Record<string, unknown>;
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

/**
 * Salesforce through Change Data Capture (the connection's changeDataCapture): each poll holds a
 * CometD long poll up to 3 s, so a change made meanwhile arrives at once, one made between polls
 * waits for the next (interval 1 s), plus reading the record by Id and the Stream.
 */
export const salesforceChanges: ChangeMaker = {
  system: 'salesforce', object: 'Account',
  connectionConfig: { changeDataCapture: true },
  note: 'Change Data Capture (CometD long poll up to 3 s per poll, records read by Id), 1 s interval; no settle margin (change events are consistent)',
  connect: (url) => salesforceAccountMaker(url),
};

/** The same changes through the SystemModstamp poll (changeDataCapture off, the default). */
export const salesforcePollChanges: ChangeMaker = {
  system: 'salesforce', part: 'capture salesforce (poll)', object: 'Account',
  note: "queryAll keyset on SystemModstamp, 1 s interval; includes the source's 5 s settle margin over whole-second stamps",
  connect: (url) => salesforceAccountMaker(url),
};

/** Creates one Account through sObject Collections (the sandbox's create path), with the sandbox's OAuth app. */
async function salesforceAccountMaker(url: string): Promise<(name: string) => Promise<string>> {
  const token = await refreshedToken(url, '/services/oauth2/token');
  return async (name) => {
    const res = await fetch(`${url}/services/data/v62.0/composite/sobjects`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ allOrNone: true, records: [{ attributes: { type: 'Account' }, Name: name }] }),
    });
    const [result] = (await res.json()) as Array<{ id?: string; success?: boolean }>;
    if (!res.ok || !result?.success || typeof result.id !== 'string') throw new Error(`creating an Account failed (${res.status})`);
    return result.id;
  };
}
