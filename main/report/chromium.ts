// Finding a Chromium-family browser to print with, for the CLI (the app prints with its own).
// Order: an explicit path, TRAILMARK_CHROMIUM, then the usual install places of Chromium, Chrome
// and Edge on this platform. No download: a report must be printable on an offline workstation.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class NoChromiumError extends Error {}

export function chromiumCandidates(platform = process.platform, env = process.env): string[] {
  if (platform === 'darwin') {
    return ['Chromium', 'Google Chrome', 'Google Chrome Canary', 'Microsoft Edge', 'Brave Browser']
      .flatMap((app) => [`/Applications/${app}.app/Contents/MacOS/${app}`, join(env.HOME ?? '', 'Applications', `${app}.app`, 'Contents', 'MacOS', app)]);
  }
  if (platform === 'win32') {
    const roots = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.flatMap((r) => [
      join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(r, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      join(r, 'Chromium', 'Application', 'chrome.exe'),
    ]);
  }
  return [
    '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome', '/usr/bin/microsoft-edge', '/usr/bin/microsoft-edge-stable', '/opt/microsoft/msedge/msedge',
    '/snap/bin/chromium', '/var/lib/flatpak/exports/bin/org.chromium.Chromium',
  ];
}

export function findChromium(explicit?: string, exists: (p: string) => boolean = existsSync): string {
  if (explicit) {
    if (!exists(explicit)) throw new NoChromiumError(`--chromium ${explicit}: no such file`);
    return explicit;
  }
  const fromEnv = process.env.TRAILMARK_CHROMIUM;
  if (fromEnv && exists(fromEnv)) return fromEnv;
  const found = chromiumCandidates().find((p) => exists(p));
  if (!found) {
    throw new NoChromiumError('no Chrome, Chromium or Edge found to print the PDF with; install one or pass --chromium PATH (or set TRAILMARK_CHROMIUM)');
  }
  return found;
}
