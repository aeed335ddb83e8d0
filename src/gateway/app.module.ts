import { Module, type DynamicModule } from '@nestjs/common';
import type { AppConfig } from '../platform/config';
import { HealthModule } from './health/health.module';
import { InfrastructureModule } from './infrastructure.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [InfrastructureModule.forRoot(config), HealthModule],
    };
  }
}
