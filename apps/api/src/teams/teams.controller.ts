import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { arrayOf, named } from '../common/validation/api-response.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import {
  createTeamSchema,
  updateTeamSchema,
  type CreateTeamDto,
  type TeamView,
  type UpdateTeamDto,
  teamViewSchema,
} from './dto/team.dto.js';
import { TeamsService } from './teams.service.js';

const TEAM = '`{ id, name, participantCount, createdAt }`';

@ApiTags('teams')
@Controller('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  @Get()
  @ApiOkResponse({
    schema: arrayOf('Team', teamViewSchema),
    description: `Every team, by name: ${TEAM}[]`,
  })
  list(): Promise<TeamView[]> {
    return this.teams.list();
  }

  @Post()
  @ApiZodBody(createTeamSchema)
  @ApiCreatedResponse({ schema: named('Team', teamViewSchema), description: TEAM })
  @ApiBadRequestResponse({ description: 'A blank or too long `name`' })
  @ApiConflictResponse({ description: 'Another team has this `name`' })
  create(@Body(new ZodValidationPipe(createTeamSchema)) body: CreateTeamDto): Promise<TeamView> {
    return this.teams.create(body);
  }

  @Get(':id')
  @ApiOkResponse({ schema: named('Team', teamViewSchema), description: TEAM })
  @ApiNotFoundResponse({ description: 'No such team' })
  get(@Param('id') id: string): Promise<TeamView> {
    return this.teams.get(id);
  }

  @Patch(':id')
  @ApiZodBody(updateTeamSchema)
  @ApiOkResponse({
    schema: named('Team', teamViewSchema),
    description: `The renamed team: ${TEAM}`,
  })
  @ApiNotFoundResponse({ description: 'No such team' })
  @ApiConflictResponse({ description: 'Another team has this `name`' })
  update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateTeamSchema)) body: UpdateTeamDto,
  ): Promise<TeamView> {
    return this.teams.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'No such team' })
  @ApiConflictResponse({ description: 'The team still has participants: move them first' })
  delete(@Param('id') id: string): Promise<void> {
    return this.teams.delete(id);
  }
}
