/** Something kept up to date by applying the channel's blocks in order. */
export interface BlockSink<B> {
  /** Blocks applied (the number of the next block expected). */
  readonly height: bigint;
  /** Applies one block; a returned promise is awaited before the next block is read. */
  apply(block: B): unknown;
}

/** Where blocks come from: a stream from a block number on, and the peer's height. */
export interface BlockSource<B> {
  /**
   * Streams blocks from `startBlock` until `signal` aborts; rejects when the stream breaks or
   * `onBlock` throws. A promise `onBlock` returns is awaited before the next block is read, so a
   * slow consumer holds the stream back rather than buffering blocks.
   */
  watch?: (startBlock: bigint, onBlock: (block: B) => unknown, signal: AbortSignal, onOpen?: () => void) => Promise<void>;
  /** The peer's ledger height (qscc GetChainInfo). */
  chainHeight?: () => Promise<bigint>;
}

export interface BlockFeedOptions {
  /** Wait before reopening a broken block stream (default 1 s). */
  retryMs?: number;
  /**
   * How often the peer's height is read while live (default 5 s). A block the peer held at one
   * check must have been applied by the next, otherwise the stream is taken as stalled and reads go
   * to the peer until it catches up.
   */
  heightCheckMs?: number;
  onError?: (error: unknown) => void;
}

/** The state of a {@link followBlocks} feed. */
export interface BlockFeed {
  /** True while the block stream is open. */
  readonly live: boolean;
  /** True while the sink may answer: the stream is open and has applied every block the peer had. */
  readonly caughtUp: boolean;
  /** Times the stream broke and was reopened. */
  readonly streamErrors: number;
  close(): void;
}

/**
 * Feeds `sink` from block `sink.height` on, reopening the stream after a break, and tells when the
 * sink is caught up. Caught up means: the stream is open and the sink has reached the peer's
 * height as read when the stream opened, and later every height read one check earlier. A sink
 * that is behind may be missing a revocation or a transfer, so readers must go to the peer then.
 */
export function followBlocks<B>(source: BlockSource<B>, sink: BlockSink<B>, options: BlockFeedOptions = {}): BlockFeed {
  const abort = new AbortController();
  let streamErrors = 0;
  let live = false;
  // Which stream a height answer belongs to: one for a stream that has since broken is dropped.
  let generation = 0;
  // The height the sink must have reached to answer, and the peer's height at the last check.
  let required: bigint | undefined;
  let lastSeen: bigint | undefined;

  const checkHeight = async (stream: number) => {
    if (!source.chainHeight) return;
    try {
      const height = await source.chainHeight();
      if (stream !== generation || !live) return;
      // The newest height is not required at once (a block in flight would make every check flap
      // to the peer); the height seen one check earlier is, which catches a stalled stream.
      if (required === undefined) required = height;
      else if (lastSeen !== undefined && lastSeen > required) required = lastSeen;
      lastSeen = height;
    } catch (error) {
      options.onError?.(error);
    }
  };

  const stream = async () => {
    const { watch } = source;
    if (!watch || !source.chainHeight) return;
    while (!abort.signal.aborted) {
      const current = ++generation;
      try {
        await watch(sink.height, (block) => sink.apply(block), abort.signal, () => {
          live = true;
          void checkHeight(current);
        });
      } catch (error) {
        streamErrors++;
        options.onError?.(error);
      }
      live = false;
      required = undefined;
      lastSeen = undefined;
      if (!abort.signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000).unref());
      }
    }
  };
  void stream();

  const timer = setInterval(() => {
    if (live) void checkHeight(generation);
  }, options.heightCheckMs ?? 5000);
  timer.unref();

  return {
    get live() {
      return live;
    },
    get caughtUp() {
      return live && required !== undefined && sink.height >= required;
    },
    get streamErrors() {
      return streamErrors;
    },
    close() {
      abort.abort();
      clearInterval(timer);
    },
  };
}
