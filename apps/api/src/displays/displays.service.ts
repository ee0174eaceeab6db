import { Injectable, Logger } from '@nestjs/common';
import { DISPLAY_DEFAULTS } from '@podium/contest-model';
import type { EntityManager } from 'typeorm';
import { fieldError, isUuid, notFound } from '../common/http-errors.js';
import { isForeignKeyViolation } from '../database/sql.js';
import { actorOf } from '../auth/actor.js';
import type { DisplayPrincipal, Principal } from '../auth/principal.js';
import { DEMO_DISPLAY_TOKEN, generateToken, hashToken } from '../auth/tokens.js';
import { PublicUrl } from '../common/public-url.js';
import { ClusterService } from '../database/cluster/cluster.service.js';
import type {
  CreateDisplayDto,
  CreatedDisplayView,
  DisplayView,
  SetDisplayContestsDto,
  UpdateDisplayDto,
} from './dto/display.dto.js';
import { DisplaysRepository, type DisplayRecord } from './displays.repository.js';

/** What creating a display takes: the settings left out are the defaults. */
type NewDisplay = Pick<CreateDisplayDto, 'name' | 'contestIds'> & Partial<CreateDisplayDto>;

function toView(display: DisplayRecord): DisplayView {
  return {
    id: display.id,
    name: display.name,
    contestIds: display.contestIds,
    createdAt: display.createdAt.toISOString(),
    ...display.settings,
  };
}

/** A contest id that names no contest is the caller's mistake, not a 500. */
function translateWriteError(error: unknown): never {
  if (isForeignKeyViolation(error)) {
    throw fieldError('contestIds', 'every id must name an existing contest', 'unknownContest');
  }
  throw error;
}

/** The TV opens a display token here (the web app's route). */
export function displayPath(token: string): string {
  return `/tv/${encodeURIComponent(token)}`;
}

/** The name the demo TV shows in the admin list. */
const DEMO_DISPLAY_NAME = 'Demo TV';
/** The demo TV shows a new display's slides and, after the prizes, the contenders' chances. */
const DEMO_DISPLAY_SETTINGS = {
  ...DISPLAY_DEFAULTS,
  slides: ['leaderboard', 'prizes', 'contenders', 'deals'],
} as const;

/**
 * Display tokens: read-only principals for TVs, scoped to the contests assigned to them. The
 * token is shown once, at creation; only its SHA-256 is kept.
 */
@Injectable()
export class DisplaysService {
  private readonly logger = new Logger(DisplaysService.name);

  constructor(
    private readonly displays: DisplaysRepository,
    private readonly cluster: ClusterService,
    private readonly publicUrl: PublicUrl,
  ) {}

  async list(): Promise<DisplayView[]> {
    return (await this.displays.list()).map(toView);
  }

  /** A new display; settings left out are those of {@link DISPLAY_DEFAULTS}. */
  async create(dto: NewDisplay, creator: Principal): Promise<CreatedDisplayView> {
    const token = generateToken('display');
    try {
      const display = await this.displays.transaction(async (manager) => {
        const id = await this.displays.insert(
          {
            name: dto.name,
            tokenHash: hashToken(token),
            createdBy: creator.kind === 'user' ? creator.userId : null,
            settings: {
              language: dto.language ?? DISPLAY_DEFAULTS.language,
              slides: dto.slides ?? DISPLAY_DEFAULTS.slides,
              slideSeconds: dto.slideSeconds ?? DISPLAY_DEFAULTS.slideSeconds,
              sound: dto.sound ?? DISPLAY_DEFAULTS.sound,
            },
          },
          manager,
        );
        await this.displays.replaceContests(id, dto.contestIds, manager);
        return this.mustFind(id, manager);
      });
      this.logger.log(`display "${display.name}" (${display.id}) created by ${actorOf(creator)}`);
      return { ...toView(display), token, url: this.publicUrl.of(displayPath(token)) };
    } catch (error) {
      translateWriteError(error);
    }
  }

