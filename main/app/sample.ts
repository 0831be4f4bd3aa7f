// The sample case's evidence (a backup bucket left public), written by main/sample's generator.
import { writeSample } from '../sample/write';

export async function generateSample(outDir: string): Promise<void> {
  writeSample(outDir);
}
