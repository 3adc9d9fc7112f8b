// The errors of the HTTP layer that carry the status to answer with; fastify reads statusCode.

/** An error with the HTTP status to answer it with. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** nginx's code for a request whose client closed the connection before the answer. */
export const CLIENT_CLOSED = 499;
