import { createHmac, timingSafeEqual } from 'node:crypto';
import { MAIL_KINDS, type MailKind, type MailLanguage } from './mail.templates.js';

/** What an unsubscribe link says: this address wants no more mail of this kind. */
export interface UnsubscribeClaim {
  readonly email: string;
  readonly kind: MailKind;
  /** The language of the mail it came in, for the page that answers it. */
  readonly language: MailLanguage;
}

/** 128 bits of HMAC-SHA256: enough against forging, short enough for a link. */
const SIGNATURE_BYTES = 16;

/**
 * `<payload>.<signature>`, both base64url: the payload is the claim as JSON, the signature an
 * HMAC of it with a key of its own (derived from `PODIUM_SECRET_KEY`). Signed rather than stored:
 * every message carries a link without a row per message, and nobody can switch off someone
 * else's mail by writing their address into a link. The link does not expire: mail is read late.
 */
export function signUnsubscribe(key: Buffer, claim: UnsubscribeClaim): string {
  const payload = Buffer.from(
    JSON.stringify({ e: claim.email, k: claim.kind, l: claim.language }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${signature(key, payload)}`;
}

/** The claim of a genuine token; null for anything else (changed, truncated, foreign). */
export function verifyUnsubscribe(key: Buffer, token: string): UnsubscribeClaim | null {
  const [payload, given, extra] = token.split('.');
  if (payload === undefined || given === undefined || extra !== undefined) return null;
  const expected = Buffer.from(signature(key, payload), 'base64url');
  const presented = Buffer.from(given, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const { e, k, l } = (parsed ?? {}) as { e?: unknown; k?: unknown; l?: unknown };
  if (typeof e !== 'string' || !(MAIL_KINDS as readonly unknown[]).includes(k)) return null;
  return { email: e, kind: k as MailKind, language: l === 'en' ? 'en' : 'ru' };
}

function signature(key: Buffer, payload: string): string {
  return createHmac('sha256', key)
    .update(payload)
    .digest()
    .subarray(0, SIGNATURE_BYTES)
    .toString('base64url');
}
