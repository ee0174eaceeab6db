import { Injectable, UnauthorizedException } from '@nestjs/common';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { DisplaysService } from '../displays/displays.service.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import { PersonalLinksService } from '../personal-links/personal-links.service.js';
import { SessionsService } from '../users/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto, LoginView, MeView } from './dto/auth.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { PrincipalCache } from './principal-cache.js';
import type { Principal, UserPrincipal } from './principal.js';
import { RateLimitedException } from './rate-limited.exception.js';
import { RateLimits, type RateLimit } from './rate-limiter.js';
import { generateToken, hashToken, tokenKind, type TokenKind } from './tokens.js';

/** How long a login lasts: a working day and then some. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** Failed logins allowed per e-mail and address per 5 minutes; then 429 until the window ends. */
const LOGIN_FAILURES_PER_ADDRESS = { limit: 10, windowMs: 5 * 60 * 1000 };
/**
 * Per e-mail from anywhere, failures are remembered for 15 minutes; past the first 10 the account
 * gets one try per period, from anywhere, and the period grows with each failure: 2 s, 4 s, 8 s …
 * at most a minute. Tries refused meanwhile are not counted, so a flood from many addresses gets
 * about one guess a minute and the owner is never kept out for longer than that.
 */
const LOGIN_FAILURES_PER_EMAIL = { limit: 10_000, windowMs: 15 * 60 * 1000 };
const FREE_FAILURES_PER_EMAIL = 10;
const MAX_LOGIN_WAIT_MS = 60_000;

/** The wait after the `failures`-th failure of an account: exponential, capped at a minute. */
export function loginWaitMs(failures: number): number {
  const over = failures - FREE_FAILURES_PER_EMAIL;
  if (over <= 0) return 0;
  return Math.min(MAX_LOGIN_WAIT_MS, 1000 * 2 ** Math.min(over, 16));
}

function tooManyFailures(waitSeconds: number): RateLimitedException {
  return new RateLimitedException(waitSeconds, 'too many failed logins: try again later');
}

/** The one answer to a failed login, whatever failed: unknown e-mail or wrong password. */
const WRONG_CREDENTIALS = 'wrong e-mail or password';

