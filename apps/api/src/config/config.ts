import path from 'node:path';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { passwordProblem } from '../auth/password-policy.js';
import { parseSecretKey } from '../common/secret-box.js';

/** Thrown for a bad environment variable; `main` prints its message alone and exits with code 2. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    rule: string,
  ) {
    super(`${variable}: ${rule}`);
    this.name = 'ConfigError';
  }
}

export interface AppConfig {
  readonly port: number;
  readonly host: string;
  /** Null when the API starts its own embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  readonly redisUrl: string | null;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Directory of the built web app; null when it is not served (tests). */
  readonly webDir: string | null;
  /**
   * Origins (`https://crm.example.com`) allowed to call the API from a browser on another origin;
   * empty or absent: same origin only. Optional so configs built by hand (tests) need not say it.
   */
  readonly corsOrigins?: readonly string[];
  /**
   * Addresses and CIDRs of the reverse proxies whose `X-Forwarded-For` and `X-Forwarded-Proto`
   * are believed; empty or absent: none, the client address is the socket's.
   */
  readonly trustedProxies?: readonly string[];
  /**
   * Where users reach Podium (`https://podium.example.com`, no trailing slash): the base of every
   * absolute URL it hands out. Null or absent: the address it listens on.
   */
  readonly publicUrl?: string | null;
  /** Lets a Bitrix24 portal URL name a loopback, link-local or private address. */
  readonly allowPrivateCrm?: boolean;
  /**
   * Runs the CRM pull syncs on their schedule (absent: yes). Tests that look at webhooks alone
   * turn it off, so that no scheduled read of the fake portal runs in the middle of what they check.
   */
  readonly crmSyncSchedule?: boolean;
  /**
   * `PODIUM_SECRET_KEY`: the key that encrypts stored CRM credentials (common/secret-box.ts).
   * Null or absent: a key file in `dataDir`, created at the first need.
   */
  readonly secretKey?: string | null;
  /**
   * `PODIUM_FORECAST_INTERVAL_SECONDS`: while events arrive, a live contest's forecast is computed
   * at most once per this many seconds (absent: 60).
   */
  readonly forecastIntervalSeconds?: number;
  /** `PODIUM_FORECAST_WORKERS`: worker threads of the forecast pool (absent: 1). */
  readonly forecastWorkers?: number;
  /**
   * `PODIUM_FORECAST_ALERT_MARGIN`: staff are warned when the forecast's chance that every prize
   * is funded is below the approved simulation's by more than this (absent: 0.15).
   */
  readonly forecastAlertMargin?: number;
  /**
   * `SMTP_URL` and `PODIUM_MAIL_FROM`: where e-mail is sent and who sends it. Null or absent:
   * no e-mail is sent (the other channels work alone).
   */
  readonly mail?: MailConfig | null;
  /** The Telegram bot (`TELEGRAM_BOT_TOKEN` turns it on); null or absent: no bot. */
  readonly telegram?: TelegramConfig | null;
  /** When and how notifications go out; absent: the defaults of {@link notificationDefaults}. */
  readonly notifications?: NotificationsConfig;
}

export interface MailConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465`; holds credentials, never logged. */
  readonly smtpUrl: string;
  /** The From address of every message: `Podium <podium@example.com>` or a bare address. */
  readonly from: string;
}

export interface TelegramConfig {
  /** The bot's token from @BotFather. Never logged. */
  readonly token: string;
  /** `TELEGRAM_API_ROOT`: the Bot API server, `https://api.telegram.org` unless a stand-in. */
  readonly apiRoot: string;
  /** `TELEGRAM_WEBHOOK=true` with an https `PODIUM_PUBLIC_URL`: updates come by webhook. */
  readonly webhook: boolean;
}

export interface NotificationsConfig {
  /** `PODIUM_TIME_ZONE`: the company's IANA time zone (quiet hours, the daily digest). */
  readonly timeZone: string;
  /** `PODIUM_QUIET_HOURS` `21:00-09:00`: minutes after local midnight; equal: no quiet hours. */
  readonly quietHours: { readonly start: number; readonly end: number };
  /** `PODIUM_DIGEST_TIME` `09:30`: minutes after local midnight; null (`off`): no digest. */
  readonly digestAt: number | null;
  /** `TELEGRAM_GROUP_DEAL_MINOR`: a sale of at least this amount is told to group chats. */
  readonly groupDealMinor: number;
}

