// Events raised outside the loop's own call stack (payments signed inside the gateway's 402 handler) reach the
// run's event stream through a relay: the run creates it, hands `emit` to the payer, and the loop attaches its
// channel while it runs. Events emitted before the loop attaches are held, never dropped.
import type { AgentEvent } from "../core/events";

export class EventRelay {
  private target?: (e: AgentEvent) => unknown;
  private held: AgentEvent[] = [];

  emit = (e: AgentEvent): void => {
    if (this.target) void this.target(e);
    else this.held.push(e);
  };

  attach(target: (e: AgentEvent) => unknown) {
    this.target = target;
    for (const e of this.held.splice(0)) void target(e);
  }

  detach() {
    this.target = undefined;
  }
}
