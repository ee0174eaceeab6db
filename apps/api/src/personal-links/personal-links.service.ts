import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { notFound } from '../common/http-errors.js';
import type { Principal, UserPrincipal } from '../auth/principal.js';
import { DEMO_PERSONAL_LINK_TOKEN, generateToken, hashToken } from '../auth/tokens.js';
import { PublicUrl } from '../common/public-url.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import type {
  CreatedPersonalLinkView,
  OpenedPersonalLinkView,
  PersonalLinkStatusView,
} from './dto/personal-link.dto.js';
import { PersonalLinksRepository, type PersonalLinkRecord } from './personal-links.repository.js';

/** The phone opens a personal link here (the web app's route). */
export function personalLinkPath(token: string): string {
  return `/m/p/${encodeURIComponent(token)}`;
}

/**
 * A principal from a link is checked again on every request and handshake; this is only what
 * `GET /auth/me` reports as its horizon.
 */
const LINK_PRINCIPAL_TTL_MS = 12 * 60 * 60 * 1000;

const UNKNOWN_LINK = 'this personal link is unknown or was revoked';

/**
 * Personal links (DESIGN §7 Mobile): a participant's own phone view without a password. A link
 * belongs to a participant — whether or not a seller account exists for them — and its token
 * resolves to a seller principal focused on that participant, so every rule written for sellers
 * (read-only routes, only their own amounts and what it takes, others' values hidden) applies to
 * it unchanged. One live link per participant; creating again revokes the old one. The token is
 * shown once; only its SHA-256 is kept.
 */
@Injectable()
export class PersonalLinksService {
  private readonly logger = new Logger(PersonalLinksService.name);

  constructor(
    private readonly links: PersonalLinksRepository,
    private readonly cluster: ClusterService,
    private readonly publicUrl: PublicUrl,
  ) {}

  async status(participantId: string): Promise<PersonalLinkStatusView> {
    const link = await this.links.findByParticipant(participantId);
    if (link === null) {
      if (!(await this.exists(participantId))) throw notFound('participant');
      return { participantId, active: false, createdAt: null, lastUsedAt: null };
    }
    return {
      participantId,
      active: true,
      createdAt: link.createdAt.toISOString(),
      lastUsedAt: link.lastUsedAt?.toISOString() ?? null,
    };
  }

  /** A new link for the participant; the previous one, if any, stops working at once. */
  async create(participantId: string, creator: Principal): Promise<CreatedPersonalLinkView> {
    const token = generateToken('personalLink');
    const created = await this.links.transaction(async (manager) => {
      if (!(await this.links.lockParticipant(participantId, manager))) {
        throw notFound('participant');
      }
      await this.links.revokeForParticipant(participantId, manager);
      return this.links.insert(
        {
          participantId,
          tokenHash: hashToken(token),
          createdBy:
            creator.kind === 'user' ? (creator.personalLinkId ? null : creator.userId) : null,
        },
        manager,
      );
    });
    // The replaced link's open sockets close.
    this.cluster.principalsChanged({ kind: 'personalLink', participantId });
    return {
      participantId,
      token,
      path: personalLinkPath(token),
      url: this.publicUrl.of(personalLinkPath(token)),
      createdAt: created.createdAt.toISOString(),
    };
  }

  async revoke(participantId: string): Promise<void> {
    if (!(await this.links.revokeForParticipant(participantId))) throw notFound('personal link');
    this.cluster.principalsChanged({ kind: 'personalLink', participantId });
  }

  /** What the phone asks first: whose link this is (401 when unknown or revoked). */
  async open(token: string): Promise<OpenedPersonalLinkView> {
    const link = await this.links.findByTokenHash(hashToken(token));
    if (link === null) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: UNKNOWN_LINK,
      });
    }
    await this.links.touch(link.id);
    return { participantId: link.participantId, name: link.participantName };
  }

  /** The seller principal behind a link token, or null when unknown or revoked. */
  async resolve(token: string): Promise<UserPrincipal | null> {
    const link = await this.links.findByTokenHash(hashToken(token));
    return link === null ? null : toPrincipal(link);
  }

  /**
   * Demo mode: the participant's link has the well-known token `pdp_demo`, printed in the start
   * log next to the demo TV. Outside demo mode {@link revokeDemoLink} removes it.
   */
  async ensureDemoLink(participantId: string): Promise<void> {
    const tokenHash = hashToken(DEMO_PERSONAL_LINK_TOKEN);
    if ((await this.links.findByTokenHash(tokenHash)) !== null) return;
    await this.links.transaction(async (manager) => {
      if (!(await this.links.lockParticipant(participantId, manager))) return;
      await this.links.revokeForParticipant(participantId, manager);
      await this.links.deleteByTokenHash(tokenHash, manager);
      await this.links.insert({ participantId, tokenHash, createdBy: null }, manager);
    });
    this.cluster.principalsChanged({ kind: 'personalLink', participantId });
    this.logger.log(
      `demo personal link created: open ${personalLinkPath(DEMO_PERSONAL_LINK_TOKEN)}`,
    );
  }

  async revokeDemoLink(): Promise<void> {
    if (await this.links.revokeByTokenHash(hashToken(DEMO_PERSONAL_LINK_TOKEN))) {
      this.logger.warn('demo mode is off: the demo personal link was revoked');
      this.cluster.principalsChanged({ kind: 'personalLink', participantId: null });
    }
  }

  private exists(participantId: string): Promise<boolean> {
    return this.links.participantExists(participantId);
  }
}

function toPrincipal(link: PersonalLinkRecord): UserPrincipal {
  return {
    kind: 'user',
    // No account stands behind a link: the link is the identity (rate limits, `me`).
    userId: `personal-link:${link.id}`,
    email: '',
    role: 'seller',
    participantId: link.participantId,
    sessionId: link.id,
    expiresAt: new Date(Date.now() + LINK_PRINCIPAL_TTL_MS),
    personalLinkId: link.id,
  };
}
