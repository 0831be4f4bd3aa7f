// Channels served by the desktop shell itself (native dialogs, recent cases), not by main/service.
// They travel through the same window.trailmark.invoke and the same guard and validation as the
// case channels; the shell (main/app) implements them, and the e2e browser host stands in for it.
import { z } from 'zod';
import type { IntegrityRun } from './integrity';
import { channels, TimelineFilter, type CaseInfo, type Channel, type ImportProgress, type Req, type Responses } from './api';

export const appChannels = {
  /** Recently opened case files, newest first. */
  'app:recent': { req: z.object({}).strict() },
  /** Save dialog for a new case file, then case:create. Null when the user cancels. */
  'app:new-case': { req: z.object({ name: z.string().max(200).optional(), examiner: z.string().max(200).optional() }).strict() },
  /** Opens the given case (from the recent list), or asks with an open dialog. Null when the user cancels. */
  'app:open-case': { req: z.object({ path: z.string().min(1).max(4096).optional() }).strict() },
  /** Asks for files or folders (multi-select), then import:start. Null when the user cancels. */
  'app:import': { req: z.object({ kind: z.enum(['files', 'folders']) }).strict() },
  /** Generates the sample evidence (a backup bucket left public) into a new sample case and starts importing it. */
  'app:sample': { req: z.object({}).strict() },
  /** Asks where to save, then writes the board report (PDF) or the filtered timeline (CSV, JSON lines, Timesketch). Null when the user cancels. */
  /** Asks for a ListPublicKeys JSON file (a file dialog), then integrity:validate with it. Null when the user cancels. */
  'app:validate-integrity': { req: z.object({ examiner: z.string().max(200).optional() }).strict() },
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
export type AnyChannel = Channel | AppChannel;

export interface RecentCase { path: string; name: string; openedAt: string }

export interface AppResponses {
  'app:recent': RecentCase[];
  'app:new-case': CaseInfo | null;
  'app:open-case': CaseInfo | null;
  'app:import': { jobId: string } | null;
  'app:sample': { info: CaseInfo; jobId: string };
  'app:export': ExportDone | null;
  'app:validate-integrity': IntegrityRun | null;
}

export interface ExportDone { kind: 'report' | 'csv' | 'jsonl' | 'timesketch'; path: string; sha256: string | null; rows: number | null }

export type AnyReq<C extends AnyChannel> = C extends AppChannel ? z.infer<(typeof appChannels)[C]['req']> : C extends Channel ? Req<C> : never;
export type AnyResponse<C extends AnyChannel> = C extends AppChannel ? AppResponses[C] : C extends Channel ? Responses[C] : never;

/** window.trailmark in the desktop app: the case API of shared/api plus the shell's channels. */
export interface DesktopApi {
  invoke<C extends AnyChannel>(channel: C, req: AnyReq<C>): Promise<AnyResponse<C>>;
  onProgress(cb: (p: ImportProgress) => void): () => void;
}

/** What crosses IPC: errors travel as data so the renderer sees the service's own message. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: string };

export const PROGRESS_CHANNEL = 'trailmark:progress';

export function isAnyChannel(name: unknown): name is AnyChannel {
  return typeof name === 'string' && (Object.hasOwn(channels, name) || Object.hasOwn(appChannels, name));
}
