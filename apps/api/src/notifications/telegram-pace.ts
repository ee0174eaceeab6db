/**
 * Telegram's limits on a bot (Bot API FAQ, "My bot is hitting limits"): about 30 messages a
 * second overall, one a second per chat, 20 a minute per group. One sender per database sends
 * (see TelegramSender), so the pace is kept in its memory. A 429's `retry_after` pauses the chat
 * it answered for, and, since flood control is the bot's, every chat for as long.
 */
export class TelegramPace {
  private readonly recent: number[] = [];
  private readonly lastByChat = new Map<string, number>();
  private readonly groupSends = new Map<string, number[]>();
  private pausedUntil = 0;
  private readonly chatPausedUntil = new Map<string, number>();

  constructor(private readonly limits = { perSecond: 30, perChatMs: 1_000, perGroupMinute: 20 }) {}

  /** Group and channel chats have negative ids. */
  static isGroup(chatId: string): boolean {
    return chatId.startsWith('-');
  }

  /** The earliest time (ms) a message may go to this chat. */
  readyAt(chatId: string, now: number): number {
    let at = Math.max(now, this.pausedUntil, this.chatPausedUntil.get(chatId) ?? 0);
    const last = this.lastByChat.get(chatId);
    if (last !== undefined) at = Math.max(at, last + this.limits.perChatMs);
    this.trim(now);
    if (this.recent.length >= this.limits.perSecond) {
      at = Math.max(at, (this.recent[this.recent.length - this.limits.perSecond] ?? now) + 1_000);
    }
    if (TelegramPace.isGroup(chatId)) {
      const sends = (this.groupSends.get(chatId) ?? []).filter((time) => time > now - 60_000);
      this.groupSends.set(chatId, sends);
      if (sends.length >= this.limits.perGroupMinute) {
        at = Math.max(at, (sends[sends.length - this.limits.perGroupMinute] ?? now) + 60_000);
      }
    }
    return at;
  }

  /** A message went (or was attempted) to the chat at `now`. */
  record(chatId: string, now: number): void {
    this.recent.push(now);
    this.lastByChat.set(chatId, now);
    if (TelegramPace.isGroup(chatId)) {
      const sends = this.groupSends.get(chatId) ?? [];
      sends.push(now);
      this.groupSends.set(chatId, sends);
    }
  }

  /** A 429 with `retry_after`: nothing goes to the chat, nor anywhere, before `until`. */
  pause(chatId: string, until: number): void {
    this.chatPausedUntil.set(chatId, Math.max(until, this.chatPausedUntil.get(chatId) ?? 0));
    this.pausedUntil = Math.max(this.pausedUntil, until);
  }

  private trim(now: number): void {
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - 1_000) this.recent.shift();
  }
}

/**
 * When the quiet hours that hold `now` end, or null outside them. `quietHours` are minutes after
 * midnight in `timeZone`; a window across midnight (21:00–09:00) is the usual one; equal start
 * and end means none.
 */
export function quietUntil(
  now: Date,
  timeZone: string,
  { start, end }: { start: number; end: number },
): Date | null {
  if (start === end) return null;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const minute = value('hour') * 60 + value('minute');
  const quiet = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!quiet) return null;
  const minutesLeft = (end - minute + 1440) % 1440;
  return new Date(
    now.getTime() + minutesLeft * 60_000 - value('second') * 1_000 - now.getMilliseconds(),
  );
}
