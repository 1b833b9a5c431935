/**
 * Standard output and error that never crash the process. A write error on a stream is an
 * 'error' event, and an unhandled one is a Node stack trace and exit 1: a reader that stopped
 * reading (`asynclint | head -1`, EPIPE) or a full disk would turn a finished run into that.
 * Here EPIPE ends quietly (nobody is reading) and any other failure is reported once by the CLI.
 */
export class GuardedOutput {
  failure: NodeJS.ErrnoException | null = null;

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {
    stream.on('error', (error: NodeJS.ErrnoException) => this.record(error));
  }

  get isTTY(): boolean {
    return !!this.stream.isTTY;
  }

  write(text: string): boolean {
    if (this.failure) return false;
    try {
      return this.stream.write(text, (error) => {
        if (error) this.record(error);
      });
    } catch (error) {
      this.record(error as NodeJS.ErrnoException);
      return false;
    }
  }

  /** Resolves when everything written so far has reached the stream's target or failed. */
  settled(): Promise<void> {
    if (this.failure) return Promise.resolve();
    return new Promise((resolve) => {
      try {
        this.stream.write('', () => resolve());
      } catch {
        resolve();
      }
    });
  }

  /** The reader went away: not an error of the run. */
  get readerClosed(): boolean {
    return this.failure?.code === 'EPIPE';
  }

  private record(error: NodeJS.ErrnoException): void {
    // The first failure is the cause; later ones (writes after it) only repeat it.
    this.failure ??= error;
  }
}
