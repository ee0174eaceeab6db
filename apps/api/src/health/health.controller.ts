import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { named } from '../common/validation/api-response.js';
import { healthSchema } from './dto/health.dto.js';
import { HealthService, type Health } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOkResponse({
    description: '`{"status":"ok","db":"up"}`: the API and PostgreSQL answer',
    schema: named('Health', healthSchema),
  })
  @ApiServiceUnavailableResponse({
    description: '`{"status":"unavailable","db":"down"}`',
    schema: named('Health', healthSchema),
  })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<Health> {
    const health = await this.health.check();
    reply.status(health.db === 'up' ? 200 : 503).header('cache-control', 'no-store');
    if (health.db === 'down') reply.header('retry-after', '2');
    return health;
  }
}
