import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { contestIdSchema, placeParamSchema } from '../contests/dto/contest.dto.js';
import { sendFile } from '../imports/send-file.js';
import { simulationIdSchema } from '../simulations/dto/simulation.dto.js';
import { simulationExportSchema, type SimulationExportResult } from './exports.dto.js';
import { ExportsService, type ExportFormat } from './exports.service.js';

const id = new ZodValidationPipe(contestIdSchema);
const format = new ZodValidationPipe(z.enum(['csv', 'xlsx'], { error: 'must be csv or xlsx' }));
const FILE =
  'A download (`Content-Disposition: attachment`): CSV (UTF-8 with a BOM, the first table) or XLSX (one sheet per table); money in major units with two decimals, columns named with the currency (`fund_rub`)';

@ApiTags('exports')
@Controller()
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('contests/:id/standings.:format')
  @ApiOkResponse({ description: `The standings as GET /api/contests/:id/standings. ${FILE}` })
  async standings(
    @Param('id', id) contestId: string,
    @Param('format', format) as: ExportFormat,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.exports.standings(contestId, as, principal));
  }

  @Get('contests/:id/checkpoints/:number.:format')
  @ApiOkResponse({ description: `One checkpoint's standings. ${FILE}` })
  async checkpoint(
    @Param('id', id) contestId: string,
    @Param('number', new ZodValidationPipe(placeParamSchema)) number: number,
    @Param('format', format) as: ExportFormat,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.exports.checkpoint(contestId, number, as, principal));
  }

  @Get('contests/:id/report.:format')
  @ApiOkResponse({ description: `The final report with prizes and final standings. ${FILE}` })
  async report(
    @Param('id', id) contestId: string,
    @Param('format', format) as: ExportFormat,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.exports.report(contestId, as, principal));
  }

  @Post('exports/simulation.:format')
  @HttpCode(200)
  @ApiZodBody(simulationExportSchema, 'A simulation result as the simulator computed it.')
  @ApiOkResponse({ description: `The same tables as a stored simulation's result. ${FILE}` })
  async simulationResult(
    @Param('format', format) as: ExportFormat,
    @Body(new ZodValidationPipe(simulationExportSchema)) result: SimulationExportResult,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.exports.simulationResult(result, as, null));
  }

  @Get('simulations/:id/result.:format')
  @ApiOkResponse({ description: `A finished simulation's forecast per participant. ${FILE}` })
  async simulation(
    @Param('id', new ZodValidationPipe(simulationIdSchema)) simulationId: string,
    @Param('format', format) as: ExportFormat,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendFile(reply, await this.exports.simulation(simulationId, as));
  }
}
