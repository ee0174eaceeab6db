import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody, ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import {
  chatSettingsSchema,
  notificationSettingsViewSchema,
  participantSettingsSchema,
  type ChatSettingsDto,
  type NotificationSettingsView,
  type ParticipantSettingsDto,
  groupLinkSchema,
  groupTelegramLinkViewSchema,
  notificationsQuerySchema,
  notificationViewSchema,
  participantTelegramLinkViewSchema,
  telegramGroupViewSchema,
  type GroupLinkDto,
  type GroupTelegramLinkView,
  type NotificationsQueryDto,
  type NotificationView,
  type ParticipantTelegramLinkView,
  type TelegramGroupView,
} from './dto/notifications.dto.js';
import { NotificationsService } from './notifications.service.js';
import { TelegramBotService } from './telegram-bot.service.js';
import { TelegramLinksService } from './telegram-links.service.js';

const BOT_OFF = 'The bot is off (`telegram_off`): TELEGRAM_BOT_TOKEN is not set, or getMe failed';

@ApiTags('notifications')
@Controller()
export class NotificationsController {
  constructor(
    private readonly links: TelegramLinksService,
    private readonly bot: TelegramBotService,
    private readonly notifications: NotificationsService,
  ) {}

  @Post('participants/:id/telegram-link')
  @ApiCreatedResponse({
    schema: named('ParticipantTelegramLink', participantTelegramLinkViewSchema),
    description:
      '`{ url, code, expiresAt }`: open `url` in Telegram (or send `/start <code>` to the bot) within 24 hours, once',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  @ApiConflictResponse({ description: BOT_OFF })
  participantLink(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ParticipantTelegramLinkView> {
    return this.links.participantCode(id, principal);
  }

  @Delete('participants/:id/telegram-link')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "Unlinked: the participant's chats get nothing more" })
  @ApiNotFoundResponse({ description: 'No chat is linked to the participant' })
  unlinkParticipant(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.links.unlinkParticipantAs(id, principal);
  }

  @Post('telegram/chats/link')
  @ApiZodBody(groupLinkSchema)
  @ApiCreatedResponse({
    schema: named('GroupTelegramLink', groupTelegramLinkViewSchema),
    description:
      '`{ code, command, expiresAt }`: send `command` in the group (the bot must be a member)',
  })
  @ApiNotFoundResponse({ description: 'No such team' })
  @ApiConflictResponse({ description: BOT_OFF })
  groupLink(
    @Body(new ZodValidationPipe(groupLinkSchema)) body: GroupLinkDto,
  ): Promise<GroupTelegramLinkView> {
    return this.links.groupCode(body);
  }

  @Get('telegram/chats')
  @ApiOkResponse({
    schema: arrayOf('TelegramGroup', telegramGroupViewSchema),
    description: 'Linked group chats',
  })
  async groups(): Promise<TelegramGroupView[]> {
    return (await this.links.listGroups()).map((chat) => ({
      chatId: chat.chatId,
      title: chat.title,
      teamId: chat.teamId,
      company: chat.company,
      blocked: chat.blocked,
    }));
  }

  @Delete('telegram/chats/:chatId')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Unlinked' })
  @ApiNotFoundResponse({ description: 'No such linked chat' })
  unlinkChat(@Param('chatId') chatId: string): Promise<void> {
    return this.links.unlinkChat(chatId);
  }

  @Post('telegram/webhook')
  @HttpCode(200)
  @ApiOkResponse({ description: "Telegram's update, handled" })
  async webhook(
    @Headers('x-telegram-bot-api-secret-token') secret: string | undefined,
    @Body() update: unknown,
  ): Promise<{ ok: true }> {
    if (!(await this.bot.webhook(secret, update))) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'not from Telegram',
      });
    }
    return { ok: true };
  }

  @Get('notifications')
  @ApiZodQuery(notificationsQuerySchema)
  @ApiOkResponse({
    schema: arrayOf('Notification', notificationViewSchema),
    description: 'Recent messages, newest first',
  })
  recent(
    @Query(new ZodValidationPipe(notificationsQuerySchema)) query: NotificationsQueryDto,
  ): Promise<NotificationView[]> {
    return this.notifications.recent(query);
  }

  @Post('notifications/:id/retry')
  @HttpCode(200)
  @ApiOkResponse({
    schema: named('Notification', notificationViewSchema),
    description: 'Queued again',
  })
  @ApiNotFoundResponse({ description: 'No failed or skipped message with this id' })
  retry(@Param('id') id: string): Promise<NotificationView> {
    return this.notifications.retry(id);
  }

  @Get('participants/:id/notification-settings')
  @ApiOkResponse({
    schema: named('NotificationSettings', notificationSettingsViewSchema),
    description: '`{ language, switches }`: the language of the messages and every kind, on or off',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  participantSettings(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NotificationSettingsView> {
    return this.notifications.participantSettings(id, principal);
  }

  @Put('participants/:id/notification-settings')
  @ApiZodBody(participantSettingsSchema)
  @ApiOkResponse({
    schema: named('NotificationSettings', notificationSettingsViewSchema),
    description: 'The settings now',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  updateParticipantSettings(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(participantSettingsSchema)) body: ParticipantSettingsDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<NotificationSettingsView> {
    return this.notifications.updateParticipantSettings(id, body, principal);
  }

  @Put('telegram/chats/:chatId/settings')
  @ApiZodBody(chatSettingsSchema)
  @ApiOkResponse({
    schema: named('NotificationSettings', notificationSettingsViewSchema),
    description: 'The settings now',
  })
  @ApiNotFoundResponse({ description: 'No such linked chat' })
  updateChatSettings(
    @Param('chatId') chatId: string,
    @Body(new ZodValidationPipe(chatSettingsSchema)) body: ChatSettingsDto,
  ): Promise<NotificationSettingsView> {
    return this.notifications.updateChatSettings(chatId, body);
  }
}
