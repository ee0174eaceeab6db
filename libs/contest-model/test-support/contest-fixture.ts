// Builders for specs: a small valid contest file to vary one field at a time, and events.
import type {
  ContestFile,
  ContestFileInput,
  Participant,
} from '../src/rules/contest-file.schema.js';
import type { ContestEventInput } from '../src/rules/event.schema.js';
import { parseContestFile } from '../src/rules/parse.js';

type ParticipantInput = ContestFileInput['participants'][number];

/** A contest file: March 2026, one 1,000.00 prize, turnover scored 1 point per 100.00. */
export function contestInput(overrides: Partial<ContestFileInput> = {}): ContestFileInput {
  return {
    name: 'Spec contest',
    period: { start: '2026-03-01', end: '2026-04-01' },
    funding: { fundShare: 0.5 },
    prizes: [{ place: 1, title: 'Prize', costMinor: 100_000 }],
    criteria: [{ metric: 'turnover', basis: 'absolute', unit: 10_000 }],
    participants: [participant('a'), participant('b'), participant('c')],
    ...overrides,
  };
}

/** Parses a contest file and fails the spec with every issue when it is invalid. */
export function contestFile(overrides: Partial<ContestFileInput> = {}): ContestFile {
  return parseValid(contestInput(overrides));
}

export function parseValid(input: unknown): ContestFile {
  const result = parseContestFile(input);
  if (!result.success) {
    throw new Error(result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('\n'));
  }
  return result.data;
}

/** A participant with a plan of 1,000,000.00 turnover and 200,000.00 margin. */
export function participant(
  id: string,
  extra: Partial<Omit<ParticipantInput, 'plan'>> & { plan?: Partial<Participant['plan']> } = {},
): ParticipantInput {
  const { plan, ...rest } = extra;
  return {
    id,
    name: id.toUpperCase(),
    ...rest,
    plan: { turnoverMinor: 100_000_000, marginMinor: 20_000_000, ...plan },
  };
}

/** An instant on a day of March 2026 (hour UTC). */
export function march(day: number, hour = 10): string {
  return `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
}

let counter = 0;

export function sale(
  participantId: string,
  fields: {
    amountMinor: number;
    marginMinor?: number;
    at?: string;
    id?: string;
    source?: string;
    clientId?: string;
    isNewClient?: boolean;
    product?: string;
    quantity?: number;
  },
): ContestEventInput {
  counter += 1;
  const { at, id, source, amountMinor, marginMinor, ...rest } = fields;
  return {
    type: 'sale',
    externalId: id ?? `sale-${counter}`,
    source: source ?? 'crm',
    participantId,
    occurredAt: at ?? march(2),
    amountMinor,
    marginMinor: marginMinor ?? Math.round(amountMinor / 5),
    ...rest,
  };
}

export function lead(
  participantId: string,
  fields: { at?: string; id?: string } = {},
): ContestEventInput {
  counter += 1;
  return {
    type: 'lead',
    externalId: fields.id ?? `lead-${counter}`,
    source: 'crm',
    participantId,
    occurredAt: fields.at ?? march(2),
  };
}

export function reversal(
  participantId: string,
  reversesExternalId: string,
  fields: { at?: string; id?: string } = {},
): ContestEventInput {
  counter += 1;
  return {
    type: 'reversal',
    externalId: fields.id ?? `reversal-${counter}`,
    source: 'crm',
    participantId,
    occurredAt: fields.at ?? march(3),
    reversesExternalId,
  };
}

export function counterEvent(
  participantId: string,
  fields: { name: string; value: number; at?: string; id?: string },
): ContestEventInput {
  counter += 1;
  return {
    type: 'counter',
    externalId: fields.id ?? `counter-${counter}`,
    source: 'crm',
    participantId,
    occurredAt: fields.at ?? march(2),
    name: fields.name,
    value: fields.value,
  };
}

/** Points by participant id, from an evaluation result. */
export function pointsById(result: {
  standings: readonly { participantId: string; points: number }[];
}): Record<string, number> {
  return Object.fromEntries(result.standings.map((row) => [row.participantId, row.points]));
}

/** Participant ids in rank order. */
export function rankOrder(result: { standings: readonly { participantId: string }[] }): string[] {
  return result.standings.map((row) => row.participantId);
}
