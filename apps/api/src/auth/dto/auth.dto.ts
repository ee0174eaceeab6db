import { z } from 'zod';
import { emailSchema } from '../../users/dto/user.dto.js';
import { documents } from '../../common/validation/api-response.js';
import { USER_ROLES, type ApiKeyScope, type UserRole } from '../principal.js';

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
      readonly display: {
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
