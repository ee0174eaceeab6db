import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../../auth/principal.js';
import { documents } from '../../common/validation/api-response.js';

/** One demo sign-in: what the home page shows and fills in. */
export interface DemoAccountView {
  readonly email: string;
  readonly password: string;
  readonly role: UserRole;
}

/** What `GET /api/demo` answers in demo mode. */
export interface DemoEntryView {
  readonly accounts: readonly DemoAccountView[];
  /** The demo office TV, absolute. */
  readonly tvUrl: string;
  /** The demo seller's phone by personal link, absolute. */
  readonly phoneUrl: string;
}

export const demoEntrySchema = documents<DemoEntryView>()(
  z.object({
    accounts: z.array(
      z.object({ email: z.string(), password: z.string(), role: z.enum(USER_ROLES) }),
    ),
    tvUrl: z.string(),
    phoneUrl: z.string(),
  }),
);
