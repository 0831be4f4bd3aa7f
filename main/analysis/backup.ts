// Which object keys are backup files: extensions and glob patterns, stored in the case, matched
// case-insensitively against the whole key. In globs `**` crosses '/', `*` and `?` do not.
export interface BackupPatterns { extensions: string[]; globs: string[] }

export const DEFAULT_BACKUP_PATTERNS: BackupPatterns = {
  extensions: [
    '.bak', '.backup', '.old', '.sql', '.sql.gz', '.sql.bz2', '.sql.xz', '.sql.zst', '.dump', '.dmp', '.pgdump',
    '.tar', '.tar.gz', '.tgz', '.tar.bz2', '.tar.xz', '.tar.zst', '.zip', '.7z', '.rar', '.gz', '.bz2', '.xz', '.zst',
    '.db', '.sqlite', '.sqlite3', '.mdb', '.accdb', '.bacpac', '.mdf', '.ldf', '.rdb', '.frm', '.ibd', '.archive',
  ],
  globs: ['**backup**', '**/dump/**', '**/dumps/**', '**snapshot**', '**/bak/**'],
};

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

export function validatePatterns(p: BackupPatterns): string[] {
  const problems: string[] = [];
  for (const e of p.extensions) if (!/^\.[\w.-]{1,20}$/.test(e)) problems.push(`extension "${e}" must start with a dot and hold only letters, digits, '.', '_' or '-'`);
  for (const g of p.globs) if (!g || g.length > 300) problems.push(`glob "${g.slice(0, 40)}" must be 1 to 300 characters`);
  return problems;
}

export function backupMatcher(p: BackupPatterns = DEFAULT_BACKUP_PATTERNS): (key: string) => boolean {
  const exts = p.extensions.map((e) => e.toLowerCase());
  const globs = p.globs.map(globToRegExp);
  return (key) => {
    const k = key.toLowerCase();
    return exts.some((e) => k.endsWith(e)) || globs.some((g) => g.test(key));
  };
}

/** Patterns as one list of strings for display: extensions as `*.ext`, then the globs. */
export function describePatterns(p: BackupPatterns): string[] {
  return [...p.extensions.map((e) => `*${e}`), ...p.globs];
}
