import type { Principal } from './principal.js';

/** How the audit trail and the event log name who acted. */
export function actorOf(principal: Principal): string {
  switch (principal.kind) {
    case 'user':
      return `user:${principal.email}`;
    case 'apiKey':
      return `api-key:${principal.name}`;
    case 'display':
      return `display:${principal.name}`;
    case 'anonymous':
      return 'anonymous';
  }
}
