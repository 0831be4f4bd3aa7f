// A table cell holding a sum of bytes, the part no download logged stated on hover.
import { byteSum, byteSumNote } from './format';

export function ByteSumCell({ sum, unknown, rows, className = 'num' }: { sum: number; unknown: number; rows: number; className?: string }) {
  return <td className={className} title={byteSumNote(sum, unknown, rows) || undefined}>{byteSum(sum, unknown, rows)}</td>;
}
