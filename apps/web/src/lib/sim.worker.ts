// The simulator's Web Worker: the contest model's own worker entry (it answers the pool's block
// requests). A local module so Vite bundles it as a worker chunk from `new URL(…, import.meta.url)`.
import '@podium/contest-model/simulation.worker';
