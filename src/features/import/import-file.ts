/**
 * `npm run import -- <file.ndjson>` (issue 27, item 1; docs/import.md): loads articles, people,
 * organisations, topics, venues and events, one document per line (./shape.ts).
 *
 * Each new document is written by the partner push's bulk writer (createDocumentRows,
 * src/lib/partner-sync/document-writer.ts): the rows the Document Service would leave (draft and
 * published, every locale, components, relations to the right locale and status of each
 * target), through the one registry of write rules (slugs, event times, derived fields, dynamic
 * zones, the change log the feed, webhooks, response cache and search follow). Nothing here
 * repeats a rule.
 *
 * - A transaction per batch of lines (importBatch): each document, its import_documents row (key
 *   and content hash) and the file's checkpoint commit together or not at all; a bad line is
 *   reported with its line number and field and skipped, and nothing of it is written.
 * - Idempotent: a line whose key was imported with the same content is skipped without a write.
 *   A key imported before with other content is reported (updates are not done by the import).
 * - Resumable: the checkpoint (import_checkpoints, by the file's SHA-256) holds the next line;
 *   a run stopped anywhere starts again after the last line that committed.
 * - Relations name their targets by a key an earlier line gave (import_documents) or by slug.
 * - On PostgreSQL several batches are written side by side and commit in file order
 *   (importFile; docs/import.md, "Side by side").
 */
import { createHash } from 'crypto';
import { createReadStream } from 'fs';
import path from 'path';
import { createInterface } from 'readline';
import type { Core, UID } from '@strapi/strapi';
import type { Knex } from 'knex';
import { createDocumentRows, type ComponentInput, type LocaleInput, type RelationInput } from '../../api/partner/sync/document-writer';
import { hashOf } from '../../api/partner/sync/payload';
import { redirectOf } from '../../api/partner/merge/redirects';
import { batchChangeLog } from '../../lib/sync/change-log';
import { refreshStatistics } from '../../lib/db/planner-statistics';
import { isPostgres } from '../../lib/db/dialect';
import { slugify } from '../../lib/slug';
import { IMPORT_TYPES, parseLine, type ImportLine, type ImportType, type ImportUid, type LineOf, type Reference } from './shape';

export const IMPORT_DOCUMENTS_TABLE = 'import_documents';

/** Merges followed from an imported key's document at most (a chain longer than this is not real). */
const MAX_MERGE_HOPS = 10;
export const IMPORT_CHECKPOINTS_TABLE = 'import_checkpoints';

export interface LineError {
  line: number;
  /** The field's path in the line (`en.title`, `topics.1`); empty for the line as a whole. */
  field: string;
  message: string;
}

export interface ImportProgress {
  line: number;
  lines: number;
  created: number;
  unchanged: number;
  failed: number;
  seconds: number;
}

export interface ImportSummary {
  file: string;
  fileHash: string;
  lines: number;
  /** The line this run started at: 1, or after the last line an earlier, stopped run committed. */
  startedAtLine: number;
  created: Record<ImportType, number>;
  unchanged: number;
  failed: number;
  errors: LineError[];
  seconds: number;
}

export interface ImportOptions {
  /** Called after each line (the CLI prints a progress line from it). */
  progress?: (progress: ImportProgress) => void;
  /**
   * For tests of resuming: called inside each line's transaction once its document's rows are
   * written, before it commits (a line of a batch written again carefully is called again). To
   * crash there, kill the process, or throw an InjectedCrash (the line's transaction rolls back
   * and the run ends with it); anything else it throws fails the line.
   */
  insideTransaction?(line: number): void;
  /** Lines per transaction (default 200, IMPORT_BATCH_LINES for the command). */
  batchLines?: number;
  /**
   * Side by side, how long a batch waits for a lock before the batches in flight are rolled back
   * and written again (default 10 s; see importFile).
   */
  lockTimeoutMs?: number;
  /**
   * Batches written side by side (default 4 on PostgreSQL; always 1 on SQLite, which has one
   * writer; IMPORT_CONCURRENCY for the command). They commit in file order.
   */
  concurrency?: number;
}

export const DEFAULT_BATCH_LINES = 200;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const FIRST_ANALYZE = 1000;

type LineOutcome = { result: 'created'; type: ImportType } | { result: 'unchanged' } | { result: 'failed'; errors: LineError[] };

const conflictMessage = (line: ImportLine) => `${line.type} "${line.key}" was imported before with other content; the import does not update documents`;

/** A crash a test injects (`insideTransaction`): ends the run, as a crash would. */
export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

