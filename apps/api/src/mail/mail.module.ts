import { Module } from '@nestjs/common';
import { SecretBox } from '../common/secret-box.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { MailNoticesService } from './mail-notices.service.js';
import { MailPreferencesRepository } from './mail-preferences.repository.js';
import { MailRecipientsRepository } from './mail-recipients.repository.js';
import { MailTransport } from './mail.transport.js';
import { UnsubscribeController } from './unsubscribe.controller.js';
import { UnsubscribeService } from './unsubscribe.service.js';

/**
 * E-mail (issue 18.4): the SMTP transport, who gets which message, the messages a contest's close
 * writes to the outbox, and the unsubscribe links. Sending lives in `MailDeliveryModule`
 * (it reads contests and exports, and the contests module uses this one at the close).
 */
@Module({
  imports: [NotificationsModule],
  controllers: [UnsubscribeController],
  providers: [
    MailTransport,
    MailRecipientsRepository,
    MailPreferencesRepository,
    MailNoticesService,
    UnsubscribeService,
    SecretBox,
  ],
  exports: [
    MailTransport,
    MailRecipientsRepository,
    MailPreferencesRepository,
    MailNoticesService,
    UnsubscribeService,
  ],
})
export class MailModule {}
