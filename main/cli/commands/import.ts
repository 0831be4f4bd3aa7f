// `trailmark import`: files and folders into a case (created if missing), through the case service
// and its worker, as the app imports. Ctrl-C cancels: the file being imported is undone.
import type { ImportProgress } from '../../../shared/api';
import { CaseService } from '../../service';
import { caseOption, openOrCreateCase, requireCase, str, UsageError, type Command } from '../kit';
import { progressLine, summaryText } from '../output';

export const importCommand: Command = {
  summary: 'import evidence files and folders into a case (created if missing)',
  usage: 'trailmark import --case CASE.sqlite PATH... [--examiner NAME] [--copy-evidence] [--json]',
  help: 'Folders are walked recursively; gzip is detected by its bytes. Exit status 1 when nothing could be imported.',
  options: { ...caseOption, examiner: { type: 'string' }, 'copy-evidence': { type: 'boolean' }, json: { type: 'boolean' } },
  positionals: true,
  async run(values, paths, io) {
    const casePath = requireCase(values);
    if (!paths.length) throw new UsageError('give at least one file or folder to import');
    const examiner = str(values.examiner);
    const service = new CaseService({ examiner });
    try {
      await openOrCreateCase(service, casePath, examiner);
      let jobId: string | null = null;
      const finished = new Promise<ImportProgress>((resolve) => {
        service.onProgress((p) => {
          if (jobId !== null && p.jobId !== jobId) return;
          if (p.summary || p.phase === 'failed') resolve(p);
          else if (io.isTTY) io.err(progressLine(p));
        });
      });
      const onSignal = () => { if (jobId) void service.invoke('import:cancel', { jobId }); };
      process.once('SIGINT', onSignal);
      let last: ImportProgress;
      try {
        ({ jobId } = await service.invoke('import:start', { paths, examiner, copyEvidence: values['copy-evidence'] === true }));
        last = await finished;
      } finally {
        process.off('SIGINT', onSignal);
        if (io.isTTY) io.err('\r\x1b[K');
      }
      if (!last.summary) throw new Error(last.message ?? 'the import failed');
      io.out(values.json ? `${JSON.stringify(last.summary)}\n` : summaryText(last.summary));
      const usable = last.summary.files.some((f) => f.status === 'imported' || f.status === 'already-in-case');
      return usable ? 0 : 1;
    } finally {
      await service.close();
    }
  },
};
