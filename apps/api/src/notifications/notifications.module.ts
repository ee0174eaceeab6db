import { Module } from '@nestjs/common';
import { ContestRecordsModule } from '../contests/contest-records.module.js';
import { EventLogModule } from '../events/event-log.module.js';
import { StandingsModule } from '../standings/standings.module.js';
import { ContestNoticesService } from './contest-notices.service.js';
import { CursorsRepository } from './cursors.repository.js';
import { DigestService } from './digest.service.js';
import { StoredForecastChance } from '../forecasts/forecast-chance.js';
import { ForecastsModule } from '../forecasts/forecasts.module.js';
import { ForecastSource } from './forecast-source.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsService } from './notifications.service.js';
import { OutboxRepository } from './outbox.repository.js';
import { OutboxService } from './outbox.service.js';
import { StandingsNotifierService } from './standings-notifier.service.js';
import { TelegramBotService } from './telegram-bot.service.js';
import { TelegramChatsRepository } from './telegram-chats.repository.js';
import { TelegramClient } from './telegram-client.js';
import { TelegramLinksService } from './telegram-links.service.js';
import { TelegramSenderService } from './telegram-sender.service.js';

/**
 * Notifications (DESIGN §6a): the outbox any capability writes messages to in its own
 * transaction (`OutboxService.enqueue`), the Telegram bot, its sender and chat linking, and the
 * projector that turns standings changes into messages.
 */
@Module({
  imports: [ContestRecordsModule, EventLogModule, ForecastsModule, StandingsModule],
  controllers: [NotificationsController],
  providers: [
    OutboxRepository,
    OutboxService,
    CursorsRepository,
    TelegramChatsRepository,
    TelegramClient,
    TelegramLinksService,
    TelegramBotService,
    TelegramSenderService,
    StandingsNotifierService,
    NotificationsService,
    ContestNoticesService,
    DigestService,
    // The digests' chance of a prize: the contest's latest live forecast.
    { provide: ForecastSource, useExisting: StoredForecastChance },
  ],
  exports: [
    ContestNoticesService,
    OutboxService,
    OutboxRepository,
    CursorsRepository,
    TelegramChatsRepository,
    // The e-mail digest reads the same chance of a prize.
    ForecastSource,
  ],
})
export class NotificationsModule {}