  /**
   * Changes the display's name or how it shows its contests; an open TV hears of it at once
   * (its sockets are re-resolved and told to read their settings again).
   */
  async update(id: string, dto: UpdateDisplayDto): Promise<DisplayView> {
    if (!isUuid(id)) throw notFound('display');
    const display = await this.displays.transaction(async (manager) => {
      if (!(await this.displays.lock(id, manager))) throw notFound('display');
      await this.displays.update(id, dto, manager);
      return this.mustFind(id, manager);
    });
    this.cluster.principalsChanged({ kind: 'display', id });
    return toView(display);
  }

  /**
   * A new token for the display, shown this once: the old one stops working at once (its open
   * TV is disconnected). For when the TV's address was lost.
   */
  async reissueToken(id: string, by: Principal): Promise<CreatedDisplayView> {
    if (!isUuid(id)) throw notFound('display');
    const token = generateToken('display');
    const display = await this.displays.transaction(async (manager) => {
      if (!(await this.displays.lock(id, manager))) throw notFound('display');
      await this.displays.replaceToken(id, hashToken(token), manager);
      return this.mustFind(id, manager);
    });
    this.cluster.principalsChanged({ kind: 'display', id });
    this.logger.log(
      `display "${display.name}" (${display.id}) given a new token by ${actorOf(by)}: the old one no longer works`,
    );
    return { ...toView(display), token, url: this.publicUrl.of(displayPath(token)) };
  }

  /** Assigns exactly these contests, in this order; its open sockets leave the others at once. */
  async setContests(id: string, dto: SetDisplayContestsDto): Promise<DisplayView> {
    if (!isUuid(id)) throw notFound('display');
    try {
      const display = await this.displays.transaction(async (manager) => {
        if (!(await this.displays.lock(id, manager))) throw notFound('display');
        await this.displays.replaceContests(id, dto.contestIds, manager);
        return this.mustFind(id, manager);
      });
      this.cluster.principalsChanged({ kind: 'display', id });
      return toView(display);
    } catch (error) {
      translateWriteError(error);
    }
  }

  /** Revokes a display: its token stops working at once, its open sockets are closed. */
  async revoke(id: string): Promise<void> {
    if (!isUuid(id) || !(await this.displays.revoke(id))) throw notFound('display');
    this.cluster.principalsChanged({ kind: 'display', id });
  }

  /** The display behind a token, or null when unknown or revoked. */
  async resolve(token: string): Promise<DisplayPrincipal | null> {
    const display = await this.displays.findByTokenHash(hashToken(token));
    if (display === null) return null;
    return {
      kind: 'display',
      displayId: display.id,
      name: display.name,
      contestIds: display.contestIds,
      settings: display.settings,
    };
  }

  /**
   * The demo TV (token `demo`, DESIGN §10): creates it when missing; with `contestIds`, assigns
   * exactly those contests (the demo seeding calls this once its contests exist). Safe to call
   * from replicas starting together.
   */
  async ensureDemoDisplay(contestIds?: readonly string[]): Promise<DisplayView> {
    const tokenHash = hashToken(DEMO_DISPLAY_TOKEN);
    const display = await this.displays.transaction(async (manager) => {
      await this.displays.lockDemo(manager);
      let id = (await this.displays.findByTokenHash(tokenHash, manager))?.id ?? null;
      id ??= await this.displays.reinstateByTokenHash(tokenHash, manager);
      if (id === null) {
        id = await this.displays.insert(
          { name: DEMO_DISPLAY_NAME, tokenHash, createdBy: null, settings: DEMO_DISPLAY_SETTINGS },
          manager,
        );
        this.logger.log('demo display created: open /tv/demo');
      }
      if (contestIds !== undefined) {
        await this.displays.replaceContests(id, contestIds, manager);
      }
      return this.mustFind(id, manager);
    });
    if (contestIds !== undefined)
      this.cluster.principalsChanged({ kind: 'display', id: display.id });
    return toView(display);
  }

  /** Outside demo mode a token everyone knows must not open anything. */
  async revokeDemoDisplay(): Promise<void> {
    if (await this.displays.revokeByTokenHash(hashToken(DEMO_DISPLAY_TOKEN))) {
      this.logger.warn('demo mode is off: the demo display (token "demo") was revoked');
      this.cluster.principalsChanged({ kind: 'display', id: null });
    }
  }

  private async mustFind(id: string, manager: EntityManager): Promise<DisplayRecord> {
    const display = await this.displays.find(id, manager);
    if (display === null) throw notFound('display');
    return display;
  }
}