/** PostgreSQL's lock_not_available: a lock waited for longer than `lock_timeout`. */
const isLockTimeout = (error: unknown): boolean => {
  for (let cause = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; cause && depth < 5; cause = cause.cause as typeof cause, depth++) {
    if (cause.code === '55P03') return true;
  }
  return false;
};

/** A lock timeout during a batch's line-by-line pass: the lines before it (`settled`) are committed. */
class Interrupted extends Error {
  override name = 'Interrupted';
  constructor(
    override readonly cause: unknown,
    readonly settled: Array<{ number: number; outcome: LineOutcome }>,
  ) {
    super(`interrupted: ${String((cause as Error)?.message ?? cause)}`);
  }
}

/** How a batch takes its turn among the batches in flight. */
interface BatchTurn {
  /** Resolves once the batch before has committed: true, or false when it did not or the run stopped. */
  mayCommit(): Promise<boolean>;
  /** Side by side: the transaction's lock_timeout. */
  lockTimeoutMs?: number;
}

/** The batch before this one did not commit: the run ends, and this batch is rolled back unwritten. */
class RunStopped extends Error {
  override name = 'RunStopped';
}

/** A line failed in a batch written straight through: the batch is rolled back and written again, each line in a savepoint. */
class WriteCarefully extends Error {
  override name = 'WriteCarefully';
}

/** A line's problem with one field: reported, the line skipped. */
class LineFailure extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

type ParsedLine = { number: number; line: ImportLine; uid: ImportUid; contentHash: string; makes: string[]; needs: string[] };

/**
 * A batch's lines parsed, with what it makes and what it reads of other lines' making, as keys
 * (`<uid>|key|<key>`, `<uid>|slug|<slug>`, see slugKeys): a batch that needs what one still in
 * flight makes waits for that one to commit (Importer.importFile).
 */
interface ParsedBatch {
  batch: Array<{ number: number; text: string }>;
  parseFailures: Map<number, LineOutcome>;
  lines: ParsedLine[];
  makes: Set<string>;
  needs: Set<string>;
}

/** The lines of `parsed` numbered from `first` to `last`, as a batch of their own. */
function batchOfLines(parsed: ParsedBatch, first: number, last: number): ParsedBatch {
  const within = (number: number) => number >= first && number <= last;
  const lines = parsed.lines.filter(({ number }) => within(number));
  return {
    batch: parsed.batch.filter(({ number }) => within(number)),
    parseFailures: new Map([...parsed.parseFailures].filter(([number]) => within(number))),
    lines,
    makes: new Set(lines.flatMap((line) => line.makes)),
    needs: new Set(lines.flatMap((line) => line.needs)),
  };
}

interface Checkpoint {
  id: number;
  next_line: number;
  finished_at: unknown;
}

const REFERENCE_TYPES: Record<string, ImportUid> = {
  topics: IMPORT_TYPES.topic,
  authors: IMPORT_TYPES.person,
  events: IMPORT_TYPES.event,
  organisers: IMPORT_TYPES.organisation,
  venue: IMPORT_TYPES.venue,
};

const NAMES: Record<ImportUid, string> = {
  'api::article.article': 'article',
  'api::person.person': 'person',
  'api::organisation.organisation': 'organisation',
  'api::topic.topic': 'topic',
  'api::venue.venue': 'venue',
  'api::event.event': 'event',
};

/** The file's SHA-256 and its number of lines, in one read. */
async function fileIdentity(file: string): Promise<{ hash: string; lines: number }> {
  const hash = createHash('sha256');
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file)) {
    const buffer = chunk as Buffer;
    hash.update(buffer);
    for (const byte of buffer) if (byte === 10) lines += 1;
    if (buffer.length > 0) last = buffer[buffer.length - 1]!;
  }
  return { hash: hash.digest('hex'), lines: lines + (last === 10 ? 0 : 1) };
}

/** Plain text to Strapi blocks: a paragraph per blank-line-separated chunk. */
function paragraphs(text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(/\n\s*\n/)
    .map((chunk) => chunk.trim())
    .filter(Boolean)
    .map((chunk) => ({ type: 'paragraph', children: [{ type: 'text', text: chunk }] }));
}

/** The fields given (an unset optional field is not written, as the Document Service would not). */
const given = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));

const referenceText = (reference: Reference) => ('key' in reference ? `key "${reference.key}"` : `slug "${reference.slug}"`);

export class Importer {
  private readonly keys = new Map<string, string>();

  constructor(private readonly strapi: Core.Strapi) {}

  private get knex(): Knex {
    return this.strapi.db.connection;
  }

