import { participantSchema } from '@podium/contest-model';
import { z } from 'zod';
import { teamNameSchema } from '../../teams/dto/team.dto.js';
import { documents } from '../../common/validation/api-response.js';
import type { BatchIssue } from '../batch-validation.pipe.js';

/** Largest batch of `PUT /api/participants`. */
export const MAX_PARTICIPANTS_PER_BATCH = 1_000;

const text = (max: number) => z.string().trim().min(1, 'must not be blank').max(max);

/*
 * Rules across items (uniqueness) run on the raw body next to the schema, even when some item is
 * invalid, so one answer names every problem (zod skips refinements once an item fails hard).
 */
export function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

export function externalIdKey(value: unknown): string | null {
  const source = field(value, 'source');
  const externalId = field(value, 'externalId');
  return typeof source === 'string' && typeof externalId === 'string'
    ? `${source.trim()}\u0000${externalId.trim()}`
    : null;
}

/** The library's participant id, plus what a URL path segment and the database need. */
export const participantIdSchema = participantSchema.shape.id
  .max(200)
  .refine((id) => id.trim() === id, 'must not start or end with whitespace')
  .meta({ description: 'Participant id as contest files use it, e.g. "p1".' });

export const externalIdSchema = z.strictObject({
  source: text(100).meta({ description: 'The CRM or system, e.g. "amocrm".' }),
  externalId: text(200).meta({ description: 'The user id in that system.' }),
});
export type ExternalIdDto = z.output<typeof externalIdSchema>;

const externalIdsSchema = z
  .array(externalIdSchema)
  .max(100)
  .meta({ description: 'CRM users mapped to the participant; replaces every mapping when given.' });

const fields = {
  name: text(200),
  team: teamNameSchema.nullable().meta({ description: 'Team name; created when new.' }),
  role: participantSchema.shape.role.unwrap(),
  hiredOn: participantSchema.shape.hiredOn.unwrap().nullable(),
  isNewcomer: participantSchema.shape.isNewcomer
    .unwrap()
    .nullable()
    .meta({ description: 'Overrides the newcomer rule (hired less than N months ago).' }),
  league: text(100).nullable().meta({ description: "League for `leagues.by: 'field'`." }),
  externalIds: externalIdsSchema,
};

export const createParticipantSchema = z.strictObject({
  id: participantIdSchema.optional().meta({ description: 'Generated (a UUID) when absent.' }),
  name: fields.name,
  team: fields.team.optional(),
  role: fields.role.default('hunter'),
  hiredOn: fields.hiredOn.optional(),
  isNewcomer: fields.isNewcomer.optional(),
  league: fields.league.optional(),
  externalIds: fields.externalIds.default([]),
});
export type CreateParticipantDto = z.output<typeof createParticipantSchema>;

/** Absent fields stay as they are; `null` clears a nullable one. */
export const updateParticipantSchema = z.strictObject({
  name: fields.name.optional(),
  team: fields.team.optional(),
  role: fields.role.optional(),
  hiredOn: fields.hiredOn.optional(),
  isNewcomer: fields.isNewcomer.optional(),
  league: fields.league.optional(),
  externalIds: fields.externalIds.optional(),
});
export type UpdateParticipantDto = z.output<typeof updateParticipantSchema>;

/**
 * One item of the bulk upsert. `id` and `name` are required; any other field absent from the
 * item is left as it is for an existing participant (for a new one: no team, role hunter, …).
 */
export const bulkParticipantSchema = updateParticipantSchema.extend({
  id: participantIdSchema,
  name: fields.name,
});
export type BulkParticipantDto = z.output<typeof bulkParticipantSchema>;

export const bulkParticipantsSchema = z
  .array(bulkParticipantSchema)
  .max(MAX_PARTICIPANTS_PER_BATCH);
export type BulkParticipantsDto = z.output<typeof bulkParticipantsSchema>;

/** A CRM identity given twice in one participant's `externalIds`. */
export function externalIdsIssues(input: unknown): BatchIssue[] {
  const seen = new Set<string>();
  const issues: BatchIssue[] = [];
  items(field(input, 'externalIds')).forEach((externalId, index) => {
    const key = externalIdKey(externalId);
    if (key === null) return;
    if (seen.has(key)) {
      issues.push({ path: ['externalIds', index], message: 'duplicate source and externalId' });
    }
    seen.add(key);
  });
  return issues;
}

/** Ids and CRM identities given twice in one batch. */
export function bulkParticipantsIssues(input: unknown): BatchIssue[] {
  const issues: BatchIssue[] = [];
  const ids = new Map<string, number>();
  const externalIds = new Map<string, number>();
  items(input).forEach((item, index) => {
    const id = field(item, 'id');
    if (typeof id === 'string') {
      const first = ids.get(id);
      if (first !== undefined) {
        issues.push({
          path: [index, 'id'],
          message: `duplicate id "${id}" (first at [${first}])`,
        });
      } else ids.set(id, index);
    }
    items(field(item, 'externalIds')).forEach((externalId, position) => {
      const key = externalIdKey(externalId);
      if (key === null) return;
      const owner = externalIds.get(key);
      if (owner === undefined) {
        externalIds.set(key, index);
      } else {
        issues.push({
          path: [index, 'externalIds', position],
          message:
            owner === index
              ? 'duplicate source and externalId'
              : `this CRM user is also given to [${owner}]`,
        });
      }
    });
  });
  return issues;
}

const queryNumber = z.coerce.number<string | number>().int();

export const listParticipantsQuerySchema = z.object({
  team: teamNameSchema.optional().meta({ description: 'Only the members of this team (by name).' }),
  role: fields.role.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Case-insensitive search in name and id.' }),
  limit: queryNumber.min(1).max(1_000).default(100),
  offset: queryNumber.min(0).default(0),
});
export type ListParticipantsQuery = z.output<typeof listParticipantsQuerySchema>;

/** A participant as the API answers it. */
export interface ParticipantView {
  readonly id: string;
  readonly name: string;
  readonly team: string | null;
  readonly teamId: string | null;
  readonly role: 'hunter' | 'farmer';
  readonly hiredOn: string | null;
  readonly isNewcomer: boolean | null;
  readonly league: string | null;
  readonly externalIds: readonly ExternalIdDto[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** `GET /api/participants/:id`: the participant and which months of history it has. */
export interface ParticipantDetailView extends ParticipantView {
  readonly historyMonths: readonly string[];
}

export interface ParticipantPage {
  readonly items: readonly ParticipantView[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

export interface BulkParticipantsResult {
  readonly created: number;
  readonly updated: number;
  readonly teamsCreated: readonly string[];
}

export const participantViewSchema = documents<ParticipantView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    team: z.string().nullable(),
    teamId: z.string().nullable(),
    role: z.enum(['hunter', 'farmer']),
    hiredOn: z.string().nullable(),
    isNewcomer: z.boolean().nullable(),
    league: z.string().nullable(),
    externalIds: z.array(z.object({ source: z.string(), externalId: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export const participantDetailViewSchema = documents<ParticipantDetailView>()(
  participantViewSchema.extend({ historyMonths: z.array(z.string()) }),
);
export const participantPageSchema = documents<ParticipantPage>()(
  z.object({
    items: z.array(participantViewSchema),
    total: z.int(),
    limit: z.int(),
    offset: z.int(),
  }),
);
