import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiZodBody, ApiZodQuery } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { actorOf } from '../auth/actor.js';
import {
  createSimulationSchema,
  listSimulationsQuerySchema,
  simulationIdSchema,
  type CreateSimulation,
} from './dto/simulation.dto.js';
import { SimulationsService } from './simulations.service.js';

const id = new ZodValidationPipe(simulationIdSchema);

@ApiTags('simulations')
@Controller('simulations')
export class SimulationsController {
  constructor(private readonly simulations: SimulationsService) {}

  @Post()
  @HttpCode(202)
  @ApiZodBody(
    createSimulationSchema,
    'A contest file or a stored contest id, scenario overrides, remedies (default true)',
  )
  create(
    @Body(new ZodValidationPipe(createSimulationSchema)) body: CreateSimulation,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.simulations.create(body, actorOf(principal));
  }

  @Get()
  @ApiZodQuery(listSimulationsQuerySchema)
  list(@Query(new ZodValidationPipe(listSimulationsQuerySchema)) query: { limit?: number }) {
    return this.simulations.list(query.limit);
  }

  @Get(':id')
  get(@Param('id', id) simulationId: string) {
    return this.simulations.get(simulationId);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', id) simulationId: string) {
    return this.simulations.cancel(simulationId);
  }
}