  /** Imports `file`; resolves to the summary (errors included); rejects only when the run itself cannot go on. */
  async importFile(file: string, options: ImportOptions = {}): Promise<ImportSummary> {
    const started = Date.now();
    const { hash: fileHash, lines } = await fileIdentity(file);
    const checkpoint = await this.checkpoint(fileHash, path.basename(file));
    // A finished file is read again from the start (every line found unchanged, or reported
    // again); a stopped one from the line after the last that committed.
    const startedAtLine = checkpoint.finished_at ? 1 : checkpoint.next_line;
    let nextLine = checkpoint.next_line;
    const summary: ImportSummary = {
      file,
      fileHash,
      lines,
      startedAtLine,
      created: { article: 0, person: 0, organisation: 0, topic: 0, venue: 0, event: 0 },
      unchanged: 0,
      failed: 0,
      errors: [],
      seconds: 0,
    };
    const advance = async (to: number, trx: Knex = this.knex) => {
      if (to <= nextLine) return;
      await trx(IMPORT_CHECKPOINTS_TABLE).where({ id: checkpoint.id }).update({ next_line: to, updated_at: new Date() });
      nextLine = to;
    };

    const batchLines = Math.max(1, Math.floor(options.batchLines ?? DEFAULT_BATCH_LINES));
    // Planner statistics kept up as the tables grow: at 1,000 documents made, 2,000, 4,000...
    // (a handful of ANALYZEs for a whole archive) and at the end.
    let analyzeAt = FIRST_ANALYZE;
    const createdSoFar = () => Object.values(summary.created).reduce((sum, count) => sum + count, 0);
    // Batches in flight, oldest first. On PostgreSQL the next batch is written while the one
    // before it is: the process prepares one batch (validation, search terms) while the database
    // writes the other, which a batch after another cannot do. Each commits after the one before
    // it (its checkpoint, change log and search entries in file order; its links to targets the
    // one before also linked placed after those), and a batch that needs a document, a key or a
    // slug one in flight makes starts once that one has committed. A connection is kept free of
    // them for the rest of the app.
    const poolMax = (this.knex.client.config as { pool?: { max?: number } }).pool?.max ?? 10;
    const concurrency = isPostgres(this.knex) ? Math.max(1, Math.min(Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY), poolMax - 1)) : 1;
    const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    // The line after the last one tallied in the summary: where a restart (below) goes on from.
    let resumeAt = startedAtLine;
    // Up to this line the run goes one batch at a time (set when it was stuck there).
    let oneAtATimeTo = 0;
    const tally = (outcomes: Array<{ number: number; outcome: LineOutcome }>) => {
      for (const { number: line, outcome } of outcomes) {
        if (outcome.result === 'created') summary.created[outcome.type] += 1;
        else if (outcome.result === 'unchanged') summary.unchanged += 1;
        else {
          summary.failed += 1;
          summary.errors.push(...outcome.errors);
        }
        options.progress?.({ line, lines, created: createdSoFar(), unchanged: summary.unchanged, failed: summary.failed, seconds: (Date.now() - started) / 1000 });
        resumeAt = Math.max(resumeAt, line + 1);
      }
    };

