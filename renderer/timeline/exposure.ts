import type { DownloadRow } from '../../shared/api';
import type { ExposureWindow } from '../../shared/analysis';

/** Whether a download happened while its bucket (or that object) was exposed. */
export function inExposure(row: Pick<DownloadRow, 'bucket' | 'key' | 'timeMs'>, windows: ExposureWindow[]): boolean {
  return windows.some((w) =>
    w.bucket === row.bucket && (w.key === null || w.key === row.key)
    && (w.fromMs === null || row.timeMs >= w.fromMs) && (w.toMs === null || row.timeMs < w.toMs));
}
