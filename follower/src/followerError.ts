/** Codes of the follower's own errors. */
export const FollowerErrorCodes = {
  /** A block arrived after a gap: the block before it was never handled. */
  BLOCK_GAP: 'BLOCK_GAP',
  /** The follower was closed while a block was waiting to be handled. */
  FOLLOWER_CLOSED: 'FOLLOWER_CLOSED',
  /** A stored checkpoint is not a block number. */
  BAD_CHECKPOINT: 'BAD_CHECKPOINT',
} as const;

export type FollowerErrorCode = (typeof FollowerErrorCodes)[keyof typeof FollowerErrorCodes];

/** An error of the follower, with a stable code. */
export class FollowerError extends Error {
  readonly code: FollowerErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: FollowerErrorCode, message: string, options: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FollowerError';
    this.code = code;
    this.details = options.details;
  }
}