    /** Imports the file's lines from `from` on; resolves to the file's last line number. */
    const importFrom = async (from: number): Promise<number> => {
      let number = 0;
      let batch: Array<{ number: number; text: string }> = [];
      let stopped = false;
      const limit = () => (resumeAt <= oneAtATimeTo ? 1 : concurrency);
      const inFlight: Array<{ end: number; makes: Set<string>; outcomes: Promise<Array<{ number: number; outcome: LineOutcome }>>; committed: Promise<boolean> }> = [];
      const finishOldest = async () => {
        const oldest = inFlight[0]!;
        let outcomes: Array<{ number: number; outcome: LineOutcome }>;
        try {
          outcomes = await oldest.outcomes;
        } catch (error) {
          // Lines of the batch written one by one before it was stopped are committed: counted.
          if (error instanceof Interrupted) tally(error.settled);
          throw error;
        }
        inFlight.shift();
        tally(outcomes);
        resumeAt = Math.max(resumeAt, oldest.end + 1);
        if (createdSoFar() >= analyzeAt) {
          await refreshStatistics(this.knex);
          while (analyzeAt <= createdSoFar()) analyzeAt *= 2;
        }
      };
      const needsInFlight = (needs: Iterable<string>) => [...needs].some((key) => inFlight.some(({ makes }) => makes.has(key)));
      const start = async (parsed: ParsedBatch, end: number) => {
        while (inFlight.length >= limit() || needsInFlight(parsed.needs)) await finishOldest();
        const previous = inFlight.at(-1)?.committed ?? Promise.resolve(true);
        const turn: BatchTurn = {
          mayCommit: async () => (await previous) && !stopped,
          lockTimeoutMs: limit() > 1 ? lockTimeoutMs : undefined,
        };
        const outcomes = this.importBatch(parsed, end, options, advance, turn);
        inFlight.push({ end, makes: parsed.makes, outcomes, committed: outcomes.then(() => true, () => false) });
      };
      const runBatch = async () => {
        const parsed = this.parseBatch(batch);
        const first = batch[0]?.number ?? number;
        batch = [];
        while (inFlight.length >= limit()) await finishOldest();
        // Lines that need what a batch in flight makes (a festival's sessions after the festival,
        // say) usually come first: they go as a batch of their own, waiting for that one, and the
        // lines after them as another, side by side with it.
        const waiting = parsed.lines.filter((line) => needsInFlight(line.needs));
        const split = waiting.at(-1)?.number;
        if (split !== undefined && split < (parsed.lines.at(-1)?.number ?? 0)) {
          await start(batchOfLines(parsed, first, split), split);
          await start(batchOfLines(parsed, split + 1, number), number);
        } else await start(parsed, number);
      };
      const reader = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
      try {
        for await (const text of reader) {
          number += 1;
          if (number < from) continue;
          if (text.trim() !== '') batch.push({ number, text });
          if ((number - from + 1) % batchLines === 0) await runBatch();
        }
        if (batch.length > 0) await runBatch();
        while (inFlight.length > 0) await finishOldest();
      } catch (error) {
        // A run that stops ends the batches in flight first: each rolls back (the one before it
        // did not commit, or the run stopped), so nothing is left writing when the caller closes
        // the database, and no batch commits past a batch that did not.
        reader.close();
        stopped = true;
        await Promise.all(inFlight.map(({ committed }) => committed));
        throw error;
      }
      return number;
    };

