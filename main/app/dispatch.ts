// The one road from a renderer request to main: channel check (shared/page-api's allow-list, never
// the service's main-only operations), schema validation, then the case service (or the shell, for
// app:* channels, which take paths from native dialogs and recent-case ids, never from the page).
// Electron's ipcMain handlers (ipc.ts) and the e2e browser host both call this, so the tests drive
// exactly what the app runs. No electron import.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import type { AwsPullRequest, CaseInfo, Channel, ImportProgress, Req, Responses, TimelineFilter } from '../../shared/api';
import { appChannels, type AppChannel, type AppResponses, type Envelope, type ExportDone, type PreloadChannel } from '../../shared/app-api';
import { ipcSchema, isIpcChannel } from '../../shared/page-api';
import { describeDrop, describePull, describeUpgrade, upgradeCopyName, type Confirmation, type UpgradeChoice, type UpgradeQuestion } from './confirmations';
import type { RecentStore } from './recent';

/** What dispatch needs of main/service's CaseService. */
export interface CaseServiceLike {
  invoke<C extends Channel>(channel: C, req: Req<C>): Promise<Responses[C]> | Responses[C];
  onProgress(cb: (p: ImportProgress) => void): () => void;
}

/** The native parts of the shell: dialogs. Electron implements them with `dialog`; the e2e browser host with the test's choices. */
export interface Dialogs {
  chooseNewCasePath(suggestedName: string): Promise<string | null>;
  chooseCasePath(): Promise<string | null>;
  chooseImportPaths(kind: 'files' | 'folders'): Promise<string[] | null>;
  /** A save dialog for an export, offering `suggestedName` (its extension names the file type). */
  chooseExportPath(suggestedName: string): Promise<string | null>;
  /** An open dialog for a CloudTrail ListPublicKeys result saved as JSON. */
  chooseKeysFile(): Promise<string | null>;
  /** A yes/no question (a pull's profile and destinations, dropped files); true only on the user's yes. */
  confirm(question: Confirmation): Promise<boolean>;
  /** Upgrade in place / Upgrade a copy… / Cancel, for a case of an earlier schema; null on Cancel. */
  askUpgrade(question: UpgradeQuestion): Promise<UpgradeChoice>;
  /** A save dialog for an upgraded copy of a case, offering `suggestedPath` (beside the original). */
  chooseUpgradeCopyPath(suggestedPath: string): Promise<string | null>;
}

/** Where sample cases go and how their evidence is written (main/sample's generator). */
export interface SampleMaker {
  root: string;
  generate(outDir: string): Promise<void> | void;
}

export interface Shell { dialogs: Dialogs; recent: RecentStore; sample: SampleMaker }

export type Dispatch = (channel: unknown, req: unknown) => Promise<Envelope<unknown>>;

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 5).map((i) => `${i.path.map(String).join('.') || '(request)'}: ${i.message}`).join('; ');
}

