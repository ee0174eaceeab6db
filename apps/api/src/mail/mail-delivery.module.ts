import { Module } from '@nestjs/common';
import { ContestsModule } from '../contests/contests.module.js';
import { ExportsModule } from '../exports/exports.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MailComposer } from './mail-composer.service.js';
import { MailSenderService } from './mail-sender.service.js';
import { MailModule } from './mail.module.js';

/** Sends the outbox's e-mail: renders each message from the frozen results, then over SMTP. */
@Module({
  imports: [MailModule, ContestsModule, ExportsModule, NotificationsModule],
  providers: [MailComposer, MailSenderService],
})
export class MailDeliveryModule {}