    // A batch that waited for a lock longer than lockTimeoutMs (side by side only) may have been
    // in a wait PostgreSQL cannot see: another writer holds a lock the oldest batch needs and
    // waits for one a younger batch holds, while that batch waits here for the oldest to commit.
    // Everything in flight has been rolled back (the other writer goes on); the run goes on after
    // the last line counted (lines committed past it come back unchanged). Stuck at one line
    // three times, it goes one batch at a time past that line (no timeout: a wait PostgreSQL
    // sees), then side by side again.
    let retriesHere = 0;
    let number: number;
    for (;;) {
      const from = resumeAt;
      try {
        number = await importFrom(from);
        break;
      } catch (error) {
        if (!isLockTimeout(error) || concurrency === 1 || resumeAt <= oneAtATimeTo) throw error;
        retriesHere = resumeAt === from ? retriesHere + 1 : 1;
        if (retriesHere >= 3) oneAtATimeTo = resumeAt;
      }
    }
    if (createdSoFar() > 0) await refreshStatistics(this.knex);
    await advance(number + 1);
    if (!checkpoint.finished_at) {
      await this.knex(IMPORT_CHECKPOINTS_TABLE).where({ id: checkpoint.id }).update({ finished_at: new Date(), updated_at: new Date() });
    }
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }

  /** The file's checkpoint, made at its first run. */
  private async checkpoint(fileHash: string, fileName: string): Promise<Checkpoint> {
    const found = (await this.knex(IMPORT_CHECKPOINTS_TABLE).where({ file_hash: fileHash }).first()) as Checkpoint | undefined;
    if (found) return found;
    const now = new Date();
    await this.knex(IMPORT_CHECKPOINTS_TABLE).insert({ file_hash: fileHash, file_name: fileName.slice(0, 500), next_line: 1, started_at: now, updated_at: now });
    return (await this.knex(IMPORT_CHECKPOINTS_TABLE).where({ file_hash: fileHash }).first()) as Checkpoint;
  }

  /**
   * One batch of lines in one transaction: lines whose key was imported before are settled
   * first (unchanged, or a conflict) without writing; the new ones are written, and the change
   * log's listeners (search, webhooks, cache) hear the batch's changes once, before the commit.
   * The checkpoint moves past `end` (the batch's last line, blank or not) in its transaction.
   *
   * A batch is first written straight through (`writeCarefully` false): no savepoints, the
   * import_documents rows in one insert. Most batches have no bad line, and this sends three
   * statements a line fewer. When a line fails there, the whole transaction is rolled back and
   * the batch written again carefully: each new line inside a savepoint, so a bad line is rolled
   * back alone and reported. If the batch's transaction fails as a whole (a listener, the commit),
   * its lines are written again one transaction each, so the line at fault is the one reported.
   */
  private async importBatch(
    parsed: ParsedBatch,
    end: number,
    options: ImportOptions,
    advance: (to: number, trx: Knex) => Promise<void>,
    turn: BatchTurn,
    { writeCarefully = false, alone = false }: { writeCarefully?: boolean; alone?: boolean } = {},
  ): Promise<Array<{ number: number; outcome: LineOutcome }>> {
    const { batch, lines: parsedLines } = parsed;
    const outcomes = new Map<number, LineOutcome>(parsed.parseFailures);
    const fresh: ParsedLine[] = [];
    // This batch commits after the one before it, or not at all.
    const afterPrevious = async () => {
      if (!(await turn.mayCommit())) throw new RunStopped('the batch before this one did not commit');
    };
    const known = await this.knownKeys(parsedLines);
    for (const item of parsedLines) {
      const { number, line, uid, contentHash } = item;
      const before = known.get(`${uid}|${line.key}`);
      if (!before) {
        fresh.push(item);
        continue;
      }
      try {
        if (before.content_hash !== contentHash) throw new LineFailure('key', conflictMessage(line));
        this.keys.set(`${uid}|${line.key}`, await this.current(this.knex, uid, before.document_id));
        outcomes.set(number, { result: 'unchanged' });
      } catch (error) {
        outcomes.set(number, { result: 'failed', errors: lineErrors(number, line, new Map(), error) });
      }
    }

    const created = new Map<string, { documentId: string; contentHash: string }>();
    // A single new line is written carefully at once: nothing to gain, and its failure (its
    // import_documents row among them) stays the line's.
    const careful = writeCarefully || fresh.length === 1;
    if (fresh.length === 0) {
      // Nothing to write (a re-run): no transaction, and the checkpoint moves only when behind.
      await afterPrevious();
      await advance(end + 1, this.knex);
      return batch.map(({ number }) => ({ number, outcome: outcomes.get(number)! }));
    }
    try {
      await this.strapi.db.transaction(async ({ trx: transaction, onCommit }) => {
        const trx = transaction as Knex.Transaction;
        if (turn.lockTimeoutMs !== undefined) await trx.raw('select set_config(?, ?, true)', ['lock_timeout', `${Math.max(1, Math.floor(turn.lockTimeoutMs))}ms`]);
        const changes = batchChangeLog(this.strapi, trx, onCommit);
        const importRows: Array<Record<string, unknown>> = [];
        for (const { number, line, uid, contentHash } of fresh) {
          const key = `${uid}|${line.key}`;
          const earlier = created.get(key);
          if (earlier) {
            // The same key twice in one batch: as if the earlier line had been committed.
            outcomes.set(number, earlier.contentHash === contentHash ? { result: 'unchanged' } : { result: 'failed', errors: [{ line: number, field: 'key', message: conflictMessage(line) }] });
            continue;
          }
          const mark = changes.mark();
          let resolved = new Map<Reference, string>();
          if (careful) await trx.raw('savepoint import_line');
          try {
            resolved = await this.resolveReferences(trx, line, created);
            const documentId = await createDocumentRows(this.strapi, trx, onCommit, uid as UID.ContentType, localeInputs(line, resolved), { publish: line.publish });
            const imported = { content_type: uid, import_key: line.key, document_id: documentId, content_hash: contentHash, created_at: new Date() };
            if (careful) await trx(IMPORT_DOCUMENTS_TABLE).insert(imported);
            else importRows.push(imported);
            options.insideTransaction?.(number);
            if (careful) await trx.raw('release savepoint import_line');
            created.set(key, { documentId, contentHash });
            outcomes.set(number, { result: 'created', type: line.type });
          } catch (error) {
            if (error instanceof InjectedCrash || isLockTimeout(error)) throw error;
            // Straight through, a line's rows cannot be taken back alone: the batch again, carefully.
            if (!careful) throw new WriteCarefully();
            await trx.raw('rollback to savepoint import_line');
            await trx.raw('release savepoint import_line');
            changes.dropAfter(mark);
            outcomes.set(number, { result: 'failed', errors: lineErrors(number, line, resolved, error) });
          }
        }
        if (importRows.length > 0) await trx(IMPORT_DOCUMENTS_TABLE).insert(importRows);
        await afterPrevious();
        await changes.flush();
        await advance(end + 1, trx);
      });
    } catch (error) {
      if (error instanceof WriteCarefully) return this.importBatch(parsed, end, options, advance, turn, { writeCarefully: true, alone });
      if (error instanceof InjectedCrash || error instanceof RunStopped || isLockTimeout(error) || alone) throw error;
      // The batch as a whole failed: nothing of it was written. Each line again, on its own.
      const results: Array<{ number: number; outcome: LineOutcome }> = [];
      for (const item of batch) {
        const [one] = await this.importBatch(this.parseBatch([item]), item.number, options, advance, turn, { alone: true }).catch((failure: unknown) => {
          if (isLockTimeout(failure)) throw new Interrupted(failure, results);
          if (failure instanceof InjectedCrash || failure instanceof RunStopped) throw failure;
          return [{ number: item.number, outcome: { result: 'failed', errors: [{ line: item.number, field: '', message: String((failure as Error)?.message ?? failure) }] } as LineOutcome }];
        });
        results.push(one!);
      }
      return results;
    }
    for (const [key, { documentId }] of created) this.keys.set(key, documentId);
    return batch.map(({ number }) => ({ number, outcome: outcomes.get(number)! }));
  }

  /** A batch's lines parsed (a line that does not parse is its failure), with what it makes and needs. */
  private parseBatch(batch: Array<{ number: number; text: string }>): ParsedBatch {
    const parsed: ParsedBatch = { batch, parseFailures: new Map(), lines: [], makes: new Set(), needs: new Set() };
    for (const { number, text } of batch) {
      const result = parseLine(text);
      if (!result.ok) {
        parsed.parseFailures.set(number, { result: 'failed', errors: result.errors.map((error) => ({ line: number, field: error.path.join('.'), message: error.message })) });
        continue;
      }
      const { line } = result;
      const uid = IMPORT_TYPES[line.type];
      // Its own key and slugs: a line of another batch with the same key is settled against
      // this one, and a slug is made unique against the slugs before it.
      const makes = [`${uid}|key|${line.key}`, ...lineSlugKeys(uid, line)];
      const needs = [...makes, ...lineReferences(line).flatMap(({ reference, uid: target }) => ('key' in reference ? [`${target}|key|${reference.key}`] : slugKeys(target, reference.slug)))];
      parsed.lines.push({ number, line, uid, contentHash: hashOf(line), makes, needs });
      makes.forEach((key) => parsed.makes.add(key));
      needs.forEach((key) => parsed.needs.add(key));
    }
    return parsed;
  }

  /** The batch's keys imported before (import_documents), one statement per type. */
  private async knownKeys(lines: Array<{ line: ImportLine; uid: ImportUid }>): Promise<Map<string, { document_id: string; content_hash: string }>> {
    const found = new Map<string, { document_id: string; content_hash: string }>();
    const byType = new Map<ImportUid, string[]>();
    for (const { line, uid } of lines) {
      const keys = byType.get(uid);
      if (keys) keys.push(line.key);
      else byType.set(uid, [line.key]);
    }
    for (const [uid, keys] of byType) {
      const rows = (await this.knex(IMPORT_DOCUMENTS_TABLE).select('import_key', 'document_id', 'content_hash').where({ content_type: uid }).whereIn('import_key', keys)) as Array<{
        import_key: string;
        document_id: string;
        content_hash: string;
      }>;
      for (const row of rows) found.set(`${uid}|${row.import_key}`, row);
    }
    return found;
  }

  /**
   * The document an imported key's document now is: an editor may have merged it into another
   * since (src/api/partner/merge/), and a merged one may be merged again. An undone merge drops
   * its redirect, so the key leads to its own document again.
   */
  private async current(knex: Knex, uid: string, documentId: string): Promise<string> {
    let current = documentId;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      const next = await redirectOf(knex, uid, current);
      if (!next || next === documentId) return current;
      current = next;
    }
    return current;
  }

  /**
   * Every reference of the line to a documentId, by key (import_documents, earlier lines of this
   * run first) or by slug (any locale's row, Danish first); an unknown one fails the line.
   */
  private async resolveReferences(knex: Knex, line: ImportLine, inBatch: Map<string, { documentId: string }>): Promise<Map<Reference, string>> {
    const wanted = lineReferences(line);
    const resolved = new Map<Reference, string>();
    for (const { reference, uid, field } of wanted) {
      let documentId: string | undefined;
      if ('key' in reference) {
        documentId = this.keys.get(`${uid}|${reference.key}`) ?? inBatch.get(`${uid}|${reference.key}`)?.documentId;
        if (!documentId) {
          const row = (await knex(IMPORT_DOCUMENTS_TABLE).where({ content_type: uid, import_key: reference.key }).first()) as { document_id: string } | undefined;
          documentId = row ? await this.current(knex, uid, row.document_id) : undefined;
          // Remembered once the batch commits (a key read from the table is committed already).
          if (documentId) this.keys.set(`${uid}|${reference.key}`, documentId);
        }
      } else if ('slug' in this.strapi.getModel(uid as UID.ContentType).attributes) {
        const rows = (await this.strapi.db.query(uid as UID.ContentType).findMany({
          select: ['documentId', 'locale'],
          where: { slug: reference.slug },
        })) as Array<{ documentId: string; locale: string }>;
        documentId = (rows.find((row) => row.locale === 'da') ?? rows[0])?.documentId;
      }
      if (!documentId) throw new LineFailure(field, `no ${NAMES[uid]} with ${referenceText(reference)}`);
      resolved.set(reference, documentId);
    }
    return resolved;
  }
}

