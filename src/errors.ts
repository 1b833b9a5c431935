/**
 * A mistake in how asynclint was called (bad option, config, path): printed as one line, exit 2,
 * never with a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A config file that cannot be used; the message names the file and the key. */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly key: string,
    problem: string,
  ) {
    super(`${file}: ${key ? `${key}: ` : ''}${problem}`);
    this.name = 'ConfigError';
  }
}
