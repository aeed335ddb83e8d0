import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiKeyGuard } from '../auth/api-key.guard';
import { TenantId } from '../auth/tenant-id.decorator';
import { CALLBACK_PAGE_HEADERS } from './callback-page';
import { ConnectService, type ConnectSessionView } from './connect.service';

@ApiTags('connect')
@Controller('v1/connect')
export class ConnectController {
  constructor(@Inject(ConnectService) private readonly connect: ConnectService) {}

  @Post('sessions')
  @HttpCode(201)
  @UseGuards(ApiKeyGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Start connecting a system by OAuth consent: { connector, name, config, client? }; answers the provider's authorizationUrl (valid 10 minutes, once)" })
  @ApiResponse({ status: 201, description: "{ id, connector, name, status: 'pending', authorizationUrl, expiresAt }" })
  @ApiResponse({ status: 400, description: 'validation_failed: unknown connector, one without a consent flow, bad config, no OAuth app configured (fields named)' })
  @ApiResponse({ status: 401, description: 'missing or invalid API key' })
  start(@TenantId() tenantId: string, @Body() body: unknown, @Req() req: Request): Promise<ConnectSessionView & { authorizationUrl: string }> {
    return this.connect.start(tenantId, body, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  }

  @Get('sessions/:id')
  @UseGuards(ApiKeyGuard)
  @ApiBearerAuth()
  @ApiOperation({ summary: "A connect session: status 'pending' | 'connected' | 'denied' | 'failed' | 'expired', connectionId once connected" })
  @ApiResponse({ status: 200, description: '{ id, connector, name, status, connectionId?, error?, expiresAt }' })
  @ApiResponse({ status: 404, description: 'no such session for this tenant' })
  get(@TenantId() tenantId: string, @Param('id') id: string): Promise<ConnectSessionView> {
    return this.connect.get(tenantId, id);
  }

  @Get('callback')
  @ApiOperation({ summary: "Where the provider sends the browser back (no API key): exchanges the code and creates the connection; an HTML page says what happened" })
  @ApiResponse({ status: 200, description: 'HTML: connected, with the connection id' })
  @ApiResponse({ status: 400, description: 'HTML: unknown, expired or used state, access denied, or a refused exchange; nothing created' })
  async callback(@Req() req: Request, @Res() res: Response): Promise<void> {
    const query = new URL(req.originalUrl, 'http://callback.invalid').searchParams;
    const page = await this.connect.callback(query);
    res.status(page.status).set(CALLBACK_PAGE_HEADERS).send(page.html);
  }
}