/**
 * The keys of a slug made from `text` (or given as it), as a batch makes or needs them. The slug
 * rule keeps a slug `s` or, when taken, makes `s-2`, `s-3`…: two slugs can come out the same
 * only when they are equal or one is the other with such an ending, so each is its own key and,
 * when it ends in `-2`, `-3`…, the slug without that ending too.
 */
function slugKeys(uid: ImportUid, text: string): string[] {
  const slug = slugify(text);
  const suffixed = /^(.+)-(\d+)$/.exec(slug);
  const keys = [`${uid}|slug|${slug}`];
  if (suffixed && Number(suffixed[2]) >= 2) keys.push(`${uid}|slug|${suffixed[1]}`);
  return keys;
}

/** The slugs a line's document may get, in any locale, as keys: from the slug given, or from its name or title. */
function lineSlugKeys(uid: ImportUid, line: ImportLine): string[] {
  const texts = (['da', 'en'] as const).map((locale) => (line as Record<string, unknown>)[locale] as Record<string, unknown> | undefined);
  const sources = [(line as Record<string, unknown>).name, ...texts.flatMap((text) => [text?.slug, text?.title, text?.name])];
  return [...new Set(sources.filter((source): source is string => typeof source === 'string').flatMap((source) => slugKeys(uid, source)))];
}

