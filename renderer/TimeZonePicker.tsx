// The display time zone: UTC by default, always shown; the case stores UTC whatever is chosen.
const COMMON = ['UTC', 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin', 'Asia/Singapore', 'Asia/Tokyo', 'Australia/Sydney'];

export function TimeZonePicker({ zone, onChange }: { zone: string; onChange: (z: string) => void }) {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = Array.from(new Set([...COMMON, local, zone]));
  return (
    <label className="tz">
      <span>Times in</span>
      <select aria-label="Time zone" value={zone} onChange={(e) => onChange(e.target.value)} data-testid="time-zone">
        {zones.map((z) => <option key={z} value={z}>{z === local && z !== 'UTC' ? `${z} (this computer)` : z}</option>)}
      </select>
    </label>
  );
}
