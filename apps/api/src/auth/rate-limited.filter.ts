import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RateLimitedException } from './rate-limited.exception.js';

@Catch(RateLimitedException)
export class RateLimitedFilter implements ExceptionFilter<RateLimitedException> {
  catch(exception: RateLimitedException, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(exception.getStatus())
      .header('retry-after', String(exception.retryAfterSeconds))
      .send(exception.getResponse());
  }
}