/** Every reference a line makes, with its target type and its field's path. */
function lineReferences(line: ImportLine): Array<{ reference: Reference; uid: ImportUid; field: string }> {
  const found: Array<{ reference: Reference; uid: ImportUid; field: string }> = [];
  const add = (reference: Reference | undefined, uid: ImportUid, field: string) => {
    if (reference) found.push({ reference, uid, field });
  };
  const list = (references: Reference[], field: string) => references.forEach((reference, index) => add(reference, REFERENCE_TYPES[field]!, `${field}.${index}`));
  switch (line.type) {
    case 'organisation':
      add(line.parent, IMPORT_TYPES.organisation, 'parent');
      break;
    case 'person':
      for (const locale of ['da', 'en'] as const) {
        line[locale]?.affiliations.forEach((affiliation, index) => add(affiliation.organisation, IMPORT_TYPES.organisation, `${locale}.affiliations.${index}.organisation`));
      }
      break;
    case 'event':
      add(line.venue, IMPORT_TYPES.venue, 'venue');
      add(line.parent, IMPORT_TYPES.event, 'parent');
      list(line.organisers, 'organisers');
      list(line.topics, 'topics');
      line.participants.forEach((participant, index) => add(participant.person, IMPORT_TYPES.person, `participants.${index}.person`));
      break;
    case 'article':
      list(line.authors, 'authors');
      list(line.topics, 'topics');
      list(line.events, 'events');
      break;
    default:
      break;
  }
  return found;
}

