import { Controller, Get } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { named } from '../common/validation/api-response.js';
import { DemoEntryService } from './demo-entry.service.js';
import { demoEntrySchema } from './dto/demo-entry.dto.js';

@ApiTags('demo')
@Controller('demo')
export class DemoController {
  constructor(private readonly demo: DemoEntryService) {}

  @Get()
  @ApiOkResponse({
    description:
      'Demo mode only: the demo sign-ins (e-mail, password, role), the demo TV and the demo phone link, absolute; `Cache-Control: no-store`',
    schema: named('DemoEntry', demoEntrySchema),
  })
  @ApiNotFoundResponse({ description: 'Demo mode is off' })
  entry() {
    return this.demo.entry();
  }
}
