// What the page may ask of main: the allow-list behind window.trailmark. shared/api.ts's `channels`
// is the case service's whole contract (the CLI and the tests call all of it); the page reaches only
// the case channels listed here, which read or annotate the open case, and the shell's app:* channels,
// which take their paths from native dialogs in main. The operations that take a file-system path or
// an AWS destination (case:open, case:create, import:start, integrity:validate, aws:pull,
// report:render, export:timeline) are main's own and are never registered for the window.
import type { z } from 'zod';
import { channels, type Channel, type ImportProgress, type Req, type Responses } from './api';
import { appChannels, preloadChannels, type AppChannel, type AppResponses, type PreloadChannel } from './app-api';

export const PAGE_CASE_CHANNELS = [
  'case:info',
  'import:cancel',
  'timeline:page',
  'timeline:position',
  'download:detail',
  'evidence:list',
  'rejects:list',
  'refused:list',
  'custody:list',
  'aws:cancel',
  'notes:add',
  'notes:list',
  'tags:add',
  'tags:remove',
  'tags:list',
  'integrity:results',
  'analysis:summary',
  'analysis:exposure',
  'analysis:actors',
  'analysis:objects',
  'analysis:gaps',
  'analysis:histogram',
  'analysis:patterns',
  'analysis:set-patterns',
  'analysis:exfil',
  'analysis:set-exfil-settings',
  'analysis:addresses',
] as const satisfies readonly Channel[];
export type PageCaseChannel = (typeof PAGE_CASE_CHANNELS)[number];

/** The channels window.trailmark.invoke accepts. */
export type PageChannel = PageCaseChannel | AppChannel;
/** Every channel main answers over IPC from the window: the page's and the preload's own. */
export type IpcChannel = PageChannel | PreloadChannel;

export const PAGE_CHANNELS: readonly PageChannel[] = [...PAGE_CASE_CHANNELS, ...(Object.keys(appChannels) as AppChannel[])];
export const IPC_CHANNELS: readonly IpcChannel[] = [...PAGE_CHANNELS, ...(Object.keys(preloadChannels) as PreloadChannel[])];

export function isPageChannel(name: unknown): name is PageChannel {
  return typeof name === 'string' && (PAGE_CHANNELS as readonly string[]).includes(name);
}

export function isIpcChannel(name: unknown): name is IpcChannel {
  return typeof name === 'string' && (IPC_CHANNELS as readonly string[]).includes(name);
}

/** The request schema main checks an IPC request against. */
export function ipcSchema(channel: IpcChannel): z.ZodType {
  if (Object.hasOwn(appChannels, channel)) return appChannels[channel as AppChannel].req;
  if (Object.hasOwn(preloadChannels, channel)) return preloadChannels[channel as PreloadChannel].req;
  return channels[channel as PageCaseChannel].req;
}

export type PageReq<C extends IpcChannel> = C extends AppChannel
  ? z.infer<(typeof appChannels)[C]['req']>
  : C extends PreloadChannel ? z.infer<(typeof preloadChannels)[C]['req']>
  : C extends PageCaseChannel ? Req<C> : never;
export type PageResponse<C extends IpcChannel> = C extends AppChannel | PreloadChannel ? AppResponses[C] : C extends PageCaseChannel ? Responses[C] : never;

/** window.trailmark, as the preload (or the e2e browser host) exposes it. */
export interface PageApi {
  invoke<C extends PageChannel>(channel: C, req: PageReq<C>): Promise<PageResponse<C>>;
  onProgress(cb: (p: ImportProgress) => void): () => void;
}
