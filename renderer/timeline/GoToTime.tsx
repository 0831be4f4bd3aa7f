// "Go to time": the table starts at the first download at or after a typed time (a keyset position,
// so any depth costs one page), and says so, with the way back to the first row.
import { useState, type FormEvent } from 'react';
import { time } from '../common/format';
import { fromIsoInput } from '../common/zoned-input';

interface Props { zone: string; at: number | null; onGo: (ms: number | null) => void }

export function GoToTime({ zone, at, onGo }: Props) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const go = (e: FormEvent) => {
    e.preventDefault();
    const iso = fromIsoInput(text, zone);
    setProblem(iso ? null : 'not a time: type yyyy-mm-dd hh:mm:ss');
    if (iso) onGo(Date.parse(iso));
  };
  return (
    <form className="table-tools" onSubmit={go} aria-label="Go to time">
      <label htmlFor="go-to-time">Go to time ({zone})</label>
      <input id="go-to-time" type="text" value={text} placeholder="yyyy-mm-dd hh:mm:ss" spellCheck={false} autoComplete="off"
        aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'go-to-time-problem' : undefined}
        onChange={(e) => { setText(e.target.value); setProblem(null); }} />
      <button type="submit">Go</button>
      {problem && <span className="field-error" id="go-to-time-problem">{problem}</span>}
      {at !== null && (
        <span className="muted small" data-testid="go-to-time-at">
          From {time(at, zone)} on. <button type="button" className="link-inline" onClick={() => { setProblem(null); onGo(null); }}>Back to the first row</button>
        </span>
      )}
    </form>
  );
}