export function notificationDefaults(): NotificationsConfig {
  return {
    timeZone: 'Europe/Moscow',
    quietHours: { start: 21 * 60, end: 9 * 60 },
    digestAt: 9 * 60 + 30,
    groupDealMinor: 10_000_000,
  };
}

/** Defaults of the forecast settings {@link AppConfig} may leave out. */
export const FORECAST_DEFAULTS = {
  intervalSeconds: 60,
  workers: 1,
  alertMargin: 0.15,
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const booleans: Record<string, boolean> = {
  '1': true,
  true: true,
  yes: true,
  on: true,
  '0': false,
  false: false,
  no: false,
  off: false,
};

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parsePort(env: Env, name: string, fallback: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `must be a whole number from 0 to 65535, got "${raw}"`);
  }
  return Number(raw);
}

function parseUrl(
  env: Env,
  name: string,
  protocols: readonly string[],
  example = `${protocols[0]}//user@host:port/database`,
): string | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The value may hold a password: never echo it.
    throw new ConfigError(name, `must be a URL like ${example}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must start with ${protocols.join(' or ')}, got "${url.protocol}"`);
  }
  if (url.hostname === '') throw new ConfigError(name, 'must name a host');
  return raw;
}

function parseBoolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = booleans[raw.toLowerCase()];
  if (value === undefined) throw new ConfigError(name, `must be true or false, got "${raw}"`);
  return value;
}

/** A comma-separated list of origins: scheme, host and optional port, nothing else. */
function parseOrigins(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [];
  const origins = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return origins.map((item) => {
    let url: URL;
    try {
      url = new URL(item);
    } catch {
      throw new ConfigError(
        name,
        `must be comma-separated URLs like https://crm.example.com, got "${item}"`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(name, `must list http: or https: origins, got "${item}"`);
    }
    // Never echo credentials someone pasted into a URL.
    if (url.username !== '' || url.password !== '') {
      throw new ConfigError(name, 'must list origins only, without user or password');
    }
    if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
      throw new ConfigError(name, `must list origins only (scheme://host[:port]), got "${item}"`);
    }
    return url.origin;
  });
}

/** A comma-separated list of IPv4/IPv6 addresses and CIDR ranges (`127.0.0.1,10.0.0.0/8`). */
function parseAddresses(env: Env, name: string): string[] {
  const raw = read(env, name);
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      if (ipaddr.isValid(item) || ipaddr.isValidCIDR(item)) return item;
      throw new ConfigError(
        name,
        `must be comma-separated addresses or CIDRs like 127.0.0.1,10.0.0.0/8, got "${item}"`,
      );
    });
}

