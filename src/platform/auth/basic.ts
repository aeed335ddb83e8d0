import { z } from 'zod';
import { registerSecret, secretField } from '../credentials/redact';
import type { AuthPlugin } from '../http';
import { readCredentials, type CredentialsSource } from './credentials';

/** `password` is the password or API token (JIRA: email + API token; Zendesk: `email/token` + token). */
export const basicCredentialsSchema = z.looseObject({ username: z.string().min(1), password: secretField(z.string().min(1)) });
export type BasicCredentials = z.infer<typeof basicCredentialsSchema>;

export interface BasicAuthOptions {
  system: string;
  credentials: CredentialsSource;
}

/** HTTP Basic (JIRA, Zendesk, ServiceNow, Sage X3/300). */
export function basicAuth(options: BasicAuthOptions): AuthPlugin {
  return {
    async apply(req) {
      const { parsed } = await readCredentials(options.system, options.credentials, basicCredentialsSchema);
      const userAndPassword = `${parsed.username}:${parsed.password}`;
      registerSecret(userAndPassword); // its base64 form is what travels, and what must never be echoed
      req.headers.authorization = `Basic ${Buffer.from(userAndPassword).toString('base64')}`;
    },
  };
}
