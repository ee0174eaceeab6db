import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './config.js';

const paths = { cwd: '/srv/podium', webDir: '/srv/podium/apps/web/dist' };

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env, paths);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe(loadConfig.name, () => {
  it('defaults to port 3000, the embedded database in ./data and demo mode', () => {
    const sut = loadConfig({}, paths);
    expect(sut).toMatchObject({
      port: 3000,
      databaseUrl: null,
      redisUrl: null,
      dataDir: '/srv/podium/data',
      demo: true,
      logLevel: 'info',
      webDir: '/srv/podium/apps/web/dist',
    });
  });

  it('turns demo mode off by default when DATABASE_URL is set, and resolves the data dir', () => {
    const sut = loadConfig(
      {
        DATABASE_URL: 'postgres://u:p@db:5432/podium',
        PODIUM_DATA_DIR: 'var/podium',
        PORT: '8080',
      },
      paths,
    );
    expect(sut).toMatchObject({
      port: 8080,
      databaseUrl: 'postgres://u:p@db:5432/podium',
      demo: false,
      dataDir: '/srv/podium/var/podium',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'whole number'],
    [{ PORT: '70000' }, 'PORT', '65535'],
    [{ PORT: '-1' }, 'PORT', 'whole number'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL', 'URL'],
    [{ DATABASE_URL: 'mysql://root@db/podium' }, 'DATABASE_URL', 'postgres:'],
    [{ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL', 'redis:'],
    [{ PODIUM_DEMO: 'maybe' }, 'PODIUM_DEMO', 'true or false'],
    [{ PODIUM_SECRET_KEY: 'not-a-key' }, 'PODIUM_SECRET_KEY', '32 random bytes'],
    [
      { PODIUM_ADMIN_EMAIL: 'admin', PODIUM_ADMIN_PASSWORD: 'long enough' },
      'PODIUM_ADMIN_EMAIL',
      'e-mail',
    ],
    [
      { PODIUM_ADMIN_EMAIL: 'a@b.co', PODIUM_ADMIN_PASSWORD: 'short' },
      'PODIUM_ADMIN_PASSWORD',
      '8 characters',
    ],
    [
      { PODIUM_ADMIN_EMAIL: 'a@b.co', PODIUM_ADMIN_PASSWORD: '          ' },
      'PODIUM_ADMIN_PASSWORD',
      'whitespace',
    ],
    [
      { PODIUM_ADMIN_EMAIL: 'a@b.co', PODIUM_ADMIN_PASSWORD: 'password123' },
      'PODIUM_ADMIN_PASSWORD',
      'most common passwords',
    ],
    [{ PODIUM_ADMIN_EMAIL: 'a@b.co' }, 'PODIUM_ADMIN_PASSWORD', 'together'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'one of'],
    [{ PODIUM_CORS_ORIGINS: 'crm.example.com' }, 'PODIUM_CORS_ORIGINS', 'comma-separated URLs'],
    [{ PODIUM_CORS_ORIGINS: 'ftp://crm.example.com' }, 'PODIUM_CORS_ORIGINS', 'http: or https:'],
    [
      { PODIUM_CORS_ORIGINS: 'https://a.example.com,https://b.example.com/app' },
      'PODIUM_CORS_ORIGINS',
      'origins only',
    ],
    [{ PODIUM_TRUSTED_PROXIES: '127.0.0.1,nginx' }, 'PODIUM_TRUSTED_PROXIES', 'addresses or CIDRs'],
    [{ PODIUM_TRUSTED_PROXIES: '10.0.0.0/33' }, 'PODIUM_TRUSTED_PROXIES', 'addresses or CIDRs'],
    [{ PODIUM_PUBLIC_URL: 'podium.example.com' }, 'PODIUM_PUBLIC_URL', 'absolute URL'],
    [{ PODIUM_PUBLIC_URL: 'ftp://podium.example.com' }, 'PODIUM_PUBLIC_URL', 'http: or https:'],
    [{ PODIUM_PUBLIC_URL: 'https://podium.example.com/?a=1' }, 'PODIUM_PUBLIC_URL', 'no query'],
    [{ PODIUM_ALLOW_PRIVATE_CRM: 'perhaps' }, 'PODIUM_ALLOW_PRIVATE_CRM', 'true or false'],
    [
      { PODIUM_FORECAST_INTERVAL_SECONDS: '0' },
      'PODIUM_FORECAST_INTERVAL_SECONDS',
      'whole number from 1',
    ],
    [{ PODIUM_FORECAST_WORKERS: '1.5' }, 'PODIUM_FORECAST_WORKERS', 'whole number from 1 to 64'],
    [{ PODIUM_FORECAST_ALERT_MARGIN: 'high' }, 'PODIUM_FORECAST_ALERT_MARGIN', 'from 0 to 1'],
    [{ SMTP_URL: 'http://mail:25', PODIUM_MAIL_FROM: 'a@b.co' }, 'SMTP_URL', 'smtp:'],
    [{ SMTP_URL: 'smtp://mail:25' }, 'PODIUM_MAIL_FROM', 'together'],
    [{ PODIUM_MAIL_FROM: 'a@b.co' }, 'SMTP_URL', 'together'],
    [{ SMTP_URL: 'smtp://mail:25', PODIUM_MAIL_FROM: 'Podium' }, 'PODIUM_MAIL_FROM', 'e-mail'],
  ])('rejects %j naming %s', (env, variable, rule) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(variable);
    expect(error.message).toContain(rule);
  });

  it('never echoes a database URL that may hold a password', () => {
    const error = errorOf({ DATABASE_URL: 'postgres//user:s3cret@db' });
    expect(error.message).not.toContain('s3cret');
    expect(errorOf({ PODIUM_SECRET_KEY: 'my-s3cret-key' }).message).not.toContain('s3cret');
  });

  it('sends no e-mail without SMTP_URL, and never echoes its password', () => {
    expect(loadConfig({}, paths).mail).toBeNull();
    expect(
      loadConfig(
        { SMTP_URL: 'smtp://u:p@mail:587', PODIUM_MAIL_FROM: 'Podium <podium@example.com>' },
        paths,
      ).mail,
    ).toEqual({ smtpUrl: 'smtp://u:p@mail:587', from: 'Podium <podium@example.com>' });
    const error = errorOf({ SMTP_URL: 'smtp//user:s3cret@mail', PODIUM_MAIL_FROM: 'a@b.co' });
    expect(error.variable).toBe('SMTP_URL');
    expect(error.message).not.toContain('s3cret');
  });

  it('allows no cross-origin caller unless PODIUM_CORS_ORIGINS lists them', () => {
    expect(loadConfig({}, paths).corsOrigins).toEqual([]);
    expect(
      loadConfig(
        { PODIUM_CORS_ORIGINS: ' https://crm.example.com, http://localhost:5173/ ,' },
        paths,
      ).corsOrigins,
    ).toEqual(['https://crm.example.com', 'http://localhost:5173']);
  });

  it('trusts no proxy, builds URLs on the listening address and refuses private CRMs by default', () => {
    expect(loadConfig({}, paths)).toMatchObject({
      trustedProxies: [],
      publicUrl: null,
      allowPrivateCrm: false,
    });
  });

  it('reads the trusted proxies, the public URL (without trailing slash) and the CRM switch', () => {
    const sut = loadConfig(
      {
        PODIUM_TRUSTED_PROXIES: ' 127.0.0.1, 10.0.0.0/8 ,::1,fd00::/8',
        PODIUM_PUBLIC_URL: 'https://podium.example.com/board/',
        PODIUM_ALLOW_PRIVATE_CRM: 'true',
      },
      paths,
    );
    expect(sut).toMatchObject({
      trustedProxies: ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'],
      publicUrl: 'https://podium.example.com/board',
      allowPrivateCrm: true,
    });
  });

  it('computes a forecast at most once a minute on one worker and warns 0.15 below the approved', () => {
    expect(loadConfig({}, paths)).toMatchObject({
      forecastIntervalSeconds: 60,
      forecastWorkers: 1,
      forecastAlertMargin: 0.15,
    });
    expect(
      loadConfig(
        {
          PODIUM_FORECAST_INTERVAL_SECONDS: '5',
          PODIUM_FORECAST_WORKERS: '2',
          PODIUM_FORECAST_ALERT_MARGIN: '0.1',
        },
        paths,
      ),
    ).toMatchObject({ forecastIntervalSeconds: 5, forecastWorkers: 2, forecastAlertMargin: 0.1 });
  });

  it('accepts the usual spellings of booleans', () => {
    expect(loadConfig({ PODIUM_DEMO: 'off' }, paths).demo).toBe(false);
    expect(loadConfig({ PODIUM_DEMO: 'YES', DATABASE_URL: 'postgresql://db/x' }, paths).demo).toBe(
      true,
    );
  });

  describe('notifications', () => {
    const TOKEN = '123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0';

    it('has no bot without TELEGRAM_BOT_TOKEN, and the defaults of quiet hours and the digest', () => {
      const sut = loadConfig({}, paths);
      expect(sut.telegram).toBeNull();
      expect(sut.notifications).toEqual({
        timeZone: 'Europe/Moscow',
        quietHours: { start: 21 * 60, end: 9 * 60 },
        digestAt: 9 * 60 + 30,
        groupDealMinor: 10_000_000,
      });
    });

    it('reads the bot, its API root, quiet hours, the digest time and the time zone', () => {
      const sut = loadConfig(
        {
          TELEGRAM_BOT_TOKEN: TOKEN,
          TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
          PODIUM_TIME_ZONE: 'Asia/Yekaterinburg',
          PODIUM_QUIET_HOURS: '22:30-08:00',
          PODIUM_DIGEST_TIME: 'off',
          TELEGRAM_GROUP_DEAL_MINOR: '5000000',
        },
        paths,
      );
      expect(sut.telegram).toEqual({
        token: TOKEN,
        apiRoot: 'http://127.0.0.1:8081',
        webhook: false,
      });
      expect(sut.notifications).toEqual({
        timeZone: 'Asia/Yekaterinburg',
        quietHours: { start: 22 * 60 + 30, end: 8 * 60 },
        digestAt: null,
        groupDealMinor: 5_000_000,
      });
    });

    it('names the variable of a bad value, never echoing the token', () => {
      const token = errorOf({ TELEGRAM_BOT_TOKEN: 'not a token with secret-part' });
      expect(token.variable).toBe('TELEGRAM_BOT_TOKEN');
      expect(token.message).not.toContain('secret-part');
      expect(errorOf({ TELEGRAM_API_ROOT: 'ftp://x' }).variable).toBe('TELEGRAM_API_ROOT');
      expect(errorOf({ PODIUM_TIME_ZONE: 'Mars/Olympus' }).variable).toBe('PODIUM_TIME_ZONE');
      expect(errorOf({ PODIUM_QUIET_HOURS: '21-9' }).variable).toBe('PODIUM_QUIET_HOURS');
      expect(errorOf({ PODIUM_DIGEST_TIME: '25:00' }).variable).toBe('PODIUM_DIGEST_TIME');
      expect(errorOf({ TELEGRAM_GROUP_DEAL_MINOR: '1.5' }).variable).toBe(
        'TELEGRAM_GROUP_DEAL_MINOR',
      );
    });

    it('takes a webhook only with an https PODIUM_PUBLIC_URL', () => {
      const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK: 'true' };
      expect(errorOf({ ...env, PODIUM_PUBLIC_URL: 'http://podium.local' }).variable).toBe(
        'TELEGRAM_WEBHOOK',
      );
      expect(
        loadConfig({ ...env, PODIUM_PUBLIC_URL: 'https://podium.example.com' }, paths).telegram
          ?.webhook,
      ).toBe(true);
    });
  });
});