/** An absolute http(s) URL with no query or fragment; answered without its trailing slash. */
function parsePublicUrl(env: Env, name: string): string | null {
  const raw = read(env, name);
  if (raw === undefined) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `must be an absolute URL like https://podium.example.com, got "${raw}"`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must start with http: or https:, got "${url.protocol}"`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(name, 'must not hold a user or password');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigError(name, `must have no query or fragment, got "${raw}"`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** A number within [min, max] (`integer`: whole), else the fallback when unset. */
function parseNumber(
  env: Env,
  name: string,
  { fallback, min, max, integer }: { fallback: number; min: number; max: number; integer: boolean },
): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  )
    throw new ConfigError(
      name,
      `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got "${raw}"`,
    );
  return value;
}

/**
 * `SMTP_URL` and `PODIUM_MAIL_FROM` turn e-mail on together. The URL holds a password: no
 * message here ever repeats it.
 */
function parseMail(env: Env): MailConfig | null {
  const smtpUrl = parseUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'], 'smtp://user:pass@host:587');
  const from = read(env, 'PODIUM_MAIL_FROM') ?? null;
  if ((smtpUrl === null) !== (from === null)) {
    throw new ConfigError(
      smtpUrl === null ? 'SMTP_URL' : 'PODIUM_MAIL_FROM',
      'SMTP_URL and PODIUM_MAIL_FROM must be set together',
    );
  }
  if (smtpUrl === null || from === null) return null;
  // `Name <address>` or a bare address.
  const address = /<([^<>]+)>\s*$/.exec(from)?.[1] ?? from;
  if (!z.email().safeParse(address.trim()).success) {
    throw new ConfigError(
      'PODIUM_MAIL_FROM',
      `must be an e-mail address or "Name <address>", got "${from}"`,
    );
  }
  return { smtpUrl, from };
}

/** `HH:MM` as minutes after midnight. */
function parseClock(name: string, raw: string): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(raw);
  if (match === null) throw new ConfigError(name, `must be a time like 09:30, got "${raw}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function parseTelegram(env: Env, publicUrl: string | null): TelegramConfig | null {
  const token = read(env, 'TELEGRAM_BOT_TOKEN');
  const rawRoot = read(env, 'TELEGRAM_API_ROOT');
  const webhook = parseBoolean(env, 'TELEGRAM_WEBHOOK', false);
  let apiRoot = 'https://api.telegram.org';
  if (rawRoot !== undefined) {
    let url: URL;
    try {
      url = new URL(rawRoot);
    } catch {
      throw new ConfigError(
        'TELEGRAM_API_ROOT',
        `must be a URL like https://api.telegram.org, got "${rawRoot}"`,
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(
        'TELEGRAM_API_ROOT',
        `must start with http: or https:, got "${url.protocol}"`,
      );
    }
    apiRoot = rawRoot.replace(/\/+$/, '');
  }
  if (token === undefined) return null;
  // Never echoed: the value is the bot's credential.
  if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
    throw new ConfigError(
      'TELEGRAM_BOT_TOKEN',
      'must be the token @BotFather gave, like 123456789:AAH…',
    );
  }
  if (webhook && (publicUrl === null || !publicUrl.startsWith('https://'))) {
    throw new ConfigError(
      'TELEGRAM_WEBHOOK',
      'needs PODIUM_PUBLIC_URL to be an https:// address Telegram can reach',
    );
  }
  return { token, apiRoot, webhook };
}

function parseNotifications(env: Env): NotificationsConfig {
  const defaults = notificationDefaults();
  const timeZone = read(env, 'PODIUM_TIME_ZONE') ?? defaults.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new ConfigError(
      'PODIUM_TIME_ZONE',
      `must be an IANA time zone like Europe/Moscow, got "${timeZone}"`,
    );
  }
  const rawQuiet = read(env, 'PODIUM_QUIET_HOURS');
  let quietHours = defaults.quietHours;
  if (rawQuiet !== undefined) {
    if (rawQuiet.toLowerCase() === 'off') quietHours = { start: 0, end: 0 };
    else {
      const [from, to, ...rest] = rawQuiet.split('-');
      if (from === undefined || to === undefined || rest.length > 0) {
        throw new ConfigError(
          'PODIUM_QUIET_HOURS',
          `must be like 21:00-09:00 or off, got "${rawQuiet}"`,
        );
      }
      quietHours = {
        start: parseClock('PODIUM_QUIET_HOURS', from.trim()),
        end: parseClock('PODIUM_QUIET_HOURS', to.trim()),
      };
    }
  }
  const rawDigest = read(env, 'PODIUM_DIGEST_TIME');
  const digestAt =
    rawDigest === undefined
      ? defaults.digestAt
      : rawDigest.toLowerCase() === 'off'
        ? null
        : parseClock('PODIUM_DIGEST_TIME', rawDigest);
  const rawDeal = read(env, 'TELEGRAM_GROUP_DEAL_MINOR');
  if (rawDeal !== undefined && !/^\d{1,15}$/.test(rawDeal)) {
    throw new ConfigError(
      'TELEGRAM_GROUP_DEAL_MINOR',
      `must be a whole number of minor units, got "${rawDeal}"`,
    );
  }
  return {
    timeZone,
    quietHours,
    digestAt,
    groupDealMinor: rawDeal === undefined ? defaults.groupDealMinor : Number(rawDeal),
  };
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the environment once, at start. Every problem names its variable so an
 * operator can fix it without reading code.
 */
