import { HttpAdapterHost } from '@nestjs/core';
import express from 'express';

/** Up to 100,000 records per load; Nest's default JSON parser stops at 100 kB. */
export const LOAD_BODY_LIMIT = '64mb';

/**
 * Registers a larger JSON parser for POST /v1/loads while the app is being built: it runs before
 * Nest's default parser, which then sees a parsed body and leaves it alone. The wrapper's name
 * differs from `jsonParser`, so Nest still installs its default parser for every other route.
 */
export function registerLoadsBodyParser(adapterHost: HttpAdapterHost): void {
  const parseLargeJson = express.json({ limit: LOAD_BODY_LIMIT });
  adapterHost.httpAdapter.use('/v1/loads', function parseLoadBodies(req: express.Request, res: express.Response, next: express.NextFunction) {
    if (req.method !== 'POST') return next();
    return parseLargeJson(req, res, next);
  });
}
