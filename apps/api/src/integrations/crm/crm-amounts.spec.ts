import { describe, expect, it } from '@jest/globals';
import { parseMoneyCell } from '@podium/contest-model';
import { amocrmObservation, parseAmocrmLeads } from './amocrm-payload.js';
import { bitrix24DealSchema, bitrix24Observation } from './bitrix24.js';

/** Amounts as CRMs and the people who fill their custom fields write them. */
const AMOUNTS = [
  '15000.50',
  '15000',
  '0.285',
  '1500,50',
  '1 500,50',
  '1,500.50',
  '1.500,50',
  '1,234,567',
  '15000.005',
];

const imported = (text: string) => {
  const parsed = parseMoneyCell(text);
  if (!parsed.ok) throw new Error(`the import refuses ${text}`);
  return parsed.value;
};

const NOW = new Date('2026-03-02T10:00:00Z');

function amocrm(price: string, margin: string) {
  const parsed = parseAmocrmLeads({
    'leads[status][0][id]': '1',
    'leads[status][0][status_id]': '142',
    'leads[status][0][price]': price,
    'leads[status][0][responsible_user_id]': '7',
    'leads[status][0][last_modified]': '1772445600',
    'leads[status][0][custom_fields][0][id]': '55',
    'leads[status][0][custom_fields][0][values][0][value]': margin,
  });
  if ('issues' in parsed) throw new Error(JSON.stringify(parsed.issues));
  if (parsed.rejected.length > 0) throw new Error(JSON.stringify(parsed.rejected));
  const lead = parsed.leads[0];
  if (lead === undefined) throw new Error('no lead');
  return amocrmObservation(lead, { pipelineIds: [], wonStatusIds: [142], marginField: 55 }, NOW);
}

function bitrix24(opportunity: string, margin: string) {
  const deal = bitrix24DealSchema.parse({
    ID: '42',
    STAGE_SEMANTIC_ID: 'S',
    OPPORTUNITY: opportunity,
    CURRENCY_ID: 'RUB',
    ASSIGNED_BY_ID: '7',
    UF_MARGIN: margin,
  });
  return bitrix24Observation(
    deal,
    {
      currency: 'RUB',
      timeoutMs: 10_000,
      timeZone: 'Europe/Moscow',
      pipelineIds: [],
      marginField: 'UF_MARGIN',
    },
    NOW,
  );
}

describe('CRM amounts', () => {
  it.each(AMOUNTS)('amoCRM reads %p as the file import does', (text) => {
    const observation = amocrm(text, text);
    expect([observation.amountMinor, observation.marginMinor]).toEqual([
      imported(text),
      imported(text),
    ]);
  });

  it.each(AMOUNTS)(
    'Bitrix24 reads %p, and as its money type with |RUB, as the import does',
    (text) => {
      expect(bitrix24(text, `${text}|RUB`)).toMatchObject({
        amountMinor: imported(text),
        marginMinor: imported(text),
      });
    },
  );

  it('refuses what is not an amount, naming the field', () => {
    expect(
      parseAmocrmLeads({
        'leads[status][0][id]': '1',
        'leads[status][0][status_id]': '142',
        'leads[status][0][price]': '15 000 руб',
        'leads[status][0][responsible_user_id]': '7',
        'leads[status][0][last_modified]': '1772445600',
      }),
    ).toMatchObject({
      leads: [],
      rejected: [
        {
          id: '1',
          issues: [
            {
              path: 'leads[status][0][price]',
              message: 'must be an amount in major units, e.g. 1500.50',
              code: 'money',
            },
          ],
        },
      ],
    });
    expect(bitrix24DealSchema.safeParse({ OPPORTUNITY: '1,2,3' }).success).toBe(false);
  });
});
