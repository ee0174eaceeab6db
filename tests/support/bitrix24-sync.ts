import { evaluate, parseContestEvent, parseContestFile } from '@podium/contest-model';
import { createAdminApp } from './http.js';
import { form, type CrmWorld } from './crm.js';
import type { FakeDeal } from './fake-bitrix24.js';

export const APPLICATION_TOKEN = 'k9x2vq7c1m4r8t0w5y3z6b2n';

/** The CRM users of the world's sellers. */
export const USERS = { anna: '7', boris: '8' } as const;

/**
 * A deal as `crm.deal.list` answers it: strings only, "" for an empty date. Won deals
 * (`wonAt`) are in the WON stage and were moved there at `wonAt` (MOVED_TIME and CLOSEDATE);
 * others are in progress with an empty CLOSEDATE.
 */
export function listedDeal(
  id: number,
  fields: {
    user: string;
    amount: string;
    modifiedAt: string;
    wonAt?: string;
    category?: string;
  },
): FakeDeal {
  const won = fields.wonAt !== undefined;
  return {
    ID: String(id),
    TITLE: `Deal #${id}`,
    STAGE_ID: won ? 'WON' : 'PREPARATION',
    STAGE_SEMANTIC_ID: won ? 'S' : 'P',
    CATEGORY_ID: fields.category ?? '0',
    OPPORTUNITY: fields.amount,
    CURRENCY_ID: 'RUB',
    ASSIGNED_BY_ID: fields.user,
    CLOSEDATE: fields.wonAt ?? '2026-03-31T03:00:00+03:00',
    MOVED_TIME: fields.wonAt ?? fields.modifiedAt,
    DATE_CREATE: '2026-02-20T10:00:00+03:00',
    DATE_MODIFY: fields.modifiedAt,
    BEGINDATE: '',
    IS_MANUAL_OPPORTUNITY: 'N',
  };
}

/**
 * Creates the Bitrix24 integration of the fake portal (deal category 0 counted) and maps anna
 * and boris; answers its id and the URL of its outgoing webhook.
 */
export async function connectPortal(
  world: CrmWorld,
  portalWebhookUrl: string,
  name = 'Bitrix24 acme',
): Promise<{ id: string; webhookUrl: string }> {
  const created = await world.admin('POST', '/api/integrations', {
    kind: 'bitrix24',
    name,
    settings: {
      marginRate: 0.2,
      currency: 'RUB',
      applicationToken: APPLICATION_TOKEN,
      portalWebhookUrl,
      timeoutMs: 5_000,
      pipelineIds: [0],
    },
  });
  if (created.status !== 201) throw new Error(`integration: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  const mapped = await world.admin('PUT', `/api/integrations/${id}/mappings`, {
    [USERS.anna]: 'anna',
    [USERS.boris]: 'boris',
  });
  if (mapped.status !== 200) throw new Error(`mappings: ${JSON.stringify(mapped.body)}`);
  return { id, webhookUrl: created.body.webhookUrl as string };
}

/** Bitrix24's outgoing webhook call for a deal, as Bitrix24 posts it. */
export function dealEvent(dealId: string): string {
  return form([
    ['event', 'ONCRMDEALUPDATE'],
    ['event_handler_id', '27'],
    ['data[FIELDS][ID]', dealId],
    ['ts', Math.floor(Date.parse('2026-03-10T12:00:00Z') / 1000)],
    ['auth[domain]', 'acme.bitrix24.ru'],
    ['auth[client_endpoint]', 'https://acme.bitrix24.ru/rest/'],
    ['auth[server_endpoint]', 'https://oauth.bitrix.info/rest/'],
    ['auth[member_id]', 'a223c6b3710f85df22e9377d6c4f7553'],
    ['auth[application_token]', APPLICATION_TOKEN],
  ]);
}

/** Stops the world's API while `meanwhile` runs (no webhook can arrive), then starts it again. */
export async function whileStopped(world: CrmWorld, meanwhile: () => void): Promise<void> {
  await world.sut.close();
  meanwhile();
  ({ sut: world.sut, token: world.token } = await createAdminApp(world.database.url, world.config, {
    clock: world.clock,
  }));
}

/**
 * What `evaluate` of the launched contest says each seller has when the sales are exactly the
 * won deals given (counted ones only), each dated at its won moment with 20 % of margin.
 */
export async function expectedPoints(
  world: CrmWorld,
  deals: readonly FakeDeal[],
): Promise<Record<string, { points: number; rank: number }>> {
  const [row] = await world.rows('SELECT frozen_file FROM contests WHERE id = $1', [
    world.contestId,
  ]);
  const file = parseContestFile(row?.frozen_file);
  if (!file.success) throw new Error('the frozen contest file does not parse');
  const participant = { [USERS.anna]: 'anna', [USERS.boris]: 'boris' } as Record<string, string>;
  const events = deals
    .filter((deal) => deal.STAGE_SEMANTIC_ID === 'S' && deal.CATEGORY_ID === '0')
    .map((deal) => {
      const amountMinor = Math.round(Number(deal.OPPORTUNITY) * 100);
      const parsed = parseContestEvent({
        type: 'sale',
        source: 'bitrix24',
        externalId: `deal-${deal.ID}`,
        participantId: participant[deal.ASSIGNED_BY_ID],
        occurredAt: deal.MOVED_TIME,
        amountMinor,
        marginMinor: Math.round(amountMinor * 0.2),
      });
      if (!parsed.success) throw new Error(`deal ${deal.ID}: ${JSON.stringify(parsed.issues)}`);
      return parsed.data;
    });
  const result = evaluate({ ...file.data, events });
  return Object.fromEntries(
    result.standings.map((row) => [row.participantId, { points: row.points, rank: row.rank }]),
  );
}

/** The live standings' points and ranks, to compare with {@link expectedPoints}. */
export async function standings(
  world: CrmWorld,
): Promise<Record<string, { points: number; rank: number }>> {
  const answer = await world.admin('GET', `/api/contests/${world.contestId}/standings`);
  const rows = answer.body.standings as { participantId: string; points: number; rank: number }[];
  return Object.fromEntries(
    rows.map((row) => [row.participantId, { points: row.points, rank: row.rank }]),
  );
}
