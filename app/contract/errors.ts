// The errors a request can answer with.

export type ErrorCode = 'invalid_request' | 'unknown_method' | 'not_found' | 'failed' | 'busy';

/** An error whose message is meant for the person using the app. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
