import { contestFileSchema, MAX_TRIALS } from '@podium/contest-model';
import { z } from 'zod';

export const simulationIdSchema = z.uuid({ error: 'must be a simulation id (UUID)' });

/** Overrides of the file's `scenario` (DESIGN §3.5); each omitted value keeps the file's. */
export const scenarioOverridesSchema = z.strictObject({
  uplift: z.number().min(-1).optional(),
  correlation: z.number().min(0).max(1).optional(),
  trials: z.int().min(1).max(MAX_TRIALS).optional(),
  seed: z.int().optional(),
});

/**
 * `POST /api/simulations`: a contest file, or the id of a stored contest (its frozen file once
 * launched, else its rules), a scenario over the file's, and whether to re-simulate remedies.
 */
export const createSimulationSchema = z
  .strictObject({
    file: contestFileSchema.optional(),
    contestId: z.uuid({ error: 'must be a contest id (UUID)' }).optional(),
    scenario: scenarioOverridesSchema.optional(),
    remedies: z.boolean().optional(),
  })
  .superRefine((body, context) => {
    if ((body.file === undefined) === (body.contestId === undefined)) {
      context.addIssue({
        code: 'custom',
        path: [body.file === undefined ? 'file' : 'contestId'],
        params: { code: body.file === undefined ? 'required' : 'exclusive' },
        message:
          body.file === undefined
            ? 'is required: send a contest file or a contestId'
            : 'must not be sent with a file: send one or the other',
      });
    }
  });
export type CreateSimulation = z.infer<typeof createSimulationSchema>;

export const listSimulationsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
