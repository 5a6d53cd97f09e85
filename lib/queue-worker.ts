/** A worker that drains a database queue: what callers and tests get back. */
export interface QueueWorker {
  /** Looks at the queue now (after queueing something). */
  kick(): void;
  /** Works off everything due, once; resolves with how many rows were tried. For tests and benchmarks. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export interface QueueWorkerOptions<Row> {
  /** Names the worker in log lines. */
  name: string;
  /** How often the queue is looked at when nothing kicks the worker. */
  pollMs: number;
  log: (message: string) => void;
  /** Takes the next due row (several instances share the work: SKIP LOCKED), or null when none is due. */
  claim: () => Promise<Row | null>;
  /** Does a row's work; records its own failures on the row. */
  handle: (row: Row) => Promise<void>;
  /** Runs before each pass over the queue (housekeeping). */
  beforeEachRun?: () => Promise<void>;
  /** Runs after the last pass has finished on stop. */
  onStop?: () => void;
}

/**
 * Drains a queue one row at a time, on a timer and whenever kicked. One pass runs at a time: a kick during a pass
 * starts another when it ends, so nothing queued meanwhile waits for the timer. A pass that throws is logged and the
 * next one tries again.
 */
export function startQueueWorker<Row>({ name, pollMs, log, claim, handle, beforeEachRun, onStop }: QueueWorkerOptions<Row>): QueueWorker {
  let stopped = false;
  let running: Promise<number> | null = null;
  let again = false;

  async function runOnce(): Promise<number> {
    await beforeEachRun?.();
    let tried = 0;
    for (;;) {
      if (stopped) return tried;
      const row = await claim();
      if (!row) return tried;
      tried++;
      await handle(row);
    }
  }

  function cycle(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = runOnce()
      .catch((error: unknown) => {
        log(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      })
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          cycle();
        }
      });
  }

  const timer = setInterval(cycle, pollMs);
  timer.unref();
  cycle();

  return {
    kick: cycle,
    runOnce: async () => {
      while (running) await running;
      return runOnce();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      onStop?.();
    },
  };
}
