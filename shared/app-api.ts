// Channels served by the desktop shell itself (native dialogs, recent cases), not by main/service.
// They travel through the same window.trailmark.invoke and the same guard and validation as the
// case channels; the shell (main/app) implements them, and the e2e browser host stands in for it.
import { z } from 'zod';
import type { IntegrityRun } from './integrity';
import { AwsPullRequest, TimelineFilter, type AwsPullSummary, type CaseInfo } from './api';

export const appChannels = {
  /** Recently opened case files, newest first. */
  'app:recent': { req: z.object({}).strict() },
  /** Save dialog for a new case file, then case:create. Null when the user cancels. */
  'app:new-case': { req: z.object({ name: z.string().max(200).optional(), examiner: z.string().max(200).optional() }).strict() },
  /** Opens a case from the recent list (by its id; main resolves it), or asks with an open dialog. Null when the user cancels. */
  'app:open-case': { req: z.object({ recentId: z.string().regex(/^[0-9a-f]{16}$/, 'a recent case id').optional() }).strict() },
  /** Asks for files or folders (multi-select), then import:start. Null when the user cancels. */
  'app:import': { req: z.object({ kind: z.enum(['files', 'folders']) }).strict() },
  /** Generates the sample evidence (a backup bucket left public) into a new sample case and starts importing it. */
  'app:sample': { req: z.object({}).strict() },
  /** Asks where to save, then writes the board report (PDF) or the filtered timeline (CSV, JSON lines, Timesketch). Null when the user cancels. */
  /** Asks for a ListPublicKeys JSON file (a file dialog), then integrity:validate with it. Null when the user cancels. */
  'app:validate-integrity': { req: z.object({ examiner: z.string().max(200).optional() }).strict() },
  /**
   * A pull from AWS as the page's form describes it. Main puts the profile, regions, buckets and
   * locations before the user in a native dialog and sends nothing unless they confirm. Null when they do not.
   */
  'app:pull': { req: AwsPullRequest },
  'app:export': {
    req: z.object({
      kind: z.enum(['report', 'csv', 'jsonl', 'timesketch']),
      filter: TimelineFilter.optional(),
      timeZone: z.string().max(64).optional(),
      redact: z.boolean().optional(),
    }).strict(),
  },
} as const;

export type AppChannel = keyof typeof appChannels;

/**
 * Channels only the preload uses (never on window.trailmark): files dropped on the window, whose
 * paths only the preload can read. Main asks the user to confirm them in a native dialog first.
 */
export const preloadChannels = {
  'app:import-dropped': { req: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict() },
} as const;
export type PreloadChannel = keyof typeof preloadChannels;

/** id: what the page sends to reopen it (main resolves it to the file); path: shown, never sent back. */
export interface RecentCase { id: string; path: string; name: string; openedAt: string }

export interface AppResponses {
  'app:recent': RecentCase[];
  'app:new-case': CaseInfo | null;
  'app:open-case': CaseInfo | null;
  'app:import': { jobId: string } | null;
  'app:sample': { info: CaseInfo; jobId: string };
  'app:export': ExportDone | null;
  'app:validate-integrity': IntegrityRun | null;
  'app:pull': AwsPullSummary | null;
  'app:import-dropped': { jobId: string } | null;
}

export interface ExportDone { kind: 'report' | 'csv' | 'jsonl' | 'timesketch'; path: string; sha256: string | null; rows: number | null }

/** What crosses IPC: errors travel as data so the renderer sees the service's own message. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

export const PROGRESS_CHANNEL = 'trailmark:progress';
