// The leak analysis as the timeline, Actors and Objects views need it (exposure windows, actor and
// object summaries, downloads histograms), from the analysis channels of main/service.
import type { TimelineFilter } from '../shared/api';
import { invoke, useQuery } from './api';

export function useSummary(version: number, enabled = true) {
  return useQuery(`summary ${version}`, () => invoke('analysis:summary', {}), enabled);
}

/** Downloads per bin for a timeline filter; give from/to so the bins line up with the axis drawn. */
export function useHistogram(filter: TimelineFilter | null, version: number, bins = 120) {
  return useQuery(`histogram ${JSON.stringify(filter)} ${bins} ${version}`, () => invoke('analysis:histogram', { filter: filter ?? {}, bins }), filter !== null);
}
