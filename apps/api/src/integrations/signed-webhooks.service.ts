import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock.js';
import { EventsService } from '../events/events.service.js';
import type { IngestAnswer } from '../events/dto/ingest.dto.js';
import { REPLAY_WINDOW_S, type Mappings } from './dto/integration.dto.js';
import { IntegrationsRepository } from './integrations.repository.js';

/** The string a webhook signs: `<timestamp>.<raw body>`, as Stripe-style signatures do. */
export function signedPayload(timestamp: string, rawBody: Buffer | string): Buffer {
  return Buffer.concat([
    Buffer.from(`${timestamp}.`),
    Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
  ]);
}

export function sign(key: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${createHmac('sha256', key).update(signedPayload(timestamp, rawBody)).digest('hex')}`;
}

const UNAUTHORIZED = (message: string) =>
  new UnauthorizedException({ statusCode: 401, error: 'Unauthorized', message });

/**
 * The requests of the generic `webhook` integrations (1C and anything else), each signed:
 * `X-Podium-Timestamp: <unix seconds>` and `X-Podium-Signature: sha256=<hex HMAC-SHA256 of
 * "<timestamp>.<raw body>" with the integration's secret>`; a request older or newer than five
 * minutes is refused, so a captured request cannot be replayed later. Its events are stored as
 * `POST /api/events` stores them, CRM user ids mapped to participants first.
 */
@Injectable()
export class SignedWebhooksService {
  constructor(
    private readonly integrations: IntegrationsRepository,
    private readonly events: EventsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** A signed webhook request: verified before anything is parsed further or written. */
  async receive(
    id: string,
    {
      timestamp,
      signature,
      rawBody,
      body,
    }: {
      timestamp: string | undefined;
      signature: string | undefined;
      rawBody: Buffer | undefined;
      body: unknown;
    },
  ): Promise<IngestAnswer> {
    const integration = await this.integrations.find(id);
    if (
      !integration ||
      integration.revokedAt !== null ||
      integration.kind !== 'webhook' ||
      integration.signingKey === null
    ) {
      throw UNAUTHORIZED('unknown or revoked integration');
    }
    if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
      throw UNAUTHORIZED('X-Podium-Timestamp must be the request time in Unix seconds');
    }
    const age = Math.abs(this.clock.now().getTime() / 1000 - Number(timestamp));
    if (age > REPLAY_WINDOW_S)
      throw UNAUTHORIZED('X-Podium-Timestamp is more than 5 minutes away from now');
    if (signature === undefined || rawBody === undefined) {
      throw UNAUTHORIZED(
        'X-Podium-Signature must be sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">',
      );
    }
    const expected = Buffer.from(sign(integration.signingKey, timestamp, rawBody));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw UNAUTHORIZED('the signature does not match the body');
    }
    const mapped = this.mapParticipants(body, await this.integrations.mappings(id));
    const answer = await this.events.ingest(mapped, { author: `integration:${integration.name}` });
    await this.integrations.touch(id);
    return answer;
  }

  /** A CRM user id mapped to a participant is replaced by the participant's id. */
  private mapParticipants(body: unknown, mappings: Mappings): unknown {
    const map = (item: unknown) => {
      if (item === null || typeof item !== 'object') return item;
      const participantId = (item as { participantId?: unknown }).participantId;
      if (typeof participantId !== 'string' || !(participantId in mappings)) return item;
      return { ...item, participantId: mappings[participantId] };
    };
    return Array.isArray(body) ? body.map(map) : map(body);
  }
}
