import { z } from 'zod';
import { emailSchema } from '../../users/dto/user.dto.js';
import { documents } from '../../common/validation/api-response.js';
import { DISPLAY_LANGUAGES, DISPLAY_SLIDES } from '@podium/contest-model';
import { API_KEY_SCOPES, USER_ROLES, type ApiKeyScope, type UserRole } from '../principal.js';
import type { DisplaySettingsView } from '../../displays/dto/display.dto.js';

export const loginSchema = z.strictObject({
  email: emailSchema,
  // Any length goes to the KDF's comparison except an absurd one; the rules apply when it is set.
  password: z.string().min(1, 'must not be empty').max(256),
});
export type LoginDto = z.output<typeof loginSchema>;

export interface SessionUserView {
  readonly id: string;
  readonly email: string;
  readonly role: UserRole;
  readonly participantId: string | null;
}

export interface LoginView {
  /** `pds_…`: send as `Authorization: Bearer <token>`. */
  readonly token: string;
  readonly expiresAt: string;
  readonly user: SessionUserView;
}

/** What a sign-in answers, for the document. */
export const loginViewSchema = documents<LoginView>()(
  z.object({
    token: z.string(),
    expiresAt: z.string(),
    user: z.object({
      id: z.string(),
      email: z.string(),
      role: z.enum(USER_ROLES),
      participantId: z.string().nullable(),
    }),
  }),
);

/** Who the caller is, as `GET /api/auth/me` answers it. */
export type MeView =
  | { readonly kind: 'user'; readonly expiresAt: string; readonly user: SessionUserView }
  | {
      readonly kind: 'display';
      readonly display: DisplaySettingsView & {
        readonly id: string;
        readonly name: string;
        readonly contestIds: readonly string[];
      };
    }
  | {
      readonly kind: 'apiKey';
      readonly apiKey: {
        readonly id: string;
        readonly name: string;
        readonly scopes: readonly ApiKeyScope[];
      };
    };

const sessionUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(USER_ROLES),
  participantId: z.string().nullable(),
});

/** What `GET /api/auth/me` answers, for the document (a TV reads its settings there). */
export const meViewSchema = documents<MeView>()(
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), expiresAt: z.string(), user: sessionUserSchema }),
    z.object({
      kind: z.literal('display'),
      display: z.object({
        id: z.string(),
        name: z.string(),
        contestIds: z.array(z.string()),
        language: z.enum(DISPLAY_LANGUAGES),
        slides: z.array(z.enum(DISPLAY_SLIDES)),
        slideSeconds: z.number(),
        sound: z.boolean(),
      }),
    }),
    z.object({
      kind: z.literal('apiKey'),
      apiKey: z.object({
        id: z.string(),
        name: z.string(),
        scopes: z.array(z.enum(API_KEY_SCOPES)),
      }),
    }),
  ]),
);
