import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { ApiExceptionFilter } from './api-exception.filter';
import { BodyLimitsInterceptor } from './body-limits';

/** Every error of every route (and of unknown routes) in the `{ error: { code, message, fields? } }` shape. */
@Module({ providers: [{ provide: APP_FILTER, useClass: ApiExceptionFilter }, { provide: APP_INTERCEPTOR, useClass: BodyLimitsInterceptor }] })
export class ErrorsModule {}
