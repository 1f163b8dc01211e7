/**
 * Imported first by the server's entry (server/src/server.ts), before the modules of the server and
 * the core are evaluated: it stops the young generation of the server's heap from growing while they
 * load (see memory.ts), which grew it from 1 to 4 MB before.
 */
import { stopYoungGenerationGrowth } from './memory.js';

stopYoungGenerationGrowth();
