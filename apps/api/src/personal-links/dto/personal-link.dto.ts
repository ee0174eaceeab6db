import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

export const openPersonalLinkSchema = z.strictObject({
  token: z.string().min(1, 'must not be blank').max(200),
});
export type OpenPersonalLinkDto = z.output<typeof openPersonalLinkSchema>;

/** Whether a participant has a live personal link (the token itself is never shown again). */
export interface PersonalLinkStatusView {
  readonly participantId: string;
  readonly active: boolean;
  readonly createdAt: string | null;
  readonly lastUsedAt: string | null;
}

/** The answer to a create: the only time the token is ever shown. */
export interface CreatedPersonalLinkView {
  readonly participantId: string;
  /** `pdp_…` */
  readonly token: string;
  /** Where the phone opens it, relative to the web app: `/m/p/<token>`. */
  readonly path: string;
  /** The same, absolute, on `PODIUM_PUBLIC_URL`: what is sent to the phone. */
  readonly url: string;
  readonly createdAt: string;
}

/** Whose link it is: what the phone shows before it goes live. */
export interface OpenedPersonalLinkView {
  readonly participantId: string;
  readonly name: string;
}

export const personalLinkStatusViewSchema = documents<PersonalLinkStatusView>()(
  z.object({
    participantId: z.string(),
    active: z.boolean(),
    createdAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  }),
);
export const createdPersonalLinkViewSchema = documents<CreatedPersonalLinkView>()(
  z.object({
    participantId: z.string(),
    token: z.string(),
    path: z.string(),
    url: z.string(),
    createdAt: z.string(),
  }),
);
export const openedPersonalLinkViewSchema = documents<OpenedPersonalLinkView>()(
  z.object({ participantId: z.string(), name: z.string() }),
);
