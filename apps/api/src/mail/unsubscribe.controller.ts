import { Controller, Get, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { UnsubscribeService, type HtmlPage } from './unsubscribe.service.js';

const token = new ZodValidationPipe(
  z
    .string()
    .max(1_000, { error: 'is longer than any unsubscribe link' })
    .regex(/^[\w-]+\.[\w-]+$/, { error: 'is not an unsubscribe link' }),
);

function send(reply: FastifyReply, answer: HtmlPage): void {
  void reply.status(answer.status).type('text/html; charset=utf-8').send(answer.html);
}

/** The unsubscribe links of e-mail: public, the signed token is the authority. */
@ApiTags('mail')
@Controller('unsubscribe')
export class UnsubscribeController {
  constructor(private readonly unsubscribe: UnsubscribeService) {}

  @Get(':token')
  @ApiOkResponse({ description: 'A page asking to confirm (HTML); 404 for a link not genuine' })
  ask(@Param('token', token) value: string, @Res() reply: FastifyReply): void {
    send(reply, this.unsubscribe.ask(value));
  }

  @Post(':token')
  @ApiOkResponse({
    description:
      'Switches this kind of e-mail off for the address (the page’s button, or a one-click POST per RFC 8058); answers a page saying so',
  })
  async confirm(@Param('token', token) value: string, @Res() reply: FastifyReply): Promise<void> {
    send(reply, await this.unsubscribe.confirm(value));
  }
}
