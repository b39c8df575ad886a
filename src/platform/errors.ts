/**
 * Named errors with a stable code. Services throw these; the one error handler
 * (see app.ts) turns them into JSON for the API and a page for HTML routes.
 * Anything else is a 500 whose details go to the log, never to the public.
 */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found') {
    super(404, 'not_found', message);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'invalid_request', message, details);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}

/**
 * For pages that show a refusal in their own words: a refusal a person can
 * act on (a 4xx AppError) is returned; anything else is thrown on, to the
 * error handler.
 */
export function refusal(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500) return err;
  throw err;
}
