import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { actorOf } from '../auth/actor.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { ingestBodyDocSchema, ingestBodySchema, type IngestedEvent } from './dto/ingest.dto.js';
import { EventsService } from './events.service.js';

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post()
  @HttpCode(201)
  @ApiZodBody(
    ingestBodyDocSchema,
    'One event or up to 1,000. Atomic: a bad item is a 400 naming it by index and field, and nothing is written.',
  )
  @ApiCreatedResponse({
    description: 'Stored; `contests` gives the sequence number in each live contest',
  })
  @ApiOkResponse({
    description: 'Every event was already stored with the same payload: the original answer',
  })
  @ApiConflictResponse({
    description: 'A source and externalId already stored with a different payload',
  })
  async ingest(
    @Body(new ZodValidationPipe(ingestBodySchema)) body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<IngestedEvent | { events: IngestedEvent[] }> {
    const answer = await this.events.ingest(body, { author: actorOf(principal) });
    reply.status(answer.status);
    return answer.body;
  }
}
