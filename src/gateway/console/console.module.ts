import { Inject, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module';
import { consoleDir, consoleHandler } from './console-assets';
import { ConsoleController } from './console.controller';

/**
 * The web console (src/console, built into dist/console) at /console, and the two read-only
 * answers it needs besides the resources: GET /v1/connectors and GET /v1/console/settings.
 */
@Module({
  imports: [AuthModule],
  controllers: [ConsoleController],
})
export class ConsoleModule {
  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    adapterHost.httpAdapter.use('/console', consoleHandler(consoleDir()));
  }
}
