import {
  DISPLAY_DEFAULTS,
  DISPLAY_LANGUAGES,
  DISPLAY_SLIDE_SECONDS,
  DISPLAY_SLIDES,
  type DisplayLanguage,
  type DisplaySlide,
} from '@podium/contest-model';
import { z } from 'zod';
import { documents } from '../../common/validation/api-response.js';

const contestIdsSchema = z
  .array(z.uuid('must be a contest id'))
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a contest')
  .meta({ description: 'The contests the display shows, in the order it rotates through them.' });

const nameSchema = z.string().trim().min(1, 'must not be blank').max(200);

const languageSchema = z
  .enum(DISPLAY_LANGUAGES, 'must be "ru" or "en"')
  .meta({ description: 'The language of the TV, whatever its browser prefers.' });

const slidesSchema = z
  .array(z.enum(DISPLAY_SLIDES, `must be one of ${DISPLAY_SLIDES.join(', ')}`))
  .min(1, 'must name at least one slide')
  .refine((slides) => new Set(slides).size === slides.length, 'must not repeat a slide')
  .meta({ description: 'The slides shown for each contest, in this order.' });

const slideSecondsSchema = z
  .int('must be a whole number of seconds')
  .min(DISPLAY_SLIDE_SECONDS.min, `must be at least ${DISPLAY_SLIDE_SECONDS.min}`)
  .max(DISPLAY_SLIDE_SECONDS.max, `must be at most ${DISPLAY_SLIDE_SECONDS.max}`)
  .meta({ description: 'How long each slide stays on the screen.' });

const soundSchema = z
  .boolean('must be true or false')
  .meta({ description: 'A short sound on each celebrated deal.' });

export const createDisplaySchema = z.strictObject({
  name: nameSchema,
  contestIds: contestIdsSchema.default([]),
  language: languageSchema.default(DISPLAY_DEFAULTS.language),
  slides: slidesSchema.default([...DISPLAY_DEFAULTS.slides]),
  slideSeconds: slideSecondsSchema.default(DISPLAY_DEFAULTS.slideSeconds),
  sound: soundSchema.default(DISPLAY_DEFAULTS.sound),
});
export type CreateDisplayDto = z.output<typeof createDisplaySchema>;

export const setDisplayContestsSchema = z.strictObject({ contestIds: contestIdsSchema });
export type SetDisplayContestsDto = z.output<typeof setDisplayContestsSchema>;

export const updateDisplaySchema = z
  .strictObject({
    name: nameSchema.optional(),
    language: languageSchema.optional(),
    slides: slidesSchema.optional(),
    slideSeconds: slideSecondsSchema.optional(),
    sound: soundSchema.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'must change at least one field');
export type UpdateDisplayDto = z.output<typeof updateDisplaySchema>;

/** How a display shows its contests. */
export interface DisplaySettingsView {
  readonly language: DisplayLanguage;
  readonly slides: readonly DisplaySlide[];
  readonly slideSeconds: number;
  readonly sound: boolean;
}

export interface DisplayView extends DisplaySettingsView {
  readonly id: string;
  readonly name: string;
  readonly contestIds: readonly string[];
  readonly createdAt: string;
}

/** The answer to a create or a new token: the only time the token is ever shown. */
export interface CreatedDisplayView extends DisplayView {
  /** `pdd_…`: the TV opens `/tv/<token>`. */
  readonly token: string;
  /** The TV's address, absolute, on `PODIUM_PUBLIC_URL`. */
  readonly url: string;
}

export const displaySettingsViewSchema = z.object({
  language: z.enum(DISPLAY_LANGUAGES),
  slides: z.array(z.enum(DISPLAY_SLIDES)),
  slideSeconds: z.number(),
  sound: z.boolean(),
});

export const displayViewSchema = documents<DisplayView>()(
  displaySettingsViewSchema.extend({
    id: z.string(),
    name: z.string(),
    contestIds: z.array(z.string()),
    createdAt: z.string(),
  }),
);
export const createdDisplayViewSchema = documents<CreatedDisplayView>()(
  displayViewSchema.extend({ token: z.string(), url: z.string() }),
);