/** A line as the bulk writer takes it: per locale, its data, relations (documentIds) and components. */
function localeInputs(line: ImportLine, resolved: Map<Reference, string>): LocaleInput[] {
  const ids = (uid: ImportUid, references: Array<Reference | undefined>): RelationInput => ({
    uid: uid as UID.ContentType,
    documentIds: references.filter((reference): reference is Reference => reference !== undefined).map((reference) => resolved.get(reference)!),
  });
  const locales = (['da', 'en'] as const).filter((locale) => line[locale] !== undefined);
  return locales.map((locale): LocaleInput => {
    switch (line.type) {
      case 'topic': {
        const texts = line[locale]!;
        return { locale, data: given({ name: texts.name, slug: texts.slug, description: texts.description }) };
      }
      case 'organisation': {
        const texts = line[locale]!;
        return {
          locale,
          data: given({ name: texts.name, slug: texts.slug, kind: line.kind, shortName: line.shortName, aliases: line.aliases, website: line.website }),
          relations: { parent: ids(IMPORT_TYPES.organisation, [line.parent]) },
        };
      }
      case 'person': {
        const texts = (line as LineOf<'person'>)[locale]!;
        return {
          locale,
          data: given({ name: line.name, email: line.email, slug: texts.slug, bio: texts.bio }),
          components: {
            affiliations: texts.affiliations.map(
              ({ organisation, ...affiliation }): ComponentInput => ({
                uid: 'people.affiliation',
                data: given(affiliation),
                relations: { organisation: ids(IMPORT_TYPES.organisation, [organisation]) },
              }),
            ),
          },
        };
      }
      case 'venue': {
        const texts = line[locale]!;
        const { type: _type, key: _key, publish: _publish, da: _da, en: _en, ...shared } = line;
        return { locale, data: given({ name: texts.name, ...shared }) };
      }
      case 'event': {
        const texts = line[locale]!;
        return {
          locale,
          data: given({
            title: texts.title,
            slug: texts.slug,
            summary: texts.summary,
            description: paragraphs(texts.description),
            startsAt: line.startsAt,
            endsAt: line.endsAt,
            timeZone: line.timeZone,
            kind: line.kind,
            eventStatus: line.eventStatus,
            attendanceMode: line.attendanceMode,
            programmeUrl: line.programmeUrl,
            externalId: line.externalId,
            sourcePartner: line.sourcePartner,
          }),
          relations: {
            venue: ids(IMPORT_TYPES.venue, [line.venue]),
            parent: ids(IMPORT_TYPES.event, [line.parent]),
            organisers: ids(IMPORT_TYPES.organisation, line.organisers),
            topics: ids(IMPORT_TYPES.topic, line.topics),
          },
          components: {
            participants: line.participants.map(
              (participant): ComponentInput => ({
                uid: 'events.participant',
                data: { part: participant.part },
                relations: { person: ids(IMPORT_TYPES.person, [participant.person]) },
              }),
            ),
          },
        };
      }
      case 'article': {
        const texts = (line as LineOf<'article'>)[locale]!;
        const body = paragraphs(texts.body);
        return {
          locale,
          data: given({ title: texts.title, slug: texts.slug, lead: texts.lead, coverCaption: texts.coverCaption, coverCredit: line.coverCredit }),
          relations: {
            authors: ids(IMPORT_TYPES.person, line.authors),
            topics: ids(IMPORT_TYPES.topic, line.topics),
            events: ids(IMPORT_TYPES.event, line.events),
          },
          components: {
            ...(body ? { body: [{ uid: 'blocks.rich-text', data: { body } }] } : {}),
            ...(texts.seo ? { seo: [{ uid: 'shared.seo', data: given(texts.seo) }] } : {}),
            externalLinks: texts.externalLinks.map((link): ComponentInput => ({ uid: 'shared.external-link', data: link })),
          },
        };
      }
    }
  });
}

/** A failed line's errors, each naming its field: ours, Strapi's validator's, a write rule's. */
function lineErrors(number: number, line: ImportLine, resolved: Map<Reference, string>, error: unknown): LineError[] {
  if (error instanceof LineFailure) return [{ line: number, field: error.field, message: error.message }];
  // The bulk writer's (and the Document Service's) words for a target without a row in the
  // locale linked from: said of the field that names it.
  const missing = error instanceof Error ? /^Document with id "([^"]+)", locale "([^"]+)" not found$/.exec(error.message) : null;
  if (missing) {
    const [, documentId, locale] = missing;
    const fields = lineReferences(line).filter(({ reference }) => resolved.get(reference) === documentId);
    if (fields.length > 0) {
      return fields.map(({ reference, uid, field }) => ({
        line: number,
        field,
        message: `${NAMES[uid]} with ${referenceText(reference)} has no "${locale}" version to link from this line's "${locale}" locale`,
      }));
    }
  }
  const details = (error as { details?: { errors?: Array<{ path?: Array<string | number>; message?: string }> } }).details;
  const message = error instanceof Error ? error.message : String(error);
  if (details?.errors && details.errors.length > 0) {
    return details.errors.map((detail) => ({ line: number, field: (detail.path ?? []).join('.'), message: detail.message ?? message }));
  }
  return [{ line: number, field: '', message: `${line.type} "${line.key}": ${message}` }];
}

/** Imports `file` into the running app (scripts/import.js; tests). */
export async function importFile(strapi: Core.Strapi, file: string, options: ImportOptions = {}): Promise<ImportSummary> {
  return new Importer(strapi).importFile(file, options);
}
