import type { DisplayLanguage, DisplaySlide } from '@podium/contest-model';

/** The roles a user can have (DESIGN §8). */
export const USER_ROLES = ['admin', 'director', 'manager', 'seller'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** What an API key may do. Extend the list as ingestion routes appear. */
export const API_KEY_SCOPES = ['events:write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export interface UserPrincipal {
  readonly kind: 'user';
  readonly userId: string;
  readonly email: string;
  readonly role: UserRole;
  /** The participant a seller is; null for the other roles. */
  readonly participantId: string | null;
  readonly sessionId: string;
  readonly expiresAt: Date;
  /**
   * Set when the caller came with a participant's personal link rather than a login: a seller
   * without an account (`userId` is `personal-link:<id>`, `email` empty), read-only like any seller.
   */
  readonly personalLinkId?: string;
}

export interface DisplayPrincipal {
  readonly kind: 'display';
  readonly displayId: string;
  readonly name: string;
  /** The contests this display may read, in the order it shows them. */
  readonly contestIds: readonly string[];
  /** How the TV shows them: its language, slides, seconds per slide and sound. */
  readonly settings: {
    readonly language: DisplayLanguage;
    readonly slides: readonly DisplaySlide[];
    readonly slideSeconds: number;
    readonly sound: boolean;
  };
}

export interface ApiKeyPrincipal {
  readonly kind: 'apiKey';
  readonly apiKeyId: string;
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
}

export interface AnonymousPrincipal {
  readonly kind: 'anonymous';
}

/**
 * Who is calling, resolved by the global guard from `Authorization: Bearer <token>` and handed to
 * controllers with `@CurrentPrincipal()`. The guard has already checked the route against the
 * access table; services apply the per-object rules (a display reads only its contests, a seller
 * sees only their own details) with the helpers below.
 */
export type Principal = UserPrincipal | DisplayPrincipal | ApiKeyPrincipal | AnonymousPrincipal;

export const ANONYMOUS: AnonymousPrincipal = Object.freeze({ kind: 'anonymous' });

/** True for a user whose role is one of `roles`. */
export function hasRole(principal: Principal, ...roles: UserRole[]): principal is UserPrincipal {
  return principal.kind === 'user' && roles.includes(principal.role);
}

/** What decides who may read a contest: its state and who takes part in it. */
export interface ContestAccess {
  readonly id: string;
  readonly state: string;
  /** The participants of its rules (frozen at launch). */
  readonly participantIds: readonly string[];
}

/**
 * May this principal read this contest at all? Admins, directors and managers: every contest.
 * Drafts are theirs only. A seller (by login or personal link): the contests they take part in; a
 * display: the contests assigned to it (`isAssignedTo`); API keys and anonymous callers: none.
 * What a seller sees of others' amounts is the contest's `showAmounts` rule, applied where
 * standings are built. Whoever may not read a contest gets a 404, as if it did not exist.
 */
export function canReadContest(principal: Principal, contest: ContestAccess): boolean {
  if (principal.kind === 'user' && principal.role !== 'seller') return true;
  if (contest.state === 'draft' || !isAssignedTo(principal, contest.id)) return false;
  if (principal.kind === 'user')
    return (
      principal.participantId !== null && contest.participantIds.includes(principal.participantId)
    );
  return principal.kind === 'display';
}

/**
 * The part of {@link canReadContest} that belongs to the principal alone: a display reads only
 * the contests assigned to it; for users it is the contest that decides.
 */
export function isAssignedTo(principal: Principal, contestId: string): boolean {
  if (principal.kind === 'display') return principal.contestIds.includes(contestId);
  return principal.kind === 'user';
}

/**
 * May this principal see the amounts and details of this participant? Admins, directors and
 * managers: everyone; a seller: only themself. (A contest that shows amounts opens them to all
 * viewers; that rule belongs to the standings.)
 */
export function canSeeParticipantDetails(principal: Principal, participantId: string): boolean {
  if (principal.kind !== 'user') return false;
  return principal.role !== 'seller' || principal.participantId === participantId;
}

/** A short name for logs and error messages: never a token, never an e-mail. */
export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `a ${principal.role}`;
    case 'display':
      return 'a display';
    case 'apiKey':
      return 'an API key';
    case 'anonymous':
      return 'an anonymous caller';
  }
}
