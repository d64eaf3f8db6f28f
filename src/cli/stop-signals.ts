// SIGTERM/SIGINT for the long-running commands (`serve`, `worker`, `run --send`). The listeners are
// installed when the command starts, before it opens anything or prints `{"listening": …}`: a signal that arrives
// while it starts, or the instant after it announces itself, is a graceful stop, never the default
// "die at once" (which a supervisor or a test that signals as soon as it reads the line would hit).
// The first signal resolves `first`; a second one runs the `onSecond` action (default: exit 130).

export interface StopSignals {
  /** The first SIGTERM or SIGINT received (already resolved if it came during start-up). */
  readonly first: Promise<NodeJS.Signals>;
  /** What a second signal does: by default `process.exit(130)`. */
  onSecond(action: (signal: NodeJS.Signals) => void): void;
  /** Removes the listeners (the command has finished stopping). */
  dispose(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function stopSignals(): StopSignals {
  let resolveFirst!: (signal: NodeJS.Signals) => void;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  let received = 0;
  let second: (signal: NodeJS.Signals) => void = () => process.exit(130);
  const listener = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) resolveFirst(signal);
    else second(signal);
  };
  for (const s of SIGNALS) process.on(s, listener);
  return {
    first,
    onSecond: (action) => (second = action),
    dispose: () => {
      for (const s of SIGNALS) process.off(s, listener);
    },
  };
}

/** A long-running command's body, given its signals: listeners installed before the body runs, removed when it ends. */
export function withStopSignals<A extends unknown[]>(body: (signals: StopSignals, ...args: A) => Promise<number>): (...args: A) => Promise<number> {
  return async (...args) => {
    const signals = stopSignals();
    try {
      return await body(signals, ...args);
    } finally {
      signals.dispose();
    }
  };
}
