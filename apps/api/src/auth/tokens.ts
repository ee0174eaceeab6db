import { createHash, randomBytes } from 'node:crypto';

/**
 * Every secret Podium hands out starts with a prefix naming its kind, so the guard knows where to
 * look it up and a leaked string is recognisable (in logs, in a secret scanner) for what it is.
 */
export const TOKEN_PREFIX = {
  session: 'pds_',
  display: 'pdd_',
  apiKey: 'pdk_',
  personalLink: 'pdp_',
} as const;

export type TokenKind = keyof typeof TOKEN_PREFIX;

/** The demo TV's token, literally `demo` (DESIGN §10: `/tv/demo`); it only exists in demo mode. */
export const DEMO_DISPLAY_TOKEN = 'demo';

/** The demo seller's personal link token (`/m/p/pdp_demo`); it only exists in demo mode. */
export const DEMO_PERSONAL_LINK_TOKEN = 'pdp_demo';

/** A fresh secret of the given kind: the prefix and 256 random bits in base64url. */
export function generateToken(kind: TokenKind): string {
  return TOKEN_PREFIX[kind] + randomBytes(32).toString('base64url');
}

/**
 * What is stored instead of a token. The tokens are 256 random bits, so a plain SHA-256 is enough
 * (no salt or slow KDF needed: there is nothing to guess), and a lookup by hash is one index probe.
 */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** The kind a presented token claims by its prefix; anything else may only be a display token. */
export function tokenKind(token: string): TokenKind {
  if (token.startsWith(TOKEN_PREFIX.session)) return 'session';
  if (token.startsWith(TOKEN_PREFIX.apiKey)) return 'apiKey';
  if (token.startsWith(TOKEN_PREFIX.personalLink)) return 'personalLink';
  return 'display';
}