export function loadConfig(
  env: Env,
  { cwd, webDir }: { cwd: string; webDir: string | null },
): AppConfig {
  const port = parsePort(env, 'PORT', 3000);
  const host = read(env, 'HOST') ?? '0.0.0.0';
  const databaseUrl = parseUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const redisUrl = parseUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const dataDir = path.resolve(cwd, read(env, 'PODIUM_DATA_DIR') ?? 'data');
  const demo = parseBoolean(env, 'PODIUM_DEMO', databaseUrl === null);

  const adminEmail = read(env, 'PODIUM_ADMIN_EMAIL') ?? null;
  if (adminEmail !== null && !z.email().safeParse(adminEmail).success) {
    throw new ConfigError('PODIUM_ADMIN_EMAIL', `must be an e-mail address, got "${adminEmail}"`);
  }
  const adminPassword = read(env, 'PODIUM_ADMIN_PASSWORD') ?? null;
  // A value of only spaces reads as unset; it is still named as the password it tried to be.
  const setPassword = adminPassword ?? (env['PODIUM_ADMIN_PASSWORD'] || null);
  const passwordRule = setPassword === null ? null : passwordProblem(setPassword);
  if (passwordRule !== null) throw new ConfigError('PODIUM_ADMIN_PASSWORD', passwordRule.message);
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(
      adminEmail === null ? 'PODIUM_ADMIN_EMAIL' : 'PODIUM_ADMIN_PASSWORD',
      'PODIUM_ADMIN_EMAIL and PODIUM_ADMIN_PASSWORD must be set together',
    );
  }

  const logLevel = (read(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(logLevels as readonly string[]).includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${logLevels.join(', ')}, got "${logLevel}"`);
  }

  const corsOrigins = parseOrigins(env, 'PODIUM_CORS_ORIGINS');
  const trustedProxies = parseAddresses(env, 'PODIUM_TRUSTED_PROXIES');
  const publicUrl = parsePublicUrl(env, 'PODIUM_PUBLIC_URL');
  const allowPrivateCrm = parseBoolean(env, 'PODIUM_ALLOW_PRIVATE_CRM', false);
  const secretKey = read(env, 'PODIUM_SECRET_KEY') ?? null;
  // Never echoed: the value is the key.
  if (secretKey !== null && parseSecretKey(secretKey) === null) {
    throw new ConfigError(
      'PODIUM_SECRET_KEY',
      'must be 32 random bytes as 64 hex digits (e.g. the output of `openssl rand -hex 32`) or base64',
    );
  }

  const forecastIntervalSeconds = parseNumber(env, 'PODIUM_FORECAST_INTERVAL_SECONDS', {
    fallback: FORECAST_DEFAULTS.intervalSeconds,
    min: 1,
    max: 86_400,
    integer: true,
  });
  const forecastWorkers = parseNumber(env, 'PODIUM_FORECAST_WORKERS', {
    fallback: FORECAST_DEFAULTS.workers,
    min: 1,
    max: 64,
    integer: true,
  });
  const forecastAlertMargin = parseNumber(env, 'PODIUM_FORECAST_ALERT_MARGIN', {
    fallback: FORECAST_DEFAULTS.alertMargin,
    min: 0,
    max: 1,
    integer: false,
  });
  const mail = parseMail(env);
  const telegram = parseTelegram(env, publicUrl);
  const notifications = parseNotifications(env);

  return {
    port,
    host,
    databaseUrl,
    redisUrl,
    dataDir,
    demo,
    adminEmail,
    adminPassword,
    logLevel: logLevel as AppConfig['logLevel'],
    webDir,
    corsOrigins,
    trustedProxies,
    publicUrl,
    allowPrivateCrm,
    secretKey,
    forecastIntervalSeconds,
    forecastWorkers,
    forecastAlertMargin,
    mail,
    telegram,
    notifications,
  };
}
