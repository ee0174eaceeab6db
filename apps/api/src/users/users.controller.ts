import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
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
  createUserSchema,
  updateUserSchema,
  type CreateUserDto,
  type UpdateUserDto,
  type UserView,
  userViewSchema,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

const USER = '`{ id, email, role, participantId, createdAt, updatedAt }`';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({
    schema: arrayOf('User', userViewSchema),
    description: `Every user, by e-mail: ${USER}[]`,
  })
  list(): Promise<UserView[]> {
    return this.users.list();
  }

  @Post()
  @ApiZodBody(createUserSchema)
  @ApiCreatedResponse({ schema: named('User', userViewSchema), description: USER })
  @ApiBadRequestResponse({ description: 'A bad field; a seller without a participant' })
  @ApiConflictResponse({ description: 'The e-mail or the participant is taken' })
  create(@Body(new ZodValidationPipe(createUserSchema)) body: CreateUserDto): Promise<UserView> {
    return this.users.create(body);
  }

  @Patch(':id')
  @ApiZodBody(updateUserSchema)
  @ApiOkResponse({
    schema: named('User', userViewSchema),
    description: `The changed user: ${USER}; a new password signs them out`,
  })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The e-mail or participant is taken; the last admin' })
  update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateUserSchema)) body: UpdateUserDto,
  ): Promise<UserView> {
    return this.users.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with their sessions' })
  @ApiNotFoundResponse({ description: 'No such user' })
  @ApiConflictResponse({ description: 'The last admin cannot be deleted' })
  delete(@Param('id') id: string): Promise<void> {
    return this.users.delete(id);
  }
}
