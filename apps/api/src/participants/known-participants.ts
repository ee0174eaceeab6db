import type { EntityManager } from 'typeorm';
import { validationError, type FieldIssue } from '../common/validation/zod-validation.pipe.js';
import type { ParticipantsRepository } from './participants.repository.js';

/**
 * Share-locks the participants that monthly rows (history, plans) name, so none is deleted
 * before the transaction ends, and refuses the rows with a 400 naming `[i].participantId` of
 * each row whose participant does not exist.
 */
export async function lockKnownParticipants(
  participants: ParticipantsRepository,
  rows: readonly { participantId: string }[],
  manager: EntityManager,
): Promise<void> {
  const known = await participants.keyShare(
    [...new Set(rows.map((row) => row.participantId))].sort(),
    manager,
  );
  const issues: FieldIssue[] = rows.flatMap((row, index) =>
    known.has(row.participantId)
      ? []
      : [
          {
            path: `[${index}].participantId`,
            message: `unknown participant "${row.participantId}"`,
            code: 'unknownParticipant',
          },
        ],
  );
  if (issues.length > 0) throw validationError(issues);
}
