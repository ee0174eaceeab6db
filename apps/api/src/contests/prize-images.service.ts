import {
  BadRequestException,
  Injectable,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ContestAuditRepository } from './contest-audit.repository.js';
import { ContestRecordsService } from './contest-records.service.js';
import { reencodePrizeImage } from './prize-image.js';
import { PrizeImagesRepository } from './prize-images.repository.js';

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024 - 64 * 1024;

/** Pictures of a contest's prizes, re-encoded before they are stored. */
@Injectable()
export class PrizeImagesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ContestRecordsService,
    private readonly images: PrizeImagesRepository,
    private readonly auditTrail: ContestAuditRepository,
  ) {}

  async putPrizeImage(
    id: string,
    place: number,
    league: string | undefined,
    upload: Buffer,
    actor: string,
  ) {
    const contest = await this.records.require(id);
    const file = contest.frozenFile ?? contest.definition;
    if (!file.prizes.some((p) => p.place === place && (p.league ?? undefined) === league)) {
      throw new NotFoundException(
        `contest ${id} has no prize at place ${place}${league ? ` in league ${league}` : ''}`,
      );
    }
    if (upload.length === 0)
      throw new BadRequestException('the body must be the image itself (PNG, JPEG, WebP or GIF)');
    if (upload.length > MAX_IMAGE_BYTES)
      throw new PayloadTooLargeException(`an image may be at most ${MAX_IMAGE_BYTES} bytes`);
    const { bytes, contentType: type } = await reencodePrizeImage(upload);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The image and its audit row: both or neither.
    await this.dataSource.transaction(async (manager) => {
      await this.images.putPrizeImage(manager, {
        contestId: id,
        league: league ?? '',
        place,
        contentType: type,
        bytes,
        sha256,
      });
      await this.auditTrail.audit(manager, {
        contestId: id,
        actor,
        action: 'prize-image',
        details: { place, league: league ?? null, type, bytes: bytes.length },
      });
    });
    return {
      place,
      league: league ?? null,
      contentType: type,
      bytes: bytes.length,
      etag: `"${sha256}"`,
    };
  }

  async prizeImage(id: string, place: number, league: string | undefined) {
    const image = await this.images.prizeImage(id, league ?? '', place);
    if (!image) throw new NotFoundException(`no image for place ${place} of contest ${id}`);
    return image;
  }
}
