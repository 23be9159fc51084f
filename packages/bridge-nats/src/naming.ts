import { hostname } from 'node:os';

/** Subjects and stream of one replicated feed: `deepwater.<base-id>.<feed>.records|schema`. */
export interface FeedSubjects {
  /** Raw record batches. */
  records: string;
  /** The feed's schema (JSON), published once and again whenever it changes. */
  schema: string;
  /** What the stream captures: both of the above. */
  all: string;
  stream: string;
}

const TOKEN_UNSAFE = /[^A-Za-z0-9_-]/g;

/** A subject token from any text: NATS tokens cannot hold '.', '*', '>' or whitespace. */
export function subjectToken(text: string): string {
  const token = text.replace(TOKEN_UNSAFE, '_');
  return token === '' ? '_' : token;
}

/** The default base id: this host's name, as a subject token. */
export function defaultBaseId(): string {
  return subjectToken(hostname());
}

/** Default stream name `DW_<BASE-ID>_<FEED>` (stream names cannot hold '.', '*', '>' or spaces). */
export function defaultStreamName(baseId: string, feed: string): string {
  return `DW_${subjectToken(baseId)}_${subjectToken(feed)}`.toUpperCase();
}

export function feedSubjects(baseId: string, feed: string, stream?: string): FeedSubjects {
  const prefix = `deepwater.${subjectToken(baseId)}.${subjectToken(feed)}`;
  return {
    records: `${prefix}.records`,
    schema: `${prefix}.schema`,
    all: `${prefix}.*`,
    stream: stream ?? defaultStreamName(baseId, feed),
  };
}

/** Message headers the bridge sets on record batches. */
export const HEADER_FIRST_SEQ = 'Deepwater-First-Seq';
export const HEADER_COUNT = 'Deepwater-Count';
export const HEADER_RECORD_SIZE = 'Deepwater-Record-Size';
