import { z } from 'zod';
import { secretField } from '../credentials/redact';
import { addQueryParam, type AuthPlugin } from '../http';
import { readCredentials, type CredentialsSource } from './credentials';

export const apiKeyCredentialsSchema = z.looseObject({ apiKey: secretField(z.string().min(1)) });
export type ApiKeyCredentials = z.infer<typeof apiKeyCredentialsSchema>;

export type ApiKeyPlacement =
  /** e.g. { in: 'header', name: 'authorization', prefix: 'Bearer ' } (Stripe), { in: 'header', name: 'x-shopify-access-token' }. */
  | { in: 'header'; name: string; prefix?: string }
  | { in: 'query'; name: string };

export interface ApiKeyOptions {
  system: string;
  credentials: CredentialsSource;
  placement: ApiKeyPlacement;
}

/** A static key or token, read from the store for every request. */
export function apiKeyAuth(options: ApiKeyOptions): AuthPlugin {
  return {
    async apply(req) {
      const { parsed } = await readCredentials(options.system, options.credentials, apiKeyCredentialsSchema);
      const { placement } = options;
      if (placement.in === 'header') req.headers[placement.name.toLowerCase()] = `${placement.prefix ?? ''}${parsed.apiKey}`;
      else addQueryParam(req.url, placement.name, parsed.apiKey);
    },
  };
}
