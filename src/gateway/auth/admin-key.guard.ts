import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../../platform/config';
import { serviceUnavailable, unauthorized } from '../errors/api-error';
import { CONFIG } from '../tokens';
import { bearerToken, hashApiKey, matchesHash } from './api-key';

/** Accepts only `Authorization: Bearer <FORGE_ADMIN_KEY>` (tenant creation). */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly adminKeyHash: string | null;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.adminKeyHash = config.FORGE_ADMIN_KEY ? hashApiKey(config.FORGE_ADMIN_KEY) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.adminKeyHash) {
      throw serviceUnavailable('admin_key_not_configured', 'tenant creation is disabled: FORGE_ADMIN_KEY is not set');
    }
    const key = bearerToken(context.switchToHttp().getRequest<Request>().headers.authorization);
    if (!key) throw unauthorized('the admin key is required: send Authorization: Bearer <FORGE_ADMIN_KEY>');
    if (!matchesHash(key, this.adminKeyHash)) throw unauthorized('the admin key is not valid');
    return true;
  }
}
