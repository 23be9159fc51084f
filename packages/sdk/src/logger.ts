/** Minimal logging hook; pino and console both satisfy it. */
export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
}

export const noopLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};
