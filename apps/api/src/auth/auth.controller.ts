import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { named } from '../common/validation/api-response.js';
import { ApiZodBody } from '../common/validation/api-zod.js';
import { ZodValidationPipe } from '../common/validation/zod-validation.pipe.js';
import { AuthService } from './auth.service.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import {
  loginSchema,
  loginViewSchema,
  type LoginDto,
  type LoginView,
  type MeView,
  meViewSchema,
} from './dto/auth.dto.js';
import type { Principal } from './principal.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiZodBody(loginSchema)
  @ApiOkResponse({
    description:
      '`{ token, expiresAt, user: { id, email, role, participantId } }`; send the token as `Authorization: Bearer <token>`',
    schema: named('Login', loginViewSchema),
  })
  @ApiUnauthorizedResponse({ description: 'Wrong e-mail or password (the same answer for both)' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed logins; see `Retry-After`' })
  login(
    @Body(new ZodValidationPipe(loginSchema)) body: LoginDto,
    @Ip() ip: string,
  ): Promise<LoginView> {
    return this.auth.login(body, ip);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'The session token no longer works' })
  logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    return this.auth.logout(principal);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOkResponse({
    schema: named('Me', meViewSchema),
    description:
      'Who the token belongs to: `{ kind: "user", expiresAt, user }`, `{ kind: "display", display: { id, name, contestIds, language, slides, slideSeconds, sound } }` (how the TV shows its contests) or `{ kind: "apiKey", apiKey: { id, name, scopes } }`',
  })
  me(@CurrentPrincipal() principal: Principal): MeView {
    return this.auth.me(principal);
  }
}
