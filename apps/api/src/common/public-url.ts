import type { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '../config/config.js';

/**
 * The one place absolute URLs are built (webhook URLs, personal links, TV links): on
 * `PODIUM_PUBLIC_URL`, else on the address this process listens on. Never on the request's Host
 * or X-Forwarded-Host, which the caller writes: a link built from them could send a CRM's deals
 * or a seller's token to someone else's server. Provided by `ConfigModule`.
 */
export class PublicUrl {
  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** `https://podium.example.com` (no trailing slash). */
  base(): string {
    return this.config.publicUrl ?? this.listeningAddress();
  }

  /** The absolute URL of `path` (which starts with `/`). */
  of(path: string): string {
    return `${this.base()}${path}`;
  }

  private listeningAddress(): string {
    const server: unknown = this.adapterHost.httpAdapter?.getHttpServer();
    const address =
      server !== null && typeof server === 'object' && 'address' in server
        ? (server as { address(): unknown }).address()
        : null;
    if (address === null || typeof address !== 'object') {
      return `http://localhost:${this.config.port}`;
    }
    const { address: host, port } = address as { address: string; port: number };
    // Listening on every interface names none of them: localhost is what works on this machine.
    if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}`;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }
}
