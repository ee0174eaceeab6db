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

/**
 * May this principal read this contest at all? Users: yes (what a seller sees of others' amounts
 * is the contest's `showAmounts` rule, applied where standings are built); a display: only its
 * assigned contests; API keys and anonymous callers: no.
 */
export function canReadContest(principal: Principal, contestId: string): boolean {
  if (principal.kind === 'user') return true;
  if (principal.kind === 'display') return principal.contestIds.includes(contestId);
  return false;
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
