import path from 'node:path';
import { imagesOutDir } from '../harness/guest/image';

export const repoRoot = path.resolve(__dirname, '..');
export const imagesDir = path.join(repoRoot, 'test-images');
export const outDir = imagesOutDir(repoRoot);
export const cacheDir = path.join(imagesDir, 'cache');
/** The manifest's definition, which the builder shares with the harness. */
export const guestImageSource = path.join(repoRoot, 'harness', 'guest', 'image.ts');

const guestsDir = path.join(repoRoot, 'guests');
export const agentDir = path.join(guestsDir, 'agent');
export const agentSource = path.join(agentDir, 'agent.c');
export const sgioLogSource = path.join(guestsDir, 'sgio-log', 'sgio-log.c');
export const initScript = path.join(guestsDir, 'init', 'init');
export const profilesDir = path.join(guestsDir, 'profiles');
