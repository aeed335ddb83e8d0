import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { AppConfig } from '../../platform/config';
import { ApiKeysRepository } from '../../platform/db/repositories/api-keys';
import { TooManyRequests, unauthorized } from '../errors/api-error';
import { CONFIG } from '../tokens';
import { bearerToken, hashApiKey, tenantIdOfApiKey } from './api-key';
import { TenantRateLimiter } from './rate-limit';
import type { TenantRequest } from './tenant-request';

/**
 * Accepts `Authorization: Bearer <tenant API key>` (any of the tenant's unrevoked keys), records the
 * tenant on the request, and applies the tenant's request rate limit (429 + Retry-After).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly limiter: TenantRateLimiter;

  constructor(@Inject(ApiKeysRepository) private readonly keys: ApiKeysRepository, @Inject(CONFIG) config: AppConfig) {
    this.limiter = new TenantRateLimiter(config.FORGE_TENANT_RATE_PER_SECOND, config.FORGE_TENANT_RATE_BURST);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<TenantRequest>();
    const key = bearerToken(req.headers.authorization);
    if (!key) throw unauthorized('an API key is required: send Authorization: Bearer <api key>');
    const claimed = tenantIdOfApiKey(key);
    // Looked up by the key's SHA-256 (256 random bits: the hash is as unguessable as the key itself).
    const tenantId = claimed ? await this.keys.tenantOfHash(hashApiKey(key)) : null;
    if (!tenantId || tenantId !== claimed) throw unauthorized('the API key is not valid');
    const wait = this.limiter.take(tenantId);
    if (wait > 0) throw new TooManyRequests(`too many requests for this tenant: retry in ${wait} s`, wait);
    req.tenantId = tenantId;
    return true;
  }
}
