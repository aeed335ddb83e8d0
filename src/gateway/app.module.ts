import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../platform/config';
import { BridgesModule } from './bridges/bridges.module';
import { CapturesModule } from './captures/captures.module';
import { CodecModule } from './codec/codec.module';
import { ConnectModule } from './connect/connect.module';
import { ConnectionsModule } from './connections/connections.module';
import { ConsoleModule } from './console/console.module';
import { ErrorsModule } from './errors/errors.module';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure.module';
import { LoadsModule } from './loads/loads.module';
import { TenantsModule } from './tenants/tenants.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config), ErrorsModule, HealthModule, TenantsModule, ConnectionsModule, ConnectModule, LoadsModule, CapturesModule, BridgesModule, CodecModule, ConsoleModule],
    };
  }
}
