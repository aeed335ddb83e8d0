import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { validationFailed } from '../errors/api-error';
import { parseOrThrow } from '../errors/zod-validation';
import { PAYLOAD_CODEC } from '../tokens';
import { CodecGuard } from './codec.guard';

const MAX_PAYLOADS = 1000;
const base64 = z.string().max(8 * 1024 * 1024).regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'must be base64' });
const codecBody = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string().max(200), base64).optional(), data: base64.optional() })).max(MAX_PAYLOADS),
});

type JsonPayload = { metadata?: Record<string, string>; data?: string };

function fromJson(p: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
  };
}

function toJson(p: Payload): JsonPayload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v as Uint8Array).toString('base64')])),
    ...(p.data ? { data: Buffer.from(p.data).toString('base64') } : {}),
  };
}

/**
 * Temporal's remote codec protocol (`POST /codec/encode`, `POST /codec/decode`, proto JSON with
 * base64 bytes): lets the Web UI and `temporal workflow show --codec-endpoint` read encrypted
 * histories. Admin key only (or the configured dev Web UI on loopback, see CodecGuard).
 */
@ApiTags('codec')
@ApiBearerAuth()
@UseGuards(CodecGuard)
@Controller('codec')
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec) {}

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt Temporal payloads (admin key)' })
  @ApiResponse({ status: 200, description: '{ payloads }' })
  async decode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    const { payloads } = parseOrThrow(codecBody, body);
    try {
      return { payloads: (await this.codec.decode(payloads.map(fromJson))).map(toJson) };
    } catch (err) {
      throw validationFailed([{ field: 'payloads', message: (err as Error).message }]);
    }
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt Temporal payloads (admin key)' })
  @ApiResponse({ status: 200, description: '{ payloads }' })
  async encode(@Body() body: unknown): Promise<{ payloads: JsonPayload[] }> {
    const { payloads } = parseOrThrow(codecBody, body);
    return { payloads: (await this.codec.encode(payloads.map(fromJson))).map(toJson) };
  }
}
