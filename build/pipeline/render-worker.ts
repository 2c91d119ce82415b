// Worker-thread entry: renders the practices it is given and posts the results back.
import { parentPort, workerData } from 'node:worker_threads';
import { renderPractices, type RenderJob } from './render-practices.ts';

parentPort!.postMessage(await renderPractices(workerData as RenderJob));
