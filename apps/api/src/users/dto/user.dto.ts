import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';
import { passwordProblem } from '../../auth/password-policy.js';
import { USER_ROLES } from '../../auth/principal.js';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be an e-mail address').max(320));

/** A password someone sets: the rule is {@link passwordProblem}. */
export const passwordSchema = z.string().superRefine((password, context) => {
  const problem = passwordProblem(password);
  if (problem !== null) {
    const { message, code, params } = problem;
    context.addIssue({ code: 'custom', message, params: { ...params, code } });
  }
});

const roleSchema = z.enum(USER_ROLES);

const participantIdSchema = z.string().trim().min(1, 'must not be blank').max(200).meta({
  description: 'The participant a seller is; required for sellers, null for other roles.',
});

export const createUserSchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  role: roleSchema,
  participantId: participantIdSchema.nullable().optional(),
});
export type CreateUserDto = z.output<typeof createUserSchema>;

export const updateUserSchema = z
  .strictObject({
    email: emailSchema.optional(),
    password: passwordSchema.optional(),
    role: roleSchema.optional(),
    participantId: participantIdSchema.nullable().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'must change at least one field');
export type UpdateUserDto = z.output<typeof updateUserSchema>;

/** A user as the API answers it: never the password hash. */
export interface UserView {
  readonly id: string;
  readonly email: string;
  readonly role: (typeof USER_ROLES)[number];
  readonly participantId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const userViewSchema = documents<UserView>()(
  z.object({
    id: z.string(),
    email: z.string(),
    role: z.enum(USER_ROLES),
    participantId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
