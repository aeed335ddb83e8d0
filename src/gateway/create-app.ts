import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger as PinoLogger } from 'pino';
import type { AppConfig } from '../platform/config';
import { withScrubber } from '../platform/credentials/redact';
import { createLogger } from '../platform/logger';
import { configureEgress } from '../platform/network';
import { AppModule } from './app.module';

function nestLoggerOver(logger: PinoLogger) {
  return {
    log: (m: unknown) => logger.info(String(m)),
    error: (m: unknown) => logger.error(String(m)),
    warn: (m: unknown) => logger.warn(String(m)),
    debug: (m: unknown) => logger.debug(String(m)),
    verbose: (m: unknown) => logger.trace(String(m)),
  };
}

/** Builds the gateway (not listening yet): REST resources, OpenAPI at /docs, pino logs. */
export async function createGateway(config: AppConfig): Promise<INestApplication> {
  const logger = createLogger('gateway', config.LOG_LEVEL);
  configureEgress(config.FORGE_EGRESS_ALLOW);
  const app = await NestFactory.create(AppModule.forRoot(config), { logger: nestLoggerOver(logger), bodyParser: true });
  app.enableShutdownHooks();
  // Every request scrubs its answers and logs with the secrets it read itself, nobody else's.
  app.use((_req: unknown, _res: unknown, next: () => void) => withScrubber(next));
  // Node closes idle keep-alive sockets after 5 s; clients that pool connections (undici, load
  // balancers) then reuse a socket the server has just closed and get ECONNRESET. Outlive them.
  const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number; requestTimeout: number; timeout: number };
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  // A streamed load of millions of records takes minutes to upload: Node's 5-minute limit on a
  // whole request would cut it. A socket silent for twice the upload idle limit is closed instead.
  server.requestTimeout = 0;
  server.timeout = 2 * config.FORGE_UPLOAD_IDLE_TIMEOUT_MS;
  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle('Forgeworks API')
    .setDescription('Loads with snapshot, verify and rollback; capture into the Stream.')
    .setVersion('1')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}
