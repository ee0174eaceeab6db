import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { arrayOf } from '../common/validation/api-response.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { BatchValidationPipe } from './batch-validation.pipe.js';
import {
  replacePlansIssues,
  replacePlansSchema,
  type PlanMonth,
  type ReplacePlansDto,
  planMonthSchema,
} from './plans.dto.js';
import { PlansService } from './plans.service.js';

@ApiTags('participants')
@Controller('participants')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get(':id/plans')
  @ApiOkResponse({
    schema: arrayOf('PlanMonth', planMonthSchema),
    description:
      'Every planned month, oldest first: `[{ month, turnoverMinor, marginMinor, deals?, newClients? }]`',
  })
  @ApiNotFoundResponse({ description: 'No such participant' })
  get(@Param('id') id: string): Promise<PlanMonth[]> {
    return this.plans.get(id);
  }

  @Put(':id/plans')
  @ApiZodBody(
    replacePlansSchema,
    'Every planned month of the participant: replaces what is stored.',
  )
  @ApiOkResponse({
    schema: arrayOf('PlanMonth', planMonthSchema),
    description: 'The stored months, oldest first',
  })
  @ApiBadRequestResponse({ description: 'Every bad month by index and field: `[2].turnoverMinor`' })
  @ApiNotFoundResponse({ description: 'No such participant' })
  replace(
    @Param('id') id: string,
    @Body(new BatchValidationPipe(replacePlansSchema, replacePlansIssues)) body: ReplacePlansDto,
  ): Promise<PlanMonth[]> {
    return this.plans.replace(id, body);
  }
}
