import { Module } from '@nestjs/common';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { ContestsModule } from '../contests/contests.module.js';
import { ExportsModule } from '../exports/exports.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { MailComposer } from './mail-composer.service.js';
import { MailDigestService } from './mail-digest.service.js';
import { MailSenderService } from './mail-sender.service.js';
import { MailModule } from './mail.module.js';

/**
 * Sends the outbox's e-mail (each message rendered from the frozen results, then over SMTP), and
 * writes the daily digest.
 */
@Module({
  imports: [
    MailModule,
    ContestsModule,
    ContestRecordsModule,
    StandingsModule,
    ExportsModule,
    NotificationsModule,
  ],
  providers: [MailComposer, MailSenderService, MailDigestService],
})
export class MailDeliveryModule {}
