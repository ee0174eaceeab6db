import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { named } from '../common/validation/api-response.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { contestIdSchema } from '../contests/dto/contest.dto.js';
import { forecastHistorySchema, forecastSchema } from './dto/forecast.schema.js';
import { ForecastsService } from './forecasts.service.js';

const id = new ZodValidationPipe(contestIdSchema);

@ApiTags('contests')
@Controller('contests')
export class ForecastsController {
  constructor(private readonly forecasts: ForecastsService) {}

  @Get(':id/forecast')
  @ApiOkResponse({
    description:
      'The latest live forecast of the final outcome (computed on the spot when none is kept yet), for whoever reads the standings; 409 `not_live` before the contest counts',
    schema: named('Forecast', forecastSchema),
  })
  forecast(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.forecasts.forecastFor(contestId, principal);
  }

  @Get(':id/forecast/history')
  @ApiOkResponse({
    description:
      "One forecast per day (the day's latest) and one per published checkpoint, oldest first; a seller's points hold their own chances only, a display's none",
    schema: named('ForecastHistory', forecastHistorySchema),
  })
  history(@Param('id', id) contestId: string, @CurrentPrincipal() principal: Principal) {
    return this.forecasts.historyFor(contestId, principal);
  }
}
