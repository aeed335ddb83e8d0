import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { AppConfig } from '../../platform/config';
import { unauthorized } from '../errors/api-error';
import { bearerToken, hashApiKey, matchesHash } from '../auth/api-key';
import { CONFIG } from '../tokens';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The codec endpoint decrypts every tenant's payloads, so it takes the admin key. The one
 * exception is `npm run dev`: the Temporal Web UI calls it from the browser without our key, so
 * when FORGE_CODEC_UI_ORIGIN names the UI's origin, a request from that origin over loopback passes.
 */
@Injectable()
export class CodecGuard implements CanActivate {
  private readonly adminKeyHash: string | null;
  private readonly uiOrigin: string | undefined;

  constructor(@Inject(CONFIG) config: AppConfig) {
    this.adminKeyHash = config.FORGE_ADMIN_KEY ? hashApiKey(config.FORGE_ADMIN_KEY) : null;
    this.uiOrigin = config.FORGE_CODEC_UI_ORIGIN || undefined;
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const key = bearerToken(req.headers.authorization);
    if (key && this.adminKeyHash && matchesHash(key, this.adminKeyHash)) return true;
    if (this.uiOrigin && req.headers.origin === this.uiOrigin && LOOPBACK.has(req.socket.remoteAddress ?? '')) return true;
    throw unauthorized('the codec endpoint needs the admin key: send Authorization: Bearer <FORGE_ADMIN_KEY>');
  }
}
