import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { TenantsRepository } from '../../platform/db/repositories/tenants';
import { unauthorized } from '../errors/api-error';
import { bearerToken, matchesHash, tenantIdOfApiKey } from './api-key';
import type { TenantRequest } from './tenant-request';

// Compared against when the tenant is unknown, so an unknown tenant costs the same as a wrong key.
const UNMATCHABLE_HASH = '0'.repeat(64);

/** Accepts `Authorization: Bearer <tenant API key>` and records the tenant on the request. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(@Inject(TenantsRepository) private readonly tenants: TenantsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const key = bearerToken(req.headers.authorization);
    if (!key) throw unauthorized('an API key is required: send Authorization: Bearer <api key>');
    const tenantId = tenantIdOfApiKey(key);
    const tenant = tenantId ? await this.tenants.findKeyHash(tenantId) : null;
    const matches = matchesHash(key, tenant?.apiKeyHash ?? UNMATCHABLE_HASH);
    if (!tenant || !matches) throw unauthorized('the API key is not valid');
    req.tenantId = tenant.id;
    return true;
  }
}
