import { bearer, client, ok, type Schemas } from './api/client.js';
import type { Locale } from './i18n/messages.js';

/** A checkpoint as `GET /api/contests/:id/checkpoints` answers it, redacted for the caller. */
export type Checkpoint = Schemas['Checkpoint'];

const localeTags: Record<Locale, string> = { en: 'en-US', ru: 'ru-RU' };

/** The checkpoint's month: the one that ended at its boundary ("March 2026"). */
export function checkpointMonth(boundary: string, locale: Locale): string {
  return new Date(Date.parse(boundary) - 1).toLocaleDateString(localeTags[locale], {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/**
 * The contest's published checkpoints, newest first, read with `token` (a session, a personal
 * link or a display): the server answers only what that holder may see, so a seller and a TV get
 * the published months with other participants' amounts hidden when the contest hides them.
 */
export async function loadPublishedCheckpoints(
  contestId: string,
  token: string,
): Promise<Checkpoint[]> {
  const records = await ok(
    client.GET('/api/contests/{id}/checkpoints', {
      params: { path: { id: contestId } },
      headers: bearer(token),
    }),
  );
  return records
    .filter((record) => record.publishedAt !== null)
    .sort((a, b) => b.number - a.number);
}
