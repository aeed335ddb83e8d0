import type { Request } from 'express';

/** A request whose API key was accepted: everything it touches is scoped to this tenant. */
export interface TenantRequest extends Request {
  tenantId: string;
}
