/** ConnectWise error bodies: `{code, message, errors}`; the throttle body uses `error` instead of `code`. */

export interface CwFieldError {
  code: string;
  message: string;
  resource?: string;
  field?: string;
}

/** Thrown by handlers; the server turns it into the wire error body with the given status. */
export class CwHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: CwFieldError[] | null = null,
  ) {
    super(message);
  }

  body(): { code: string; message: string; errors: CwFieldError[] | null } {
    return { code: this.code, message: this.message, errors: this.errors };
  }
}

export const notFound = (what: string) => new CwHttpError(404, 'NotFound', `${what} not found`);

export const invalidObject = (resource: string, message: string, errors: CwFieldError[] | null = null) =>
  new CwHttpError(400, 'InvalidObject', message, errors?.map((e) => ({ resource, ...e })) ?? null);

export const unauthenticated = (message = 'UserNotAuthenticated') => new CwHttpError(401, 'ConnectWiseApi', message);

export const throttleBody = (seconds: number) => ({
  error: 'ConnectWiseAPI',
  message: `Too many requests. Please try again in ${seconds} seconds.`,
});
