import { loadConfig } from '../../src/platform/config';

describe('loadConfig', () => {
  it('names every field that is wrong', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url', PORT: 'eighty' })).toThrow(/DATABASE_URL.*PORT|PORT.*DATABASE_URL/);
  });
  it('fills defaults', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(c).toMatchObject({ TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_TASK_QUEUE: 'forgeworks', PORT: 3000, HOST: '127.0.0.1' });
  });
  it('reads the platform\'s OAuth apps from FORGE_OAUTH_<CONNECTOR>_CLIENT_ID and _CLIENT_SECRET', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
      FORGE_OAUTH_HUBSPOT_CLIENT_ID: 'hs-id', FORGE_OAUTH_HUBSPOT_CLIENT_SECRET: 'hs-secret',
      FORGE_OAUTH_GOOGLE_SHEETS_CLIENT_ID: 'gs-id', FORGE_OAUTH_GOOGLE_SHEETS_CLIENT_SECRET: 'gs-secret',
    });
    expect(c.oauthClients).toEqual({ hubspot: { clientId: 'hs-id', clientSecret: 'hs-secret' }, 'google-sheets': { clientId: 'gs-id', clientSecret: 'gs-secret' } });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', FORGE_OAUTH_SLACK_CLIENT_ID: 'x' }))
      .toThrow('FORGE_OAUTH_SLACK_CLIENT_ID is set but FORGE_OAUTH_SLACK_CLIENT_SECRET is not');
  });
  it('takes FORGE_PUBLIC_URL only as an http(s) URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', FORGE_PUBLIC_URL: 'ftp://forge.example.com' })).toThrow(/FORGE_PUBLIC_URL/);
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', FORGE_PUBLIC_URL: 'https://forge.example.com' }).FORGE_PUBLIC_URL).toBe('https://forge.example.com');
  });
});
