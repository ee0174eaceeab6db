import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

export const teamNameSchema = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(200)
  .meta({ description: 'Unique team name, as contest files and participants refer to it.' });

export const createTeamSchema = z.strictObject({ name: teamNameSchema });
export type CreateTeamDto = z.output<typeof createTeamSchema>;

export const updateTeamSchema = z.strictObject({ name: teamNameSchema });
export type UpdateTeamDto = z.output<typeof updateTeamSchema>;

/** A team as the API answers it. */
export interface TeamView {
  readonly id: string;
  readonly name: string;
  readonly participantCount: number;
  readonly createdAt: string;
}

export const teamViewSchema = documents<TeamView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    participantCount: z.int(),
    createdAt: z.string(),
  }),
);
