// The leak analysis as the timeline, Actors and Objects views need it (exposure windows, actor and
// object summaries, downloads histograms), from the analysis channels of main/service.
import type { TimelineFilter } from '../shared/api';
import type { AnalysisSummary, Histogram } from '../shared/analysis';
import { useQuery } from './api';

// Called by name so the renderer builds whether or not shared/api's map has them yet; an unknown
// channel is answered with an error, which the views show as such while the table keeps working.
const call = <T>(channel: string, req: object): Promise<T> => {
  if (!window.trailmark) return Promise.reject(new Error('Trailmark is not connected to its main process.'));
  return window.trailmark.invoke(channel as never, req as never) as Promise<T>;
};

export function useSummary(version: number, enabled = true) {
  return useQuery<AnalysisSummary>(`summary ${version}`, () => call('analysis:summary', {}), enabled);
}

/** Downloads per bin for a timeline filter; give from/to so the bins line up with the axis drawn. */
export function useHistogram(filter: TimelineFilter | null, version: number, bins = 120) {
  return useQuery<Histogram>(`histogram ${JSON.stringify(filter)} ${bins} ${version}`, () => call('analysis:histogram', { filter, bins }), filter !== null);
}
