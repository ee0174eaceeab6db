// Types only: the typed client itself reads the session, so this module does not import it.
import type { components } from '../api/schema.js';

/** What a sign-in answers, kept in local storage: the token and who it signs in. */
type Stored = components['schemas']['Login'];
export type SessionUser = Stored['user'];
export type Role = SessionUser['role'];

const KEY = 'podium.session';

function load(): Stored | null {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Stored | null;
    return stored && Date.parse(stored.expiresAt) > Date.now() ? stored : null;
  } catch {
    return null;
  }
}

/** The signed-in user and their bearer token, kept across reloads until it expires. */
class Session {
  #stored = $state<Stored | null>(load());

  get token(): string | null {
    return this.#stored?.token ?? null;
  }

  get user(): SessionUser | null {
    return this.#stored?.user ?? null;
  }

  /** Signs in; throws an `ApiError` with the server's message when refused. */
  async login(email: string, password: string): Promise<SessionUser> {
    const response = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    const body = (await response.json()) as Stored & { message?: string };
    if (!response.ok) throw new Error(body.message ?? `sign-in failed (${response.status})`);
    this.#stored = { token: body.token, expiresAt: body.expiresAt, user: body.user };
    localStorage.setItem(KEY, JSON.stringify(this.#stored));
    return body.user;
  }

  async logout(): Promise<void> {
    const token = this.token;
    this.#stored = null;
    localStorage.removeItem(KEY);
    if (token) {
      await fetch('/api/auth/logout', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      }).catch(() => undefined);
    }
  }

  /** Forgets a token the server no longer accepts. */
  expire(): void {
    this.#stored = null;
    localStorage.removeItem(KEY);
  }
}

export const session = new Session();
