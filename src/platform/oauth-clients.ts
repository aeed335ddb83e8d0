/** The platform's own OAuth apps (one per connector), used by connect sessions that bring none. */
export type OAuthClients = Record<string, { clientId: string; clientSecret: string }>;

/** FORGE_OAUTH_<CONNECTOR>_CLIENT_ID's variable name for a connector id (google-sheets -> GOOGLE_SHEETS). */
export function oauthClientEnvNames(connector: string): { clientId: string; clientSecret: string } {
  const system = connector.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return { clientId: `FORGE_OAUTH_${system}_CLIENT_ID`, clientSecret: `FORGE_OAUTH_${system}_CLIENT_SECRET` };
}

/**
 * Every FORGE_OAUTH_<CONNECTOR>_CLIENT_ID with its _CLIENT_SECRET, keyed by connector id
 * (lower case, '_' read as '-'). A client id without its secret is a configuration error.
 */
export function oauthClientsFromEnv(env: NodeJS.ProcessEnv): OAuthClients {
  const clients: OAuthClients = {};
  for (const [name, clientId] of Object.entries(env)) {
    const match = /^FORGE_OAUTH_([A-Z0-9_]+)_CLIENT_ID$/.exec(name);
    if (!match?.[1] || !clientId) continue;
    const clientSecret = env[`FORGE_OAUTH_${match[1]}_CLIENT_SECRET`];
    if (!clientSecret) throw new Error(`invalid configuration: ${name} is set but FORGE_OAUTH_${match[1]}_CLIENT_SECRET is not`);
    clients[match[1].toLowerCase().replace(/_/g, '-')] = { clientId, clientSecret };
  }
  return clients;
}