export function createDispatch(service: CaseServiceLike, { dialogs, recent, sample }: Shell): Dispatch {
  const remember = (info: CaseInfo) => recent.add(info.path, info.name || basename(info.path));
  const call = async <C extends Channel>(c: C, req: Req<C>): Promise<Responses[C]> => {
    const res = await service.invoke(c, req);
    if ((c === 'case:open' || c === 'case:create') && !('needsUpgrade' in (res as object))) remember(res as CaseInfo);
    return res;
  };
  /** Opens a case; one of an earlier schema only once the user has chosen how to upgrade it (the copy's file from a save dialog). */
  const openAsking = async (path: string): Promise<CaseInfo | null> => {
    const opened = await call('case:open', { path });
    if (!('needsUpgrade' in opened)) return opened;
    const choice = await dialogs.askUpgrade(describeUpgrade(opened.needsUpgrade));
    if (choice === 'in-place') return call('case:open', { path, upgrade: 'in-place' }) as Promise<CaseInfo>;
    if (choice !== 'copy') return null;
    const copyTo = await dialogs.chooseUpgradeCopyPath(upgradeCopyName(path));
    if (!copyTo) return null;
    return call('case:open', { path, upgrade: { copyTo } }) as Promise<CaseInfo>;
  };

  const app: { [C in AppChannel]: (req: never) => Promise<AppResponses[C]> } = {
    'app:recent': async () => recent.list(),
    'app:new-case': async (req: { name?: string; examiner?: string }) => {
      // The page's name only suggests a file name: no separators, so it cannot point the dialog elsewhere.
      const suggested = (req.name ?? '').replace(/[\\/:*?"<>|\x00-\x1f]+/g, '-').replace(/^[.-]+/, '').slice(0, 100) || 'case';
      const path = await dialogs.chooseNewCasePath(`${suggested}.trailmark`);
      if (!path) return null;
      return call('case:create', { path, name: req.name || basename(path).replace(/\.trailmark$/, ''), examiner: req.examiner });
    },
    'app:open-case': async (req: { recentId?: string }) => {
      let path: string | null;
      if (req.recentId) {
        path = recent.resolve(req.recentId);
        if (!path) throw new Error('that case is no longer in the recent list (moved or deleted?); open it with Open case…');
      } else {
        path = await dialogs.chooseCasePath();
      }
      if (!path) return null;
      return openAsking(path);
    },
    'app:import': async (req: { kind: 'files' | 'folders' }) => {
      const paths = await dialogs.chooseImportPaths(req.kind);
      if (!paths || paths.length === 0) return null;
      return call('import:start', { paths });
    },
    'app:export': async (req: { kind: ExportDone['kind']; filter?: TimelineFilter; timeZone?: string; redact?: boolean }) => {
      const info = await call('case:info', {});
      if (!info) throw new Error('open a case before exporting');
      const base = (info.name || basename(info.path)).replace(/[^\w.-]+/g, '-').slice(0, 60) || 'case';
      const ext = req.kind === 'report' ? 'pdf' : req.kind === 'csv' ? 'csv' : 'jsonl';
      const path = await dialogs.chooseExportPath(`${base}-${req.kind === 'report' ? 'report' : 'timeline'}${req.kind === 'timesketch' ? '-timesketch' : ''}.${ext}`);
      if (!path) return null;
      const filter = req.filter ?? {};
      // report:render and export:timeline belong to main/report; called with a request built here from a validated one.
      const invoke = service.invoke.bind(service) as (c: string, r: object) => Promise<unknown>;
      if (req.kind === 'report') {
        const r = (await invoke('report:render', {
          path, redact: req.redact, timeZone: req.timeZone, filter,
        })) as { sha256: string | null; downloads: number };
        return { kind: req.kind, path, sha256: r.sha256, rows: r.downloads };
      }
      const r = (await invoke('export:timeline', { format: req.kind, path, filter, redact: req.redact })) as { rows: number; sha256: string };
      return { kind: req.kind, path, sha256: r.sha256, rows: r.rows };
    },
    'app:validate-integrity': async (req: { examiner?: string }) => {
      const keysPath = await dialogs.chooseKeysFile();
      if (!keysPath) return null;
      return call('integrity:validate', { keysPath, examiner: req.examiner });
    },
    'app:pull': async (req: z.infer<typeof AwsPullRequest>) => {
      if (!(await call('case:info', {}))) throw new Error('open a case before pulling from AWS');
      if (!(await dialogs.confirm(describePull(req)))) return null;
      return call('aws:pull', req);
    },
    'app:sample': async () => {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const dir = join(sample.root, `sample-${stamp}`);
      const evidence = join(dir, 'evidence');
      mkdirSync(evidence, { recursive: true });
      await sample.generate(evidence);
      const info = await call('case:create', { path: join(dir, 'sample.trailmark'), name: 'Sample: public backup bucket', examiner: 'sample' });
      const { jobId } = await call('import:start', { paths: [evidence] });
      return { info, jobId };
    },
  };

  // Files dropped on the window: their paths come from the preload (webUtils), so the user confirms them here.
  const preload: { [C in PreloadChannel]: (req: never) => Promise<AppResponses[C]> } = {
    'app:import-dropped': async (req: { paths: string[] }) => {
      const info = await call('case:info', {});
      if (!info) throw new Error('open a case before importing');
      if (!(await dialogs.confirm(describeDrop(req.paths, info.name || basename(info.path))))) return null;
      return call('import:start', { paths: req.paths });
    },
  };

  return async (channel, req) => {
    if (!isIpcChannel(channel)) return { ok: false, error: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}` };
    const parsed = ipcSchema(channel).safeParse(req);
    if (!parsed.success) return { ok: false, error: `invalid request for ${channel}: ${describeIssues(parsed.error.issues)}` };
    try {
      const value = Object.hasOwn(appChannels, channel)
        ? await app[channel as AppChannel](parsed.data as never)
        : Object.hasOwn(preload, channel)
          ? await preload[channel as PreloadChannel](parsed.data as never)
          : await call(channel as Channel, parsed.data as never);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  };
}
