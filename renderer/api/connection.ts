// Connection state of the transport, for the "connection lost" banner. Electron IPC is always connected.
export type ConnectionState = 'connecting' | 'connected' | 'lost' | 'reconnected';

export class ConnectionTracker {
  private state: ConnectionState = 'connecting';
  /** Incremented on every reconnect; the engine has ended the session by then. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  get = (): ConnectionState => this.state;
  getGeneration = (): number => this.generation;

  set(state: ConnectionState): void {
    this.state = state;
    if (state === 'reconnected') this.generation += 1;
    for (const listener of this.listeners) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
