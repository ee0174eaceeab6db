import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

const contestIdsSchema = z
  .array(z.uuid('must be a contest id'))
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a contest')
  .meta({ description: 'The contests the display shows, in the order it rotates through them.' });

export const createDisplaySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be blank').max(200),
  contestIds: contestIdsSchema.default([]),
});
export type CreateDisplayDto = z.output<typeof createDisplaySchema>;

export const setDisplayContestsSchema = z.strictObject({ contestIds: contestIdsSchema });
export type SetDisplayContestsDto = z.output<typeof setDisplayContestsSchema>;

export interface DisplayView {
  readonly id: string;
  readonly name: string;
  readonly contestIds: readonly string[];
  readonly createdAt: string;
}

/** The answer to a create: the only time the token is ever shown. */
export interface CreatedDisplayView extends DisplayView {
  /** `pdd_…`: the TV opens `/tv/<token>`. */
  readonly token: string;
  /** The TV's address, absolute, on `PODIUM_PUBLIC_URL`. */
  readonly url: string;
}

export const displayViewSchema = documents<DisplayView>()(
  z.object({
    id: z.string(),
    name: z.string(),
    contestIds: z.array(z.string()),
    createdAt: z.string(),
  }),
);
export const createdDisplayViewSchema = documents<CreatedDisplayView>()(
  displayViewSchema.extend({ token: z.string(), url: z.string() }),
);