@Injectable()
export class AuthService {
  private readonly failuresByAddress: RateLimit;
  // Behind the per-address limit because addresses are many: this one cannot be dodged by
  // changing addresses, and only slows an account down, so a stranger cannot lock anyone out.
  private readonly failuresByEmail: RateLimit;
  private readonly triesByEmail: RateLimit;
  /** Sessions, personal links and displays resolved lately (see principal-cache.ts). */
  private readonly cache = new PrincipalCache();

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly displays: DisplaysService,
    private readonly apiKeys: ApiKeysService,
    private readonly personalLinks: PersonalLinksService,
    private readonly cluster: ClusterService,
    rateLimits: RateLimits,
  ) {
    this.failuresByAddress = rateLimits.create(
      'login-failures-address',
      LOGIN_FAILURES_PER_ADDRESS,
    );
    this.failuresByEmail = rateLimits.create('login-failures-email', LOGIN_FAILURES_PER_EMAIL);
    // One try per period; each period's length is given when it starts (takeOncePer).
    this.triesByEmail = rateLimits.create('login-tries-email', {
      limit: 1,
      windowMs: MAX_LOGIN_WAIT_MS,
    });
    // Subscribed here, before any service that depends on this one (the sockets' re-check
    // resolves tokens on the same notice and must not be answered from the cache).
    cluster.subscribe((message) => {
      if (message.kind === 'principals' || message.kind === 'reconnected') this.cache.clear();
    });
  }

  /**
   * Checks an e-mail and password and opens a session. Unknown e-mail and wrong password answer
   * the same 401 after the same work; after too many failures the pair (e-mail, address) gets a
   * 429 until its window passes, and the e-mail from anywhere a 429 for a growing wait (at most a
   * minute), right password or not.
   */
  async login({ email, password }: LoginDto, ip: string): Promise<LoginView> {
    const addressKey = `${email}\u0000${ip}`;
    const byAddress = await this.failuresByAddress.retryAfter(addressKey);
    if (byAddress > 0) throw tooManyFailures(byAddress);
    const periodMs = loginWaitMs(await this.failuresByEmail.count(email));
    if (periodMs > 0) {
      // Taken atomically: of a burst of parallel guesses, one reaches the password check.
      const wait = await this.triesByEmail.takeOncePer(email, periodMs);
      if (wait > 0) throw tooManyFailures(wait);
    }

    const user = await this.users.findByEmail(email);
    const ok = await this.hasher.verify(user?.passwordHash ?? null, password);
    if (!ok || user === null) {
      await Promise.all([this.failuresByAddress.hit(addressKey), this.failuresByEmail.hit(email)]);
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: WRONG_CREDENTIALS,
      });
    }

    const { token, expiresAt } = await this.createSession(user.id);
    // The owner got in: the waits built up by strangers' guesses start over.
    await this.failuresByEmail.reset(email);
    await this.sessions.deleteExpired();
    return {
      token,
      expiresAt: expiresAt.toISOString(),
      user: {
        id: user.id,
        email: user.email,
        role: user.role,
        participantId: user.participantId,
      },
    };
  }

  /** Opens a session for a user; the token exists only in the answer. */
  async createSession(
    userId: string,
    ttlMs: number = SESSION_TTL_MS,
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = generateToken('session');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.sessions.open({ tokenHash: hashToken(token), userId, expiresAt });
    return { token, expiresAt };
  }

  async logout(principal: Principal): Promise<void> {
    // A personal link has no session to end: an admin or manager revokes the link itself.
    if (principal.kind === 'user' && principal.personalLinkId === undefined) {
      await this.sessions.close(principal.sessionId);
      // Its open sockets close too, on every process.
      this.cluster.principalsChanged({ kind: 'session', id: principal.sessionId });
    }
  }

  me(principal: Principal): MeView {
    switch (principal.kind) {
      case 'user':
        return {
          kind: 'user',
          expiresAt: principal.expiresAt.toISOString(),
          user: {
            id: principal.userId,
            email: principal.email,
            role: principal.role,
            participantId: principal.participantId,
          },
        };
      case 'display':
        return {
          kind: 'display',
          display: {
            id: principal.displayId,
            name: principal.name,
            contestIds: principal.contestIds,
            ...principal.settings,
          },
        };
      case 'apiKey':
        return {
          kind: 'apiKey',
          apiKey: { id: principal.apiKeyId, name: principal.name, scopes: principal.scopes },
        };
      case 'anonymous':
        // The access table lets no anonymous caller here.
        throw new UnauthorizedException();
    }
  }

  /**
   * The principal behind a bearer token — a session, a personal link (a seller), a display or an
   * API key, told apart by the token's prefix — or null when the token is unknown, expired or revoked. Also what the socket
   * handshake uses.
   */
  async resolve(token: string): Promise<Exclude<Principal, { kind: 'anonymous' }> | null> {
    // Longer than any token we issue: not worth hashing.
    if (token.length === 0 || token.length > 200) return null;
    const kind = tokenKind(token);
    // API keys are revoked without a cluster notice: they are always looked up.
    if (kind === 'apiKey') return this.apiKeys.resolve(token);
    const key = hashToken(token).toString('base64');
    const cached = this.cache.get(key);
    if (cached !== null) return cached;
    const ticket = this.cache.ticket();
    const principal = await this.lookup(kind, token);
    if (principal !== null) this.cache.store(key, principal, ticket);
    return principal;
  }

  private lookup(
    kind: Exclude<TokenKind, 'apiKey'>,
    token: string,
  ): Promise<Exclude<Principal, { kind: 'anonymous' }> | null> {
    switch (kind) {
      case 'session':
        return this.resolveSession(token);
      case 'personalLink':
        return this.personalLinks.resolve(token);
      case 'display':
        return this.displays.resolve(token);
    }
  }

  private async resolveSession(token: string): Promise<UserPrincipal | null> {
    const session = await this.sessions.findLive(hashToken(token));
    if (session === null) return null;
    return {
      kind: 'user',
      userId: session.userId,
      email: session.email,
      role: session.role,
      participantId: session.participantId,
      sessionId: session.sessionId,
      expiresAt: session.expiresAt,
    };
  }
}
