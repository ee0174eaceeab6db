import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { ClusterService, type ClusterOrigin } from '../database/cluster/cluster.service.js';
import type { SimulationListener, SimulationUpdate } from './simulation-view.js';

/**
 * Who hears of simulations: listeners (the socket gateway) get every change of state and the
 * progress of every run, made in this process or, through {@link ClusterService}, in another.
 */
@Injectable()
export class SimulationUpdates implements OnModuleDestroy {
  private readonly logger = new Logger(SimulationUpdates.name);
  private readonly listeners = new Set<SimulationListener>();
  private readonly unsubscribe: () => void;

  constructor(private readonly cluster: ClusterService) {
    this.unsubscribe = cluster.subscribe((message, origin) => {
      if (origin === 'remote' && message.kind === 'simulation')
        this.notify(message.update, 'remote');
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /** Listens to state changes and progress of every simulation; returns the unsubscribe. */
  onProgress(listener: SimulationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Tells the listeners; what happened here is also told to the other processes. */
  notify(update: SimulationUpdate, origin: ClusterOrigin): void {
    if (origin === 'local') this.cluster.publish({ kind: 'simulation', update });
    for (const listener of this.listeners) {
      try {
        listener(update, origin);
      } catch (error) {
        this.logger.error(`a simulation listener failed: ${String(error)}`);
      }
    }
  }
}
