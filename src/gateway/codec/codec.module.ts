import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import type { AppConfig } from '../../platform/config';
import { codecFor } from '../../platform/temporal-codec';
import { CONFIG, PAYLOAD_CODEC } from '../tokens';
import { CodecController } from './codec.controller';
import { CodecGuard } from './codec.guard';

/** /codec/encode and /codec/decode, with CORS for the configured Temporal Web UI origin. */
@Module({
  controllers: [CodecController],
  providers: [
    CodecGuard,
    {
      provide: PAYLOAD_CODEC, inject: [CONFIG],
      useFactory: (config: AppConfig) => codecFor(config.FORGE_MASTER_KEY_FILE!),
    },
  ],
})
export class CodecModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost, @Inject(CONFIG) config: AppConfig) {
    const origin = config.FORGE_CODEC_UI_ORIGIN;
    if (!origin) return;
    adapterHost.httpAdapter.use('/codec', (req: Request, res: Response, next: NextFunction) => {
      if (req.headers.origin !== origin) return next();
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-allow-headers', 'content-type, x-namespace, authorization');
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader('vary', 'origin');
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return undefined;
      }
      return next();
    });
  }
}
