import { HttpException, HttpStatus } from '@nestjs/common';

/** A 429 that tells when to come back; `RateLimitedFilter` turns it into a `Retry-After` header. */
export class RateLimitedException extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message = 'too many requests: try again later',
  ) {
    super(
      { statusCode: HttpStatus.TOO_MANY_REQUESTS, error: 'Too Many Requests', message },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
